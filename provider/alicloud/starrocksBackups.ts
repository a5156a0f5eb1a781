import {
    BackupRecord,
    BackupSelector,
    ListFilters,
    ResolvedBackup,
    SelectorSpec,
    chooseLatest,
    filterBackups,
    requireComplete,
} from "../core/backupSelection";
import { StarRocksBackup, StarRocksClient } from "./starrocksClient";

/** Statuses of a backup task that can be restored (DescribeBackups `Status`; the page's example: COMPLETED). */
export const STARROCKS_COMPLETE = ["COMPLETED", "SUCCESS", "FINISHED"] as const;

/** The selector of `RestoredInstance.backupSelector`: the source instance, optional type, time window and age. */
export const STARROCKS_SELECTOR: SelectorSpec = {
    sourceKey: "instanceId",
    sourcePattern: /^c-[A-Za-z0-9]{4,64}$/,
    sourceFormat: 'a StarRocks instance id such as "c-b25e21e243889abc" (the instance whose backups are searched)',
    sourceRequired: true,
    // DescribeBackups `BackupType` as the vendor's SDK documents it (DescribeBackupsResponseBodyData.backup_type):
    // "0" quick backup, "1" consistent backup.
    types: ["0", "1"],
};

/** Page size used when listing (the API's pages are PageNumber/PageSize). */
const PAGE_SIZE = 50;
/** A bound on pages read, so a misbehaving endpoint cannot keep a preview busy forever (5,000 backups). */
const MAX_PAGES = 100;

function toMs(v: number | string | undefined): number {
    if (v === undefined || v === null || v === "") return NaN;
    if (typeof v === "number") return v;
    return /^\d+$/.test(v) ? Number(v) : Date.parse(v);
}

/** One DescribeBackups record in the shared shape: its time is when it finished (else when it started). */
export function starRocksRecord(b: StarRocksBackup): BackupRecord {
    const status = b.Status ?? "";
    const finished = toMs(b.BackupFinishedTime);
    return {
        id: b.BackupTaskId,
        time: Number.isNaN(finished) ? toMs(b.BackupStartTime) : finished,
        status,
        complete: (STARROCKS_COMPLETE as readonly string[]).includes(status.toUpperCase()),
        type: b.BackupType,
        source: b.InstanceId,
    };
}

/** Every backup of an instance in a region, all pages. */
export async function listStarRocksBackups(
    client: StarRocksClient,
    instanceId: string,
    region: string,
): Promise<BackupRecord[]> {
    const out: BackupRecord[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
        const items = await client.describeBackups({
            InstanceId: instanceId,
            RegionId: region,
            PageNumber: page,
            PageSize: PAGE_SIZE,
        });
        // The filter is ours too: a record of another instance (a server ignoring InstanceId) is never chosen.
        out.push(...items.filter((b) => !b.InstanceId || b.InstanceId === instanceId).map(starRocksRecord));
        if (items.length < PAGE_SIZE) break;
    }
    return out;
}

/** Lists an instance's backups with filters, newest first (the lookup function `getBackups`). */
export async function findStarRocksBackups(
    client: StarRocksClient,
    instanceId: string,
    region: string,
    f: ListFilters,
    now: number,
): Promise<BackupRecord[]> {
    return filterBackups(await listStarRocksBackups(client, instanceId, region), f, now);
}

/** What {@link resolveBackup} needs: an explicit backup task id, or a selector; the region; the time now. */
export interface StarRocksBackupQuery {
    backupTaskId?: string;
    selector?: BackupSelector;
    region: string;
    now: number;
}

/**
 * The backup a restore uses: the explicit `backupTaskId` (which must exist and be complete), or the latest complete
 * backup matching the selector. Throws, naming the input and the cloud's status, for anything else. Read-only.
 */
export async function resolveBackup(client: StarRocksClient, q: StarRocksBackupQuery): Promise<ResolvedBackup> {
    if (q.backupTaskId) {
        const list = await client.describeBackups({ BackupTaskId: q.backupTaskId, RegionId: q.region });
        const b = list.find((x) => x.BackupTaskId === q.backupTaskId);
        if (!b)
            throw new Error(
                `backupTaskId: backup task ${q.backupTaskId} was not found in region ${q.region}; ` +
                    "check the id and the region (regionId or alicloud:region)",
            );
        return requireComplete(starRocksRecord(b), "backupTaskId");
    }
    const sel = q.selector;
    if (!sel?.source)
        throw new Error("backupSelector.instanceId: required (the instance whose latest complete backup is restored)");
    const records = await listStarRocksBackups(client, sel.source, q.region);
    return chooseLatest(records, sel, { source: `instance ${sel.source}`, where: `region ${q.region}` }, q.now);
}
