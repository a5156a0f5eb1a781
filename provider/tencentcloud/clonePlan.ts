import { Plan, PreviewChoice, choiceText, planText, selectorText, shown } from "../core/plan";
import { isUnknown } from "../core/validate";
import { CloneInputs, cloneSelector } from "./cloneInputs";

/**
 * The plan of `tencentcloud.redis.RestoredInstance` in plain words (see ../core/plan): a new instance from a backup of
 * a source instance (CloneInstances); the source is never written to.
 */

/** "backup 6783… of crs-1" or "the latest normal backup of instance crs-1 (at most 2d old)". */
export function cloneBackupText(i: Pick<CloneInputs, "backupId" | "backupSelector" | "sourceInstanceId">): string {
    if (i.backupId) return `backup ${shown(i.backupId)} of instance ${shown(i.sourceInstanceId)}`;
    const sel = isUnknown(i.backupSelector) ? undefined : cloneSelector(i as CloneInputs);
    if (!sel) return "the backup the selector chooses at up";
    return selectorText(sel, `instance ${shown(sel.source ?? i.sourceInstanceId)}`);
}

/** What delete does to the new instance (a replacement deletes the old one too). */
function onDelete(i: CloneInputs): string {
    if (i.billingMode === "prepaid")
        return "a prepaid instance is not returned by pulumi-restore: the delete fails with instructions (or use retainOnDelete)";
    return "releases the new instance, erasing its data; the source instance is untouched";
}

/** The plan; `choice` is the selector's choice at preview, when one was looked up. */
export function clonePlan(i: CloneInputs, choice?: PreviewChoice): Plan {
    const where = `in ${shown(i.region)}`;
    if (i.adoptId) {
        return planText({
            does: `takes over the existing Redis instance ${shown(i.adoptId)} ${where}; restores nothing, overwrites nothing`,
            onDelete: onDelete(i),
        });
    }
    const billing = isUnknown(i.billingMode)
        ? "Redis instance (billing known at up)"
        : `${i.billingMode} Redis instance`;
    return planText({
        does: `creates a new ${billing} "${shown(i.instanceName)}" ${where} from a backup of ${shown(i.sourceInstanceId)}; the source is not written to`,
        backup: cloneBackupText(i),
        asOfPreview: choice && choiceText(choice),
        onReplace: `clones a new instance, then ${onDelete(i).replace(/^releases the new instance/, "releases the old one")}`,
        onDelete: onDelete(i),
    });
}
