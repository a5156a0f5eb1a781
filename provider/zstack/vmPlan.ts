import { Plan, PreviewChoice, choiceText, planText, selectorText, shown } from "../core/plan";
import { isUnknown } from "../core/validate";
import { STRATEGY_STATE, VmFromBackupInputs, zstackSelector } from "./vmInputs";

/**
 * The plan of `zstack.VmFromBackup` in plain words (see ../core/plan): a new VM from a backup group; what delete (and
 * so a replacement) does to it.
 */

/** "backup group 0a1b…" or "the latest complete backup of VM 0a1b… (at most 2d old)". */
export function zstackBackupText(i: Pick<VmFromBackupInputs, "backupGroupUuid" | "backupSelector">): string {
    if (i.backupGroupUuid) return `backup group ${shown(i.backupGroupUuid)}`;
    const sel = zstackSelector(i.backupSelector);
    if (!sel || isUnknown(i.backupSelector)) return "the backup group the selector chooses at up";
    return selectorText(sel, `VM ${shown(sel.source)}`);
}

/** What delete does to the VM (a replacement deletes the old one too). */
function onDelete(i: VmFromBackupInputs): string {
    if (i.expungeOnDelete === false)
        return "destroys the VM and leaves it in the recycle bin (recoverable until expunged)";
    return "destroys the VM and expunges it, erasing its disks";
}

/** The plan; `choice` is the selector's choice at preview, when one was looked up. */
export function vmPlan(i: VmFromBackupInputs, choice?: PreviewChoice): Plan {
    if (i.adoptId) {
        return planText({
            does: `takes over the existing VM ${shown(i.adoptId)}; restores nothing, overwrites nothing`,
            onDelete: onDelete(i),
        });
    }
    const ends = STRATEGY_STATE[i.strategy] ?? "Running";
    return planText({
        does: `creates a new VM "${shown(i.name)}", left ${ends} (strategy ${shown(i.strategy)}); touches no existing VM`,
        backup: zstackBackupText(i),
        asOfPreview: choice && choiceText(choice),
        onReplace: `creates the new VM, then ${onDelete(i).replace("the VM", "the old one")}`,
        onDelete: onDelete(i),
    });
}
