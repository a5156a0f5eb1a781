/**
 * Restores a JD Cloud RDS MySQL backup into a new instance, for a disaster-recovery rehearsal. `pulumi destroy`
 * deletes the new instance (pay-as-you-go); the source instance and its backup are never touched.
 *
 *   pulumi config set jdcloud:region cn-north-1
 *   pulumi config set jdcloud:accessKey <AK>; pulumi config set --secret jdcloud:secretKey <SK>
 *   pulumi config set rds:backupId <backup id from describeBackups or the console>
 *   pulumi config set rds:vpcId vpc-...; pulumi config set rds:subnetId subnet-...
 */
import * as pulumi from "@pulumi/pulumi";
import { jdcloud } from "pulumi-restore";

const { rds } = jdcloud;

export = async () => {
    const cfg = new pulumi.Config("rds");
    const restored = new rds.RestoredInstance("orders-dr", {
        backupId: cfg.get("backupId") ?? "bk-orders-nightly",
        engine: "MySQL",
        instanceSpec: {
            instanceClass: cfg.get("instanceClass") ?? "db.mysql.s1.micro",
            instanceStorageGB: cfg.getNumber("storageGB") ?? 20,
            azId: cfg.getObject<string[]>("azId") ?? ["cn-north-1a", "cn-north-1a"],
            vpcId: cfg.get("vpcId") ?? "vpc-orders0001",
            subnetId: cfg.get("subnetId") ?? "subnet-orders0001",
            chargeSpec: { chargeMode: "postpaid_by_duration" },
            instancePort: 3306,
        },
        timeouts: { create: "3h", delete: "1h" },
    });
    return {
        instanceId: restored.instanceId,
        instanceName: restored.instanceSpec.instanceName,
        endpoint: pulumi.interpolate`${restored.internalDomainName}:${restored.instancePort}`,
        engineVersion: restored.engineVersion,
        status: restored.instanceStatus,
    };
};
