import { Checker, CheckFailure, Timeouts, UNKNOWN, clean, isUnknown, isUnknownValue } from "../core/validate";

/** VM creation strategies (vendor page) and the state each one ends in. */
export const STRATEGY_STATE = { InstantStart: "Running", CreateStopped: "Stopped", JustCreate: "Created" } as const;
/** A creation strategy. */
export type Strategy = keyof typeof STRATEGY_STATE;
/** VM types. */
export const VM_TYPES = ["UserVm", "ApplianceVm"] as const;

/** Normalised inputs of `VmFromBackup`, as check() returns them and state keeps them. */
export interface VmFromBackupInputs {
    restoreToken: string;
    backupGroupUuid: string;
    name: string;
    instanceOfferingUuid?: string;
    l3NetworkUuids?: string[];
    defaultL3NetworkUuid?: string;
    zoneUuid?: string;
    clusterUuid?: string;
    hostUuid?: string;
    backupStorageUuid?: string;
    primaryStorageUuidForRootVolume?: string;
    primaryStorageUuidForDataVolume?: string;
    description?: string;
    rootVolumeSystemTags?: string[];
    dataVolumeSystemTags?: string[];
    strategy: Strategy;
    type?: (typeof VM_TYPES)[number];
    cpuNum?: number;
    memorySize?: number;
    /** JSON text, as the API takes it (a list given in the program is serialized). */
    vmNicParams?: string;
    tagUuids?: string[];
    systemTags?: string[];
    userTags?: string[];
    expungeOnDelete: boolean;
    timeouts?: Timeouts;
    adoptId?: string;
}

/** A NIC of the VM, in outputs. */
export interface NicOutput {
    l3NetworkUuid: string;
    ip: string;
    mac: string;
}

/** A volume of the VM, in outputs. */
export interface VolumeOutput {
    uuid: string;
    /** `Root` or `Data`. */
    type: string;
    /** Bytes. */
    size: number;
}

/** Outputs of `VmFromBackup`: the effective inputs plus what ZStack reports. */
export interface VmFromBackupOutputs extends VmFromBackupInputs {
    uuid: string;
    state: string;
    /** The host the VM runs on (the input `hostUuid` is kept as `requestedHostUuid`). */
    hostUuid?: string;
    /** The `hostUuid` input. */
    requestedHostUuid?: string;
    nics: NicOutput[];
    ips: string[];
    macs: string[];
    volumes: VolumeOutput[];
    createDate?: string;
    /** True when the VM was taken over (adoptId) or found from an interrupted earlier attempt. */
    adopted: boolean;
}

/** Properties a user may set. */
export const INPUT_KEYS = [
    "restoreToken", "backupGroupUuid", "name", "instanceOfferingUuid", "l3NetworkUuids", "defaultL3NetworkUuid", "zoneUuid",
    "clusterUuid", "hostUuid", "backupStorageUuid", "primaryStorageUuidForRootVolume", "primaryStorageUuidForDataVolume",
    "description", "rootVolumeSystemTags", "dataVolumeSystemTags", "strategy", "type", "cpuNum", "memorySize", "vmNicParams",
    "tagUuids", "systemTags", "userTags", "expungeOnDelete", "timeouts", "adoptId",
] as const;

/**
 * Inputs that hold secrets: the resource class marks them secret (state keeps them encrypted) and the provider
 * registers their values for redaction in every call (see `ProviderBase`).
 */
export const SECRET_INPUTS: readonly string[] = [];

/** Output-only properties (ignored when they come back as inputs). */
export const OUTPUT_KEYS = ["uuid", "state", "nics", "ips", "macs", "volumes", "createDate", "adopted", "requestedHostUuid"] as const;

const UUID = /^[0-9a-f]{32}$/;
const UUID_FORMAT = 'a ZStack uuid: 32 lower-case hex characters such as "a1c07d683f693f6e9f2d7f9a499c7840"';
/**
 * Printable text: no control characters (C0 and C1), no invisible formatting or bidirectional-override characters
 * (which make a name display differently from what it is), no line separators and no unpaired surrogates.
 */
