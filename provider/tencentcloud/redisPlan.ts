import { PreviewChoice, choiceText, planText, selectorText, shown } from "../core/plan";
import { isUnknown } from "../core/validate";
import { InstanceRestoreInputs, redisSelector } from "./redisInputs";

/**
 * The plan of `tencentcloud.redis.InstanceRestore` in plain words (see ../core/plan): the restore overwrites an
 * existing instance in place; nothing can undo it.
 */

/** "backup 6783…" or "the latest complete backup of instance crs-1 (at most 2d old)". */
function backupText(i: InstanceRestoreInputs): string {
    if (i.backupId) return `backup ${shown(i.backupId)}`;
    const sel = redisSelector(i.backupSelector);
    if (!sel || isUnknown(i.backupSelector)) return "the backup the selector chooses at up";
    return selectorText(sel, `instance ${shown(sel.source ?? i.instanceId)}`);
}

/** The plan text; `choice` is the selector's choice at preview, when one was looked up. */
export function redisPlan(i: InstanceRestoreInputs, region: string, choice?: PreviewChoice): string {
    return planText([
        `overwrites all data of Redis instance ${shown(i.instanceId)} in ${shown(region)} with ${backupText(i)}: ` +
            "every write made since that backup is lost (the instance, its address and its password stay)",
        choice && choiceText(choice),
        "on replace (a new backup, selector or triggers): restores again, overwriting the data again",
        "on delete: nothing is undone (Tencent Cloud cannot undo a restore), the data stays overwritten; only the state is removed",
    ]);
}
