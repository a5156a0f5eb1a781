import { RESTORE_TOKEN_PROP, omitProps, propTable } from "../core/props";
import { DRILL_PROPS } from "../core/drillProps";
import { ZSTACK_SELECTOR } from "./vmBackups";

/** VM creation strategies (vendor page) and the state each one ends in. */
export const STRATEGY_STATE = { InstantStart: "Running", CreateStopped: "Stopped", JustCreate: "Created" } as const;
/** VM types. */
export const VM_TYPES = ["UserVm", "ApplianceVm"] as const;

export const UUID = /^[0-9a-f]{32}$/;
export const UUID_FORMAT = 'a ZStack uuid: 32 lower-case hex characters such as "a1c07d683f693f6e9f2d7f9a499c7840"';
/**
 * Printable text: no control characters (C0 and C1), no invisible formatting or bidirectional-override characters
 * (which make a name display differently from what it is), no line separators and no unpaired surrogates.
 */
export const NO_CONTROL = /^[^\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]+$/u;
export const PRINTABLE = "printable characters (no control, invisible formatting or bidirectional characters)";
export const MIB = 1024 * 1024;
/**
 * Largest `memorySize`: 16 TiB. No maximum is published; this sane bound is far above any host's memory and keeps
 * nonsense (2^60, 1e300) from reaching the API, which accepted and created such VMs.
 */
export const MAX_MEMORY_BYTES = 16 * 1024 * 1024 * MIB;

const uuid = { kind: "string", pattern: UUID, format: UUID_FORMAT } as const;
const uuids = { kind: "list", items: uuid, maxItems: 64 } as const;
const tags = (what: string) =>
    ({
        kind: "list",
        items: {
            kind: "string",
            maxLength: 2048,
            pattern: NO_CONTROL,
            format: `a ${what} tag: 1 to 2048 ${PRINTABLE}`,
        },
        maxItems: 100,
    }) as const;

/** The fields of `backupSelector` (checked by the shared selector check with {@link ZSTACK_SELECTOR}). */
export const ZSTACK_SELECTOR_FIELDS = propTable({
    /** The VM whose backup groups are searched (32 lower-case hex). */
    vmUuid: { type: { kind: "string" }, required: true },
    /** `Full` or `Incremental` groups only. */
    backupType: { type: { kind: "enum", values: ["Full", "Incremental"] } },
    /** Only groups taken at or after this time (ISO 8601 with a zone). */
    after: { type: { kind: "string" } },
    /** Only groups taken at or before this time (ISO 8601 with a zone). */
    before: { type: { kind: "string" } },
    /** Refuse (fail before anything is created) when the latest complete group is older than this, e.g. "24h". */
    maxAge: { type: { kind: "string" } },
});

/** The fields of `timeouts`. */
export const ZSTACK_TIMEOUT_FIELDS = propTable({
    /** Create job plus reaching the strategy's state. Default "1h". */
    create: { type: { kind: "string" } },
    /** Resuming a wait after an interrupted create. Default "1h". */
    update: { type: { kind: "string" } },
    /** Destroy and expunge. Default "30m". */
    delete: { type: { kind: "string" } },
});

/** The known fields of one NIC of `vmNicParams` (others pass, checked by `checkVmFromBackup`). */
export const NIC_FIELDS = propTable({
    /** L3 network of the NIC (32-hex uuid). */
    l3NetworkUuid: { type: { kind: "string" } },
    /** Static IP address (IPv4 or IPv6). */
    ip: { type: { kind: "string" } },
    /** MAC address (`fa:16:3e:00:00:01`). */
    mac: { type: { kind: "string" } },
});

/**
 * The properties of `zstack.VmFromBackup`. Field names follow CreateVmFromVmBackup (ZStack Cloud API:
 * `POST /zstack/v1/vm-instances/from/vm-backups/{groupUuid}`). Every uuid is 32 lower-case hex. Every field except
 * `expungeOnDelete`, `timeouts` and `adoptId` is used when the VM is created: changing it replaces the VM (and is part
 * of the intent from which the VM's uuid is derived).
 */
