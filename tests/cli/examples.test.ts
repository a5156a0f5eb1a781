import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { EmulatorProcess, PrintedExample, startEmulatorProcess } from "../support/emulatorProcess";
import { CliStack, FoundCli, REPO_ROOT, cliOrSkip } from "../../harness/pulumiCli";
import { isReadOnlyAction } from "../support/assertions";

const run = promisify(execFile);
// js-yaml comes with @pulumi/pulumi (which reads Pulumi.yaml with it); no types of its own here.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- js-yaml has no types here
const yaml = require("js-yaml") as { load(text: string): unknown };
const EXAMPLES = path.join(REPO_ROOT, "examples");

/**
 * The example directories that are Node.js Pulumi projects. The YAML, Python and Go examples run through the provider
 * plugin (tests/cli/plugin-yaml.test.ts and plugin-languages.test.ts run them).
 */
function exampleDirs(): string[] {
    return fs
        .readdirSync(EXAMPLES)
        .filter((d) => fs.existsSync(path.join(EXAMPLES, d, "Pulumi.yaml")))
        .filter((d) => runtimeOf(path.join(EXAMPLES, d, "Pulumi.yaml")) === "nodejs")
        .sort();
}

/** The runtime a Pulumi.yaml names (`runtime: x` or `runtime: { name: x }`). */
function runtimeOf(file: string): string | undefined {
    const project = yaml.load(fs.readFileSync(file, "utf8")) as { runtime?: string | { name?: string } };
    return typeof project.runtime === "string" ? project.runtime : project.runtime?.name;
}

/** Package names a program imports (`from "x"` / `from "@scope/x/sub"`), relative imports left out. */
function importedPackages(source: string): string[] {
    const names = [...source.matchAll(/\bfrom\s+"([^"./][^"]*)"/g)].map((m) => m[1].split("/"));
    return [...new Set(names.map((p) => (p[0].startsWith("@") ? `${p[0]}/${p[1]}` : p[0])))].sort();
}

