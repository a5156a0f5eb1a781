import { strict as assert } from "assert";
import { startEmulator, RunningEmulator } from "../../emulator";
import { alicloud } from "../../index";
import { DrillReport } from "../../provider/core/drill";
import { Engine } from "../../harness/engine";

const PASSWORD = "Dr1ll-Life-Pw0rd!";

describe("alicloud.starrocks.RestoreDrill lifecycle (real dynamic-provider host)", function () {
    this.timeout(120_000);
    let emu: RunningEmulator;
    let eng: Engine;
    beforeEach(async () => {
        emu = await startEmulator({ only: ["alicloud"], starrocks: { restoreMs: 600, releaseMs: 200 } });
        emu.alicloud.service.seed("backup", { BackupTaskId: "bk-drill0001", RegionId: "cn-hangzhou" });
        eng = new Engine({ config: { ...emu.config } });
    });
    afterEach(async () => {
        await eng.close();
        // Whatever happened: the emulator holds no scratch instance.
        assert.deepEqual(
            emu.alicloud.service.live().map((i) => i.InstanceId),
            [],
            "no scratch instance is left",
        );
        await emu.stop();
    });
    const program = (month: string, verify?: string, failOnCheckFailure?: boolean) => () => {
        const d = new alicloud.starrocks.RestoreDrill("monthly", {
            backupTaskId: "bk-drill0001",
            adminPassword: PASSWORD,
            triggers: { month },
            verify: verify ? { command: verify, timeout: "30s" } : undefined,
            failOnCheckFailure,
        });
        return { passed: d.passed, report: d.report };
    };
    const report = () => eng.resource("monthly")!.outputs.report as unknown as DrillReport;

    it("preview, up (a passing drill), no-op up, trigger re-run, refresh (no re-run), destroy (state only); no secret in state", async () => {
        const pv = await eng.preview(program("2026-11"));
        assert.deepEqual(pv.errors, []);
        assert.equal(emu.alicloud.server.count(), 0, "preview calls no API");
        const up = await eng.up(program("2026-11", 'echo "connected to $DRILL_INSTANCE_ID with $DRILL_PASSWORD"'));
        assert.deepEqual(
            up.errors.map((e) => e.message),
            [],
        );
        assert.equal(eng.resource("monthly")!.outputs.passed, true);
        assert.deepEqual(
            report().checks.map((c) => c.result),
            ["passed", "skipped", "passed"],
        );
        assert.match(report().checks[2].outputTail!, /with \*\*\*/);
        assert.equal(report().scratchDeleted, true);
        const same = await eng.up(program("2026-11", 'echo "connected to $DRILL_INSTANCE_ID with $DRILL_PASSWORD"'));
        assert.equal(same.steps[0].op, "same");
        assert.equal(emu.alicloud.server.count("RestoreInstance"), 1);
        const rerun = await eng.up(program("2026-12", 'echo "connected to $DRILL_INSTANCE_ID with $DRILL_PASSWORD"'));
        assert.deepEqual(
            rerun.errors.map((e) => e.message),
            [],
        );
        assert.equal(rerun.steps[0].op, "replace");
        assert.equal(emu.alicloud.server.count("RestoreInstance"), 2, "the new trigger ran the drill again");
        const state = eng.serializedState();
        assert.ok(!state.includes(PASSWORD), "password not in state in plaintext");
        const calls = emu.alicloud.server.count();
        const rf = await eng.refresh();
        assert.deepEqual(rf.errors, []);
        assert.equal(emu.alicloud.server.count(), calls, "refresh never runs a drill");
        assert.equal(eng.resource("monthly")!.outputs.passed, true);
        const d = await eng.destroy();
        assert.deepEqual(d.errors, []);
        assert.equal(emu.alicloud.server.count(), calls, "destroy removes only state");
    });

    it("a failing drill fails the up with the report in the error; the next up runs it again", async () => {
        const up = await eng.up(program("2026-11", "echo no rows >&2; exit 1"));
        assert.equal(up.errors.length, 1);
        assert.match(up.errors[0].message, /restore drill failed: check verify: exit code 1/);
        assert.match(up.errors[0].message, /"scratchDeleted": true/);
        assert.equal(eng.resource("monthly"), undefined, "nothing is recorded");
        const recorded = await eng.up(program("2026-11", "exit 1", false));
        assert.deepEqual(
            recorded.errors.map((e) => e.message),
            [],
        );
        assert.equal(eng.resource("monthly")!.outputs.passed, false);
        assert.equal(emu.alicloud.server.count("RestoreInstance"), 2);
    });

    it("host killed as ReleaseInstance (the cleanup) was carried out: the next up waits the scratch instance out before restoring", async () => {
        // A release that takes a while: the killed runner's scratch instance is still there when the next up starts.
        emu.alicloud.service.timings.releaseMs = 4000;
        await eng.ensureHost();
        emu.alicloud.server.onHandled = (action) => {
            if (action === "ReleaseInstance") eng.host!.kill();
        };
        const first = await eng.up(program("2026-11"));
        assert.ok(first.errors.length > 0, "the killed host fails the first up");
        assert.equal(emu.alicloud.service.live().length, 1, "the killed runner left its scratch instance (releasing)");
        emu.alicloud.server.onHandled = undefined;
        const liveAtRestore: number[] = [];
        emu.alicloud.server.onRequest = (action) => {
            if (action === "RestoreInstance") liveAtRestore.push(emu.alicloud.service.live().length);
        };
        const second = await eng.up(program("2026-11"));
        assert.deepEqual(
            second.errors.map((e) => e.message),
            [],
        );
        assert.equal(eng.resource("monthly")!.outputs.passed, true);
        assert.deepEqual(liveAtRestore, [0], "the leftover was gone before the new restore");
        assert.equal(emu.alicloud.server.count("RestoreInstance"), 2);
    });
});
