/**
 * The program of the state-compatibility fixtures (tests/fixtures/state, tests/cli/state-compat.test.ts): every
 * dynamic resource of pulumi-restore in one stack, as a user's program declares it, importing "pulumi-restore".
 * Every id is fixed (the emulator is seeded with the same ones), the passwords come from secret stack config.
 *
 * Changing what this program declares changes the inputs it sends: the fixtures written by an earlier release would
 * no longer match it (the no-op `pulumi up` of the test would show a change). Add resources as new fixtures; never
 * edit what is declared here for a fixture already checked in.
 *
 * Plain JavaScript so that it runs the same way against the installed package and against a source checkout.
 */
"use strict";
const pulumi = require("@pulumi/pulumi");
const { alicloud, huaweicloud, jdcloud, tencentcloud, zstack } = require("pulumi-restore");

const cfg = new pulumi.Config();
const adminPassword = cfg.requireSecret("adminPassword");
const redisPassword = cfg.requireSecret("redisPassword");
const timeouts = { create: "10m" };
/** The drills record a report; their checks need no connection here (the emulated instances serve none). */
const drill = { triggers: { month: "2026-12" }, failOnCheckFailure: false };
const jdSpec = {
    instanceClass: "db.mysql.s1.micro",
    instanceStorageGB: 20,
    azId: ["cn-north-1a", "cn-north-1a"],
    vpcId: "vpc-compat0001",
    subnetId: "subnet-compat0001",
    chargeSpec: { chargeMode: "postpaid_by_duration" },
};
const zsVm = {
    instanceOfferingUuid: "c0a7c0a7000000000000000000000b01",
    l3NetworkUuids: ["c0a7c0a7000000000000000000000c01"],
    defaultL3NetworkUuid: "c0a7c0a7000000000000000000000c01",
};

const starrocks = new alicloud.starrocks.RestoredInstance("analytics-dr", {
    backupTaskId: "bk-compat000001",
    instanceName: "analytics-dr",
    adminPassword,
    tags: { team: "data" },
    timeouts,
});
const redisRestore = new tencentcloud.redis.InstanceRestore("cache-rollback", {
    instanceId: "crs-compat01",
    backupId: "compat-backup-01",
    password: redisPassword,
    timeouts,
});
const redisClone = new tencentcloud.redis.RestoredInstance("cache-dr", {
    sourceInstanceId: "crs-compat01",
    backupId: "compat-backup-01",
    zoneId: 100003,
    securityGroupIds: ["sg-compat1a"],
    password: redisPassword,
    timeouts,
});
const vm = new zstack.VmFromBackup("web-dr", {
    backupGroupUuid: "c0a7c0a7000000000000000000000a01",
    name: "web-dr",
    ...zsVm,
    timeouts,
});
const rds = new jdcloud.rds.RestoredInstance("orders-dr", {
    backupId: "bk-compat-nightly",
    engine: "MySQL",
    instanceSpec: { ...jdSpec, instanceName: "orders-dr" },
    timeouts,
});
const phones = new huaweicloud.koophone.InstanceBackup("phones", {
    instanceIds: ["compatP01", "compatP02"],
    userId: "1008600000104285462",
    timeouts,
});
const starrocksDrill = new alicloud.starrocks.RestoreDrill("analytics-drill", {
    backupTaskId: "bk-compat000001",
    adminPassword,
    ...drill,
});
const redisDrill = new tencentcloud.redis.RestoreDrill("cache-drill", {
    sourceInstanceId: "crs-compat01",
    backupId: "compat-backup-01",
    zoneId: 100003,
    securityGroupIds: ["sg-compat1a"],
    password: redisPassword,
    ...drill,
});
const vmDrill = new zstack.RestoreDrill("web-drill", {
    backupGroupUuid: "c0a7c0a7000000000000000000000a01",
    ...zsVm,
    ...drill,
});
const rdsDrill = new jdcloud.rds.RestoreDrill("orders-drill", {
    backupId: "bk-compat-nightly",
    engine: "MySQL",
    instanceSpec: jdSpec,
    ...drill,
});

module.exports = {
    starrocks: starrocks.instanceId,
    redisTask: redisRestore.taskId,
    redisClone: redisClone.instanceId,
    vm: vm.uuid,
    rds: rds.instanceId,
    phones: phones.instanceIds,
    drills: {
        starrocks: starrocksDrill.passed,
        redis: redisDrill.passed,
        zstack: vmDrill.passed,
        jdcloud: rdsDrill.passed,
    },
};
