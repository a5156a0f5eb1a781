import { strict as assert } from "assert";
import * as path from "path";
import { CloudName, RunningEmulator, startEmulator } from "../../emulator";
import { CliStack, FoundCli, cliOrSkip, describeResult } from "../../harness/pulumiCli";

const out = describeResult;
const PROJECT = path.join(__dirname, "preview-plan-project");
const H = 3_600_000;
const REDIS_PASSWORD = "cli-plan-Pa55word-5c2b";
const ZS = (n: string) => `91a4c0${n.padStart(26, "0")}`;
const CLOUDS: CloudName[] = ["alicloud", "tencentcloud", "zstack", "jdcloud", "huaweicloud"];
/** The calls that change something in the cloud: a preview makes none. */
const WRITES: Record<string, string[]> = {
    alicloud: ["RestoreInstance", "ReleaseInstance"],
    tencentcloud: ["RestoreInstance", "CloneInstances", "DestroyPostpaidInstance", "CleanUpInstance"],
    zstack: ["CreateVmFromVmBackup", "DestroyVmInstance", "ExpungeVmInstance"],
    jdcloud: ["createInstanceFromBackup", "deleteInstance"],
    huaweicloud: ["BatchBackupInstances", "BatchPrepareInstances"],
};

/**
 * Issue 28 (1, 2), through the real Pulumi CLI and engine: what a pull request reviewer reads in `pulumi preview
 * --diff` for each resource (the six restores and the four drills) is what it will do, in plain words, and what
 * delete and replace lose or keep; with a backupSelector, the backup it would choose as of preview, or, in a job
 * without credentials (the CI example's preview job), that it could not look. The preview writes nothing.
 */
