import * as pulumi from "@pulumi/pulumi";

/**
 * Wraps the listed inputs (a resource's `SECRET_INPUTS`, the list its provider registers for redaction) with
 * `pulumi.secret`, so that state keeps them encrypted. Absent inputs stay absent.
 */
export function withSecretInputs(props: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
    const out = { ...props };
    for (const n of names) if (out[n] !== undefined) out[n] = pulumi.secret(out[n]);
    return out;
}

/** Adds outputs that the engine must store encrypted, keeping any the user listed. */
export function withSecretOutputs(
    opts: pulumi.CustomResourceOptions | undefined,
    keys: string[],
): pulumi.CustomResourceOptions {
    return { ...opts, additionalSecretOutputs: [...new Set([...(opts?.additionalSecretOutputs ?? []), ...keys])] };
}
