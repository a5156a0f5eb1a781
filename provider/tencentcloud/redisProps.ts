import { RESTORE_TOKEN_PROP, propTable } from "../core/props";
import { REDIS_SELECTOR } from "./redisBackups";

/** Redis instance ids: `crs-` and 8 lower-case letters or digits (e.g. `crs-5a4py64p`). */
export const INSTANCE_ID = /^crs-[a-z0-9]{8}$/;
/**
 * Backup ids are opaque (the vendor example is `678362566696298532848117`; others carry dashes): letters, digits,
 * `-` and `_` only, so nothing that could change a path, a URL or a query can get through.
 */
export const BACKUP_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
/** Region ids such as `ap-guangzhou`, `na-siliconvalley`, `ap-shanghai-fsi`. */
export const REGION = /^[a-z]{2,4}-[a-z0-9]+(-[a-z0-9]+)*$/;

/** The fields of `backupSelector` (checked by the shared selector check with {@link REDIS_SELECTOR}). */
export const REDIS_SELECTOR_FIELDS = propTable({
    /** The instance whose backups are searched: only the restored instance itself (the default) is allowed. */
    instanceId: { type: { kind: "string" } },
    /** `"0"` manual, `"1"` automatic (nightly) or `"2"` (taken by a configuration change) backups only. */
    backupType: { type: { kind: "enum", values: ["0", "1", "2"] } },
    /** Only backups taken at or after this time (ISO 8601 with a zone). */
    after: { type: { kind: "string" } },
    /** Only backups taken at or before this time (ISO 8601 with a zone). */
    before: { type: { kind: "string" } },
    /** Refuse (fail before restoring) when the latest normal backup is older than this, e.g. "24h". */
    maxAge: { type: { kind: "string" } },
});

/** The fields of `timeouts`. */
export const REDIS_TIMEOUT_FIELDS = propTable({
    /** Checks, waiting out locks, the restore task until `succeed`. Default "1h". */
    create: { type: { kind: "string" } },
    /** Resuming the wait for a task after an interrupted create. Default "1h". */
    update: { type: { kind: "string" } },
    /** Unused (delete only removes the resource from the stack); accepted for symmetry. Default "5m". */
    delete: { type: { kind: "string" } },
});

/**
 * The properties of `tencentcloud.redis.InstanceRestore`. Field names follow the vendor page RestoreInstance
 * (API 2018-04-12; https://console.cloud.tencent.com/api/explorer?Product=redis&Version=2018-04-12&Action=RestoreInstance).
 */
export const INSTANCE_RESTORE_PROPS = propTable({
    /** The restore token (project, stack and resource name), set by the resource class. */
    restoreToken: RESTORE_TOKEN_PROP,
    /** The Redis instance to overwrite, e.g. `crs-5a4py64p`. Required. Changing it restores again (replace). */
    instanceId: {
        type: {
            kind: "string",
            pattern: INSTANCE_ID,
            format: 'a Redis instance id such as "crs-5a4py64p" (crs- and 8 lower-case letters or digits)',
        },
        required: true,
        replaces: true,
    },
    /**
     * One of that instance's own backups, e.g. `678362566696298532848117` (DescribeInstanceBackups / the console's
     * backup list). Set this or `backupSelector`. Changing it restores again (replace).
     */
    backupId: {
        type: {
            kind: "string",
            maxLength: 128,
            pattern: BACKUP_ID,
            format: 'a backup id such as "678362566696298532848117" (letters, digits, "-" and "_"; no "/", ".", "?", "&", "#", "%", spaces or other path or URL characters)',
        },
        replaces: true,
    },
    /**
     * Instead of `backupId`: restore the instance's latest normal backup (status 2 or 4, or held by another flow and
     * then waited for), chosen at create (output `selectedBackupId`). A newer backup later changes nothing; change
     * `triggers` to restore again from the newest.
     */
    backupSelector: {
        type: {
            kind: "selector",
            spec: REDIS_SELECTOR,
            name: "BackupSelector",
            doc: '"The latest normal backup of the instance", resolved once at create.',
            fields: REDIS_SELECTOR_FIELDS,
        },
        replaces: true,
    },
    /**
     * The instance's password, checked by the API at restore time. Not needed for password-free instances. Secret in
     * state. Changing it only updates state: it is used the next time a restore runs.
     */
    password: {
        // The API accepts any password the instance has; only emptiness, control characters (C0 and C1) and unpaired
        // surrogates (which UTF-8 cannot carry: another password would be sent) are knowable offline.
        type: {
            kind: "string",
            maxLength: 256,
            pattern: /^[^\p{Cc}\p{Cs}]+$/u,
            format: "at most 256 characters without control characters",
        },
        secret: true,
    },
    /** Region, e.g. `ap-guangzhou`. Default: `tencentcloud:region`, then TENCENTCLOUD_REGION, then `ap-guangzhou`. */
    region: {
        type: {
            kind: "string",
            maxLength: 32,
            pattern: REGION,
            format: 'a region id such as "ap-guangzhou" or "ap-shanghai-fsi"',
        },
        defaultText: "`tencentcloud:region`, then `TENCENTCLOUD_REGION`, then `ap-guangzhou`",
        replaces: true,
    },
    /** Arbitrary values; any change restores again (e.g. `{ drill: "2024-06" }` to repeat a restore drill). */
    triggers: { type: { kind: "triggers" }, replaces: true },
    /** Time-outs; defaults create "1h", update "1h", delete "5m". */
    timeouts: {
        type: {
            kind: "timeouts",
            name: "Timeouts",
            doc:
                'Per-operation time-outs, as durations such as "90m" or "2h" (the dynamic-provider host ignores ' +
                "`customTimeouts`).",
            fields: REDIS_TIMEOUT_FIELDS,
        },
        defaultText: 'create "1h", update "1h", delete "5m"',
    },
    /**
     * A restore task of this instance (e.g. `6954227`) to take over as this resource's restore without restoring: set it
     * when a create refused because of a restore task nothing in the stack records, and that task is this resource's
     * (an earlier `pulumi up` killed after RestoreInstance; its log shows "RestoreInstance accepted: task N"). Only
     * used at create; removing it later changes state only.
     */
    adoptTaskId: { type: { kind: "integer", min: 1 } },
    /**
     * Restore tasks of this instance that are not this resource's (a restore started by hand, another stack's): a
     * create does not refuse because of them. Only used at create; changing it changes state only.
     */
    ignoreTaskIds: { type: { kind: "list", items: { kind: "integer", min: 1 }, maxItems: 100 } },
});
