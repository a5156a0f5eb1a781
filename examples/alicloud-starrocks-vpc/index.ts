/**
 * Restores an EMR Serverless StarRocks backup into a new network: a VPC and a VSwitch from @pulumi/alicloud, then a
 * `RestoredInstance` placed into them. `pulumi destroy` releases the restored (pay-as-you-go) instance, then the network.
 *
 *   pulumi config set alicloud:region cn-hangzhou
 *   pulumi config set alicloud:accessKey <AK>; pulumi config set --secret alicloud:secretKey <SK>
 *   pulumi config set backupTaskId <the backup's task id, from DescribeBackups or the console>
 *   pulumi config set --secret adminPassword <the new instance's admin password>   (optional)
 *   pulumi config set zoneId cn-hangzhou-i                                         (optional)
 *   pulumi up
 *
 * @pulumi/alicloud runs as a provider plugin that `pulumi up` installs (or `pulumi plugin install resource alicloud`)
 * and that talks to Alibaba Cloud itself, so this variant does not run against the local emulator: use
 * examples/alicloud-starrocks there (it takes an existing VPC and VSwitch as config instead).
 */
import * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import { alicloud as restore } from "pulumi-restore";

export = async () => {
    const cfg = new pulumi.Config();
    const region = new pulumi.Config("alicloud").get("region") ?? "cn-hangzhou";
    const zoneId = cfg.get("zoneId") ?? `${region}-i`;

    const vpc = new alicloud.vpc.Network("analytics-dr-vpc", {
        vpcName: "analytics-dr",
        cidrBlock: "172.16.0.0/12",
    });
    const vswitch = new alicloud.vpc.Switch("analytics-dr-vsw", {
        vswitchName: "analytics-dr",
        vpcId: vpc.id,
        cidrBlock: "172.16.0.0/21",
        zoneId,
    });

    const restored = new restore.starrocks.RestoredInstance(
        "analytics-dr",
        {
            backupTaskId: cfg.get("backupTaskId") ?? "bk-quickstart01",
            instanceName: "analytics-dr",
            adminPassword: cfg.getSecret("adminPassword"),
            payType: "postPaid",
            regionId: region,
            vpcId: vpc.id,
            vSwitches: [{ zoneId: vswitch.zoneId, vswId: vswitch.id }],
            tags: { team: "data-platform", purpose: "dr-rehearsal" },
            timeouts: { create: "90m", delete: "30m" },
        },
        // Released before the VSwitch and VPC it lives in are deleted.
        { dependsOn: [vswitch] },
    );

    return {
        vpcId: vpc.id,
        vswitchId: vswitch.id,
        instanceId: restored.instanceId,
        status: restored.status,
    };
};
