/**
 * Parks three KooPhone cloud phones in OBS (backs them up and releases their hardware). `pulumi destroy` brings them
 * back onto hardware for user `koophone:userId`. Removing an id from the list restores just that phone.
 *
 *   pulumi config set huaweicloud:region cn-south-1
 *   pulumi config set huaweicloud:accessKey <AK>; pulumi config set --secret huaweicloud:secretKey <SK>
 *   pulumi config set koophone:instanceIds '["iRJEVP9","iRJEVQ1","iRJEVQ2"]'
 *   pulumi config set koophone:userId 1008600000104285462
 */
import * as pulumi from "@pulumi/pulumi";
import { huaweicloud } from "pulumi-restore";

const { koophone } = huaweicloud;

export = async () => {
    const cfg = new pulumi.Config("koophone");
    const instanceIds = cfg.getObject<string[]>("instanceIds") ?? ["iRJEVP9", "iRJEVQ1", "iRJEVQ2"];
    const parked = new koophone.InstanceBackup("parked-phones", {
        instanceIds,
        userId: cfg.get("userId") ?? "1008600000104285462",
        restoreOnDelete: cfg.getBoolean("restoreOnDelete") ?? true,
        timeouts: { create: "1h", delete: "2h" },
    });
    return {
        parkedInstanceIds: parked.instanceIds,
        backups: parked.instances,
    };
};
