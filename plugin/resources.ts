/**
 * The five resources the plugin serves: for each, its token and the provider object the dynamic resources use
 * (`provider/<cloud>/<x>Provider.ts`, loaded on first use). One implementation, two hosts: nothing here restores,
 * validates or diffs; the plugin only translates between the engine's provider protocol and these objects.
 */
import { ProviderMethods } from "../provider/core/resource";
import * as starrocksInputs from "../provider/alicloud/starrocksInputs";
import * as redisInputs from "../provider/tencentcloud/redisInputs";
import * as cloneInputs from "../provider/tencentcloud/cloneInputs";
import * as vmInputs from "../provider/zstack/vmInputs";
import * as rdsInputs from "../provider/jdcloud/rdsInputs";
import * as koophoneInputs from "../provider/huaweicloud/koophoneInputs";
import { PACKAGE } from "./config";

/** What `pulumi import` records for an existing cloud resource: its id, outputs, and the inputs that describe it. */
export interface ImportedState {
    id: string;
    outs: Record<string, unknown>;
    inputs: Record<string, unknown>;
}

/** A provider object as the plugin uses it: the dynamic provider's methods, and `importRead` where import works. */
export type PluginProviderMethods = ProviderMethods & {
    /** Reads an existing resource for `pulumi import`; undefined when it does not exist. */
    importRead?(id: string): Promise<ImportedState | undefined>;
};

/** One resource type of the plugin. */
export interface PluginResource {
    /** Module and type name, as the dynamic resources name them (`alicloud/starrocks`, `RestoredInstance`). */
    module: string;
    type: string;
    /** Where the resource class and its Args interface are (repository-relative), for the schema generator. */
    component: { file: string; className: string; argsName: string };
    /** The provider object of the dynamic resources. */
    provider: () => PluginProviderMethods;
    /** Top-level inputs that hold secrets (the list the provider registers for redaction). */
    secretInputs: readonly string[];
    /** Inputs the provider's check accepts (restoreToken included) and its output-only properties. */
    inputKeys: readonly string[];
    outputKeys: readonly string[];
}

/** The resource token: `pulumi-restore:alicloud/starrocks:RestoredInstance`. */
export function tokenOf(r: Pick<PluginResource, "module" | "type">): string {
    return `${PACKAGE}:${r.module}:${r.type}`;
}

const load = (m: () => unknown) => () => (m() as { provider: PluginProviderMethods }).provider;

/** Every resource of the plugin. */
export const RESOURCES: readonly PluginResource[] = [
    {
        module: "alicloud/starrocks",
        type: "RestoredInstance",
        component: {
            file: "components/alicloud/starrocks/restoredInstance.ts",
            className: "RestoredInstance",
            argsName: "RestoredInstanceArgs",
        },
        provider: load(() => require("../provider/alicloud/starrocksProvider")),
        secretInputs: starrocksInputs.SECRET_INPUTS,
        inputKeys: starrocksInputs.INPUT_KEYS,
        outputKeys: starrocksInputs.OUTPUT_KEYS,
    },
    {
        module: "tencentcloud/redis",
        type: "InstanceRestore",
        component: {
            file: "components/tencentcloud/redis/instanceRestore.ts",
            className: "InstanceRestore",
            argsName: "InstanceRestoreArgs",
        },
        provider: load(() => require("../provider/tencentcloud/redisProvider")),
        secretInputs: redisInputs.SECRET_INPUTS,
        inputKeys: redisInputs.INPUT_KEYS,
        outputKeys: redisInputs.OUTPUT_KEYS,
    },
    {
        module: "tencentcloud/redis",
        type: "RestoredInstance",
        component: {
            file: "components/tencentcloud/redis/restoredInstance.ts",
            className: "RestoredInstance",
            argsName: "RestoredInstanceArgs",
        },
        provider: load(() => require("../provider/tencentcloud/cloneProvider")),
        secretInputs: cloneInputs.SECRET_INPUTS,
        inputKeys: cloneInputs.INPUT_KEYS,
        outputKeys: cloneInputs.OUTPUT_KEYS,
    },
    {
        module: "zstack",
        type: "VmFromBackup",
        component: {
            file: "components/zstack/vmFromBackup.ts",
            className: "VmFromBackup",
            argsName: "VmFromBackupArgs",
        },
        provider: load(() => require("../provider/zstack/vmProvider")),
        secretInputs: vmInputs.SECRET_INPUTS,
        inputKeys: vmInputs.INPUT_KEYS,
        outputKeys: vmInputs.OUTPUT_KEYS,
    },
    {
        module: "jdcloud/rds",
        type: "RestoredInstance",
        component: {
            file: "components/jdcloud/rds/restoredInstance.ts",
            className: "RestoredInstance",
            argsName: "RestoredInstanceArgs",
        },
        provider: load(() => require("../provider/jdcloud/rdsProvider")),
        secretInputs: rdsInputs.SECRET_INPUTS,
        inputKeys: rdsInputs.INPUT_KEYS,
        outputKeys: rdsInputs.OUTPUT_KEYS,
    },
    {
        module: "huaweicloud/koophone",
        type: "InstanceBackup",
        component: {
            file: "components/huaweicloud/koophone/instanceBackup.ts",
            className: "InstanceBackup",
            argsName: "InstanceBackupArgs",
        },
        provider: load(() => require("../provider/huaweicloud/koophoneProvider")),
        secretInputs: koophoneInputs.SECRET_INPUTS,
        inputKeys: koophoneInputs.INPUT_KEYS,
        outputKeys: koophoneInputs.OUTPUT_KEYS,
    },
];

/** The resource a token names, or undefined. */
export function resourceByToken(token: string): PluginResource | undefined {
    return RESOURCES.find((r) => tokenOf(r) === token);
}
