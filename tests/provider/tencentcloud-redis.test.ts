import { strict as assert } from "assert";
import { fromState, fields } from "../../provider/core/resource";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CloudError, PartialStateError } from "../../provider/core/errors";
import { AxiosTransport, HttpRequest, HttpResponse, Transport } from "../../provider/core/http";
import { setProgressSink } from "../../provider/core/progress";
import type { InstanceRestoreInputs, InstanceRestoreOutputs } from "../../provider/tencentcloud/redisInputs";
import { RestoreJournal, intentDigest } from "../../provider/tencentcloud/restoreJournal";
import { RedisRestoreProvider } from "../../provider/tencentcloud/redisProvider";
import { EmulatorServer } from "../../emulator/core/server";
import { RedisEmulatorOptions, TencentRedisService } from "../../emulator/tencentcloud/redis";
import { rejects } from "../support/assertions";
import { VirtualClock } from "../../harness/clock";

const SECRET_ID = "AKIDemulatortest0001";
const SECRET_KEY = "provider-test-secret-key-0001";
const TOKEN = "prt-0123456789abcdef0123";
const FAST = { minIntervalMs: 1000, maxIntervalMs: 5000, fraction: 0.05 };

interface Ctx {
    clock: VirtualClock;
    svc: TencentRedisService;
    server: EmulatorServer;
    p: RedisRestoreProvider;
    lines: string[];
    /** This test's restore journal directory (PULUMI_RESTORE_STATE_DIR). */
    stateDir: string;
    cfg: Record<string, string>;
}

async function setup(o: RedisEmulatorOptions = {}, cfg: Record<string, string> = {}): Promise<Ctx> {
    const clock = new VirtualClock();
    const svc = new TencentRedisService({
        clock,
        credentials: { [SECRET_ID]: SECRET_KEY },
        timings: { prepareMs: 2000, runMs: 8000 },
        ...o,
    });
    const server = new EmulatorServer(svc);
    const url = await server.start();
    // Each test its own journal: entries of one test must never reach another (task ids restart in every emulator).
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "tc-journal-"));
    const config = {
        "tencentcloud:endpoint": url,
        "tencentcloud:secretId": SECRET_ID,
        "tencentcloud:secretKey": SECRET_KEY,
        ...cfg,
    };
    const p = new RedisRestoreProvider(
        { clock, env: { PULUMI_RESTORE_STATE_DIR: stateDir }, schedule: FAST, settleMs: 6000, random: () => 0.5 },
        config,
    );
    const lines: string[] = [];
    setProgressSink((l) => lines.push(l));
    svc.seed("instance", { InstanceId: "crs-aaaa0001", Password: "pa55-Word" });
    svc.seed("instance", { InstanceId: "crs-bbbb0002" });
    svc.seed("backup", { InstanceId: "crs-aaaa0001", BackupId: "678362566696298532848117" });
    svc.seed("backup", { InstanceId: "crs-aaaa0001", BackupId: "678362566696298532848118" });
    svc.seed("backup", { InstanceId: "crs-bbbb0002", BackupId: "b-other-0002" });
    return { clock, svc, server, p, lines, stateDir, cfg: config };
}

const inputs = (o: Record<string, unknown> = {}) => ({
    restoreToken: TOKEN,
    instanceId: "crs-aaaa0001",
    backupId: "678362566696298532848117",
    password: "pa55-Word",
    ...o,
});

