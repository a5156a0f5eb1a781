import { strict as assert } from "assert";
import { utcIso as utc } from "../../provider/core/time";
import * as pulumi from "@pulumi/pulumi";
import { EmulatorServer } from "../../emulator/core/server";
import { JdcloudRdsService } from "../../emulator/jdcloud/rds";
import { setProgressSink } from "../../provider/core/progress";
import { checkRdsRestore } from "../../provider/jdcloud/rdsInputs";
import { RdsRestoreProvider } from "../../provider/jdcloud/rdsProvider";
import { getBackups, getLatestBackup } from "../../provider/jdcloud/rds";
import { rejects } from "../support/assertions";
import { VirtualClock } from "../../harness/clock";

const AK = "jdcloud-select-test-ak";
const SK = "jdcloud-select-test-secret-0001";
const TOKEN = "prt-0123456789abcdef0123";
const FAST = { minIntervalMs: 1000, maxIntervalMs: 5000, fraction: 0.05 };
const SOURCE = "mysql-prod00001";
const H = 3_600_000;
const SPEC = {
    instanceClass: "db.mysql.s1.micro",
    instanceStorageGB: 20,
    azId: ["cn-north-1a", "cn-north-1a"],
    vpcId: "vpc-test0001",
    subnetId: "subnet-test0001",
    chargeSpec: {},
};

describe("jdcloud rds: choosing the backup (emulator)", function () {
    this.timeout(30_000);
    let clock: VirtualClock;
    let svc: JdcloudRdsService;
    let server: EmulatorServer;
    let p: RdsRestoreProvider;

    beforeEach(async () => {
        clock = new VirtualClock();
        svc = new JdcloudRdsService({ clock, credentials: { [AK]: SK }, timings: { buildMs: 20_000, deleteMs: 5000 } });
        server = new EmulatorServer(svc);
        const url = await server.start();
        p = new RdsRestoreProvider(
            { clock, env: {}, schedule: FAST, settleMs: 6000, random: () => 0.5 },
            { "jdcloud:endpoint": url, "jdcloud:accessKey": AK, "jdcloud:secretKey": SK },
        );
        setProgressSink(() => undefined);
        svc.seed("backup", { backupId: "bk-old", instanceId: SOURCE, ageMs: 30 * H, backupMode: "manual" });
        svc.seed("backup", { backupId: "bk-good", instanceId: SOURCE, ageMs: 5 * H });
        svc.seed("backup", { backupId: "bk-failed", instanceId: SOURCE, ageMs: 2 * H, backupStatus: "FAILED" });
        svc.seed("backup", { backupId: "bk-running", instanceId: SOURCE, ageMs: 0, backupStatus: "RUNNING" });
    });
    afterEach(async () => {
        setProgressSink(undefined);
        await server.stop();
    });

    function checked(over: Record<string, unknown>) {
        return checkRdsRestore({
            restoreToken: TOKEN,
            regionId: "cn-north-1",
            engine: "MySQL",
            instanceSpec: SPEC,
            ...over,
        });
    }
    function inputs(over: Record<string, unknown>): Record<string, unknown> {
        const { inputs: i, failures } = checked(over);
        assert.deepEqual(failures, []);
        return i as unknown as Record<string, unknown>;
    }
    const restoredFrom = () => [...svc.instances.values()].map((i) => i.backupId);

    it("restores the latest COMPLETED backup: failed and running ones are skipped; the choice is an output", async () => {
        const t0 = clock.now();
        const r = await p.create(inputs({ backupSelector: { instanceId: SOURCE } }));
        assert.equal(r.outs.selectedBackupId, "bk-good");
        assert.equal(r.outs.selectedBackupTime, utc(t0 - 5 * H));
        assert.deepEqual(restoredFrom(), ["bk-good"]);
    });

    it("a newer backup later changes nothing; a triggers change replaces (a new derived name) and picks the newest", async () => {
        const first = inputs({ backupSelector: { instanceId: SOURCE }, triggers: { week: "2026-11-23" } });
        const r = await p.create(first);
        svc.seed("backup", { backupId: "bk-newer", instanceId: SOURCE, ageMs: 0 });
        assert.equal((await p.diff(r.id, r.outs, first)).changes, false);
        const next = inputs({ backupSelector: { instanceId: SOURCE }, triggers: { week: "2026-11-30" } });
        const d = await p.diff(r.id, r.outs, next);
        assert.ok(d.replaces?.includes("triggers"), JSON.stringify(d));
        assert.equal(
            d.deleteBeforeReplace,
            false,
            "the new instance has its own name: created before the old one goes",
        );
        const r2 = await p.create(next);
        assert.notEqual(r2.id, r.id);
        assert.equal(r2.outs.selectedBackupId, "bk-newer");
    });

    it("nothing found, only too old, only incomplete: fails before createInstanceFromBackup, saying what was searched", async () => {
        await rejects(
            p.create(inputs({ backupSelector: { instanceId: "mysql-none00001" } })),
            /found no backups of instance mysql-none00001 in region cn-north-1/,
        );
        await rejects(
            p.create(inputs({ backupSelector: { instanceId: SOURCE, maxAge: "4h" } })),
            /no complete backup at most 4h old.*bk-good/,
        );
        await rejects(
            p.create(
                inputs({ backupSelector: { instanceId: SOURCE, after: new Date(clock.now() - 3 * H).toISOString() } }),
            ),
            /statuses seen: RUNNING, FAILED/,
        );
        await rejects(
            p.create(inputs({ backupSelector: { instanceId: SOURCE, backupType: "manual", maxAge: "1d" } })),
            /at most 1d old.*type manual.*bk-old/,
        );
        assert.equal(server.count("createInstanceFromBackup"), 0);
    });

    it("an explicit id is kept as selectedBackupId (its record cannot be looked up without the source)", async () => {
        const r = await p.create(inputs({ backupId: "bk-old" }));
        assert.equal(r.outs.selectedBackupId, "bk-old");
        assert.equal(r.outs.selectedBackupTime, undefined);
    });

    it("check: both, neither (unless adopting), bad selector fields", () => {
        assert.ok(
            checked({ backupId: "bk-good", backupSelector: { instanceId: SOURCE } }).failures.some(
                (f) => f.property === "backupSelector" && /not both/.test(f.reason),
            ),
        );
        assert.ok(checked({}).failures.some((f) => f.property === "backupId" && /or backupSelector/.test(f.reason)));
        assert.deepEqual(checked({ adoptId: "mysql-k2x7ab9q0w" }).failures, []);
        const bad = checked({ backupSelector: { instanceId: "x", backupType: "weekly" }, triggers: [1] })
            .failures.map((f) => f.property)
            .sort();
        assert.deepEqual(bad, ["backupSelector.backupType", "backupSelector.instanceId", "triggers"]);
    });
});

