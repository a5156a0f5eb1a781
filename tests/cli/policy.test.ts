import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RunningEmulator, startEmulator } from "../../emulator";
import { CliResult, CliStack, REPO_ROOT, cliOrSkip, describeResult } from "../../harness/pulumiCli";
import { isReadOnlyAction } from "../support/assertions";

/**
 * The policy pack (policy/) through the real engine: `pulumi preview --policy-pack policy` of a program whose
 * resources (tests/cli/policy-project) each pass or break one rule, against the emulator. For every rule a passing
 * and a failing case; the policy config changes verdicts. The previews make no API call.
 */
const PROJECT = path.join(__dirname, "policy-project");
const PACK = path.join(REPO_ROOT, "policy");
const CLOUDS = ["alicloud", "tencentcloud", "zstack", "jdcloud"] as const;

/** The policy config of the suite: the acknowledgements the passing cases need. */
const CONFIG = {
    "in-place-restore-acknowledged": { allowedResources: ["redis-acknowledged"] },
    "production-target": { allowedResources: ["starrocks-prod-allowed"] },
    "prepaid-retained": { retainedResources: ["starrocks-prepaid-retained"] },
};

/** One line of the preview's "Policies:" section. */
interface Violation {
    level: string;
    policy: string;
    resource: string;
}

/**
 * The violations a preview printed, once each: `[mandatory]  backup-max-age  (<type>: <name>)` (inline with `--diff`,
 * and in the "Policies:" summary without it).
 */
function violations(r: CliResult): Violation[] {
    const out = r.stdout + r.stderr;
    const seen = new Set<string>();
    return [...out.matchAll(/\[(mandatory|advisory)\]\s+(\S+)\s+\(\S+: ([^)\s]+)\)/g)]
        .map((m) => ({ level: m[1], policy: m[2], resource: m[3] }))
        .filter((v) => {
            const key = `${v.level} ${v.policy} ${v.resource}`;
            return !seen.has(key) && !!seen.add(key);
        });
}

const mandatory = (r: CliResult) =>
    violations(r)
        .filter((v) => v.level === "mandatory")
        .map((v) => `${v.policy} ${v.resource}`)
        .sort();

describe("Pulumi CLI and engine: the policy pack (pulumi preview --policy-pack policy)", function () {
    this.timeout(300_000);
    let emu: RunningEmulator;
    let stack: CliStack;
    let dir: string;

    /** `pulumi preview` with the pack, declaring `resources`, under `config` (default: the suite's). */
    async function preview(resources: string[], config: object = CONFIG): Promise<CliResult> {
        await stack.setConfig({ declare: JSON.stringify(resources) });
        const file = path.join(dir, "policy-config.json");
        fs.writeFileSync(file, JSON.stringify(config));
        return stack.preview("--policy-pack", PACK, "--policy-pack-config", file);
    }

    before(async function () {
        const cli = cliOrSkip(this);
        if (!fs.existsSync(path.join(PACK, "node_modules", "@pulumi", "policy"))) {
            const msg = "the policy pack's dependencies are not installed: run `npm ci --prefix policy`";
            if (process.env.PULUMI_RESTORE_REQUIRE_CLI === "true") throw new Error(msg);
            console.log(`    (${msg}: skipped)`);
            this.skip();
        }
        emu = await startEmulator({ only: [...CLOUDS] });
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-restore-policy-"));
        stack = new CliStack(cli.path, "cli-policy", { cwd: PROJECT });
        const emuConfig = Object.fromEntries(
            Object.entries(emu.config).filter(([k]) => CLOUDS.some((c) => k.startsWith(`${c}:`))),
        );
        await stack.init(emuConfig, emu.secretConfigKeys);
    });
    after(async () => {
        await stack?.remove();
        await emu?.stop();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("passes the passing case of every rule (acknowledged, fresh, allowed, scheduled, retained or protected), calling the API only to look up", async () => {
        const r = await preview([
            "redis-acknowledged",
            "starrocks-fresh",
            "starrocks-prod-allowed",
            "drill-monthly",
            "starrocks-prepaid-retained",
            "jd-prepaid-protected",
        ]);
        assert.equal(r.code, 0, describeResult(r));
        assert.deepEqual(mandatory(r), [], describeResult(r));
        // The drill's explicit backup id: its age is unknown at preview, said as advice.
        assert.deepEqual(
            violations(r).filter((v) => v.level === "advisory"),
            [{ level: "advisory", policy: "backup-age-unknown", resource: "drill-monthly" }],
            describeResult(r),
        );
        assert.match(r.stdout, /pulumi-restore@v0\.1\.0/);
        // A preview changes nothing: with a backupSelector and credentials it looks the backup up (read-only: the
        // plan's "as of preview"), and nothing else.
        for (const c of CLOUDS) {
            const changing = emu[c].server.log.map((l) => l.action).filter((a) => !isReadOnlyAction(a));
            assert.deepEqual(changing, [], `${c}: the preview called the API for more than a look-up`);
        }
    });

    const failing: [string, string, RegExp][] = [
        ["in-place-restore-acknowledged", "redis-unacknowledged", /overwrites the live instance "crs-policy02"/],
        ["backup-max-age", "starrocks-stale", /backupSelector\.maxAge 30d allows backups older than 7 days/],
        ["production-target", "zstack-prod", /restores into a production target \(tag env=prod\)/],
        ["drill-scheduled", "drill-unscheduled", /has no triggers, so it runs once and never again/],
        ["prepaid-retained", "jd-prepaid", /prePaid \(subscription\) instance, which cannot be released by API/],
    ];
    for (const [policy, resource, message] of failing) {
        it(`fails the preview on ${resource} (${policy})`, async () => {
            const r = await preview([resource]);
            assert.notEqual(r.code, 0, describeResult(r));
            assert.deepEqual(mandatory(r), [`${policy} ${resource}`], describeResult(r));
            assert.match(r.stdout + r.stderr, message);
        });
    }

    it("follows the policy config: maxAgeDays 60 admits the 30-day selector, requiredTriggerKeys refuses a monthly drill", async () => {
        const r = await preview(["starrocks-stale", "drill-monthly"], {
            ...CONFIG,
            "backup-max-age": { maxAgeDays: 60 },
            "drill-scheduled": { requiredTriggerKeys: ["week"] },
            "backup-age-unknown": { enforcementLevel: "disabled" },
        });
        assert.notEqual(r.code, 0, describeResult(r));
        assert.deepEqual(mandatory(r), ["drill-scheduled drill-monthly"], describeResult(r));
        assert.match(r.stdout + r.stderr, /triggers lacks week/);
        assert.deepEqual(
            violations(r).filter((v) => v.level === "advisory"),
            [],
            describeResult(r),
        );
    });
});
