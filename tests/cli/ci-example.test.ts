import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RunningEmulator, seedExamples, startEmulator } from "../../emulator";
import { CliStack, FoundCli, REPO_ROOT, cliOrSkip } from "../../harness/pulumiCli";

/**
 * examples/ci: the scripts the GitHub Actions workflow runs (plan.sh on pull requests, apply.sh on main), run here the
 * same way against the emulator with the quickstart project: the plan shows the restore with its properties and the
 * policy pack's verdicts (policy/, as the workflow sets POLICY_PACK), calls no cloud API and needs no cloud
 * credentials; apply restores.
 */
const CI_DIR = path.join(REPO_ROOT, "examples", "ci");
const POLICY_PACK = path.join(REPO_ROOT, "policy");

function sh(script: string, env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve, reject) => {
        const p = spawn("bash", [script], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        p.stdout.on("data", (d: Buffer) => (output += d.toString()));
        p.stderr.on("data", (d: Buffer) => (output += d.toString()));
        p.on("error", reject);
        p.on("close", (code) => resolve({ code, output }));
    });
}

describe("examples/ci: the pull-request plan and the main-branch apply, run locally", function () {
    this.timeout(300_000);
    let cli: FoundCli;
    let emu: RunningEmulator;
    let stack: CliStack;
    let planDir: string;

    before(async function () {
        cli = cliOrSkip(this);
        emu = await startEmulator({ only: ["alicloud"], starrocks: { restoreMs: 1000, releaseMs: 200 } });
        seedExamples(emu);
        stack = new CliStack(cli.path, "ci-example", { cwd: REPO_ROOT });
        // The pull-request job has no cloud credentials: only the endpoint and region are in the stack config.
        await stack.init(
            { "alicloud:endpoint": emu.config["alicloud:endpoint"], "alicloud:region": "cn-hangzhou" },
            [],
        );
        planDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-restore-plan-"));
    });
    after(async () => {
        if (stack) {
            await stack.destroy();
            await stack.remove();
        }
        await emu?.stop();
        if (planDir) fs.rmSync(planDir, { recursive: true, force: true });
    });

    it("plan.sh writes the preview as a comment body: the restore and its properties, the policy pack's advice, no API call, no credentials", async () => {
        const r = await sh(
            path.join(CI_DIR, "plan.sh"),
            { ...stack.env, PULUMI_STACK: stack.stack, PLAN_DIR: planDir, POLICY_PACK },
            REPO_ROOT,
        );
        assert.equal(r.code, 0, r.output);
        const md = fs.readFileSync(path.join(planDir, "plan.md"), "utf8");
        assert.match(md, /^### `pulumi preview` of stack `ci-example`/);
        assert.match(md, /\+ pulumi-nodejs:dynamic\/alicloud\/starrocks:RestoredInstance: \(create\)/);
        assert.match(md, /backupTaskId\s*: "bk-quickstart01"/);
        assert.match(md, /\+ 2 to create/);
        // The quickstart restores an explicit backup id: the pack advises (its age is unknown at preview), no more.
        assert.match(md, /\[advisory\]\s+backup-age-unknown\s+\(\S+: analytics-dr\)/);
        assert.doesNotMatch(md, /\[mandatory\]/);
        assert.equal(emu.alicloud.server.count(), 0, "the plan called the cloud API");
    });

    it("plan.sh fails the check on a policy violation and the comment says which rule", async () => {
        const config = path.join(planDir, "policy-config.json");
        fs.writeFileSync(config, JSON.stringify({ "backup-age-unknown": { enforcementLevel: "mandatory" } }));
        const r = await sh(
            path.join(CI_DIR, "plan.sh"),
            { ...stack.env, PULUMI_STACK: stack.stack, PLAN_DIR: planDir, POLICY_PACK, POLICY_CONFIG: config },
            REPO_ROOT,
        );
        assert.notEqual(r.code, 0, r.output);
        const md = fs.readFileSync(path.join(planDir, "plan.md"), "utf8");
        assert.match(md, /The preview failed/);
        assert.match(md, /\[mandatory\]\s+backup-age-unknown\s+\(\S+: analytics-dr\)/);
    });

    it("plan.sh fails the check on a bad input and says which property", async () => {
        await stack.setConfig({ "pulumi-restore-quickstart:backupTaskId": "not a backup id!" });
        const r = await sh(
            path.join(CI_DIR, "plan.sh"),
            { ...stack.env, PULUMI_STACK: stack.stack, PLAN_DIR: planDir },
            REPO_ROOT,
        );
        await stack.rmConfig("pulumi-restore-quickstart:backupTaskId");
        assert.notEqual(r.code, 0, r.output);
        const md = fs.readFileSync(path.join(planDir, "plan.md"), "utf8");
        assert.match(md, /The preview failed/);
        assert.match(md, /backupTaskId/);
    });

    it("apply.sh restores with the credentials of the main-branch job (environment variables)", async () => {
        const env = {
            ...stack.env,
            PULUMI_STACK: stack.stack,
            ALICLOUD_ACCESS_KEY: emu.config["alicloud:accessKey"],
            ALICLOUD_SECRET_KEY: emu.config["alicloud:secretKey"],
        };
        const r = await sh(path.join(CI_DIR, "apply.sh"), env, REPO_ROOT);
        assert.equal(r.code, 0, r.output);
        assert.equal(emu.alicloud.server.count("RestoreInstance"), 1, r.output);
        assert.ok(!r.output.includes(emu.config["alicloud:secretKey"]), "the secret key was printed");
        // The later destroy (after) needs the credentials too: the job's environment is the stack's environment.
        Object.assign(stack.env, {
            ALICLOUD_ACCESS_KEY: env.ALICLOUD_ACCESS_KEY,
            ALICLOUD_SECRET_KEY: env.ALICLOUD_SECRET_KEY,
        });
    });
});