describe("examples/: each a project of its own (Pulumi.yaml, package.json, imports of pulumi-restore)", () => {
    for (const dir of exampleDirs()) {
        it(`examples/${dir} declares every package it imports, and imports this package by its name`, () => {
            const pkg = JSON.parse(fs.readFileSync(path.join(EXAMPLES, dir, "package.json"), "utf8")) as {
                name?: string;
                main?: string;
                dependencies?: Record<string, string>;
                devDependencies?: Record<string, string>;
            };
            const source = fs.readFileSync(path.join(EXAMPLES, dir, "index.ts"), "utf8");
            assert.doesNotMatch(source, /from\s+"\.\.?\//, "no relative import: a copy of the directory stands alone");
            const imported = importedPackages(source);
            assert.ok(imported.includes("pulumi-restore"), `${dir} imports pulumi-restore`);
            for (const name of imported) assert.ok(pkg.dependencies?.[name], `${dir}/package.json declares ${name}`);
            for (const tool of ["typescript", "ts-node"]) {
                assert.ok(pkg.devDependencies?.[tool], `${dir} declares ${tool}`);
            }
            assert.equal(pkg.main, "index.ts");
            const yamlText = fs.readFileSync(path.join(EXAMPLES, dir, "Pulumi.yaml"), "utf8");
            const project = yaml.load(yamlText) as Record<string, unknown>;
            assert.equal(project.name, pkg.name, `${dir}/Pulumi.yaml names the project as its package.json does`);
            assert.deepEqual(project.runtime, { name: "nodejs", options: { typescript: true } });
            assert.ok(fs.existsSync(path.join(EXAMPLES, dir, "tsconfig.json")), `${dir}/tsconfig.json`);
        });
    }
});

/** What each cloud's inspection endpoint says exists, so that up and destroy can be seen to do their work. */
type State = Record<string, unknown[]>;
const LIVE: Record<string, (s: State) => number> = {
    alicloud: (s) =>
        (s.instances as { InstanceStatus: string }[]).filter((i) => !["deleted", "deleting"].includes(i.InstanceStatus))
            .length,
    // An in-place restore: each up that restores adds a task; destroy leaves the data as it is (documented).
    tencentcloud: (s) => (s.tasks as { Status: string }[]).filter((t) => /succeed/i.test(t.Status)).length,
    zstack: (s) => (s.vms as { state: string }[]).filter((v) => !["Destroyed", "Expunging"].includes(v.state)).length,
    jdcloud: (s) => (s.instances as { instanceStatus: string }[]).filter((i) => i.instanceStatus !== "DELETED").length,
    huaweicloud: (s) => (s.instances as { phase: string }[]).filter((i) => i.phase === "backedUp").length,
};
/** How many of those one `up` of the example makes, and how many are left after `destroy`. */
const EFFECT: Record<string, { up: number; afterDestroy: "gone" | "kept" }> = {
    alicloud: { up: 1, afterDestroy: "gone" },
    tencentcloud: { up: 1, afterDestroy: "kept" },
    zstack: { up: 1, afterDestroy: "gone" },
    jdcloud: { up: 1, afterDestroy: "gone" },
    huaweicloud: { up: 3, afterDestroy: "gone" },
};

async function cloudState(
    url: string,
): Promise<{ requests: number; counts: Record<string, number>; live: (cloud: string) => number }> {
    const r = await fetch(`${url}/_emulator/state`);
    const body = (await r.json()) as { requests: number; counts: Record<string, number>; state: State };
    return { requests: body.requests, counts: body.counts ?? {}, live: (cloud) => LIVE[cloud](body.state) };
}

/**
 * Each runnable example as a new user meets it: the package is built and packed once (`npm pack`), each example
 * directory is copied out of the repository, the tarball and the example's own dependencies are installed with npm,
 * the emulator is started from the installed package (`pulumi-restore-emulator`), and a stack gets only the
 * `pulumi config set` lines the emulator printed for that example. Then `pulumi preview`, `up` and `destroy` through
 * the CLI, with TypeScript type-checked as the Node.js runtime does by default, and nothing of this checkout's
 * sources or ts-node on the way (no NODE_OPTIONS).
 */
describe("examples/: copied out, installed from the packed package, run by the CLI on the emulator", function () {
    this.timeout(900_000);
    let pulumi: FoundCli;
    let work: string;
    let emu: EmulatorProcess | undefined;
    const installed = new Map<string, string>();

    before(async function () {
        pulumi = cliOrSkip(this);
        work = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-restore-examples-"));
        // `npm pack` runs `prepack` (npm run build) first: one build, one tarball for every example.
        const packArgs = ["pack", "--pack-destination", work, "--loglevel=error"];
        const packed = await run("npm", packArgs, { cwd: REPO_ROOT, maxBuffer: 16 << 20 });
        const tarball = path.join(work, packed.stdout.trim().split("\n").pop()!);
        assert.ok(fs.existsSync(tarball), `npm pack made ${tarball}`);
        const dirs = exampleDirs().filter((d) => d !== "alicloud-starrocks-vpc");
        // Two installs at a time share the npm cache; --prefer-offline keeps them off the network when it is warm.
        const queue = [...dirs];
        const install = async () => {
            for (let d = queue.shift(); d; d = queue.shift()) {
                const dest = path.join(work, d);
                fs.cpSync(path.join(EXAMPLES, d), dest, { recursive: true });
                const args = ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", tarball];
                await run("npm", args, {
                    cwd: dest,
                    maxBuffer: 16 << 20,
                    env: { ...process.env, npm_config_update_notifier: "false" },
                });
                installed.set(d, dest);
            }
        };
        await Promise.all([install(), install()]);
        const first = installed.get(dirs[0])!;
        // As `npx pulumi-restore-emulator` runs it: the bin of the installed package.
        const bin = path.join(first, "node_modules", ".bin", "pulumi-restore-emulator");
        emu = await startEmulatorProcess(bin, ["--restore-seconds", "1"], { cwd: first });
    });
    after(async () => {
        await emu?.stop();
        if (work) fs.rmSync(work, { recursive: true, force: true });
    });

    for (const dir of exampleDirs()) {
        if (dir === "alicloud-starrocks-vpc") continue; // needs @pulumi/alicloud's plugin and Alibaba Cloud itself
        it(`examples/${dir}: preview, up and destroy with only the lines the emulator printed for it`, async () => {
            const cwd = installed.get(dir)!;
            const printed: PrintedExample | undefined = emu!.examples.find((g) => g.example === `examples/${dir}`);
            assert.ok(printed && printed.lines.length > 0, `the emulator printed lines for examples/${dir}`);
            const project = /^name:\s*(\S+)/m.exec(fs.readFileSync(path.join(cwd, "Pulumi.yaml"), "utf8"))![1];
            assert.equal(printed.project, project);
            const cloud = /^pulumi config set (?:--secret )?(\w+):endpoint /m.exec(printed.lines.join("\n"))![1];
            const url = emu!.urls[cloud];

            const cli = new CliStack(pulumi.path, `ex-${dir}`, {
                cwd,
                // As a user's shell has it: no ts-node preloaded, the runtime's own type-check, the default poll.
                env: {
                    NODE_OPTIONS: "",
                    TS_NODE_TRANSPILE_ONLY: "",
                    PULUMI_NODEJS_TRANSPILE_ONLY: "",
                    PULUMI_RESTORE_POLL_MIN_MS: "",
                },
            });
            try {
                await cli.must(["stack", "init", cli.stack, "--non-interactive"]);
                // The printed lines, pasted into a shell in the project directory.
                const script = `set -e\n${printed.lines.map((l) => `${l} --stack ${cli.stack}`).join("\n")}\n`;
                await run("bash", ["-c", script], { cwd, env: cli.env });

                const before = await cloudState(url);
                const pv = await cli.preview();
                assert.equal(pv.code, 0, pv.stdout + pv.stderr);
                assert.match(pv.stdout, /\+ .*create|create/);
                // A preview changes nothing: at most it looks a backupSelector's backup up (read-only).
                const afterPreview = await cloudState(url);
                const changing = Object.keys(afterPreview.counts).filter(
                    (a) => !isReadOnlyAction(a) && afterPreview.counts[a] !== (before.counts[a] ?? 0),
                );
                assert.deepEqual(changing, [], "preview calls no cloud API but read-only look-ups");
                assert.equal(afterPreview.live(cloud), before.live(cloud), "preview creates nothing");

                const up = await cli.up();
                assert.equal(up.code, 0, up.stdout + up.stderr);
                const afterUp = await cloudState(url);
                assert.equal(afterUp.live(cloud) - before.live(cloud), EFFECT[cloud].up, `up on ${cloud}`);
                const outputs = await cli.outputs();
                assert.ok(Object.keys(outputs).length > 0, "the stack has outputs");

                const d = await cli.destroy();
                assert.equal(d.code, 0, d.stdout + d.stderr);
                const left = (await cloudState(url)).live(cloud);
                const expected = EFFECT[cloud].afterDestroy === "gone" ? before.live(cloud) : afterUp.live(cloud);
                assert.equal(left, expected, `after destroy on ${cloud}`);
            } finally {
                await cli.remove();
            }
        });
    }
});
