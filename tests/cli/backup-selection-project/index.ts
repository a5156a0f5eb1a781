/**
 * The program of tests/cli/backup-selection.test.ts. For each cloud named in the `clouds` config (StarRocks, Tencent
 * Redis (an in-place restore and a copy), JD Cloud RDS, ZStack): a restore from the latest complete backup of a source
 * (`backupSelector`), refreshed
 * when `week` changes (`triggers`), and the lookup that shows at preview which backup an up would take. What varies
 * between steps is stack config, as a user would change it.
 */
import * as pulumi from "@pulumi/pulumi";
import { alicloud, jdcloud, tencentcloud, zstack } from "../../../index";

const cfg = new pulumi.Config();
const clouds = cfg.require("clouds").split(",");
const week = cfg.require("week");
const triggers = { week };
const timeouts = { create: "5m" };

/** Per cloud: the backup the lookup would take now, and the one the restore took. */
export const wouldRestore: Record<string, pulumi.Output<string>> = {};
export const restored: Record<string, pulumi.Output<string | undefined>> = {};

if (clouds.includes("alicloud")) {
    const source = cfg.require("alicloudSource");
    wouldRestore.alicloud = alicloud.starrocks.getLatestBackupOutput({ instanceId: source }).backupId;
    const r = new alicloud.starrocks.RestoredInstance("staging", {
        backupSelector: { instanceId: source, maxAge: "2d" },
        triggers,
        instanceName: "staging",
        timeouts,
    });
    restored.alicloud = r.selectedBackupId;
}

if (clouds.includes("tencentcloud")) {
    const instanceId = cfg.require("tencentInstance");
    wouldRestore.tencentcloud = tencentcloud.redis.getLatestBackupOutput({ instanceId }).backupId;
    // A copy of the same source's latest backup (CloneInstances): the source is not touched. It runs beside the
    // in-place restore of that backup: whichever holds the backup first, the other waits for it (never an older one).
    wouldRestore.tencentcloudClone = wouldRestore.tencentcloud;
    const copy = new tencentcloud.redis.RestoredInstance("cache-copy", {
        sourceInstanceId: instanceId,
        backupSelector: { maxAge: "2d" },
        zoneId: 100003,
        securityGroupIds: ["sg-select01"],
        password: cfg.requireSecret("redisPassword"),
        triggers,
        timeouts,
    });
    restored.tencentcloudClone = copy.selectedBackupId;
    const r = new tencentcloud.redis.InstanceRestore("cache", {
        instanceId,
        backupSelector: { maxAge: "2d" },
        password: cfg.requireSecret("redisPassword"),
        triggers,
        timeouts,
    });
    restored.tencentcloud = r.selectedBackupId;
}

if (clouds.includes("jdcloud")) {
    const source = cfg.require("jdSource");
    wouldRestore.jdcloud = jdcloud.rds.getLatestBackupOutput({ instanceId: source }).backupId;
    const r = new jdcloud.rds.RestoredInstance("orders", {
        backupSelector: { instanceId: source, maxAge: "2d" },
        engine: "MySQL",
        instanceSpec: {
            instanceClass: "db.mysql.s1.micro",
            instanceStorageGB: 20,
            azId: ["cn-north-1a"],
            vpcId: "vpc-clitest01",
            subnetId: "subnet-clitest01",
            chargeSpec: { chargeMode: "postpaid_by_duration" },
        },
        triggers,
        timeouts,
    });
    restored.jdcloud = r.selectedBackupId;
}

if (clouds.includes("zstack")) {
    const vmUuid = cfg.require("zstackVm");
    const l3 = cfg.require("l3NetworkUuid");
    wouldRestore.zstack = zstack.getLatestBackupOutput({ vmUuid }).backupId;
    const r = new zstack.VmFromBackup("web", {
        backupSelector: { vmUuid, maxAge: "2d" },
        name: "web",
        instanceOfferingUuid: cfg.require("instanceOfferingUuid"),
        l3NetworkUuids: [l3],
        defaultL3NetworkUuid: l3,
        triggers,
        timeouts,
    });
    restored.zstack = r.selectedBackupId;
}
