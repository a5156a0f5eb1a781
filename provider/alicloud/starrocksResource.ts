import * as pulumi from "@pulumi/pulumi";
import { countRestore } from "../core/parallelism";
import { resourceProvider, NAME_KEY, restoreToken } from "../core/resource";
import { SECRET_INPUTS } from "./starrocksInputs";
import { withSecretInputs, withSecretOutputs } from "../core/resourceOptions";

/**
 * One provider object for every instance of the class (the SDK caches a provider's serialization per object, so 200
 * resources serialize it once). Installed: this provider's entry module, which `__provider` merely requires; from a
 * source checkout: a shim that loads the provider module by path inside the host.
 */
const PROVIDER = resourceProvider(require.resolve("./starrocksProvider"), () =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when installed: see resourceProvider
    require("./starrocksEntry"),
);

/** A VSwitch (and its zone) for the restored instance. */
export interface VSwitchArgs {
    /** Zone of the VSwitch, e.g. `cn-hangzhou-i`. */
    zoneId: pulumi.Input<string>;
    /** VSwitch id, e.g. `vsw-bp19mlh98tm9teyyd`. */
    vswId: pulumi.Input<string>;
}

/** Per-operation time-outs, as durations such as "90m" or "2h" (the dynamic-provider host ignores `customTimeouts`). */
export interface TimeoutsArgs {
    /** Restore until `running`. Default "2h". */
    create?: pulumi.Input<string>;
    /** Resuming a wait after an interrupted create. Default "2h". */
    update?: pulumi.Input<string>;
    /** Release until gone. Default "1h". */
    delete?: pulumi.Input<string>;
}

/**
 * "The latest complete backup of this instance": resolved once, when the resource is created. A newer backup later
 * changes nothing; change `triggers` to restore again from the then-latest one.
 */
export interface BackupSelectorArgs {
    /** The instance whose backups are searched (DescribeBackups), e.g. `c-b25e21e243889abc`. */
    instanceId: pulumi.Input<string>;
    /** Only quick (`"0"`) or only consistent (`"1"`) backups: DescribeBackups' `BackupType` values. */
    backupType?: pulumi.Input<"0" | "1">;
    /** Only backups taken at or after this time (ISO 8601 with a zone, e.g. `2026-11-23T00:00:00Z`). */
    after?: pulumi.Input<string>;
    /** Only backups taken at or before this time (ISO 8601 with a zone). */
    before?: pulumi.Input<string>;
    /** Refuse (fail before anything is created) when the latest complete backup is older than this, e.g. "24h". */
    maxAge?: pulumi.Input<string>;
}

/**
 * Arguments of {@link RestoredInstance}. Field names follow the vendor page
 * (https://www.alibabacloud.com/help/en/emr/emr-serverless-starrocks/developer-reference/api-starrocks-2022-10-19-restoreinstance).
 */
export interface RestoredInstanceArgs {
    /**
     * Backup task to restore, e.g. `bk-adskj23hd9s`. Required unless `adoptId` is set. Changing it restores into a new
     * instance (replace).
     */
    backupTaskId?: pulumi.Input<string>;
    /**
     * Instead of `backupTaskId`: restore the latest complete backup of an instance (set exactly one of the two). Chosen
     * at create; the choice is the output `selectedBackupId`. Changing the selector restores into a new instance.
     */
    backupSelector?: pulumi.Input<BackupSelectorArgs>;
    /**
     * Any change of these values restores again into a new instance (replace), from the then-latest backup when
     * `backupSelector` is used: `{ week: "2026-11-23" }` refreshes weekly. Strings, numbers and booleans.
     */
    triggers?: pulumi.Input<Record<string, pulumi.Input<string | number | boolean>>>;
    /** Name of the new instance (1 to 64 characters). */
    instanceName?: pulumi.Input<string>;
    /** Administrator password of the new instance (8 to 32 printable ASCII characters). Secret in state. */
    adminPassword?: pulumi.Input<string>;
    /** `postPaid` (pay-as-you-go, default) or `prePaid` (subscription). */
    payType?: pulumi.Input<"postPaid" | "prePaid">;
    /** prePaid only, required there (unless adopting): `Month` or `Year`. */
    pricingCycle?: pulumi.Input<"Month" | "Year">;
    /** prePaid only, required there (unless adopting): 1 to 12 months, or 1 to 5 years. */
    duration?: pulumi.Input<number>;
    /** prePaid only: renew automatically. Default false. */
    autoRenew?: pulumi.Input<boolean>;
    /** Region, e.g. `cn-hangzhou`. Default: `alicloud:region`, then ALICLOUD_REGION. */
    regionId?: pulumi.Input<string>;
    /** VPC of the new instance; requires `vSwitches`. */
    vpcId?: pulumi.Input<string>;
    /** VSwitches (and zones) of the new instance, in `vpcId`. */
    vSwitches?: pulumi.Input<pulumi.Input<VSwitchArgs>[]>;
    /** Resource group, e.g. `rg-aekzllkih7jqxxx`. */
    resourceGroupId?: pulumi.Input<string>;
    /** Tags of the new instance (at most 19; the key `pulumi-restore-token` is reserved). */
    tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    /** Time-outs; defaults create "2h", update "2h", delete "1h". */
    timeouts?: pulumi.Input<TimeoutsArgs>;
    /**
     * Take over an existing instance instead of restoring (dynamic resources cannot be `pulumi import`ed; through the
     * provider plugin, `pulumi import` sets this). Create checks that it exists and matches the inputs, and never calls
     * RestoreInstance. Destroy then releases it like any other.
     */
    adoptId?: pulumi.Input<string>;
}

