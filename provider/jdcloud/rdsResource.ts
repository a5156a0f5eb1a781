import * as pulumi from "@pulumi/pulumi";
import { countRestore } from "../core/parallelism";
import { secretInputNames } from "../core/resourceOptions";
import { resourceProvider, NAME_KEY, restoreToken, SECRET_NAMES_KEY } from "../core/resource";
import { ArgsOf } from "../core/props";
import {
    CHARGE_SPEC_FIELDS,
    INSTANCE_SPEC_FIELDS,
    RDS_RESTORE_PROPS,
    RDS_SELECTOR_FIELDS,
    RDS_TIMEOUT_FIELDS,
} from "./rdsProps";

/**
 * One provider object for every instance of the class (the SDK caches a provider's serialization per object, so 200
 * resources serialize it once). Installed: this provider's entry module, which `__provider` merely requires; from a
 * source checkout: a shim that loads the provider module by path inside the host.
 */
const PROVIDER = resourceProvider(require.resolve("./rdsProvider"), () =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when installed: see resourceProvider
    require("./rdsEntry"),
);

/** Billing of the new instance (the vendor's ChargeSpec). */
export type ChargeSpecArgs = ArgsOf<typeof CHARGE_SPEC_FIELDS>;

/** The new instance (the vendor's RestoredNewDBInstanceSpec). */
export type InstanceSpecArgs = ArgsOf<typeof INSTANCE_SPEC_FIELDS>;

/** Per-operation time-outs, as durations such as "90m" or "2h" (the dynamic-provider host ignores `customTimeouts`). */
export type TimeoutsArgs = ArgsOf<typeof RDS_TIMEOUT_FIELDS>;

/** "The latest COMPLETED backup of this instance", resolved once at create. */
export type BackupSelectorArgs = ArgsOf<typeof RDS_SELECTOR_FIELDS>;

/**
 * Arguments of {@link RestoredInstance}: the properties of its table (provider/jdcloud/rdsProps.ts, where each is
 * documented, typed and given its rules); field names follow the vendor page (createInstanceFromBackup).
 */
export type RestoredInstanceArgs = ArgsOf<typeof RDS_RESTORE_PROPS>;

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
