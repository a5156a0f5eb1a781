import { RESTORE_TOKEN_PROP, omitProps, propTable } from "../core/props";
import { DRILL_PROPS } from "../core/drillProps";
import { RDS_SELECTOR } from "./rdsBackups";

/** Engines of JD Cloud RDS (the vendor's enumeration). */
export const ENGINES = ["MySQL", "Percona", "MariaDB", "SQL Server", "PostgreSQL"] as const;
/** Billing modes of ChargeSpec. */
export const CHARGE_MODES = ["prepaid_by_duration", "postpaid_by_usage", "postpaid_by_duration"] as const;
/** Billing units of a prepaid ChargeSpec. */
export const CHARGE_UNITS = ["month", "year"] as const;
/** Availability architectures (SQL Server only): the SDK's RestoredNewDBInstanceSpec.instanceType docstring. */
export const INSTANCE_TYPES = ["standalone", "cluster", "multi-replica"] as const;
/** The ports an instance may listen on (the SDK's RestoredNewDBInstanceSpec.instancePort docstring: 1150～5999). */
export const PORT_RANGE = { min: 1150, max: 5999 } as const;
/** Storage types seen in the vendor's enumeration; others are accepted when they look like one. */
export const KNOWN_STORAGE_TYPES = ["LOCAL_SSD", "LOCAL_NVMe", "EBS_SSD"] as const;
/** Region ids such as `cn-north-1`. */
export const REGION = /^[a-z]{2}-[a-z]+-\d+$/;
/**
 * Largest `instanceStorageGB`: 65,536 GB (64 TiB). The vendor page gives no maximum (it depends on the class); this
 * sane bound is far above any RDS class and keeps nonsense (2^60, 1e300) from reaching the API, which created it.
 */
export const MAX_STORAGE_GB = 65_536;
/** Instance names: 2 to 32 letters, digits, Chinese characters, '-' or '_', starting with a letter or Chinese character. */
const NAME = /^[A-Za-z\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5_-]{1,31}$/;
/** RDS instance ids, e.g. `mysql-k2x7ab9q0w`. */
const RDS_INSTANCE_ID = /^[a-z]+-[a-z0-9]{4,40}$/;

/** The fields of `instanceSpec.chargeSpec` (the vendor's ChargeSpec). */
export const CHARGE_SPEC_FIELDS = propTable({
    /** `postpaid_by_duration` (default, pay by configuration), `postpaid_by_usage`, or `prepaid_by_duration` (subscription). */
    chargeMode: { type: { kind: "enum", values: CHARGE_MODES }, default: "postpaid_by_duration" },
    /** prepaid_by_duration only: `month` (default) or `year`. */
    chargeUnit: { type: { kind: "enum", values: CHARGE_UNITS }, defaultText: '`"month"` (prepaid)' },
    /** prepaid_by_duration only, required there: 1 to 9 months, or 1 to 3 years. */
    chargeDuration: { type: { kind: "integer", min: 1, max: 9, unit: "months" } },
});

/** The chargeSpec object type. */
const CHARGE_SPEC = {
    kind: "object",
    name: "ChargeSpec",
    doc: "Billing of the new instance (the vendor's ChargeSpec).",
    fields: CHARGE_SPEC_FIELDS,
    format: '{ chargeMode, chargeUnit?, chargeDuration? }, e.g. { chargeMode: "postpaid_by_duration" }',
    unknownField: "is not a field of chargeSpec; use chargeMode, chargeUnit, chargeDuration",
} as const;

