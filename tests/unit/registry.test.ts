import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { CLOUDS, CLOUD_NAMES, CloudEntry, CloudName, allResources, cloudModule } from "../../clouds";
import * as pkg from "../../index";
import { RESOURCES, tokenOf } from "../../plugin/resources";
import { CLOUD_SETTINGS } from "../../plugin/config";
import { FUNCTIONS } from "../../plugin/functions";
import { KINDS } from "../../policy/resources";
import { exampleConfigs, seedExamples, startEmulator } from "../../emulator";

// The registry (clouds.ts) is the one list of clouds. What derives from it is checked where it is used; this file
// checks what cannot derive: the package's exports, the modules each entry names, the docs, and the policy pack.

const ROOT = path.resolve(__dirname, "../..");

/** Compiles only when the package exports a namespace for every cloud of the registry. */
const EXPORTS_EVERY_CLOUD: Record<CloudName, unknown> = pkg;

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the modules the registry names, loaded by their path
const load = (c: CloudEntry, m: string) => require(path.join(ROOT, cloudModule(c, m))) as Record<string, unknown>;
const METHODS = ["configure", "check", "diff", "create", "read", "update", "delete"];

describe("registry: clouds.ts lists every cloud, and what it names exists", () => {
    it("is data only: it imports nothing (the emulator reads it, and shares no code with the client)", () => {
        const src = fs.readFileSync(path.join(ROOT, "clouds.ts"), "utf8");
        assert.doesNotMatch(src, /^\s*(import|export)\b[^;]*\bfrom\s*["']|\brequire\s*\(|\bimport\s*\(/m);
    });

    it("names each cloud once; each has its folder, its docs page and its emulator", () => {
        assert.equal(new Set(CLOUD_NAMES).size, CLOUDS.length);
        for (const c of CLOUDS) {
            assert.ok(fs.statSync(path.join(ROOT, "provider", c.name)).isDirectory(), `provider/${c.name}/`);
            assert.ok(fs.existsSync(path.join(ROOT, c.docs)), c.docs);
            assert.ok(fs.statSync(path.join(ROOT, "emulator", c.name)).isDirectory(), `emulator/${c.name}/`);
            for (const e of c.examples) assert.ok(fs.existsSync(path.join(ROOT, e.dir, "Pulumi.yaml")), e.dir);
        }
    });

    it("index.ts exports exactly one namespace per cloud, holding each resource class at its module path", () => {
        assert.deepEqual(Object.keys(EXPORTS_EVERY_CLOUD).sort(), [...CLOUD_NAMES].sort());
        for (const r of allResources()) {
            const ns = r.cloud.module.split("/").reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], pkg);
            const cls = (ns as Record<string, unknown>)[r.type];
            assert.equal(typeof cls, "function", `${r.cloud.module.replace("/", ".")}.${r.type}`);
            assert.equal(load(r.cloud, r.resource)[r.type], cls, `${r.resource} exports ${r.type}`);
        }
    });

    it("every module of a resource exports what its role needs", async () => {
        for (const r of allResources()) {
            const provider = load(r.cloud, r.provider).provider as Record<string, unknown>;
            assert.deepEqual(
                METHODS.filter((m) => typeof provider?.[m] !== "function"),
                [],
                `${r.provider}.provider`,
            );
            const entry = load(r.cloud, r.entry);
            assert.deepEqual(
                METHODS.filter((m) => typeof entry[m] !== "function"),
                [],
                r.entry,
            );
            if (r.kind === "restore") {
                assert.ok(r.inputs, `${r.key}: a restore names its inputs module`);
                const inputs = load(r.cloud, r.inputs);
                for (const k of ["SECRET_INPUTS", "INPUT_KEYS", "OUTPUT_KEYS"]) assert.ok(Array.isArray(inputs[k]), k);
            }
            const imp = r.plugin?.import;
            if (imp) assert.equal(typeof load(r.cloud, imp.module).importer, "function", imp.module);
        }
        for (const c of CLOUDS as readonly CloudEntry[]) {
            if (c.lookup) assert.equal(typeof load(c, c.lookup).backupsWithConfig, "function", c.lookup);
            const creds = load(c, "credentials");
            assert.ok(creds.SETTINGS && Array.isArray(creds.SECRET_KEYS), `${c.name}/credentials`);
        }
    });

    it("the plugin serves what the registry marks, configures every cloud, and has every cloud's lookups", () => {
        const marked = allResources().filter((r) => r.plugin);
        assert.deepEqual(
            RESOURCES.map(tokenOf),
            marked.map((r) => `pulumi-restore:${r.key}`),
        );
        assert.deepEqual(
            CLOUD_SETTINGS.map((c) => c.namespace),
            CLOUD_NAMES,
        );
        assert.deepEqual(
            FUNCTIONS.map((f) => f.module),
            (CLOUDS as readonly CloudEntry[]).filter((c) => c.lookup).map((c) => c.module),
        );
    });

    it("the docs: the README names every cloud's namespace; docs/README.md and docs/contracts.md have its row", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const index = fs.readFileSync(path.join(ROOT, "docs/README.md"), "utf8");
        const contracts = fs.readFileSync(path.join(ROOT, "docs/contracts.md"), "utf8");
        for (const c of CLOUDS as readonly CloudEntry[]) {
            assert.ok(readme.includes(`\`${c.module.replace("/", ".")}\``), `README: ${c.module}`);
            const page = path.basename(c.docs);
            const row = index.split("\n").find((l) => l.startsWith(`| [${page}](${page}) |`));
            assert.ok(row, `docs/README.md: a row for ${page}`);
            for (const r of c.resources) assert.ok(row.includes(`${r.type}\``), `docs/README.md: ${c.name} ${r.type}`);
            assert.ok(fs.existsSync(path.join(ROOT, `docs/contracts/${c.name}.md`)), `docs/contracts/${c.name}.md`);
            assert.ok(
                contracts.includes(`contracts/${c.name}.md`),
                `docs/contracts.md links docs/contracts/${c.name}.md`,
            );
        }
    });

    it("the suites written case by case have a case for every restore resource (or cloud) of the registry", () => {
        // Suites whose cases are hand-written per resource rather than derived from perRestore/perCloud: each must
        // name every restore resource of the registry in a case's title, so a new resource cannot be left out quietly.
        const read = (f: string) => fs.readFileSync(path.join(ROOT, f), "utf8");
        const titled = (text: string, name: string) => text.includes(`it("${name}:`) || text.includes(`name: "${name}`);
        const restores = allResources().filter((r) => r.kind === "restore");
        for (const f of ["tests/reliability/secret-scan.test.ts", "tests/reliability/secret-echo.test.ts"]) {
            const text = read(f);
            for (const r of restores) {
                const name = `${r.cloud.module.replace(/\//g, ".")}.${r.type}`;
                assert.ok(titled(text, name), `${f}: no case for ${name}`);
            }
        }
        const wire = read("tests/reliability/wire-fidelity.test.ts");
        for (const c of CLOUDS as readonly CloudEntry[])
            assert.ok(new RegExp(`it\\("${c.name}\\b`).test(wire), `wire-fidelity: no case for ${c.name}`);
    });

    it("the policy pack (a package of its own) recognises only resources of the registry", () => {
        const keys = new Set<string>(allResources().map((r) => r.key));
        assert.deepEqual(
            KINDS.filter((k) => !keys.has(k)),
            [],
        );
        assert.deepEqual(
            CLOUD_NAMES.filter((c) => !KINDS.some((k) => k.startsWith(`${c}/`) || k.startsWith(`${c}:`))),
            [],
            "every cloud has a kind the policies know",
        );
    });

    it("the emulator starts every cloud of the registry, and prints config lines for each registered example", async () => {
        const emu = await startEmulator();
        try {
            for (const c of CLOUD_NAMES) assert.ok(emu[c]?.url, `emulator of ${c}`);
            const examples = exampleConfigs(emu, seedExamples(emu)).map((e) => e.example);
            assert.deepEqual(
                [...examples].sort(),
                CLOUDS.flatMap((c: CloudEntry) => c.examples.map((e) => e.dir)).sort(),
            );
        } finally {
            await emu.stop();
        }
    });
});
