/**
 * examples/tencentcloud-python under Pulumi's Python mocks: the Redis instance from Tencent's own package
 * (tencentcloud-iac-pulumi) and pulumi-restore's RestoredInstance and RestoreDrill of it. Tencent's provider plugin
 * cannot be downloaded here, so no engine runs: the program's registrations are checked, with pulumi-restore's Python
 * SDK generated from plugin/schema.json by the pinned CLI.
 *
 * The Python is the contract-SDK venv (.contract-sdks/venv, `npm run contracts:install`), whose requirements
 * (tests/contracts/oracles/requirements.txt) pin `pulumi` and `tencentcloud-iac-pulumi`; TENCENTCLOUD_IAC_PYTHON
 * names another one. It also needs the pinned CLI (.pulumi-cli/bin/pulumi, `npm run pulumi:install`). Without them
 * the suite says so and skips; with PULUMI_RESTORE_REQUIRE_CLI=true (CI) it fails instead.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ORACLE_PYTHON } from "../support/pythonOracle";

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
        const py = process.env.TENCENTCLOUD_IAC_PYTHON || ORACLE_PYTHON;
        const why = !fs.existsSync(py)
            ? `no Python at ${py} (npm run contracts:install installs pulumi and tencentcloud-iac-pulumi there; TENCENTCLOUD_IAC_PYTHON names another)`
            : !fs.existsSync(CLI)
              ? `no pinned CLI at ${CLI} (npm run pulumi:install)`
              : spawnSync(py, ["-c", "import tencentcloud_iac_pulumi, pulumi"]).status !== 0
                ? `${py} cannot import tencentcloud_iac_pulumi and pulumi (npm run contracts:install)`
                : undefined;
        if (why) {
            if (process.env.PULUMI_RESTORE_REQUIRE_CLI === "true")
                throw new Error(`PULUMI_RESTORE_REQUIRE_CLI=true, but ${why}`);
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
        const [drill, ...more] = byType("pulumi-restore:tencentcloud/redis:RestoreDrill");
        assert.ok(drill, "the drill is declared");
        assert.deepEqual(more, []);
        assert.equal(drill.inputs.sourceInstanceId, "cache-id", "the drill clones the declared instance's backup");
        assert.deepEqual(drill.inputs.backupSelector, { maxAge: "26h" });
        assert.deepEqual(drill.inputs.triggers, { month: "2026-12" });
        assert.match(String((drill.inputs.verify as Record<string, unknown>).command), /DRILL_PASSWORD/);
        const drillSecret = drill.inputs.password as Record<string, unknown>;
        assert.equal(drillSecret["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270");
    });
});
