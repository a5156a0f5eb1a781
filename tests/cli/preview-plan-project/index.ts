/**
 * The program of tests/cli/preview-plan.test.ts: one resource of each kind (the six restores and the four drills),
 * against the emulator, so that the test can read what `pulumi preview --diff` says each one will do. Four of them
 * choose their backup with a selector (resolved as of preview when the job has credentials).
 */
import * as pulumi from "@pulumi/pulumi";
import { alicloud, huaweicloud, jdcloud, tencentcloud, zstack } from "../../../index";

const cfg = new pulumi.Config();
const timeouts = { create: "5m" };
const jdSpec = {
    instanceClass: "db.mysql.s1.micro",
    instanceStorageGB: 20,
    azId: ["cn-north-1a"],
    vpcId: "vpc-clitest01",
    subnetId: "subnet-clitest01",
    chargeSpec: { chargeMode: "postpaid_by_duration" as const },
};
const l3 = cfg.require("l3NetworkUuid");
const zsVm = {
    instanceOfferingUuid: cfg.require("instanceOfferingUuid"),
    l3NetworkUuids: [l3],
    defaultL3NetworkUuid: l3,
};

const resources: Record<string, pulumi.Resource> = {
    starrocks: new alicloud.starrocks.RestoredInstance("analytics-dr", {
        backupSelector: { instanceId: cfg.require("alicloudSource"), maxAge: "2d" },
        instanceName: "analytics-dr",
        timeouts,
    }),
    redis: new tencentcloud.redis.InstanceRestore("cache", {
        instanceId: cfg.require("tencentInstance"),
        backupId: cfg.require("tencentBackup"),
        password: cfg.requireSecret("redisPassword"),
        timeouts,
    }),
    vm: new zstack.VmFromBackup("web", {
        backupSelector: { vmUuid: cfg.require("zstackVm"), maxAge: "2d" },
        name: "web",
        ...zsVm,
        timeouts,
    }),
    rds: new jdcloud.rds.RestoredInstance("orders", {
        backupId: cfg.require("jdBackup"),
        engine: "MySQL",
        instanceSpec: jdSpec,
        timeouts,
    }),
    phones: new huaweicloud.koophone.InstanceBackup("phones", {
        instanceIds: cfg.require("phones").split(","),
        userId: "1008600000104285462",
    }),
    starrocksDrill: new alicloud.starrocks.RestoreDrill("analytics-drill", {
        backupSelector: { instanceId: cfg.require("alicloudSource"), maxAge: "2d" },
    }),
    rdsDrill: new jdcloud.rds.RestoreDrill("orders-drill", {
        backupId: cfg.require("jdBackup"),
        engine: "MySQL",
        instanceSpec: jdSpec,
    }),
    vmDrill: new zstack.RestoreDrill("web-drill", {
        backupGroupUuid: cfg.require("zstackGroup"),
        ...zsVm,
    }),
    redisCopy: new tencentcloud.redis.RestoredInstance("cache-copy", {
        sourceInstanceId: cfg.require("tencentInstance"),
        backupSelector: { maxAge: "2d" },
        zoneId: 100003,
        securityGroupIds: ["sg-clipln01"],
        password: cfg.requireSecret("redisPassword"),
        timeouts,
    }),
    redisDrill: new tencentcloud.redis.RestoreDrill("cache-drill", {
        sourceInstanceId: cfg.require("tencentInstance"),
        backupId: cfg.require("tencentBackup"),
        zoneId: 100003,
        securityGroupIds: ["sg-clipln01"],
        password: cfg.requireSecret("redisPassword"),
    }),
};

/** The resources, by kind (the test reads what the preview says of each). */
export const declared = Object.keys(resources);
