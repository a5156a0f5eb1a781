import { strict as assert } from "assert";
import { parseDuration as providerParseDuration } from "../../provider/core/duration";
import { restoreKind } from "../../policy/resources";
import {
    checkBackupAge,
    checkBackupAgeUnknown,
    checkDrillScheduled,
    checkInPlace,
    checkPrepaidRetained,
    checkProduction,
    parseDuration,
    Subject,
    tagsOf,
} from "../../policy/rules";

/**
 * The policy pack's rules (policy/rules.ts) and its recognition of our resources (policy/resources.ts), as pure
 * functions; tests/cli/policy.test.ts runs the pack through the engine.
 */
const subject = (kind: Subject["kind"], props: Record<string, unknown>, extra: Partial<Subject> = {}): Subject => ({
    kind,
    name: "r1",
    urn: `urn:pulumi:s::p::pulumi-nodejs:dynamic/${kind}::r1`,
    props,
    protect: false,
    ...extra,
});

describe("policy pack: recognising pulumi-restore's resources", () => {
    it("by the dynamic resources' and the plugin's type tokens", () => {
        assert.equal(
            restoreKind("pulumi-nodejs:dynamic/tencentcloud/redis:InstanceRestore", {}),
            "tencentcloud/redis:InstanceRestore",
        );
        assert.equal(
            restoreKind("pulumi-restore:tencentcloud/redis:InstanceRestore", {}),
            "tencentcloud/redis:InstanceRestore",
        );
        assert.equal(restoreKind("pulumi-nodejs:dynamic/zstack:RestoreDrill", {}), "zstack:RestoreDrill");
        assert.equal(restoreKind("pulumi-restore:jdcloud/rds:RestoredInstance", {}), "jdcloud/rds:RestoredInstance");
        assert.equal(restoreKind("pulumi-nodejs:dynamic/somebody/else:Thing", {}), undefined);
        assert.equal(restoreKind("aws:s3/bucket:Bucket", { restoreToken: "prt-0123456789abcdef0123" }), undefined);
    });

    it("a generic dynamic resource by its restore token and the inputs only one class takes", () => {
        const t = { restoreToken: "prt-0123456789abcdef0123" };
        const g = (p: Record<string, unknown>) => restoreKind("pulumi-nodejs:dynamic:Resource", { ...t, ...p });
        assert.equal(g({ instanceId: "crs-1", backupId: "1" }), "tencentcloud/redis:InstanceRestore");
        assert.equal(g({ backupTaskId: "bk-1", payType: "prePaid" }), "alicloud/starrocks:RestoredInstance");
        assert.equal(
            g({ backupTaskId: "bk-1", triggers: {}, failOnCheckFailure: true }),
            "alicloud/starrocks:RestoreDrill",
        );
        assert.equal(g({ backupId: "bk-1", engine: "MySQL", instanceSpec: {} }), "jdcloud/rds:RestoredInstance");
        assert.equal(g({ backupGroupUuid: "0".repeat(32), name: "vm" }), "zstack:VmFromBackup");
        assert.equal(g({ instanceIds: ["a"], userId: "1" }), "huaweicloud/koophone:InstanceBackup");
        // No restore token: not ours.
        assert.equal(restoreKind("pulumi-nodejs:dynamic:Resource", { instanceId: "crs-1" }), undefined);
    });
});

