/**
 * The resources the plugin serves: those of the registry (clouds.ts) marked `plugin`. For each, its token and the
 * provider object the dynamic resources use (`provider/<cloud>/<x>Provider.ts` or `<x>Drill.ts`, loaded on first use).
 * One implementation, two hosts: nothing here restores, validates or diffs; the plugin only translates between the
 * engine's provider protocol and these objects. `pulumi import`, which only the plugin offers, is the exception: each
 * resource's importer (`provider/<cloud>/<x>Import.ts`) reads an existing cloud resource with that provider's client.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- each provider and importer module is required on first use, so
   that the plugin loads only what a call needs (see `load` and `importer`) */
import { DRILL_KEYS, DRILL_OUTPUT_KEYS, drillToken } from "../provider/core/drill";
import { ProviderMethods, restoreToken } from "../provider/core/resource";
import { RegisteredResource, ResourceKey, allResources } from "../clouds";
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

/** The lists of properties a restore's inputs module exports (provider/<cloud>/<x>Inputs.ts). */
interface InputsModule {
    SECRET_INPUTS: readonly string[];
    INPUT_KEYS: readonly string[];
    OUTPUT_KEYS: readonly string[];
}

/**
 * The inputs of a drill: its restore resource's, without those its Args leave out (the scratch instance's name,
 * adoption, subscription terms), plus the drill's own and the cloud's drill-only ones.
 */
function drillInputs(restore: readonly string[], without: readonly string[], extra: string[] = []): readonly string[] {
    return [...new Set([...restore.filter((k) => !without.includes(k)), ...DRILL_KEYS, ...extra])];
}

/** What the registry does not say about a drill the plugin serves: how its properties differ from its restore's. */
interface DrillProperties {
    /** The type of the restore resource it drills. */
    of: string;
    /** Inputs of the restore that the drill's Args leave out. */
    without: readonly string[];
    /** Drill-only inputs of this cloud. */
    extra?: string[];
    /** Its secret inputs: the restore's, or the list its drill module exports under this name. */
    secretInputs?: string;
}

/** Every drill the plugin serves; a drill of the registry served by the plugin but missing here fails at load. */
const DRILLS: Partial<Record<ResourceKey, DrillProperties>> = {
    "alicloud/starrocks:RestoreDrill": {
        of: "RestoredInstance",
        without: ["instanceName", "adoptId", "pricingCycle", "duration", "autoRenew"],
    },
    "jdcloud/rds:RestoreDrill": {
        of: "RestoredInstance",
        without: ["adoptId"],
        extra: ["backupSourceInstanceId", "databasePassword"],
        secretInputs: "RDS_DRILL_SECRET_INPUTS",
    },
    "tencentcloud/redis:RestoreDrill": {
        of: "RestoredInstance",
        // The clone's inputs without the scratch instance's name and adoption (the drill sets and refuses them).
        without: ["instanceName", "adoptId"],
        secretInputs: "CLONE_DRILL_SECRET_INPUTS",
    },
    "zstack:RestoreDrill": {
        of: "VmFromBackup",
        without: ["name", "adoptId"],
        extra: ["guestPassword"],
        secretInputs: "VM_DRILL_SECRET_INPUTS",
    },
};

/** A module of a cloud's folder, loaded from here. */
function cloudRequire(r: RegisteredResource, module: string): unknown {
    return require(`../${r.path(module)}`);
}

/** The inputs module of a restore resource of the registry. */
function inputsOf(r: RegisteredResource): InputsModule {
    if (!r.inputs) throw new Error(`${r.key}: the registry (clouds.ts) names no inputs module`);
    return cloudRequire(r, r.inputs) as InputsModule;
}

/** The plugin's resource for a resource of the registry. */
function pluginResource(r: RegisteredResource): PluginResource {
    const spec = r.plugin?.import;
    const base = {
        module: r.cloud.module,
        type: r.type,
        component: { file: `${r.path(r.resource)}.ts`, className: r.type, argsName: `${r.type}Args` },
        provider: load(() => cloudRequire(r, r.provider)),
        ...(spec && {
            import: { format: spec.format, example: spec.example, load: importer(() => cloudRequire(r, spec.module)) },
        }),
    };
    if (r.kind === "restore") {
        const inputs = inputsOf(r);
        return {
            ...base,
            secretInputs: inputs.SECRET_INPUTS,
            inputKeys: inputs.INPUT_KEYS,
            outputKeys: inputs.OUTPUT_KEYS,
        };
    }
    const d = DRILLS[r.key];
    if (!d) throw new Error(`${r.key}: a drill the plugin serves needs its entry in DRILLS (plugin/resources.ts)`);
    const restore = allResources().find((x) => x.cloud === r.cloud && x.type === d.of);
    if (!restore) throw new Error(`${r.key}: ${d.of} is not a resource of ${r.cloud.name} in the registry`);
    const inputs = inputsOf(restore);
    const named = d.secretInputs;
    return {
        ...base,
        // A drill module loads its provider: read on use, so that serving a restore does not load every drill.
        get secretInputs() {
            if (!named) return inputs.SECRET_INPUTS;
            return (cloudRequire(r, r.provider) as Record<string, readonly string[]>)[named];
        },
        inputKeys: drillInputs(inputs.INPUT_KEYS, d.without, d.extra),
        outputKeys: DRILL_OUTPUT_KEYS,
        token: drillToken,
    };
}

/** Every resource of the plugin: those of the registry (clouds.ts) that the plugin serves, restores first. */
export const RESOURCES: readonly PluginResource[] = allResources()
    .filter((r) => r.plugin)
    .map(pluginResource);

/** The resource a token names, or undefined. */
export function resourceByToken(token: string): PluginResource | undefined {
    return RESOURCES.find((r) => tokenOf(r) === token);
}
