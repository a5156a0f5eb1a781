import { strict as assert } from "assert";
import * as path from "path";
import { RunningEmulator, startEmulator } from "../../emulator";
import { DrillReport } from "../../provider/core/drill";
import { CliStack, cliOrSkip, describeResult } from "../../harness/pulumiCli";

/**
 * Restore drills through the real Pulumi CLI and engine, against the emulator: a passing monthly drill, a re-run by a
 * new month, and a failing drill (the up fails with the report; nothing is left in the emulator).
 */
const PROJECT = path.join(__dirname, "drill-project");
const PASSWORD = "Cli-Dr1ll-Pa55word-42";
const VERIFY_OK = 'echo "rows ok on $DRILL_INSTANCE_ID ($DRILL_PASSWORD)"';
/** The program's one config value (tests/cli/drill-project/index.ts). */
const drill = (month: string, verify: string) =>
    JSON.stringify({ subject: "alicloud", backup: "bk-cli-drill01", month, verify });

describe("Pulumi CLI and engine: alicloud.starrocks.RestoreDrill", function () {
    this.timeout(300_000);
    let emu: RunningEmulator;
    let stack: CliStack;
    const live = () => emu.alicloud.service.live();

    before(async function () {
        const cli = cliOrSkip(this);
        emu = await startEmulator({ only: ["alicloud"], starrocks: { restoreMs: 600, releaseMs: 200 } });
        emu.alicloud.service.seed("backup", { BackupTaskId: "bk-cli-drill01", RegionId: "cn-hangzhou" });
        stack = new CliStack(cli.path, "cli-drill", { cwd: PROJECT });
        const config = { ...emu.config, drill: drill("2026-11", VERIFY_OK), password: PASSWORD };
        await stack.init(config, [...emu.secretConfigKeys, "password"]);
    });
    after(async () => {
        if (stack) {
            await stack.destroy();
            await stack.remove();
        }
        if (emu) {
            assert.deepEqual(live().map((i) => i.InstanceId), [], "no scratch instance is left");
            await emu.stop();
        }
    });

    it("up runs a passing drill; a new month runs it again; a failing drill fails the up with its report", async () => {
        const up = await stack.up();
        assert.equal(up.code, 0, describeResult(up));
        const out = await stack.outputs();
        const report = out.report as DrillReport;
        assert.equal(out.passed, true);
        assert.equal(report.result, "passed");
        assert.match(report.checks.find((c) => c.name === "verify")!.outputTail!, /rows ok on c-\S+ \(\*\*\*\)/);
        assert.equal(report.scratchDeleted, true);
        assert.equal(live().length, 0);
        assert.ok(!(await stack.exportState()).includes(PASSWORD), "no password in state in plaintext");
        assert.ok(!up.stdout.includes(PASSWORD) && !up.stderr.includes(PASSWORD));

        await stack.setConfig({ drill: drill("2026-12", VERIFY_OK) });
        const rerun = await stack.up();
        assert.equal(rerun.code, 0, describeResult(rerun));
        assert.match(rerun.stdout, /replaced/);
        assert.equal(emu.alicloud.server.count("RestoreInstance"), 2, "the new month ran the drill again");

        await stack.setConfig({ drill: drill("2027-01", "echo table missing >&2; exit 2") });
        const failed = await stack.up();
        assert.notEqual(failed.code, 0, "a failed drill fails the up");
        const text = failed.stdout + failed.stderr;
        assert.match(text, /restore drill failed: check verify: exit code 2/);
        assert.match(text, /table missing/);
        assert.match(text, /scratchDeleted/);
        assert.equal(emu.alicloud.server.count("RestoreInstance"), 3);
        assert.equal(live().length, 0, "the failed drill's scratch instance is released");
    });
});
