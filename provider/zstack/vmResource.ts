import * as pulumi from "@pulumi/pulumi";
import { countRestore } from "../core/parallelism";
import { secretInputNames } from "../core/resourceOptions";
import { resourceProvider, NAME_KEY, restoreToken, SECRET_NAMES_KEY } from "../core/resource";
import type { NicOutput, VolumeOutput } from "./vmInputs";

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
export interface TimeoutsArgs {
    /** Create job plus reaching the strategy's state. Default "1h". */
    create?: pulumi.Input<string>;
    /** Resuming a wait after an interrupted create. Default "1h". */
    update?: pulumi.Input<string>;
    /** Destroy and expunge. Default "30m". */
    delete?: pulumi.Input<string>;
}

/** One NIC request for `vmNicParams` (serialized to the JSON text the API takes). */
export interface VmNicParamArgs {
    /** L3 network of the NIC (32-hex uuid). */
    l3NetworkUuid?: pulumi.Input<string>;
    /** Static IP address (IPv4 or IPv6). */
    ip?: pulumi.Input<string>;
    /** MAC address (`fa:16:3e:00:00:01`). */
    mac?: pulumi.Input<string>;
    /** Other NIC parameters ZStack accepts (e.g. `netmask`, `gateway`, `driverType`). */
    [key: string]: unknown;
}

/** "The latest complete backup group of this VM" (QueryVolumeBackup), resolved once at create. */
export interface BackupSelectorArgs {
    /** The VM whose backup groups are searched (32 lower-case hex). */
    vmUuid: pulumi.Input<string>;
    /** `Full` or `Incremental` groups only. */
    backupType?: pulumi.Input<"Full" | "Incremental">;
    /** Only groups taken at or after this time (ISO 8601 with a zone). */
    after?: pulumi.Input<string>;
    /** Only groups taken at or before this time (ISO 8601 with a zone). */
    before?: pulumi.Input<string>;
    /** Refuse (fail before anything is created) when the latest complete group is older than this, e.g. "24h". */
    maxAge?: pulumi.Input<string>;
}

/**
 * Arguments of {@link VmFromBackup}. Field names follow CreateVmFromVmBackup
 * (ZStack Cloud API: `POST /zstack/v1/vm-instances/from/vm-backups/{groupUuid}`). Every uuid is 32 lower-case hex.
 * Every field except `expungeOnDelete` and `timeouts` is used when the VM is created: changing it replaces the VM.
 */
export interface VmFromBackupArgs {
    /** The VM backup group to create the VM from. Set this or `backupSelector`. */
    backupGroupUuid?: pulumi.Input<string>;
    /**
     * Instead of `backupGroupUuid`: the latest complete backup group of a VM (every volume backup Ready), chosen at
     * create (output `selectedBackupId`). A newer backup later changes nothing; change `triggers` to restore again.
     */
    backupSelector?: pulumi.Input<BackupSelectorArgs>;
    /** Any change of these values creates the VM again (replace), e.g. `{ week: "2026-11-23" }`. */
    triggers?: pulumi.Input<Record<string, pulumi.Input<string | number | boolean>>>;
    /** Name of the new VM (1 to 255 characters). Required. */
    name: pulumi.Input<string>;
    /** Instance offering of the new VM. Required unless both `cpuNum` and `memorySize` are set. */
    instanceOfferingUuid?: pulumi.Input<string>;
    /** L3 networks of the VM's NICs. Default: the backed-up VM's networks. */
    l3NetworkUuids?: pulumi.Input<pulumi.Input<string>[]>;
    /** The default L3 network; must be one of `l3NetworkUuids`. */
    defaultL3NetworkUuid?: pulumi.Input<string>;
    /** Zone to place the VM in. */
    zoneUuid?: pulumi.Input<string>;
    /** Cluster to place the VM in. */
    clusterUuid?: pulumi.Input<string>;
    /** Host to place the VM on. State keeps this as `requestedHostUuid`; the output `hostUuid` is where it runs. */
    hostUuid?: pulumi.Input<string>;
    /** Backup storage holding the backup. */
    backupStorageUuid?: pulumi.Input<string>;
    /** Primary storage for the root volume. */
    primaryStorageUuidForRootVolume?: pulumi.Input<string>;
    /** Primary storage for the data volumes. */
    primaryStorageUuidForDataVolume?: pulumi.Input<string>;
    /** Description of the VM (at most 2048 characters). */
    description?: pulumi.Input<string>;
    /** System tags of the root volume. */
    rootVolumeSystemTags?: pulumi.Input<pulumi.Input<string>[]>;
    /** System tags of the data volumes. */
    dataVolumeSystemTags?: pulumi.Input<pulumi.Input<string>[]>;
    /** `InstantStart` (default; ends Running), `CreateStopped` (ends Stopped) or `JustCreate` (ends Created). */
    strategy?: pulumi.Input<"InstantStart" | "CreateStopped" | "JustCreate">;
    /** `UserVm` or `ApplianceVm`. */
    type?: pulumi.Input<"UserVm" | "ApplianceVm">;
    /** vCPUs (1 to 1024), instead of an instance offering. */
    cpuNum?: pulumi.Input<number>;
    /** Memory in bytes (a whole number of MiB, at least 16 MiB), instead of an instance offering. */
    memorySize?: pulumi.Input<number>;
    /** NIC parameters: JSON text (as the API takes it) or a list of objects, which is serialized. */
    vmNicParams?: pulumi.Input<string | pulumi.Input<VmNicParamArgs>[]>;
    /** Tags (by uuid) to attach. */
    tagUuids?: pulumi.Input<pulumi.Input<string>[]>;
    /** System tags of the VM (`resourceUuid::` is reserved: the provider chooses the VM's uuid). */
    systemTags?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * User tags of the VM. The provider adds its own, `pulumi-restore-token::<restore token>` (the mark by which it
     * recognises the VMs it created); yours must not begin with `pulumi-restore-token::`.
     */
    userTags?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * On delete, expunge the VM after destroying it (default true). With false, the VM stays `Destroyed` in the
     * recycle bin and ZStack expunges it per its deletion policy (7 days by default). Changes in place.
     */
    expungeOnDelete?: pulumi.Input<boolean>;
    /** Time-outs; defaults create "1h", update "1h", delete "30m". */
    timeouts?: pulumi.Input<TimeoutsArgs>;
    /**
     * Take over an existing VM instead of creating one (dynamic resources cannot be `pulumi import`ed). Create checks
     * that it exists and matches `name`, and never calls CreateVmFromVmBackup. Destroy then treats it like any other.
     */
    adoptId?: pulumi.Input<string>;
}

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
