import * as pulumi from "@pulumi/pulumi";

/**
 * A value known only after `pulumi up` (the output of a resource being created), so that `pulumi preview` sends the
 * engine's unknown value in its place, as a VPC id from another provider would be. The output has a name of its own:
 * in a preview the engine takes a new resource's inputs as its outputs, so an output named like an input is known.
 */
class Later extends pulumi.dynamic.Resource {
    declare readonly resolved: pulumi.Output<unknown>;
    constructor(name: string, value: unknown) {
        super(
            {
                async create(inputs: { value: unknown }) {
                    return { id: "later", outs: { value: inputs.value, resolved: inputs.value } };
                },
            },
            name,
            { value, resolved: undefined },
        );
    }
}

let n = 0;
/** `v` as an Output that is unknown during a preview of a new stack (or `v` itself when `enabled` is false). */
export function later<T>(enabled: boolean, v: T): pulumi.Input<T> {
    if (!enabled) return v;
    n += 1;
    return new Later(`later-${n}`, v).resolved as pulumi.Output<T>;
}
