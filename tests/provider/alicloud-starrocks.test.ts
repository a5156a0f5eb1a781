import { strict as assert } from "assert";
import { fromState } from "../../provider/core/resource";
import { StarRocksService } from "../../emulator/alicloud/starrocks";
import { EmulatorServer } from "../../emulator/core/server";
import { CloudError, PartialStateError } from "../../provider/core/errors";
import { AxiosTransport, HttpRequest, HttpResponse, Transport } from "../../provider/core/http";
import { setProgressSink } from "../../provider/core/progress";
import { checkRestoredInstance } from "../../provider/alicloud/starrocksInputs";
import { StarRocksProvider } from "../../provider/alicloud/starrocksProvider";
import { rejects } from "../support/assertions";
import { VirtualClock } from "../../harness/clock";

const AK = "starrocks-provider-test-ak";
const SK = "starrocks-provider-test-secret-0001";
const PASSWORD = "Pr0vider-Adm1n!";
const TOKEN = "prt-00112233445566778899";
const FAST = { minIntervalMs: 1000, maxIntervalMs: 5000, fraction: 0.05 };

interface Ctx {
    clock: VirtualClock;
    svc: StarRocksService;
    server: EmulatorServer;
    p: StarRocksProvider;
    lines: string[];
    url: string;
}

/** Provider and emulator on one virtual clock: waits of minutes take milliseconds. */
async function setup(o: { transport?: Transport; secretKey?: string; clockSkewMs?: number } = {}): Promise<Ctx> {
    const clock = new VirtualClock();
    const svc = new StarRocksService({
        clock,
        credentials: { [AK]: SK },
        timings: { restoreMs: 60_000, releaseMs: 10_000 },
    });
    const server = new EmulatorServer(svc);
    const url = await server.start();
    const providerClock = o.clockSkewMs
        ? { now: () => clock.now() + o.clockSkewMs!, sleep: (ms: number) => clock.sleep(ms) }
        : clock;
    const p = new StarRocksProvider(
        { clock: providerClock, env: {}, schedule: FAST, settleMs: 20_000, random: () => 0.5, transport: o.transport },
        {
            "alicloud:endpoint": url,
            "alicloud:region": "cn-hangzhou",
            "alicloud:accessKey": AK,
            "alicloud:secretKey": o.secretKey ?? SK,
        },
    );
    const lines: string[] = [];
    setProgressSink((l) => lines.push(l));
    svc.seed("backup", { BackupTaskId: "bk-provider01", RegionId: "cn-hangzhou" });
    return { clock, svc, server, p, lines, url };
}

function inputs(over: Record<string, unknown> = {}): ReturnType<typeof checkRestoredInstance>["inputs"] {
    const { inputs: i, failures } = checkRestoredInstance({
        restoreToken: TOKEN,
        backupTaskId: "bk-provider01",
        instanceName: "analytics-dr",
        adminPassword: PASSWORD,
        ...over,
    });
    assert.deepEqual(failures, []);
    return i;
}

