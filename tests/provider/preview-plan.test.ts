import { strict as assert } from "assert";
import { RunningEmulator, startEmulator } from "../../emulator";
import { setProgressSink } from "../../provider/core/progress";
import { SECRET_NAMES_KEY, restoreToken } from "../../provider/core/resource";
import { drillToken } from "../../provider/core/drill";
import { UNKNOWN } from "../../provider/core/validate";
import { lookAtPreview } from "../../provider/core/plan";
import { systemClock } from "../../provider/core/clock";
import { StarRocksProvider } from "../../provider/alicloud/starrocksProvider";
import { StarRocksDrillProvider } from "../../provider/alicloud/starrocksDrill";
import { RedisRestoreProvider } from "../../provider/tencentcloud/redisProvider";
import { VmFromBackupProvider } from "../../provider/zstack/vmProvider";
import { VmDrillProvider } from "../../provider/zstack/vmDrill";
import { RdsRestoreProvider } from "../../provider/jdcloud/rdsProvider";
import { RdsDrillProvider } from "../../provider/jdcloud/rdsDrill";
import { KooPhoneProvider } from "../../provider/huaweicloud/koophoneProvider";
import { CloneProvider } from "../../provider/tencentcloud/cloneProvider";
import { CloneDrillProvider } from "../../provider/tencentcloud/cloneDrill";

const H = 3_600_000;
const ZS = (n: string) => `5e1ec7${n.padStart(26, "0")}`;
const REDIS_PASSWORD = "plan-redis-Pa55word-77aa";
const token = (name: string) => restoreToken("plan-project", "plan-stack", name);

type Checkable = {
    check(
        olds: Record<string, unknown>,
        news: Record<string, unknown>,
    ): Promise<{
        inputs?: Record<string, unknown>;
        failures?: { property: string; reason: string }[];
    }>;
    diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ changes?: boolean }>;
};

/**
 * Issue 28 (1, 2): check writes the `plan` (what the operation does, in plain words: `pulumi preview --diff` shows it),
 * and with a selector it names the backup the selector would choose as of preview (a read-only look-up), or says why
 * none qualifies, or that it could not look (no credentials in the job). The diff never counts the plan, so state
 * without it (an upgrade) and a plan that changes with the backups never cause an update or a replacement.
 */
