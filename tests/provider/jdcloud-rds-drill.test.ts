import { strict as assert } from "assert";
import { JdcloudRdsService } from "../../emulator/jdcloud/rds";
import { EmulatorServer } from "../../emulator/core/server";
import { setProgressSink } from "../../provider/core/progress";
import { DrillInputs, DrillReport, drillToken, scratchName } from "../../provider/core/drill";
import type { RdsRestoreInputs } from "../../provider/jdcloud/rdsInputs";
import { RdsDrillProvider } from "../../provider/jdcloud/rdsDrill";
import { rejects } from "../support/assertions";
import { VirtualClock } from "../../harness/clock";

const AK = "jdcloud-drill-test-ak";
const SK = "jdcloud-drill-test-secret-0001";
const DB_PASSWORD = "Db-Dr1ll-Pw-77";
const TOKEN = drillToken("proj", "dev", "rds-monthly");
const FAST = { minIntervalMs: 1000, maxIntervalMs: 5000, fraction: 0.05 };
const SPEC = {
    instanceClass: "db.mysql.s1.micro",
    instanceStorageGB: 20,
    azId: ["cn-north-1a", "cn-north-1a"],
    vpcId: "vpc-drill0001",
    subnetId: "subnet-drill0001",
    chargeSpec: {},
};

interface Ctx {
    svc: JdcloudRdsService;
    server: EmulatorServer;
    p: RdsDrillProvider;
    lines: string[];
    order: string[];
}

/** Drill provider and emulator on one virtual clock; the emulator serves each instance's port on 127.0.0.1. */
async function setup(): Promise<Ctx> {
    const clock = new VirtualClock();
    const svc = new JdcloudRdsService({
        clock,
        credentials: { [AK]: SK },
        timings: { buildMs: 20_000, deleteMs: 5000 },
    });
    svc.serveTcp = true;
    const server = new EmulatorServer(svc);
    const url = await server.start();
    const p = new RdsDrillProvider(
        { clock, env: { PATH: process.env.PATH }, schedule: FAST, settleMs: 6000, random: () => 0.5 },
        { "jdcloud:endpoint": url, "jdcloud:accessKey": AK, "jdcloud:secretKey": SK, "jdcloud:region": "cn-north-1" },
    );
    const lines: string[] = [];
    setProgressSink((l) => lines.push(l));
    svc.seed("backup", { backupId: "bk-drill-0001", engine: "MySQL", instanceId: "mysql-src00001" });
    const order: string[] = [];
    server.onHandled = (action) => order.push(action);
    return { svc, server, p, lines, order };
}

let c: Ctx;

async function inputs(
    over: Record<string, unknown> = {},
    spec: Record<string, unknown> = {},
): Promise<DrillInputs<RdsRestoreInputs>> {
    const r = await c.p.check(
        {},
        {
            restoreToken: TOKEN,
            backupId: "bk-drill-0001",
            engine: "MySQL",
            instanceSpec: { ...SPEC, ...spec },
            backupSourceInstanceId: "mysql-src00001",
            databasePassword: DB_PASSWORD,
            ...over,
        },
    );
    assert.deepEqual(r.failures, []);
    return r.inputs!;
}

/** Instances carrying this drill's mark (the scratch instances), whatever their name. */
const scratch = () =>
    c.svc.live().filter((i) => i.tags.some((t) => t.key === "pulumi-restore-token" && t.value === TOKEN));
/** Someone else's instance that carries the drill's scratch name (no tag, or another token's tag). */
const foreign = (tags?: { key: string; value: string }[]) =>
    c.svc.seed("instance", { instanceName: scratchName(TOKEN), tags }) as { instanceId: string };
const report = (outs: Record<string, unknown>) => outs.report as unknown as DrillReport;