/** The fields of `instanceSpec` (the vendor's RestoredNewDBInstanceSpec). */
export const INSTANCE_SPEC_FIELDS = propTable({
    /**
     * Name of the new instance: 2 to 32 letters, digits, Chinese characters, '-' or '_', starting with a letter or a
     * Chinese character. Default: derived from the restore token (`prt-...`), which lets an interrupted create be
     * recognised with certainty; with your own name, an earlier attempt is recognised by name, spec and creation time.
     */
    instanceName: {
        type: {
            kind: "string",
            pattern: NAME,
            format: "2 to 32 letters, digits, Chinese characters, '-' or '_', starting with a letter or Chinese character",
        },
        defaultText: "derived from the restore token",
    },
    /** Instance class code, e.g. `db.mysql.s1.micro` (see the vendor's MySQL and SQL Server class tables). Required. */
    instanceClass: {
        type: {
            kind: "string",
            pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/,
            format: 'an instance class code such as "db.mysql.s1.micro"',
        },
        required: true,
    },
    /** Disk size in GB, a positive whole number. Required. */
    instanceStorageGB: { type: { kind: "integer", min: 1, max: MAX_STORAGE_GB, unit: "GB" }, required: true },
    /** Zones, e.g. `["cn-north-1a", "cn-north-1b"]`: the first is the primary's; give two even if they are the same. Required. */
    azId: {
        type: {
            kind: "list",
            items: {
                kind: "string",
                maxLength: 32,
                pattern: /^[a-z]{2}-[a-z]+-\d+[a-z]$/,
                format: 'a zone id such as "cn-north-1a"',
            },
            minItems: 1,
            maxItems: 2,
        },
        required: true,
    },
    /** VPC id, e.g. `vpc-1a2b3c4d5e`. Required. */
    vpcId: {
        type: { kind: "string", pattern: /^vpc-[a-z0-9]{4,32}$/, format: 'a VPC id such as "vpc-1a2b3c4d5e"' },
        required: true,
    },
    /** Subnet id in that VPC, e.g. `subnet-1a2b3c4d5e`. Required. */
    subnetId: {
        type: { kind: "string", pattern: /^subnet-[a-z0-9]{4,32}$/, format: 'a subnet id such as "subnet-1a2b3c4d5e"' },
        required: true,
    },
    /** Parameter group id (MySQL only). Default: the service creates a default group. */
    parameterGroup: {
        type: { kind: "string", pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$/, format: "a parameter group id" },
        defaultText: "a default group the service creates",
    },
    /** Billing. Required (an empty object means `postpaid_by_duration`). */
    chargeSpec: { type: CHARGE_SPEC, required: true },
    /** Storage type, e.g. `LOCAL_SSD` (default) or a cloud disk type such as `EBS_SSD` (MySQL only). */
    instanceStorageType: {
        type: {
            kind: "string",
            pattern: /^[A-Za-z][A-Za-z0-9_]{1,31}$/,
            format: `a storage type such as ${KNOWN_STORAGE_TYPES.map((t) => `"${t}"`).join(", ")}`,
        },
        defaultText: "`LOCAL_SSD`",
    },
    /** Port, 1150 to 5999 (MySQL, Percona and MariaDB: default 3306; PostgreSQL: default 5432; not SQL Server). */
    instancePort: { type: { kind: "integer", ...PORT_RANGE, orText: true } },
    /** Encrypt the data (MySQL only, cloud-disk storage only). Default false. */
    storageEncrypted: { type: { kind: "boolean" }, defaultText: "false" },
    /** `standalone`, `cluster` (default) or `multi-replica` (SQL Server only). */
    instanceType: { type: { kind: "enum", values: INSTANCE_TYPES }, defaultText: '`"cluster"`' },
});

/** The instanceSpec object type. */
const INSTANCE_SPEC = {
    kind: "object",
    name: "InstanceSpec",
    doc: "The new instance (the vendor's RestoredNewDBInstanceSpec).",
    fields: INSTANCE_SPEC_FIELDS,
    format: "{ instanceClass, instanceStorageGB, azId, vpcId, subnetId, chargeSpec, ... } (RestoredNewDBInstanceSpec)",
    unknownField: `is not a field of instanceSpec; use ${Object.keys(INSTANCE_SPEC_FIELDS).join(", ")}`,
} as const;

/** The fields of `backupSelector` (checked by the shared selector check with {@link RDS_SELECTOR}). */
export const RDS_SELECTOR_FIELDS = propTable({
    /** The source instance whose backups are searched (describeBackups), e.g. `mysql-k2x7ab9q0w`. */
    instanceId: { type: { kind: "string" }, required: true },
    /** `auto` or `manual` backups only (describeBackups' backupMode). */
    backupType: { type: { kind: "enum", values: ["auto", "manual"] } },
    /** Only backups taken at or after this time (ISO 8601 with a zone). */
    after: { type: { kind: "string" } },
    /** Only backups taken at or before this time (ISO 8601 with a zone). */
    before: { type: { kind: "string" } },
    /** Refuse (fail before anything is created) when the latest completed backup is older than this, e.g. "24h". */
    maxAge: { type: { kind: "string" } },
});

/** The fields of `timeouts`. */
export const RDS_TIMEOUT_FIELDS = propTable({
    /** Restore until RUNNING. Default "2h". */
    create: { type: { kind: "string" } },
    /** Resuming a wait after an interrupted create. Default "2h". */
    update: { type: { kind: "string" } },
    /** Delete until gone. Default "1h". */
    delete: { type: { kind: "string" } },
});