describe("alicloud starrocks RestoredInstance provider (emulator)", function () {
    this.timeout(30_000);
    let c: Ctx;
    afterEach(async () => {
        setProgressSink(undefined);
        await c?.server.stop();
    });
    const alive = () => c.svc.live().filter((i) => i.InstanceStatus !== "deleting");

    it("creates: one RestoreInstance tagged with the intent, waits for running with progress, returns the outputs", async () => {
        c = await setup();
        const r = await c.p.create(inputs({ tags: { team: "data" } }));
        assert.equal(c.server.count("RestoreInstance"), 1);
        assert.equal(alive().length, 1);
        assert.equal(r.id, alive()[0].InstanceId);
        assert.equal(r.outs.status, "running");
        assert.equal(r.outs.regionId, "cn-hangzhou");
        assert.equal(r.outs.adopted, false);
        const tags = alive()[0].Tags;
        assert.ok(tags.some((t) => t.Key === "team" && t.Value === "data"));
        assert.ok(tags.some((t) => t.Key === "pulumi-restore-token" && t.Value.startsWith(`${TOKEN}.`)));
        assert.ok(
            c.lines.some((l) => /restoring backup bk-provider01/.test(l)),
            "a start line",
        );
        // StarRocks reports `restarting` while it restores: the lines say "restoring".
        assert.ok(
            c.lines.some((l) => /: restoring \(/.test(l)),
            "a status-change line",
        );
        assert.ok(!c.lines.some((l) => /restarting/.test(l)), c.lines.join("\n"));
        // One line says it is done (the wait's; the provider once added its own, saying the same again).
        assert.equal(c.lines.filter((l) => /is running|running after/.test(l)).length, 1, c.lines.join("\n"));
        assert.ok(
            c.lines.some((l) => /instance c-\S+ is running \(\d/.test(l)),
            "a done line",
        );
        assert.ok(!c.lines.join("\n").includes(PASSWORD), "no password in progress lines");
    });

    it("throttled RestoreInstance (Throttling.User + x-acs-retry-after) is retried: one instance", async () => {
        c = await setup();
        c.server.inject({ action: "RestoreInstance", kind: "throttle", times: 2 });
        await c.p.create(inputs());
        assert.equal(c.server.count("RestoreInstance"), 3);
        assert.equal(alive().length, 1);
        assert.ok(
            c.clock.slept.some((ms) => ms >= 200),
            "waited at least the x-acs-retry-after of 200 ms",
        );
    });

    for (const kind of ["error500", "error503", "dropBefore"] as const) {
        it(`${kind} on RestoreInstance (nothing done): looks for the instance, never calls again in that run; the next create restores once`, async () => {
            c = await setup();
            c.server.inject({ action: "RestoreInstance", kind });
            await rejects(
                c.p.create(inputs()),
                /outcome of RestoreInstance is unknown.*not called again.*instance tagged pulumi-restore-token=prt-.*run `pulumi up` again/,
            );
            assert.equal(c.server.count("RestoreInstance"), 1);
            assert.ok(c.server.count("DescribeInstances") >= 2, "looked up the token");
            const r = await c.p.create(inputs());
            assert.equal(c.server.count("RestoreInstance"), 2);
            assert.equal(alive().length, 1);
            assert.equal(r.id, alive()[0].InstanceId);
        });
    }

    it("RestoreInstance carried out 60 s late with the answer lost: never called twice; the next create follows the late instance", async () => {
        c = await setup();
        c.server.inject({ action: "RestoreInstance", kind: "late", delayMs: 60_000 });
        await rejects(
            c.p.create(inputs()),
            /outcome of RestoreInstance is unknown.*may still carry out that call late/,
        );
        assert.equal(c.server.count("RestoreInstance"), 1);
        assert.equal(alive().length, 0);
        c.clock.advance(60_000);
        const r = await c.p.create(inputs());
        assert.equal(c.server.count("RestoreInstance"), 1);
        assert.equal(alive().length, 1);
        assert.equal(r.id, alive()[0].InstanceId);
        assert.equal(r.outs.adopted, true);
    });

    it("an InternalError body inside HTTP 200 (the restore was made): followed by its token, never restored twice", async () => {
        c = await setup();
        c.server.inject({ action: "RestoreInstance", kind: "odd" });
        const r = await c.p.create(inputs());
        assert.equal(c.server.count("RestoreInstance"), 1);
        assert.equal(alive().length, 1);
        assert.equal(r.id, alive()[0].InstanceId);
        assert.equal(r.outs.adopted, true);
    });

    for (const kind of ["dropAfter", "malformed"] as const) {
        it(`${kind} on RestoreInstance (carried out, answer lost): adopts the instance by its token, never restores twice`, async () => {
            c = await setup();
            c.server.inject({ action: "RestoreInstance", kind });
            const r = await c.p.create(inputs());
            assert.equal(c.server.count("RestoreInstance"), 1);
            assert.equal(alive().length, 1);
            assert.equal(r.id, alive()[0].InstanceId);
            assert.equal(r.outs.adopted, true);
            assert.ok(c.lines.some((l) => /answer was lost/.test(l)));
        });
    }

    it("a second create for the same intent (earlier up failed after the call) adopts instead of restoring", async () => {
        c = await setup();
        const first = await c.p.create(inputs());
        const again = await c.p.create(inputs());
        assert.equal(again.id, first.id);
        assert.equal(c.server.count("RestoreInstance"), 1);
        assert.equal(again.outs.adopted, true);
    });

    it("a restore that ends in creating_failed is thrown as partial state carrying the instance id", async () => {
        c = await setup();
        c.server.inject({ action: "RestoreInstance", kind: "failTask" });
        const e = await rejects(c.p.create(inputs()), /creating_failed/);
        assert.ok(e instanceof PartialStateError, "partial state, so the engine records the instance");
        const ps = e as PartialStateError;
        assert.equal(ps.id, c.svc.live()[0].InstanceId);
        assert.ok(ps.properties.__provider !== undefined || ps.properties.instanceId === ps.id);
        assert.match(e.message, /pulumi destroy/);
    });

    it("a time-out while waiting is partial state too, and update resumes the wait", async () => {
        c = await setup();
        const e = await rejects(c.p.create(inputs({ timeouts: { create: "30s" } })), /timed out/);
        assert.ok(e instanceof PartialStateError);
        const id = (e as PartialStateError).id;
        const u = await c.p.update(
            id,
            { ...inputs(), instanceId: id, regionId: "cn-hangzhou", status: "restarting", adopted: false },
            inputs(),
        );
        assert.equal(u.outs!.status, "running");
        assert.equal(c.server.count("RestoreInstance"), 1);
    });

    it("a missing backup fails before RestoreInstance, naming backupTaskId", async () => {
        c = await setup();
        await rejects(
            c.p.create(inputs({ backupTaskId: "bk-nosuchbackup" })),
            /backupTaskId: backup task bk-nosuchbackup was not found/,
        );
        assert.equal(c.server.count("RestoreInstance"), 0);
    });

    it("adoptId takes over an existing instance without RestoreInstance; a mismatch is refused", async () => {
        c = await setup();
        const seeded = c.svc.seed("instance", { InstanceName: "analytics-dr" }) as { InstanceId: string };
        const r = await c.p.create(inputs({ adoptId: seeded.InstanceId }));
        assert.equal(r.id, seeded.InstanceId);
        assert.equal(r.outs.adopted, true);
        assert.equal(c.server.count("RestoreInstance"), 0);
        await rejects(
            c.p.create(inputs({ adoptId: seeded.InstanceId, instanceName: "other-name" })),
            /adoptId: .*does not match.*instanceName/,
        );
        await rejects(
            c.p.create(inputs({ adoptId: "c-doesnotexist0001" })),
            /adoptId: instance c-doesnotexist0001 does not exist/,
        );
    });

    it("check: backupTaskId (and prePaid terms) are required unless adopting; adopting without them passes", () => {
        const missing = checkRestoredInstance({ restoreToken: TOKEN, instanceName: "x" });
        assert.deepEqual(
            missing.failures.map((f) => f.property),
            ["backupTaskId"],
        );
        const prePaid = checkRestoredInstance({
            restoreToken: TOKEN,
            backupTaskId: "bk-provider01",
            payType: "prePaid",
        });
        assert.deepEqual(prePaid.failures.map((f) => f.property).sort(), ["duration", "pricingCycle"]);
        const adopt = checkRestoredInstance({
            restoreToken: TOKEN,
            adoptId: "c-b25e21e243889abc",
            payType: "prePaid",
            instanceName: "x",
        });
        assert.deepEqual(adopt.failures, []);
        assert.equal(adopt.inputs.backupTaskId, undefined);
        assert.equal(adopt.inputs.autoRenew, undefined);
    });

    it("importRead (pulumi import through the plugin): the instance as adopted, inputs from DescribeInstances, no restore-token tag; gone → undefined", async () => {
        c = await setup();
        const made = await c.p.create(inputs({ tags: { team: "data" } }));
        const r = await c.p.importRead(made.id);
        assert.ok(r);
        assert.deepEqual(r.inputs, {
            adoptId: made.id,
            instanceName: "analytics-dr",
            payType: "postPaid",
            regionId: "cn-hangzhou",
            tags: { team: "data" },
        });
        assert.equal(r.outs.instanceId, made.id);
        assert.equal(r.outs.adopted, true);
        assert.equal(r.outs.status, "running");
        // The imported inputs pass check and adopting them calls no RestoreInstance.
        const again = checkRestoredInstance({ ...r.inputs, restoreToken: TOKEN });
        assert.deepEqual(again.failures, []);
        const restores = c.server.count("RestoreInstance");
        assert.equal((await c.p.create(again.inputs)).id, made.id);
        assert.equal(c.server.count("RestoreInstance"), restores);
        c.svc.releaseOutOfBand(made.id);
        c.clock.advance(60_000);
        assert.equal(await c.p.importRead(made.id), undefined);
    });

    it("read: an instance released out of band gives an empty id", async () => {
        c = await setup();
        const r = await c.p.create(inputs());
        const props = r.outs;
        assert.equal((await c.p.read(r.id, props)).id, r.id);
        c.svc.releaseOutOfBand(r.id);
        c.clock.advance(60_000);
        assert.equal((await c.p.read(r.id, props)).id, "");
    });

    it("state written when backupType was FULL/INCREMENTAL (before the SDK's 0/1) still reads, diffs and deletes", async () => {
        c = await setup();
        c.svc.seed("backup", {
            BackupTaskId: "bk-oldstate01",
            InstanceId: "c-oldstatesrc0001",
            RegionId: "cn-hangzhou",
        });
        const r = await c.p.create(
            inputs({ backupTaskId: undefined, backupSelector: { instanceId: "c-oldstatesrc0001" } }),
        );
        // The outputs as the previous version stored them: the selector with a type name the API never reports.
        const old = { ...r.outs };
        old.backupSelector = { ...(old.backupSelector as Record<string, string>), backupType: "FULL" };
        const read = await c.p.read(r.id, old);
        assert.equal(read.id, r.id);
        assert.deepEqual(read.props?.backupSelector, old.backupSelector);
        const news = inputs({
            backupTaskId: undefined,
            backupSelector: { instanceId: "c-oldstatesrc0001", backupType: "0" },
        });
        const d = await c.p.diff(r.id, old, news);
        assert.ok(d.replaces?.includes("backupSelector"), "a new type is a new restore, as any selector change");
        await c.p.delete(r.id, old);
        assert.equal(c.server.count("ReleaseInstance"), 1);
        assert.equal(alive().length, 0);
    });

    it("delete: postPaid is released and waited for; already gone is success", async () => {
        c = await setup();
        const r = await c.p.create(inputs());
        await c.p.delete(r.id, r.outs);
        assert.equal(c.server.count("ReleaseInstance"), 1);
        assert.equal(c.svc.live().length, 0);
        await c.p.delete(r.id, r.outs);
        assert.equal(c.server.count("ReleaseInstance"), 1, "nothing to release the second time");
    });

    it("delete: prePaid is refused with console unsubscription and retainOnDelete explained; the instance stays", async () => {
        c = await setup();
        const r = await c.p.create(inputs({ payType: "prePaid", pricingCycle: "Month", duration: 1 }));
        await rejects(c.p.delete(r.id, r.outs), /subscription \(prePaid\).*Unsubscri.*retainOnDelete/s);
        assert.equal(c.server.count("ReleaseInstance"), 0);
        assert.equal(alive().length, 1);
    });

    it("a tampered signature gets SignatureDoesNotMatch, shown with the request id and without the secret; not repeated", async () => {
        const inner = new AxiosTransport();
        const tamper: Transport = {
            send: (req: HttpRequest, t: number): Promise<HttpResponse> => {
                const auth = req.headers.Authorization ?? req.headers.authorization;
                const sig = /Signature=([0-9a-f]+)/.exec(auth)![1];
                const flipped = sig.slice(0, -1) + (sig.endsWith("0") ? "1" : "0");
                const headers = { ...req.headers };
                for (const k of Object.keys(headers))
                    if (k.toLowerCase() === "authorization") headers[k] = auth.replace(sig, flipped);
                return inner.send({ ...req, headers }, t);
            },
        };
        c = await setup({ transport: tamper });
        const e = await rejects(
            c.p.create(inputs()),
            /SignatureDoesNotMatch.*\(request id [0-9A-F-]{36}\).*Check that alicloud:secretKey/,
        );
        assert.ok(e instanceof CloudError);
        assert.ok(!e.message.includes(SK));
        assert.equal(c.server.count("RestoreInstance"), 0, "failed at the first (read) call");
        assert.equal(c.server.count(), c.server.log.filter((l) => l.status === 400 || l.status === 403).length);
        assert.ok(c.server.count() <= 1, "a signature error is not retried");
    });

    it("a wrong secret key gets SignatureDoesNotMatch; clock skew past 15 minutes gets InvalidTimeStamp.Expired", async () => {
        c = await setup({ secretKey: "not-the-right-secret" });
        const e = await rejects(c.p.create(inputs()), /SignatureDoesNotMatch/);
        assert.ok(!e.message.includes("not-the-right-secret"));
        await c.server.stop();
        c = await setup({ clockSkewMs: 16 * 60_000 });
        await rejects(c.p.create(inputs()), /InvalidTimeStamp\.Expired.*clock is more than 15 minutes off/);
        assert.equal(c.server.count("RestoreInstance"), 0);
    });

    it("a replayed request (same nonce) gets SignatureNonceUsed", async () => {
        const inner = new AxiosTransport();
        let first: HttpRequest | undefined;
        const recorder: Transport = {
            send: (req, t) => {
                first ??= req;
                return inner.send(req, t);
            },
        };
        c = await setup({ transport: recorder });
        await c.p.read("c-doesnotexist0001", fromState({ regionId: "cn-hangzhou" }));
        const replay = await inner.send(first!, 5000);
        assert.match(replay.body, /SignatureNonceUsed/);
    });
});