const NO_CONTROL = /^[^\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]+$/u;
const PRINTABLE = "printable characters (no control, invisible formatting or bidirectional characters)";
const MIB = 1024 * 1024;

/** Validates and normalises `VmFromBackup` inputs, offline. */
export function checkVmFromBackup(news: Record<string, unknown>): { inputs: VmFromBackupInputs; failures: CheckFailure[] } {
    const c = new Checker(news);
    c.unknownKeys([...INPUT_KEYS, ...OUTPUT_KEYS], INPUT_KEYS);
    const uuid = (p: string, required = false) => c.string(p, { required, pattern: UUID, format: UUID_FORMAT });
    const uuidList = (p: string) => c.list<string>(p, (ip, v) => c.stringValue(ip, v, { required: true, pattern: UUID, format: UUID_FORMAT }), { maxItems: 64 });
    const tagList = (p: string, what: string) =>
        c.list<string>(p, (ip, v) => c.stringValue(ip, v, { required: true, maxLength: 2048, pattern: NO_CONTROL, format: `a ${what} tag: 1 to 2048 ${PRINTABLE}` }), { maxItems: 100 });

    const restoreToken = c.string("restoreToken", { required: true, pattern: /^prt-[0-9a-f]{20}$/, format: "set by the resource class (prt- and 20 hex digits)" });
    const backupGroupUuid = uuid("backupGroupUuid", true);
    const name = c.string("name", { required: true, minLength: 1, maxLength: 255, pattern: NO_CONTROL, format: `1 to 255 ${PRINTABLE}` });
    const instanceOfferingUuid = uuid("instanceOfferingUuid");
    const cpuNum = c.integer("cpuNum", { min: 1, max: 1024, unit: "vCPUs" });
    const memorySize = c.integer("memorySize", { min: 16 * MIB, unit: "bytes (16 MiB)" });
    if (typeof memorySize === "number" && memorySize % MIB !== 0) c.fail("memorySize", `must be a whole number of MiB in bytes (a multiple of ${MIB}), got ${memorySize}`);
    if (!news.instanceOfferingUuid && (news.cpuNum === undefined || news.memorySize === undefined)) {
        c.fail("instanceOfferingUuid", "required unless both cpuNum and memorySize are set: the instance offering of the new VM (a 32-hex uuid)");
    }
    const l3NetworkUuids = uuidList("l3NetworkUuids");
    const defaultL3NetworkUuid = uuid("defaultL3NetworkUuid");
    if (defaultL3NetworkUuid && !isUnknownValue(defaultL3NetworkUuid) && Array.isArray(l3NetworkUuids) && !isUnknownList(news.l3NetworkUuids)) {
        if (!(news.l3NetworkUuids as unknown[]).includes(defaultL3NetworkUuid)) c.fail("defaultL3NetworkUuid", `must be one of l3NetworkUuids (${l3NetworkUuids.join(", ")}), got "${defaultL3NetworkUuid}"`);
    }
    if (Array.isArray(l3NetworkUuids) && hasDuplicates(l3NetworkUuids)) c.fail("l3NetworkUuids", "must not list the same L3 network twice");
    const zoneUuid = uuid("zoneUuid");
    const clusterUuid = uuid("clusterUuid");
    const hostUuid = uuid("hostUuid");
    const backupStorageUuid = uuid("backupStorageUuid");
    const primaryStorageUuidForRootVolume = uuid("primaryStorageUuidForRootVolume");
    const primaryStorageUuidForDataVolume = uuid("primaryStorageUuidForDataVolume");
    const description = c.string("description", { maxLength: 2048, format: "at most 2048 characters" });
    const rootVolumeSystemTags = tagList("rootVolumeSystemTags", "root volume system");
    const dataVolumeSystemTags = tagList("dataVolumeSystemTags", "data volume system");
    const strategy = c.oneOf("strategy", Object.keys(STRATEGY_STATE) as Strategy[], { default: "InstantStart" }) ?? "InstantStart";
    const type = c.oneOf("type", VM_TYPES);
    const vmNicParams = checkNicParams(c, news.vmNicParams);
    const tagUuids = uuidList("tagUuids");
    const systemTags = tagList("systemTags", "system");
    if (Array.isArray(systemTags) && systemTags.some((t) => typeof t === "string" && /^resourceUuid::/.test(t))) {
        c.fail("systemTags", "must not set resourceUuid: pulumi-restore chooses the VM's uuid to make the create idempotent");
    }
    const userTags = tagList("userTags", "user");
    const expungeOnDelete = c.boolean("expungeOnDelete", { default: true }) ?? true;
    const timeouts = c.timeouts();
    const adoptId = c.string("adoptId", { pattern: UUID, format: `the uuid of an existing VM: ${UUID_FORMAT}` });
    const inputs: VmFromBackupInputs = clean({
        restoreToken: restoreToken as string,
        backupGroupUuid: backupGroupUuid as string,
        name: name as string,
        instanceOfferingUuid,
        l3NetworkUuids,
        defaultL3NetworkUuid,
        zoneUuid,
        clusterUuid,
        hostUuid,
        backupStorageUuid,
        primaryStorageUuidForRootVolume,
        primaryStorageUuidForDataVolume,
        description,
        rootVolumeSystemTags,
        dataVolumeSystemTags,
        strategy,
        type,
        cpuNum,
        memorySize,
        vmNicParams,
        tagUuids,
        systemTags,
        userTags,
        expungeOnDelete,
        timeouts,
        adoptId,
    });
    return { inputs, failures: c.failures };
}

