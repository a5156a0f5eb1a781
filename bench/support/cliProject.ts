/**
 * The Pulumi project the engine benchmarks run through the real CLI: one JavaScript program, written into the
 * program directory where the packed package is installed, that declares N resources of one of four kinds, chosen by
 * stack config:
 *
 * - `bench:host` `dynamic`: ours are the package's dynamic resources (`tencentcloud.redis.InstanceRestore`,
 *   `alicloud.starrocks.RestoredInstance`), served by @pulumi/pulumi's dynamic-provider host; the no-op stack is a
 *   dynamic resource whose provider answers at once, with the same inputs and the same output names;
 * - `bench:host` `plugin`: ours are the same two types through the provider plugin (`pulumi-restore:...` custom
 *   resources, as a generated SDK registers them: inputs, and every output as undefined); the no-op stack goes to a
 *   provider plugin written here ({@link NOOP_PLUGIN_DIR}) with the two types' properties under another package name.
 *
 * `bench:kind` is `ours` or `noop`, `bench:count` the number of resources (half Tencent, half StarRocks, Tencent
 * gets the smaller half). Plain JavaScript, so that no compiler runs in the measured time; the package is the
 * installed tarball, as users get it.
 */
import { mkdirSync, readFileSync, writeFileSync } from "fs";
import * as path from "path";

/** The directory, inside the program directory, of the no-op provider plugin. */
export const NOOP_PLUGIN_DIR = "bench-noop-plugin";
/** The no-op plugin's package name (its types are `bench-noop:index:<Name>`). */
export const NOOP_PACKAGE = "bench-noop";
export const TC_TYPE = "pulumi-restore:tencentcloud/redis:InstanceRestore";
export const SR_TYPE = "pulumi-restore:alicloud/starrocks:RestoredInstance";

/** The resources of one stack: `tc-<i>` Tencent, `sr-<i>` StarRocks. */
export function split(count: number): { tencent: number; starrocks: number } {
    const tencent = Math.floor(count / 2);
    return { tencent, starrocks: count - tencent };
}

export const tcInstanceId = (i: number): string => `crs-${String(i).padStart(8, "0")}`;
export const tcBackupId = (i: number): string => `b-${i}`;
export const srBackupTaskId = (i: number): string => `bk-bench${String(i).padStart(5, "0")}`;

const PROGRAM = `"use strict";
// Written by bench/support/cliProject.ts: N restores (ours) or N no-op resources of the same shape.
const pulumi = require("@pulumi/pulumi");
const schema = require("pulumi-restore/plugin/schema.json");
const c = new pulumi.Config("bench");
const kind = c.require("kind");
const host = c.require("host");
const count = c.requireNumber("count");
const TC = ${JSON.stringify(TC_TYPE)};
const SR = ${JSON.stringify(SR_TYPE)};
const outputsOf = (t) => {
    const r = schema.resources[t];
    return Object.keys(r.properties).filter((k) => !(k in r.inputProperties));
};
const withOutputs = (t, inputs) => {
    const props = { ...inputs };
    for (const k of outputsOf(t)) if (!(k in props)) props[k] = undefined;
    return props;
};
const tencent = Math.floor(count / 2);
const pad = (i, n) => String(i).padStart(n, "0");
const tcArgs = (i) => ({ instanceId: "crs-" + pad(i, 8), backupId: "b-" + i, timeouts: { create: "30m" } });
const srArgs = (i) => ({ backupTaskId: "bk-bench" + pad(i, 5), instanceName: "sr-" + i, timeouts: { create: "30m" } });

let declare;
if (kind === "ours" && host === "dynamic") {
    const pr = require("pulumi-restore");
    declare = (t, name, args) =>
        t === TC ? new pr.tencentcloud.redis.InstanceRestore(name, args) : new pr.alicloud.starrocks.RestoredInstance(name, args);
} else if (kind === "ours" && host === "plugin") {
    declare = (t, name, args) => new pulumi.CustomResource(t, name, withOutputs(t, args));
} else if (kind === "noop" && host === "dynamic") {
    // A package in node_modules, as ours is: the SDK serializes it as a require(), not by value.
    const provider = require("bench-noop-dynamic");
    class Noop extends pulumi.dynamic.Resource {
        constructor(t, name, args) {
            // Like ours: the inputs, a restore token and the name, and every output passed as undefined.
            const props = withOutputs(t, { ...args, restoreToken: "prt-" + name, __resourceName: name });
            props.__outputs = outputsOf(t);
            super(provider, name, props, {}, "bench/noop", t === TC ? "InstanceRestore" : "RestoredInstance");
        }
    }
    declare = (t, name, args) => new Noop(t, name, args);
} else if (kind === "noop" && host === "plugin") {
    const token = (t) => ${JSON.stringify(NOOP_PACKAGE)} + ":index:" + (t === TC ? "InstanceRestore" : "RestoredInstance");
    declare = (t, name, args) => new pulumi.CustomResource(token(t), name, withOutputs(t, args));
} else throw new Error("bench: unknown kind/host " + kind + "/" + host);

for (let i = 0; i < count - tencent; i++) {
    if (i < tencent) declare(TC, "tc-" + i, tcArgs(i));
    declare(SR, "sr-" + i, srArgs(i));
}
`;

