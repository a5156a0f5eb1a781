import { strict as assert } from "assert";
import * as path from "path";
import { CloudName, RunningEmulator, startEmulator } from "../../emulator";
import { CliStack, FoundCli, cliOrSkip, describeResult } from "../../harness/pulumiCli";

const out = describeResult;
const PROJECT = path.join(__dirname, "backup-selection-project");
const H = 3_600_000;
const CLOUDS: CloudName[] = ["alicloud", "tencentcloud", "jdcloud", "zstack"];
const REDIS_PASSWORD = "cli-select-Pa55word-4e1d";
const ZS = (n: string) => `5e1ec7${n.padStart(26, "0")}`;

/** Per cloud: the call that restores (Tencent: counted by task, below), and the ids of the backups the test seeds. */
const RESTORE_ACTION: Record<string, string> = {
    alicloud: "RestoreInstance",
    jdcloud: "createInstanceFromBackup",
    zstack: "CreateVmFromVmBackup",
};
const GOOD: Record<string, string> = {
    alicloud: "bk-good00001",
    tencentcloud: "cli-good",
    // The Tencent copy (RestoredInstance) clones a backup of the same source.
    tencentcloudClone: "cli-good",
    jdcloud: "bk-cli-good",
    zstack: ZS("2"),
};
const NEWER: Record<string, string> = {
    alicloud: "bk-newer0001",
    tencentcloud: "cli-newer",
    tencentcloudClone: "cli-newer",
    jdcloud: "bk-cli-newer",
    zstack: ZS("5"),
};

/**
 * Choosing the backup through the real Pulumi CLI and engine, against the emulator, for the four clouds that restore
 * from a backup chosen by id (StarRocks, Tencent Redis in place and as a copy, JD Cloud RDS, ZStack), all in one stack
 * and one story: the lookups show the choice at preview (reads only); up restores each source's latest complete backup
 * (older, failed, running or expired ones skipped); a newer backup then changes nothing; a new `week` trigger restores
 * again from the newest.
 */
