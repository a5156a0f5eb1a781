import { strict as assert } from "assert";
import { TencentRedisService } from "../../emulator/tencentcloud/redis";
import { EmulatorServer } from "../../emulator/core/server";
import { setProgressSink } from "../../provider/core/progress";
import { DrillInputs, DrillReport, drillToken, scratchName } from "../../provider/core/drill";
import type { CloneInputs } from "../../provider/tencentcloud/cloneInputs";
import { CloneDrillProvider } from "../../provider/tencentcloud/cloneDrill";
import { rejects } from "../support/assertions";
import { VirtualClock } from "../../harness/clock";

const SECRET_ID = "AKIDdrilltest0001";
const SECRET_KEY = "tencent-drill-test-secret-0001";
const PASSWORD = "Drill-Passw0rd-77";
const TOKEN = drillToken("proj", "dev", "redis-monthly");
const FAST = { minIntervalMs: 1000, maxIntervalMs: 5000, fraction: 0.05 };
const SOURCE = "crs-drsrc001";
const BACKUP = "678362566696298539990001";
const MARK = "pulumi-restore-token";

interface Ctx {
    svc: TencentRedisService;
    server: EmulatorServer;
    p: CloneDrillProvider;
    lines: string[];
    order: string[];
}

/** Drill provider and emulator on one virtual clock; the emulator serves each clone's port on 127.0.0.1. */
async function setup(): Promise<Ctx> {
    const clock = new VirtualClock();
    const svc = new TencentRedisService({
        clock,
        credentials: { [SECRET_ID]: SECRET_KEY },
        timings: { cloneMs: 20_000, destroyMs: 3000, cleanUpMs: 2000 },
    });
    svc.serveTcp = true;
    const server = new EmulatorServer(svc);
    const url = await server.start();
    const p = new CloneDrillProvider(
        { clock, env: { PATH: process.env.PATH }, schedule: FAST, settleMs: 6000, random: () => 0.5 },
        { "tencentcloud:endpoint": url, "tencentcloud:secretId": SECRET_ID, "tencentcloud:secretKey": SECRET_KEY },
    );
    const lines: string[] = [];
    setProgressSink((l) => lines.push(l));
    svc.seed("instance", { InstanceId: SOURCE, Password: "Source-Passw0rd" });
    svc.seed("backup", { InstanceId: SOURCE, BackupId: BACKUP });
    const order: string[] = [];
    server.onHandled = (action) => order.push(action);
    return { svc, server, p, lines, order };
}

let c: Ctx;

async function inputs(over: Record<string, unknown> = {}): Promise<DrillInputs<CloneInputs>> {
    const r = await c.p.check(
        {},
        {
            restoreToken: TOKEN,
            sourceInstanceId: SOURCE,
            backupId: BACKUP,
            zoneId: 100003,
            securityGroupIds: ["sg-drill001"],
            password: PASSWORD,
            ...over,
        },
    );
    assert.deepEqual(r.failures, []);
    return r.inputs!;
}

/** Instances carrying this drill's mark (the scratch instances) that are not released. */
const scratch = () => c.svc.live().filter((i) => i.Tags.some((t) => t.TagKey === MARK && t.TagValue === TOKEN));
const report = (outs: Record<string, unknown>) => outs.report as unknown as DrillReport;

