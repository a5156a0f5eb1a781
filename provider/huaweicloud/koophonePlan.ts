import { listed, planText, shown } from "../core/plan";
import { isUnknown } from "../core/validate";
import { InstanceBackupInputs } from "./koophoneInputs";

/**
 * The plan of `huaweicloud.koophone.InstanceBackup` in plain words (see ../core/plan): the phones are backed up to OBS
 * and their hardware released (they are unusable until brought back); what a change of the list and delete do.
 */

function phones(n: number): string {
    return n === 1 ? "1 phone" : `${n} phones`;
}

/** How the phones come back, for delete and for a phone taken off the list. */
function bringBack(i: InstanceBackupInputs): string {
    if (i.restoreOnDelete === false) return "leaves them backed up in OBS, without hardware (restoreOnDelete: false)";
    return `brings them back onto hardware for user ${shown(i.userId)} (BatchPrepareInstances)`;
}

/** The plan text; `olds` are the old inputs (empty for a create): a changed list says which phones move. */
export function koophonePlan(i: InstanceBackupInputs, olds: Record<string, unknown>): string {
    const ids = i.instanceIds;
    if (isUnknown(ids))
        return planText([
            "backs up the phones listed (known at up) to OBS, then releases their hardware: they cannot be used until brought back",
            `on delete: ${bringBack(i)}`,
        ]);
    const before = Array.isArray(olds.instanceIds) ? (olds.instanceIds as string[]) : undefined;
    const first = `backs up ${phones(ids.length)} (${listed(ids)}) to OBS, then releases their hardware: they cannot be used until brought back`;
    const change: string[] = [];
    if (before) {
        const added = ids.filter((x) => !before.includes(x));
        const removed = before.filter((x) => !ids.includes(x));
        if (added.length > 0) change.push(`backs up and releases ${phones(added.length)} more (${listed(added)})`);
        if (removed.length > 0) {
            const how =
                i.restoreOnDelete === false
                    ? "leaves them backed up in OBS"
                    : `brings them back onto hardware for user ${shown(i.userId)}`;
            change.push(`takes ${phones(removed.length)} off the list (${listed(removed)}) and ${how}`);
        }
    }
    return planText([
        first,
        change.length > 0 && `this change: ${change.join(", and ")}`,
        "on a triggers change: brings them all back, then backs them up anew",
        `on delete: ${bringBack(i)}`,
    ]);
}