describe("tencentcloud redis InstanceRestore provider (emulator)", function () {
    this.timeout(30_000);
    let c: Ctx;
    afterEach(async () => {
        setProgressSink(undefined);
        await c?.server.stop();
        if (c) fs.rmSync(c.stateDir, { recursive: true, force: true });
    });

    it("creates: checks, restores once, waits for succeed, reports progress and outputs", async () => {
        c = await setup();
        const r = await c.p.create(inputs());
        assert.equal(c.svc.restoreTasks().length, 1);
        const task = c.svc.restoreTasks()[0];
        assert.equal(r.id, `crs-aaaa0001:${task.TaskId}`);
        assert.equal(r.outs.taskId, task.TaskId);
        assert.equal(r.outs.status, "succeed");
        assert.equal(r.outs.region, "ap-guangzhou");
        assert.equal(r.outs.adopted, false);
        // Output times in UTC to the second, not the API's Beijing time (provider/core/time.ts).
        assert.match(String(r.outs.restoredAt), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        assert.match(String(r.outs.backupEndTime), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        assert.ok(c.lines.some((l) => /overwritten/.test(l)));
        assert.ok(c.lines.some((l) => /RestoreInstance accepted: task/.test(l)));
        assert.ok(
            c.lines.some((l) => /running/.test(l)),
            "a progress line on the status change to running",
        );
        // One line says it is done (the wait's; the provider once added its own, saying the same again).
        assert.equal(c.lines.filter((l) => /succeeded|to succeed: /.test(l)).length, 1, c.lines.join("\n"));
        assert.ok(c.lines.some((l) => /restore task \d+ succeeded \(\d/.test(l)));
        assert.ok(!c.lines.join("\n").includes("pa55-Word"), "the password is never printed");
    });

    it("parses a TaskId answered as a string (the published example)", async () => {
        c = await setup({ taskIdAs: "string" });
        const r = await c.p.create(inputs());
        assert.equal(typeof r.outs.taskId, "number");
        assert.equal(r.outs.taskId, c.svc.restoreTasks()[0].TaskId);
    });

    it("restores a password-free instance without a password", async () => {
        c = await setup();
        const r = await c.p.create(
            inputs({ instanceId: "crs-bbbb0002", backupId: "b-other-0002", password: undefined }),
        );
        assert.equal(r.outs.status, "succeed");
    });

    it("maps a wrong or missing password to a message that says what to do", async () => {
        c = await setup();
        await rejects(
            c.p.create(inputs({ password: "wrong-one" })),
            /PasswordError.*set `password` to the instance's current password/,
        );
        await rejects(c.p.create(inputs({ password: undefined })), /PasswordEmpty.*set the `password` argument/);
        assert.equal(c.svc.restoreTasks().length, 0);
    });

    it("rejects a missing instance, a foreign, unknown or expired backup, and an isolated instance before restoring", async () => {
        c = await setup();
        await rejects(
            c.p.create(inputs({ instanceId: "crs-zzzz9999" })),
            /instanceId: Redis instance crs-zzzz9999 does not exist/,
        );
        await rejects(
            c.p.create(inputs({ backupId: "b-other-0002" })),
            /backupId: backup b-other-0002 is not among the backups of instance crs-aaaa0001/,
        );
        await rejects(c.p.create(inputs({ backupId: "999" })), /backupId: backup 999 is not among/);
        c.svc.setBackupStatus("678362566696298532848118", -1);
        // Not listed (DescribeInstanceBackups is asked for Status 1 and 2, the SDK's enum): refused as not found.
        await rejects(
            c.p.create(inputs({ backupId: "678362566696298532848118" })),
            /backup 678362566696298532848118 is not among the backups.*or has expired/,
        );
        c.svc.seed("instance", { InstanceId: "crs-iso00003", Status: -2 });
        c.svc.seed("backup", { InstanceId: "crs-iso00003", BackupId: "b-iso" });
        await rejects(
            c.p.create(inputs({ instanceId: "crs-iso00003", backupId: "b-iso", password: undefined })),
            /isolated.*must be running/,
        );
        assert.equal(c.svc.restoreTasks().length, 0);
    });

    it("waits out a locked backup and a locked instance, then restores once", async () => {
        c = await setup();
        c.svc.lock("backup", "678362566696298532848117", 20_000);
        c.svc.lock("instance", "crs-aaaa0001", 40_000);
        const r = await c.p.create(inputs());
        assert.equal(r.outs.status, "succeed");
        assert.equal(c.svc.restoreTasks().length, 1);
        assert.ok(c.lines.some((l) => /in process.*waiting and trying again/.test(l)));
    });

    it("gives up on a lock that outlasts the create time-out, saying what holds it", async () => {
        c = await setup();
        c.svc.lock("backup", "678362566696298532848117", 3_600_000);
        await rejects(
            c.p.create(inputs({ timeouts: { create: "2m" } })),
            /create time-out.*backup 678362566696298532848117 is locked by another flow/,
        );
        assert.equal(c.svc.restoreTasks().length, 0);
    });

    it("a failed task is an error carrying TaskMessage, and records nothing", async () => {
        c = await setup();
        c.server.inject({ action: "RestoreInstance", kind: "failTask" });
        const e = await rejects(
            c.p.create(inputs()),
            /ended in "failed": restore failed: the backup file could not be loaded/,
        );
        assert.ok(!(e instanceof PartialStateError));
    });

    it("after a lost RestoreInstance answer, finds the task it started instead of restoring twice", async () => {
        c = await setup();
        c.server.inject({ action: "RestoreInstance", kind: "dropAfter" });
        const r = await c.p.create(inputs());
        assert.equal(c.svc.restoreTasks().length, 1);
        assert.equal(r.outs.taskId, c.svc.restoreTasks()[0].TaskId);
        assert.equal(r.outs.adopted, true);
        assert.equal(c.server.count("RestoreInstance"), 1);
    });

    it("after a 500 that did nothing, looks for a task, finds none, and does not call again; the next create restores once", async () => {
        c = await setup();
        c.server.inject({ action: "RestoreInstance", kind: "error500" });
        await rejects(
            c.p.create(inputs()),
            /outcome of RestoreInstance is unknown.*not called again.*second interruption of service.*restore task of instance crs-aaaa0001 started after/,
        );
        assert.equal(c.server.count("RestoreInstance"), 1);
        assert.equal(c.svc.restoreTasks().length, 0);
        const r = await c.p.create(inputs());
        assert.equal(c.svc.restoreTasks().length, 1);
        assert.equal(c.server.count("RestoreInstance"), 2);
        assert.equal(r.outs.adopted, false);
    });

    it("a restore the cloud carries out 60 s late, answer lost: no second restore; the next create follows the late task", async () => {
        c = await setup();
        c.server.inject({ action: "RestoreInstance", kind: "late", delayMs: 60_000 });
        await rejects(
            c.p.create(inputs()),
            /outcome of RestoreInstance is unknown.*may still carry out that call late/,
        );
        assert.equal(c.server.count("RestoreInstance"), 1);
        c.clock.advance(60_000);
        const r = await c.p.create(inputs());
        assert.equal(c.server.count("RestoreInstance"), 1, "never a second in-place restore");
        assert.equal(c.svc.restoreTasks().length, 1);
        assert.equal(r.outs.taskId, c.svc.restoreTasks()[0].TaskId);
        assert.equal(r.outs.adopted, true);
    });

    it("follows a restore of this backup already running (an earlier attempt cut off by a crash)", async () => {
        c = await setup();
        // The earlier attempt: its RestoreInstance was accepted, then the host died.
        const earlier = c.p.client("ap-guangzhou");
        const t = await earlier.restoreInstance({
            InstanceId: "crs-aaaa0001",
            BackupId: "678362566696298532848117",
            Password: "pa55-Word",
        });
        const r = await c.p.create(inputs());
        assert.equal(c.svc.restoreTasks().length, 1);
        assert.equal(r.outs.taskId, t.TaskId);
        assert.equal(r.outs.adopted, true);
    });

    it("does not follow another backup's restore: waits for it, then restores its own", async () => {
        c = await setup();
        await c.p.client("ap-guangzhou").restoreInstance({
            InstanceId: "crs-aaaa0001",
            BackupId: "678362566696298532848118",
            Password: "pa55-Word",
        });
        const r = await c.p.create(inputs());
        const tasks = c.svc.restoreTasks();
        assert.equal(tasks.length, 2);
        assert.equal(r.outs.adopted, false);
        assert.equal(tasks.find((x) => x.TaskId === r.outs.taskId)?.BackupId, "678362566696298532848117");
    });

    it("retries throttling and 5xx on reads; throttling on RestoreInstance too (nothing was done)", async () => {
        c = await setup();
        c.server.inject(
            { action: "DescribeTaskInfo", kind: "throttle", times: 2 },
            { action: "DescribeInstances", kind: "error503" },
            { action: "RestoreInstance", kind: "throttle" },
        );
        const r = await c.p.create(inputs());
        assert.equal(r.outs.status, "succeed");
        assert.equal(c.svc.restoreTasks().length, 1);
    });

    it("keeps every action under the emulator's 20/s limit from one client (bucket)", async () => {
        c = await setup();
        const client = c.p.client("ap-guangzhou");
        // Virtual time: the bucket sleeps advance the shared clock, the emulator counts in the same clock.
        for (let i = 0; i < 60; i++) await client.describeInstance("crs-aaaa0001");
        assert.equal(c.svc.throttledCount, 0);
    });

    it("turns a bad key and a skewed clock into the vendor's auth errors with hints", async () => {
        c = await setup({}, { "tencentcloud:secretKey": "not-the-key" });
        const e = await rejects(
            c.p.create(inputs()),
            /AuthFailure\.SignatureFailure.*belongs to tencentcloud:secretId/,
        );
        assert.ok(e instanceof CloudError);
        assert.ok(!e.message.includes("not-the-key"));
        await c.server.stop();
        c = await setup();
        const skewed = new RedisRestoreProvider(
            {
                clock: { now: () => c.clock.now() + 10 * 60_000, sleep: (ms) => c.clock.sleep(ms) },
                env: { PULUMI_RESTORE_STATE_DIR: c.stateDir },
                schedule: FAST,
            },
            {
                "tencentcloud:endpoint": c.server.url,
                "tencentcloud:secretId": SECRET_ID,
                "tencentcloud:secretKey": SECRET_KEY,
            },
        );
        await rejects(skewed.create(inputs()), /AuthFailure\.SignatureExpire.*synchronise/);
    });

    it("reports missing credentials by name and place", async () => {
        c = await setup();
        const p = new RedisRestoreProvider(
            { clock: c.clock, env: { PULUMI_RESTORE_STATE_DIR: c.stateDir } },
            { "tencentcloud:endpoint": c.server.url },
        );
        await rejects(p.create(inputs()), /tencentcloud:secretId.*TENCENTCLOUD_SECRET_ID.*tencentcloud:secretKey/);
    });

    it("a wait cut short by the time-out is partial state; update resumes the same task", async () => {
        c = await setup({ timings: { prepareMs: 2000, runMs: 600_000 } });
        const e = (await rejects(
            c.p.create(inputs({ timeouts: { create: "1m" } })),
            /was started but not seen to finish.*no second restore/,
        )) as PartialStateError;
        assert.ok(e instanceof PartialStateError);
        const taskId = c.svc.restoreTasks()[0].TaskId;
        assert.equal(e.id, `crs-aaaa0001:${taskId}`);
        assert.equal(e.properties.status, "running");
        assert.equal(e.properties.taskId, taskId);
        const u = await c.p.update(e.id, fromState(e.properties), inputs({ timeouts: { create: "1m" } }));
        assert.equal(u.outs?.status, "succeed");
        assert.equal(c.svc.restoreTasks().length, 1);
    });

    it("diff: instanceId, backupId, triggers and region replace; password and timeouts update; __provider never counts", async () => {
        c = await setup();
        const olds = { ...inputs(), region: "ap-guangzhou", taskId: 1, status: "succeed", __provider: "old" };
        const d = (news: Record<string, unknown>) =>
            c.p.diff("x", fromState(olds), fromState({ ...inputs(), __provider: "new", ...news }));
        assert.deepEqual((await d({})).changes, false);
        assert.deepEqual((await d({ backupId: "678362566696298532848118" })).replaces, ["backupId"]);
        assert.deepEqual((await d({ instanceId: "crs-bbbb0002" })).replaces, ["instanceId"]);
        assert.deepEqual((await d({ triggers: { drill: "2" } })).replaces, ["triggers"]);
        assert.deepEqual((await d({ region: "ap-shanghai" })).replaces, ["region"]);
        const pw = await d({ password: "new-pass" });
        assert.equal(pw.changes, true);
        assert.deepEqual(pw.replaces, []);
        const to = await d({ timeouts: { create: "2h" } });
        assert.equal(to.changes, true);
        assert.deepEqual(to.replaces, []);
    });

    it("update with a new password changes state only and says so; read drops a deleted instance; delete only warns", async () => {
        c = await setup();
        const r = await c.p.create(inputs());
        const before = c.server.count();
        const u = await c.p.update(r.id, r.outs, inputs({ password: "new-Pass-1" }));
        assert.equal(u.outs?.password, "new-Pass-1");
        assert.equal(u.outs?.taskId, r.outs.taskId);
        assert.equal(c.server.count(), before, "no API call for a password change");
        assert.ok(c.lines.some((l) => /password changed: recorded in state only/.test(l)));
        const read = await c.p.read(r.id, r.outs);
        assert.equal(read.id, r.id);
        c.svc.deleteInstance("crs-aaaa0001");
        assert.equal((await c.p.read(r.id, r.outs)).id, "");
        await c.p.delete(r.id, r.outs);
        assert.ok(c.lines.some((l) => /NOT rolled back/.test(l)));
    });
});

/** Where a {@link Freezer} stops answering, as a host killed there would. */
type FreezePoint = "beforeRestore" | "duringRestore" | "afterRestore" | "whenSucceeded";

/**
 * A transport that stops answering for good at a chosen point: the provider's promise never settles and nothing it
 * would have done afterwards happens, exactly as when the dynamic-provider host is killed there.
 * - beforeRestore: RestoreInstance never reaches the cloud (the journal entry is written, no task starts);
 * - duringRestore: the cloud accepts RestoreInstance but the answer is never seen (the entry has no task id);
 * - afterRestore: the answer is seen and recorded, then the host dies at its next request;
 * - whenSucceeded: the host waits on the task and dies as the answer saying `succeed` comes back (task finished, nothing
 *   reported to the engine).
 */
class Freezer implements Transport {
    private readonly inner = new AxiosTransport();
    private armed = false;
    private frozen = false;
    private onFrozen!: () => void;
    /** Settles once the provider has been "killed". */
    readonly reached = new Promise<void>((r) => (this.onFrozen = r));

    constructor(private readonly at: FreezePoint) {}

    async send(req: HttpRequest, timeoutMs: number): Promise<HttpResponse> {
        if (this.frozen) return this.freeze();
        const action = req.headers["X-TC-Action"];
        if (this.armed) return this.freeze();
        if (this.at === "whenSucceeded" && action === "DescribeTaskInfo") {
            const res = await this.inner.send(req, timeoutMs);
            return /"Status":\s*"succeed"/.test(res.body) ? this.freeze() : res;
        }
        if (action !== "RestoreInstance") return this.inner.send(req, timeoutMs);
        if (this.at === "beforeRestore") return this.freeze();
        const res = await this.inner.send(req, timeoutMs);
        if (this.at === "duringRestore") return this.freeze();
        this.armed = true;
        return res;
    }

    private freeze(): Promise<HttpResponse> {
        this.frozen = true;
        this.onFrozen();
        return new Promise<HttpResponse>(() => undefined);
    }
}

describe("tencentcloud redis InstanceRestore: never restoring twice for one intent (restore journal)", function () {
    this.timeout(30_000);
    let c: Ctx;
    afterEach(async () => {
        setProgressSink(undefined);
        await c?.server.stop();
        if (c) fs.rmSync(c.stateDir, { recursive: true, force: true });
    });

    /** A provider of another host on the same machine (same journal directory), optionally with its own transport. */
    function host(transport?: Transport, stateDir = c.stateDir): RedisRestoreProvider {
        return new RedisRestoreProvider(
            {
                clock: c.clock,
                env: { PULUMI_RESTORE_STATE_DIR: stateDir },
                schedule: FAST,
                settleMs: 6000,
                random: () => 0.5,
                transport,
            },
            c.cfg,
        );
    }

    /**
     * Runs a create in a host that gets killed at `at`; resolves once it is dead. With `olds` (the outputs the stack
     * records for this resource), the engine's Diff comes first, as for a replacement.
     */
    async function killedCreate(at: FreezePoint, news = inputs(), olds?: InstanceRestoreOutputs): Promise<void> {
        const f = new Freezer(at);
        const h = host(f);
        if (olds) await h.diff(String(fields(olds).id ?? ""), olds, news);
        void h.create(news);
        await f.reached;
    }

    /** A replacement as the engine drives it in a new host: Diff(old outputs, news), then Create(news). */
    async function replaced(olds: InstanceRestoreOutputs, news: InstanceRestoreInputs) {
        const h = host();
        await h.diff("", olds, news);
        return h.create(news);
    }

    function journalFiles(): string[] {
        return fs.existsSync(c.stateDir) ? fs.readdirSync(c.stateDir).filter((n) => n.endsWith(".json")) : [];
    }

    it("host killed after RestoreInstance was accepted, task finished before the next create: follows it, one restore", async () => {
        c = await setup();
        await killedCreate("afterRestore");
        assert.equal(c.svc.restoreTasks().length, 1);
        const task = c.svc.restoreTasks()[0];
        // The entry on disk names the task and holds no secret.
        const files = journalFiles();
        assert.equal(files.length, 1);
        const text = fs.readFileSync(path.join(c.stateDir, files[0]), "utf8");
        assert.equal(JSON.parse(text).taskId, task.TaskId);
        assert.ok(!text.includes("pa55-Word"), "the journal holds no password");
        if (process.platform !== "win32")
            assert.equal(fs.statSync(path.join(c.stateDir, files[0])).mode & 0o777, 0o600);

        c.clock.advance(60_000);
        assert.equal(c.svc.restoreTasks()[0].Status, "succeed", "the task finished while nobody watched");
        const r = await host().create(inputs());
        assert.equal(c.svc.restoreTasks().length, 1, "no second restore");
        assert.equal(c.server.count("RestoreInstance"), 1);
        assert.equal(r.id, `crs-aaaa0001:${task.TaskId}`);
        assert.equal(r.outs.taskId, task.TaskId);
        assert.equal(r.outs.status, "succeed");
        assert.equal(r.outs.adopted, true);
        assert.ok(typeof r.outs.backupEndTime === "string");
        assert.ok(
            c.lines.some((l) =>
                /earlier attempt of this restore .* started task \d+, now "succeed".*following that task/.test(l),
            ),
        );
        assert.deepEqual(journalFiles(), [], "the entry is gone once the outcome is reported");
    });

    it("host killed while RestoreInstance's answer was on its way: finds the task from the tasks that appeared after the call", async () => {
        c = await setup();
        // Another restore of the instance that finished earlier: it must not be taken for ours. The stack records it
        // (this resource with other inputs), so the killed attempt is a replacement: Diff, then Create.
        const before = await c.p.create(inputs({ backupId: "678362566696298532848118" }));
        c.clock.advance(60_000);
        await killedCreate("duringRestore", inputs(), before.outs);
        assert.equal(c.svc.restoreTasks().length, 2);
        const ours = Math.max(...c.svc.restoreTasks().map((t) => t.TaskId));
        assert.equal(
            JSON.parse(fs.readFileSync(path.join(c.stateDir, journalFiles()[0]), "utf8")).taskId,
            undefined,
            "the answer was never seen",
        );
        c.clock.advance(60_000);
        const r = await host().create(inputs());
        assert.equal(c.svc.restoreTasks().length, 2, "no new restore");
        assert.equal(r.outs.taskId, ours);
        assert.equal(r.outs.adopted, true);
        assert.equal(r.outs.status, "succeed");
    });

    it("host killed before RestoreInstance left: the entry finds no task, so the next create restores (once)", async () => {
        c = await setup();
        await killedCreate("beforeRestore");
        assert.equal(c.svc.restoreTasks().length, 0);
        assert.equal(journalFiles().length, 1);
        const r = await host().create(inputs());
        assert.equal(c.svc.restoreTasks().length, 1);
        assert.equal(r.outs.adopted, false);
        assert.ok(c.lines.some((l) => /appeared after that call \(.*\); restoring/.test(l)));
    });

    it("the earlier attempt's task failed: the next create reports that failure once, the one after restores again", async () => {
        c = await setup();
        c.server.inject({ action: "RestoreInstance", kind: "failTask" });
        await killedCreate("afterRestore");
        c.clock.advance(60_000);
        await rejects(
            host().create(inputs()),
            /ended in "failed": restore failed: the backup file could not be loaded.*run `pulumi up` again to restore again/,
        );
        assert.equal(c.svc.restoreTasks().length, 1, "the failure is reported without restoring again");
        const r = await host().create(inputs());
        assert.equal(c.svc.restoreTasks().length, 2);
        assert.equal(r.outs.adopted, false);
        assert.equal(r.outs.status, "succeed");
    });

    it("changed triggers or backupId after a killed attempt restore again; going back to the first inputs restores again too", async () => {
        c = await setup();
        await killedCreate("afterRestore");
        c.clock.advance(60_000);
        const t = await host().create(inputs({ triggers: { drill: "2" } }));
        assert.equal(c.svc.restoreTasks().length, 2, "new triggers: a new restore");
        assert.equal(t.outs.adopted, false);
        // From here on the stack records a restore: each change is a replacement (Diff with its outputs, then Create).
        const b = await replaced(t.outs, inputs({ backupId: "678362566696298532848118" }));
        assert.equal(c.svc.restoreTasks().length, 3, "new backup: a new restore");
        assert.equal(
            c.svc.restoreTasks().find((x) => x.TaskId === b.outs.taskId)?.BackupId,
            "678362566696298532848118",
        );
        // The first intent's entry went when another intent restored over it: its old task no longer describes the data.
        assert.deepEqual(journalFiles(), []);
        const back = await replaced(b.outs, inputs());
        assert.equal(c.svc.restoreTasks().length, 4);
        assert.equal(back.outs.adopted, false);
    });

    it("changed triggers while the killed attempt's task still runs: waits for it, then restores (does not follow it)", async () => {
        c = await setup();
        await killedCreate("afterRestore");
        const first = c.svc.restoreTasks()[0].TaskId;
        const r = await host().create(inputs({ triggers: { drill: "2" } }));
        assert.equal(c.svc.restoreTasks().length, 2);
        assert.notEqual(r.outs.taskId, first);
        assert.equal(r.outs.adopted, false);
        assert.ok(c.lines.some((l) => /started by an earlier attempt of this resource with other inputs/.test(l)));
    });

    it("a reported restore leaves no entry: `up --replace` with the same inputs restores again; delete cleans leftovers", async () => {
        c = await setup();
        const r = await c.p.create(inputs());
        assert.deepEqual(journalFiles(), []);
        const again = await c.p.create(inputs());
        assert.equal(c.svc.restoreTasks().length, 2, "a replacement of a recorded restore is a new restore");
        assert.notEqual(again.outs.taskId, r.outs.taskId);

        // Leftovers (e.g. a removal that failed): delete removes this restore's entries and keeps other intents'.
        const j = new RestoreJournal(c.stateDir, c.clock);
        const mine = intentDigest({
            restoreToken: TOKEN,
            instanceId: "crs-aaaa0001",
            backupId: "678362566696298532848117",
            region: "ap-guangzhou",
        });
        const other = intentDigest({
            restoreToken: TOKEN,
            instanceId: "crs-aaaa0001",
            backupId: "678362566696298532848118",
            region: "ap-guangzhou",
        });
        const base = {
            restoreToken: TOKEN,
            instanceId: "crs-aaaa0001",
            region: "ap-guangzhou",
            calledAt: c.clock.now(),
            knownTaskIds: [],
        };
        await j.put({ ...base, intent: mine, backupId: "678362566696298532848117", taskId: Number(again.outs.taskId) });
        await j.put({ ...base, intent: other, backupId: "678362566696298532848118" });
        await c.p.delete(again.id, again.outs);
        assert.equal(await j.get(TOKEN, mine), undefined);
        assert.ok(await j.get(TOKEN, other));
    });

    it("an entry older than its time to live is ignored: the next create restores", async () => {
        c = await setup();
        await killedCreate("afterRestore");
        c.clock.advance(8 * 86_400_000);
        const r = await host().create(inputs());
        assert.equal(c.svc.restoreTasks().length, 2);
        assert.equal(r.outs.adopted, false);
    });

    it("an entry naming a task the cloud does not know (another cloud, another account) is dropped, not followed", async () => {
        c = await setup();
        const j = new RestoreJournal(c.stateDir, c.clock);
        const key = intentDigest({
            restoreToken: TOKEN,
            instanceId: "crs-aaaa0001",
            backupId: "678362566696298532848117",
            region: "ap-guangzhou",
        });
        await j.put({
            restoreToken: TOKEN,
            intent: key,
            instanceId: "crs-aaaa0001",
            backupId: "678362566696298532848117",
            region: "ap-guangzhou",
            calledAt: c.clock.now(),
            knownTaskIds: [],
            taskId: 424242,
        });
        const r = await c.p.create(inputs());
        assert.equal(c.svc.restoreTasks().length, 1);
        assert.equal(r.outs.adopted, false);
        assert.ok(c.lines.some((l) => /names task 424242, which Tencent Cloud does not know/.test(l)));
    });

    it("a journal that cannot be read or written is only a cache: restores once, and says what that costs", async () => {
        c = await setup();
        const file = path.join(c.stateDir, "not-a-dir");
        fs.writeFileSync(file, "x");
        const r = await host(undefined, path.join(file, "journal")).create(inputs());
        assert.equal(c.server.count("RestoreInstance"), 1);
        assert.equal(r.outs.status, "succeed");
        assert.ok(c.lines.some((l) => /could not write the restore journal in .*only a cache.*refuses/.test(l)));
    });

    it("a definite refusal (wrong password) leaves no entry behind", async () => {
        c = await setup();
        await rejects(c.p.create(inputs({ password: "wrong-one" })), /PasswordError/);
        assert.deepEqual(journalFiles(), []);
    });
});

/**
 * Issue 27: every `pulumi up` on a fresh machine (a new CI runner: empty home, empty PULUMI_RESTORE_STATE_DIR), one
 * emulator (the cloud) and one stack. Each machine is a provider with its own empty state directory; nothing passes
 * between them but the cloud and what the engine would give (old outputs to Diff).
 */
describe("tencentcloud redis InstanceRestore: never restoring twice across machines (task list, stack state)", function () {
    this.timeout(30_000);
    let c: Ctx;
    const dirs: string[] = [];
    afterEach(async () => {
        setProgressSink(undefined);
        await c?.server.stop();
        if (c) fs.rmSync(c.stateDir, { recursive: true, force: true });
        for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
    });

    /** A provider on a fresh machine: its own, empty state directory. */
    function machine(transport?: Transport): RedisRestoreProvider {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tc-machine-"));
        dirs.push(dir);
        return new RedisRestoreProvider(
            {
                clock: c.clock,
                env: { PULUMI_RESTORE_STATE_DIR: path.join(dir, "state") },
                schedule: FAST,
                settleMs: 6000,
                random: () => 0.5,
                transport,
            },
            c.cfg,
        );
    }

    /** The first machine: a create killed at `at` (a CI job cancelled or timed out); resolves once it is dead. */
    async function killedOnFirstMachine(at: FreezePoint, news = inputs()): Promise<void> {
        const f = new Freezer(at);
        void machine(f).create(news);
        await f.reached;
    }

    const REFUSAL =
        /nothing in this stack records that task.*nothing was restored.*adoptTaskId: (\d+).*ignoreTaskIds: \[\d+\]/;

    for (const [at, what] of [
        ["duringRestore", "the answer to RestoreInstance was lost"],
        ["afterRestore", "the task was still running"],
        ["whenSucceeded", "the task had just finished"],
    ] as const) {
        it(`killed when ${what}, task finished, re-run on a fresh machine: refuses instead of restoring again; adoptTaskId creates the resource; one RestoreInstance`, async () => {
            c = await setup();
            await killedOnFirstMachine(at);
            assert.equal(c.server.count("RestoreInstance"), 1);
            const task = c.svc.restoreTasks()[0].TaskId;
            c.clock.advance(3_600_000);
            assert.equal(c.svc.restoreTasks()[0].Status, "succeed", "the task finished while no machine watched");

            // The job is re-run on a new runner.
            const err = await machine()
                .create(inputs())
                .then(
                    () => undefined,
                    (e: Error) => e,
                );
            assert.ok(err, "the second machine must not succeed by restoring again");
            assert.match(err.message, REFUSAL);
            assert.equal(REFUSAL.exec(err.message)?.[1], String(task), "the refusal names the task to adopt");
            assert.ok(!err.message.includes("pa55-Word"));
            assert.equal(c.server.count("RestoreInstance"), 1, "no second restore");

            // The user checks the interrupted run's log, adopts the task; the next up (yet another runner) creates.
            const r = await machine().create(inputs({ adoptTaskId: task }));
            assert.equal(c.server.count("RestoreInstance"), 1, "still one restore");
            assert.equal(r.id, `crs-aaaa0001:${task}`);
            assert.equal(r.outs.taskId, task);
            assert.equal(r.outs.status, "succeed");
            assert.equal(r.outs.adopted, true);
            assert.equal(r.outs.adoptTaskId, task);
            // Removing adoptTaskId afterwards is an update in state only, never a new restore.
            const d = await machine().diff(r.id, r.outs, inputs());
            assert.deepEqual(d.replaces, []);
        });
    }

    it("killed while the task runs, re-run on a fresh machine before it finishes: follows the task by itself (one restore)", async () => {
        c = await setup();
        await killedOnFirstMachine("afterRestore");
        const task = c.svc.restoreTasks()[0].TaskId;
        const r = await machine().create(inputs());
        assert.equal(c.server.count("RestoreInstance"), 1);
        assert.equal(r.outs.taskId, task);
        assert.equal(r.outs.adopted, true);
        assert.equal(r.outs.status, "succeed");
    });

    it("answer lost, re-run on a fresh machine right away: follows the running task by itself (one restore)", async () => {
        c = await setup();
        await killedOnFirstMachine("duringRestore");
        const r = await machine().create(inputs());
        assert.equal(c.server.count("RestoreInstance"), 1);
        assert.equal(r.outs.taskId, c.svc.restoreTasks()[0].TaskId);
        assert.equal(r.outs.adopted, true);
    });

    it("a restore someone started by hand is refused the same way; ignoreTaskIds restores (once)", async () => {
        c = await setup();
        // By hand, outside the stack: the console's restore is the same API call.
        await c.p.create(inputs({ restoreToken: "prt-ffffffffffffffffffff", backupId: "678362566696298532848118" }));
        const hand = c.svc.restoreTasks()[0].TaskId;
        c.clock.advance(600_000);
        await rejects(machine().create(inputs()), REFUSAL);
        assert.equal(c.server.count("RestoreInstance"), 1);
        const r = await machine().create(inputs({ ignoreTaskIds: [hand] }));
        assert.equal(c.server.count("RestoreInstance"), 2);
        assert.equal(r.outs.adopted, false);
        assert.notEqual(r.outs.taskId, hand);
    });

    it("what the stack records does not block: changed triggers on a fresh machine restore again; a failed earlier attempt does not count", async () => {
        c = await setup();
        const first = await machine().create(inputs());
        c.clock.advance(600_000);
        // A replacement as the engine drives it: Diff with the recorded outputs, then Create, in a new host.
        const m = machine();
        const news = inputs({ triggers: { drill: "2" } });
        const d = await m.diff(first.id, first.outs, news);
        assert.deepEqual(d.replaces, ["triggers"]);
        const second = await m.create(news);
        assert.equal(c.server.count("RestoreInstance"), 2);
        assert.equal(second.outs.adopted, false);

        // A killed attempt whose task failed restored nothing: the next machine restores (after a Diff, as above).
        c.server.inject({ action: "RestoreInstance", kind: "failTask" });
        const third = inputs({ triggers: { drill: "3" } });
        const f = new Freezer("afterRestore");
        const killed = machine(f);
        await killed.diff(second.id, second.outs, third);
        void killed.create(third);
        await f.reached;
        c.clock.advance(3_600_000);
        const m2 = machine();
        await m2.diff(second.id, second.outs, third);
        const r = await m2.create(third);
        assert.equal(c.server.count("RestoreInstance"), 4);
        assert.equal(r.outs.status, "succeed");
    });

    it("destroy, then a new restore of the instance: the same machine's cache knows the old task (restores); a fresh machine refuses", async () => {
        c = await setup();
        // `c.p` is one machine across runs (its state directory outlives them): create, then destroy.
        const first = await c.p.create(inputs());
        const again = new RedisRestoreProvider(
            { clock: c.clock, env: { PULUMI_RESTORE_STATE_DIR: c.stateDir }, schedule: FAST, settleMs: 6000 },
            c.cfg,
        );
        await again.delete(first.id, first.outs);
        c.clock.advance(600_000);
        // `pulumi up --replace` gives no Diff: only the local cache says the old task was recorded.
        await rejects(machine().create(inputs()), REFUSAL);
        const r = await new RedisRestoreProvider(
            { clock: c.clock, env: { PULUMI_RESTORE_STATE_DIR: c.stateDir }, schedule: FAST, settleMs: 6000 },
            c.cfg,
        ).create(inputs());
        assert.equal(c.server.count("RestoreInstance"), 2);
        assert.equal(r.outs.adopted, false);
        const cache = fs.readdirSync(path.join(c.stateDir, "recorded"));
        assert.equal(cache.length, 1);
        assert.ok(!fs.readFileSync(path.join(c.stateDir, "recorded", cache[0]), "utf8").includes("pa55-Word"));
    });

    it("adoptTaskId is checked: another instance's task or an unknown one is refused without restoring", async () => {
        c = await setup();
        await c.p.create(inputs({ instanceId: "crs-bbbb0002", backupId: "b-other-0002", password: undefined }));
        const other = c.svc.restoreTasks()[0].TaskId;
        await rejects(
            machine().create(inputs({ adoptTaskId: other })),
            /adoptTaskId: task \d+ belongs to instance crs-bbbb0002/,
        );
        await rejects(
            machine().create(inputs({ adoptTaskId: 999999 })),
            /adoptTaskId: Tencent Cloud does not know task 999999/,
        );
        assert.equal(c.server.count("RestoreInstance"), 1);
    });
});
