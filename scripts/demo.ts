/**
 * `npm run demo`: starts the emulator, runs examples/quickstart (a StarRocks restore), shows the progress lines and the
 * outputs, then destroys the stack and stops the emulator.
 *
 * With a `pulumi` binary on PATH it uses the Pulumi CLI with a local file backend in a temporary directory. Without one
 * it runs the same program through the lifecycle harness (tests/harness): a test driver of the real dynamic-provider
 * host shipped in @pulumi/pulumi, not the Pulumi engine. The first line says which.
 *
 *   npm run demo [-- --cli | --harness]   (force one way)
 */
import * as path from "path";
import { RunningEmulator, seedExamples, startEmulator } from "../emulator";
import { Engine, RunResult } from "../tests/harness/engine";
import { CliStack, REPO_ROOT, pulumiOnPath } from "../tests/support/pulumiCli";

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
    // eslint-disable-next-line @typescript-eslint/no-var-requires
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
        for (const [k, v] of Object.entries((up.outputs ?? {}) as Record<string, unknown>)) console.log(`    ${k}: ${JSON.stringify(v)}`);
        const inst = emu.alicloud.service.live();
        console.log(`Emulator: ${inst.length} instance(s): ${inst.map((i) => `${i.InstanceId} ${i.InstanceStatus}`).join(", ")}`);
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
    const cli = new CliStack(pulumi, "demo", REPO_ROOT, true);
    let code = 0;
    try {
        await cli.init(emu.config, emu.secretConfigKeys);
        console.log("\n== pulumi preview");
        await cli.must(["preview", "--stack", cli.stack, "--non-interactive"]);
        console.log("\n== pulumi up");
        await cli.must(["up", "--stack", cli.stack, "--yes", "--skip-preview", "--non-interactive"]);
        await cli.must(["stack", "output", "--stack", cli.stack]);
    } catch (e) {
        console.error(e instanceof Error ? e.message : String(e));
        code = 1;
    } finally {
        console.log("\n== pulumi destroy");
        if ((await cli.destroy()).code !== 0) code = 1;
        await cli.remove();
    }
    return code;
}

async function main(): Promise<number> {
    const force = process.argv.includes("--harness") ? "harness" : process.argv.includes("--cli") ? "cli" : undefined;
    const pulumi = force === "harness" ? undefined : pulumiOnPath();
    if (force === "cli" && !pulumi) throw new Error("--cli: no `pulumi` binary on PATH");
    if (pulumi) console.log(`Running examples/quickstart with the Pulumi CLI (${pulumi}), a local file backend in a temporary directory, against the emulator.`);
    else
        console.log(
            "No `pulumi` binary on PATH: running examples/quickstart through the lifecycle harness (a test driver of the real dynamic-provider host from @pulumi/pulumi, not the Pulumi engine) against the emulator.",
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
