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
import { RedisBackup, RedisClient, parseBeijingTime } from "./redisClient";
import { utcIso } from "../core/time";

/**
 * Backup statuses of DescribeInstanceBackups: 1 locked by another flow, 2 normal, -1 expired, 3 being exported,
 * 4 exported. A selector chooses among 2 and 4 and among held backups that have ended (see {@link redisRecord}); an
 * explicit id that is locked or being exported is waited for by the resource, one that is expired is refused.
 */
export const REDIS_BACKUP_STATUS: Record<number, string> = {
    1: "locked by another flow",
    2: "normal",
    [-1]: "expired",
    3: "being exported",
    4: "exported",
};
const RESTORABLE = [2, 4];

/** The selector of `InstanceRestore.backupSelector`: backups of the restored instance itself (the only ones taken). */
export const REDIS_SELECTOR: SelectorSpec = {
    sourceKey: "instanceId",
    sourcePattern: /^crs-[a-z0-9]{8}$/,
    sourceFormat:
        'a Redis instance id such as "crs-5a4py64p" (default and only allowed value: the instance being restored)',
    sourceRequired: false,
    // The API's BackupType: "0" manual, "1" automatic (nightly), "2" taken by a configuration change.
    types: ["0", "1", "2"],
};

/**
 * Whether a backup holds complete data that a restore can use now or once another flow lets go of it: normal or
 * exported (2, 4), or held by another flow (Status 1, or Locked 1) when it has an EndTime. A hold is what an in-place
 * restore or a clone of the same backup puts on it while it runs; the resources wait it out (InstanceRestore before
 * RestoreInstance, RestoredInstance by calling CloneInstances again), so a selector keeps such a backup as a
 * candidate rather than falling back to an older one. The SDK's model does not say whether a backup still being taken
 * shows as held too; one without an end time ("0000-00-00 00:00:00" or none) is therefore never chosen.
 */
function holdsCompleteData(b: RedisBackup, ended: boolean): boolean {
    const status = Number(b.Status);
    if (RESTORABLE.includes(status)) return b.Locked !== 1 || ended;
    return status === 1 && ended;
}

/** One DescribeInstanceBackups record in the shared shape: its time is its EndTime (Beijing time), else StartTime. */
export function redisRecord(b: RedisBackup): BackupRecord {
    const end = parseBeijingTime(b.EndTime);
    return {
        id: b.BackupId,
        time: end ?? parseBeijingTime(b.StartTime) ?? NaN,
        status: String(b.Status),
        complete: holdsCompleteData(b, end !== undefined),
        type: b.BackupType === undefined ? undefined : String(b.BackupType),
        source: b.InstanceId,
    };
}

/** Every backup of an instance, as records. */
export async function listRedisBackups(client: RedisClient, instanceId: string): Promise<BackupRecord[]> {
    return (await client.listBackups(instanceId))
        .filter((b) => !b.InstanceId || b.InstanceId === instanceId)
        .map(redisRecord);
}

/** Lists an instance's backups with filters, newest first (the lookup function `getBackups`). */
export async function findRedisBackups(
    client: RedisClient,
    instanceId: string,
    f: ListFilters,
    now: number,
): Promise<BackupRecord[]> {
    return filterBackups(await listRedisBackups(client, instanceId), f, now);
}

/** What {@link resolveBackup} needs. */
export interface RedisBackupQuery {
    instanceId: string;
    backupId?: string;
    selector?: BackupSelector;
    region: string;
    now: number;
}

/**
 * The backup a restore uses: the explicit `backupId` (it must exist among the instance's backups and not be expired;
 * locks are waited out by the resource), or the latest complete backup matching the selector (normal, exported, or
 * ended and held by another flow, which the resource then waits out). Read-only.
 */
export async function resolveBackup(client: RedisClient, q: RedisBackupQuery): Promise<ResolvedBackup> {
    if (q.backupId) {
        const b = await client.findBackup(q.instanceId, q.backupId);
        if (!b)
            throw new Error(
                `backupId: backup ${q.backupId} is not among the backups of instance ${q.instanceId} ` +
                    `in region ${q.region}`,
            );
        const r = redisRecord(b);
        // Locked (1) or being exported (3): complete data, busy for now; the resource waits for it.
        if (b.Status === 1 || b.Status === 3)
            return {
                backupId: r.id,
                backupTime: utcIso(r.time),
                status: r.status,
            };
        return requireComplete(r, "backupId", REDIS_BACKUP_STATUS[b.Status] ?? "not a restorable status");
    }
    const source = q.selector?.source ?? q.instanceId;
    const records = await listRedisBackups(client, source);
    return chooseLatest(
        records,
        q.selector ?? {},
        { source: `instance ${source}`, where: `region ${q.region}` },
        q.now,
    );
}