describe("the plan at preview: what each operation does, and the selector's choice as of preview (emulator)", function () {
    this.timeout(60_000);
    let emu: RunningEmulator;
    let zsDemo: { backupGroupUuid: string; instanceOfferingUuid: string; l3NetworkUuid: string };

    before(async () => {
        emu = await startEmulator();
        setProgressSink(() => undefined);
        const ali = emu.alicloud.service;
        ali.seed("backup", { BackupTaskId: "bk-plan00001", InstanceId: "c-plansource00001", ageMs: 30 * H });
        ali.seed("backup", { BackupTaskId: "bk-plangood01", InstanceId: "c-plansource00001", ageMs: 5 * H });
        ali.seed("backup", {
            BackupTaskId: "bk-planrun001",
            InstanceId: "c-plansource00001",
            ageMs: 0,
            Status: "RUNNING",
        });
        const tc = emu.tencentcloud.service;
        tc.seed("instance", { InstanceId: "crs-plan0001", Password: REDIS_PASSWORD });
        tc.seed("backup", { InstanceId: "crs-plan0001", BackupId: "plan-good", ageMs: 5 * H });
        const jd = emu.jdcloud.service;
        jd.seed("backup", { backupId: "bk-plan-good", instanceId: "mysql-plansrc01", engine: "MySQL", ageMs: 5 * H });
        const zs = emu.zstack.service;
        zsDemo = zs.seed("demo", {}) as typeof zsDemo;
        zs.seed("backupGroup", {
            uuid: ZS("2"),
            vmInstanceUuid: ZS("f"),
            ageMs: 5 * H,
            l3NetworkUuids: [zsDemo.l3NetworkUuid],
        });
        for (const id of ["planP001", "planP002", "planP003"]) emu.huaweicloud.service.seed("instance", { id });
    });
    after(async () => {
        setProgressSink(undefined);
        await emu?.stop();
    });

    const calls = () => emu.servers.reduce((n, s) => n + s.count(), 0);
    const deps = { env: {} };
    const alicloud = () => new StarRocksProvider(deps, emu.config);
    const tencent = () => new RedisRestoreProvider(deps, emu.config);
    const zstack = () => new VmFromBackupProvider(deps, emu.config);
    const jdcloud = () => new RdsRestoreProvider(deps, emu.config);
    const koophone = () => new KooPhoneProvider(deps, emu.config);
    /** Only the region and the endpoint: what a preview job without credentials has. */
    const without = (cloud: string) =>
        Object.fromEntries(
            Object.entries(emu.config).filter(
                ([k]) => k.startsWith(`${cloud}:`) && /(region|endpoint|host|port|scheme)$/i.test(k),
            ),
        );

    const cloneInputs = (over: Record<string, unknown> = {}) => ({
        restoreToken: token("cache-copy"),
        sourceInstanceId: "crs-plan0001",
        zoneId: 100003,
        securityGroupIds: ["sg-plan0001"],
        password: REDIS_PASSWORD,
        ...over,
    });
    const jdSpec = {
        instanceClass: "db.mysql.s1.micro",
        instanceStorageGB: 20,
        azId: ["cn-north-1a"],
        vpcId: "vpc-plantest01",
        subnetId: "subnet-plantest01",
        chargeSpec: { chargeMode: "postpaid_by_duration" },
    };
    const zsInputs = (over: Record<string, unknown>) => ({
        restoreToken: token("web"),
        name: "web",
        instanceOfferingUuid: zsDemo.instanceOfferingUuid,
        l3NetworkUuids: [zsDemo.l3NetworkUuid],
        defaultL3NetworkUuid: zsDemo.l3NetworkUuid,
        ...over,
    });

    async function plan(p: Checkable, news: Record<string, unknown>, olds: Record<string, unknown> = {}) {
        const r = await p.check(olds, news);
        assert.deepEqual(r.failures ?? [], []);
        const made = r.inputs?.plan as Record<string, string> | undefined;
        assert.ok(made && typeof made.does === "string" && typeof made.onDelete === "string", "check sets the plan");
        return { text: made, inputs: r.inputs as Record<string, unknown> };
    }

    describe("explicit backups: the plan in plain words, offline (no API call)", () => {
        it("StarRocks: a new pay-as-you-go instance from the backup task; delete releases it", async () => {
            const before = calls();
            const { text } = await plan(alicloud(), {
                restoreToken: token("dr"),
                backupTaskId: "bk-plan00001",
                instanceName: "analytics-dr",
            });
            assert.deepEqual(text, {
                does: 'creates a new pay-as-you-go StarRocks instance "analytics-dr" in cn-hangzhou; overwrites nothing',
                backup: "backup task bk-plan00001",
                onReplace: "restores a new instance, then releases the old one, erasing its data",
                onDelete: "releases the instance, erasing its data",
            });
            const prepaid = await plan(alicloud(), {
                restoreToken: token("dr"),
                backupTaskId: "bk-plan00001",
                payType: "prePaid",
                pricingCycle: "Month",
                duration: 3,
            });
            assert.match(prepaid.text.does, /subscription \(prePaid, 3 Month\) StarRocks instance/);
            assert.match(prepaid.text.onDelete, /cannot be released by API/);
            const adopt = await plan(alicloud(), { restoreToken: token("dr"), adoptId: "c-existing0000001" });
            assert.match(adopt.text.does, /takes over the existing instance c-existing0000001 .*restores nothing/);
            assert.equal(calls(), before, "no API call for an explicit id");
        });

        it("Tencent Redis: overwrites all data of the instance; delete undoes nothing", async () => {
            const before = calls();
            const { text } = await plan(tencent(), {
                restoreToken: token("cache"),
                instanceId: "crs-plan0001",
                backupId: "plan-good",
                password: REDIS_PASSWORD,
            });
            assert.deepEqual(text, {
                does: "overwrites all data of Redis instance crs-plan0001 in ap-guangzhou: writes made since the backup are lost",
                backup: "backup plan-good",
                onReplace: "restores again, overwriting the data again (a new backup, selector or triggers)",
                onDelete:
                    "nothing is undone (Tencent Cloud cannot undo a restore): the data stays overwritten; only the state goes",
            });
            assert.ok(!JSON.stringify(text).includes(REDIS_PASSWORD));
            assert.equal(calls(), before);
        });

        it("Tencent Redis RestoredInstance: a new instance from a backup of the source, which is not written to; delete releases it", async () => {
            const before = calls();
            const { text } = await plan(new CloneProvider(deps, emu.config), cloneInputs({ backupId: "plan-good" }));
            assert.match(
                text.does,
                /^creates a new postpaid Redis instance "[^"]+" in ap-guangzhou from a backup of crs-plan0001; the source is not written to$/,
            );
            assert.equal(text.backup, "backup plan-good of instance crs-plan0001");
            assert.equal(
                text.onDelete,
                "releases the new instance, erasing its data; the source instance is untouched",
            );
            assert.match(text.onReplace, /^clones a new instance, then releases the old one/);
            const prepaid = await plan(
                new CloneProvider(deps, emu.config),
                cloneInputs({ backupId: "plan-good", billingMode: "prepaid", period: 1 }),
            );
            assert.match(prepaid.text.onDelete, /prepaid instance is not returned .*retainOnDelete/);
            assert.ok(!JSON.stringify(text).includes(REDIS_PASSWORD));
            assert.equal(calls(), before, "no API call for an explicit id");
        });

        it("ZStack: a new VM from the backup group; delete destroys and expunges it (or leaves it in the recycle bin)", async () => {
            const before = calls();
            const { text } = await plan(zstack(), zsInputs({ backupGroupUuid: zsDemo.backupGroupUuid }));
            assert.deepEqual(text, {
                does: 'creates a new VM "web", left Running (strategy InstantStart); touches no existing VM',
                backup: `backup group ${zsDemo.backupGroupUuid}`,
                onReplace: "creates the new VM, then destroys the old one and expunges it, erasing its disks",
                onDelete: "destroys the VM and expunges it, erasing its disks",
            });
            const kept = await plan(
                zstack(),
                zsInputs({ backupGroupUuid: zsDemo.backupGroupUuid, expungeOnDelete: false }),
            );
            assert.match(kept.text.onDelete, /leaves it in the recycle bin/);
            assert.equal(calls(), before);
        });

        it("JD Cloud RDS: a new instance (class, size, billing) from the backup; delete deletes it", async () => {
            const before = calls();
            const { text } = await plan(jdcloud(), {
                restoreToken: token("orders"),
                backupId: "bk-plan-good",
                engine: "MySQL",
                instanceSpec: jdSpec,
            });
            assert.match(
                text.does,
                /^creates a new MySQL instance "[^"]+" \(db\.mysql\.s1\.micro, 20 GB, pay-as-you-go\) in cn-north-1; overwrites nothing$/,
            );
            assert.equal(text.backup, "backup bk-plan-good");
            assert.equal(text.onDelete, "deletes the instance, erasing its data");
            assert.equal(text.onReplace, "restores a new instance, then deletes the old one, erasing its data");
            assert.equal(calls(), before);
        });

        it("KooPhone: backs the phones up and releases their hardware; a change says which phones move; delete brings them back", async () => {
            const before = calls();
            const news = {
                restoreToken: token("phones"),
                instanceIds: ["planP001", "planP002"],
                userId: "1008600000104285462",
            };
            const { text } = await plan(koophone(), news);
            assert.equal(
                text.does,
                "releases 2 phones after backing them up to OBS (planP001, planP002): unusable until brought back",
            );
            assert.equal(
                text.onDelete,
                "brings them back onto hardware for user 1008600000104285462 (BatchPrepareInstances)",
            );
            const change = await plan(
                koophone(),
                { ...news, instanceIds: ["planP002", "planP003"] },
                { ...news, plan: text },
            );
            assert.equal(
                change.text.thisChange,
                "backs up and releases 1 phone more (planP003); takes 1 phone off (planP001) and brings them back for user 1008600000104285462",
            );
            const many = Array.from({ length: 37 }, (_, i) => `bulkP${String(i).padStart(3, "0")}`);
            const big = await plan(koophone(), { ...news, instanceIds: many, restoreOnDelete: false });
            assert.match(
                big.text.does,
                /^releases 37 phones after backing them up to OBS \(bulkP000, .*bulkP004 and 32 more\)/,
            );
            assert.match(big.text.onDelete, /leaves them backed up in OBS/);
            assert.equal(calls(), before);
        });

        it("an input the program marked secret is masked in the plan (the plan is not a secret property)", async () => {
            const name = "TopSecret-Name-4f1c9";
            const { text } = await plan(alicloud(), {
                restoreToken: token("dr"),
                backupTaskId: "bk-plan00001",
                instanceName: name,
                [SECRET_NAMES_KEY]: ["instanceName"],
            });
            assert.match(text.does, /^creates a new pay-as-you-go StarRocks instance "[^"]+" in cn-hangzhou/);
            assert.ok(!JSON.stringify(text).includes(name), JSON.stringify(text));
        });

        it("values unknown at preview are shown as such, and nothing is looked up", async () => {
            const before = calls();
            const { text } = await plan(tencent(), {
                restoreToken: token("cache"),
                instanceId: UNKNOWN,
                backupSelector: { maxAge: "2d" },
            });
            assert.match(text.does, /Redis instance \(known at up\)/);
            assert.match(
                text.asOfPreview,
                /could not look up the backup \(the instance, the selector or the region is known only at up\)/,
            );
            assert.equal(calls(), before);
        });
    });

    describe("backupSelector: the choice as of preview (read-only), none, or could not look", () => {
        const cases: {
            cloud: string;
            label?: string;
            provider: (config?: Record<string, string>) => Checkable;
            news: Record<string, unknown>;
            chosen: string;
            restoreAction: string;
        }[] = [
            {
                cloud: "alicloud",
                provider: (c) => new StarRocksProvider(deps, c ?? emu.config),
                news: {
                    restoreToken: token("staging"),
                    backupSelector: { instanceId: "c-plansource00001", maxAge: "2d" },
                    instanceName: "staging",
                },
                chosen: "bk-plangood01",
                restoreAction: "RestoreInstance",
            },
            {
                cloud: "tencentcloud",
                provider: (c) => new RedisRestoreProvider(deps, c ?? emu.config),
                news: {
                    restoreToken: token("cache"),
                    instanceId: "crs-plan0001",
                    backupSelector: { maxAge: "2d" },
                    password: REDIS_PASSWORD,
                },
                chosen: "plan-good",
                restoreAction: "RestoreInstance",
            },
            {
                cloud: "tencentcloud",
                label: "tencentcloud RestoredInstance",
                provider: (c) => new CloneProvider(deps, c ?? emu.config),
                news: cloneInputs({ backupSelector: { maxAge: "2d" } }),
                chosen: "plan-good",
                restoreAction: "CloneInstances",
            },
            {
                cloud: "jdcloud",
                provider: (c) => new RdsRestoreProvider(deps, c ?? emu.config),
                news: {
                    restoreToken: token("orders"),
                    backupSelector: { instanceId: "mysql-plansrc01", maxAge: "2d" },
                    engine: "MySQL",
                    instanceSpec: jdSpec,
                },
                chosen: "bk-plan-good",
                restoreAction: "createInstanceFromBackup",
            },
            {
                cloud: "zstack",
                provider: (c) => new VmFromBackupProvider(deps, c ?? emu.config),
                news: {},
                chosen: ZS("2"),
                restoreAction: "CreateVmFromVmBackup",
            },
        ];
        for (const k of cases) {
            const news = () =>
                k.cloud === "zstack" ? zsInputs({ backupSelector: { vmUuid: ZS("f"), maxAge: "2d" } }) : k.news;
            const server = () => emu[k.cloud as "alicloud"].server;

            it(`${k.label ?? k.cloud}: names the backup it would choose now, reading only`, async () => {
                const before = server().count(k.restoreAction);
                const { text } = await plan(k.provider(), news());
                assert.match(text.backup, /^the latest complete backup of .* \(at most 2d old\)$/);
                assert.match(
                    text.asOfPreview,
                    new RegExp(
                        `^would choose backup ${k.chosen}, taken at \\d{4}-\\d\\d-\\d\\dT[^ ]+Z; up chooses again and records it in selectedBackupId$`,
                    ),
                );
                assert.equal(server().count(k.restoreAction), before, "nothing restored");
            });

            it(`${k.label ?? k.cloud}: says why no backup qualifies, without failing the preview`, async () => {
                const n = news() as Record<string, unknown>;
                const sel = { ...(n.backupSelector as Record<string, unknown>), maxAge: "1h" };
                const { text } = await plan(k.provider(), { ...n, backupSelector: sel });
                assert.match(
                    text.asOfPreview,
                    /^no backup qualifies: backupSelector: no complete backup at most 1h old/,
                );
            });

            it(`${k.label ?? k.cloud}: without credentials in the job, says it could not look (no failure, no call)`, async () => {
                const before = calls();
                const { text } = await plan(k.provider(without(k.cloud)), news());
                assert.match(text.asOfPreview, /^could not look up the backup \(no .* in this job\); up chooses it$/);
                assert.equal(calls(), before);
            });

            it(`${k.label ?? k.cloud}: an existing resource whose restore inputs are unchanged is not looked up again`, async () => {
                const first = await plan(k.provider(), news());
                const before = calls();
                const again = await plan(k.provider(), news(), first.inputs);
                assert.equal(again.text.asOfPreview, undefined);
                assert.equal(calls(), before);
            });
        }

        it("drills: what a run does, with the selector's choice as of preview; destroy touches nothing", async () => {
            const sr = await plan(new StarRocksDrillProvider(deps, emu.config), {
                restoreToken: drillToken("plan-project", "plan-stack", "monthly"),
                backupSelector: { instanceId: "c-plansource00001", maxAge: "2d" },
            });
            assert.match(
                sr.text.does,
                /^restores into a new scratch StarRocks instance "drill-prt-[0-9a-f]+", checks it, then deletes it; touches nothing existing$/,
            );
            assert.equal(sr.text.backup, "the latest complete backup of instance c-plansource00001 (at most 2d old)");
            assert.match(
                sr.text.asOfPreview,
                /^would choose backup bk-plangood01, .*records it in the report's backupId$/,
            );
            assert.equal(sr.text.onDelete, "removes only the recorded report, nothing in the cloud");
            assert.match(sr.text.ifChecksFail, /^up fails, with the report/);
            const jd = await plan(new RdsDrillProvider(deps, emu.config), {
                restoreToken: drillToken("plan-project", "plan-stack", "orders-drill"),
                backupId: "bk-plan-good",
                engine: "MySQL",
                instanceSpec: jdSpec,
                failOnCheckFailure: false,
            });
            assert.match(jd.text.does, /^restores into a new scratch RDS instance/);
            assert.equal(jd.text.backup, "backup bk-plan-good");
            assert.equal(jd.text.ifChecksFail, "recorded (passed: false); up goes on");
            const zs = await plan(new VmDrillProvider(deps, emu.config), {
                restoreToken: drillToken("plan-project", "plan-stack", "vm-drill"),
                backupSelector: { vmUuid: ZS("f"), maxAge: "2d" },
                instanceOfferingUuid: zsDemo.instanceOfferingUuid,
                l3NetworkUuids: [zsDemo.l3NetworkUuid],
                defaultL3NetworkUuid: zsDemo.l3NetworkUuid,
                verify: { command: "true" },
            });
            assert.match(zs.text.does, /into a new scratch VM "drill-prt-[0-9a-f]+"/);
            assert.match(zs.text.checks, /the verify command/);
            assert.match(zs.text.asOfPreview, new RegExp(`^would choose backup ${ZS("2")}`));
            const tc = await plan(new CloneDrillProvider(deps, emu.config), {
                ...cloneInputs({ backupSelector: { maxAge: "2d" } }),
                restoreToken: drillToken("plan-project", "plan-stack", "cache-drill"),
            });
            assert.match(tc.text.does, /^restores into a new scratch Redis instance/);
            assert.equal(tc.text.backup, "the latest complete backup of instance crs-plan0001 (at most 2d old)");
            assert.match(tc.text.asOfPreview, /^would choose backup plan-good, .*records it in the report's backupId$/);
            assert.equal(tc.text.onDelete, "removes only the recorded report, nothing in the cloud");
        });
    });

    describe("the diff never counts the plan", () => {
        const subjects: [string, () => Checkable, () => Record<string, unknown>][] = [
            [
                "alicloud",
                alicloud,
                () => ({ restoreToken: token("dr"), backupTaskId: "bk-plan00001", instanceName: "analytics-dr" }),
            ],
            [
                "tencentcloud",
                tencent,
                () => ({ restoreToken: token("cache"), instanceId: "crs-plan0001", backupId: "plan-good" }),
            ],
            ["zstack", zstack, () => zsInputs({ backupGroupUuid: zsDemo.backupGroupUuid })],
            [
                "jdcloud",
                jdcloud,
                () => ({
                    restoreToken: token("orders"),
                    backupId: "bk-plan-good",
                    engine: "MySQL",
                    instanceSpec: jdSpec,
                }),
            ],
            [
                "huaweicloud",
                koophone,
                () => ({ restoreToken: token("phones"), instanceIds: ["planP001"], userId: "1008600000104285462" }),
            ],
        ];
        for (const [cloud, make, news] of subjects) {
            it(`${cloud}: state written before the plan existed, or with another plan text, is no change`, async () => {
                const p = make();
                const { inputs } = await plan(p, news());
                // The old outputs: the checked inputs as create records them (region made explicit where state keeps it).
                const { plan: _text, ...old } = inputs;
                const region: Record<string, unknown> =
                    cloud === "alicloud"
                        ? { regionId: "cn-hangzhou" }
                        : cloud === "tencentcloud"
                          ? { region: "ap-guangzhou" }
                          : {};
                const olds = { ...old, ...region };
                assert.equal((await p.diff("id-1", olds, inputs)).changes, false, "no plan in state: no change");
                const other = { ...olds, plan: "an older wording of the plan" };
                assert.equal((await p.diff("id-1", other, inputs)).changes, false, "another plan text: no change");
            });
        }
    });

    it("the look-up at preview is bounded in time: an endpoint that does not answer gives 'could not look'", async () => {
        const t0 = Date.now();
        const c = await lookAtPreview({
            clock: systemClock,
            timeoutMs: 200,
            unavailable: () => undefined,
            resolve: () => new Promise(() => undefined),
        });
        assert.deepEqual(c, { kind: "skipped", reason: "no answer within 0.2 s" });
        assert.ok(Date.now() - t0 < 2000);
    });
});
