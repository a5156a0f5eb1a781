#!/usr/bin/env node
/**
 * Starts the emulator of every cloud on 127.0.0.1 and prints the endpoints and the `pulumi config set` lines that
 * point a stack at it. Seeds one StarRocks backup (`bk-quickstart01`) so that a first restore works at once.
 *
 *   pulumi-restore-emulator [--port-alicloud N] [--restore-seconds N]
 */
import { startEmulator } from "./index";

function arg(name: string): string | undefined {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
    const restoreSeconds = Number(arg("--restore-seconds") ?? 5);
    const emu = await startEmulator({
        ports: { alicloud: arg("--port-alicloud") ? Number(arg("--port-alicloud")) : undefined },
        starrocks: { restoreMs: restoreSeconds * 1000 },
    });
    emu.alicloud.service.seed("backup", { BackupTaskId: "bk-quickstart01", RegionId: "cn-hangzhou" });
    console.log(`pulumi-restore emulator running (Ctrl-C to stop)`);
    console.log(`  alicloud starrocks: ${emu.alicloud.url}   (inspect: GET ${emu.alicloud.url}/_emulator/state)`);
    console.log(`  seeded backup: bk-quickstart01 in cn-hangzhou`);
    console.log(`Point a stack at it:`);
    for (const [k, v] of Object.entries(emu.config)) console.log(`  pulumi config set ${/secret/i.test(k) ? "--secret " : ""}${k} ${v}`);
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
