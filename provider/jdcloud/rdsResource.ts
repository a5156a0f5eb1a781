import * as pulumi from "@pulumi/pulumi";
import { countRestore } from "../core/parallelism";
import { secretInputNames } from "../core/resourceOptions";
import { resourceProvider, NAME_KEY, restoreToken, SECRET_NAMES_KEY } from "../core/resource";

/**
 * One provider object for every instance of the class (the SDK caches a provider's serialization per object, so 200
 * resources serialize it once). Installed: this provider's entry module, which `__provider` merely requires; from a
 * source checkout: a shim that loads the provider module by path inside the host.
 */
const PROVIDER = resourceProvider(require.resolve("./rdsProvider"), () =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when installed: see resourceProvider
    require("./rdsEntry"),
);

/** Field names and rules follow the vendor page: createInstanceFromBackup in the JD Cloud RDS API reference. */

/** Billing of the new instance (the vendor's ChargeSpec). */
export interface ChargeSpecArgs {
    /** `postpaid_by_duration` (default, pay by configuration), `postpaid_by_usage`, or `prepaid_by_duration` (subscription). */
    chargeMode?: pulumi.Input<"prepaid_by_duration" | "postpaid_by_usage" | "postpaid_by_duration">;
    /** prepaid_by_duration only: `month` (default) or `year`. */
    chargeUnit?: pulumi.Input<"month" | "year">;
    /** prepaid_by_duration only, required there: 1 to 9 months, or 1 to 3 years. */
    chargeDuration?: pulumi.Input<number>;
}

/** The new instance (the vendor's RestoredNewDBInstanceSpec). */
export interface InstanceSpecArgs {
    /**
     * Name of the new instance: 2 to 32 letters, digits, Chinese characters, '-' or '_', starting with a letter or a
     * Chinese character. Default: derived from the restore token (`prt-...`), which lets an interrupted create be
     * recognised with certainty; with your own name, an earlier attempt is recognised by name, spec and creation time.
     */
    instanceName?: pulumi.Input<string>;
    /** Instance class code, e.g. `db.mysql.s1.micro` (see the vendor's MySQL and SQL Server class tables). Required. */
    instanceClass: pulumi.Input<string>;
    /** Disk size in GB, a positive whole number. Required. */
    instanceStorageGB: pulumi.Input<number>;
    /** Zones, e.g. `["cn-north-1a", "cn-north-1b"]`: the first is the primary's; give two even if they are the same. Required. */
    azId: pulumi.Input<pulumi.Input<string>[]>;
    /** VPC id, e.g. `vpc-1a2b3c4d5e`. Required. */
    vpcId: pulumi.Input<string>;
    /** Subnet id in that VPC, e.g. `subnet-1a2b3c4d5e`. Required. */
    subnetId: pulumi.Input<string>;
    /** Parameter group id (MySQL only). Default: the service creates a default group. */
    parameterGroup?: pulumi.Input<string>;
    /** Billing. Required (an empty object means `postpaid_by_duration`). */
    chargeSpec: pulumi.Input<ChargeSpecArgs>;
    /** Storage type, e.g. `LOCAL_SSD` (default) or a cloud disk type such as `EBS_SSD` (MySQL only). */
    instanceStorageType?: pulumi.Input<string>;
    /** Port, 1150 to 5999 (MySQL, Percona and MariaDB: default 3306; PostgreSQL: default 5432; not SQL Server). */
    instancePort?: pulumi.Input<number | string>;
    /** Encrypt the data (MySQL only, cloud-disk storage only). Default false. */
    storageEncrypted?: pulumi.Input<boolean>;
    /** `standalone`, `cluster` (default) or `multi-replica` (SQL Server only). */
    instanceType?: pulumi.Input<"standalone" | "cluster">;
}

/** Per-operation time-outs, as durations such as "90m" or "2h" (the dynamic-provider host ignores `customTimeouts`). */
export interface TimeoutsArgs {
    /** Restore until RUNNING. Default "2h". */
    create?: pulumi.Input<string>;
    /** Resuming a wait after an interrupted create. Default "2h". */
    update?: pulumi.Input<string>;
    /** Delete until gone. Default "1h". */
    delete?: pulumi.Input<string>;
}

/** "The latest COMPLETED backup of this instance", resolved once at create. */
export interface BackupSelectorArgs {
    /** The source instance whose backups are searched (describeBackups), e.g. `mysql-k2x7ab9q0w`. */
    instanceId: pulumi.Input<string>;
    /** `auto` or `manual` backups only (describeBackups' backupMode). */
    backupType?: pulumi.Input<"auto" | "manual">;
    /** Only backups taken at or after this time (ISO 8601 with a zone). */
    after?: pulumi.Input<string>;
    /** Only backups taken at or before this time (ISO 8601 with a zone). */
    before?: pulumi.Input<string>;
    /** Refuse (fail before anything is created) when the latest completed backup is older than this, e.g. "24h". */
    maxAge?: pulumi.Input<string>;
}