describe("Pulumi CLI and engine: `preview --diff` states what each resource will do", function () {
    this.timeout(300_000);
    let cli: FoundCli;
    let emu: RunningEmulator;
    let stack: CliStack | undefined;
    let zs: { backupGroupUuid: string; instanceOfferingUuid: string; l3NetworkUuid: string };

    before(async function () {
        cli = cliOrSkip(this);
        emu = await startEmulator({ only: CLOUDS });
        emu.alicloud.service.seed("backup", {
            BackupTaskId: "bk-cliplan0001",
            InstanceId: "c-cliplansrc00001",
            ageMs: 5 * H,
        });
        emu.tencentcloud.service.seed("instance", { InstanceId: "crs-clipln01", Password: REDIS_PASSWORD });
        emu.tencentcloud.service.seed("backup", { InstanceId: "crs-clipln01", BackupId: "cli-plan-backup" });
        emu.jdcloud.service.seed("backup", { backupId: "bk-cli-plan", engine: "MySQL" });
        zs = emu.zstack.service.seed("demo", {}) as typeof zs;
        emu.zstack.service.seed("backupGroup", {
            uuid: ZS("2"),
            vmInstanceUuid: ZS("f"),
            ageMs: 5 * H,
            l3NetworkUuids: [zs.l3NetworkUuid],
        });
        for (const id of ["cliPlanP1", "cliPlanP2"]) emu.huaweicloud.service.seed("instance", { id });
    });
    after(async () => {
        if (stack) await stack.remove();
        await emu?.stop();
    });

    const writes = () =>
        CLOUDS.map((c) => WRITES[c].reduce((n, a) => n + emu[c].server.count(a), 0)).reduce((a, b) => a + b, 0);

    it("each planned resource says what it does, from which backup, and what delete keeps or loses", async () => {
        stack = new CliStack(cli.path, "cli-preview-plan", { cwd: PROJECT });
        await stack.init(
            {
                ...emu.config,
                alicloudSource: "c-cliplansrc00001",
                tencentInstance: "crs-clipln01",
                tencentBackup: "cli-plan-backup",
                redisPassword: REDIS_PASSWORD,
                zstackVm: ZS("f"),
                zstackGroup: zs.backupGroupUuid,
                instanceOfferingUuid: zs.instanceOfferingUuid,
                l3NetworkUuid: zs.l3NetworkUuid,
                jdBackup: "bk-cli-plan",
                phones: "cliPlanP1,cliPlanP2",
            },
            [...emu.secretConfigKeys, "redisPassword"],
        );
        const pv = await stack.preview();
        assert.equal(pv.code, 0, out(pv));
        const text = pv.stdout;
        const plan = (type: string, name: string) => planOf(text, type, name, out(pv));
        const sr = plan("alicloud/starrocks:RestoredInstance", "analytics-dr");
        assert.equal(
            sr.does,
            'creates a new pay-as-you-go StarRocks instance "analytics-dr" in cn-hangzhou; overwrites nothing',
        );
        assert.equal(sr.backup, "the latest complete backup of instance c-cliplansrc00001 (at most 2d old)");
        assert.match(
            sr.asOfPreview,
            /^would choose backup bk-cliplan0001, taken at \S+Z; up chooses again and records it in selectedBackupId$/,
        );
        assert.equal(sr.onReplace, "restores a new instance, then releases the old one, erasing its data");
        assert.equal(sr.onDelete, "releases the instance, erasing its data");

        const redis = plan("tencentcloud/redis:InstanceRestore", "cache");
        assert.equal(
            redis.does,
            "overwrites all data of Redis instance crs-clipln01 in ap-guangzhou: writes made since the backup are lost",
        );
        assert.equal(redis.backup, "backup cli-plan-backup");
        assert.equal(
            redis.onDelete,
            "nothing is undone (Tencent Cloud cannot undo a restore): the data stays overwritten; only the state goes",
        );
        assert.match(redis.onReplace, /^restores again, overwriting the data again/);

        const copy = plan("tencentcloud/redis:RestoredInstance", "cache-copy");
        assert.match(
            copy.does,
            /^creates a new postpaid Redis instance "prt-[0-9a-f]+-[0-9a-f]+" in ap-guangzhou from a backup of crs-clipln01; the source is not written to$/,
        );
        assert.match(copy.backup, /backup of instance crs-clipln01 \(at most 2d old\)$/);
        assert.match(copy.asOfPreview, /^would choose backup cli-plan-backup, taken at \S+Z; /);
        assert.equal(copy.onDelete, "releases the new instance, erasing its data; the source instance is untouched");

        const vm = plan("zstack:VmFromBackup", "web");
        assert.equal(vm.does, 'creates a new VM "web", left Running (strategy InstantStart); touches no existing VM');
        assert.match(vm.asOfPreview, new RegExp(`^would choose backup ${ZS("2")}, taken at `));
        assert.equal(vm.onDelete, "destroys the VM and expunges it, erasing its disks");

        const rds = plan("jdcloud/rds:RestoredInstance", "orders");
        assert.match(
            rds.does,
            /^creates a new MySQL instance "[^"]+" \(db\.mysql\.s1\.micro, 20 GB, pay-as-you-go\) in cn-north-1; overwrites nothing$/,
        );
        assert.equal(rds.backup, "backup bk-cli-plan");
        assert.equal(rds.onDelete, "deletes the instance, erasing its data");

        const phones = plan("huaweicloud/koophone:InstanceBackup", "phones");
        assert.equal(
            phones.does,
            "releases 2 phones after backing them up to OBS (cliPlanP1, cliPlanP2): unusable until brought back",
        );
        assert.equal(
            phones.onDelete,
            "brings them back onto hardware for user 1008600000104285462 (BatchPrepareInstances)",
        );

        for (const [type, name, thing] of [
            ["alicloud/starrocks:RestoreDrill", "analytics-drill", "StarRocks instance"],
            ["jdcloud/rds:RestoreDrill", "orders-drill", "RDS instance"],
            ["zstack:RestoreDrill", "web-drill", "VM"],
            ["tencentcloud/redis:RestoreDrill", "cache-drill", "Redis instance"],
        ]) {
            const d = plan(type, name);
            assert.match(
                d.does,
                new RegExp(`^restores into a new scratch ${thing} "drill-prt-[0-9a-f]+", checks it, then deletes it`),
            );
            assert.equal(d.onDelete, "removes only the recorded report, nothing in the cloud");
        }
        assert.match(
            plan("alicloud/starrocks:RestoreDrill", "analytics-drill").asOfPreview,
            /^would choose backup bk-cliplan0001/,
        );
        assert.equal(plan("zstack:RestoreDrill", "web-drill").backup, `backup group ${zs.backupGroupUuid}`);
        assert.equal(
            plan("tencentcloud/redis:RestoreDrill", "cache-drill").backup,
            "backup cli-plan-backup of instance crs-clipln01",
        );
        assert.ok(!text.includes(REDIS_PASSWORD), "the password is not shown");
        assert.equal(writes(), 0, "preview writes nothing");
    });

    it("in a job without credentials (the CI example's preview job), it says it could not look, and does not fail", async () => {
        assert.ok(stack, "the stack of the first step");
        await stack.rmConfig(
            ...Object.keys(emu.config).filter((k) =>
                /:(accessKey|secretKey|secretId|accountName|accountPassword|userName|password|domainName|ak|sk)$/i.test(
                    k,
                ),
            ),
        );
        const before = CLOUDS.map((c) => emu[c].server.count()).reduce((a, b) => a + b, 0);
        const pv = await stack.preview();
        assert.equal(pv.code, 0, out(pv));
        for (const [type, name, who] of [
            ["alicloud/starrocks:RestoredInstance", "analytics-dr", "Alibaba Cloud"],
            ["zstack:VmFromBackup", "web", "ZStack"],
            ["alicloud/starrocks:RestoreDrill", "analytics-drill", "Alibaba Cloud"],
            ["tencentcloud/redis:RestoredInstance", "cache-copy", "Tencent Cloud"],
        ]) {
            assert.equal(
                planOf(pv.stdout, type, name, out(pv)).asOfPreview,
                `could not look up the backup (no ${who} credentials in this job); up chooses it`,
            );
        }
        const after = CLOUDS.map((c) => emu[c].server.count()).reduce((a, b) => a + b, 0);
        assert.equal(after, before, "no API call without credentials");
        assert.equal(writes(), 0);
    });
});

/**
 * The entries of the `plan` a preview shows for one resource, as a reviewer reads them: the resource's block in
 * `preview --diff`, its `plan : { key: "value" ... }` lines (values unquoted).
 */
function planOf(stdout: string, type: string, name: string, context: string): Record<string, string> {
    const blocks = stdout.split(/\n(?=\s+[+~-]+ pulumi-nodejs:dynamic\/)/);
    const block = blocks.find((b) => b.includes(`dynamic/${type}::${name}]`));
    assert.ok(block, `no planned ${type} ${name} in the preview\n${context}`);
    const m = /\n(\s*)plan\s*: \{\n([\s\S]*?)\n\1\}/.exec(block);
    assert.ok(m, `${type} ${name}: no plan in the preview\n${block}`);
    const out: Record<string, string> = {};
    for (const line of m[2].split("\n")) {
        const e = /^\s*([A-Za-z]+)\s*: "(.*)"$/.exec(line);
        if (e) out[e[1]] = JSON.parse(`"${e[2]}"`) as string;
    }
    return out;
}
