import { BackupSelector, checkIdOrSelector, selectorFromState } from "../core/backupSelection";
import { Checker, CheckFailure, Timeouts, clean, isUnknownValue } from "../core/validate";
import { checkProps, inputKeys, replaceKeys, secretKeys } from "../core/props";
import { REDIS_SELECTOR } from "./redisBackups";
import { INSTANCE_RESTORE_PROPS } from "./redisProps";

export { BACKUP_ID, INSTANCE_ID, REGION } from "./redisProps";

/** Normalised inputs of `InstanceRestore`, as check() returns them and state keeps them. */
export interface InstanceRestoreInputs {
    restoreToken: string;
    instanceId: string;
    /** One backup by id; or {@link backupSelector} (exactly one of the two). */
    backupId?: string;
    /** The latest normal backup of the instance, resolved at create: `{ instanceId?, backupType?, after?, before?, maxAge? }`. */
    backupSelector?: Record<string, string>;
    password?: string;
    region?: string;
    /** Any change restores again; values are kept as given (strings, numbers, booleans). */
    triggers?: Record<string, unknown>;
    timeouts?: Timeouts;
    /**
     * A restore task of this instance to take over as this resource's restore, without calling RestoreInstance: the
     * way out when a create refused because of a restore task nothing in the stack records (see {@link ignoreTaskIds}).
     */
    adoptTaskId?: number;
    /** Restore tasks of this instance known not to be this resource's: a create does not refuse because of them. */
    ignoreTaskIds?: number[];
}

/** Outputs of `InstanceRestore`: the effective inputs plus what the cloud reports. */
export interface InstanceRestoreOutputs extends InstanceRestoreInputs {
    /** The region actually used (input, config, environment or the default). */
    region: string;
    taskId: number;
    /** The task's status as last seen (`succeed` after a successful create). */
    status: string;
    backupStartTime?: string;
    backupEndTime?: string;
    /** When the restore was seen to succeed (ISO 8601, UTC). */
    restoredAt?: string;
    /** True when the task was started by an earlier, interrupted attempt of this resource and followed, not started. */
    adopted: boolean;
    /** The backup restored: the explicit id or the one the selector chose at create. */
    selectedBackupId?: string;
    /** When that backup ended (ISO 8601, UTC), from DescribeInstanceBackups. */
    selectedBackupTime?: string;
    /** What the operation does, in plain words (set by check; see provider/core/plan). */
    plan?: Record<string, string>;
}

/** Properties a user may set (and the restore token the class sets): the table's. */
export const INPUT_KEYS: readonly string[] = inputKeys(INSTANCE_RESTORE_PROPS);
/**
 * Inputs that hold secrets: the resource class marks them secret (state keeps them encrypted) and the provider
 * registers their values for redaction in every call (see `ProviderBase`).
 */
export const SECRET_INPUTS: readonly string[] = secretKeys(INSTANCE_RESTORE_PROPS);
/** Inputs whose change means "restore again". */
export const REPLACE_KEYS: readonly string[] = replaceKeys(INSTANCE_RESTORE_PROPS);

/** Output-only properties (present in state; dropped when they come back as inputs). */
export const OUTPUT_KEYS = [
    "taskId",
    "status",
    "backupStartTime",
    "backupEndTime",
    "restoredAt",
    "adopted",
    "selectedBackupId",
    "selectedBackupTime",
    "plan",
] as const;

/** Validates and normalises `InstanceRestore` inputs, offline. */
export function checkInstanceRestore(news: Record<string, unknown>): {
    inputs: InstanceRestoreInputs;
    failures: CheckFailure[];
} {
    const c = new Checker(news);
    c.unknownKeys([...INPUT_KEYS, ...OUTPUT_KEYS], INPUT_KEYS);
    const v = checkProps(c, INSTANCE_RESTORE_PROPS, {
        // Task ids: a string of digits is accepted too, and a failure says where to find one.
        adoptTaskId: () => taskIdInput(c, "adoptTaskId", news.adoptTaskId),
        ignoreTaskIds: () => {
            const ids = news.ignoreTaskIds;
            if (ids === undefined || ids === null || isUnknownValue(ids)) return undefined;
            if (!Array.isArray(ids) || ids.length > 100) {
                c.fail("ignoreTaskIds", "must be a list of at most 100 restore task ids (positive integers)");
                return undefined;
            }
            const out = ids.map((x, i) => taskIdInput(c, `ignoreTaskIds[${i}]`, x));
            return out.every((x) => typeof x === "number") ? (out as number[]) : undefined;
        },
    });
    checkIdOrSelector(c, "backupId", news.backupId, news.backupSelector);
    // An instance can only be restored from its own backups: the selector's source is the instance, or left out.
    const { instanceId, backupSelector } = v;
    const source = backupSelector && !isUnknownValue(backupSelector) ? backupSelector.instanceId : undefined;
    if (source && !isUnknownValue(source) && instanceId && !isUnknownValue(instanceId) && source !== instanceId) {
        c.fail(
            "backupSelector.instanceId",
            `must be the restored instance ${instanceId} (or left out): an instance can only be restored from its own backups, got ${source}`,
        );
    }
    const inputs: InstanceRestoreInputs = clean({
        ...v,
        restoreToken: v.restoreToken as string,
        instanceId: instanceId as string,
    });
    return { inputs, failures: c.failures };
}

/**
 * A restore task id input: a positive integer (a string of digits is accepted and read as a number); an unknown value
 * (preview) passes as it is.
 */
function taskIdInput(c: Checker, path: string, v: unknown): number | undefined {
    if (v === undefined || v === null || v === "") return undefined;
    if (isUnknownValue(v)) return v as number;
    const n = typeof v === "string" && /^[0-9]{1,15}$/.test(v) ? Number(v) : v;
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 1) {
        c.fail(
            path,
            "must be a restore task id: a positive integer such as 6954227 (DescribeTaskList, or the console's task list)",
        );
        return undefined;
    }
    return n;
}

/** The selector in state (user's field names) as {@link BackupSelector}. */
export function redisSelector(v: unknown): BackupSelector | undefined {
    return selectorFromState(v, REDIS_SELECTOR);
}