/** The properties of `jdcloud.rds.RestoredInstance`; field names follow the vendor page (createInstanceFromBackup). */
export const RDS_RESTORE_PROPS = propTable({
    /** The restore token (project, stack and resource name), set by the resource class. */
    restoreToken: RESTORE_TOKEN_PROP,
    /** Region, e.g. `cn-north-1`. Default: `jdcloud:region`, then JDCLOUD_REGION. Changing it means a new instance. */
    regionId: {
        type: { kind: "string", maxLength: 32, pattern: REGION, format: 'a region id such as "cn-north-1"' },
        defaultText: "`jdcloud:region`, then `JDCLOUD_REGION`",
        replaces: true,
    },
    /**
     * Backup to restore (a full backup of the source instance). Set this or `backupSelector`. Changing it restores into
     * a new instance.
     */
    backupId: {
        type: {
            kind: "string",
            pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{2,127}$/,
            format: "a backup id (letters, digits, '-', '_' and '.', 3 to 128 characters) as describeBackups lists it",
        },
        replaces: true,
    },
    /**
     * Instead of `backupId`: the latest COMPLETED backup of a source instance, chosen at create (output
     * `selectedBackupId`). A newer backup later changes nothing; change `triggers` to restore again from the newest.
     */
    backupSelector: {
        type: {
            kind: "selector",
            spec: RDS_SELECTOR,
            name: "BackupSelector",
            doc: '"The latest COMPLETED backup of this instance", resolved once at create.',
            fields: RDS_SELECTOR_FIELDS,
        },
        replaces: true,
    },
    /** Any change of these values restores again into a new instance (replace), e.g. `{ week: "2026-11-23" }`. */
    triggers: { type: { kind: "triggers" }, replaces: true },
    /** Engine: `MySQL`, `Percona`, `MariaDB`, `SQL Server` or `PostgreSQL`; must be the backup's source engine. Required. */
    engine: { type: { kind: "enum", values: ENGINES }, required: true, replaces: true },
    /** The new instance. Required. Any change means a new instance. */
    instanceSpec: { type: INSTANCE_SPEC, required: true, replaces: true },
    /** Time-outs; defaults create "2h", update "2h", delete "1h". */
    timeouts: {
        type: {
            kind: "timeouts",
            name: "Timeouts",
            doc:
                'Per-operation time-outs, as durations such as "90m" or "2h" (the dynamic-provider host ignores ' +
                "`customTimeouts`).",
            fields: RDS_TIMEOUT_FIELDS,
        },
        defaultText: 'create "2h", update "2h", delete "1h"',
    },
    /**
     * Take over an existing instance instead of restoring (dynamic resources cannot be `pulumi import`ed). Create checks
     * that it exists and matches the inputs, and never calls createInstanceFromBackup. Destroy then deletes it.
     */
    adoptId: {
        type: { kind: "string", pattern: RDS_INSTANCE_ID, format: 'an RDS instance id such as "mysql-k2x7ab9q0w"' },
    },
});

/** The drill-only inputs of `jdcloud.rds.RestoreDrill`. */
export const RDS_DRILL_EXTRA_PROPS = propTable({
    /**
     * The instance the backup was taken of. describeBackups lists backups per instance only: with it, the report has
     * the backup's time and the recovery point; without, neither.
     */
    backupSourceInstanceId: {
        type: {
            kind: "string",
            pattern: RDS_INSTANCE_ID,
            format:
                'the id of the instance the backup was taken of, such as "mysql-k2x7ab9q0w" ' +
                "(describeBackups lists backups per instance)",
        },
    },
    /**
     * Password of an account in the restored database (it comes with the backup), handed to the verify command as
     * DRILL_PASSWORD. Secret in state.
     */
    databasePassword: {
        type: {
            kind: "string",
            minLength: 8,
            maxLength: 128,
            format: "8 or more characters (shorter ones could not be redacted from the verify output reliably)",
        },
        secret: true,
    },
});

/**
 * The properties of `jdcloud.rds.RestoreDrill`: the restore arguments (checked by the same checker; the charge mode
 * must be postpaid; the instance name and `adoptId` are set by the drill), the drill-only ones and the drills' own.
 */
export const RDS_DRILL_PROPS = propTable({
    /** The scratch instance (its name is set by the drill). */
    instanceSpec: {
        type: {
            ...INSTANCE_SPEC,
            name: "RestoreDrillInstanceSpec",
            fields: omitProps(INSTANCE_SPEC_FIELDS, ["instanceName"]),
        },
        required: true,
    },
    ...RDS_DRILL_EXTRA_PROPS,
    ...omitProps(RDS_RESTORE_PROPS, ["adoptId", "instanceSpec"]),
    ...DRILL_PROPS,
});
