import * as pulumi from "@pulumi/pulumi";
import { countRestore } from "../core/parallelism";
import { secretInputNames } from "../core/resourceOptions";
import { resourceProvider, NAME_KEY, restoreToken, SECRET_NAMES_KEY } from "../core/resource";
import type { NicOutput, VolumeOutput } from "./vmInputs";
import { ArgsOf } from "../core/props";
import { NIC_FIELDS, VM_FROM_BACKUP_PROPS, ZSTACK_SELECTOR_FIELDS, ZSTACK_TIMEOUT_FIELDS } from "./vmProps";

/**
 * One provider object for every instance of the class (the SDK caches a provider's serialization per object, so 200
 * resources serialize it once). Installed: this provider's entry module, which `__provider` merely requires; from a
 * source checkout: a shim that loads the provider module by path inside the host.
 */
const PROVIDER = resourceProvider(require.resolve("./vmProvider"), () =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when installed: see resourceProvider
    require("./vmEntry"),
);

/** Per-operation time-outs, as durations such as "30m" or "2h" (the dynamic-provider host ignores `customTimeouts`). */
export type TimeoutsArgs = ArgsOf<typeof ZSTACK_TIMEOUT_FIELDS>;

/** One NIC request for `vmNicParams` (serialized to the JSON text the API takes); other NIC parameters pass too. */
export type VmNicParamArgs = ArgsOf<typeof NIC_FIELDS> & { [key: string]: unknown };

/** "The latest complete backup group of this VM" (QueryVolumeBackup), resolved once at create. */
export type BackupSelectorArgs = ArgsOf<typeof ZSTACK_SELECTOR_FIELDS>;

/**
 * Arguments of {@link VmFromBackup}: the properties of its table (provider/zstack/vmProps.ts, where each is
 * documented, typed and given its rules). Field names follow CreateVmFromVmBackup (ZStack Cloud API:
 * `POST /zstack/v1/vm-instances/from/vm-backups/{groupUuid}`). Every uuid is 32 lower-case hex. Every field except
 * `expungeOnDelete` and `timeouts` is used when the VM is created: changing it replaces the VM.
 */
export type VmFromBackupArgs = ArgsOf<typeof VM_FROM_BACKUP_PROPS>;

/** A NIC and a volume of the VM, as in outputs: the provider's own types. */
export type { NicOutput, VolumeOutput };

/**
 * A ZStack Cloud VM created from a VM backup group (CreateVmFromVmBackup).
 *
 * Create submits the asynchronous job with a VM uuid derived from the resource (so a lost answer, a crash or a
 * repeated `pulumi up` never creates a second VM), waits for the job and then for the state the strategy implies.
 * Destroy destroys the VM and, unless `expungeOnDelete` is false, expunges it.
 */
export class VmFromBackup extends pulumi.dynamic.Resource {
    /** The VM's uuid (32 hex), derived from project, stack, resource name and inputs. */
    declare readonly uuid: pulumi.Output<string>;
    /** The VM's state as last seen (Running, Stopped or Created after create, per `strategy`). */
    declare readonly state: pulumi.Output<string>;
    /** The host the VM runs on (absent while stopped). */
    declare readonly hostUuid: pulumi.Output<string | undefined>;
    /** The `hostUuid` input. */
    declare readonly requestedHostUuid: pulumi.Output<string | undefined>;
    /** The VM's NICs. */
    declare readonly nics: pulumi.Output<NicOutput[]>;
    /** IP addresses of the NICs. */
    declare readonly ips: pulumi.Output<string[]>;
    /** MAC addresses of the NICs. */
    declare readonly macs: pulumi.Output<string[]>;
    /** The VM's volumes. */
    declare readonly volumes: pulumi.Output<VolumeOutput[]>;
    /** When ZStack created the VM, as ZStack writes it (e.g. "Nov 14, 2017 10:20:57 PM"). */
    declare readonly createDate: pulumi.Output<string | undefined>;
    /** True when the VM was adopted (adoptId) or found from an interrupted earlier attempt. */
    declare readonly adopted: pulumi.Output<boolean>;
    /** The restore token of this resource (project, stack and name). */
    declare readonly restoreToken: pulumi.Output<string>;
    /** The backup group uuid given (absent with a selector). */
    declare readonly backupGroupUuid: pulumi.Output<string | undefined>;
    declare readonly backupSelector: pulumi.Output<Record<string, string> | undefined>;
    declare readonly triggers: pulumi.Output<Record<string, string | number | boolean> | undefined>;
    /** The backup group restored: the explicit uuid, or the one `backupSelector` chose at create. */
    declare readonly selectedBackupId: pulumi.Output<string | undefined>;
    /** When that group was taken (ISO 8601, UTC); known for a group chosen by the selector. */
    declare readonly selectedBackupTime: pulumi.Output<string | undefined>;
    /**
     * What the operation does, in plain words, computed by check from the inputs: `does`, `backup`, `asOfPreview` (with
     * a selector: the backup it would choose as of preview), `onReplace`, `onDelete`... `pulumi preview --diff` shows it.
     * Derived: it never causes an update by itself; absent in state written before it existed until the next update.
     */
    declare readonly plan: pulumi.Output<Record<string, string> | undefined>;
    declare readonly name: pulumi.Output<string>;
    declare readonly strategy: pulumi.Output<"InstantStart" | "CreateStopped" | "JustCreate">;
    declare readonly expungeOnDelete: pulumi.Output<boolean>;

    constructor(name: string, args: VmFromBackupArgs, opts?: pulumi.CustomResourceOptions) {
        const props: Record<string, unknown> = {
            ...args,
            restoreToken: restoreToken(pulumi.getProject(), pulumi.getStack(), name),
            // Names this resource in progress lines (taken off before the provider validates or compares anything).
            [NAME_KEY]: name,
            // The names (never the values) of inputs the program marked secret, for redaction in the provider.
            [SECRET_NAMES_KEY]: secretInputNames(args),
            uuid: undefined,
            state: undefined,
            hostUuid: args.hostUuid,
            requestedHostUuid: undefined,
            nics: undefined,
            ips: undefined,
            macs: undefined,
            volumes: undefined,
            createDate: undefined,
            adopted: undefined,
            selectedBackupId: undefined,
            selectedBackupTime: undefined,
            plan: undefined,
        };
        super(PROVIDER, name, props, opts, "zstack", "VmFromBackup");
        countRestore();
    }
}
