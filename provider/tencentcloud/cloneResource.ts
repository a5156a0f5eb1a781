import * as pulumi from "@pulumi/pulumi";
import { NAME_KEY, resourceProvider, restoreToken } from "../core/resource";
import { SECRET_INPUTS } from "./cloneInputs";
import { withSecretInputs, withSecretOutputs } from "../core/resourceOptions";
import { ArgsOf } from "../core/props";
import { CLONE_PROPS, CLONE_TIMEOUT_FIELDS } from "./cloneProps";

/**
 * One provider object for every instance of the class. Installed: this provider's entry module, which `__provider`
 * merely requires; from a source checkout: a shim that loads the provider module by path inside the host.
 */
const PROVIDER = resourceProvider(require.resolve("./cloneProvider"), () =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when installed: see resourceProvider
    require("./cloneEntry"),
);

/** Per-operation time-outs, as durations such as "90m" or "2h" (the dynamic-provider host ignores `customTimeouts`). */
export type RestoredInstanceTimeoutsArgs = ArgsOf<typeof CLONE_TIMEOUT_FIELDS>;

/**
 * Arguments of {@link RestoredInstance}: the properties of its table (provider/tencentcloud/cloneProps.ts, where each
 * is documented, typed and given its rules). Field names follow the vendor's CloneInstances (API 2018-04-12;
 * https://cloud.tencent.com/document/product/239/102946), in this package's casing.
 */
export type RestoredInstanceArgs = ArgsOf<typeof CLONE_PROPS>;

/**
 * A Tencent Cloud Redis instance cloned from a backup of another instance (CloneInstances): the restore that leaves
 * the source alone, unlike {@link InstanceRestore}, which overwrites the instance in place.
 *
 * Create clones the backup into a new instance tagged `pulumi-restore-token=<restore token>` and waits until it runs.
 * An interrupted `pulumi up` (lost answer, crash, on any machine) never makes a second instance: the next create
 * finds the tagged one and follows it. Destroy releases a pay-as-you-go instance (DestroyPostpaidInstance, then
 * CleanUpInstance); a prepaid instance is refused with instructions (use the `retainOnDelete` resource option to
 * keep it).
 */
export class RestoredInstance extends pulumi.dynamic.Resource {
    /** The new instance's id, e.g. `crs-5a4py64p`. */
    declare readonly instanceId: pulumi.Output<string>;
    /** Status as last seen, in words (`running` after a successful create). */
    declare readonly instanceStatus: pulumi.Output<string>;
    /** The instance's private address (its VIP). */
    declare readonly address: pulumi.Output<string | undefined>;
    /** The port it listens on. */
    declare readonly instancePort: pulumi.Output<number | undefined>;
    /** Creation time as Tencent Cloud reports it (`YYYY-MM-DD HH:mm:ss`, Beijing time). */
    declare readonly createTime: pulumi.Output<string | undefined>;
    /** The order of the clone (absent when it was found or adopted). */
    declare readonly dealName: pulumi.Output<string | undefined>;
    /** True when the instance was adopted (adoptId) or found from an interrupted earlier attempt. */
    declare readonly adopted: pulumi.Output<boolean>;
    /** True when `instanceName` was derived from the restore token. */
    declare readonly autoNamed: pulumi.Output<boolean>;
    /** The effective name of the new instance. */
    declare readonly instanceName: pulumi.Output<string>;
    /** The region used. */
    declare readonly region: pulumi.Output<string>;
    /** The backup cloned: the explicit id, or the one `backupSelector` chose at create. */
    declare readonly selectedBackupId: pulumi.Output<string | undefined>;
    /** When that backup ended (ISO 8601, UTC). */
    declare readonly selectedBackupTime: pulumi.Output<string | undefined>;
    /**
     * What the operation does, in plain words, computed by check from the inputs: `does`, `backup`, `asOfPreview` (with
     * a selector: the backup it would choose as of preview), `onReplace`, `onDelete`. `pulumi preview --diff` shows it.
     * Derived: it never causes an update by itself; absent in state written before it existed until the next update.
     */
    declare readonly plan: pulumi.Output<Record<string, string> | undefined>;
    /** The password given (secret). */
    declare readonly password: pulumi.Output<string | undefined>;
    /** The restore token (project, stack and resource name). */
    declare readonly restoreToken: pulumi.Output<string>;

    constructor(name: string, args: RestoredInstanceArgs, opts?: pulumi.CustomResourceOptions) {
        const props: Record<string, unknown> = {
            ...withSecretInputs({ ...args }, SECRET_INPUTS),
            restoreToken: restoreToken(pulumi.getProject(), pulumi.getStack(), name),
            // Names this resource in progress lines (taken off before the provider validates or compares anything).
            [NAME_KEY]: name,
            region: args.region,
            instanceName: args.instanceName,
            instanceId: undefined,
            instanceStatus: undefined,
            address: undefined,
            instancePort: undefined,
            createTime: undefined,
            dealName: undefined,
            adopted: undefined,
            autoNamed: undefined,
            selectedBackupId: undefined,
            selectedBackupTime: undefined,
            plan: undefined,
        };
        super(
            PROVIDER,
            name,
            props,
            withSecretOutputs(opts, [...SECRET_INPUTS]),
            "tencentcloud/redis",
            "RestoredInstance",
        );
    }
}
