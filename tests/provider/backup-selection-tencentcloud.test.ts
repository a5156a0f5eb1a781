import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { EmulatorServer } from "../../emulator/core/server";
import { TencentRedisService } from "../../emulator/tencentcloud/redis";
import { setProgressSink } from "../../provider/core/progress";
import { checkInstanceRestore } from "../../provider/tencentcloud/redisInputs";
import { RedisRestoreProvider } from "../../provider/tencentcloud/redisProvider";
import { getBackups, getLatestBackup } from "../../provider/tencentcloud/redis";
import { rejects } from "../support/assertions";
import { VirtualClock } from "../../harness/clock";

const SECRET_ID = "AKIDselecttest0001";
const SECRET_KEY = "select-test-secret-key-0001";
const TOKEN = "prt-0123456789abcdef0123";
const FAST = { minIntervalMs: 1000, maxIntervalMs: 5000, fraction: 0.05 };
const SOURCE = "crs-prod0001";
const H = 3_600_000;

describe("tencentcloud redis: choosing the backup (emulator)", function () {
    this.timeout(30_000);
    let clock: VirtualClock;
    let svc: TencentRedisService;
    let server: EmulatorServer;
    let p: RedisRestoreProvider;
    let stateDir: string;

    beforeEach(async () => {
        clock = new VirtualClock();
        svc = new TencentRedisService({
            clock,
            credentials: { [SECRET_ID]: SECRET_KEY },
            timings: { prepareMs: 2000, runMs: 8000 },
        });
        server = new EmulatorServer(svc);
        const url = await server.start();
        stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "h-select-tc-"));
        p = new RedisRestoreProvider(
            { clock, env: { PULUMI_RESTORE_STATE_DIR: stateDir }, schedule: FAST, settleMs: 6000, random: () => 0.5 },
            { "tencentcloud:endpoint": url, "tencentcloud:secretId": SECRET_ID, "tencentcloud:secretKey": SECRET_KEY },
        );
        setProgressSink(() => undefined);
        svc.seed("instance", { InstanceId: SOURCE });
        svc.seed("instance", { InstanceId: "crs-empty001" });
        // Statuses: 2 normal, -1 expired, 1 in a flow with no end time yet (still being taken). Oldest to newest.
        svc.seed("backup", { InstanceId: SOURCE, BackupId: "bk-old", ageMs: 30 * H, BackupType: "1" });
        svc.seed("backup", { InstanceId: SOURCE, BackupId: "bk-good", ageMs: 5 * H, BackupType: "0" });
        svc.seed("backup", { InstanceId: SOURCE, BackupId: "bk-expired", ageMs: 2 * H, Status: -1 });
        svc.seed("backup", { InstanceId: SOURCE, BackupId: "bk-taking", ageMs: H / 2, Status: 1, taking: true });
    });
    afterEach(async () => {
        setProgressSink(undefined);
        await server.stop();
        fs.rmSync(stateDir, { recursive: true, force: true });
    });

    function inputs(over: Record<string, unknown>): ReturnType<typeof checkInstanceRestore>["inputs"] {
        const { inputs: i, failures } = checkInstanceRestore({ restoreToken: TOKEN, instanceId: SOURCE, ...over });
        assert.deepEqual(failures, []);
        return i;
    }
    const restoredFrom = () => [...svc.tasks.values()].map((t) => (t as unknown as { BackupId: string }).BackupId);
    // Beijing-time seconds: the API's times carry no milliseconds.
    // Output times are UTC to the second, without milliseconds (provider/core/time.ts).
    const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");

    it("restores the latest normal backup: expired ones and one without an end time are skipped; the choice is an output", async () => {
        const t0 = clock.now();
        const r = await p.create(inputs({ backupSelector: {} }));
        assert.equal(r.outs.selectedBackupId, "bk-good");
        assert.equal(r.outs.selectedBackupTime, iso(t0 - 5 * H));
        assert.equal(r.outs.backupId, undefined, "the input stays a selector");
        assert.deepEqual(restoredFrom(), ["bk-good"]);
    });

    it("a newest backup held by another flow is chosen and waited out, not passed over for an older one", async () => {
        // Ended an hour ago: newer than every other complete backup. Held by another flow for two minutes.
        svc.seed("backup", { InstanceId: SOURCE, BackupId: "bk-held", ageMs: H, BackupType: "0" });
        svc.lock("backup", "bk-held", 120_000);
        const lines: string[] = [];
        setProgressSink((l) => lines.push(l));
        const r = await p.create(inputs({ backupSelector: { maxAge: "1d" } }));
        assert.equal(r.outs.selectedBackupId, "bk-held");
        assert.deepEqual(restoredFrom(), ["bk-held"]);
        assert.ok(
            lines.some((l) => /backup bk-held is locked by another flow/.test(l)),
            `a progress line says what is waited for: ${lines.join(" | ")}`,
        );
    });

    it("a newer backup later changes nothing; a triggers change restores again from the then-newest", async () => {
        const first = inputs({ backupSelector: { maxAge: "1d" }, triggers: { week: "2026-11-23" } });
        const r = await p.create(first);
        svc.seed("backup", { InstanceId: SOURCE, BackupId: "bk-newer", ageMs: 0 });
        assert.equal((await p.diff(r.id, r.outs, first)).changes, false);
        const next = inputs({ backupSelector: { maxAge: "1d" }, triggers: { week: "2026-11-30" } });
        const d = await p.diff(r.id, r.outs, next);
        assert.deepEqual(d.replaces, ["triggers"]);
        const r2 = await p.create(next);
        assert.equal(r2.outs.selectedBackupId, "bk-newer");
        assert.deepEqual(restoredFrom(), ["bk-good", "bk-newer"]);
    });

    it("nothing found, too old, wrong type: fails before RestoreInstance, saying what was searched", async () => {
        await rejects(
            p.create(inputs({ instanceId: "crs-empty001", backupSelector: {} })),
            /found no backups of instance crs-empty001 in region ap-guangzhou/,
        );
        await rejects(
            p.create(inputs({ backupSelector: { maxAge: "4h" } })),
            /no complete backup at most 4h old.*bk-good/,
        );
        await rejects(
            p.create(inputs({ backupSelector: { backupType: "1", after: iso(clock.now() - 10 * H) } })),
            /found no backups of instance crs-prod0001.*type 1/,
        );
        assert.equal(server.count("RestoreInstance"), 0);
    });

    it("an explicit id: selectedBackupTime from its record; an expired one (not listed) is refused", async () => {
        const t0 = clock.now();
        const r = await p.create(inputs({ backupId: "bk-old" }));
        assert.equal(r.outs.selectedBackupId, "bk-old");
        assert.equal(r.outs.selectedBackupTime, iso(t0 - 30 * H));
        await rejects(
            p.create(inputs({ backupId: "bk-expired", triggers: { n: 2 } })),
            // DescribeInstanceBackups lists Status 1 and 2 only (the SDK's enum): an expired backup is not among them.
            /backupId: backup bk-expired is not among the backups of instance crs-prod0001.*or has expired/,
        );
        assert.equal(server.count("RestoreInstance"), 1);
    });

    it("check: both, neither, and a selector naming another instance are failures naming the fields", () => {
        const f = (o: Record<string, unknown>) =>
            checkInstanceRestore({ restoreToken: TOKEN, instanceId: SOURCE, ...o }).failures;
        assert.ok(
            f({ backupId: "bk-good", backupSelector: {} }).some(
                (x) => x.property === "backupSelector" && /not both/.test(x.reason),
            ),
        );
        assert.ok(f({}).some((x) => x.property === "backupId" && /backupId.*or backupSelector/.test(x.reason)));
        assert.ok(
            f({ backupSelector: { instanceId: "crs-empty001" } }).some(
                (x) => x.property === "backupSelector.instanceId" && /own backups/.test(x.reason),
            ),
        );
        assert.ok(
            f({ backupSelector: { backupType: "auto" } }).some((x) => x.property === "backupSelector.backupType"),
        );
    });
});

