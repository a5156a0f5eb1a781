#!/usr/bin/env node
/**
 * Starts the emulator of every cloud on 127.0.0.1, seeds the backups and instances the example programs use, and
 * prints the endpoints and the `pulumi config set` lines that point a stack at it.
 *
 *   pulumi-restore-emulator [--restore-seconds N] [--port-<cloud> N]   (cloud: alicloud, tencentcloud, zstack, jdcloud, huaweicloud)
 */
import { CLOUD_NAMES, CloudName, seedExamples, startEmulator } from "./index";

function arg(name: string): string | undefined {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
    const restoreSeconds = Number(arg("--restore-seconds") ?? 5);
    if (!Number.isFinite(restoreSeconds) || restoreSeconds < 0) throw new Error("--restore-seconds must be a number of seconds ≥ 0");
    const ms = restoreSeconds * 1000;
    const ports: Partial<Record<CloudName, number>> = {};
    for (const c of CLOUD_NAMES) {
        const p = arg(`--port-${c}`);
        if (p !== undefined) ports[c] = Number(p);
    }
    const emu = await startEmulator({
        ports,
        starrocks: { restoreMs: ms },
        tencentcloud: { prepareMs: ms / 3, runMs: (2 * ms) / 3 },
        zstack: { createMs: ms / 2, startMs: ms / 2 },
        jdcloud: { buildMs: ms },
        huaweicloud: { backupMs: ms, restoreMs: ms },
    });
    const seeds = seedExamples(emu);
    console.log(`pulumi-restore emulator running (Ctrl-C to stop)`);
    for (const c of CLOUD_NAMES) console.log(`  ${c.padEnd(12)} ${emu[c].url}   (inspect: GET ${emu[c].url}/_emulator/state)`);
    console.log(`Seeded for the examples: ${JSON.stringify(seeds)}`);
    console.log(`Point a stack at it:`);
    for (const [k, v] of Object.entries(emu.config)) console.log(`  pulumi config set ${emu.secretConfigKeys.includes(k) ? "--secret " : ""}${k} ${v}`);
    const stop = async () => {
        await emu.stop();
        process.exit(0);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
}

main().catch((e) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
});