describe("policy pack: the rules", () => {
    it("(a) an in-place restore is refused unless its name, URN or instance is acknowledged", () => {
        const s = subject("tencentcloud/redis:InstanceRestore", { instanceId: "crs-1" });
        assert.match(checkInPlace(s, {})[0], /overwrites the live instance "crs-1" in place/);
        assert.deepEqual(checkInPlace(s, { allowedResources: ["r1"] }), []);
        assert.deepEqual(checkInPlace(s, { allowedResources: [s.urn] }), []);
        assert.deepEqual(checkInPlace(s, { allowedInstanceIds: ["crs-1"] }), []);
        assert.deepEqual(checkInPlace(subject("zstack:VmFromBackup", {}), {}), []);
    });

    it("(b) a selector's maxAge must be at most maxAgeDays; no maxAge, or a `before` too long ago, is refused", () => {
        const now = Date.parse("2026-12-01T00:00:00Z");
        const s = (sel: Record<string, unknown>) =>
            subject("alicloud/starrocks:RestoredInstance", { backupSelector: sel });
        assert.deepEqual(checkBackupAge(s({ instanceId: "c-1", maxAge: "7d" }), {}, now), []);
        assert.deepEqual(checkBackupAge(s({ instanceId: "c-1", maxAge: "1h30m" }), {}, now), []);
        assert.match(checkBackupAge(s({ instanceId: "c-1", maxAge: "169h" }), {}, now)[0], /older than 7 days/);
        assert.deepEqual(checkBackupAge(s({ instanceId: "c-1", maxAge: "30d" }), { maxAgeDays: 30 }, now), []);
        assert.match(checkBackupAge(s({ instanceId: "c-1" }), {}, now)[0], /has no maxAge/);
        const old = checkBackupAge(s({ maxAge: "1d", before: "2026-11-01T00:00:00Z" }), {}, now);
        assert.equal(old.length, 1);
        assert.match(old[0], /before 2026-11-01T00:00:00Z is more than 7 days ago/);
        // An explicit id is not this rule's: the advisory one says its age is unknown, unless the id is allowed.
        const explicit = subject("jdcloud/rds:RestoredInstance", { backupId: "bk-1" });
        assert.deepEqual(checkBackupAge(explicit, {}, now), []);
        assert.match(checkBackupAgeUnknown(explicit, {})[0], /explicit backup backupId "bk-1"/);
        assert.deepEqual(checkBackupAgeUnknown(explicit, { allowedBackupIds: ["bk-1"] }), []);
        assert.deepEqual(checkBackupAgeUnknown(subject("huaweicloud/koophone:InstanceBackup", {}), {}), []);
    });

    it("(b) the pack's duration grammar is the provider's", () => {
        for (const t of ["24h", "7d", "1h30m", "90m", "45s", "250ms", "1.5d", "0h", "7 d", "d", "", "7D", "1w", "-1d"])
            assert.equal(parseDuration(t), providerParseDuration(t), t);
    });

    it("(c) production tags (StarRocks tags, ZStack userTags) and listed production instances are refused unless allowed", () => {
        const sr = subject("alicloud/starrocks:RestoredInstance", { tags: { Env: "PROD", team: "x" } });
        assert.match(checkProduction(sr, {})[0], /production target \(tag Env=PROD\)/);
        assert.deepEqual(checkProduction(sr, { allowedResources: ["r1"] }), []);
        assert.deepEqual(checkProduction(sr, { productionTags: { stage: ["live"] } }), []);
        const zs = subject("zstack:VmFromBackup", { userTags: ["env::prod", "owner=me", "plain"] });
        assert.deepEqual(tagsOf(zs), [
            ["env", "prod"],
            ["owner", "me"],
        ]);
        assert.equal(checkProduction(zs, {}).length, 1);
        assert.deepEqual(checkProduction(subject("zstack:VmFromBackup", { userTags: ["env::staging"] }), {}), []);
        const redis = subject("tencentcloud/redis:InstanceRestore", { instanceId: "crs-prod" });
        assert.deepEqual(checkProduction(redis, {}), []);
        assert.match(
            checkProduction(redis, { productionInstanceIds: ["crs-prod"] })[0],
            /production instance crs-prod/,
        );
    });

    it("(d) a drill needs triggers, with the required keys", () => {
        const d = (props: Record<string, unknown>) => subject("jdcloud/rds:RestoreDrill", props);
        assert.match(checkDrillScheduled(d({}), {})[0], /has no triggers/);
        assert.match(checkDrillScheduled(d({ triggers: {} }), {})[0], /has no triggers/);
        assert.deepEqual(checkDrillScheduled(d({ triggers: { month: "2026-12" } }), {}), []);
        assert.match(
            checkDrillScheduled(d({ triggers: { month: "2026-12" } }), { requiredTriggerKeys: ["week"] })[0],
            /triggers lacks week/,
        );
        assert.deepEqual(checkDrillScheduled(subject("zstack:VmFromBackup", {}), {}), []);
    });

    it("(e) a prePaid restore (StarRocks prePaid, JD prepaid_by_duration) is refused unless retained or protected", () => {
        const sr = subject("alicloud/starrocks:RestoredInstance", { payType: "prePaid" });
        assert.match(checkPrepaidRetained(sr, {})[0], /cannot be released by API/);
        assert.deepEqual(checkPrepaidRetained(sr, { retainedResources: ["r1"] }), []);
        assert.deepEqual(checkPrepaidRetained({ ...sr, protect: true }, {}), []);
        assert.equal(checkPrepaidRetained({ ...sr, protect: true }, { acceptProtect: false }).length, 1);
        const jd = (chargeMode: string) =>
            subject("jdcloud/rds:RestoredInstance", { instanceSpec: { chargeSpec: { chargeMode } } });
        assert.equal(checkPrepaidRetained(jd("prepaid_by_duration"), {}).length, 1);
        assert.deepEqual(checkPrepaidRetained(jd("postpaid_by_usage"), {}), []);
        assert.deepEqual(
            checkPrepaidRetained(subject("alicloud/starrocks:RestoredInstance", { payType: "postPaid" }), {}),
            [],
        );
    });
});
