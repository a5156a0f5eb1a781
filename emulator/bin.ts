#!/usr/bin/env node
/**
 * Starts the emulator of every cloud on 127.0.0.1, seeds the backups and instances the example programs use, and
 * prints the endpoints and, for each example, the `pulumi config set` lines its stack needs.
 *
 *   pulumi-restore-emulator [--restore-seconds N] [--port-<cloud> PORT]   (--help for details)
 */
import { UsageError, parseEmulatorArgs, usage } from "./cli";
import { CLOUD_NAMES, configSetLines, exampleConfigs, seedExamples, startEmulator } from "./index";

async function main(): Promise<void> {
    const cmd = parseEmulatorArgs(process.argv.slice(2));
    if (cmd.kind === "help") {
        console.log(usage());
        return;
    }
    const ms = cmd.restoreSeconds * 1000;
    const emu = await startEmulator({
        ports: cmd.ports,
        starrocks: { restoreMs: ms },
        tencentcloud: { prepareMs: ms / 3, runMs: (2 * ms) / 3 },
        zstack: { createMs: ms / 2, startMs: ms / 2 },
        jdcloud: { buildMs: ms },
        huaweicloud: { backupMs: ms, restoreMs: ms },
    }).catch((e: unknown) => {
        // The one start failure a user causes: a port given with --port-<cloud> that is taken.
        const m = /EADDRINUSE.*:(\d+)/.exec(e instanceof Error ? e.message : "");
        const cloud = m && CLOUD_NAMES.find((c) => String(cmd.ports[c]) === m[1]);
        if (!cloud) throw e;
        const hint = "choose another, or leave the option out for a free one";
        throw new UsageError(`--port-${cloud} ${m[1]}: that port is in use; ${hint}`);
    });
    const seeds = seedExamples(emu);
    console.log(`pulumi-restore emulator: the five clouds on 127.0.0.1`);
    for (const c of CLOUD_NAMES) {
        console.log(`  ${c.padEnd(12)} ${emu[c].url}   (inspect: GET ${emu[c].url}/_emulator/state)`);
    }
    console.log(`Seeded for the examples: ${JSON.stringify(seeds)}`);
    console.log(``);
    console.log(`To run an example: copy its directory, \`npm install\`, \`pulumi stack init\`,`);
    console.log(`paste its lines below, then \`pulumi up\`. The YAML, Python and Go examples run through the provider`);
    console.log(
        `plugin, which reads its own keys (\`--path pulumi-restore:<cloud>.<key>\`); their README.md says what to install.`,
    );
    for (const ex of exampleConfigs(emu, seeds)) {
        console.log(``);
        console.log(`${ex.example} (project ${ex.project}):`);
        for (const line of configSetLines(ex)) console.log(`  ${line}`);
    }
    // Last, so that whoever reads this output (a person or a script) knows everything above is complete.
    console.log(`\nThe emulator is running: Ctrl-C to stop.`);
    const stop = async () => {
        await emu.stop();
        process.exit(0);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
}

main().catch((e) => {
    if (e instanceof UsageError) {
        console.error(`pulumi-restore-emulator: ${e.message}\nRun with --help for the options.`);
        process.exit(2);
    }
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
});