describe("jdcloud.rds.RestoreDrill provider (emulator)", function () {
    this.timeout(30_000);
    afterEach(async () => {
        setProgressSink(undefined);
        if (c)
            assert.deepEqual(
                scratch().map((i) => `${i.instanceId} ${i.instanceStatus}`),
                [],
                "no scratch instance is left",
            );
        await c?.server.stop();
    });

    it("a passing drill: RUNNING, its reported address and port accept a connection, verify gets them, the instance is deleted", async () => {
        c = await setup();
        const verify = {
            command: 'echo "db $DRILL_ADDRESS:$DRILL_PORT as root/$DRILL_PASSWORD on $DRILL_INSTANCE_ID"',
        };
        const r = await c.p.create(await inputs({ verify }));
        const rep = report(r.outs!);
        assert.equal(r.outs!.passed, true, JSON.stringify(rep));
        assert.deepEqual(
            rep.checks.map((k) => `${k.name}:${k.result}`),
            ["running:passed", "tcp:passed", "verify:passed"],
        );
        assert.match(rep.checks[1].detail, /^127\.0\.0\.1:\d+ accepted a connection$/);
        assert.match(
            rep.checks[2].outputTail!,
            new RegExp(`db 127\\.0\\.0\\.1:\\d+ as root/\\*\\*\\* on ${rep.scratchInstanceId}`),
        );
        assert.ok(!JSON.stringify(r.outs!.report).includes(DB_PASSWORD));
        assert.equal(
            rep.recoveryPointSeconds,
            3000,
            "the backup finished 50 minutes before the drill (started an hour before)",
        );
        assert.ok(
            rep.recoveryTimeSeconds! >= 20 && rep.recoveryTimeSeconds! <= 25,
            `recovery time ${rep.recoveryTimeSeconds}`,
        );
        assert.equal(c.server.count("createInstanceFromBackup"), 1);
        assert.equal(c.server.count("deleteInstance"), 1);
        assert.equal(rep.scratchDeleted, true);
    });

    it("a failing TCP check (the database stopped listening): the drill fails with the report and deletes the instance", async () => {
        c = await setup();
        c.server.onHandled = (action, res) => {
            // As soon as the instance exists, its database stops accepting connections; the API still says RUNNING.
            if (action === "createInstanceFromBackup")
                c.svc.stopServing(String((res.body as { result: { instanceId: string } }).result.instanceId));
        };
        const e = await rejects(
            c.p.create(await inputs()),
            /restore drill failed: check tcp: 127\.0\.0\.1:\d+: connection failed \(ECONNREFUSED\)/,
        );
        assert.match(e.message, /"scratchDeleted": true/);
        assert.equal(c.server.count("deleteInstance"), 1);
    });

    it("a restore that fails (ERROR) and a timed-out wait: each instance is deleted, each recorded as failed", async () => {
        c = await setup();
        c.server.inject({ action: "createInstanceFromBackup", kind: "failTask" });
        const failed = await c.p.create(await inputs({ failOnCheckFailure: false }));
        assert.match(report(failed.outs!).failure!, /^restore: .*ERROR/);
        const slow = await c.p.create(await inputs({ failOnCheckFailure: false, timeouts: { create: "10s" } }));
        assert.match(report(slow.outs!).failure!, /timed out .*timeouts.create is 10s/);
        assert.equal(c.server.count("deleteInstance"), 2);
    });

    it("a lost answer to createInstanceFromBackup: the tagged scratch instance is followed, checked and deleted; one create", async () => {
        c = await setup();
        c.server.inject({ action: "createInstanceFromBackup", kind: "dropAfter" });
        const r = await c.p.create(await inputs());
        const rep = report(r.outs!);
        assert.equal(r.outs!.passed, true, JSON.stringify(rep));
        assert.match(rep.scratchInstanceId!, /^mysql-/);
        assert.equal(c.server.count("createInstanceFromBackup"), 1, "never created twice");
        assert.equal(c.server.count("deleteInstance"), 1);
        assert.equal(rep.scratchDeleted, true);
    });

    it("a foreign instance carrying the scratch name (no tag, another token's tag) is never deleted: the drill fails naming it", async () => {
        c = await setup();
        const bare = foreign();
        const other = foreign([{ key: "pulumi-restore-token", value: drillToken("proj", "prod", "rds-monthly") }]);
        const r = await c.p.create(await inputs({ failOnCheckFailure: false }));
        const rep = report(r.outs!);
        assert.match(
            rep.failure!,
            /^restore: .*already exists in cn-north-1 and is not this resource's.*no pulumi-restore-token tag.*another resource's or stack's.*this restore drill's scratch name.*delete it yourself/,
        );
        assert.ok(rep.failure!.includes(bare.instanceId) && rep.failure!.includes(other.instanceId));
        assert.equal(c.server.count("createInstanceFromBackup"), 0);
        assert.equal(c.server.count("deleteInstance"), 0, "neither the sweeps nor the cleanup deleted them");
        assert.deepEqual(
            c.svc
                .live()
                .map((i) => i.instanceId)
                .sort(),
            [bare.instanceId, other.instanceId].sort(),
        );
    });

    it("a scratch instance left by a crash and renamed since: found by its tag and deleted before the new restore", async () => {
        c = await setup();
        const left = c.svc.seed("instance", {
            instanceName: "renamed-by-someone",
            tags: [{ key: "pulumi-restore-token", value: TOKEN }],
        }) as { instanceId: string };
        c.order.length = 0;
        const r = await c.p.create(await inputs());
        assert.equal(r.outs!.passed, true);
        assert.ok(c.order.indexOf("deleteInstance") < c.order.indexOf("createInstanceFromBackup"), c.order.join(","));
        assert.ok(!c.svc.live().some((i) => i.instanceId === left.instanceId));
        assert.equal(c.server.count("deleteInstance"), 2);
    });

    it("crash mid-drill: the left-over scratch instance is deleted by its tag (the token) before the new restore", async () => {
        c = await setup();
        const i = await inputs({ timeouts: { create: "5s" } });
        const { backupSourceInstanceId: _s, databasePassword: _p, failOnCheckFailure: _f, ...restore } = i;
        await c.p.restorer.create(restore).catch(() => undefined);
        assert.equal(scratch().length, 1);
        c.order.length = 0;
        const r = await c.p.create(await inputs());
        assert.equal(r.outs!.passed, true);
        assert.ok(c.order.indexOf("deleteInstance") < c.order.indexOf("createInstanceFromBackup"), c.order.join(","));
        assert.equal(c.server.count("deleteInstance"), 2);
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
        await c.p.create(await inputs({ triggers: { month: "2026-12" } }));
        assert.equal(c.server.count("createInstanceFromBackup"), 2);
    });

    it("check: prepaid refused naming chargeMode; instanceName and adoptId refused; restore fields by the restore checker", async () => {
        c = await setup();
        const r = await c.p.check(
            {},
            {
                restoreToken: TOKEN,
                backupId: "bk-drill-0001",
                engine: "MySQL",
                adoptId: "mysql-abcdef",
                instanceSpec: {
                    ...SPEC,
                    instanceName: "mine",
                    instanceStorageGB: 0,
                    chargeSpec: { chargeMode: "prepaid_by_duration", chargeDuration: 1 },
                },
                backupSourceInstanceId: "not an id",
                databasePassword: "pw",
            },
        );
        assert.deepEqual(r.failures!.map((f) => f.property).sort(), [
            "adoptId",
            "backupSourceInstanceId",
            "databasePassword",
            "instanceSpec.chargeSpec.chargeMode",
            "instanceSpec.instanceName",
            "instanceSpec.instanceStorageGB",
        ]);
        assert.equal(c.server.count(), 0);
    });
});
