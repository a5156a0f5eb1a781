import {
    BackupRecord,
    BackupSelector,
    ResolvedBackup,
    SelectorSpec,
    chooseLatest,
    requireComplete,
} from "../core/backupSelection";
import { VolumeBackup, ZStackVmClient } from "./vmClient";

/**
 * A VM backup group is the set of volume backups (QueryVolumeBackup, `GET /zstack/v1/volume-backups`) that share a
 * `groupUuid`; each carries the VM's `vmInstanceUuid`, its `status` and `createDate` (docs/zstack.md). A group is
 * complete when every volume backup in it is `Ready`.
 */
export const ZSTACK_READY = "Ready";

/** The selector of `VmFromBackup.backupSelector`: the VM whose backup groups are searched, and optional filters. */
export const ZSTACK_SELECTOR: SelectorSpec = {
    sourceKey: "vmUuid",
    sourcePattern: /^[0-9a-f]{32}$/,
    sourceFormat: "a VM uuid: 32 lower-case hex characters (the VM whose backup groups are searched)",
    sourceRequired: true,
    // VolumeBackupInventory.mode.
    types: ["Full", "Incremental"],
};

/**
 * ZStack dates ("Nov 14, 2017 10:20:57 PM") carry no zone: they are the management node's local time, read here in the
 * local time of the machine running Pulumi (set TZ to the node's zone if they differ). ISO text is read as such.
 */
export function parseZStackDate(s: string | undefined): number {
    if (!s) return NaN;
    return Date.parse(s);
}

/** The groups among volume backups, one record per groupUuid. */
export function groupRecords(backups: VolumeBackup[]): BackupRecord[] {
    const groups = new Map<string, VolumeBackup[]>();
    for (const b of backups) {
        if (!b || typeof b.groupUuid !== "string" || !b.groupUuid) continue;
        groups.set(b.groupUuid, [...(groups.get(b.groupUuid) ?? []), b]);
    }
    return [...groups.entries()].map(([id, members]) => {
        const notReady = members.find((m) => m.status !== ZSTACK_READY);
        const times = members.map((m) => parseZStackDate(m.createDate)).filter((t) => !Number.isNaN(t));
        const root = members.find((m) => m.type === "Root") ?? members[0];
        return {
            id,
            time: times.length ? Math.max(...times) : NaN,
            // The group's status: Ready when all are; else the first other status seen, naming the volume backup.
            status: notReady ? `${notReady.status ?? "unknown"} (volume backup ${notReady.uuid})` : ZSTACK_READY,
            complete: !notReady,
            type: root.mode,
            source: root.vmInstanceUuid,
        };
    });
}

/** Every backup group of a VM (all pages). */
export async function listZStackBackups(client: ZStackVmClient, vmUuid: string): Promise<BackupRecord[]> {
    return groupRecords(
        (await client.queryVolumeBackups(`vmInstanceUuid=${vmUuid}`)).filter((b) => b.vmInstanceUuid === vmUuid),
    );
}

/** What {@link resolveBackup} needs; `where` names the management node in messages. */
export interface ZStackBackupQuery {
    backupGroupUuid?: string;
    selector?: BackupSelector;
    where: string;
    now: number;
}

/**
 * The backup group a VM is created from: the explicit `backupGroupUuid` (its volume backups must all be Ready), or the
 * latest complete group of the selector's VM. Throws, naming the input and ZStack's status. Read-only.
 */
export async function resolveBackup(client: ZStackVmClient, q: ZStackBackupQuery): Promise<ResolvedBackup> {
    if (q.backupGroupUuid) {
        const members = (await client.queryVolumeBackups(`groupUuid=${q.backupGroupUuid}`)).filter(
            (b) => b.groupUuid === q.backupGroupUuid,
        );
        if (members.length === 0)
            throw new Error(
                `backupGroupUuid: no volume backups of backup group ${q.backupGroupUuid} were found on ${q.where}; ` +
                    "check the uuid (QueryVolumeBackup groupUuid=...)",
            );
        return requireComplete(groupRecords(members)[0], "backupGroupUuid");
    }
    const sel = q.selector;
    if (!sel?.source)
        throw new Error("backupSelector.vmUuid: required (the VM whose latest complete backup group is restored)");
    const records = await listZStackBackups(client, sel.source);
    return chooseLatest(records, sel, { source: `VM ${sel.source}`, where: q.where }, q.now);
}