/** Arguments of {@link RestoredInstance}; field names follow the vendor page (createInstanceFromBackup). */
export interface RestoredInstanceArgs {
    /** Region, e.g. `cn-north-1`. Default: `jdcloud:region`, then JDCLOUD_REGION. Changing it means a new instance. */
    regionId?: pulumi.Input<string>;
    /**
     * Backup to restore (a full backup of the source instance). Set this or `backupSelector`. Changing it restores into
     * a new instance.
     */
    backupId?: pulumi.Input<string>;
    /**
     * Instead of `backupId`: the latest COMPLETED backup of a source instance, chosen at create (output
     * `selectedBackupId`). A newer backup later changes nothing; change `triggers` to restore again from the newest.
     */
    backupSelector?: pulumi.Input<BackupSelectorArgs>;
    /** Any change of these values restores again into a new instance (replace), e.g. `{ week: "2026-11-23" }`. */
    triggers?: pulumi.Input<Record<string, pulumi.Input<string | number | boolean>>>;
    /** Engine: `MySQL`, `Percona`, `MariaDB`, `SQL Server` or `PostgreSQL`; must be the backup's source engine. Required. */
    engine: pulumi.Input<"MySQL" | "Percona" | "MariaDB" | "SQL Server" | "PostgreSQL">;
    /** The new instance. Required. Any change means a new instance. */
    instanceSpec: pulumi.Input<InstanceSpecArgs>;
    /** Time-outs; defaults create "2h", update "2h", delete "1h". */
    timeouts?: pulumi.Input<TimeoutsArgs>;
    /**
     * Take over an existing instance instead of restoring (dynamic resources cannot be `pulumi import`ed). Create checks
     * that it exists and matches the inputs, and never calls createInstanceFromBackup. Destroy then deletes it.
     */
    adoptId?: pulumi.Input<string>;
}

/**
 * A JD Cloud RDS instance created from a backup (createInstanceFromBackup).
 *
 * Create restores the backup into a new instance and waits until it is RUNNING. Destroy deletes the instance; a prepaid
 * (`prepaid_by_duration`) instance cannot be deleted by API, so destroy fails with instructions (use the
 * `retainOnDelete` resource option to keep it).
 */
export class RestoredInstance extends pulumi.dynamic.Resource {
    /** The new instance's id, e.g. `mysql-k2x7ab9q0w`. */
    declare readonly instanceId: pulumi.Output<string>;
    /** The order created for the instance (absent when the instance was adopted). */
    declare readonly orderId: pulumi.Output<string | undefined>;
    /** Status as last seen (`RUNNING` after a successful create). */
    declare readonly instanceStatus: pulumi.Output<string>;
    /** The instance's domain name inside the VPC. */
    declare readonly internalDomainName: pulumi.Output<string | undefined>;
    /** The port the instance listens on. */
    declare readonly instancePort: pulumi.Output<string | undefined>;
    /** Engine version, e.g. `8.0`. */
    declare readonly engineVersion: pulumi.Output<string | undefined>;
    /** Creation time as JD Cloud reports it. */
    declare readonly createTime: pulumi.Output<string | undefined>;
    /** True when the instance was adopted (adoptId) or found from an interrupted earlier attempt. */
    declare readonly adopted: pulumi.Output<boolean>;
    /** True when `instanceSpec.instanceName` was derived from the restore token. */
    declare readonly autoNamed: pulumi.Output<boolean>;
    /** The restore token (from project, stack and resource name). */
    declare readonly restoreToken: pulumi.Output<string>;
    /** The region used. */
    declare readonly regionId: pulumi.Output<string>;
    /** The backup id given (absent with a selector). */
    declare readonly backupId: pulumi.Output<string | undefined>;
    declare readonly backupSelector: pulumi.Output<Record<string, string> | undefined>;
    declare readonly triggers: pulumi.Output<Record<string, string | number | boolean> | undefined>;
    /** The backup restored: the explicit id, or the one `backupSelector` chose at create. */
    declare readonly selectedBackupId: pulumi.Output<string | undefined>;
    /** When that backup ended (ISO 8601, UTC); known for a backup chosen by the selector. */
    declare readonly selectedBackupTime: pulumi.Output<string | undefined>;
    /**
     * What the operation does, in plain words, computed by check from the inputs: `does`, `backup`, `asOfPreview` (with
     * a selector: the backup it would choose as of preview), `onReplace`, `onDelete`... `pulumi preview --diff` shows it.
     * Derived: it never causes an update by itself; absent in state written before it existed until the next update.
     */
    declare readonly plan: pulumi.Output<Record<string, string> | undefined>;
    declare readonly engine: pulumi.Output<string>;
    /** The effective spec, `instanceName` included. */
    declare readonly instanceSpec: pulumi.Output<{
        instanceName: string;
        instanceClass: string;
        instanceStorageGB: number;
        azId: string[];
        vpcId: string;
        subnetId: string;
        parameterGroup?: string;
        chargeSpec: { chargeMode: string; chargeUnit?: string; chargeDuration?: number };
        instanceStorageType?: string;
        instancePort?: string;
        storageEncrypted?: boolean;
        instanceType?: string;
    }>;

    constructor(name: string, args: RestoredInstanceArgs, opts?: pulumi.CustomResourceOptions) {
        const props: Record<string, unknown> = {
            ...args,
            restoreToken: restoreToken(pulumi.getProject(), pulumi.getStack(), name),
            // Names this resource in progress lines (taken off before the provider validates or compares anything).
            [NAME_KEY]: name,
            // The names (never the values) of inputs the program marked secret, for redaction in the provider.
            [SECRET_NAMES_KEY]: secretInputNames(args),
            regionId: args.regionId,
            instanceId: undefined,
            orderId: undefined,
            instanceStatus: undefined,
            internalDomainName: undefined,
            instancePort: undefined,
            engineVersion: undefined,
            createTime: undefined,
            adopted: undefined,
            autoNamed: undefined,
            selectedBackupId: undefined,
            selectedBackupTime: undefined,
            plan: undefined,
        };
        super(PROVIDER, name, props, opts, "jdcloud/rds", "RestoredInstance");
        countRestore();
    }
}
