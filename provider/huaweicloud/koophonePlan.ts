import { Plan, listed, planText, shown } from "../core/plan";
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

/** The plan; `olds` are the old inputs (empty for a create): a changed list says which phones move. */
export function koophonePlan(i: InstanceBackupInputs, olds: Record<string, unknown>): Plan {
    const ids = i.instanceIds;
    const onDelete = bringBack(i);
    if (isUnknown(ids))
        return planText({
            does: "backs up the phones listed (known at up) to OBS and releases their hardware: unusable until brought back",
            onDelete,
        });
    const before = Array.isArray(olds.instanceIds) ? (olds.instanceIds as string[]) : undefined;
    const change: string[] = [];
    if (before) {
        const added = ids.filter((x) => !before.includes(x));
        const removed = before.filter((x) => !ids.includes(x));
        if (added.length > 0) change.push(`backs up and releases ${phones(added.length)} more (${listed(added)})`);
        if (removed.length > 0) {
            const how =
                i.restoreOnDelete === false ? "leaves them in OBS" : `brings them back for user ${shown(i.userId)}`;
            change.push(`takes ${phones(removed.length)} off (${listed(removed)}) and ${how}`);
        }
    }
    return planText({
        does: `releases ${phones(ids.length)} after backing them up to OBS (${listed(ids)}): unusable until brought back`,
        thisChange: change.length > 0 && change.join("; "),
        onTriggers: "brings them all back, then backs them up and releases them anew",
        onDelete,
    });
}