/**
 * An Alibaba Cloud EMR Serverless StarRocks instance restored from a backup task.
 *
 * Create calls RestoreInstance and waits until the new instance is `running`. Destroy releases a pay-as-you-go
 * instance; a subscription (prePaid) instance cannot be released by API, so destroy fails with instructions (use the
 * `retainOnDelete` resource option to keep it).
 */
export class RestoredInstance extends pulumi.dynamic.Resource {
    /** The new instance's id, e.g. `c-b25e21e243889abc`. */
    declare readonly instanceId: pulumi.Output<string>;
    /** The order created for the instance. */
    declare readonly orderId: pulumi.Output<string | undefined>;
    /** The instance's status as last seen (`running` after a successful create). */
    declare readonly status: pulumi.Output<string>;
    /** The region used. */
    declare readonly regionId: pulumi.Output<string>;
    /** True when the instance was adopted (adoptId) or found from an interrupted earlier attempt. */
    declare readonly adopted: pulumi.Output<boolean>;
    /** The restore token tagged on the instance (project, stack and resource name). */
    declare readonly restoreToken: pulumi.Output<string>;
    /** The backup task restored: the explicit id, or the one `backupSelector` chose at create. */
    declare readonly selectedBackupId: pulumi.Output<string | undefined>;
    /** When that backup's data was taken (ISO 8601, UTC). */
    declare readonly selectedBackupTime: pulumi.Output<string | undefined>;
    /**
     * What the operation does, in plain words, computed by check from the inputs: `does`, `backup`, `asOfPreview` (with
     * a selector: the backup it would choose as of preview), `onReplace`, `onDelete`... `pulumi preview --diff` shows it.
     * Derived: it never causes an update by itself; absent in state written before it existed until the next update.
     */
    declare readonly plan: pulumi.Output<Record<string, string> | undefined>;
    declare readonly backupSelector: pulumi.Output<Record<string, string> | undefined>;
    declare readonly triggers: pulumi.Output<Record<string, string | number | boolean> | undefined>;
    /** The backup id given (absent with a selector, or for an instance taken over with adoptId or `pulumi import`). */
    declare readonly backupTaskId: pulumi.Output<string | undefined>;
    declare readonly instanceName: pulumi.Output<string | undefined>;
    declare readonly adminPassword: pulumi.Output<string | undefined>;
    declare readonly payType: pulumi.Output<"postPaid" | "prePaid">;
    declare readonly pricingCycle: pulumi.Output<"Month" | "Year" | undefined>;
    declare readonly duration: pulumi.Output<number | undefined>;
    declare readonly autoRenew: pulumi.Output<boolean | undefined>;
    declare readonly vpcId: pulumi.Output<string | undefined>;
    declare readonly vSwitches: pulumi.Output<{ zoneId: string; vswId: string }[] | undefined>;
    declare readonly resourceGroupId: pulumi.Output<string | undefined>;
    declare readonly tags: pulumi.Output<Record<string, string> | undefined>;

    constructor(name: string, args: RestoredInstanceArgs, opts?: pulumi.CustomResourceOptions) {
        const props: Record<string, unknown> = {
            ...withSecretInputs({ ...args }, SECRET_INPUTS),
            restoreToken: restoreToken(pulumi.getProject(), pulumi.getStack(), name),
            // Names this resource in progress lines (taken off before the provider validates or compares anything).
            [NAME_KEY]: name,
            instanceId: undefined,
            orderId: undefined,
            status: undefined,
            regionId: args.regionId,
            adopted: undefined,
            selectedBackupId: undefined,
            selectedBackupTime: undefined,
            plan: undefined,
        };
        super(
            PROVIDER,
            name,
            props,
            withSecretOutputs(opts, [...SECRET_INPUTS]),
            "alicloud/starrocks",
            "RestoredInstance",
        );
        countRestore();
    }
}