export const VM_FROM_BACKUP_PROPS = propTable({
    /** The restore token (project, stack and resource name), set by the resource class. */
    restoreToken: RESTORE_TOKEN_PROP,
    /** The VM backup group to create the VM from. Set this or `backupSelector`. */
    backupGroupUuid: { type: uuid, replaces: true },
    /**
     * Instead of `backupGroupUuid`: the latest complete backup group of a VM (every volume backup Ready), chosen at
     * create (output `selectedBackupId`). A newer backup later changes nothing; change `triggers` to restore again.
     */
    backupSelector: {
        type: {
            kind: "selector",
            spec: ZSTACK_SELECTOR,
            name: "BackupSelector",
            doc: '"The latest complete backup group of this VM" (QueryVolumeBackup), resolved once at create.',
            fields: ZSTACK_SELECTOR_FIELDS,
        },
        replaces: true,
    },
    /** Any change of these values creates the VM again (replace), e.g. `{ week: "2026-11-23" }`. */
    triggers: { type: { kind: "triggers" }, replaces: true },
    /** Name of the new VM (1 to 255 characters). Required. */
    name: {
        type: { kind: "string", minLength: 1, maxLength: 255, pattern: NO_CONTROL, format: `1 to 255 ${PRINTABLE}` },
        required: true,
        replaces: true,
    },
    /** Instance offering of the new VM. Required unless both `cpuNum` and `memorySize` are set. */
    instanceOfferingUuid: { type: uuid, replaces: true },
    /** L3 networks of the VM's NICs. Default: the backed-up VM's networks. */
    l3NetworkUuids: { type: uuids, defaultText: "the backed-up VM's networks", replaces: true },
    /** The default L3 network; must be one of `l3NetworkUuids`. */
    defaultL3NetworkUuid: { type: uuid, replaces: true },
    /** Zone to place the VM in. */
    zoneUuid: { type: uuid, replaces: true },
    /** Cluster to place the VM in. */
    clusterUuid: { type: uuid, replaces: true },
    /** Host to place the VM on. State keeps this as `requestedHostUuid`; the output `hostUuid` is where it runs. */
    hostUuid: { type: uuid, replaces: true },
    /** Backup storage holding the backup. */
    backupStorageUuid: { type: uuid, replaces: true },
    /** Primary storage for the root volume. */
    primaryStorageUuidForRootVolume: { type: uuid, replaces: true },
    /** Primary storage for the data volumes. */
    primaryStorageUuidForDataVolume: { type: uuid, replaces: true },
    /** Description of the VM (at most 2048 characters). */
    description: {
        type: { kind: "string", maxLength: 2048, pattern: NO_CONTROL, format: `at most 2048 ${PRINTABLE}` },
        replaces: true,
    },
    /** System tags of the root volume. */
    rootVolumeSystemTags: { type: tags("root volume system"), replaces: true },
    /** System tags of the data volumes. */
    dataVolumeSystemTags: { type: tags("data volume system"), replaces: true },
    /** `InstantStart` (default; ends Running), `CreateStopped` (ends Stopped) or `JustCreate` (ends Created). */
    strategy: {
        type: { kind: "enum", values: ["InstantStart", "CreateStopped", "JustCreate"] },
        default: "InstantStart",
        replaces: true,
    },
    /** `UserVm` or `ApplianceVm`. */
    type: { type: { kind: "enum", values: VM_TYPES }, replaces: true },
    /** vCPUs (1 to 1024), instead of an instance offering. */
    cpuNum: { type: { kind: "integer", min: 1, max: 1024, unit: "vCPUs" }, replaces: true },
    /** Memory in bytes (a whole number of MiB, at least 16 MiB), instead of an instance offering. */
    memorySize: {
        type: { kind: "integer", min: 16 * MIB, max: MAX_MEMORY_BYTES, unit: "bytes (16 MiB to 16 TiB)" },
        replaces: true,
    },
    /** NIC parameters: JSON text (as the API takes it) or a list of objects, which is serialized. */
    vmNicParams: {
        type: {
            kind: "jsonOr",
            of: {
                kind: "list",
                items: {
                    kind: "object",
                    name: "VmNicParam",
                    doc: "One NIC request for `vmNicParams` (serialized to the JSON text the API takes).",
                    fields: NIC_FIELDS,
                    open: true,
                },
            },
        },
        replaces: true,
    },
    /** Tags (by uuid) to attach. */
    tagUuids: { type: uuids, replaces: true },
    /** System tags of the VM (`resourceUuid::` is reserved: the provider chooses the VM's uuid). */
    systemTags: { type: tags("system"), replaces: true },
    /**
     * User tags of the VM. The provider adds its own, `pulumi-restore-token::<restore token>` (the mark by which it
     * recognises the VMs it created); yours must not begin with `pulumi-restore-token::`.
     */
    userTags: { type: tags("user"), replaces: true },
    /**
     * On delete, expunge the VM after destroying it (default true). With false, the VM stays `Destroyed` in the
     * recycle bin and ZStack expunges it per its deletion policy (7 days by default). Changes in place.
     */
    expungeOnDelete: { type: { kind: "boolean" }, default: true },
    /** Time-outs; defaults create "1h", update "1h", delete "30m". */
    timeouts: {
        type: {
            kind: "timeouts",
            name: "Timeouts",
            doc:
                'Per-operation time-outs, as durations such as "30m" or "2h" (the dynamic-provider host ignores ' +
                "`customTimeouts`).",
            fields: ZSTACK_TIMEOUT_FIELDS,
        },
        defaultText: 'create "1h", update "1h", delete "30m"',
    },
    /**
     * Take over an existing VM instead of creating one (dynamic resources cannot be `pulumi import`ed). Create checks
     * that it exists and matches `name`, and never calls CreateVmFromVmBackup. Destroy then treats it like any other.
     */
    adoptId: { type: { kind: "string", pattern: UUID, format: `the uuid of an existing VM: ${UUID_FORMAT}` } },
});

/** The drill-only inputs of `zstack.RestoreDrill`. */
export const VM_DRILL_EXTRA_PROPS = propTable({
    /**
     * Password of an account in the restored VM (it comes with the backup), handed to the verify command as
     * DRILL_PASSWORD. Secret in state.
     */
    guestPassword: {
        type: {
            kind: "string",
            minLength: 8,
            maxLength: 256,
            format: "8 or more characters (shorter ones could not be redacted from the verify output reliably)",
        },
        secret: true,
    },
});

/**
 * The properties of `zstack.RestoreDrill`: the arguments of `VmFromBackup` (checked by the same checker; the name is
 * set by the drill, `strategy` must stay InstantStart and `expungeOnDelete` true), the drill-only ones, and the
 * drills' own.
 */
export const VM_DRILL_PROPS = propTable({
    ...VM_DRILL_EXTRA_PROPS,
    ...omitProps(VM_FROM_BACKUP_PROPS, ["name", "adoptId"]),
    ...DRILL_PROPS,
});