function isUnknownList(v: unknown): boolean {
    return isUnknownValue(v) || (Array.isArray(v) && v.some(isUnknownValue));
}

/** Whether a list names one value twice; unknown items (preview) are not compared: each may be anything. */
function hasDuplicates(list: readonly unknown[]): boolean {
    const known = list.filter((x) => !isUnknownValue(x));
    return new Set(known).size !== known.length;
}

/** `vmNicParams`: JSON text of a list of objects (vendor page: String), or such a list, which is serialized. */
function checkNicParams(c: Checker, v: unknown): string | undefined {
    if (v === undefined || v === null || v === "") return undefined;
    if (isUnknownValue(v)) return v as string;
    let list: unknown = v;
    if (typeof v === "string") {
        try {
            list = JSON.parse(v);
        } catch {
            c.fail("vmNicParams", 'must be JSON text of a list of NIC objects, e.g. [{"l3NetworkUuid":"...","ip":"10.0.0.5"}], got text that is not JSON');
            return undefined;
        }
    }
    // A NIC not known yet (preview) makes the JSON text unknown too; the known NICs are still checked.
    const anyUnknown = Array.isArray(list) && list.some(isUnknownValue);
    if (!Array.isArray(list) || list.some((x) => !isUnknownValue(x) && (!x || typeof x !== "object" || Array.isArray(x)))) {
        c.fail("vmNicParams", 'must be a list of NIC objects (or its JSON text), e.g. [{"l3NetworkUuid":"...","ip":"10.0.0.5"}]');
        return undefined;
    }
    list.forEach((n, i) => {
        if (isUnknownValue(n)) return;
        const l3 = (n as Record<string, unknown>).l3NetworkUuid;
        if (l3 !== undefined && !isUnknownValue(l3) && (typeof l3 !== "string" || !UUID.test(l3))) c.fail(`vmNicParams[${i}].l3NetworkUuid`, `must be ${UUID_FORMAT}`);
    });
    if (anyUnknown || isUnknown(list)) return UNKNOWN;
    return typeof v === "string" ? v : JSON.stringify(list);
}
