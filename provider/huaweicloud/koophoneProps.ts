import { RESTORE_TOKEN_PROP, propTable } from "../core/props";

/**
 * Instance ids: at most 32 characters (vendor limit); letters, digits, '-', '_' and '.', starting with a letter or
 * digit (so that neither "." nor ".." nor an option-like "-x" gets through).
 */
export const INSTANCE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
/** User ids: at most 32 characters (vendor limit), e.g. `1008600000104285462`; the same characters as instance ids. */
export const USER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

/** Most phones one `InstanceBackup` holds: a sane bound, documented in docs/huaweicloud.md (ten batches of 100). */
export const MAX_INSTANCES = 1000;

/** The fields of `timeouts`. */
export const KOOPHONE_TIMEOUT_FIELDS = propTable({
    /** Backing every instance up. Default "2h". */
    create: { type: { kind: "string" } },
    /** Backing up added instances and restoring removed ones. Default "2h". */
    update: { type: { kind: "string" } },
    /** Restoring every instance onto hardware. Default "2h". */
    delete: { type: { kind: "string" } },
});

/**
 * The properties of `huaweicloud.koophone.InstanceBackup`. See the vendor pages "Backing Up an Instance"
 * (BatchBackupInstances) and "Restoring Instances" (BatchPrepareInstances) of Huawei Cloud KooPhone.
 */
export const INSTANCE_BACKUP_PROPS = propTable({
    /** The restore token (project, stack and resource name), set by the resource class. */
    restoreToken: RESTORE_TOKEN_PROP,
    /**
     * The cloud phone instances to keep backed up (parked in OBS, hardware released). Unique ids of at most 32
     * characters; any number (sent in batches of at most 100). Adding an id backs it up; removing one restores it
     * (when `restoreOnDelete`). All instances must be in one region.
     */
    instanceIds: {
        type: {
            kind: "list",
            items: {
                kind: "string",
                maxLength: 32,
                pattern: INSTANCE_ID,
                format: "an instance id of 1 to 32 letters, digits, '-', '_' or '.', starting with a letter or digit",
            },
            // A sane bound (the provider sends them in batches of 100, the vendor's limit): one resource, one batch job.
            minItems: 1,
            maxItems: MAX_INSTANCES,
        },
        required: true,
    },
    /** The KooPhone user the instances are restored to (at most 32 characters). Required unless `restoreOnDelete` is false. */
    userId: {
        type: {
            kind: "string",
            pattern: USER_ID,
            maxLength: 32,
            format: 'a KooPhone user id of 1 to 32 letters, digits, "-", "_" or ".", starting with a letter or digit, e.g. "1008600000104285462"',
        },
    },
    /**
     * Whether destroying the resource (or removing an id from `instanceIds`) restores the instances onto hardware with
     * BatchPrepareInstances and waits until they run. Default true. When false, they stay backed up and only leave the stack.
     */
    restoreOnDelete: { type: { kind: "boolean" }, default: true },
    /**
     * Any change of these values backs the instances up anew (replace): they are brought back first, then backed up
     * and released again, e.g. `{ week: "2026-11-23" }`. Strings, numbers and booleans.
     */
    triggers: { type: { kind: "triggers" }, replaces: true },
    /** Time-outs; defaults create "2h", update "2h", delete "2h". */
    timeouts: {
        type: {
            kind: "timeouts",
            name: "InstanceBackupTimeouts",
            doc:
                'Per-operation time-outs, as durations such as "90m" or "2h" (the dynamic-provider host ignores ' +
                "`customTimeouts`).",
            fields: KOOPHONE_TIMEOUT_FIELDS,
        },
        defaultText: 'create "2h", update "2h", delete "2h"',
    },
});
