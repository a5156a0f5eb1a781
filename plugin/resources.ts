/**
 * The resources the plugin serves: those of the registry (clouds.ts) marked `plugin`. For each, its token and the
 * provider object the dynamic resources use (`provider/<cloud>/<x>Provider.ts` or `<x>Drill.ts`, loaded on first use).
 * One implementation, two hosts: nothing here restores, validates or diffs; the plugin only translates between the
 * engine's provider protocol and these objects. `pulumi import`, which only the plugin offers, is the exception: each
 * resource's importer (`provider/<cloud>/<x>Import.ts`) reads an existing cloud resource with that provider's client.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- each provider and importer module is required on first use, so
   that the plugin loads only what a call needs (see `load` and `importer`) */
import { DRILL_OUTPUT_KEYS, drillToken } from "../provider/core/drill";
import { ProviderMethods, restoreToken } from "../provider/core/resource";
import { RegisteredResource, allResources } from "../clouds";
import { PropTable, TableRef, inputKeys, secretKeys } from "../provider/core/props";
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

/** The lists of properties a restore's inputs module exports (provider/<cloud>/<x>Inputs.ts). */
interface InputsModule {
    SECRET_INPUTS: readonly string[];
    INPUT_KEYS: readonly string[];
    OUTPUT_KEYS: readonly string[];
}

/** A module of a cloud's folder, loaded from here. */
function cloudRequire(r: RegisteredResource, module: string): unknown {
    return require(`../${r.path(module)}`);
}

/** The inputs module of a restore resource of the registry. */
function inputsOf(r: RegisteredResource): InputsModule {
    if (!r.inputs) throw new Error(`${r.key}: the registry (clouds.ts) names no inputs module`);
    return cloudRequire(r, r.inputs) as InputsModule;
}

/** The table of properties of a resource of the registry (provider/core/props.ts), and where it is declared. */
function propsOf(r: RegisteredResource): TableRef {
    const { module, exportName } = r.props;
    const table = (cloudRequire(r, module) as Record<string, PropTable | undefined>)[exportName];
    if (!table)
        throw new Error(`${r.key}: ${r.path(module)} exports no ${exportName} (the registry, clouds.ts, names it)`);
    return { table, file: `${r.path(module)}.ts`, exportName };
}

/** The plugin's resource for a resource of the registry. */
function pluginResource(r: RegisteredResource): PluginResource {
    const spec = r.plugin?.import;
    const props = propsOf(r);
    const base = {
        module: r.cloud.module,
        type: r.type,
        component: { file: `${r.path(r.resource)}.ts`, className: r.type, argsName: `${r.type}Args` },
        props,
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
    // A drill's inputs are its table's: the restore's arguments it takes, its own, and the cloud's drill-only ones.
    return {
        ...base,
        secretInputs: secretKeys(props.table),
        inputKeys: inputKeys(props.table),
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
