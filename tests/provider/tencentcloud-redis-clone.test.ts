import { strict as assert } from "assert";
import { fromState } from "../../provider/core/resource";
import { PartialStateError } from "../../provider/core/errors";
import { setProgressSink } from "../../provider/core/progress";
import { CloneProvider } from "../../provider/tencentcloud/cloneProvider";
import { checkClone } from "../../provider/tencentcloud/cloneInputs";
import { EmulatorServer } from "../../emulator/core/server";
import { TencentRedisService } from "../../emulator/tencentcloud/redis";
import { rejects } from "../support/assertions";
import { VirtualClock } from "../../harness/clock";

const SECRET_ID = "AKIDclonetest0001";
const SECRET_KEY = "clone-test-secret-key-0001";
const TOKEN = "prt-0123456789abcdef0123";
const PASSWORD = "Clone-Passw0rd";
const FAST = { minIntervalMs: 1000, maxIntervalMs: 5000, fraction: 0.05 };
const SOURCE = "crs-aaaa0001";
const BACKUP = "678362566696298532848117";

interface Ctx {
    clock: VirtualClock;
    svc: TencentRedisService;
    server: EmulatorServer;
    p: CloneProvider;
    lines: string[];
}

async function setup(): Promise<Ctx> {
    const clock = new VirtualClock();
    const svc = new TencentRedisService({
        clock,
        credentials: { [SECRET_ID]: SECRET_KEY },
        timings: { cloneMs: 20_000, destroyMs: 3000, cleanUpMs: 2000 },
    });
    const server = new EmulatorServer(svc);
    const url = await server.start();
    const p = new CloneProvider(
        { clock, env: {}, schedule: FAST, settleMs: 6000, random: () => 0.5 },
        { "tencentcloud:endpoint": url, "tencentcloud:secretId": SECRET_ID, "tencentcloud:secretKey": SECRET_KEY },
    );
    const lines: string[] = [];
    setProgressSink((l) => lines.push(l));
    svc.seed("instance", { InstanceId: SOURCE, Password: "Source-Passw0rd" });
    svc.seed("backup", { InstanceId: SOURCE, BackupId: BACKUP, ageMs: 7_200_000 });
    svc.seed("backup", { InstanceId: SOURCE, BackupId: "678362566696298532848118", ageMs: 3_600_000 });
    return { clock, svc, server, p, lines };
}

function inputs(over: Record<string, unknown> = {}): ReturnType<typeof checkClone>["inputs"] {
    const { inputs: i, failures } = checkClone(
        {
            restoreToken: TOKEN,
            sourceInstanceId: SOURCE,
            backupId: BACKUP,
            zoneId: 100003,
            securityGroupIds: ["sg-5fgt7a1b"],
            vpcId: "vpc-mjwornzj",
            subnetId: "subnet-3lzrkspo",
            password: PASSWORD,
            ...over,
        },
        "ap-guangzhou",
    );
    assert.deepEqual(failures, []);
    return i;
}

/** Clones that exist and are not released (the source excluded). */
const clones = (c: Ctx) => c.svc.live().filter((i) => i.InstanceId !== SOURCE);

