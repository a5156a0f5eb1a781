/**
 * The resources the plugin serves (the six restore resources and the four restore drills): for each, its token and
 * the provider object the dynamic resources use (`provider/<cloud>/<x>Provider.ts` or `<x>Drill.ts`, loaded on first
 * use). One implementation, two hosts: nothing here restores, validates or diffs; the plugin only translates between
 * the engine's provider protocol and these objects. `pulumi import`, which only the plugin offers, is the exception:
 * each resource's importer (provider/<cloud>/<x>Import.ts) reads an existing cloud resource with that provider's client.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- each provider and importer module is required on first use, so
   that the plugin loads only what a call needs (see `load` and `importer`) */
import { DRILL_OUTPUT_KEYS, drillToken } from "../provider/core/drill";
import { ProviderMethods, restoreToken } from "../provider/core/resource";
import * as starrocksInputs from "../provider/alicloud/starrocksInputs";
import { RESTORED_INSTANCE_PROPS, RESTORE_DRILL_PROPS } from "../provider/alicloud/starrocksProps";
import { INSTANCE_RESTORE_PROPS } from "../provider/tencentcloud/redisProps";
import { CLONE_DRILL_PROPS, CLONE_PROPS } from "../provider/tencentcloud/cloneProps";
import { RDS_DRILL_PROPS, RDS_RESTORE_PROPS } from "../provider/jdcloud/rdsProps";
import { INSTANCE_BACKUP_PROPS } from "../provider/huaweicloud/koophoneProps";
import { VM_DRILL_PROPS, VM_FROM_BACKUP_PROPS } from "../provider/zstack/vmProps";
import { TableRef, inputKeys, secretKeys } from "../provider/core/props";
import * as redisInputs from "../provider/tencentcloud/redisInputs";
import * as cloneInputs from "../provider/tencentcloud/cloneInputs";
import * as vmInputs from "../provider/zstack/vmInputs";
import * as rdsInputs from "../provider/jdcloud/rdsInputs";
import * as koophoneInputs from "../provider/huaweicloud/koophoneInputs";
import { PACKAGE } from "./config";
import type { ImportedState, Importer } from "../provider/core/importer";

export type { ImportContext, ImportedState, Importer } from "../provider/core/importer";

/** A provider object as the plugin uses it: the dynamic provider's methods, and `importRead` where import works. */
export type PluginProviderMethods = ProviderMethods & {
    /** Reads an existing resource for `pulumi import`; undefined when it does not exist. */
    importRead?(id: string): Promise<ImportedState | undefined>;
};

/** How a resource is imported: the import id's documented format, and the importer. */
export interface ImportSpec {
    /** The import id's format, as the docs and error messages give it: `<instanceId>:<taskId>:<backupId>`. */
    format: string;
    /** An example id in that format. */
    example: string;
    load: () => Importer;
}

/** One resource type of the plugin. */
export interface PluginResource {
    /** Module and type name, as the dynamic resources name them (`alicloud/starrocks`, `RestoredInstance`). */
    module: string;
    type: string;
    /** Where the resource class and its Args interface are (repository-relative), for the schema generator. */
    component: { file: string; className: string; argsName: string };
    /**
     * The resource's table of properties and where it is declared: the schema's inputs and the reference docs'
     * inputs table come from it. Absent for a resource not described by a table yet (its Args interface is read).
     */
    props?: TableRef;
    /** The provider object of the dynamic resources. */
    provider: () => PluginProviderMethods;
    /** Top-level inputs that hold secrets (the list the provider registers for redaction). */
    secretInputs: readonly string[];
    /** Inputs the provider's check accepts (restoreToken included) and its output-only properties. */
    inputKeys: readonly string[];
    outputKeys: readonly string[];
    /** The restore token of a declared resource (default: {@link restoreToken}; drills: {@link drillToken}). */
    token?: (project: string, stack: string, name: string) => string;
    /** `pulumi import`: absent where the resource cannot be imported (a drill: it leaves nothing in the cloud). */
    import?: ImportSpec;
}

/** The restore token of a resource declared as `name` in `project`/`stack`. */
export function tokenFor(r: Pick<PluginResource, "token">, project: string, stack: string, name: string): string {
    return (r.token ?? restoreToken)(project, stack, name);
}

/** The resource token: `pulumi-restore:alicloud/starrocks:RestoredInstance`. */
export function tokenOf(r: Pick<PluginResource, "module" | "type">): string {
    return `${PACKAGE}:${r.module}:${r.type}`;
}

