import { strict as assert } from "assert";
import { startEmulator, RunningEmulator } from "../../emulator";
import { zstack } from "../../index";
import { DrillReport } from "../../provider/core/drill";
import { Engine } from "../../harness/engine";
import { freePort } from "../support/ports";

const GUEST_PASSWORD = "Guest-Life-Dr1ll";

describe("zstack.RestoreDrill lifecycle (real dynamic-provider host)", function () {
    this.timeout(120_000);
    let emu: RunningEmulator;
    let eng: Engine;
    let ids: { backupGroupUuid: string; instanceOfferingUuid: string; l3NetworkUuid: string };
    let port: number;
    beforeEach(async () => {
        emu = await startEmulator({
            only: ["zstack"],
            zstack: { createMs: 500, startMs: 100, destroyMs: 100, expungeMs: 100 },
        });
        const svc = emu.zstack.service;
        // VM addresses on loopback (127.0.0.x), each VM listening on `port` there while it exists.
        const l3 = svc.seed("l3Network", { prefix: "127.0.0." }) as { uuid: string };
        const off = svc.seed("instanceOffering", {}) as { uuid: string };
        const group = svc.seed("backupGroup", { l3NetworkUuids: [l3.uuid] }) as { uuid: string };
        ids = { backupGroupUuid: group.uuid, instanceOfferingUuid: off.uuid, l3NetworkUuid: l3.uuid };
        port = await freePort();
        svc.serveTcpPort = port;
        eng = new Engine({ config: { ...emu.config } });
    });
    afterEach(async () => {
        await eng.close();
        assert.deepEqual(
            emu.zstack.service.allVms().map((v) => `${v.uuid} ${v.state}`),
            [],
            "no scratch VM is left, not even destroyed",
        );
        await emu.stop();
    });
    const program = (month: string) => () => {
        const d = new zstack.RestoreDrill("vm-monthly", {
            backupGroupUuid: ids.backupGroupUuid,
            instanceOfferingUuid: ids.instanceOfferingUuid,
            l3NetworkUuids: [ids.l3NetworkUuid],
            defaultL3NetworkUuid: ids.l3NetworkUuid,
            tcpPort: port,
            guestPassword: GUEST_PASSWORD,
            triggers: { month },
            verify: { command: 'echo "ssh $DRILL_ADDRESS:$DRILL_PORT with $DRILL_PASSWORD"', timeout: "30s" },
        });
        return { passed: d.passed };
    };
    const report = () => eng.resource("vm-monthly")!.outputs.report as unknown as DrillReport;

    it("preview, up (TCP check on the VM's address), trigger re-run, refresh and destroy without cloud calls", async () => {
        const pv = await eng.preview(program("2026-11"));
        assert.deepEqual(pv.errors, []);
        const up = await eng.up(program("2026-11"));
        assert.deepEqual(
            up.errors.map((e) => e.message),
            [],
        );
        assert.deepEqual(
            report().checks.map((c) => `${c.name}:${c.result}`),
            ["running:passed", "tcp:passed", "verify:passed"],
        );
        assert.match(report().checks[2].outputTail!, /with \*\*\*/);
        assert.ok(!eng.serializedState().includes(GUEST_PASSWORD));
        const rerun = await eng.up(program("2026-12"));
        assert.deepEqual(
            rerun.errors.map((e) => e.message),
            [],
        );
        assert.equal(rerun.steps[0].op, "replace");
        assert.equal(emu.zstack.server.count("CreateVmFromVmBackup"), 2);
        const calls = emu.zstack.server.count();
        await eng.refresh();
        const d = await eng.destroy();
        assert.deepEqual(d.errors, []);
        assert.equal(emu.zstack.server.count(), calls, "refresh and destroy make no cloud call");
    });

    it("host killed as CreateVmFromVmBackup was accepted: the next up expunges the scratch VM first", async () => {
        await eng.ensureHost();
        emu.zstack.server.onHandled = (action) => {
            if (action === "CreateVmFromVmBackup") eng.host!.kill();
        };
        const first = await eng.up(program("2026-11"));
        assert.ok(first.errors.length > 0);
        const order: string[] = [];
        emu.zstack.server.onHandled = (action) => void order.push(action);
        const second = await eng.up(program("2026-11"));
        assert.deepEqual(
            second.errors.map((e) => e.message),
            [],
        );
        assert.equal(eng.resource("vm-monthly")!.outputs.passed, true);
        assert.ok(
            order.indexOf("ExpungeVmInstance") >= 0 &&
                order.indexOf("ExpungeVmInstance") < order.indexOf("CreateVmFromVmBackup"),
            order.join(","),
        );
    });
});
