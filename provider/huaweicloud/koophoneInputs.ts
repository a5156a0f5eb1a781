import { checkTriggers } from "../core/backupSelection";
import { Checker, CheckFailure, Timeouts, clean, isUnknownValue } from "../core/validate";

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

/** Properties a user may set. */
export const INPUT_KEYS = ["restoreToken", "instanceIds", "userId", "restoreOnDelete", "triggers", "timeouts"] as const;
/**
 * Inputs that hold secrets: the resource class marks them secret (state keeps them encrypted) and the provider
 * registers their values for redaction in every call (see `ProviderBase`).
 */
export const SECRET_INPUTS: readonly string[] = [];

/** Output-only properties. */
export const OUTPUT_KEYS = ["instances", "plan"] as const;

/**
 * Instance ids: at most 32 characters (vendor limit); letters, digits, '-', '_' and '.', starting with a letter or
 * digit (so that neither "." nor ".." nor an option-like "-x" gets through).
 */
export const INSTANCE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
/** User ids: at most 32 characters (vendor limit), e.g. `1008600000104285462`; the same characters as instance ids. */
export const USER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

/** Most phones one `InstanceBackup` holds: a sane bound, documented in docs/huaweicloud.md (ten batches of 100). */
export const MAX_INSTANCES = 1000;

/** Validates and normalises `InstanceBackup` inputs, offline. */
export function checkInstanceBackup(news: Record<string, unknown>): {
    inputs: InstanceBackupInputs;
    failures: CheckFailure[];
} {
    const c = new Checker(news);
    c.unknownKeys([...INPUT_KEYS, ...OUTPUT_KEYS], INPUT_KEYS);
    const restoreToken = c.string("restoreToken", {
        required: true,
        pattern: /^prt-[0-9a-f]{20}$/,
        format: "set by the resource class (prt- and 20 hex digits)",
    });
    const seen = new Map<string, number>();
    const instanceIds = c.list<string>(
        "instanceIds",
        (path, v) => {
            const id = c.stringValue(path, v, {
                required: true,
                maxLength: 32,
                pattern: INSTANCE_ID,
                format: "an instance id of 1 to 32 letters, digits, '-', '_' or '.', starting with a letter or digit",
            });
            if (id === undefined || isUnknownValue(id)) return id;
            const i = Number(/\[(\d+)\]$/.exec(path)?.[1]);
            const first = seen.get(id);
            if (first !== undefined) {
                c.fail(
                    path,
                    `"${id}" is listed twice (also instanceIds[${first}]); each instance must appear only once`,
                );
                return undefined;
            }
            seen.set(id, i);
            return id;
        },
        // A sane bound (the provider sends them in batches of 100, the vendor's limit): one resource, one batch job.
        { required: true, minItems: 1, maxItems: MAX_INSTANCES },
    );
    const restoreOnDelete = c.boolean("restoreOnDelete", { default: true });
    const userId = c.string("userId", {
        pattern: USER_ID,
        maxLength: 32,
        format: 'a KooPhone user id of 1 to 32 letters, digits, "-", "_" or ".", starting with a letter or digit, e.g. "1008600000104285462"',
    });
    if (restoreOnDelete === true && news.userId === undefined && !c.failures.some((f) => f.property === "userId")) {
        c.fail(
            "userId",
            "required while restoreOnDelete is true (the default): BatchPrepareInstances needs the user to restore the instances to; or set restoreOnDelete: false to leave instances parked",
        );
    }
    const triggers = checkTriggers(c);
    const timeouts = c.timeouts();
    const inputs: InstanceBackupInputs = clean({
        restoreToken: restoreToken as string,
        instanceIds: instanceIds as string[],
        userId,
        restoreOnDelete: restoreOnDelete ?? true,
        triggers,
        timeouts,
    });
    return { inputs, failures: c.failures };
}
