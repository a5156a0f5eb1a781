import { BackupRecord, BackupSelector, ResolvedBackup, SelectorSpec, chooseLatest } from "../core/backupSelection";
import { RdsBackup, RdsClient } from "./rdsClient";

/** The backupStatus that can be restored (describeBackups; the only value our sources show). */
export const RDS_COMPLETE = "COMPLETED";

/** The selector of `RestoredInstance.backupSelector`: the source instance, optional mode, time window and age. */
export const RDS_SELECTOR: SelectorSpec = {
    sourceKey: "instanceId",
    sourcePattern: /^[a-z]+-[a-z0-9]{4,40}$/,
    sourceFormat: 'an RDS instance id such as "mysql-k2x7ab9q0w" (the source instance whose backups are searched)',
    sourceRequired: true,
    // describeBackups' backupMode.
    types: ["auto", "manual"],
};

/** describeBackups pages: 10 to 100 per page. */
const PAGE_SIZE = 100;
const MAX_PAGES = 50;

/** A describeBackups time: ISO 8601; one without a zone is China Standard Time (+08:00), as for createTime. */
function toMs(s: string | undefined): number {
    if (!s) return NaN;
    const t = s.trim();
    const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(t) ? t : `${t.replace(" ", "T")}+08:00`;
    return Date.parse(zoned);
}

/** One describeBackups record in the shared shape: its time is its end time (else its start time). */
export function rdsRecord(b: RdsBackup): BackupRecord {
    const end = toMs(b.backupEndTime);
    const status = b.backupStatus ?? "";
    return {
        id: b.backupId,
        time: Number.isNaN(end) ? toMs(b.backupStartTime) : end,
        status,
        complete: status.toUpperCase() === RDS_COMPLETE,
        type: b.backupMode,
        source: b.instanceId,
    };
}

/** Every backup of a source instance in a region, all pages. */
export async function listRdsBackups(client: RdsClient, region: string, instanceId: string): Promise<BackupRecord[]> {
    const out: BackupRecord[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
        const r = await client.describeBackups(region, instanceId, page);
        out.push(
            ...r.backups
                .filter((b) => b && typeof b.backupId === "string" && (!b.instanceId || b.instanceId === instanceId))
                .map(rdsRecord),
        );
        if (r.backups.length < PAGE_SIZE || page * PAGE_SIZE >= r.totalCount) break;
    }
    return out;
}

/** What {@link resolveBackup} needs. */
export interface RdsBackupQuery {
    backupId?: string;
    selector?: BackupSelector;
    region: string;
    now: number;
}

/**
 * The backup a restore uses: the latest COMPLETED backup matching the selector, or the explicit `backupId`. An explicit
 * id cannot be looked up (describeBackups lists by source instance; the restore API does not take the source): it is
 * returned as given, without a time, and the service itself refuses a backup it cannot restore. Read-only.
 */
export async function resolveBackup(client: RdsClient, q: RdsBackupQuery): Promise<ResolvedBackup> {
    if (q.backupId) return { backupId: q.backupId, backupTime: "", status: "" };
    const sel = q.selector;
    if (!sel?.source)
        throw new Error(
            "backupSelector.instanceId: required (the source instance whose latest completed backup is restored)",
        );
    const records = await listRdsBackups(client, q.region, sel.source);
    return chooseLatest(records, sel, { source: `instance ${sel.source}`, where: `region ${q.region}` }, q.now);
}
