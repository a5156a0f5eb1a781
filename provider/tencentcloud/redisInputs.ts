import {
    BackupSelector,
    checkBackupSelector,
    checkIdOrSelector,
    checkTriggers,
    selectorForState,
    selectorFromState,
} from "../core/backupSelection";
import { Checker, CheckFailure, Timeouts, clean, isUnknownValue } from "../core/validate";
import { REDIS_SELECTOR } from "./redisBackups";

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

/** Properties a user may set. */
export const INPUT_KEYS = [
    "restoreToken",
    "instanceId",
    "backupId",
    "backupSelector",
    "password",
    "region",
    "triggers",
    "timeouts",
    "adoptTaskId",
    "ignoreTaskIds",
] as const;
/**
 * Inputs that hold secrets: the resource class marks them secret (state keeps them encrypted) and the provider
 * registers their values for redaction in every call (see `ProviderBase`).
 */
export const SECRET_INPUTS: readonly string[] = ["password"];

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

/** Redis instance ids: `crs-` and 8 lower-case letters or digits (e.g. `crs-5a4py64p`). */
export const INSTANCE_ID = /^crs-[a-z0-9]{8}$/;
/**
 * Backup ids are opaque (the vendor example is `678362566696298532848117`; others carry dashes): letters, digits,
 * `-` and `_` only, so nothing that could change a path, a URL or a query can get through.
 */
export const BACKUP_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
/** Region ids such as `ap-guangzhou`, `na-siliconvalley`, `ap-shanghai-fsi`. */
export const REGION = /^[a-z]{2,4}-[a-z0-9]+(-[a-z0-9]+)*$/;

/** Validates and normalises `InstanceRestore` inputs, offline. */
export function checkInstanceRestore(news: Record<string, unknown>): {
    inputs: InstanceRestoreInputs;
    failures: CheckFailure[];
} {
    const c = new Checker(news);
    c.unknownKeys([...INPUT_KEYS, ...OUTPUT_KEYS], INPUT_KEYS);
    const restoreToken = c.string("restoreToken", {
        required: true,
        pattern: /^prt-[0-9a-f]{20}$/,
        format: "set by the resource class (prt- and 20 hex digits)",
    });
    const instanceId = c.string("instanceId", {
        required: true,
        pattern: INSTANCE_ID,
        format: 'a Redis instance id such as "crs-5a4py64p" (crs- and 8 lower-case letters or digits)',
    });
    const backupId = c.string("backupId", {
        maxLength: 128,
        pattern: BACKUP_ID,
        format: 'a backup id such as "678362566696298532848117" (letters, digits, "-" and "_"; no "/", ".", "?", "&", "#", "%", spaces or other path or URL characters)',
    });
    const sel = checkBackupSelector(c, REDIS_SELECTOR);
    checkIdOrSelector(c, "backupId", news.backupId, news.backupSelector);
    if (
        sel &&
        !isUnknownValue(sel) &&
        sel.source &&
        !isUnknownValue(sel.source) &&
        instanceId &&
        !isUnknownValue(instanceId) &&
        sel.source !== instanceId
    ) {
        c.fail(
            "backupSelector.instanceId",
            `must be the restored instance ${instanceId} (or left out): an instance can only be restored from its own backups, got ${sel.source}`,
        );
    }
    const backupSelector = selectorForState(sel, REDIS_SELECTOR);
    // The API accepts any password the instance has; only emptiness, control characters (C0 and C1) and unpaired
    // surrogates (which UTF-8 cannot carry: another password would be sent) are knowable offline.
    const password = c.secret("password", {
        maxLength: 256,
        pattern: /^[^\p{Cc}\p{Cs}]+$/u,
        format: "at most 256 characters without control characters",
    });
    const region = c.string("region", {
        maxLength: 32,
        pattern: REGION,
        format: 'a region id such as "ap-guangzhou" or "ap-shanghai-fsi"',
    });
    const triggers = checkTriggers(c);
    const timeouts = c.timeouts();
    const adoptTaskId = taskIdInput(c, "adoptTaskId", news.adoptTaskId);
    let ignoreTaskIds: number[] | undefined;
    if (news.ignoreTaskIds !== undefined && news.ignoreTaskIds !== null && !isUnknownValue(news.ignoreTaskIds)) {
        if (!Array.isArray(news.ignoreTaskIds) || news.ignoreTaskIds.length > 100) {
            c.fail("ignoreTaskIds", "must be a list of at most 100 restore task ids (positive integers)");
        } else {
            const ids = news.ignoreTaskIds.map((v, i) => taskIdInput(c, `ignoreTaskIds[${i}]`, v));
            if (ids.every((v) => typeof v === "number")) ignoreTaskIds = ids as number[];
        }
    }
    const inputs: InstanceRestoreInputs = clean({
        restoreToken: restoreToken as string,
        instanceId: instanceId as string,
        backupId,
        backupSelector: backupSelector as Record<string, string> | undefined,
        password,
        region,
        triggers,
        timeouts,
        adoptTaskId,
        ignoreTaskIds,
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
