import { strict as assert } from "assert";
import { spawn } from "child_process";
import { FoundCli, REPO_ROOT, cliOrSkip } from "../../harness/pulumiCli";

describe("npm run demo through the Pulumi CLI and engine", function () {
    this.timeout(300_000);
    let cli: FoundCli;
    before(function () {
        cli = cliOrSkip(this);
    });

    it("says it uses the CLI in its first line, shows progress and outputs, destroys, and cleans up", async () => {
        const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
            const p = spawn(
                process.execPath,
                [require.resolve("ts-node/dist/bin.js"), "--transpile-only", "scripts/demo.ts", "--cli"],
                {
                    cwd: REPO_ROOT,
                    env: { ...process.env, PULUMI_RESTORE_CLI: cli.path },
                },
            );
            let stdout = "";
            let stderr = "";
            p.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
            p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
            p.on("error", reject);
            p.on("close", (code) => resolve({ code, stdout, stderr }));
        });
        assert.equal(r.code, 0, r.stdout + r.stderr);
        const lines = r.stdout.split("\n");
        assert.match(lines[0], /with the Pulumi CLI \(.*\), a local file backend/);
        assert.ok(
            lines.some((l) => /API calls during preview: 0/.test(l)),
            "preview calls nothing",
        );
        assert.ok(
            lines.some((l) => /waiting for instance c-[0-9a-f]+ to be running/.test(l)),
            "progress lines",
        );
        assert.ok(
            lines.some((l) => /status\s+"?running"?/.test(l)),
            "the outputs",
        );
        assert.ok(
            lines.some((l) => /Emulator after destroy: 0 instance\(s\) left/.test(l)),
            "destroys",
        );
        assert.ok(!(r.stdout + r.stderr).includes("emulator-secret-key"), "the secret key is not printed");
    });
});
