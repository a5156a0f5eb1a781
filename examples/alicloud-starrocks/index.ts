/**
 * Restores an EMR Serverless StarRocks backup into a new pay-as-you-go instance. `pulumi destroy` releases the restored
 * instance; the backup and its source instance are never touched.
 *
 *   pulumi config set alicloud:region cn-hangzhou
 *   pulumi config set alicloud:accessKey <AK>; pulumi config set --secret alicloud:secretKey <SK>
 *   pulumi config set backupTaskId <the backup's task id, from DescribeBackups or the console>
 *   pulumi config set --secret adminPassword <the new instance's admin password>        (optional)
 *   pulumi config set vpcId vpc-...; pulumi config set vswitchId vsw-...                 (optional: an existing network)
 *   pulumi config set zoneId cn-hangzhou-i                                              (with vswitchId; default <region>-i)
 *   pulumi up
 *
 * Against the local emulator (`npm run emulator`), paste the lines it prints for examples/alicloud-starrocks instead.
 * To create the VPC and VSwitch in the same program, see examples/alicloud-starrocks-vpc (needs @pulumi/alicloud).
 */
import * as pulumi from "@pulumi/pulumi";
import { alicloud } from "pulumi-restore";

export = async () => {
    const cfg = new pulumi.Config();
    const region = new pulumi.Config("alicloud").get("region") ?? "cn-hangzhou";
    const vpcId = cfg.get("vpcId");
    const vswitchId = cfg.get("vswitchId");
    if ((vpcId === undefined) !== (vswitchId === undefined))
        throw new Error("set both vpcId and vswitchId, or neither");

    const restored = new alicloud.starrocks.RestoredInstance("analytics-dr", {
        backupTaskId: cfg.get("backupTaskId") ?? "bk-quickstart01",
        instanceName: "analytics-dr",
        adminPassword: cfg.getSecret("adminPassword"),
        payType: "postPaid",
        regionId: region,
        vpcId,
        vSwitches: vswitchId ? [{ zoneId: cfg.get("zoneId") ?? `${region}-i`, vswId: vswitchId }] : undefined,
        tags: { team: "data-platform", purpose: "dr-rehearsal" },
        timeouts: { create: "90m", delete: "30m" },
    });

    return {
        instanceId: restored.instanceId,
        status: restored.status,
    };
};