describe("jdcloud.rds.getBackups / getLatestBackup (emulator, stack config)", function () {
    this.timeout(30_000);
    let server: EmulatorServer;
    const KEYS = ["jdcloud:endpoint", "jdcloud:accessKey", "jdcloud:secretKey", "jdcloud:region"];
    before(async () => {
        const svc = new JdcloudRdsService({ credentials: { [AK]: SK } });
        server = new EmulatorServer(svc);
        const url = await server.start();
        const cfg: Record<string, string> = {
            "jdcloud:endpoint": url,
            "jdcloud:accessKey": AK,
            "jdcloud:secretKey": SK,
            "jdcloud:region": "cn-north-1",
        };
        for (const k of KEYS) pulumi.runtime.setConfig(k, cfg[k]);
        // 120 backups: two pages of describeBackups (100 per page).
        for (let i = 0; i < 120; i++)
            svc.seed("backup", {
                backupId: `bk-${String(i).padStart(4, "0")}`,
                instanceId: SOURCE,
                ageMs: (i + 1) * H,
                backupMode: i % 2 ? "manual" : "auto",
            });
        svc.seed("backup", { backupId: "bk-running", instanceId: SOURCE, ageMs: 0, backupStatus: "RUNNING" });
    });
    after(async () => {
        for (const k of KEYS) pulumi.runtime.setConfig(k, "");
        await server.stop();
    });

    it("lists every page newest first with filters; the latest skips the running one; none is a clear error", async () => {
        const all = await getBackups({ instanceId: SOURCE });
        assert.equal(all.backups.length, 121);
        assert.equal(all.backups[0].status, "RUNNING");
        const manual = await getBackups({
            instanceId: SOURCE,
            backupType: "manual",
            statuses: ["COMPLETED"],
            maxAge: "5h",
        });
        assert.deepEqual(
            manual.backups.map((b) => b.backupId),
            ["bk-0001", "bk-0003"],
        );
        assert.equal((await getLatestBackup({ instanceId: SOURCE })).backupId, "bk-0000");
        const e = await getLatestBackup({ instanceId: "mysql-none00001" }).then(
            () => undefined,
            (x: Error) => x,
        );
        assert.match(
            String(e?.message),
            /jdcloud\.rds\.getLatestBackup: found no backups of instance mysql-none00001 in region cn-north-1/,
        );
        assert.ok(!String(e?.message).includes(SK));
    });
});
