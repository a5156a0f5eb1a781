/**
 * `pulumi import` (served by the plugin), as every cloud's importer (`provider/<cloud>/<x>Import.ts`) sees it: what an
 * importer is given and returns, and the imported inputs checked by the resource's own checker, so that the generated
 * program runs and changes nothing.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ConfigSource } from "./config";

/** What `pulumi import` records for an existing cloud resource: its id, outputs, and the inputs that describe it. */
export interface ImportedState {
    id: string;
    outs: Record<string, unknown>;
    inputs: Record<string, unknown>;
}

/** What an importer is given besides the import id. */
export interface ImportContext {
    /** The restore token of the resource being imported (from its URN, as for a create). */
    restoreToken: string;
    /** The plugin's configuration (the same source every provider's `configure` got). */
    config: ConfigSource;
}

/**
 * Reads an existing cloud resource for `pulumi import`: its state, or undefined when it does not exist. A malformed
 * import id throws, naming the resource's import id format.
 */
export type Importer = (id: string, ctx: ImportContext) => Promise<ImportedState | undefined>;

/**
 * The inputs read from an existing resource (`given`, what the generated program declares) and as the provider's
 * check normalises them (`checked`, with defaults filled in: the base of the recorded outputs, so that the next `up`
 * compares like with like). Inputs that fail check (the resource cannot be described by this resource type's inputs)
 * are refused, naming each failure.
 */
export async function importedInputs(
    p: { check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> },
    thing: string,
    id: string,
    given: Record<string, unknown>,
    restoreToken: string,
): Promise<{ given: Record<string, unknown>; checked: Record<string, unknown> }> {
    const r = await p.check({}, { ...given, restoreToken });
    const failures = r.failures ?? [];
    if (failures.length > 0) {
        const list = failures.map((f) => f.reason).join("; ");
        throw new Error(`${thing} ${id} cannot be described by this resource's inputs (${list}); nothing imported`);
    }
    return { given, checked: (r.inputs ?? {}) as Record<string, unknown> };
}
