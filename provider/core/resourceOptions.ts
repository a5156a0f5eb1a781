import * as pulumi from "@pulumi/pulumi";
import { SECRET_NAMES_KEY } from "./resource";

/**
 * Wraps the listed inputs (a resource's `SECRET_INPUTS`, the list its provider registers for redaction) with
 * `pulumi.secret`, so that state keeps them encrypted. Absent inputs stay absent.
 */
export function withSecretInputs(props: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
    const out: Record<string, unknown> = { ...props, [SECRET_NAMES_KEY]: secretInputNames(props, names) };
    for (const n of names) if (out[n] !== undefined) out[n] = pulumi.secret(out[n]);
    return out;
}

/**
 * The names of the inputs the program itself marked secret (`pulumi.secret(...)`, or an output of a secret), beyond
 * the ones the resource always treats as secret. The dynamic-provider host receives every value in plain text and
 * cannot tell; with these names the provider registers those values for redaction too, so that a failure quoting an
 * instance name the program marked secret never shows it. Only names travel (and are kept in state), never values.
 */
export function secretInputNames(props: object, always: readonly string[] = []): pulumi.Output<string[]> {
    const entries = Object.entries(props).filter(
        ([k, v]) => !always.includes(k) && !k.startsWith("__") && v !== undefined,
    );
    return pulumi
        .all(entries.map(([, v]) => pulumi.isSecret(pulumi.output(v))))
        .apply((marked) => entries.filter((_, i) => marked[i]).map(([k]) => k));
}

/** Adds outputs that the engine must store encrypted, keeping any the user listed. */
export function withSecretOutputs(
    opts: pulumi.CustomResourceOptions | undefined,
    keys: string[],
): pulumi.CustomResourceOptions {
    return { ...opts, additionalSecretOutputs: [...new Set([...(opts?.additionalSecretOutputs ?? []), ...keys])] };
}
