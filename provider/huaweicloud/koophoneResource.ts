import * as pulumi from "@pulumi/pulumi";
import { countRestore } from "../core/parallelism";
import { secretInputNames } from "../core/resourceOptions";
import { resourceProvider, NAME_KEY, restoreToken, SECRET_NAMES_KEY } from "../core/resource";
import { ArgsOf } from "../core/props";
import { INSTANCE_BACKUP_PROPS, KOOPHONE_TIMEOUT_FIELDS } from "./koophoneProps";

/**
 * One provider object for every instance of the class (the SDK caches a provider's serialization per object, so 200
 * resources serialize it once). Installed: this provider's entry module, which `__provider` merely requires; from a
 * source checkout: a shim that loads the provider module by path inside the host.
 */
const PROVIDER = resourceProvider(require.resolve("./koophoneProvider"), () =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when installed: see resourceProvider
    require("./koophoneEntry"),
);

/** Per-operation time-outs, as durations such as "90m" or "2h" (the dynamic-provider host ignores `customTimeouts`). */
export type InstanceBackupTimeoutsArgs = ArgsOf<typeof KOOPHONE_TIMEOUT_FIELDS>;

/**
 * Arguments of {@link InstanceBackup}: the properties of its table (provider/huaweicloud/koophoneProps.ts, where each
 * is documented, typed and given its rules). See the vendor pages "Backing Up an Instance" (BatchBackupInstances) and
 * "Restoring Instances" (BatchPrepareInstances) of Huawei Cloud KooPhone.
 */
export type InstanceBackupArgs = ArgsOf<typeof INSTANCE_BACKUP_PROPS>;

/** What the resource reports about one parked instance. */
export interface InstanceBackupRecord {
    instanceId: string;
    /** `success`, `backing up`, or (in a partial state after a failed backup) `failed`. */
    backupStatus: string;
    /** When the backup completed (ISO 8601), as the vendor reports it. */
    backupTime?: string;
    /** The BatchBackupInstances task id (absent when the instance was found already backed up). */
    taskId?: string;
    /** The instance's job in that task. */
    jobId?: string;
    /** For a failed backup: the vendor's error code and message. */
    errorCode?: string;
    errorMessage?: string;
}

/**
 * Huawei Cloud KooPhone cloud phones parked in OBS: creating the resource backs the instances up and releases their
 * hardware (BatchBackupInstances) and waits until every instance reports backup success; destroying it restores them
 * (BatchPrepareInstances) and waits until each is running again. Changing `instanceIds` parks or restores just the
 * difference.
 */
export class InstanceBackup extends pulumi.dynamic.Resource {
    /** The instances this resource holds backed up (after a partial failure: those that succeeded). */
    declare readonly instanceIds: pulumi.Output<string[]>;
    /** Per instance: backup status, backup time, task id. */
    declare readonly instances: pulumi.Output<InstanceBackupRecord[]>;
    /**
     * What the operation does, in plain words, computed by check from the inputs: `does`, `backup`, `asOfPreview` (with
     * a selector: the backup it would choose as of preview), `onReplace`, `onDelete`... `pulumi preview --diff` shows it.
     * Derived: it never causes an update by itself; absent in state written before it existed until the next update.
     */
    declare readonly plan: pulumi.Output<Record<string, string> | undefined>;
    declare readonly userId: pulumi.Output<string | undefined>;
    declare readonly restoreOnDelete: pulumi.Output<boolean>;
    /** The triggers given: any change backs the instances up anew. */
    declare readonly triggers: pulumi.Output<Record<string, string | number | boolean> | undefined>;
    /** The token naming this declared resource (project, stack and resource name); also the resource id. */
    declare readonly restoreToken: pulumi.Output<string>;

    constructor(name: string, args: InstanceBackupArgs, opts?: pulumi.CustomResourceOptions) {
        const props: Record<string, unknown> = {
            ...args,
            restoreToken: restoreToken(pulumi.getProject(), pulumi.getStack(), name),
            // Names this resource in progress lines (taken off before the provider validates or compares anything).
            [NAME_KEY]: name,
            // The names (never the values) of inputs the program marked secret, for redaction in the provider.
            [SECRET_NAMES_KEY]: secretInputNames(args),
            instances: undefined,
            plan: undefined,
        };
        super(PROVIDER, name, props, opts, "huaweicloud/koophone", "InstanceBackup");
        countRestore();
    }
}
