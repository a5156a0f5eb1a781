import { strict as assert } from "assert";
import { utcIso as utc } from "../../provider/core/time";
import * as pulumi from "@pulumi/pulumi";
import { StarRocksService } from "../../emulator/alicloud/starrocks";
import { EmulatorServer } from "../../emulator/core/server";
import { setProgressSink } from "../../provider/core/progress";
import { checkRestoredInstance } from "../../provider/alicloud/starrocksInputs";
import { StarRocksProvider } from "../../provider/alicloud/starrocksProvider";
import { getBackups, getLatestBackup } from "../../provider/alicloud/starrocks";
import { rejects } from "../support/assertions";
import { VirtualClock } from "../../harness/clock";

const AK = "starrocks-select-test-ak";
const SK = "starrocks-select-test-secret-0001";
const TOKEN = "prt-00112233445566778899";
const SOURCE = "c-prodsource000001";
const FAST = { minIntervalMs: 1000, maxIntervalMs: 5000, fraction: 0.05 };
const H = 3_600_000;

describe("alicloud starrocks: choosing the backup (emulator)", function () {
    this.timeout(30_000);
    let clock: VirtualClock;
    let svc: StarRocksService;
    let server: EmulatorServer;
    let p: StarRocksProvider;
    let url: string;

    beforeEach(async () => {
        clock = new VirtualClock();
        svc = new StarRocksService({
            clock,
            credentials: { [AK]: SK },
            timings: { restoreMs: 30_000, releaseMs: 10_000 },
        });
        server = new EmulatorServer(svc);
        url = await server.start();
        p = new StarRocksProvider(
            { clock, env: {}, schedule: FAST, settleMs: 20_000, random: () => 0.5 },
            {
                "alicloud:endpoint": url,
                "alicloud:region": "cn-hangzhou",
                "alicloud:accessKey": AK,
                "alicloud:secretKey": SK,
            },
        );
        setProgressSink(() => undefined);
        // Oldest to newest: a good one 30 h old, a good one 5 h old, a failed one 2 h old, a running one now.
        svc.seed("backup", { BackupTaskId: "bk-old000001", InstanceId: SOURCE, ageMs: 30 * H });
        svc.seed("backup", { BackupTaskId: "bk-good00001", InstanceId: SOURCE, ageMs: 5 * H });
        svc.seed("backup", { BackupTaskId: "bk-failed001", InstanceId: SOURCE, ageMs: 2 * H, Status: "FAILED" });
        svc.seed("backup", { BackupTaskId: "bk-running01", InstanceId: SOURCE, ageMs: 0, Status: "RUNNING" });
        svc.seed("backup", { BackupTaskId: "bk-other0001", InstanceId: "c-someoneelse0001", ageMs: H });
    });
    afterEach(async () => {
        setProgressSink(undefined);
        await server.stop();
    });

    function checked(over: Record<string, unknown>) {
        return checkRestoredInstance({ restoreToken: TOKEN, instanceName: "staging", ...over });
    }
    function inputs(over: Record<string, unknown>): Record<string, unknown> {
        const { inputs: i, failures } = checked(over);
        assert.deepEqual(failures, []);
        return i as unknown as Record<string, unknown>;
    }
    const restoredFrom = () => [...svc.instances.values()].map((i) => i.backupTaskId);

    it("restores the latest complete backup: failed and running ones are skipped; the choice is an output", async () => {
        const t0 = clock.now();
        const r = await p.create(inputs({ backupSelector: { instanceId: SOURCE } }));
        assert.equal(r.outs.selectedBackupId, "bk-good00001");
        assert.equal(r.outs.selectedBackupTime, utc(t0 - 5 * H));
        assert.deepEqual(restoredFrom(), ["bk-good00001"]);
    });

    it("a newer backup later changes nothing; a triggers change replaces and picks the then-newest", async () => {
        const first = inputs({ backupSelector: { instanceId: SOURCE }, triggers: { week: "2026-11-23" } });
        const r = await p.create(first);
        svc.seed("backup", { BackupTaskId: "bk-newer0001", InstanceId: SOURCE, ageMs: 0 });
        const same = await p.diff(r.id, r.outs, first);
        assert.equal(same.changes, false, "no surprise restore on the next up");
        const next = inputs({ backupSelector: { instanceId: SOURCE }, triggers: { week: "2026-11-30" } });
        const d = await p.diff(r.id, r.outs, next);
        assert.equal(d.changes, true);
        assert.deepEqual(d.replaces, ["triggers"]);
        const r2 = await p.create(next);
        assert.notEqual(r2.id, r.id, "a new instance, not the old one adopted by its tag");
        assert.equal(r2.outs.selectedBackupId, "bk-newer0001");
    });

    it("nothing found, or only too old: fails before anything is created, saying what was searched", async () => {
        await rejects(
            p.create(inputs({ backupSelector: { instanceId: "c-nobackups000001" } })),
            /found no backups of instance c-nobackups000001 in region cn-hangzhou/,
        );
        await rejects(
            p.create(inputs({ backupSelector: { instanceId: SOURCE, maxAge: "4h" } })),
            /no complete backup at most 4h old.*bk-good00001.*maxAge/,
        );
        assert.equal(server.count("RestoreInstance"), 0);
        const ok = await p.create(inputs({ backupSelector: { instanceId: SOURCE, maxAge: "6h" } }));
        assert.equal(ok.outs.selectedBackupId, "bk-good00001");
    });

    it("an explicit id: its record gives selectedBackupTime; a running or failed one is refused with its status", async () => {
        const t0 = clock.now();
        const r = await p.create(inputs({ backupTaskId: "bk-old000001" }));
        assert.equal(r.outs.selectedBackupId, "bk-old000001");
        assert.equal(r.outs.selectedBackupTime, utc(t0 - 30 * H));
        // The same create again (an earlier up failed after RestoreInstance): the instance is followed, and the
        // explicit id is still reported with its time.
        const again = await p.create(inputs({ backupTaskId: "bk-old000001" }));
        assert.equal(again.id, r.id);
        assert.equal(again.outs.adopted, true);
        assert.equal(again.outs.selectedBackupId, "bk-old000001");
        assert.equal(again.outs.selectedBackupTime, utc(t0 - 30 * H));
        await rejects(
            p.create(inputs({ backupTaskId: "bk-running01", instanceName: "b" })),
            /backupTaskId: backup bk-running01 has status RUNNING; only a complete backup/,
        );
        await rejects(p.create(inputs({ backupTaskId: "bk-failed001", instanceName: "c" })), /status FAILED/);
        await rejects(
            p.create(
                inputs({ backupSelector: { instanceId: SOURCE, after: new Date(clock.now() - 3 * H).toISOString() } }),
            ),
            /none of the 2 backups.*statuses seen: RUNNING, FAILED/,
        );
        assert.equal(server.count("RestoreInstance"), 1);
    });

    it("check: both id and selector, neither, and bad selector fields are failures naming the fields", () => {
        const both = checked({ backupTaskId: "bk-good00001", backupSelector: { instanceId: SOURCE } }).failures;
        assert.ok(
            both.some(
                (f) => f.property === "backupSelector" && /backupTaskId.*backupSelector.*not both/.test(f.reason),
            ),
            JSON.stringify(both),
        );
        const neither = checked({}).failures;
        assert.ok(
            neither.some((f) => f.property === "backupTaskId" && /backupTaskId.*or backupSelector/.test(f.reason)),
            JSON.stringify(neither),
        );
        const bad = checked({
            backupSelector: { instanceId: "nope", maxAge: "a day", after: "yesterday", kind: "x" },
        }).failures.map((f) => f.property);
        assert.deepEqual(bad.sort(), [
            "backupSelector.after",
            "backupSelector.instanceId",
            "backupSelector.kind",
            "backupSelector.maxAge",
        ]);
        assert.ok(
            checked({ backupSelector: { instanceId: SOURCE }, triggers: { week: { nested: 1 } } }).failures.some(
                (f) => f.property === "triggers.week",
            ),
        );
    });
});

