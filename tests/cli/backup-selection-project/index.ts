/**
 * The program of tests/cli/backup-selection.test.ts: staging restored from the latest complete backup of a source
 * StarRocks instance (`backupSelector`), refreshed when `week` changes (`triggers`), and the lookup that shows at
 * preview which backup an up would take. What varies between steps is stack config, as a user would change it.
 */
import * as pulumi from "@pulumi/pulumi";
import { alicloud } from "../../../index";

const cfg = new pulumi.Config();
const source = cfg.require("source");

const latest = alicloud.starrocks.getLatestBackupOutput({ instanceId: source });
const staging = new alicloud.starrocks.RestoredInstance("staging", {
    backupSelector: { instanceId: source, maxAge: "2d" },
    triggers: { week: cfg.require("week") },
    instanceName: "staging",
    timeouts: { create: "5m" },
});

export const wouldRestore = latest.backupId;
export const restored = staging.selectedBackupId;
