import { Plan, PreviewChoice, choiceText, planText, selectorText, shown } from "../core/plan";
import { isUnknown } from "../core/validate";
import { RdsRestoreInputs, rdsSelector } from "./rdsInputs";

/**
 * The plan of `jdcloud.rds.RestoredInstance` in plain words (see ../core/plan): a new instance from a backup, how it is
 * billed, and what delete (and so a replacement) does to it.
 */

/** "backup bk-1" or "the latest complete backup of instance mysql-1 (at most 2d old)". */
export function rdsBackupText(i: Pick<RdsRestoreInputs, "backupId" | "backupSelector">): string {
    if (i.backupId) return `backup ${shown(i.backupId)}`;
    const sel = rdsSelector(i.backupSelector);
    if (!sel || isUnknown(i.backupSelector)) return "the backup the selector chooses at up";
    return selectorText(sel, `instance ${shown(sel.source)}`);
}

/** How the instance is billed, in words. */
function billing(i: RdsRestoreInputs): string {
    const c = i.instanceSpec?.chargeSpec;
    if (!c || isUnknown(c.chargeMode)) return "billing known at up";
    if (c.chargeMode === "prepaid_by_duration")
        return `prepaid for ${shown(c.chargeDuration)} ${shown(c.chargeUnit ?? "month")}(s)`;
    if (c.chargeMode === "postpaid_by_usage") return "pay-per-use";
    return "pay-as-you-go";
}

function prepaid(i: RdsRestoreInputs): boolean {
    return i.instanceSpec?.chargeSpec?.chargeMode === "prepaid_by_duration";
}

/** What delete does to the instance (a replacement deletes the old one too). */
function onDelete(i: RdsRestoreInputs): string {
    if (prepaid(i))
        return "a prepaid instance cannot be deleted by API: the delete fails with instructions (or use retainOnDelete)";
    return "deletes the instance, erasing its data";
}

/** The plan; `choice` is the selector's choice at preview, when one was looked up. */
export function rdsPlan(i: RdsRestoreInputs, choice?: PreviewChoice): Plan {
    if (i.adoptId) {
        return planText({
            does: `takes over the existing instance ${shown(i.adoptId)} in ${shown(i.regionId)}; restores nothing, overwrites nothing`,
            onDelete: onDelete(i),
        });
    }
    const s = i.instanceSpec;
    const size = s ? ` (${shown(s.instanceClass)}, ${shown(s.instanceStorageGB)} GB, ${billing(i)})` : "";
    const name = s?.instanceName ? ` "${shown(s.instanceName)}"` : "";
    return planText({
        does: `creates a new ${shown(i.engine)} instance${name}${size} in ${shown(i.regionId)}; overwrites nothing`,
        backup: rdsBackupText(i),
        asOfPreview: choice && choiceText(choice),
        onReplace: `restores a new instance, then ${onDelete(i).replace(/^deletes the instance/, "deletes the old one")}`,
        onDelete: onDelete(i),
    });
}
