import { Checker, CheckFailure, Timeouts, clean, isUnknownValue } from "../core/validate";
import { checkProps, inputKeys, secretKeys } from "../core/props";
import { INSTANCE_BACKUP_PROPS, INSTANCE_ID } from "./koophoneProps";

export { INSTANCE_ID, MAX_INSTANCES, USER_ID } from "./koophoneProps";

/** Normalised inputs of `InstanceBackup`, as check() returns them. */
export interface InstanceBackupInputs {
    restoreToken: string;
    instanceIds: string[];
    userId?: string;
    restoreOnDelete: boolean;
    /** Any change backs the instances up again: they are brought back (delete), then backed up anew (create). */
    triggers?: Record<string, unknown>;
    timeouts?: Timeouts;
}

/** What the resource reports about one instance. */
export interface InstanceRecord {
    instanceId: string;
    /** `success`, `backing up`, or `failed` (failed ones appear only in a partial state and are not in `instanceIds`). */
    backupStatus: string;
    /** The vendor's backup time, when reported. */
    backupTime?: string;
    /** The BatchBackupInstances task that backed it up (absent when it was found already backed up). */
    taskId?: string;
    /** The per-instance job of that task, when reported. */
    jobId?: string;
    /** For failed backups: the vendor's error code and message. */
    errorCode?: string;
    errorMessage?: string;
}

/** Outputs: the inputs, with `instanceIds` narrowed to the instances this resource holds parked, and per-instance records. */
export interface InstanceBackupOutputs extends InstanceBackupInputs {
    instances: InstanceRecord[];
}

/** Properties a user may set (and the restore token the class sets): the table's. */
export const INPUT_KEYS: readonly string[] = inputKeys(INSTANCE_BACKUP_PROPS);
/**
 * Inputs that hold secrets: the resource class marks them secret (state keeps them encrypted) and the provider
 * registers their values for redaction in every call (see `ProviderBase`).
 */
export const SECRET_INPUTS: readonly string[] = secretKeys(INSTANCE_BACKUP_PROPS);

/** Output-only properties. */
export const OUTPUT_KEYS = ["instances", "plan"] as const;

/** Validates and normalises `InstanceBackup` inputs, offline. */
export function checkInstanceBackup(news: Record<string, unknown>): {
    inputs: InstanceBackupInputs;
    failures: CheckFailure[];
} {
    const c = new Checker(news);
    c.unknownKeys([...INPUT_KEYS, ...OUTPUT_KEYS], INPUT_KEYS);
    const v = checkProps(c, INSTANCE_BACKUP_PROPS);
    const instanceIds = Array.isArray(v.instanceIds) ? uniqueIds(c, news.instanceIds as unknown[]) : v.instanceIds;
    if (v.restoreOnDelete === true && news.userId === undefined && !c.failures.some((f) => f.property === "userId")) {
        c.fail(
            "userId",
            "required while restoreOnDelete is true (the default): BatchPrepareInstances needs the user to restore the instances to; or set restoreOnDelete: false to leave instances parked",
        );
    }
    const inputs: InstanceBackupInputs = clean({
        ...v,
        restoreToken: v.restoreToken as string,
        instanceIds: instanceIds as string[],
        restoreOnDelete: v.restoreOnDelete ?? true,
    });
    return { inputs, failures: c.failures };
}

/** The valid ids of the list, each once; an id listed again fails where it is listed again. */
function uniqueIds(c: Checker, ids: unknown[]): string[] {
    const seen = new Map<string, number>();
    const out: string[] = [];
    ids.forEach((id, i) => {
        if (typeof id !== "string" || isUnknownValue(id) || id.length > 32 || !INSTANCE_ID.test(id)) {
            if (isUnknownValue(id)) out.push(id as string);
            return;
        }
        const first = seen.get(id);
        if (first !== undefined) {
            c.fail(
                `instanceIds[${i}]`,
                `"${id}" is listed twice (also instanceIds[${first}]); each instance must appear only once`,
            );
            return;
        }
        seen.set(id, i);
        out.push(id);
    });
    return out;
}
