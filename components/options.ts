import * as pulumi from "@pulumi/pulumi";

/** Adds outputs that the engine must store encrypted, keeping any the user listed. */
export function withSecretOutputs(opts: pulumi.CustomResourceOptions | undefined, keys: string[]): pulumi.CustomResourceOptions {
    return { ...opts, additionalSecretOutputs: [...new Set([...(opts?.additionalSecretOutputs ?? []), ...keys])] };
}