describe("alicloud.starrocks.getBackups / getLatestBackup (emulator, stack config)", function () {
    this.timeout(30_000);
    let server: EmulatorServer;
    before(async () => {
        // The real clock: the lookups run in the program, at preview, on the machine's time.
        const svc = new StarRocksService({ credentials: { [AK]: SK } });
        server = new EmulatorServer(svc);
        const url = await server.start();
        for (const [k, v] of Object.entries({
            "alicloud:endpoint": url,
            "alicloud:region": "cn-hangzhou",
            "alicloud:accessKey": AK,
            "alicloud:secretKey": SK,
        })) {
            pulumi.runtime.setConfig(k, v);
        }
        // 60 backups: more than one page of the API.
        for (let i = 0; i < 60; i++)
            svc.seed("backup", {
                BackupTaskId: `bk-page${String(i).padStart(5, "0")}`,
                InstanceId: SOURCE,
                ageMs: (i + 1) * H,
                BackupType: i % 2 ? "1" : "0",
            });
        svc.seed("backup", { BackupTaskId: "bk-running01", InstanceId: SOURCE, ageMs: 0, Status: "RUNNING" });
    });
    after(async () => {
        for (const k of ["alicloud:endpoint", "alicloud:region", "alicloud:accessKey", "alicloud:secretKey"])
            pulumi.runtime.setConfig(k, "");
        await server.stop();
    });

    it("lists every page newest first, with filters; the latest complete one skips the running one", async () => {
        const all = await getBackups({ instanceId: SOURCE });
        assert.equal(all.backups.length, 61);
        assert.equal(all.backups[0].backupId, "bk-running01");
        assert.equal(all.region, "cn-hangzhou");
        const incr = await getBackups({
            instanceId: SOURCE,
            backupType: "1",
            completeOnly: true,
            maxAge: "10h",
        });
        assert.deepEqual(
            incr.backups.map((b) => b.backupId),
            ["bk-page00001", "bk-page00003", "bk-page00005", "bk-page00007"],
        );
        const latest = await getLatestBackup({ instanceId: SOURCE });
        assert.equal(latest.backupId, "bk-page00000");
        assert.equal(latest.status, "COMPLETED");
        const full = await getLatestBackup({ instanceId: SOURCE, backupType: "1" });
        assert.equal(full.backupId, "bk-page00001");
    });

    it("nothing found is an error saying what was searched; bad arguments name the field; the secret never shows", async () => {
        const e1 = await getBackups({ instanceId: "c-nobackups000001", backupType: "0" }).then(
            () => undefined,
            (e: Error) => e,
        );
        assert.match(
            String(e1?.message),
            /alicloud\.starrocks\.getBackups: found no backups of instance c-nobackups000001 in region cn-hangzhou \(type 0\)/,
        );
        const e2 = await getLatestBackup({ instanceId: SOURCE, maxAge: "30m" }).then(
            () => undefined,
            (e: Error) => e,
        );
        assert.match(String(e2?.message), /getLatestBackup: no complete backup at most 30m old/);
        const e3 = await getBackups({ instanceId: SOURCE, maxAge: "soon" }).then(
            () => undefined,
            (e: Error) => e,
        );
        assert.match(String(e3?.message), /getBackups\.maxAge: must be a duration/);
        for (const e of [e1, e2, e3]) assert.ok(!String(e?.message).includes(SK));
    });
});
