import { strict as assert } from "assert";
import * as path from "path";
import { RunningEmulator, startEmulator } from "../../emulator";
import { DrillReport } from "../../provider/core/drill";
import { CliStack, cliOrSkip, describeResult } from "../../harness/pulumiCli";
import { freePort } from "../support/ports";

/**
 * Restore drills through the real Pulumi CLI and engine, against the emulator, for the four clouds that have them
 * (StarRocks, JD Cloud RDS, ZStack, Tencent Cloud Redis), all in one stack: a passing monthly drill each, a re-run by a new month, and a
 * failing drill (the up fails with the report; nothing is left in the emulator).
 */
const PROJECT = path.join(__dirname, "drill-project");
const PASSWORD = "Cli-Dr1ll-Pa55word-42";
const VERIFY_OK = 'echo "rows ok on $DRILL_INSTANCE_ID ($DRILL_PASSWORD)"';
const SUBJECTS = ["alicloud", "jdcloud", "zstack", "tencentcloud"] as const;
/** The Tencent drill's source instance (CloneInstances clones its backup; the source is never touched). */
const REDIS_SOURCE = "crs-clidrs01";
/** Drill marks (the tag each scratch instance carries): Tencent scratch clones are told from the source by it. */
const MARK = "pulumi-restore-token";
/** The call each cloud restores with. */
const RESTORE: Record<(typeof SUBJECTS)[number], string> = {
    alicloud: "RestoreInstance",
    jdcloud: "createInstanceFromBackup",
    zstack: "CreateVmFromVmBackup",
    tencentcloud: "CloneInstances",
};

