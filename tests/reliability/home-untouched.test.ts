import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");

/** Every entry under `dir`, relative to it. */
function entries(dir: string): string[] {
    const out: string[] = [];
    const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            out.push(path.relative(dir, path.join(d, e.name)));
            if (e.isDirectory()) walk(path.join(d, e.name));
        }
    };
    walk(dir);
    return out;
}

/**
 * The suite once wrote the Tencent restore journal into `~/.pulumi-restore/journal`: providers under test were given an
 * environment of their own (`env: {}`, to keep the runner's credentials out) that lacked the run's state directory,
 * and the journal then falls back to the home directory. Entries there outlived the run and met the same fixed
 * restore tokens in the next one. This runs the flows that write the journal (the Tencent cells of the fault matrix
 * and of the protocol faults, in-process; a host killed after RestoreInstance, through the real dynamic-provider host)
 * in a mocha of their own whose HOME is an empty directory, and checks it stays empty.
 */
describe("tests leave the home directory alone", function () {
    this.timeout(300_000);

    it("the Tencent restore-journal flows, run with HOME set to an empty directory, write nothing there", async () => {
        const home = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-restore-home-"));
        try {
            const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, USERPROFILE: home };
            // The child's setup.ts chooses its own state directory, as a fresh `npm test` does.
            delete env.PULUMI_RESTORE_STATE_DIR;
            const args = [
                require.resolve("mocha/bin/mocha.js"),
                "--no-config",
                ...["-r", "ts-node/register/transpile-only", "-r", "./tests/support/setup.ts"],
                ...["--extension", "ts", "--timeout", "60000", "--exit"],
                "tests/reliability/fault-matrix.test.ts",
                "tests/reliability/protocol-faults.test.ts",
                "tests/lifecycle/tencentcloud-redis.test.ts",
                "-g",
                "InstanceRestore: every cell| tencentcloud |task finished before the next up",
            ];
            const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
                const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
                let out = "";
                child.stdout.on("data", (d: Buffer) => (out += d.toString()));
                child.stderr.on("data", (d: Buffer) => (out += d.toString()));
                child.on("close", (code) => resolve({ code, out }));
            });
            assert.equal(r.code, 0, r.out);
            const passing = Number(/(\d+) passing/.exec(r.out)?.[1] ?? 0);
            assert.ok(passing >= 10, `the flows ran (${passing} passing):\n${r.out}`);
            assert.match(r.out, /task finished before the next up/, "the real-host flow ran");
            assert.deepEqual(entries(home), [], "nothing written under HOME");
        } finally {
            fs.rmSync(home, { recursive: true, force: true });
        }
    });
});
