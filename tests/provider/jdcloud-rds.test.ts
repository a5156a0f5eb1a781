import { strict as assert } from "assert";
import { fromState } from "../../provider/core/resource";
import { utcIso } from "../../provider/core/time";
import { CloudError, PartialStateError } from "../../provider/core/errors";
import { setProgressSink } from "../../provider/core/progress";
import { RdsRestoreProvider, parseCreateTime } from "../../provider/jdcloud/rdsProvider";
import { checkRdsRestore } from "../../provider/jdcloud/rdsInputs";
import { EmulatorServer } from "../../emulator/core/server";
import { JdcloudRdsService } from "../../emulator/jdcloud/rds";
import { rejects } from "../support/assertions";
import { VirtualClock } from "../../harness/clock";

const AK = "jdcloud-provider-test-ak";
const SK = "jdcloud-provider-test-secret-0001";
const TOKEN = "prt-0123456789abcdef0123";
const FAST = { minIntervalMs: 1000, maxIntervalMs: 5000, fraction: 0.05 };

interface Ctx {
    clock: VirtualClock;
    svc: JdcloudRdsService;
    server: EmulatorServer;
    p: RdsRestoreProvider;
    lines: string[];
    url: string;
}

async function setup(cfg: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}): Promise<Ctx> {
    const clock = new VirtualClock();
    const svc = new JdcloudRdsService({
        clock,
        credentials: { [AK]: SK },
        timings: { buildMs: 20_000, deleteMs: 5000 },
    });
    const server = new EmulatorServer(svc);
    const url = await server.start();
    const p = new RdsRestoreProvider(
        { clock, env, schedule: FAST, settleMs: 6000, random: () => 0.5 },
        { "jdcloud:endpoint": url, "jdcloud:accessKey": AK, "jdcloud:secretKey": SK, ...cfg },
    );
    const lines: string[] = [];
    setProgressSink((l) => lines.push(l));
    svc.seed("backup", { backupId: "bk-mysql-0001", engine: "MySQL", instanceId: "mysql-src00001" });
    svc.seed("backup", { backupId: "bk-sqls-0001", engine: "SQL Server", instanceId: "sqlserver-src00001" });
    return { clock, svc, server, p, lines, url };
}

function inputs(
    over: Record<string, unknown> = {},
    spec: Record<string, unknown> = {},
    charge: Record<string, unknown> = {},
): ReturnType<typeof checkRdsRestore>["inputs"] {
    const { inputs: i, failures } = checkRdsRestore({
        restoreToken: TOKEN,
        regionId: "cn-north-1",
        backupId: "bk-mysql-0001",
        engine: "MySQL",
        instanceSpec: {
            instanceClass: "db.mysql.s1.micro",
            instanceStorageGB: 20,
            azId: ["cn-north-1a", "cn-north-1a"],
            vpcId: "vpc-test0001",
            subnetId: "subnet-test0001",
            chargeSpec: charge,
            ...spec,
        },
        ...over,
    });
    assert.deepEqual(failures, []);
    return i;
}