describe("Pulumi CLI and engine: RestoreDrill (StarRocks, JD Cloud RDS, ZStack, Tencent Cloud Redis)", function () {
    this.timeout(400_000);
    let emu: RunningEmulator;
    let stack: CliStack;
    let zs: { backup: string; instanceOfferingUuid: string; l3NetworkUuid: string; tcpPort: number };
    /** The program's one config value (tests/cli/drill-project/index.ts). */
    const drill = (month: string, verify: string) =>
        JSON.stringify({
            subjects: SUBJECTS,
            month,
            verify,
            alicloud: { backup: "bk-cli-drill01" },
            jdcloud: { backup: "bk-cli-drill02", backupSource: "mysql-clisrc001" },
            zstack: zs,
            tencentcloud: { backup: "cli-drill-backup-01", sourceInstanceId: REDIS_SOURCE },
        });
    /** Scratch instances or VMs left in each emulated cloud (destroyed-but-not-expunged VMs count). */
    const left = () => ({
        alicloud: emu.alicloud.service.live().length,
        jdcloud: emu.jdcloud.service.live().length,
        zstack: emu.zstack.service.allVms().length,
        tencentcloud: emu.tencentcloud.service.live().filter((i) => i.Tags.some((t) => t.TagKey === MARK)).length,
    });
    const none = { alicloud: 0, jdcloud: 0, zstack: 0, tencentcloud: 0 };
    const restores = () => SUBJECTS.map((s) => emu[s].server.count(RESTORE[s]));

    before(async function () {
        const cli = cliOrSkip(this);
        emu = await startEmulator({
            only: [...SUBJECTS],
            starrocks: { restoreMs: 600, releaseMs: 200 },
            jdcloud: { buildMs: 600, deleteMs: 200 },
            zstack: { createMs: 600, startMs: 100, destroyMs: 100, expungeMs: 100 },
            tencentcloud: { cloneMs: 600, destroyMs: 100, cleanUpMs: 100 },
        });
        // Tencent: each clone's port served on 127.0.0.1 while it exists (a real TCP check); the source keeps running.
        emu.tencentcloud.service.serveTcp = true;
        emu.tencentcloud.service.seed("instance", { InstanceId: REDIS_SOURCE, Password: "Cli-Source-Pa55word" });
        emu.tencentcloud.service.seed("backup", { InstanceId: REDIS_SOURCE, BackupId: "cli-drill-backup-01" });
        emu.alicloud.service.seed("backup", { BackupTaskId: "bk-cli-drill01", RegionId: "cn-hangzhou" });
        // JD: each instance's port served on 127.0.0.1 while it exists, so the TCP check is a real connection.
        emu.jdcloud.service.serveTcp = true;
        emu.jdcloud.service.seed("backup", {
            backupId: "bk-cli-drill02",
            engine: "MySQL",
            instanceId: "mysql-clisrc001",
        });
        // ZStack: VM addresses on loopback, each VM listening on tcpPort there while it exists.
        const svc = emu.zstack.service;
        const l3 = svc.seed("l3Network", { prefix: "127.0.0." }) as { uuid: string };
        const off = svc.seed("instanceOffering", {}) as { uuid: string };
        const group = svc.seed("backupGroup", { l3NetworkUuids: [l3.uuid] }) as { uuid: string };
        const tcpPort = await freePort();
        svc.serveTcpPort = tcpPort;
        zs = { backup: group.uuid, instanceOfferingUuid: off.uuid, l3NetworkUuid: l3.uuid, tcpPort };
        stack = new CliStack(cli.path, "cli-drill", { cwd: PROJECT });
        const emuConfig = Object.fromEntries(
            Object.entries(emu.config).filter(([k]) => SUBJECTS.some((c) => k.startsWith(`${c}:`))),
        );
        await stack.init({ ...emuConfig, drill: drill("2026-11", VERIFY_OK), password: PASSWORD }, [
            ...emu.secretConfigKeys,
            "password",
        ]);
    });
    after(async () => {
        if (stack) {
            await stack.destroy();
            await stack.remove();
        }
        if (emu) {
            assert.deepEqual(left(), none, "no scratch instance is left");
            await emu.stop();
        }
    });

    it("up runs a passing drill per cloud; a new month runs them again; failing drills fail the up with their reports", async () => {
        const up = await stack.up();
        assert.equal(up.code, 0, describeResult(up));
        const out = (await stack.outputs()) as { passed: Record<string, boolean>; report: Record<string, DrillReport> };
        for (const s of SUBJECTS) {
            const report = out.report[s];
            assert.equal(out.passed[s], true, `${s}: ${JSON.stringify(report)}`);
            assert.equal(report.result, "passed");
            assert.match(report.checks.find((c) => c.name === "verify")!.outputTail!, /rows ok on \S+ \(\*\*\*\)/);
            assert.equal(report.scratchDeleted, true);
            assert.ok(
                report.recoveryPointSeconds !== undefined && report.recoveryPointSeconds >= 0,
                `${s}: recovery point`,
            );
        }
        // Where the API reports an address, the TCP check made a real connection; StarRocks reports none.
        assert.equal(out.report.jdcloud.checks.find((c) => c.name === "tcp")!.result, "passed");
        assert.equal(out.report.zstack.checks.find((c) => c.name === "tcp")!.result, "passed");
        assert.equal(out.report.tencentcloud.checks.find((c) => c.name === "tcp")!.result, "passed");
        assert.equal(out.report.alicloud.checks.find((c) => c.name === "tcp")!.result, "skipped");
        assert.deepEqual(left(), none);
        assert.deepEqual(restores(), [1, 1, 1, 1]);
        // The Tencent drill cloned: the source was never restored over, and it still runs.
        assert.equal(emu.tencentcloud.server.count("RestoreInstance"), 0);
        assert.ok(emu.tencentcloud.service.live().some((i) => i.InstanceId === REDIS_SOURCE));
        assert.ok(!(await stack.exportState()).includes(PASSWORD), "no password in state in plaintext");
        assert.ok(!up.stdout.includes(PASSWORD) && !up.stderr.includes(PASSWORD));

        await stack.setConfig({ drill: drill("2026-12", VERIFY_OK) });
        const rerun = await stack.up();
        assert.equal(rerun.code, 0, describeResult(rerun));
        assert.match(rerun.stdout, /4 replaced/);
        assert.deepEqual(restores(), [2, 2, 2, 2], "the new month ran each drill again");

        await stack.setConfig({ drill: drill("2027-01", "echo table missing >&2; exit 2") });
        const failed = await stack.up();
        assert.notEqual(failed.code, 0, "a failed drill fails the up");
        const text = failed.stdout + failed.stderr;
        for (const name of ["starrocks-monthly", "orders-monthly", "vm-monthly", "redis-monthly"]) {
            const why = new RegExp(`RestoreDrill "${name}": the restore drill failed: check verify: exit code 2`);
            assert.match(text, why, describeResult(failed));
        }
        assert.match(text, /table missing/);
        assert.match(text, /scratchDeleted/);
        assert.deepEqual(restores(), [3, 3, 3, 3]);
        assert.deepEqual(left(), none, "the failed drills' scratch instances are deleted");
    });
});
