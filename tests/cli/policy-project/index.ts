/**
 * The program of tests/cli/policy.test.ts: a catalogue of restores, each of which passes or breaks one rule of the
 * policy pack (policy/). The stack config `declare` names the ones a preview declares. Nothing here is ever created:
 * the suite only previews.
 */
import * as pulumi from "@pulumi/pulumi";
import { alicloud, jdcloud, tencentcloud, zstack } from "../../../index";

const cfg = new pulumi.Config();
const declare = cfg.requireObject<string[]>("declare");
const password = "Policy-Pa55word-42";
const ZS = "0123456789abcdef0123456789abcdef";
const jdSpec = (chargeMode: "prepaid_by_duration" | "postpaid_by_duration") => ({
    instanceClass: "db.mysql.s1.micro",
    instanceStorageGB: 20,
    azId: ["cn-north-1a", "cn-north-1a"],
    vpcId: "vpc-policy001",
    subnetId: "subnet-policy001",
    chargeSpec: chargeMode === "prepaid_by_duration" ? { chargeMode, chargeDuration: 1 } : { chargeMode },
});

const catalogue: Record<string, (name: string) => pulumi.CustomResource> = {
    // (a) in place: acknowledged in the policy config / not acknowledged.
    "redis-acknowledged": (n) =>
        new tencentcloud.redis.InstanceRestore(n, { instanceId: "crs-policy01", backupSelector: { maxAge: "3d" } }),
    "redis-unacknowledged": (n) =>
        new tencentcloud.redis.InstanceRestore(n, { instanceId: "crs-policy02", backupSelector: { maxAge: "3d" } }),
    // (b) backup age: a selector bounded to 1 day / to 30 days.
    "starrocks-fresh": (n) =>
        new alicloud.starrocks.RestoredInstance(n, {
            backupSelector: { instanceId: "c-policy000000001", maxAge: "24h" },
            adminPassword: password,
            tags: { env: "staging" },
        }),
    "starrocks-stale": (n) =>
        new alicloud.starrocks.RestoredInstance(n, {
            backupSelector: { instanceId: "c-policy000000001", maxAge: "30d" },
            adminPassword: password,
        }),
    // (c) production targets: allowed in the policy config / not allowed.
    "starrocks-prod-allowed": (n) =>
        new alicloud.starrocks.RestoredInstance(n, {
            backupSelector: { instanceId: "c-policy000000001", maxAge: "2d" },
            adminPassword: password,
            tags: { env: "prod" },
        }),
    "zstack-prod": (n) =>
        new zstack.VmFromBackup(n, {
            backupSelector: { vmUuid: ZS, maxAge: "1d" },
            name: n,
            instanceOfferingUuid: ZS,
            userTags: ["env::prod"],
        }),
    // (d) drills: monthly / without a schedule.
    "drill-monthly": (n) =>
        new alicloud.starrocks.RestoreDrill(n, {
            backupTaskId: "bk-policy0001",
            adminPassword: password,
            triggers: { month: "2026-12" },
        }),
    "drill-unscheduled": (n) =>
        new alicloud.starrocks.RestoreDrill(n, { backupTaskId: "bk-policy0001", adminPassword: password }),
    // (e) prePaid: retained (acknowledged in the config) / protected / neither.
    "starrocks-prepaid-retained": (n) =>
        new alicloud.starrocks.RestoredInstance(
            n,
            {
                backupSelector: { instanceId: "c-policy000000001", maxAge: "1d" },
                adminPassword: password,
                payType: "prePaid",
                pricingCycle: "Month",
                duration: 1,
            },
            { retainOnDelete: true },
        ),
    "jd-prepaid-protected": (n) =>
        new jdcloud.rds.RestoredInstance(
            n,
            {
                backupSelector: { instanceId: "mysql-policy001", maxAge: "1d" },
                engine: "MySQL",
                instanceSpec: jdSpec("prepaid_by_duration"),
            },
            { protect: true },
        ),
    "jd-prepaid": (n) =>
        new jdcloud.rds.RestoredInstance(n, {
            backupSelector: { instanceId: "mysql-policy001", maxAge: "1d" },
            engine: "MySQL",
            instanceSpec: jdSpec("prepaid_by_duration"),
        }),
};

for (const name of declare) {
    const make = catalogue[name];
    if (!make) throw new Error(`declare: no "${name}" in the catalogue (${Object.keys(catalogue).join(", ")})`);
    make(name);
}
