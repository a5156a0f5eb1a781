import { Plan, PreviewChoice, choiceText, planText, selectorText, shown } from "../core/plan";
import { isUnknown } from "../core/validate";
import { RestoredInstanceInputs, starRocksSelector } from "./starrocksInputs";

/**
 * The plan of `alicloud.starrocks.RestoredInstance` in plain words (see ../core/plan): what create does, where, from
 * which backup, and what delete (and so a replacement) does to the instance.
 */

/** "backup task bk-1" or "the latest complete backup of instance c-1 (at most 2d old)". */
export function starRocksBackupText(i: Pick<RestoredInstanceInputs, "backupTaskId" | "backupSelector">): string {
    if (i.backupTaskId) return `backup task ${shown(i.backupTaskId)}`;
    const sel = starRocksSelector(i.backupSelector);
    if (!sel || isUnknown(i.backupSelector)) return "the backup the selector chooses at up";
    return selectorText(sel, `instance ${shown(sel.source)}`);
}

/** How the instance is billed, in words. */
function billing(i: RestoredInstanceInputs): string {
    if (isUnknown(i.payType)) return "StarRocks instance (billing known at up)";
    if (i.payType !== "prePaid") return "pay-as-you-go StarRocks instance";
    const renew = i.autoRenew ? ", renewed automatically" : "";
    return `subscription (prePaid, ${shown(i.duration)} ${shown(i.pricingCycle)}${renew}) StarRocks instance`;
}

/** What delete does to the instance (a replacement deletes the old one too). */
function onDelete(i: RestoredInstanceInputs): string {
    if (i.payType === "prePaid")
        return "a subscription instance cannot be released by API: the delete fails with instructions (or use retainOnDelete)";
    return "releases the instance, erasing its data";
}

/** The plan; `choice` is the selector's choice at preview, when one was looked up. */
export function starRocksPlan(i: RestoredInstanceInputs, region: string | undefined, choice?: PreviewChoice): Plan {
    const where = region ? `in ${shown(region)}` : "in the configured region";
    if (i.adoptId) {
        return planText({
            does: `takes over the existing instance ${shown(i.adoptId)} ${where}; restores nothing, overwrites nothing`,
            onDelete: onDelete(i),
        });
    }
    const name = i.instanceName ? ` "${shown(i.instanceName)}"` : "";
    return planText({
        does: `creates a new ${billing(i)}${name} ${where}; overwrites nothing`,
        backup: starRocksBackupText(i),
        asOfPreview: choice && choiceText(choice),
        onReplace: `restores a new instance, then ${onDelete(i).replace(/^releases the instance/, "releases the old one")}`,
        onDelete: onDelete(i),
    });
}
