import * as pulumi from "@pulumi/pulumi";
import { NAME_KEY, resourceProvider, restoreToken } from "../core/resource";
import { SECRET_INPUTS } from "./cloneInputs";
import { withSecretInputs, withSecretOutputs } from "../core/resourceOptions";
import { BackupSelectorArgs } from "./redisResource";

/**
 * One provider object for every instance of the class. Installed: this provider's entry module, which `__provider`
 * merely requires; from a source checkout: a shim that loads the provider module by path inside the host.
 */
const PROVIDER = resourceProvider(require.resolve("./cloneProvider"), () =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when installed: see resourceProvider
    require("./cloneEntry"),
);

/** Per-operation time-outs, as durations such as "90m" or "2h" (the dynamic-provider host ignores `customTimeouts`). */
export interface RestoredInstanceTimeoutsArgs {
    /** Clone until running. Default "90m". */
    create?: pulumi.Input<string>;
    /** Resuming the wait after an interrupted create. Default "90m". */
    update?: pulumi.Input<string>;
    /** Release until gone. Default "30m". */
    delete?: pulumi.Input<string>;
}

/**
 * Arguments of {@link RestoredInstance}. Field names follow the vendor's CloneInstances (API 2018-04-12;
 * https://cloud.tencent.com/document/product/239/102946), in this package's casing.
 */
export interface RestoredInstanceArgs {
    /** The instance whose backup is cloned, e.g. `crs-5a4py64p` (CloneInstances' InstanceId). It is not touched. Required. */
    sourceInstanceId: pulumi.Input<string>;
    /** One of the source instance's backups (DescribeInstanceBackups). Set this or `backupSelector`. Changing it clones again (replace). */
    backupId?: pulumi.Input<string>;
    /**
     * Instead of `backupId`: the source's latest normal backup, chosen at create (output `selectedBackupId`). A newer
     * backup later changes nothing; change `triggers` to clone again from the newest. `instanceId` may be left out.
     */
    backupSelector?: pulumi.Input<BackupSelectorArgs>;
    /** Any change of these values clones again into a new instance (replace), e.g. `{ drill: "2026-12" }`. */
    triggers?: pulumi.Input<Record<string, pulumi.Input<string | number | boolean>>>;
    /** Region, e.g. `ap-guangzhou`. Default: `tencentcloud:region`, then TENCENTCLOUD_REGION, then `ap-guangzhou`. */
    region?: pulumi.Input<string>;
    /** Zone of the new instance, e.g. `100003` (ap-guangzhou-3). Required. */
    zoneId: pulumi.Input<number>;
    /** `postpaid` (pay as you go, the default: destroy releases it) or `prepaid` (monthly subscription: destroy refuses). */
    billingMode?: pulumi.Input<"postpaid" | "prepaid">;
    /** prepaid only, required there: months, one of 1-12, 24, 36, 48, 60. */
    period?: pulumi.Input<number>;
    /** Security groups of the new instance, e.g. `["sg-5fgt7a1b"]` (at least one). Required. */
    securityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
    /** VPC of the new instance, e.g. `vpc-mjwornzj` (with `subnetId`); default the basic network. */
    vpcId?: pulumi.Input<string>;
    /** Subnet in that VPC, e.g. `subnet-3lzrkspo`. */
    subnetId?: pulumi.Input<string>;
    /**
     * Name of the new instance: under 60 letters, digits, Chinese characters, '-' or '_'. Default: derived from the
     * restore token and the intent (`prt-...`).
     */
    instanceName?: pulumi.Input<string>;
    /**
     * Password of the new instance: 8 to 30 characters mixing at least two of lower-case, upper-case, digits and
     * symbols, not starting with "/". Required unless `noAuth`. Secret in state. Only sent at creation.
     */
    password?: pulumi.Input<string>;
    /** A password-free instance (no `password`). Default false. */
    noAuth?: pulumi.Input<boolean>;
    /** Port, 1024 to 65535 (default 6379). */
    port?: pulumi.Input<number>;
    /** Project id (default 0, the default project). */
    projectId?: pulumi.Input<number>;
    /** Parameter template id, e.g. `crs-cfg-7d2nbjmk`; default: the version's default template. */
    templateId?: pulumi.Input<string>;
    /** Time-outs; defaults create "90m", update "90m", delete "30m". */
    timeouts?: pulumi.Input<RestoredInstanceTimeoutsArgs>;
    /**
     * Take over an existing instance instead of cloning (dynamic resources cannot be `pulumi import`ed). Create checks
     * that it exists and matches the zone and billing mode, and never calls CloneInstances. Destroy then releases it.
     */
    adoptId?: pulumi.Input<string>;
}

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
