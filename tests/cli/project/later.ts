import * as pulumi from "@pulumi/pulumi";

/**
 * A value known only after `pulumi up` (the output of a resource being created), so that `pulumi preview` sends the
 * engine's unknown value in its place, as a VPC id from another provider would be.
 */
class Later extends pulumi.dynamic.Resource {
    declare readonly value: pulumi.Output<unknown>;
    constructor(name: string, value: unknown) {
        super(
            {
                async create(inputs: { value: unknown }) {
                    return { id: "later", outs: { value: inputs.value } };
                },
            },
            name,
            { value, __later: true },
        );
    }
}

let n = 0;
/** `v` as an Output that is unknown during a preview of a new stack (or `v` itself when `enabled` is false). */
export function later<T>(enabled: boolean, v: T): pulumi.Input<T> {
    if (!enabled) return v;
    n += 1;
    return new Later(`later-${n}`, v).value as pulumi.Output<T>;
}
