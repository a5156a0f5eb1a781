import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { InstanceRestore } from "../../provider/tencentcloud/redis";
import { EmulatorServer } from "../../emulator/core/server";
import { TencentRedisService } from "../../emulator/tencentcloud/redis";
import { Engine } from "../../harness/engine";

const SECRET_ID = "AKIDlifecycle000001";
const SECRET_KEY = "lifecycle-secret-key-do-not-print";
const PASSWORD = "Redis-pa55word-secret";
const NEW_PASSWORD = "Redis-n3w-secret-pw";

describe("tencentcloud.redis.InstanceRestore lifecycle (real dynamic-provider host)", function () {
    this.timeout(120_000);
    let server: EmulatorServer;
    let svc: TencentRedisService;
    let eng: Engine;

    async function start(
        timings: { prepareMs: number; runMs: number },
        seed: (s: TencentRedisService) => void,
    ): Promise<void> {
        svc = new TencentRedisService({ credentials: { [SECRET_ID]: SECRET_KEY }, timings });
        seed(svc);
        server = new EmulatorServer(svc);
        const url = await server.start();
        eng = new Engine({
            config: {
                "tencentcloud:endpoint": url,
                "tencentcloud:secretId": SECRET_ID,
                "tencentcloud:secretKey": SECRET_KEY,
                "tencentcloud:region": "ap-guangzhou",
            },
            secretConfigKeys: ["tencentcloud:secretKey"],
        });
    }

    afterEach(async () => {
        await eng?.close();
        await server?.stop();
    });

    /** The host's restore journal (the engine's own PULUMI_RESTORE_STATE_DIR, fresh per test: task ids restart in every emulator). */
    function journal(): string[] {
        const dir = eng.stateDir;
        return fs.existsSync(dir)
            ? fs
                  .readdirSync(dir)
                  .filter((n) => n.endsWith(".json"))
                  .map((n) => fs.readFileSync(path.join(dir, n), "utf8"))
            : [];
    }

    function everythingPrinted(): string {
        return [
            eng.serializedState(),
            ...journal(),
            ...eng.hosts.flatMap((h) => [...h.stdout, ...h.stderr]),
            ...eng.allErrors.map((e) => e.message),
        ].join("\n");
    }

    /** Waits (real time) until `pred` holds. */
    async function until(what: string, pred: () => boolean, ms = 20_000): Promise<void> {
        const end = Date.now() + ms;
        while (!pred()) {
            if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
            await new Promise((r) => setTimeout(r, 50));
        }
    }

    /** Kills the host at the first `action` request made once a restore task exists (or, for RestoreInstance, at the call itself). */
    function killAt(action: "RestoreInstance" | "DescribeTaskInfo"): { killed: () => boolean } {
        let killed = false;
        server.onRequest = (a) => {
            if (killed || a !== action) return;
            if (action === "DescribeTaskInfo" && svc.restoreTasks().length === 0) return;
            killed = true;
            eng.host!.kill();
        };
        return { killed: () => killed };
    }

    it("preview, up, no-op up, password update, new backup restores again, refresh, destroy; secrets never leak", async () => {
        await start({ prepareMs: 200, runMs: 400 }, (s) => {
            s.seed("instance", { InstanceId: "crs-life0001", Password: PASSWORD });
            s.seed("backup", { InstanceId: "crs-life0001", BackupId: "100000000000000000000001" });
            s.seed("backup", { InstanceId: "crs-life0001", BackupId: "100000000000000000000002" });
        });
        let backupId = "100000000000000000000001";
        let password = PASSWORD;
        const program = () => {
            const r = new InstanceRestore("cache-restore", {
                instanceId: "crs-life0001",
                backupId,
                password,
                timeouts: { create: "5m" },
            });
            return { taskId: r.taskId, status: r.status };
        };

        const pv = await eng.preview(program);
        assert.deepEqual(pv.errors, []);
        assert.equal(pv.steps[0].op, "create");
        assert.equal(server.count(), 0, "preview makes no API call");

        const up = await eng.up(program);
        assert.deepEqual(
            up.errors.map((e) => e.message),
            [],
        );
        const st = eng.resource("cache-restore")!;
        assert.equal(st.outputs.status, "succeed");
        assert.equal(svc.restoreTasks().length, 1);
        assert.equal(st.outputs.taskId, svc.restoreTasks()[0].TaskId);
        assert.equal(st.id, `crs-life0001:${svc.restoreTasks()[0].TaskId}`);
        assert.equal((up.outputs as { status: string }).status, "succeed");

        const again = await eng.up(program);
        assert.deepEqual(again.errors, []);
        assert.equal(again.steps[0].op, "same");
        assert.equal(server.count("RestoreInstance"), 1);

        // The instance's password was changed (console); the stack follows: state only, no restore.
        svc.instances.get("crs-life0001")!.Password = NEW_PASSWORD;
        password = NEW_PASSWORD;
        const pw = await eng.up(program);
        assert.deepEqual(
            pw.errors.map((e) => e.message),
            [],
        );
        assert.equal(pw.steps[0].op, "update");
        assert.equal(server.count("RestoreInstance"), 1, "a password change does not restore");
        assert.ok(eng.host!.stdout.some((l) => /password changed: recorded in state only/.test(l)));

        backupId = "100000000000000000000002";
        const pvr = await eng.preview(program);
        assert.match(pvr.steps[0].detail ?? "", /replace \(backupId\)/);
        const re = await eng.up(program);
        assert.deepEqual(
            re.errors.map((e) => e.message),
            [],
        );
        assert.equal(re.steps[0].op, "replace");
        assert.equal(svc.restoreTasks().length, 2);
        assert.equal(
            svc.restoreTasks().find((t) => t.TaskId === eng.resource("cache-restore")!.outputs.taskId)?.BackupId,
            backupId,
        );

        const rf = await eng.refresh();
        assert.deepEqual(rf.errors, []);
        assert.equal(rf.steps[0].op, "read");

        const tasksBefore = svc.restoreTasks().length;
        const ds = await eng.destroy();
        assert.deepEqual(ds.errors, []);
        assert.equal(ds.steps[0].op, "delete");
        assert.equal(eng.resource("cache-restore"), undefined);
        assert.equal(svc.restoreTasks().length, tasksBefore, "destroy starts nothing");
        assert.ok(svc.instances.has("crs-life0001"), "the instance and its data stay");
        assert.ok(
            eng.host!.stdout.some((l) => /NOT rolled back/.test(l)),
            "destroy warns that the restore is not undone",
        );

        const all = everythingPrinted();
        for (const secret of [PASSWORD, NEW_PASSWORD, SECRET_KEY])
            assert.ok(!all.includes(secret), "a secret leaked into state, output or errors");
    });

    it("refresh drops the resource when the instance was deleted out of band; check failures name the property", async () => {
        await start({ prepareMs: 100, runMs: 200 }, (s) => {
            s.seed("instance", { InstanceId: "crs-life0002" });
            s.seed("backup", { InstanceId: "crs-life0002", BackupId: "b-0002" });
        });
        const up = await eng.up(() => new InstanceRestore("r2", { instanceId: "crs-life0002", backupId: "b-0002" }));
        assert.deepEqual(
            up.errors.map((e) => e.message),
            [],
        );
        svc.deleteInstance("crs-life0002");
        const rf = await eng.refresh();
        assert.equal(rf.steps[0].op, "refresh-delete");
        assert.equal(eng.resource("r2"), undefined);

        const bad = await eng.preview(
            () => new InstanceRestore("r3", { instanceId: "redis-1", backupId: "../../etc" }),
        );
        const text = bad.errors.map((e) => e.message).join("\n");
        assert.match(text, /instanceId: must be a Redis instance id such as "crs-5a4py64p"/);
        assert.match(text, /backupId: must be a backup id/);
        assert.equal(server.count("RestoreInstance"), 1);
    });

    it("host killed mid-restore, then up again: follows the same task (exactly one restore task)", async () => {
        await start({ prepareMs: 300, runMs: 6000 }, (s) => {
            s.seed("instance", { InstanceId: "crs-life0003", Password: PASSWORD });
            s.seed("backup", { InstanceId: "crs-life0003", BackupId: "b-0003" });
        });
        let killed = false;
        server.onRequest = (action) => {
            if (action === "DescribeTaskInfo" && !killed && svc.restoreTasks().length === 1) {
                killed = true;
                eng.host!.kill();
            }
        };
        const program = () =>
            new InstanceRestore("r4", { instanceId: "crs-life0003", backupId: "b-0003", password: PASSWORD });
        const first = await eng.up(program);
        assert.ok(killed);
        assert.ok(first.errors.length > 0, "the interrupted up fails");
        assert.equal(eng.resource("r4"), undefined, "nothing was recorded");
        server.onRequest = undefined;
        const second = await eng.up(program);
        assert.deepEqual(
            second.errors.map((e) => e.message),
            [],
        );
        assert.equal(svc.restoreTasks("crs-life0003").length, 1, "exactly one restore task");
        assert.equal(server.count("RestoreInstance"), 1);
        const st = eng.resource("r4")!;
        assert.equal(st.outputs.taskId, svc.restoreTasks()[0].TaskId);
        assert.equal(st.outputs.adopted, true);
        assert.equal(st.outputs.status, "succeed");
    });

    it("host killed after RestoreInstance was accepted, task finished before the next up: follows it; after destroy the same restore runs again", async () => {
        await start({ prepareMs: 200, runMs: 1200 }, (s) => {
            s.seed("instance", { InstanceId: "crs-life0005", Password: PASSWORD });
            s.seed("backup", { InstanceId: "crs-life0005", BackupId: "b-0005" });
        });
        const k = killAt("DescribeTaskInfo");
        const program = () =>
            new InstanceRestore("r5", { instanceId: "crs-life0005", backupId: "b-0005", password: PASSWORD });
        const first = await eng.up(program);
        assert.ok(k.killed());
        assert.ok(first.errors.length > 0, "the interrupted up fails");
        assert.equal(eng.resource("r5"), undefined, "nothing was recorded");
        assert.equal(journal().length, 1, "the journal remembers the restore");
        server.onRequest = undefined;
        await until("the restore task to succeed", () => svc.restoreTasks()[0]?.Status === "succeed");

        const second = await eng.up(program);
        assert.deepEqual(
            second.errors.map((e) => e.message),
            [],
        );
        assert.equal(svc.restoreTasks("crs-life0005").length, 1, "exactly one restore task");
        assert.equal(server.count("RestoreInstance"), 1);
        const st = eng.resource("r5")!;
        assert.equal(st.outputs.taskId, svc.restoreTasks()[0].TaskId);
        assert.equal(st.id, `crs-life0005:${svc.restoreTasks()[0].TaskId}`);
        assert.equal(st.outputs.adopted, true);
        assert.equal(st.outputs.status, "succeed");
        assert.deepEqual(journal(), [], "the entry is gone once the engine has the outcome");

        const ds = await eng.destroy();
        assert.deepEqual(ds.errors, []);
        const third = await eng.up(program);
        assert.deepEqual(
            third.errors.map((e) => e.message),
            [],
        );
        assert.equal(svc.restoreTasks("crs-life0005").length, 2, "declared again after destroy: a new restore");
        assert.equal(eng.resource("r5")!.outputs.adopted, false);
        assert.equal(eng.resource("r5")!.outputs.taskId, Math.max(...svc.restoreTasks().map((t) => t.TaskId)));

        const all = everythingPrinted();
        for (const secret of [PASSWORD, SECRET_KEY])
            assert.ok(!all.includes(secret), "a secret leaked into state, journal, output or errors");
    });

    it("host killed during the RestoreInstance call (answer never seen), task finished: the next up finds and follows it", async () => {
        await start({ prepareMs: 200, runMs: 800 }, (s) => {
            s.seed("instance", { InstanceId: "crs-life0006" });
            s.seed("backup", { InstanceId: "crs-life0006", BackupId: "b-0006" });
        });
        const k = killAt("RestoreInstance");
        const program = () => new InstanceRestore("r6", { instanceId: "crs-life0006", backupId: "b-0006" });
        const first = await eng.up(program);
        assert.ok(k.killed());
        assert.ok(first.errors.length > 0);
        server.onRequest = undefined;
        await until("the restore task to succeed", () => svc.restoreTasks()[0]?.Status === "succeed");
        const entries = journal().map((t) => JSON.parse(t) as { taskId?: number });
        assert.equal(entries.length, 1);
        assert.equal(entries[0].taskId, undefined, "the host died before it learnt the task id");

        const second = await eng.up(program);
        assert.deepEqual(
            second.errors.map((e) => e.message),
            [],
        );
        assert.equal(svc.restoreTasks("crs-life0006").length, 1, "exactly one restore task");
        assert.equal(eng.resource("r6")!.outputs.taskId, svc.restoreTasks()[0].TaskId);
        assert.equal(eng.resource("r6")!.outputs.adopted, true);
    });

    it("host killed after RestoreInstance was accepted, then triggers and backupId change: each restores again", async () => {
        await start({ prepareMs: 200, runMs: 800 }, (s) => {
            s.seed("instance", { InstanceId: "crs-life0007" });
            s.seed("backup", { InstanceId: "crs-life0007", BackupId: "b-0007a" });
            s.seed("backup", { InstanceId: "crs-life0007", BackupId: "b-0007b" });
        });
        let backupId = "b-0007a";
        let drill = "1";
        const program = () => new InstanceRestore("r7", { instanceId: "crs-life0007", backupId, triggers: { drill } });
        const k = killAt("DescribeTaskInfo");
        await eng.up(program);
        assert.ok(k.killed());
        server.onRequest = undefined;
        await until("the restore task to succeed", () => svc.restoreTasks()[0]?.Status === "succeed");

        drill = "2";
        const t = await eng.up(program);
        assert.deepEqual(
            t.errors.map((e) => e.message),
            [],
        );
        assert.equal(svc.restoreTasks().length, 2, "changed triggers: a new restore");
        const st = eng.resource("r7")!;
        assert.equal(st.outputs.adopted, false);
        assert.equal(st.outputs.taskId, Math.max(...svc.restoreTasks().map((x) => x.TaskId)));

        backupId = "b-0007b";
        const b = await eng.up(program);
        assert.deepEqual(
            b.errors.map((e) => e.message),
            [],
        );
        assert.equal(b.steps[0].op, "replace");
        assert.equal(svc.restoreTasks().length, 3, "changed backupId: a new restore");
        assert.equal(
            svc.restoreTasks().find((x) => x.TaskId === eng.resource("r7")!.outputs.taskId)?.BackupId,
            "b-0007b",
        );
    });

    it("runs examples/tencentcloud-redis against the emulator", async () => {
        await start({ prepareMs: 100, runMs: 200 }, (s) => {
            s.seed("instance", { InstanceId: "crs-quick001" });
            s.seed("backup", { InstanceId: "crs-quick001", BackupId: "quickstart-backup-01" });
        });
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the example program, loaded when this test runs it
        const program = require("../../examples/tencentcloud-redis/index") as () => Promise<Record<string, unknown>>;
        const up = await eng.up(program);
        assert.deepEqual(
            up.errors.map((e) => e.message),
            [],
        );
        assert.equal((up.outputs as { status: string }).status, "succeed");
        assert.equal(svc.restoreTasks("crs-quick001").length, 1);
    });

    it("200 resources in one host stay under the 20/s limit: all succeed, no throttling error reaches the user", async function () {
        this.timeout(120_000);
        const N = Number(process.env.TC_BULK_N ?? 200);
        const id = (i: number) => `crs-${String(i).padStart(8, "0")}`;
        await start({ prepareMs: 50, runMs: 100 }, (s) => {
            for (let i = 0; i < N; i++) {
                s.seed("instance", { InstanceId: id(i) });
                s.seed("backup", { InstanceId: id(i), BackupId: `b-${i}` });
            }
        });
        const up = await eng.up(() => {
            for (let i = 0; i < N; i++) new InstanceRestore(`bulk-${i}`, { instanceId: id(i), backupId: `b-${i}` });
        });
        assert.deepEqual(
            up.errors.map((e) => e.message),
            [],
        );
        assert.equal(svc.restoreTasks().length, N);
        for (let i = 0; i < N; i++) assert.equal(eng.resource(`bulk-${i}`)?.outputs.status, "succeed");
        assert.ok(!everythingPrinted().includes("RequestLimitExceeded"), "no throttling error reached the user");
        // The bucket is what kept the emulator's limiter quiet (an occasional 429 would be retried, not fatal).
        assert.ok(svc.throttledCount <= 5, `throttled ${svc.throttledCount} times`);
    });
});
