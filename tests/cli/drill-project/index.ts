/**
 * The program of tests/cli/drill.test.ts: one restore drill (`subject` in the stack config), run monthly by its
 * trigger, as a CI job would declare it. Everything a test step varies is stack config.
 */
import * as pulumi from "@pulumi/pulumi";
import { alicloud, jdcloud } from "../../../index";

const cfg = new pulumi.Config();
/** One config value for what the steps vary (each `pulumi config set` costs a CLI run); the password apart, secret. */
interface DrillConfig {
    subject: string;
    backup: string;
    backupSource?: string;
    month: string;
    verify?: string;
    failOnCheckFailure?: boolean;
}
const d = cfg.requireObject<DrillConfig>("drill");
const subject = d.subject;
const common = {
    triggers: { month: d.month },
    verify: d.verify ? { command: d.verify, timeout: "1m" } : undefined,
    failOnCheckFailure: d.failOnCheckFailure,
};

let drill: { passed: pulumi.Output<boolean>; report: pulumi.Output<unknown> };
switch (subject) {
    case "alicloud":
        drill = new alicloud.starrocks.RestoreDrill("monthly", {
            backupTaskId: d.backup,
            adminPassword: cfg.requireSecret("password"),
            ...common,
        });
        break;
    case "jdcloud":
        drill = new jdcloud.rds.RestoreDrill("monthly", {
            backupId: d.backup,
            engine: "MySQL",
            instanceSpec: {
                instanceClass: "db.mysql.s1.micro",
                instanceStorageGB: 20,
                azId: ["cn-north-1a", "cn-north-1a"],
                vpcId: "vpc-drill0001",
                subnetId: "subnet-drill0001",
                chargeSpec: { chargeMode: "postpaid_by_usage" },
            },
            backupSourceInstanceId: d.backupSource,
            databasePassword: cfg.requireSecret("password"),
            ...common,
        });
        break;
    default:
        throw new Error(`subject: unknown cloud "${subject}"`);
}

export const passed = drill.passed;
export const report = drill.report;