describe("jdcloud rds RestoredInstance provider (emulator)", function () {
    this.timeout(30_000);
    let c: Ctx;
    afterEach(async () => {
        setProgressSink(undefined);
        await c?.server.stop();
    });

    it("creates: one createInstanceFromBackup, waits for RUNNING with progress, returns the outputs", async () => {
        c = await setup();
        const r = await c.p.create(inputs({}, { instancePort: 3307 }));
        assert.equal(c.server.count("createInstanceFromBackup"), 1);
        const live = c.svc.live();
        assert.equal(live.length, 1);
        assert.equal(r.id, live[0].instanceId);
        assert.match(r.id, /^mysql-[0-9a-f]{10}$/);
        assert.equal(r.outs.instanceStatus, "RUNNING");
        assert.equal(r.outs.instancePort, "3307");
        assert.equal(r.outs.engineVersion, "8.0");
        assert.equal(r.outs.internalDomainName, live[0].internalDomainName);
        // JD's own time (UTC+8 when zoneless) as UTC to the second.
        assert.equal(r.outs.createTime, utcIso(parseCreateTime(live[0].createTime)));
        assert.match(String(r.outs.createTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        assert.equal(typeof r.outs.orderId, "string");
        assert.equal(r.outs.adopted, false);
        assert.equal(
            live[0].instanceName,
            (r.outs.instanceSpec as { instanceName: string }).instanceName,
            "the derived name is the instance's name",
        );
        assert.ok(c.lines.some((l) => /restoring backup bk-mysql-0001/.test(l)));
        assert.ok(
            c.lines.some((l) => /BUILDING/.test(l)),
            "a progress line on the BUILDING status",
        );
        // One line says it is done (the wait's; the provider once added its own, saying the same again).
        assert.equal(c.lines.filter((l) => /is RUNNING|RUNNING after/.test(l)).length, 1, c.lines.join("\n"));
        assert.ok(!c.lines.join("\n").includes(SK));
    });

    it("an engine that does not match the backup fails with the vendor's envelope, and nothing is created", async () => {
        c = await setup();
        const e = (await rejects(
            c.p.create(inputs({ backupId: "bk-sqls-0001" })),
            /INVALID_ARGUMENT: engine MySQL does not match/,
        )) as CloudError;
        assert.ok(e instanceof CloudError);
        assert.equal(e.httpStatus, 400);
        assert.match(e.requestId ?? "", /^[0-9a-f]{32}$/);
        assert.equal(c.svc.live().length, 0);
    });

    it("a wrong secret key gets UNAUTHENTICATED with a hint, and the secret is never printed", async () => {
        c = await setup({ "jdcloud:secretKey": "wrong-secret-key-0002" });
        const e = await rejects(c.p.create(inputs()), /UNAUTHENTICATED: signature does not match.*jdcloud:secretKey/);
        assert.ok(!e.message.includes("wrong-secret-key-0002"));
        assert.equal(c.svc.live().length, 0);
    });

    it("reads credentials and region from JDCLOUD_* when config has none; missing ones are named", async () => {
        c = await setup(
            { "jdcloud:accessKey": "", "jdcloud:secretKey": "" },
            { JDCLOUD_ACCESS_KEY: AK, JDCLOUD_SECRET_KEY: SK, JDCLOUD_REGION: "cn-north-1" },
        );
        const chk = await c.p.check({}, { ...inputs(), regionId: undefined });
        assert.deepEqual(chk.failures, []);
        assert.equal((chk.inputs as { regionId: string }).regionId, "cn-north-1");
        const r = await c.p.create(chk.inputs!);
        assert.equal(r.outs.instanceStatus, "RUNNING");
        const none = new RdsRestoreProvider({ env: {} }, { "jdcloud:endpoint": c.url });
        await rejects(
            none.create(inputs()),
            /jdcloud:accessKey.*JDCLOUD_ACCESS_KEY.*jdcloud:secretKey.*JDCLOUD_SECRET_KEY/,
        );
    });

    it("throttling (nothing done) is retried; exactly one instance", async () => {
        c = await setup();
        c.server.inject({ action: "createInstanceFromBackup", kind: "throttle", times: 2 });
        const r = await c.p.create(inputs());
        assert.equal(c.server.count("createInstanceFromBackup"), 3);
        assert.equal(c.svc.live().length, 1);
        assert.equal(r.outs.adopted, false);
    });

    it("an answer lost after the instance was created: found by name and followed, never created twice", async () => {
        c = await setup();
        c.server.inject({ action: "createInstanceFromBackup", kind: "dropAfter" });
        const r = await c.p.create(inputs());
        assert.equal(c.server.count("createInstanceFromBackup"), 1);
        assert.equal(c.svc.live().length, 1);
        assert.equal(r.id, c.svc.live()[0].instanceId);
        assert.equal(r.outs.adopted, true);
        assert.ok(c.lines.some((l) => /answer was lost/.test(l)));
    });

    it("a 500 that did nothing: looks for the instance for a while, never calls again, says what to check; the next create restores", async () => {
        c = await setup();
        c.server.inject({ action: "createInstanceFromBackup", kind: "error500" });
        const e = await rejects(
            c.p.create(inputs()),
            /outcome of createInstanceFromBackup is unknown.*not called again.*check whether an instance named "prt-[0-9a-f-]+" tagged pulumi-restore-token=prt-0123456789abcdef0123 appears.*run `pulumi up` again/,
        );
        assert.ok(!(e instanceof PartialStateError), "nothing is known to exist: nothing is recorded");
        assert.equal(c.server.count("createInstanceFromBackup"), 1);
        assert.ok(c.server.count("describeInstances") >= 2, "looked for the result");
        const r = await c.p.create(inputs());
        assert.equal(c.server.count("createInstanceFromBackup"), 2);
        assert.equal(c.svc.live().length, 1);
        assert.equal(r.outs.adopted, false);
    });

    it("a 200 answer with an INTERNAL error body (the instance was made): followed, never created twice", async () => {
        c = await setup();
        c.server.inject({ action: "createInstanceFromBackup", kind: "odd" });
        const r = await c.p.create(inputs());
        assert.equal(
            c.server.count("createInstanceFromBackup"),
            1,
            "an INTERNAL body is not a certain failure: no immediate retry",
        );
        assert.equal(c.svc.live().length, 1);
        assert.equal(r.id, c.svc.live()[0].instanceId);
        assert.equal(r.outs.adopted, true);
    });

    it("a create the cloud carries out 60 s late, answer lost: no second call; a clear error; the next create follows it", async () => {
        c = await setup();
        c.server.inject({ action: "createInstanceFromBackup", kind: "late", delayMs: 60_000 });
        await rejects(
            c.p.create(inputs()),
            /outcome of createInstanceFromBackup is unknown.*within 6s.*not called again.*carry out that call late.*second instance/,
        );
        assert.equal(c.server.count("createInstanceFromBackup"), 1);
        assert.equal(c.svc.live().length, 0, "not carried out yet");
        c.clock.advance(60_000);
        const r = await c.p.create(inputs());
        assert.equal(
            c.server.count("createInstanceFromBackup"),
            1,
            "the next create looked first and found the late instance",
        );
        assert.equal(c.svc.live().length, 1);
        assert.equal(r.id, c.svc.live()[0].instanceId);
        assert.equal(r.outs.adopted, true);
    });

    it("a second create for the same restore (crashed host) follows the instance of the first, without calling again", async () => {
        c = await setup();
        const first = await c.p.create(inputs());
        const again = await new RdsRestoreProvider(
            { clock: c.clock, env: {}, schedule: FAST, settleMs: 6000 },
            { "jdcloud:endpoint": c.url, "jdcloud:accessKey": AK, "jdcloud:secretKey": SK },
        ).create(inputs());
        assert.equal(again.id, first.id);
        assert.equal(again.outs.adopted, true);
        assert.equal(c.server.count("createInstanceFromBackup"), 1);
        // Another backup (another intent) is another instance.
        c.svc.seed("backup", { backupId: "bk-mysql-0002", engine: "MySQL" });
        const other = await c.p.create(inputs({ backupId: "bk-mysql-0002" }));
        assert.notEqual(other.id, first.id);
        assert.equal(c.svc.live().length, 2);
    });

    it("a chosen name proves nothing: a same-named instance made elsewhere minutes ago is never taken over; the error names it and the ways out", async () => {
        c = await setup();
        // Another stack of the same program (or a person) made "orders-dr" with the same spec half an hour ago.
        const other = c.svc.seed("instance", {
            instanceName: "orders-dr",
            instanceClass: "db.mysql.s1.micro",
            vpcId: "vpc-test0001",
            subnetId: "subnet-test0001",
            azId: ["cn-north-1a", "cn-north-1a"],
            createdAt: c.clock.now() - 30 * 60_000,
        }) as { instanceId: string };
        const e = await rejects(
            c.p.create(inputs({}, { instanceName: "orders-dr" })),
            /instanceSpec.instanceName: an instance named "orders-dr" already exists in cn-north-1 and is not this resource's: mysql-[0-9a-f]+ \(RUNNING, .*no pulumi-restore-token tag\).*not taken over.*not deleted.*adoptId: "mysql-[0-9a-f]+".*another instanceSpec.instanceName/,
        );
        assert.ok(e.message.includes(other.instanceId), "the error names the instance found");
        assert.equal(c.server.count("createInstanceFromBackup"), 0, "no second instance of that name either");
        // The way out the error gives: adopt it explicitly (this resource then owns it), or choose another name.
        const adopted = await c.p.create(inputs({ adoptId: other.instanceId }, { instanceName: "orders-dr" }));
        assert.equal(adopted.id, other.instanceId);
        const own = await c.p.create(inputs({}, { instanceName: "orders-dr-2" }));
        assert.equal(own.outs.adopted, false);
        assert.equal(c.server.count("createInstanceFromBackup"), 1);
    });

    it("a chosen name and a lost answer: the instance that appears carries this resource's tag and is followed; one instance", async () => {
        c = await setup();
        c.server.inject({ action: "createInstanceFromBackup", kind: "dropAfter" });
        const r = await c.p.create(inputs({}, { instanceName: "orders-dr" }));
        assert.equal(c.server.count("createInstanceFromBackup"), 1);
        assert.equal(c.svc.live().length, 1);
        assert.equal(r.id, c.svc.live()[0].instanceId);
        assert.equal(r.outs.adopted, true);
        assert.deepEqual(c.svc.live()[0].tags, [{ key: "pulumi-restore-token", value: TOKEN }]);
    });

    it("a crash after the create (state lost) with a chosen name: the next create follows the tagged instance; one instance", async () => {
        c = await setup();
        const i = inputs({ timeouts: { create: "5s" } }, { instanceName: "orders-dr" });
        // The partial-state error never reaches the engine (the host died): nothing is in state.
        await rejects(c.p.create(i), /timed out/);
        const r = await c.p.create(inputs({}, { instanceName: "orders-dr" }));
        assert.equal(r.outs.adopted, true);
        assert.equal(r.outs.instanceStatus, "RUNNING");
        assert.equal(c.server.count("createInstanceFromBackup"), 1);
        assert.deepEqual(
            c.svc.live().map((x) => x.instanceId),
            [r.id],
        );
    });

    it("a foreign instance with the derived name (no tag, or another token's tag) is neither adopted nor deleted: refused, naming each", async () => {
        c = await setup();
        const name = (inputs().instanceSpec as { instanceName: string }).instanceName;
        const same = {
            instanceName: name,
            instanceClass: "db.mysql.s1.micro",
            vpcId: "vpc-test0001",
            subnetId: "subnet-test0001",
            azId: ["cn-north-1a", "cn-north-1a"],
        };
        const bare = c.svc.seed("instance", same) as { instanceId: string };
        const other = c.svc.seed("instance", {
            ...same,
            tags: [{ key: "pulumi-restore-token", value: "prt-fedcba9876543210fedc" }],
        }) as { instanceId: string };
        const e = await rejects(
            c.p.create(inputs()),
            /an instance named "prt-[0-9a-f-]+" already exists in cn-north-1 and is not this resource's: .*no pulumi-restore-token tag.*tagged pulumi-restore-token=prt-fedcba9876543210fedc: another resource's or stack's.*not taken over.*not deleted.*adoptId/,
        );
        assert.ok(e.message.includes(bare.instanceId) && e.message.includes(other.instanceId), e.message);
        assert.equal(c.server.count("createInstanceFromBackup"), 0, "no second instance of that name");
        assert.equal(c.server.count("deleteInstance"), 0);
        assert.deepEqual(
            c.svc
                .live()
                .map((x) => x.instanceId)
                .sort(),
            [bare.instanceId, other.instanceId].sort(),
        );
        // An instance of an earlier version of this package (no tag) whose create answer was lost: adoptId takes it.
        const adopted = await c.p.create(inputs({ adoptId: bare.instanceId }));
        assert.equal(adopted.id, bare.instanceId);
        assert.equal(c.server.count("createInstanceFromBackup"), 0);
    });

    it("settle-then-find: a same-named instance without this resource's tag that appears after a 500 is never adopted", async () => {
        c = await setup();
        const name = (inputs().instanceSpec as { instanceName: string }).instanceName;
        let seeded: { instanceId: string } | undefined;
        c.server.onRequest = (action) => {
            // Someone else's instance of that name appears just as our call fails (nothing done by ours).
            if (action === "createInstanceFromBackup")
                seeded = c.svc.seed("instance", {
                    instanceName: name,
                    instanceClass: "db.mysql.s1.micro",
                    vpcId: "vpc-test0001",
                    subnetId: "subnet-test0001",
                    azId: ["cn-north-1a", "cn-north-1a"],
                }) as { instanceId: string };
        };
        c.server.inject({ action: "createInstanceFromBackup", kind: "error500" });
        const e = await rejects(c.p.create(inputs()), /outcome of createInstanceFromBackup is unknown/);
        assert.ok(!(e instanceof PartialStateError), "nothing of ours is known to exist: nothing is recorded");
        assert.equal(c.server.count("createInstanceFromBackup"), 1);
        assert.equal(c.server.count("deleteInstance"), 0);
        assert.deepEqual(
            c.svc.live().map((x) => x.instanceId),
            [seeded!.instanceId],
        );
    });

    it("a lost answer while a foreign same-named instance appeared: ours (tagged) is followed, the other is left alone", async () => {
        c = await setup();
        const name = (inputs().instanceSpec as { instanceName: string }).instanceName;
        let foreign: { instanceId: string } | undefined;
        c.server.onRequest = (action) => {
            if (action === "createInstanceFromBackup" && !foreign)
                foreign = c.svc.seed("instance", {
                    instanceName: name,
                    instanceClass: "db.mysql.s1.micro",
                    vpcId: "vpc-test0001",
                    subnetId: "subnet-test0001",
                    azId: ["cn-north-1a", "cn-north-1a"],
                    createdAt: c.clock.now() - 60_000,
                }) as { instanceId: string };
        };
        c.server.inject({ action: "createInstanceFromBackup", kind: "dropAfter" });
        const r = await c.p.create(inputs());
        assert.notEqual(r.id, foreign!.instanceId);
        assert.equal(r.outs.adopted, true);
        assert.equal(c.server.count("createInstanceFromBackup"), 1);
        const ours = c.svc.live().find((x) => x.instanceId === r.id)!;
        assert.deepEqual(ours.tags, [{ key: "pulumi-restore-token", value: TOKEN }]);
        assert.equal(c.svc.live().length, 2, "the foreign one is still there");
    });

    it("state from an earlier version (an instance without the tag, named by state): refresh and delete work as before", async () => {
        c = await setup();
        const old = c.svc.seed("instance", {
            instanceName: "orders-dr",
            instanceClass: "db.mysql.s1.micro",
            vpcId: "vpc-test0001",
            subnetId: "subnet-test0001",
            azId: ["cn-north-1a", "cn-north-1a"],
        }) as { instanceId: string };
        const outs = {
            ...inputs({}, { instanceName: "orders-dr" }),
            instanceId: old.instanceId,
            instanceStatus: "RUNNING",
            adopted: false,
        };
        const rd = await c.p.read(old.instanceId, outs);
        assert.equal(rd.id, old.instanceId);
        await c.p.delete(old.instanceId, outs);
        assert.equal(c.svc.live().length, 0);
    });

    it("the derived name is found again whenever it was made (it carries the restore token); another stack's is not", async () => {
        c = await setup();
        const first = await c.p.create(inputs());
        c.clock.advance(30 * 86_400_000);
        const again = await c.p.create(inputs());
        assert.equal(again.id, first.id, "a month later, the derived name still proves it");
        const otherStack = await c.p.create(inputs({ restoreToken: "prt-fedcba9876543210fedc" }));
        assert.notEqual(otherStack.id, first.id, "another stack's token derives another name");
        assert.equal(c.server.count("createInstanceFromBackup"), 2);
    });

    it("an instance deleted out of band during the wait: nothing is recorded and the next create restores again", async () => {
        c = await setup();
        let looks = 0;
        c.server.onRequest = (action) => {
            if (action === "describeInstanceAttributes" && ++looks === 2)
                c.svc.deleteOutOfBand(c.svc.live()[0].instanceId);
        };
        const e = await rejects(
            c.p.create(inputs()),
            /deleted out of band.*Nothing is recorded in the stack; run `pulumi up` again to restore again/,
        );
        assert.ok(!(e instanceof PartialStateError), "recorded, it would be waited for by every later up in vain");
        c.server.onRequest = undefined;
        const r = await c.p.create(inputs());
        assert.equal(r.outs.instanceStatus, "RUNNING");
        assert.equal(c.server.count("createInstanceFromBackup"), 2);
        assert.equal(c.svc.live().length, 1);
    });

    it("a build that fails: partial state with the instance id (so destroy can delete it), and what to do", async () => {
        c = await setup();
        c.server.inject({ action: "createInstanceFromBackup", kind: "failTask" });
        const e = (await rejects(
            c.p.create(inputs()),
            /did not become RUNNING: instance mysql-[0-9a-f]+ is ERROR.*pulumi destroy/,
        )) as PartialStateError;
        assert.ok(e instanceof PartialStateError);
        assert.equal(e.id, c.svc.live()[0].instanceId);
        assert.equal(e.properties.instanceStatus, "ERROR");
        assert.equal(e.properties.instanceId, e.id);
        await c.p.delete(e.id, fromState(e.properties));
        assert.equal(c.svc.live().length, 0);
    });

    it("a create time-out shorter than the build: partial state; a later update resumes waiting", async () => {
        c = await setup();
        const i = inputs({ timeouts: { create: "5s" } });
        const e = (await rejects(c.p.create(i), /timed out/)) as PartialStateError;
        assert.equal(e.properties.instanceStatus, "BUILDING");
        const u = await c.p.update(e.id, fromState(e.properties), i);
        assert.equal(u.outs?.instanceStatus, "RUNNING");
        assert.equal(c.server.count("createInstanceFromBackup"), 1);
    });

    it("503s while waiting are tolerated", async () => {
        c = await setup();
        c.server.inject({ action: "describeInstanceAttributes", kind: "error503", times: 3 });
        const r = await c.p.create(inputs());
        assert.equal(r.outs.instanceStatus, "RUNNING");
    });

    it("read refreshes, and returns an empty id after an out-of-band deletion", async () => {
        c = await setup();
        const r = await c.p.create(inputs());
        const rd = await c.p.read(r.id, r.outs);
        assert.equal(rd.id, r.id);
        assert.equal((rd.props as { instanceStatus: string }).instanceStatus, "RUNNING");
        c.svc.deleteOutOfBand(r.id);
        const gone = await c.p.read(r.id, r.outs);
        assert.equal(gone.id, "");
    });

    it("delete waits until the instance is gone; deleting again is fine", async () => {
        c = await setup();
        const r = await c.p.create(inputs());
        await c.p.delete(r.id, r.outs);
        assert.equal(c.svc.live().length, 0);
        assert.ok(c.lines.some((l) => /deleting instance/.test(l)));
        await c.p.delete(r.id, r.outs);
        assert.ok(c.lines.some((l) => /already gone/.test(l)));
    });

    it("a prepaid instance is not deleted: the error says to unsubscribe, or use retainOnDelete", async () => {
        c = await setup();
        const r = await c.p.create(
            inputs({}, {}, { chargeMode: "prepaid_by_duration", chargeUnit: "month", chargeDuration: 1 }),
        );
        await rejects(c.p.delete(r.id, r.outs), /prepaid.*Unsubscribe.*retainOnDelete/);
        assert.equal(c.svc.live().length, 1);
        assert.equal(c.server.count("deleteInstance"), 0);
    });

    it("adoptId takes over a matching instance without restoring, and refuses a mismatching one", async () => {
        c = await setup();
        const seeded = c.svc.seed("instance", {
            instanceClass: "db.mysql.s1.micro",
            vpcId: "vpc-test0001",
            subnetId: "subnet-test0001",
            azId: ["cn-north-1a", "cn-north-1a"],
        }) as { instanceId: string };
        const r = await c.p.create(inputs({ adoptId: seeded.instanceId }));
        assert.equal(r.id, seeded.instanceId);
        assert.equal(r.outs.adopted, true);
        assert.equal(c.server.count("createInstanceFromBackup"), 0);
        await rejects(
            c.p.create(inputs({ adoptId: seeded.instanceId }, { instanceStorageGB: 50 })),
            /adoptId: .*instanceStorageGB is 20, not 50/,
        );
        await rejects(
            c.p.create(inputs({ adoptId: "mysql-nothere01" })),
            /adoptId: instance mysql-nothere01 does not exist/,
        );
    });

    it("the client lists backups of a source instance", async () => {
        c = await setup();
        const list = await c.p.client().describeBackups("cn-north-1", "mysql-src00001");
        assert.equal(list.totalCount, 1);
        assert.equal(list.backups[0].backupId, "bk-mysql-0001");
        assert.equal(list.backups[0].engine, "MySQL");
    });

    it("reads JD Cloud creation times with and without a zone", () => {
        assert.equal(parseCreateTime("2026-01-02T03:04:05Z"), Date.UTC(2026, 0, 2, 3, 4, 5));
        assert.equal(parseCreateTime("2026-01-02 11:04:05"), Date.UTC(2026, 0, 2, 3, 4, 5));
        assert.ok(Number.isNaN(parseCreateTime(undefined)));
    });
});
