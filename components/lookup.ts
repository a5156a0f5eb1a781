import * as pulumi from "@pulumi/pulumi";
import { ConfigSource } from "../provider/core/config";

/**
 * The stack configuration as the program sees it, in the shape the providers' `configure` receives: the lookup
 * functions resolve credentials, region and endpoint from the same keys (then the same environment variables) as the
 * resources. Read through the runtime (not `pulumi.Config.get`), so secret keys are read without a warning and never
 * printed.
 */
export function stackConfig(): ConfigSource {
    return { get: (key: string) => pulumi.runtime.getConfig(key) };
}

/** Runs a Promise function on arguments given as Inputs, as an Output (the `getXOutput` form of Pulumi packages). */
export function outputOf<A, R>(args: pulumi.Input<A> | Record<string, unknown>, fn: (a: A) => Promise<R>): pulumi.Output<R> {
    return pulumi.output(args as pulumi.Input<A>).apply((a) => fn(a as unknown as A)) as unknown as pulumi.Output<R>;
}