/** The no-op dynamic provider (a package of the program): check keeps the inputs, diff finds nothing, create answers. */
const NOOP_DYNAMIC = `"use strict";
// Written by bench/support/cliProject.ts: a dynamic provider that does nothing, for the engine's own cost.
module.exports = {
    check: async (olds, news) => ({ inputs: news }),
    diff: async () => ({ changes: false }),
    create: async (inputs) => {
        const outs = { ...inputs };
        for (const k of inputs.__outputs || []) outs[k] = "noop";
        return { id: "noop-" + inputs.__resourceName, outs };
    },
    update: async (id, olds, news) => ({ outs: { ...olds, ...news } }),
    delete: async () => {},
};
`;

function noopPlugin(schema: { resources: Record<string, { properties: object; inputProperties: object }> }): string {
    const outputs: Record<string, string[]> = {};
    for (const [t, name] of [
        [TC_TYPE, "InstanceRestore"],
        [SR_TYPE, "RestoredInstance"],
    ] as const) {
        const r = schema.resources[t];
        outputs[`${NOOP_PACKAGE}:index:${name}`] = Object.keys(r.properties).filter((k) => !(k in r.inputProperties));
    }
    const noopSchema = {
        name: NOOP_PACKAGE,
        version: "0.0.1",
        resources: Object.fromEntries(
            Object.entries(outputs).map(([token]) => {
                const ours = schema.resources[token.endsWith("InstanceRestore") ? TC_TYPE : SR_TYPE];
                return [token, { properties: ours.properties, inputProperties: ours.inputProperties }];
            }),
        ),
    };
    return `"use strict";
// Written by bench/support/cliProject.ts: a provider plugin that does nothing, for the engine's own cost.
const { main } = require("@pulumi/pulumi/provider");
const OUTPUTS = ${JSON.stringify(outputs)};
const SCHEMA = ${JSON.stringify(JSON.stringify(noopSchema))};
const provider = {
    version: "0.0.1",
    schema: SCHEMA,
    async check(urn, olds, news) { return { inputs: news }; },
    async diff() { return { changes: false }; },
    async create(urn, inputs) {
        const type = urn.split("::")[2];
        const outs = { ...inputs };
        for (const k of OUTPUTS[type] || []) outs[k] = "noop";
        return { id: "noop-" + urn.split("::").pop(), outs };
    },
    async read(id, props) { return { id, props }; },
    async update(id, urn, olds, news) { return { outs: { ...olds, ...news } }; },
    async delete() {},
};
main(provider, process.argv.slice(2)).catch((e) => { console.error(e); process.exit(1); });
`;
}

/** Writes the project (Pulumi.yaml, the program, the no-op providers) into `programDir`, next to its node_modules. */
export function writeCliProject(programDir: string, project = "bench-engine"): void {
    const schema = JSON.parse(
        readFileSync(path.join(programDir, "node_modules", "pulumi-restore", "plugin", "schema.json"), "utf8"),
    );
    writeFileSync(
        path.join(programDir, "Pulumi.yaml"),
        [
            `name: ${project}`,
            "runtime: nodejs",
            "main: bench-program.js",
            "plugins:",
            "  providers:",
            "    - name: pulumi-restore",
            "      path: ./node_modules/pulumi-restore/plugin",
            `    - name: ${NOOP_PACKAGE}`,
            `      path: ./${NOOP_PLUGIN_DIR}`,
            "",
        ].join("\n"),
    );
    writeFileSync(path.join(programDir, "bench-program.js"), PROGRAM);
    const dyn = path.join(programDir, "node_modules", "bench-noop-dynamic");
    mkdirSync(dyn, { recursive: true });
    writeFileSync(
        path.join(dyn, "package.json"),
        JSON.stringify({ name: "bench-noop-dynamic", version: "0.0.1", main: "index.js" }),
    );
    writeFileSync(path.join(dyn, "index.js"), NOOP_DYNAMIC);
    mkdirSync(path.join(programDir, NOOP_PLUGIN_DIR), { recursive: true });
    writeFileSync(path.join(programDir, NOOP_PLUGIN_DIR, "PulumiPlugin.yaml"), "runtime: nodejs\n");
    writeFileSync(path.join(programDir, NOOP_PLUGIN_DIR, "index.js"), noopPlugin(schema));
}
