/**
 * Refresh staging from prod's latest good backup every Monday.
 *
 * `backupSelector` picks the latest COMPLETED backup of the prod instance when the staging instance is created; a
 * newer backup later changes nothing. `triggers: { week }` changes on Mondays (the ISO date of this week's Monday,
 * computed here), so the first `pulumi up` of a new week replaces staging with a restore of the then-latest backup;
 * every other `up` that week is a no-op. Run `pulumi up` from a weekly CI job (or by hand) and staging follows prod.
 *
 *   pulumi config set alicloud:region cn-hangzhou
 *   pulumi config set alicloud:accessKey <AK>; pulumi config set --secret alicloud:secretKey <SK>
 *   pulumi config set prodInstanceId c-...            (the instance whose backups are restored)
 *   pulumi config set maxAge 26h                        (optional: refuse a backup older than this; default 8d)
 *   pulumi up
 *
 * To see at preview which backup an `up` would restore, add
 * `alicloud.starrocks.getLatestBackupOutput({ instanceId: prod })` to the outputs: it reads DescribeBackups at preview.
 * Against the local emulator (`npm run emulator`), paste the lines it prints for examples/refresh-staging.
 */
import * as pulumi from "@pulumi/pulumi";
import { alicloud } from "pulumi-restore";

/** The ISO date (UTC) of the Monday of the week that `now` falls in, e.g. "2026-11-23". */
function mondayOf(now: Date): string {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    // getUTCDay: 0 is Sunday; Monday is 1. Sunday belongs to the week that began six days before.
    d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
    return d.toISOString().slice(0, 10);
}

const cfg = new pulumi.Config();
const prod = cfg.get("prodInstanceId") ?? "c-prod000000000001";
const week = mondayOf(new Date());

const staging = new alicloud.starrocks.RestoredInstance("staging", {
    backupSelector: { instanceId: prod, maxAge: cfg.get("maxAge") ?? "8d" },
    triggers: { week },
    instanceName: "staging",
    payType: "postPaid",
    tags: { env: "staging", refreshedFrom: prod },
    timeouts: { create: "2h", delete: "1h" },
});

export const refreshWeek = week;
export const stagingInstanceId = staging.instanceId;
export const restoredBackup = staging.selectedBackupId;
export const restoredBackupTime = staging.selectedBackupTime;
