/**
 * Loaded by mocha before any test (.mocharc.json `require`): provider state that would otherwise go to the user's home
 * (the Tencent restore journal) goes to a temporary directory of this run, so runs and machines do not share it.
 * Tests that need their own directory set PULUMI_RESTORE_STATE_DIR (or pass it in a provider's env) themselves.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

if (!process.env.PULUMI_RESTORE_STATE_DIR) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-restore-tests-"));
    process.env.PULUMI_RESTORE_STATE_DIR = dir;
    process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
}
