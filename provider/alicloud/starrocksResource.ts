import * as pulumi from "@pulumi/pulumi";
import { countRestore } from "../core/parallelism";
import { resourceProvider, NAME_KEY, restoreToken } from "../core/resource";
import { SECRET_INPUTS } from "./starrocksInputs";
import { withSecretInputs, withSecretOutputs } from "../core/resourceOptions";
import { ArgsOf } from "../core/props";
import { RESTORED_INSTANCE_PROPS, SELECTOR_FIELDS, TIMEOUT_FIELDS, VSWITCH_FIELDS } from "./starrocksProps";

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
export type VSwitchArgs = ArgsOf<typeof VSWITCH_FIELDS>;

/** Per-operation time-outs, as durations such as "90m" or "2h" (the dynamic-provider host ignores `customTimeouts`). */
export type TimeoutsArgs = ArgsOf<typeof TIMEOUT_FIELDS>;

/**
 * "The latest complete backup of this instance": resolved once, when the resource is created. A newer backup later
 * changes nothing; change `triggers` to restore again from the then-latest one.
 */
export type BackupSelectorArgs = ArgsOf<typeof SELECTOR_FIELDS>;

/**
 * Arguments of {@link RestoredInstance}: the properties of its table (provider/alicloud/starrocksProps.ts, where each
 * is documented, typed and given its rules). Field names follow the vendor page
 * (https://www.alibabacloud.com/help/en/emr/emr-serverless-starrocks/developer-reference/api-starrocks-2022-10-19-restoreinstance).
 */
export type RestoredInstanceArgs = ArgsOf<typeof RESTORED_INSTANCE_PROPS>;

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
