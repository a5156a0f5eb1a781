/**
 * The program of the CLI suite (tests/cli): one stack declares resources of one kind (`subject` in the stack config),
 * against the emulator. Everything that varies between test steps is stack config, so each step is a plain
 * `pulumi config set` followed by `pulumi preview` / `up` / `destroy`, as a user would run them.
 */
import * as pulumi from "@pulumi/pulumi";
import { alicloud, huaweicloud, jdcloud, tencentcloud, zstack } from "../../../index";

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

const outputs: Record<string, pulumi.Output<unknown>> = {};
for (const name of names) {
    switch (subject) {
        case "alicloud": {
            const r = new alicloud.starrocks.RestoredInstance(
                name,
                { backupTaskId: backup, instanceName: name, adminPassword: cfg.requireSecret("adminPassword"), timeouts },
                opts,
            );
            outputs[name] = r.instanceId;
            break;
        }
        case "tencentcloud": {
            const r = new tencentcloud.redis.InstanceRestore(
                name,
                { instanceId: cfg.require("instanceId"), backupId: backup, password: cfg.requireSecret("redisPassword"), timeouts },
                opts,
            );
            outputs[name] = r.taskId;
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
                        azId: ["cn-north-1a", "cn-north-1a"],
                        vpcId: "vpc-clitest01",
                        subnetId: "subnet-clitest01",
                        chargeSpec: { chargeMode: "postpaid_by_duration" },
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
                { instanceIds: backup.split(","), userId: "1008600000104285462", timeouts },
                opts,
            );
            outputs[name] = r.instanceIds;
            break;
        }
        default:
            throw new Error(`subject must be one of alicloud, tencentcloud, zstack, jdcloud, huaweicloud; got ${subject}`);
    }
}
export = outputs;