describe("tencentcloud.redis.RestoreDrill provider (CloneInstances, emulator)", function () {
    this.timeout(30_000);
    afterEach(async () => {
        setProgressSink(undefined);
        if (c)
            assert.deepEqual(
                scratch().map((i) => `${i.InstanceId} ${i.Status}`),
                [],
                "no scratch instance is left",
            );
        await c?.server.stop();
    });

    it("a passing drill: running, its reported address and port accept a connection, verify gets them, the clone is released", async () => {
        c = await setup();
        const verify = {
            command: 'echo "redis-cli -h $DRILL_ADDRESS -p $DRILL_PORT -a $DRILL_PASSWORD ($DRILL_INSTANCE_ID)"',
        };
        const r = await c.p.create(await inputs({ verify }));
        const rep = report(r.outs!);
        assert.equal(r.outs!.passed, true, JSON.stringify(rep));
        assert.deepEqual(
            rep.checks.map((k) => `${k.name}:${k.result}`),
            ["running:passed", "tcp:passed", "verify:passed"],
        );
        assert.match(rep.checks[1].detail, /^127\.0\.0\.1:\d+ accepted a connection$/);
        assert.match(rep.checks[2].outputTail!, /-a \*\*\* \(crs-/);
        assert.ok(!JSON.stringify(r.outs!.report).includes(PASSWORD));
        assert.equal(rep.recoveryPointSeconds, 3000, "the backup ended 50 minutes before the drill");
        assert.ok(rep.recoveryTimeSeconds! >= 20 && rep.recoveryTimeSeconds! <= 25, `${rep.recoveryTimeSeconds}`);
        assert.equal(c.server.count("CloneInstances"), 1);
        assert.equal(c.server.count("RestoreInstance"), 0, "the source instance is never overwritten");
        assert.equal(c.server.count("DestroyPostpaidInstance"), 1);
        assert.equal(c.server.count("CleanUpInstance"), 1);
        assert.equal(rep.scratchDeleted, true);
        assert.equal(r.outs!.scratchName, scratchName(TOKEN));
    });

    it("a clone that never runs (isolated) and a timed-out wait: each scratch instance is released, each recorded as failed", async () => {
        c = await setup();
        c.svc.failNext("CloneInstances");
        const failed = await c.p.create(await inputs({ failOnCheckFailure: false }));
        assert.match(report(failed.outs!).failure!, /^restore: .*isolated/);
        const slow = await c.p.create(await inputs({ failOnCheckFailure: false, timeouts: { create: "10s" } }));
        assert.match(report(slow.outs!).failure!, /timed out .*timeouts.create is 10s/);
        assert.equal(c.server.count("CloneInstances"), 2);
        assert.equal(c.server.count("CleanUpInstance"), 2);
    });

    it("a lost answer to CloneInstances: the tagged scratch instance is followed, checked and released; one clone", async () => {
        c = await setup();
        c.server.inject({ action: "CloneInstances", kind: "dropAfter" });
        const r = await c.p.create(await inputs());
        assert.equal(r.outs!.passed, true, JSON.stringify(report(r.outs!)));
        assert.equal(c.server.count("CloneInstances"), 1, "never cloned twice");
        assert.equal(c.svc.clonesMade, 1);
    });

    it("crash mid-drill: the left-over scratch instance is found by its tag and released before the new clone", async () => {
        c = await setup();
        const i = await inputs({ timeouts: { create: "5s" } });
        const { failOnCheckFailure: _f, ...restore } = i;
        await c.p.restorer.create(restore).catch(() => undefined);
        assert.equal(scratch().length, 1);
        c.order.length = 0;
        const r = await c.p.create(await inputs());
        assert.equal(r.outs!.passed, true);
        assert.ok(c.order.indexOf("DestroyPostpaidInstance") < c.order.indexOf("CloneInstances"), c.order.join(","));
        assert.equal(c.server.count("DestroyPostpaidInstance"), 2);
    });

    it("a scratch instance isolated but not cleaned up (crash during release): cleaned up by the next run", async () => {
        c = await setup();
        const i = await inputs();
        const { failOnCheckFailure: _f, ...restore } = i;
        const made = await c.p.restorer.create(restore);
        c.server.inject({ action: "CleanUpInstance", kind: "error503", times: 50 });
        await rejects(c.p.restorer.delete(made.id, made.outs), /./);
        c.server.clearFaults();
        c.order.length = 0;
        const r = await c.p.create(await inputs());
        assert.equal(r.outs!.passed, true);
        const left = (c.svc.snapshot().instances as { InstanceId: string; Status: number }[]).find(
            (x) => x.InstanceId === made.id,
        );
        assert.ok(!left || left.Status === -3, `the isolated scratch instance is cleaned up: ${JSON.stringify(left)}`);
        assert.ok(c.order.indexOf("CleanUpInstance") < c.order.indexOf("CloneInstances"), c.order.join(","));
    });

    it("a new trigger runs it again; read and delete make no cloud call", async () => {
        c = await setup();
        const r = await c.p.create(await inputs({ triggers: { month: "2026-11" } }));
        const d = await c.p.diff(r.id, r.outs!, await inputs({ triggers: { month: "2026-12" } }));
        assert.deepEqual(d.replaces, ["triggers"]);
        const calls = c.server.count();
        await c.p.read(r.id, r.outs!);
        await c.p.delete(r.id, r.outs!);
        assert.equal(c.server.count(), calls);
    });

    it("check: prepaid refused naming billingMode; instanceName and adoptId refused; clone fields by the clone checker", async () => {
        c = await setup();
        const r = await c.p.check(
            {},
            {
                restoreToken: TOKEN,
                sourceInstanceId: SOURCE,
                backupId: BACKUP,
                zoneId: 100003,
                securityGroupIds: ["sg-drill001"],
                password: PASSWORD,
                billingMode: "prepaid",
                period: 1,
                instanceName: "mine",
                adoptId: "crs-abcd0001",
                port: 80,
            },
        );
        assert.deepEqual(r.failures!.map((f) => f.property).sort(), ["adoptId", "billingMode", "instanceName", "port"]);
        assert.equal(c.server.count(), 0);
    });
});
