import { Plan, PreviewChoice, choiceText, planText, selectorText, shown } from "../core/plan";
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

/** The plan; `choice` is the selector's choice at preview, when one was looked up. */
export function redisPlan(i: InstanceRestoreInputs, region: string, choice?: PreviewChoice): Plan {
    return planText({
        does: `overwrites all data of Redis instance ${shown(i.instanceId)} in ${shown(region)}: writes made since the backup are lost`,
        backup: backupText(i),
        asOfPreview: choice && choiceText(choice),
        onReplace: "restores again, overwriting the data again (a new backup, selector or triggers)",
        onDelete:
            "nothing is undone (Tencent Cloud cannot undo a restore): the data stays overwritten; only the state goes",
    });
}