describe("tencentcloud.redis.getBackups / getLatestBackup (emulator, stack config)", function () {
    this.timeout(30_000);
    let server: EmulatorServer;
    let svc: TencentRedisService;
    const KEYS = ["tencentcloud:endpoint", "tencentcloud:secretId", "tencentcloud:secretKey", "tencentcloud:region"];
    before(async () => {
        svc = new TencentRedisService({ credentials: { [SECRET_ID]: SECRET_KEY } });
        server = new EmulatorServer(svc);
        const url = await server.start();
        const cfg: Record<string, string> = {
            "tencentcloud:endpoint": url,
            "tencentcloud:secretId": SECRET_ID,
            "tencentcloud:secretKey": SECRET_KEY,
            "tencentcloud:region": "ap-guangzhou",
        };
        for (const k of KEYS) pulumi.runtime.setConfig(k, cfg[k]);
        svc.seed("instance", { InstanceId: SOURCE });
        // 130 backups: two pages of the API (Limit 100).
        for (let i = 0; i < 130; i++)
            svc.seed("backup", {
                InstanceId: SOURCE,
                BackupId: `bk-${String(i).padStart(4, "0")}`,
                ageMs: (i + 1) * H,
                BackupType: i % 2 ? "1" : "0",
            });
        svc.seed("backup", { InstanceId: SOURCE, BackupId: "bk-expired", ageMs: 0, Status: -1 });
        // In a flow with no end time yet: possibly still being taken, so never chosen.
        svc.seed("backup", { InstanceId: SOURCE, BackupId: "bk-locked", ageMs: 0, Status: 1, taking: true });
    });
    after(async () => {
        for (const k of KEYS) pulumi.runtime.setConfig(k, "");
        await server.stop();
    });

    it("lists every page newest first with filters; the latest skips one not yet ended, keeps a held one; none is a clear error", async () => {
        const all = await getBackups({ instanceId: SOURCE });
        // The expired backup is not listed: the listing asks for Status 1 and 2, the SDK's enum.
        assert.equal(all.backups.length, 131);
        assert.equal(all.backups[0].backupId, "bk-locked");
        assert.equal(all.backups[0].complete, false);
        const auto = await getBackups({ instanceId: SOURCE, backupType: "1", maxAge: "5h" });
        assert.deepEqual(
            auto.backups.map((b) => b.backupId),
            ["bk-0001", "bk-0003"],
        );
        const latest = await getLatestBackup({ instanceId: SOURCE });
        assert.equal(latest.backupId, "bk-0000");
        // Held by another flow once it has ended: still complete, still the latest (a restore waits the hold out).
        svc.lock("backup", "bk-0000", 3_600_000);
        const held = await getBackups({ instanceId: SOURCE, maxAge: "90m" });
        assert.deepEqual(
            held.backups.map((b) => [b.backupId, b.status, b.complete]),
            [
                ["bk-locked", "1", false],
                ["bk-0000", "1", true],
            ],
        );
        assert.equal((await getLatestBackup({ instanceId: SOURCE })).backupId, "bk-0000");
        const e = await getBackups({ instanceId: SOURCE, statuses: ["4"] }).then(
            () => undefined,
            (x: Error) => x,
        );
        assert.match(
            String(e?.message),
            /tencentcloud\.redis\.getBackups: found no backups of instance crs-prod0001 in region ap-guangzhou \(status 4\)/,
        );
        assert.ok(!String(e?.message).includes(SECRET_KEY));
    });
});
