import { strict as assert } from "assert";
import { startEmulator, RunningEmulator } from "../../emulator";
import { alicloud } from "../../index";
import { Engine } from "../../harness/engine";

const PASSWORD = "Adm1n-Passw0rd!";

describe("alicloud.starrocks.RestoredInstance lifecycle (real dynamic-provider host)", function () {
    this.timeout(120_000);
    let emu: RunningEmulator;
    let eng: Engine;
    beforeEach(async () => {
        emu = await startEmulator({ starrocks: { restoreMs: 800, releaseMs: 300 } });
        emu.alicloud.service.seed("backup", { BackupTaskId: "bk-first0001", RegionId: "cn-hangzhou" });
        emu.alicloud.service.seed("backup", { BackupTaskId: "bk-second002", RegionId: "cn-hangzhou" });
        eng = new Engine({ config: { ...emu.config } });
    });
    afterEach(async () => {
        await eng.close();
        await emu.stop();
    });
    const program = (backupTaskId: string) => () => {
        const r = new alicloud.starrocks.RestoredInstance("analytics-dr", {
            backupTaskId,
            instanceName: "analytics-dr",
            adminPassword: PASSWORD,
        });
        return { id: r.instanceId, status: r.status };
    };
    const live = () => emu.alicloud.service.live().filter((i) => i.InstanceStatus !== "deleting");

    it("preview, up, no-op up, replace, refresh after out-of-band release, destroy; no secret in state", async () => {
        const pv = await eng.preview(program("bk-first0001"));
        assert.deepEqual(pv.errors, []);
        assert.equal(emu.alicloud.server.count(), 0, "preview calls no API");
        const up = await eng.up(program("bk-first0001"));
        assert.deepEqual(
            up.errors.map((e) => e.message),
            [],
        );
        assert.equal(emu.alicloud.server.count("RestoreInstance"), 1);
        assert.equal(live().length, 1);
        assert.equal(eng.resource("analytics-dr")!.outputs.status, "running");
        const writes = () =>
            emu.alicloud.server.count("RestoreInstance") + emu.alicloud.server.count("ReleaseInstance");
        const before = writes();
        const again = await eng.up(program("bk-first0001"));
        assert.equal(again.steps[0].op, "same");
        assert.equal(writes(), before, "a second up makes no write call");
        const rep = await eng.up(program("bk-second002"));
        assert.deepEqual(
            rep.errors.map((e) => e.message),
            [],
        );
        assert.equal(rep.steps[0].op, "replace");
        assert.equal(emu.alicloud.server.count("RestoreInstance"), 2);
        const state = eng.serializedState();
        assert.ok(!state.includes(PASSWORD), "admin password not in state in plaintext");
        assert.ok(!state.includes("emulator-secret-key"), "secret key not in state");
        assert.ok(!eng.host!.stdout.join("\n").includes(PASSWORD));
        emu.alicloud.service.releaseOutOfBand(String(eng.resource("analytics-dr")!.id));
        const rf = await eng.refresh();
        assert.equal(rf.steps[0].op, "refresh-delete");
        await eng.up(program("bk-second002"));
        assert.equal(live().length, 1);
        const d = await eng.destroy();
        assert.deepEqual(d.errors, []);
        assert.equal(live().length, 0, "destroy releases");
    });

    it("host killed after RestoreInstance was accepted, then up again: exactly one instance", async () => {
        await eng.ensureHost();
        emu.alicloud.server.onHandled = (action) => {
            if (action === "RestoreInstance") eng.host!.kill();
        };
        const first = await eng.up(program("bk-first0001"));
        assert.ok(first.errors.length > 0, "the killed host fails the first up");
        emu.alicloud.server.onHandled = undefined;
        const second = await eng.up(program("bk-first0001"));
        assert.deepEqual(
            second.errors.map((e) => e.message),
            [],
        );
        assert.equal(emu.alicloud.server.count("RestoreInstance"), 1);
        assert.equal(live().length, 1);
        assert.equal(eng.resource("analytics-dr")!.outputs.adopted, true);
    });

    it("examples/alicloud-starrocks-vpc: the VPC and VSwitch (mock ids) carry the instance; destroy releases it", async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the example program, loaded when this test runs it
        const example = require("../../examples/alicloud-starrocks-vpc") as () => Promise<Record<string, unknown>>;
        emu.alicloud.service.seed("backup", { BackupTaskId: "bk-quickstart01", RegionId: "cn-hangzhou" });
        const pv = await eng.preview(example);
        assert.deepEqual(
            pv.errors.map((e) => e.message),
            [],
        );
        assert.equal(emu.alicloud.server.count(), 0, "preview calls no API");
        const up = await eng.up(example);
        assert.deepEqual(
            up.errors.map((e) => e.message),
            [],
        );
        const out = up.outputs as { vpcId: string; vswitchId: string; instanceId: string; status: string };
        assert.match(out.vpcId, /^vpc-/);
        assert.match(out.vswitchId, /^vsw-/);
        assert.equal(out.status, "running");
        const inst = emu.alicloud.service.snapshot().instances as {
            InstanceId: string;
            VpcId?: string;
            VSwitches?: { VswId: string; ZoneId: string }[];
        }[];
        assert.equal(inst.length, 1);
        assert.equal(inst[0].InstanceId, out.instanceId);
        assert.equal(inst[0].VpcId, out.vpcId, "restored into the example's VPC");
        const again = await eng.up(example);
        assert.deepEqual(
            again.steps.filter((st) => st.op !== "same"),
            [],
            "a second up changes nothing",
        );
        const d = await eng.destroy();
        assert.deepEqual(d.errors, []);
        assert.equal(live().length, 0);
    });

    it("examples/quickstart runs against the emulator and cleans up", async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the example program, loaded when this test runs it
        const quickstart = require("../../examples/quickstart") as () => Promise<Record<string, unknown>>;
        emu.alicloud.service.seed("backup", { BackupTaskId: "bk-quickstart01", RegionId: "cn-hangzhou" });
        const up = await eng.up(quickstart);
        assert.deepEqual(
            up.errors.map((e) => e.message),
            [],
        );
        assert.equal((up.outputs as { status: string }).status, "running");
        assert.ok(
            eng.host!.stdout.some((l) => /running/.test(l)),
            "progress lines reach the host's output",
        );
        await eng.destroy();
        assert.equal(live().length, 0);
    });

    it("prePaid: destroy fails and explains; adding retainOnDelete and running up lets destroy drop it from the stack only", async () => {
        let retain = false;
        const prepaid = () => {
            const r = new alicloud.starrocks.RestoredInstance(
                "analytics-dr",
                {
                    backupTaskId: "bk-first0001",
                    instanceName: "analytics-dr",
                    payType: "prePaid",
                    pricingCycle: "Month",
                    duration: 1,
                },
                { retainOnDelete: retain },
            );
            return { id: r.instanceId };
        };
        const up = await eng.up(prepaid);
        assert.deepEqual(
            up.errors.map((e) => e.message),
            [],
        );
        const d1 = await eng.destroy();
        assert.equal(d1.errors.length, 1);
        assert.match(d1.errors[0].message, /prePaid.*retainOnDelete/s);
        assert.ok(eng.resource("analytics-dr"), "the instance stays in the stack");
        retain = true;
        const again = await eng.up(prepaid);
        assert.equal(again.steps[0].op, "same");
        assert.equal(
            eng.resource("analytics-dr")!.retainOnDelete,
            true,
            "the option is recorded without a change of inputs",
        );
        const d2 = await eng.destroy();
        assert.deepEqual(d2.errors, []);
        assert.equal(eng.resource("analytics-dr"), undefined);
        assert.equal(live().length, 1, "the subscription instance is left in the cloud");
        assert.equal(emu.alicloud.server.count("ReleaseInstance"), 0);
    });
});
