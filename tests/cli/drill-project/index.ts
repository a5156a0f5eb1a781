/**
 * The program of tests/cli/drill.test.ts: one restore drill per cloud named in the stack config (StarRocks, JD Cloud
 * RDS, ZStack, Tencent Cloud Redis), run monthly by its trigger, as a CI job would declare them. Everything a test step varies is stack
 * config.
 */
import * as pulumi from "@pulumi/pulumi";
import { alicloud, jdcloud, tencentcloud, zstack } from "../../../index";

const cfg = new pulumi.Config();
/** One config value for what the steps vary (each `pulumi config set` costs a CLI run); the password apart, secret. */
interface DrillConfig {
    subjects: string[];
    month: string;
    verify?: string;
    failOnCheckFailure?: boolean;
    alicloud?: { backup: string };
    jdcloud?: { backup: string; backupSource?: string };
    zstack?: { backup: string; instanceOfferingUuid: string; l3NetworkUuid: string; tcpPort: number };
    tencentcloud?: { backup: string; sourceInstanceId: string };
}
const d = cfg.requireObject<DrillConfig>("drill");
const password = cfg.requireSecret("password");
const common = {
    triggers: { month: d.month },
    verify: d.verify ? { command: d.verify, timeout: "1m" } : undefined,
    failOnCheckFailure: d.failOnCheckFailure,
};

const drills: Record<string, { passed: pulumi.Output<boolean>; report: pulumi.Output<unknown> }> = {};
for (const subject of d.subjects) {
    switch (subject) {
        case "alicloud":
            drills.alicloud = new alicloud.starrocks.RestoreDrill("starrocks-monthly", {
                backupTaskId: d.alicloud!.backup,
                adminPassword: password,
                ...common,
            });
            break;
        case "jdcloud":
            drills.jdcloud = new jdcloud.rds.RestoreDrill("orders-monthly", {
                backupId: d.jdcloud!.backup,
                engine: "MySQL",
                instanceSpec: {
                    instanceClass: "db.mysql.s1.micro",
                    instanceStorageGB: 20,
                    azId: ["cn-north-1a", "cn-north-1a"],
                    vpcId: "vpc-drill0001",
                    subnetId: "subnet-drill0001",
                    chargeSpec: { chargeMode: "postpaid_by_usage" },
                },
                backupSourceInstanceId: d.jdcloud!.backupSource,
                databasePassword: password,
                ...common,
            });
            break;
        case "zstack": {
            const z = d.zstack!;
            drills.zstack = new zstack.RestoreDrill("vm-monthly", {
                backupGroupUuid: z.backup,
                instanceOfferingUuid: z.instanceOfferingUuid,
                l3NetworkUuids: [z.l3NetworkUuid],
                defaultL3NetworkUuid: z.l3NetworkUuid,
                tcpPort: z.tcpPort,
                guestPassword: password,
                ...common,
            });
            break;
        }
        case "tencentcloud":
            drills.tencentcloud = new tencentcloud.redis.RestoreDrill("redis-monthly", {
                sourceInstanceId: d.tencentcloud!.sourceInstanceId,
                backupId: d.tencentcloud!.backup,
                zoneId: 100003,
                securityGroupIds: ["sg-drill001"],
                password,
                ...common,
            });
            break;
        default:
            throw new Error(`subjects: unknown cloud "${subject}"`);
    }
}

export const passed = Object.fromEntries(Object.entries(drills).map(([k, v]) => [k, v.passed]));
export const report = Object.fromEntries(Object.entries(drills).map(([k, v]) => [k, v.report]));