describe("tencentcloud redis RestoredInstance provider (CloneInstances, emulator)", function () {
    this.timeout(30_000);
    let c: Ctx;
    afterEach(async () => {
        setProgressSink(undefined);
        await c?.server.stop();
    });

    it("creates: one CloneInstances tagged with the restore token, waits until running; the source is untouched", async () => {
        c = await setup();
        const r = await c.p.create(inputs());
        assert.equal(c.server.count("CloneInstances"), 1);
        assert.equal(c.server.count("RestoreInstance"), 0, "nothing is overwritten");
        const live = clones(c);
        assert.equal(live.length, 1);
        assert.equal(r.id, live[0].InstanceId);
        assert.deepEqual(live[0].Tags, [{ TagKey: "pulumi-restore-token", TagValue: TOKEN }]);
        assert.equal(live[0].InstanceName, r.outs.instanceName);
        assert.match(String(r.outs.instanceName), /^prt-0123456789ab-[0-9a-f]{8}$/);
        assert.equal(r.outs.instanceStatus, "running");
        assert.equal(r.outs.selectedBackupId, BACKUP);
        assert.equal(typeof r.outs.dealName, "string");
        assert.equal(r.outs.adopted, false);
        assert.equal(r.outs.instancePort, 6379);
        assert.ok(c.lines.some((l) => /cloning backup 678362566696298532848117 of instance crs-aaaa0001/.test(l)));
        assert.ok(
            c.lines.some((l) => /pending initialisation|in process/.test(l)),
            "progress on status changes",
        );
        assert.ok(!c.lines.join("\n").includes(PASSWORD), "the password is never printed");
        assert.equal(c.svc.live().find((i) => i.InstanceId === SOURCE)?.Status, 2);
    });

    it("backupSelector: the latest normal backup of the source is chosen at create", async () => {
        c = await setup();
        const r = await c.p.create(inputs({ backupId: undefined, backupSelector: { maxAge: "24h" } }));
        assert.equal(r.outs.selectedBackupId, "678362566696298532848118");
        assert.match(String(r.outs.selectedBackupTime), /^\d{4}-\d{2}-\d{2}T/);
    });

    it("an answer lost after the clone was made: found by tag and followed; one instance", async () => {
        c = await setup();
        c.server.inject({ action: "CloneInstances", kind: "dropAfter" });
        const r = await c.p.create(inputs());
        assert.equal(c.server.count("CloneInstances"), 1);
        assert.equal(clones(c).length, 1);
        assert.equal(r.id, clones(c)[0].InstanceId);
        assert.equal(r.outs.adopted, true);
        assert.ok(c.lines.some((l) => /answer was lost/.test(l)));
    });

    it("a backup locked by another flow (e.g. an in-place restore of it): waits, calls again once it is free, clones once", async () => {
        c = await setup();
        c.svc.lock("backup", BACKUP, 20_000);
        const r = await c.p.create(inputs());
        assert.equal(clones(c).length, 1);
        assert.equal(r.outs.adopted, false);
        assert.ok(c.server.count("CloneInstances") >= 2, "the refused call was made again");
        assert.ok(
            c.lines.some((l) => /BackupLockedError.*nothing was created; waiting and trying again/.test(l)),
            c.lines.join("\n"),
        );
    });

    it("with a selector, the newest backup held by another flow is chosen and waited for, not an older free one", async () => {
        c = await setup();
        // The newest backup is held (e.g. an in-place restore of it in the same up); an older one is free.
        c.svc.lock("backup", "678362566696298532848118", 20_000);
        const r = await c.p.create(inputs({ backupId: undefined, backupSelector: { maxAge: "1d" } }));
        assert.equal(r.outs.selectedBackupId, "678362566696298532848118");
        assert.equal(clones(c).length, 1);
        assert.ok(c.server.count("CloneInstances") >= 2, "refused while held, then called again");
    });

    it("a lock that outlasts the create time-out: gives up saying what holds it; nothing created, nothing recorded", async () => {
        c = await setup();
        c.svc.lock("backup", BACKUP, 3_600_000);
        const e = await rejects(
            c.p.create(inputs({ timeouts: { create: "2m" } })),
            /gave up after .*create time-out.*BackupLockedError.*nothing was created.*raise timeouts\.create/,
        );
        assert.ok(!(e instanceof PartialStateError));
        assert.equal(clones(c).length, 0);
    });

    it("a 500 that did nothing: looks by tag for a while, never calls again, says what to check; the next create clones", async () => {
        c = await setup();
        c.server.inject({ action: "CloneInstances", kind: "error500" });
        const e = await rejects(
            c.p.create(inputs()),
            /outcome of CloneInstances is unknown.*not called again.*tagged pulumi-restore-token=prt-0123456789abcdef0123/,
        );
        assert.ok(!(e instanceof PartialStateError));
        assert.equal(c.server.count("CloneInstances"), 1);
        await c.p.create(inputs());
        assert.equal(c.server.count("CloneInstances"), 2);
        assert.equal(clones(c).length, 1);
    });

    it("a clone carried out 60 s late, answer lost: no second call; the next create follows it", async () => {
        c = await setup();
        c.server.inject({ action: "CloneInstances", kind: "late", delayMs: 60_000 });
        await rejects(c.p.create(inputs()), /outcome of CloneInstances is unknown/);
        assert.equal(clones(c).length, 0);
        c.clock.advance(60_000);
        await c.server.runDue();
        const r = await c.p.create(inputs());
        assert.equal(c.server.count("CloneInstances"), 1, "the next create looked first and found the late clone");
        assert.equal(clones(c).length, 1);
        assert.equal(r.outs.adopted, true);
    });

    it("a crash after CloneInstances (state lost): the next create follows the tagged instance; one instance", async () => {
        c = await setup();
        // The first attempt's host was killed once its clone existed: nothing reached the stack.
        const first = await c.p.create(inputs());
        const r = await c.p.create(inputs());
        assert.equal(c.server.count("CloneInstances"), 1);
        assert.equal(r.id, first.id);
        assert.equal(clones(c).length, 1);
        assert.equal(r.outs.adopted, true);
        assert.ok(c.lines.some((l) => /by an earlier attempt of this resource/.test(l)));
    });

    it("another resource's or intent's tagged instance is never followed", async () => {
        c = await setup();
        // Same token, another intent (another backup): another derived name.
        const other = await c.p.create(inputs({ backupId: "678362566696298532848118" }));
        const r = await c.p.create(inputs());
        assert.notEqual(r.id, other.id);
        assert.equal(c.server.count("CloneInstances"), 2);
    });

    it("diff: a new backup or trigger replaces; the password updates state only; timeouts change nothing", async () => {
        c = await setup();
        const r = await c.p.create(inputs());
        const d1 = await c.p.diff(r.id, r.outs, inputs({ backupId: "678362566696298532848118" }));
        assert.deepEqual(d1.replaces, ["backupId", "instanceName"]);
        assert.equal(d1.deleteBeforeReplace, false, "a new derived name: create before delete");
        const d2 = await c.p.diff(r.id, r.outs, inputs({ triggers: { drill: "2026-12" } }));
        assert.ok(d2.replaces?.includes("triggers"));
        const d3 = await c.p.diff(r.id, r.outs, inputs({ password: "Other-Passw0rd" }));
        assert.deepEqual(d3.replaces, []);
        assert.equal(d3.changes, true);
        const u = await c.p.update(r.id, r.outs, inputs({ password: "Other-Passw0rd" }));
        assert.equal(u.outs?.instanceStatus, "running");
        assert.ok(c.lines.some((l) => /recorded in state only/.test(l)));
        const d4 = await c.p.diff(r.id, r.outs, inputs({ instanceName: "orders-dr" }));
        assert.ok(d4.replaces?.includes("instanceName"));
        const d5 = await c.p.diff(
            r.id,
            { ...r.outs, instanceName: "orders-dr" },
            inputs({ instanceName: "orders-dr", zoneId: 100004 }),
        );
        assert.equal(d5.deleteBeforeReplace, true, "the same chosen name: delete first");
    });

    it("replace: the new clone is made, then the old one released; two creates, one live instance", async () => {
        c = await setup();
        const a = await c.p.create(inputs());
        const b = await c.p.create(inputs({ triggers: { drill: "2026-12" } }));
        await c.p.delete(a.id, a.outs);
        assert.deepEqual(
            clones(c).map((i) => i.InstanceId),
            [b.id],
        );
    });

    it("refresh: read reports the instance, and an empty id after an out-of-band release", async () => {
        c = await setup();
        const r = await c.p.create(inputs());
        const rd = await c.p.read(r.id, r.outs);
        assert.equal(rd.id, r.id);
        assert.equal((rd.props as { instanceStatus: string }).instanceStatus, "running");
        c.svc.deleteInstance(r.id);
        const gone = await c.p.read(r.id, r.outs);
        assert.equal(gone.id, "");
    });

    it("an instance released out of band during the wait: nothing is recorded; the next create clones again", async () => {
        c = await setup();
        let looks = 0;
        c.server.onRequest = (action) => {
            if (action === "DescribeInstances" && ++looks === 4) {
                const id = clones(c)[0]?.InstanceId;
                if (id) c.svc.deleteInstance(id);
            }
        };
        c.clock.advance(0);
        const e = await rejects(c.p.create(inputs()), /no longer exists.*Nothing is recorded/);
        assert.ok(!(e instanceof PartialStateError));
        c.server.onRequest = undefined;
        await c.p.create(inputs());
        assert.equal(clones(c).length, 1);
    });

    it("a create time-out shorter than the set-up: partial state; a later update resumes the wait", async () => {
        c = await setup();
        const i = inputs({ timeouts: { create: "5s" } });
        const e = (await rejects(c.p.create(i), /timed out/)) as PartialStateError;
        assert.ok(e instanceof PartialStateError);
        assert.equal(e.id, clones(c)[0].InstanceId);
        const u = await c.p.update(e.id, fromState(e.properties), i);
        assert.equal(u.outs?.instanceStatus, "running");
        assert.equal(c.server.count("CloneInstances"), 1);
    });

    it("delete releases the instance (DestroyPostpaidInstance, then CleanUpInstance) and waits; again is fine", async () => {
        c = await setup();
        const r = await c.p.create(inputs());
        await c.p.delete(r.id, r.outs);
        assert.equal(c.server.count("DestroyPostpaidInstance"), 1);
        assert.equal(c.server.count("CleanUpInstance"), 1);
        assert.equal(clones(c).length, 0);
        await c.p.delete(r.id, r.outs);
        assert.ok(c.lines.some((l) => /already gone/.test(l)));
        assert.equal(c.server.count("DestroyPostpaidInstance"), 1);
    });

    it("delete after a lost DestroyPostpaidInstance answer: the status shows it was done; no second call", async () => {
        c = await setup();
        const r = await c.p.create(inputs());
        c.server.inject({ action: "DestroyPostpaidInstance", kind: "dropAfter" });
        await c.p.delete(r.id, r.outs);
        assert.equal(c.server.count("DestroyPostpaidInstance"), 1);
        assert.equal(clones(c).length, 0);
    });

    it("a prepaid clone is not released: the error names DestroyPrepaidInstance and retainOnDelete; nothing is called", async () => {
        c = await setup();
        const r = await c.p.create(inputs({ billingMode: "prepaid", period: 1 }));
        await rejects(c.p.delete(r.id, r.outs), /prepaid.*DestroyPrepaidInstance.*retainOnDelete/);
        assert.equal(clones(c).length, 1);
        assert.equal(c.server.count("DestroyPostpaidInstance"), 0);
    });

    it("adoptId takes over an existing instance without cloning, and refuses one in another zone", async () => {
        c = await setup();
        c.svc.seed("instance", { InstanceId: "crs-adop0001", ZoneId: 100003 });
        const r = await c.p.create(inputs({ adoptId: "crs-adop0001" }));
        assert.equal(r.id, "crs-adop0001");
        assert.equal(r.outs.adopted, true);
        assert.equal(c.server.count("CloneInstances"), 0);
        c.svc.seed("instance", { InstanceId: "crs-adop0002", ZoneId: 100004 });
        await rejects(c.p.create(inputs({ adoptId: "crs-adop0002" })), /zoneId is 100004, not 100003/);
    });

    it("check: names every mistake offline", () => {
        const { failures } = checkClone(
            {
                restoreToken: TOKEN,
                sourceInstanceId: SOURCE,
                zoneId: "x",
                securityGroupIds: [],
                password: "short",
                billingMode: "prepaid",
                period: 13,
                vpcId: "vpc-mjwornzj",
                backupSelector: { instanceId: "crs-bbbb0002" },
            },
            "ap-guangzhou",
        );
        const props = failures.map((f) => f.property).sort();
        assert.deepEqual(props, [
            "backupSelector.instanceId",
            "password",
            "period",
            "securityGroupIds",
            "subnetId",
            "zoneId",
        ]);
        const badSource = checkClone(
            { ...inputs(), instanceName: undefined, sourceInstanceId: "crs-BAD" },
            "ap-guangzhou",
        );
        assert.deepEqual(
            badSource.failures.map((f) => f.property),
            ["sourceInstanceId"],
        );
        const postpaidPeriod = checkClone({ ...inputs(), instanceName: undefined, period: 3 }, "ap-guangzhou");
        assert.deepEqual(
            postpaidPeriod.failures.map((f) => f.property),
            ["period"],
        );
        const noAuth = checkClone({ ...inputs(), instanceName: undefined, noAuth: true }, "ap-guangzhou");
        assert.deepEqual(
            noAuth.failures.map((f) => f.property),
            ["password"],
        );
    });
});
