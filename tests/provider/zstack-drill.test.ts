import { strict as assert } from "assert";
import { EmulatorServer } from "../../emulator/core/server";
import { ZStackService } from "../../emulator/zstack/zstack";
import { setProgressSink } from "../../provider/core/progress";
import { DrillReport, drillToken, scratchName } from "../../provider/core/drill";
import { clearSessions } from "../../provider/zstack/session";
import { VmDrillProvider } from "../../provider/zstack/vmDrill";
import { restoreMark } from "../../provider/zstack/vmMark";
import { rejects } from "../support/assertions";
import { VirtualClock } from "../../harness/clock";
import { freePort } from "../support/ports";

const PASSWORD = "emulator-password";
const GUEST_PASSWORD = "Guest-Dr1ll-Pw-5";
const TOKEN = drillToken("proj", "dev", "vm-monthly");

/** A TCP port free on 127.0.0.1 now (the emulator's VMs listen on it at their own loopback addresses). */

describe("zstack.RestoreDrill provider (emulator)", function () {
    this.timeout(30_000);
    let svc: ZStackService;
    let server: EmulatorServer;
    let p: VmDrillProvider;
    let g: { backupGroupUuid: string; instanceOfferingUuid: string; l3NetworkUuid: string };
    let port: number;
    let order: string[];
    beforeEach(async () => {
        clearSessions();
        const clock = new VirtualClock();
        svc = new ZStackService({
            clock,
            timings: { createMs: 20_000, startMs: 5000, destroyMs: 3000, expungeMs: 3000 },
            advertisedBase: "http://127.0.0.9:1/zstack",
        });
        // VM addresses on loopback, each VM listening on `port` there: the address the API reports is reachable.
        const l3 = svc.seed("l3Network", { prefix: "127.0.0." }) as { uuid: string };
        const off = svc.seed("instanceOffering", {}) as { uuid: string };
        const group = svc.seed("backupGroup", { l3NetworkUuids: [l3.uuid] }) as { uuid: string };
        g = { backupGroupUuid: group.uuid, instanceOfferingUuid: off.uuid, l3NetworkUuid: l3.uuid };
        port = await freePort();
        svc.serveTcpPort = port;
        server = new EmulatorServer(svc);
        const url = await server.start();
        p = new VmDrillProvider(
            { clock, env: { PATH: process.env.PATH }, random: () => 0.5, renewMarginMs: 1000 },
            { "zstack:endpoint": url, "zstack:accountName": "admin", "zstack:accountPassword": PASSWORD },
        );
        order = [];
        server.onHandled = (action) => void order.push(action);
        setProgressSink(() => undefined);
    });
    afterEach(async () => {
        setProgressSink(undefined);
        // Destroyed-but-not-expunged VMs count too: a drill leaves nothing, not even in the recycle bin.
        assert.deepEqual(
            svc
                .allVms()
                .filter((v) => v.name === scratchName(TOKEN))
                .map((v) => `${v.uuid} ${v.state}`),
            [],
            "no scratch VM is left",
        );
        await server.stop();
    });

    const inputs = async (over: Record<string, unknown> = {}) => {
        const r = await p.check(
            {},
            {
                restoreToken: TOKEN,
                backupGroupUuid: g.backupGroupUuid,
                instanceOfferingUuid: g.instanceOfferingUuid,
                l3NetworkUuids: [g.l3NetworkUuid],
                defaultL3NetworkUuid: g.l3NetworkUuid,
                tcpPort: port,
                guestPassword: GUEST_PASSWORD,
                ...over,
            },
        );
        assert.deepEqual(r.failures, []);
        return r.inputs!;
    };
    const report = (outs: Record<string, unknown>) => outs.report as unknown as DrillReport;

    it("a passing drill: Running, the default NIC's address accepts a connection on tcpPort, verify, destroyed and expunged", async () => {
        const r = await p.create(
            await inputs({ verify: { command: 'echo "ssh root@$DRILL_ADDRESS -p $DRILL_PORT ($DRILL_PASSWORD)"' } }),
        );
        const rep = report(r.outs!);
        assert.equal(r.outs!.passed, true, JSON.stringify(rep));
        assert.deepEqual(
            rep.checks.map((k) => `${k.name}:${k.result}`),
            ["running:passed", "tcp:passed", "verify:passed"],
        );
        assert.equal(rep.checks[1].detail, `127.0.0.10:${port} accepted a connection`);
        assert.match(rep.checks[2].outputTail!, new RegExp(`ssh root@127\\.0\\.0\\.10 -p ${port} \\(\\*\\*\\*\\)`));
        assert.equal(rep.backupId, g.backupGroupUuid);
        // The backup group's time (QueryVolumeBackup createDate, as the restore resource chooses it): seeded an hour ago.
        assert.equal(rep.recoveryPointSeconds, 3600, "the recovery point is the backup group's age");
        assert.ok(rep.recoveryTimeSeconds! >= 25, `recovery time ${rep.recoveryTimeSeconds}`);
        assert.equal(server.count("ExpungeVmInstance"), 1);
    });

    it("a failing TCP check (the VM's service stopped): the drill fails, the VM is destroyed and expunged", async () => {
        server.onHandled = (action, res) => {
            if (action === "CreateVmFromVmBackup" && res.status === 202)
                for (const v of svc.allVms()) svc.stopServing(String(v.uuid));
        };
        const e = await rejects(
            p.create(await inputs()),
            /check tcp: 127\.0\.0\.10:\d+: connection failed \(ECONNREFUSED\)/,
        );
        assert.match(e.message, /"scratchDeleted": true/);
    });

    it("a creation job that fails and a wait that times out: both recorded as failed, nothing left", async () => {
        server.inject({ action: "CreateVmFromVmBackup", kind: "failTask" });
        const failed = await p.create(await inputs({ failOnCheckFailure: false }));
        assert.match(report(failed.outs!).failure!, /^restore: /);
        const slow = await p.create(await inputs({ failOnCheckFailure: false, timeouts: { create: "10s" } }));
        assert.match(report(slow.outs!).failure!, /timeouts.create is 10s/);
        assert.ok(report(slow.outs!).scratchInstanceId);
    });

    it("crash mid-drill: the left-over VM is found by its mark (the token) and expunged before the new one is created", async () => {
        const {
            guestPassword: _g,
            tcpPort: _t,
            failOnCheckFailure: _f,
            ...restore
        } = await inputs({ timeouts: { create: "5s" } });
        await p.restorer.create(restore).catch(() => undefined);
        assert.equal(svc.allVms().filter((v) => v.name === scratchName(TOKEN)).length, 1);
        order.length = 0;
        const r = await p.create(await inputs());
        assert.equal(r.outs!.passed, true);
        assert.ok(
            order.indexOf("ExpungeVmInstance") >= 0 &&
                order.indexOf("ExpungeVmInstance") < order.indexOf("CreateVmFromVmBackup"),
            order.join(","),
        );
    });

    for (const [who, userTags] of [
        ["no mark", []],
        ["another drill's mark", [restoreMark(drillToken("proj", "other", "vm-monthly"))]],
    ] as const) {
        it(`a VM someone else made with this drill's scratch name (${who}) is never deleted by its cleanup`, async () => {
            const theirs = (
                svc.seed("vm", { name: scratchName(TOKEN), userTags, l3NetworkUuid: g.l3NetworkUuid }) as {
                    uuid: string;
                }
            ).uuid;
            const r = await p.create(await inputs());
            assert.equal(r.outs!.passed, true, JSON.stringify(report(r.outs!)));
            assert.notEqual(report(r.outs!).scratchInstanceId, theirs);
            assert.equal(server.count("DestroyVmInstance"), 1, "only the drill's own scratch VM is destroyed");
            assert.equal(svc.allVms().find((v) => v.uuid === theirs)?.state, "Running", "their VM is untouched");
            svc.vms.delete(theirs); // not the drill's to clean: removed here so that afterEach checks the drill's own
        });
    }

    it("crash mid-drill: the left-over VM is found by its mark even after it was renamed, and expunged before the new one", async () => {
        const {
            guestPassword: _g,
            tcpPort: _t,
            failOnCheckFailure: _f,
            ...restore
        } = await inputs({ timeouts: { create: "5s" } });
        await p.restorer.create(restore).catch(() => undefined);
        const [left] = svc.allVms();
        assert.ok(left);
        svc.vms.get(String(left.uuid))!.name = "renamed-by-someone";
        order.length = 0;
        const r = await p.create(await inputs());
        assert.equal(r.outs!.passed, true);
        assert.equal(
            svc.allVms().find((v) => v.uuid === left.uuid),
            undefined,
            "the left-over VM is expunged",
        );
        assert.ok(
            order.indexOf("ExpungeVmInstance") >= 0 &&
                order.indexOf("ExpungeVmInstance") < order.indexOf("CreateVmFromVmBackup"),
            order.join(","),
        );
    });

    it("a new trigger runs it again; read and delete make no cloud call", async () => {
        const r = await p.create(await inputs({ triggers: { month: "2026-11" } }));
        const d = await p.diff(r.id, r.outs!, await inputs({ triggers: { month: "2026-12" } }));
        assert.deepEqual(d.replaces, ["triggers"]);
        const calls = server.count();
        await p.read(r.id, r.outs!);
        await p.delete(r.id, r.outs!);
        assert.equal(server.count(), calls);
        await p.create(await inputs({ triggers: { month: "2026-12" } }));
        assert.equal(server.count("CreateVmFromVmBackup"), 2);
    });

    it("check: name, adoptId, a stopped strategy and expungeOnDelete: false are refused naming the field", async () => {
        const r = await p.check(
            {},
            {
                restoreToken: TOKEN,
                backupGroupUuid: g.backupGroupUuid,
                name: "mine",
                adoptId: "a".repeat(32),
                strategy: "CreateStopped",
                expungeOnDelete: false,
                cpuNum: -1,
            },
        );
        assert.deepEqual(r.failures!.map((f) => f.property).sort(), [
            "adoptId",
            "cpuNum",
            "expungeOnDelete",
            "instanceOfferingUuid",
            "name",
            "strategy",
        ]);
        assert.equal(server.count(), 0);
    });
});
