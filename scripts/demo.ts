/**
 * `npm run demo`: starts the emulator, runs examples/quickstart (a StarRocks restore), shows the progress lines and the
 * outputs, then destroys the stack and stops the emulator.
 *
 * With a Pulumi CLI (the one `npm run pulumi:install` built, $PULUMI_RESTORE_CLI, or `pulumi` on PATH) it uses the CLI
 * and engine with a local file backend in a temporary directory. Without one
 * it runs the same program through the lifecycle harness (harness/): a test driver of the real dynamic-provider
 * host shipped in @pulumi/pulumi, not the Pulumi engine. The first line says which.
 *
 *   npm run demo [-- --cli | --harness]   (force one way)
 */
import * as path from "path";
import { RunningEmulator, seedExamples, startEmulator } from "../emulator";
import { Engine, RunResult } from "../harness/engine";
import { CliStack, NO_CLI_MESSAGE, REPO_ROOT, findPulumi } from "../harness/pulumiCli";

const QUICKSTART = path.join(REPO_ROOT, "examples", "quickstart");

function show(label: string, r: RunResult): void {
    const counts = new Map<string, number>();
    for (const s of r.steps) counts.set(s.op, (counts.get(s.op) ?? 0) + 1);
    console.log(`${label}: ${[...counts].map(([op, n]) => `${n} ${op}`).join(", ") || "no changes"}`);
    for (const e of r.errors) console.log(`  error: ${e.message}`);
}

async function viaHarness(emu: RunningEmulator): Promise<number> {
    const eng = new Engine({
        project: "pulumi-restore-quickstart",
        stack: "demo",
        config: emu.config,
        secretConfigKeys: emu.secretConfigKeys,
        onStdout: (line) => console.log(`  | ${line}`),
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the example program, loaded by path when the demo runs it
    const program = require(QUICKSTART) as () => Promise<Record<string, unknown>>;
    let failed = false;
    try {
        console.log("\n== preview");
        const pv = await eng.preview(program);
        show("preview", pv);
        console.log(`   (API calls during preview: ${emu.alicloud.server.count()})`);
        console.log("\n== up");
        const up = await eng.up(program);
        show("up", up);
        failed = up.errors.length > 0;
        console.log("Outputs:");
        for (const [k, v] of Object.entries((up.outputs ?? {}) as Record<string, unknown>))
            console.log(`    ${k}: ${JSON.stringify(v)}`);
        const inst = emu.alicloud.service.live();
        console.log(
            `Emulator: ${inst.length} instance(s): ${inst.map((i) => `${i.InstanceId} ${i.InstanceStatus}`).join(", ")}`,
        );
    } finally {
        console.log("\n== destroy");
        const d = await eng.destroy();
        show("destroy", d);
        failed = failed || d.errors.length > 0;
        const left = emu.alicloud.service.live().filter((i) => i.InstanceStatus !== "deleting");
        console.log(`Emulator after destroy: ${left.length} instance(s) left`);
        await eng.close();
    }
    return failed ? 1 : 0;
}

async function viaCli(pulumi: string, emu: RunningEmulator): Promise<number> {
    const cli = new CliStack(pulumi, `demo-${process.pid}`, { cwd: REPO_ROOT, echo: true });
    let code = 0;
    // Each step says what failed without a stack trace (the CLI's own output is already on the screen).
    const step = async (title: string, args: string[]) => {
        console.log(`\n== pulumi ${title}`);
        const r = await cli.run(args);
        if (r.code !== 0) throw new Error(`pulumi ${title} failed (exit code ${r.code})`);
    };
    try {
        await cli.init(emu.config, emu.secretConfigKeys);
        // --parallel as users should run it (docs/guides/ci.md): each restore holds one of the engine's places for
        // its whole wait, and the default (4 x CPUs) would start a larger stack in batches.
        await step("preview", ["preview", "--stack", cli.stack, "--non-interactive", "--parallel", "1000"]);
        console.log(`   (API calls during preview: ${emu.alicloud.server.count()})`);
        await step("up", [
            "up",
            "--stack",
            cli.stack,
            "--yes",
            "--skip-preview",
            "--non-interactive",
            "--parallel",
            "1000",
        ]);
        await step("stack output", ["stack", "output", "--stack", cli.stack]);
        const inst = emu.alicloud.service.live();
        console.log(
            `Emulator: ${inst.length} instance(s): ${inst.map((i) => `${i.InstanceId} ${i.InstanceStatus}`).join(", ")}`,
        );
    } catch (e) {
        console.error(e instanceof Error ? e.message : String(e));
        code = 1;
    } finally {
        try {
            await step("destroy", ["destroy", "--stack", cli.stack, "--yes", "--skip-preview", "--non-interactive"]);
        } catch (e) {
            console.error(e instanceof Error ? e.message : String(e));
            code = 1;
        }
        const left = emu.alicloud.service.live().filter((i) => i.InstanceStatus !== "deleting");
        console.log(`Emulator after destroy: ${left.length} instance(s) left`);
        await cli.remove();
    }
    return code;
}

async function main(): Promise<number> {
    const force = process.argv.includes("--harness") ? "harness" : process.argv.includes("--cli") ? "cli" : undefined;
    const found = force === "harness" ? undefined : findPulumi();
    if (force === "cli" && !found) throw new Error(`--cli: ${NO_CLI_MESSAGE}`);
    const pulumi = found?.path;
    if (found)
        console.log(
            `Running examples/quickstart with the Pulumi CLI (${found.path}, from ${found.source}), a local file backend in a temporary directory, against the emulator.`,
        );
    else
        console.log(
            `${force === "harness" ? "--harness" : `No Pulumi CLI found (run \`npm run pulumi:install\` to build one)`}: running examples/quickstart through the lifecycle harness (a test driver of the real dynamic-provider host from @pulumi/pulumi, not the Pulumi engine) against the emulator.`,
        );
    const emu = await startEmulator({ only: ["alicloud"], starrocks: { restoreMs: 4000, releaseMs: 1000 } });
    seedExamples(emu);
    console.log(`Emulator: alicloud StarRocks at ${emu.alicloud.url}; backup bk-quickstart01 seeded.`);
    try {
        return pulumi ? await viaCli(pulumi, emu) : await viaHarness(emu);
    } finally {
        await emu.stop();
    }
}

main().then(
    (code) => process.exit(code),
    (e) => {
        console.error(e instanceof Error ? e.message : String(e));
        process.exit(1);
    },
);
