/**
 * The program of the CLI suite (tests/cli): one stack declares resources of one kind (`subject` in the stack config),
 * against the emulator. Everything that varies between test steps is stack config, so each step is a plain
 * `pulumi config set` followed by `pulumi preview` / `up` / `destroy`, as a user would run them.
 */
import * as pulumi from "@pulumi/pulumi";
import { alicloud, huaweicloud, jdcloud, tencentcloud, zstack } from "../../../index";
import { later } from "./later";

const cfg = new pulumi.Config();
const subject = cfg.require("subject");
/** Resource names to declare (several for `--target`). */
const names = cfg.getObject<string[]>("names") ?? ["r1"];
/** The backup to restore (a new value replaces, or updates where the resource documents it). */
const backup = cfg.require("backup");
const opts: pulumi.CustomResourceOptions = {
    retainOnDelete: cfg.getBoolean("retainOnDelete"),
    protect: cfg.getBoolean("protect"),
    customTimeouts: cfg.getObject<pulumi.CustomTimeouts>("customTimeouts"),
};
const timeouts = { create: cfg.get("createTimeout") ?? "5m" };
/** With `unknowns: true`, the fields rules depend on come from resources created in the same update. */
const unknowns = cfg.getBoolean("unknowns") ?? false;
const u = <T>(v: T): pulumi.Input<T> => later(unknowns, v);

const outputs: Record<string, pulumi.Output<unknown>> = {};
for (const name of names) {
    switch (subject) {
        case "alicloud": {
            const r = new alicloud.starrocks.RestoredInstance(
                name,
                {
                    backupTaskId: backup,
                    instanceName: name,
                    adminPassword: cfg.requireSecret("adminPassword"),
                    timeouts,
                    ...(unknowns
                        ? {
                              payType: u("postPaid" as const),
                              regionId: u("cn-hangzhou"),
                              vpcId: "vpc-cli00000001",
                              vSwitches: [
                                  u({ zoneId: "cn-hangzhou-i", vswId: "vsw-cli00000001" }),
                                  { zoneId: u("cn-hangzhou-j"), vswId: "vsw-cli00000002" },
                              ],
                          }
                        : {}),
                },
                opts,
            );
            outputs[name] = r.instanceId;
            break;
        }
        case "tencentcloud": {
            const r = new tencentcloud.redis.InstanceRestore(
                name,
                {
                    instanceId: u(cfg.require("instanceId")),
                    backupId: u(backup),
                    password: cfg.requireSecret("redisPassword"),
                    timeouts,
                    // The answers to a refusal over a restore task nothing in the stack records.
                    adoptTaskId: cfg.getNumber("adoptTaskId"),
                    ignoreTaskIds: cfg.getObject<number[]>("ignoreTaskIds"),
                },
                opts,
            );
            outputs[name] = r.taskId;
            break;
        }
        case "tencentcloud-clone": {
            const r = new tencentcloud.redis.RestoredInstance(
                name,
                {
                    sourceInstanceId: u(cfg.require("sourceInstanceId")),
                    backupId: backup,
                    zoneId: u(100003),
                    billingMode: u("postpaid" as const),
                    securityGroupIds: [u("sg-cli00001")],
                    password: cfg.requireSecret("redisPassword"),
                    timeouts,
                },
                opts,
            );
            outputs[name] = r.instanceId;
            break;
        }
        case "zstack": {
            const l3 = cfg.require("l3NetworkUuid");
            const r = new zstack.VmFromBackup(
                name,
                {
                    backupGroupUuid: backup,
                    name,
                    instanceOfferingUuid: cfg.require("instanceOfferingUuid"),
                    l3NetworkUuids: [l3],
                    defaultL3NetworkUuid: l3,
                    timeouts,
                    // An element unknown at preview (the list itself is known).
                    ...(unknowns
                        ? { vmNicParams: [u({ l3NetworkUuid: l3 })] as unknown as zstack.VmNicParamArgs[] }
                        : {}),
                },
                opts,
            );
            outputs[name] = r.uuid;
            break;
        }
        case "jdcloud": {
            const r = new jdcloud.rds.RestoredInstance(
                name,
                {
                    backupId: backup,
                    engine: "MySQL",
                    instanceSpec: {
                        instanceClass: "db.mysql.s1.micro",
                        instanceStorageGB: 20,
                        azId: u(["cn-north-1a", "cn-north-1a"]),
                        vpcId: "vpc-clitest01",
                        subnetId: "subnet-clitest01",
                        chargeSpec: { chargeMode: u("postpaid_by_duration" as const) },
                        instanceName: cfg.get("instanceName"),
                    },
                    timeouts,
                },
                opts,
            );
            outputs[name] = r.instanceId;
            break;
        }
        case "huaweicloud": {
            // `backup` is the comma-separated list of phones to park.
            const r = new huaweicloud.koophone.InstanceBackup(
                name,
                { instanceIds: u(backup.split(",")), userId: u("1008600000104285462"), timeouts },
                opts,
            );
            outputs[name] = r.instanceIds;
            break;
        }
        default:
            throw new Error(
                `subject must be one of alicloud, tencentcloud, tencentcloud-clone, zstack, jdcloud, huaweicloud; got ${subject}`,
            );
    }
}
export = outputs;
