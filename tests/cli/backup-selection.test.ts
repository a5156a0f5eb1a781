import { strict as assert } from "assert";
import * as path from "path";
import { RunningEmulator, startEmulator } from "../../emulator";
import { CliStack, FoundCli, cliOrSkip, describeResult } from "../../harness/pulumiCli";

const out = describeResult;
const PROJECT = path.join(__dirname, "backup-selection-project");
const SOURCE = "c-prodsource000001";
const H = 3_600_000;

/**
 * Choosing the backup through the real Pulumi CLI and engine, against the StarRocks emulator, in one story: the lookup
 * shows the choice at preview (reads only); up restores the latest complete backup; a newer backup then changes
 * nothing; a new `week` trigger restores again from the newest.
 */
describe("Pulumi CLI and engine: backupSelector, triggers and the lookup at preview (StarRocks)", function () {
    this.timeout(300_000);
    let cli: FoundCli;
    let emu: RunningEmulator;
    let stack: CliStack | undefined;

    before(async function () {
        cli = cliOrSkip(this);
        emu = await startEmulator({ only: ["alicloud"], starrocks: { restoreMs: 300, releaseMs: 200 } });
        const seed = (id: string, ageMs: number, Status = "COMPLETED") =>
            emu.alicloud.service.seed("backup", { BackupTaskId: id, InstanceId: SOURCE, ageMs, Status });
        seed("bk-old000001", 30 * H);
        seed("bk-good00001", 5 * H);
        seed("bk-running01", 0, "RUNNING");
    });
    after(async () => {
        if (stack) {
            await stack.destroy();
            await stack.remove();
        }
        await emu?.stop();
    });

    it("preview shows the chosen id; up restores it; a newer backup changes nothing; a new week restores the newest", async () => {
        const restores = () => emu.alicloud.server.count("RestoreInstance");
        stack = new CliStack(cli.path, "cli-backup-selection", { cwd: PROJECT });
        await stack.init({ ...emu.config, source: SOURCE, week: "2026-11-23" }, emu.secretConfigKeys);

        const pv = await stack.preview();
        assert.equal(pv.code, 0, out(pv));
        assert.match(pv.stdout, /wouldRestore\s*:\s*"bk-good00001"/, `the lookup's answer at preview\n${out(pv)}`);
        assert.equal(restores(), 0, "preview restores nothing");
        assert.equal(emu.alicloud.server.count(), emu.alicloud.server.count("DescribeBackups"), "preview only reads");

        const up = await stack.up();
        assert.equal(up.code, 0, out(up));
        assert.equal((await stack.outputs()).restored, "bk-good00001");
        assert.equal(restores(), 1);

        emu.alicloud.service.seed("backup", { BackupTaskId: "bk-newer0001", InstanceId: SOURCE, ageMs: 0 });
        const same = await stack.up();
        assert.equal(same.code, 0, out(same));
        assert.doesNotMatch(
            same.stdout,
            /\b(created|replaced|updated)\b/,
            `a newer backup changes nothing\n${out(same)}`,
        );
        assert.equal(restores(), 1);

        await stack.setConfig({ week: "2026-11-30" });
        const moved = await stack.up();
        assert.equal(moved.code, 0, out(moved));
        assert.match(moved.stdout, /\b1 replaced\b/, out(moved));
        assert.equal(restores(), 2);
        const o = await stack.outputs();
        assert.equal(o.restored, "bk-newer0001");
        assert.equal(o.wouldRestore, "bk-newer0001");
    });
});