describe("Pulumi CLI and engine: backupSelector, triggers and the lookups at preview (four clouds)", function () {
    this.timeout(400_000);
    let cli: FoundCli;
    let emu: RunningEmulator;
    let stack: CliStack | undefined;
    let zstackDemo: { instanceOfferingUuid: string; l3NetworkUuid: string };

    before(async function () {
        cli = cliOrSkip(this);
        emu = await startEmulator({
            only: CLOUDS,
            starrocks: { restoreMs: 300, releaseMs: 200 },
            tencentcloud: { prepareMs: 200, runMs: 300, cloneMs: 300, destroyMs: 100, cleanUpMs: 100 },
            jdcloud: { buildMs: 300, deleteMs: 100 },
            zstack: { createMs: 300, startMs: 200, destroyMs: 100, expungeMs: 100 },
        });
        const ali = emu.alicloud.service;
        ali.seed("backup", { BackupTaskId: "bk-old000001", InstanceId: "c-prodsource000001", ageMs: 30 * H });
        ali.seed("backup", { BackupTaskId: GOOD.alicloud, InstanceId: "c-prodsource000001", ageMs: 5 * H });
        ali.seed("backup", {
            BackupTaskId: "bk-running01",
            InstanceId: "c-prodsource000001",
            ageMs: 0,
            Status: "RUNNING",
        });

        const tc = emu.tencentcloud.service;
        tc.seed("instance", { InstanceId: "crs-select01", Password: REDIS_PASSWORD });
        tc.seed("backup", { InstanceId: "crs-select01", BackupId: "cli-old", ageMs: 30 * H });
        tc.seed("backup", { InstanceId: "crs-select01", BackupId: GOOD.tencentcloud, ageMs: 5 * H });
        tc.seed("backup", { InstanceId: "crs-select01", BackupId: "cli-expired", ageMs: 2 * H, Status: -1 });

        const jd = emu.jdcloud.service;
        jd.seed("backup", { backupId: "bk-cli-old", instanceId: "mysql-prodsrc01", engine: "MySQL", ageMs: 30 * H });
        jd.seed("backup", { backupId: GOOD.jdcloud, instanceId: "mysql-prodsrc01", engine: "MySQL", ageMs: 5 * H });
        jd.seed("backup", {
            backupId: "bk-cli-failed",
            instanceId: "mysql-prodsrc01",
            engine: "MySQL",
            ageMs: 2 * H,
            backupStatus: "FAILED",
        });

        const zs = emu.zstack.service;
        zstackDemo = zs.seed("demo", {}) as typeof zstackDemo;
        const l3 = [zstackDemo.l3NetworkUuid];
        zs.seed("backupGroup", { uuid: ZS("1"), vmInstanceUuid: ZS("f"), ageMs: 30 * H, l3NetworkUuids: l3 });
        zs.seed("backupGroup", { uuid: GOOD.zstack, vmInstanceUuid: ZS("f"), ageMs: 5 * H, l3NetworkUuids: l3 });
        zs.seed("backupGroup", {
            uuid: ZS("4"),
            vmInstanceUuid: ZS("f"),
            ageMs: 0,
            l3NetworkUuids: l3,
            status: "Creating",
        });
    });
    after(async () => {
        if (stack) {
            await stack.destroy();
            await stack.remove();
        }
        await emu?.stop();
    });

    /**
     * Restores carried out. Tencent's are counted as the emulator's restore tasks and clones made, not as calls: the
     * in-place restore and the copy take the same backup at once, and a call refused because the other holds it
     * (BackupLockedError) restores nothing and is made again.
     */
    const restores = (cloud: string) =>
        cloud === "tencentcloud"
            ? emu.tencentcloud.service.restoreTasks().length
            : emu[cloud as CloudName].server.count(RESTORE_ACTION[cloud]);
    /** Restores per cloud, then the Tencent copy's clones. */
    const allRestores = () =>
        [...CLOUDS.map((c) => `${c}:${restores(c)}`), `clone:${emu.tencentcloud.service.clonesMade}`].join(" ");
    const each = (n: number) => [...CLOUDS.map((c) => `${c}:${n}`), `clone:${n}`].join(" ");

    it("preview shows each chosen id; up restores it; a newer backup changes nothing; a new week restores the newest", async () => {
        stack = new CliStack(cli.path, "cli-backup-selection", { cwd: PROJECT });
        const emuConfig = Object.fromEntries(
            Object.entries(emu.config).filter(([k]) => CLOUDS.some((c) => k.startsWith(`${c}:`))),
        );
        await stack.init(
            {
                ...emuConfig,
                clouds: CLOUDS.join(","),
                week: "2026-11-23",
                alicloudSource: "c-prodsource000001",
                tencentInstance: "crs-select01",
                redisPassword: REDIS_PASSWORD,
                jdSource: "mysql-prodsrc01",
                zstackVm: ZS("f"),
                instanceOfferingUuid: zstackDemo.instanceOfferingUuid,
                l3NetworkUuid: zstackDemo.l3NetworkUuid,
            },
            [...emu.secretConfigKeys, "redisPassword"],
        );

        const pv = await stack.preview();
        assert.equal(pv.code, 0, out(pv));
        for (const c of Object.keys(GOOD)) {
            assert.match(
                pv.stdout,
                new RegExp(`${c}\\s*:\\s*"${GOOD[c]}"`),
                `${c}: the lookup's answer at preview\n${out(pv)}`,
            );
        }
        assert.equal(allRestores(), each(0), "preview restores nothing");

        const up = await stack.up();
        assert.equal(up.code, 0, out(up));
        const first = (await stack.outputs()) as {
            restored: Record<string, string>;
            wouldRestore: Record<string, string>;
        };
        assert.deepEqual(first.restored, GOOD, "each restore took its source's latest complete backup");
        assert.equal(allRestores(), each(1));

        emu.alicloud.service.seed("backup", {
            BackupTaskId: NEWER.alicloud,
            InstanceId: "c-prodsource000001",
            ageMs: 0,
        });
        emu.tencentcloud.service.seed("backup", { InstanceId: "crs-select01", BackupId: NEWER.tencentcloud, ageMs: 0 });
        emu.jdcloud.service.seed("backup", {
            backupId: NEWER.jdcloud,
            instanceId: "mysql-prodsrc01",
            engine: "MySQL",
            ageMs: 0,
        });
        emu.zstack.service.seed("backupGroup", {
            uuid: NEWER.zstack,
            vmInstanceUuid: ZS("f"),
            ageMs: 0,
            l3NetworkUuids: [zstackDemo.l3NetworkUuid],
        });
        const same = await stack.up();
        assert.equal(same.code, 0, out(same));
        assert.doesNotMatch(
            same.stdout,
            /\b(created|replaced|updated)\b/,
            `a newer backup changes nothing\n${out(same)}`,
        );
        assert.equal(allRestores(), each(1));

        await stack.setConfig({ week: "2026-11-30" });
        const moved = await stack.up();
        assert.equal(moved.code, 0, out(moved));
        assert.match(moved.stdout, /\b5 replaced\b/, out(moved));
        assert.equal(allRestores(), each(2));
        const copies = emu.tencentcloud.service.live().filter((i) => i.InstanceId !== "crs-select01");
        assert.equal(copies.length, 1, "the old copy was released after the new one was cloned");
        const o = (await stack.outputs()) as { restored: Record<string, string>; wouldRestore: Record<string, string> };
        assert.deepEqual(o.restored, NEWER, "a new week restored each source's newest backup");
        assert.deepEqual(o.wouldRestore, NEWER);
    });
});
