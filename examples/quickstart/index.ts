/**
 * Quickstart: restore a StarRocks backup against the local emulator.
 *
 *   npm run demo      (starts the emulator, runs this program, shows progress and outputs, then destroys)
 */
import * as pulumi from "@pulumi/pulumi";
import { alicloud } from "pulumi-restore";

export = async () => {
    const cfg = new pulumi.Config();
    const analytics = new alicloud.starrocks.RestoredInstance("analytics-dr", {
        backupTaskId: cfg.get("backupTaskId") ?? "bk-quickstart01",
        instanceName: "analytics-dr",
        adminPassword: cfg.getSecret("adminPassword"),
        payType: "postPaid",
        tags: { team: "data-platform", purpose: "dr-rehearsal" },
        timeouts: { create: "30m" },
    });
    return {
        instanceId: analytics.instanceId,
        status: analytics.status,
        regionId: analytics.regionId,
    };
};