const load = (m: () => unknown) => () => (m() as { provider: PluginProviderMethods }).provider;
const importer = (m: () => unknown) => () => (m() as { importer: Importer }).importer;

/** Every resource of the plugin. */
export const RESOURCES: readonly PluginResource[] = [
    {
        module: "alicloud/starrocks",
        type: "RestoredInstance",
        component: {
            file: "provider/alicloud/starrocksResource.ts",
            className: "RestoredInstance",
            argsName: "RestoredInstanceArgs",
        },
        props: {
            table: RESTORED_INSTANCE_PROPS,
            file: "provider/alicloud/starrocksProps.ts",
            exportName: "RESTORED_INSTANCE_PROPS",
        },
        provider: load(() => require("../provider/alicloud/starrocksProvider")),
        secretInputs: starrocksInputs.SECRET_INPUTS,
        inputKeys: starrocksInputs.INPUT_KEYS,
        outputKeys: starrocksInputs.OUTPUT_KEYS,
        import: {
            format: "<instanceId>",
            example: "c-8f3a2b1c9d0e4f56",
            load: importer(() => require("../provider/alicloud/starrocksImport")),
        },
    },
    {
        module: "tencentcloud/redis",
        type: "InstanceRestore",
        component: {
            file: "provider/tencentcloud/redisResource.ts",
            className: "InstanceRestore",
            argsName: "InstanceRestoreArgs",
        },
        props: {
            table: INSTANCE_RESTORE_PROPS,
            file: "provider/tencentcloud/redisProps.ts",
            exportName: "INSTANCE_RESTORE_PROPS",
        },
        provider: load(() => require("../provider/tencentcloud/redisProvider")),
        secretInputs: redisInputs.SECRET_INPUTS,
        inputKeys: redisInputs.INPUT_KEYS,
        outputKeys: redisInputs.OUTPUT_KEYS,
        import: {
            format: "<instanceId>:<taskId>:<backupId>",
            example: "crs-5a4py64p:6954227:678362566696298532848117",
            load: importer(() => require("../provider/tencentcloud/redisImport")),
        },
    },
    {
        module: "tencentcloud/redis",
        type: "RestoredInstance",
        component: {
            file: "provider/tencentcloud/cloneResource.ts",
            className: "RestoredInstance",
            argsName: "RestoredInstanceArgs",
        },
        props: { table: CLONE_PROPS, file: "provider/tencentcloud/cloneProps.ts", exportName: "CLONE_PROPS" },
        provider: load(() => require("../provider/tencentcloud/cloneProvider")),
        secretInputs: cloneInputs.SECRET_INPUTS,
        inputKeys: cloneInputs.INPUT_KEYS,
        outputKeys: cloneInputs.OUTPUT_KEYS,
        import: {
            format: "<instanceId>:<sourceInstanceId>:<securityGroupId>[,<securityGroupId>...][:<backupId>]",
            example: "crs-8kq2m1zx:crs-5a4py64p:sg-5fgt7a1b:678362566696298532848117",
            load: importer(() => require("../provider/tencentcloud/cloneImport")),
        },
    },
    {
        module: "zstack",
        type: "VmFromBackup",
        component: {
            file: "provider/zstack/vmResource.ts",
            className: "VmFromBackup",
            argsName: "VmFromBackupArgs",
        },
        props: {
            table: VM_FROM_BACKUP_PROPS,
            file: "provider/zstack/vmProps.ts",
            exportName: "VM_FROM_BACKUP_PROPS",
        },
        provider: load(() => require("../provider/zstack/vmProvider")),
        secretInputs: vmInputs.SECRET_INPUTS,
        inputKeys: vmInputs.INPUT_KEYS,
        outputKeys: vmInputs.OUTPUT_KEYS,
        import: {
            format: "<vmUuid>[:<backupGroupUuid>]",
            example: "a1c07d683f693f6e9f2d7f9a499c7840:0f5d1b2a3c4e5f60718293a4b5c6d7e8",
            load: importer(() => require("../provider/zstack/vmImport")),
        },
    },
    {
        module: "jdcloud/rds",
        type: "RestoredInstance",
        component: {
            file: "provider/jdcloud/rdsResource.ts",
            className: "RestoredInstance",
            argsName: "RestoredInstanceArgs",
        },
        props: { table: RDS_RESTORE_PROPS, file: "provider/jdcloud/rdsProps.ts", exportName: "RDS_RESTORE_PROPS" },
        provider: load(() => require("../provider/jdcloud/rdsProvider")),
        secretInputs: rdsInputs.SECRET_INPUTS,
        inputKeys: rdsInputs.INPUT_KEYS,
        outputKeys: rdsInputs.OUTPUT_KEYS,
        import: {
            format: "<instanceId>[:<backupId>]",
            example: "mysql-k2x7ab9q0w:bk-0a1b2c3d4e",
            load: importer(() => require("../provider/jdcloud/rdsImport")),
        },
    },
    {
        module: "huaweicloud/koophone",
        type: "InstanceBackup",
        component: {
            file: "provider/huaweicloud/koophoneResource.ts",
            className: "InstanceBackup",
            argsName: "InstanceBackupArgs",
        },
        props: {
            table: INSTANCE_BACKUP_PROPS,
            file: "provider/huaweicloud/koophoneProps.ts",
            exportName: "INSTANCE_BACKUP_PROPS",
        },
        provider: load(() => require("../provider/huaweicloud/koophoneProvider")),
        secretInputs: koophoneInputs.SECRET_INPUTS,
        inputKeys: koophoneInputs.INPUT_KEYS,
        outputKeys: koophoneInputs.OUTPUT_KEYS,
        import: {
            format: "<userId>:<instanceId>[,<instanceId>...]",
            example: "1008600000104285462:phone-01,phone-02",
            load: importer(() => require("../provider/huaweicloud/koophoneImport")),
        },
    },
    {
        module: "alicloud/starrocks",
        type: "RestoreDrill",
        component: {
            file: "provider/alicloud/starrocksDrillResource.ts",
            className: "RestoreDrill",
            argsName: "RestoreDrillArgs",
        },
        props: {
            table: RESTORE_DRILL_PROPS,
            file: "provider/alicloud/starrocksProps.ts",
            exportName: "RESTORE_DRILL_PROPS",
        },
        provider: load(() => require("../provider/alicloud/starrocksDrill")),
        secretInputs: secretKeys(RESTORE_DRILL_PROPS),
        inputKeys: inputKeys(RESTORE_DRILL_PROPS),
        outputKeys: DRILL_OUTPUT_KEYS,
        token: drillToken,
    },
    {
        module: "jdcloud/rds",
        type: "RestoreDrill",
        component: {
            file: "provider/jdcloud/rdsDrillResource.ts",
            className: "RestoreDrill",
            argsName: "RestoreDrillArgs",
        },
        props: { table: RDS_DRILL_PROPS, file: "provider/jdcloud/rdsProps.ts", exportName: "RDS_DRILL_PROPS" },
        provider: load(() => require("../provider/jdcloud/rdsDrill")),
        secretInputs: secretKeys(RDS_DRILL_PROPS),
        inputKeys: inputKeys(RDS_DRILL_PROPS),
        outputKeys: DRILL_OUTPUT_KEYS,
        token: drillToken,
    },
    {
        module: "zstack",
        type: "RestoreDrill",
        component: {
            file: "provider/zstack/vmDrillResource.ts",
            className: "RestoreDrill",
            argsName: "RestoreDrillArgs",
        },
        props: { table: VM_DRILL_PROPS, file: "provider/zstack/vmProps.ts", exportName: "VM_DRILL_PROPS" },
        provider: load(() => require("../provider/zstack/vmDrill")),
        secretInputs: secretKeys(VM_DRILL_PROPS),
        inputKeys: inputKeys(VM_DRILL_PROPS),
        outputKeys: DRILL_OUTPUT_KEYS,
        token: drillToken,
    },
    {
        module: "tencentcloud/redis",
        type: "RestoreDrill",
        component: {
            file: "provider/tencentcloud/cloneDrillResource.ts",
            className: "RestoreDrill",
            argsName: "RestoreDrillArgs",
        },
        props: {
            table: CLONE_DRILL_PROPS,
            file: "provider/tencentcloud/cloneProps.ts",
            exportName: "CLONE_DRILL_PROPS",
        },
        provider: load(() => require("../provider/tencentcloud/cloneDrill")),
        secretInputs: secretKeys(CLONE_DRILL_PROPS),
        inputKeys: inputKeys(CLONE_DRILL_PROPS),
        outputKeys: DRILL_OUTPUT_KEYS,
        token: drillToken,
    },
];

/** The resource a token names, or undefined. */
export function resourceByToken(token: string): PluginResource | undefined {
    return RESOURCES.find((r) => tokenOf(r) === token);
}
