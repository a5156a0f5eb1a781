import * as pulumi from "@pulumi/pulumi";
import { countRestore } from "../core/parallelism";
import { resourceProvider, NAME_KEY, restoreToken } from "../core/resource";
import { SECRET_INPUTS } from "./redisInputs";
import { withSecretInputs, withSecretOutputs } from "../core/resourceOptions";
import { ArgsOf } from "../core/props";
import { INSTANCE_RESTORE_PROPS, REDIS_SELECTOR_FIELDS, REDIS_TIMEOUT_FIELDS } from "./redisProps";

/**
 * One provider object for every instance of the class (the SDK caches a provider's serialization per object, so 200
 * resources serialize it once). Installed: this provider's entry module, which `__provider` merely requires; from a
 * source checkout: a shim that loads the provider module by path inside the host.
 */
const PROVIDER = resourceProvider(require.resolve("./redisProvider"), () =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when installed: see resourceProvider
    require("./redisEntry"),
);

/** Per-operation time-outs, as durations such as "90m" or "2h" (the dynamic-provider host ignores `customTimeouts`). */
export type TimeoutsArgs = ArgsOf<typeof REDIS_TIMEOUT_FIELDS>;

/** "The latest normal backup of the instance", resolved once at create. */
export type BackupSelectorArgs = ArgsOf<typeof REDIS_SELECTOR_FIELDS>;

/**
 * Arguments of {@link InstanceRestore}: the properties of its table (provider/tencentcloud/redisProps.ts, where each is
 * documented, typed and given its rules). Field names follow the vendor page RestoreInstance
 * (API 2018-04-12; https://console.cloud.tencent.com/api/explorer?Product=redis&Version=2018-04-12&Action=RestoreInstance).
 */
export type InstanceRestoreArgs = ArgsOf<typeof INSTANCE_RESTORE_PROPS>;

/**
 * Restores a Tencent Cloud Redis instance in place from one of its backups (RestoreInstance), and waits until the
 * restore task succeeds. The instance's current data is overwritten and service is interrupted during the restore.
 *
 * Destroy removes the resource from the stack only: a restore cannot be undone, so the instance keeps the restored
 * data (a warning says so). `pulumi refresh` drops the resource when the instance no longer exists.
 *
 * A `pulumi up` interrupted after the restore started (host killed, CI job cancelled) never leads to a second restore
 * on re-run, on any machine: before RestoreInstance the instance's task list is checked, a task still running is
 * followed, and a finished restore that nothing in the stack records makes the create refuse (set `adoptTaskId` or
 * `ignoreTaskIds`). A local journal (`PULUMI_RESTORE_STATE_DIR`) lets a re-run on the same machine follow it by itself.
 */
export class InstanceRestore extends pulumi.dynamic.Resource {
    /** The restored instance, e.g. `crs-5a4py64p`. */
    declare readonly instanceId: pulumi.Output<string>;
    /** The backup restored. */
    /** The backup id given (absent with a selector). */
    declare readonly backupId: pulumi.Output<string | undefined>;
    declare readonly backupSelector: pulumi.Output<Record<string, string> | undefined>;
    /** The backup restored: the explicit id, or the one `backupSelector` chose at create. */
    declare readonly selectedBackupId: pulumi.Output<string | undefined>;
    /** When that backup ended (ISO 8601, UTC). */
    declare readonly selectedBackupTime: pulumi.Output<string | undefined>;
    /**
     * What the operation does, in plain words, computed by check from the inputs: `does`, `backup`, `asOfPreview` (with
     * a selector: the backup it would choose as of preview), `onReplace`, `onDelete`... `pulumi preview --diff` shows it.
     * Derived: it never causes an update by itself; absent in state written before it existed until the next update.
     */
    declare readonly plan: pulumi.Output<Record<string, string> | undefined>;
    /** The restore task (DescribeTaskInfo). */
    declare readonly taskId: pulumi.Output<number>;
    /** The task's status as last seen (`succeed` after a successful create). */
    declare readonly status: pulumi.Output<string>;
    /** When the backup started, as the API reports it (`YYYY-MM-DD HH:mm:ss`, Beijing time). */
    declare readonly backupStartTime: pulumi.Output<string | undefined>;
    /** When the backup ended, as the API reports it (`YYYY-MM-DD HH:mm:ss`, Beijing time). */
    declare readonly backupEndTime: pulumi.Output<string | undefined>;
    /** When the restore was seen to succeed (ISO 8601, UTC). */
    declare readonly restoredAt: pulumi.Output<string | undefined>;
    /** The region used. */
    declare readonly region: pulumi.Output<string>;
    /** True when the task was started by an earlier, interrupted attempt of this resource and followed. */
    declare readonly adopted: pulumi.Output<boolean>;
    /** The password given (secret). */
    declare readonly password: pulumi.Output<string | undefined>;
    /** The triggers given. */
    declare readonly triggers: pulumi.Output<Record<string, string | number | boolean> | undefined>;
    /** The restore token (project, stack and resource name). */
    declare readonly restoreToken: pulumi.Output<string>;

    constructor(name: string, args: InstanceRestoreArgs, opts?: pulumi.CustomResourceOptions) {
        const props: Record<string, unknown> = {
            ...withSecretInputs({ ...args }, SECRET_INPUTS),
            restoreToken: restoreToken(pulumi.getProject(), pulumi.getStack(), name),
            // Names this resource in progress lines (taken off before the provider validates or compares anything).
            [NAME_KEY]: name,
            region: args.region,
            taskId: undefined,
            status: undefined,
            backupStartTime: undefined,
            backupEndTime: undefined,
            restoredAt: undefined,
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
            "tencentcloud/redis",
            "InstanceRestore",
        );
        countRestore();
    }
}
