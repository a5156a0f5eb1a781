/**
 * examples/tencentcloud-python under Pulumi's Python mocks: the Redis instance from Tencent's own package
 * (tencentcloud-iac-pulumi) and pulumi-restore's RestoredInstance of it (and RestoreDrill, once the plugin serves the
 * drills). Tencent's provider plugin cannot be downloaded here, so no engine runs: the program's registrations are
 * checked, with pulumi-restore's Python SDK generated from plugin/schema.json by the pinned CLI.
 *
 * Needs a Python with `pulumi` and `tencentcloud-iac-pulumi` (pip install tencentcloud-iac-pulumi==0.2.3 wheel) named
 * by TENCENTCLOUD_IAC_PYTHON, and the pinned CLI (.pulumi-cli/bin/pulumi); without them the suite says so and skips.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const EXAMPLE = path.join(ROOT, "examples", "tencentcloud-python");
const CLI = path.join(ROOT, ".pulumi-cli", "bin", "pulumi");

interface Registered {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
}

describe("examples/tencentcloud-python under Python mocks (tencentcloud-iac-pulumi + pulumi-restore)", function () {
    this.timeout(180_000);
    let python: string;
    let sdk: string;
    before(function () {
        const py = process.env.TENCENTCLOUD_IAC_PYTHON;
        const why = !py
            ? "TENCENTCLOUD_IAC_PYTHON is not set (a Python with pulumi and tencentcloud-iac-pulumi installed)"
            : !fs.existsSync(CLI)
              ? `no pinned CLI at ${CLI} (npm run pulumi:install)`
              : spawnSync(py, ["-c", "import tencentcloud_iac_pulumi, pulumi"]).status !== 0
                ? `${py} cannot import tencentcloud_iac_pulumi and pulumi`
                : undefined;
        if (why) {
            console.log(`      skipped: ${why}`);
            this.skip();
        }
        python = py as string;
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "tc-py-sdk-"));
        const gen = spawnSync(
            CLI,
            ["package", "gen-sdk", path.join(ROOT, "plugin", "schema.json"), "--language", "python", "--out", out],
            {
                env: {
                    ...process.env,
                    PATH: `${path.dirname(CLI)}:${process.env.PATH}`,
                    PULUMI_SKIP_UPDATE_CHECK: "true",
                    PULUMI_HOME: path.join(out, ".pulumi-home"),
                },
                encoding: "utf8",
            },
        );
        assert.equal(gen.status, 0, gen.stderr);
        sdk = path.join(out, "python");
        // Importable without installing: the SDK reads its version from its distribution's metadata.
        const meta = path.join(sdk, "pulumi_pulumi_restore-0.0.0.dist-info");
        fs.mkdirSync(meta);
        fs.writeFileSync(
            path.join(meta, "METADATA"),
            "Metadata-Version: 2.1\nName: pulumi_pulumi_restore\nVersion: 0.0.0\n",
        );
    });

    it("declares the source with Tencent's package and the copy (and drill) with pulumi-restore, wired and secret", () => {
        const run = spawnSync(python, ["mocks_test.py"], {
            cwd: EXAMPLE,
            env: { ...process.env, PYTHONPATH: sdk },
            encoding: "utf8",
        });
        assert.equal(run.status, 0, run.stderr.slice(-3000));
        const regs = JSON.parse(run.stdout) as Registered[];
        const byType = (t: string) => regs.filter((r) => r.type === t);
        const [source] = byType("tencentcloud:Redis/instance:Instance");
        assert.ok(source, JSON.stringify(regs.map((r) => r.type)));
        const [copy] = byType("pulumi-restore:tencentcloud/redis:RestoredInstance");
        assert.ok(copy);
        assert.equal(copy.inputs.sourceInstanceId, "cache-id", "the copy is cloned from the declared instance");
        assert.deepEqual(copy.inputs.backupSelector, { maxAge: "24h" });
        assert.deepEqual(copy.inputs.securityGroupIds, source.inputs.securityGroups);
        const secret = copy.inputs.password as Record<string, unknown>;
        assert.equal(
            secret["4dabf18193072939515e22adb298388d"],
            "1b47061264138c4ac30d75fd1eb44270",
            "password is secret",
        );
        const drills = byType("pulumi-restore:tencentcloud/redis:RestoreDrill");
        // The plugin serves the drills once that work is merged; the program declares one then.
        assert.ok(drills.length <= 1);
        if (drills.length === 1) assert.equal(drills[0].inputs.sourceInstanceId, "cache-id");
    });
});
