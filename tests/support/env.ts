/**
 * The environment handed to providers under test: nothing of the runner's own (no credentials, no endpoints), except
 * the state directory of this run (tests/support/setup.ts). An environment without it sends the Tencent restore
 * journal to `~/.pulumi-restore/journal`, into the home directory, where entries outlive the run and meet the same
 * fixed restore tokens in the next one.
 */
export function providerEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const dir = process.env.PULUMI_RESTORE_STATE_DIR;
    if (!dir) throw new Error("PULUMI_RESTORE_STATE_DIR is not set: run tests through mocha (setup.ts sets it)");
    return { PULUMI_RESTORE_STATE_DIR: dir, ...extra };
}
