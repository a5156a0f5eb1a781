import { isIP } from "net";
import { MARK_PREFIX } from "./vmMark";
import {
    BackupSelector,
    checkBackupSelector,
    checkIdOrSelector,
    checkTriggers,
    given,
    selectorForState,
    selectorFromState,
} from "../core/backupSelection";
import { Checker, CheckFailure, Timeouts, UNKNOWN, clean, isUnknown, isUnknownValue } from "../core/validate";
import { ZSTACK_SELECTOR } from "./vmBackups";

/** VM creation strategies (vendor page) and the state each one ends in. */
export const STRATEGY_STATE = { InstantStart: "Running", CreateStopped: "Stopped", JustCreate: "Created" } as const;
/** A creation strategy. */
export type Strategy = keyof typeof STRATEGY_STATE;
/** VM types. */
export const VM_TYPES = ["UserVm", "ApplianceVm"] as const;

/** Normalised inputs of `VmFromBackup`, as check() returns them and state keeps them. */
export interface VmFromBackupInputs {
    restoreToken: string;
    /** One VM backup group by uuid; or {@link backupSelector} (exactly one of the two unless adopting). */
    backupGroupUuid?: string;
    /** The latest complete backup group of a VM, resolved at create: `{ vmUuid, backupType?, after?, before?, maxAge? }`. */
    backupSelector?: Record<string, string>;
    /** Any change creates the VM again (replace), from the then-latest backup group when a selector is used. */
    triggers?: Record<string, unknown>;
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
    /** The backup group restored: the explicit uuid, or the one the selector chose at create. */
    selectedBackupId?: string;
    /** When that group's newest volume backup was created (ISO 8601, UTC). */
    selectedBackupTime?: string;
}

/** Properties a user may set. */
export const INPUT_KEYS = [
    "restoreToken",
    "backupGroupUuid",
    "backupSelector",
    "triggers",
    "name",
    "instanceOfferingUuid",
    "l3NetworkUuids",
    "defaultL3NetworkUuid",
    "zoneUuid",
    "clusterUuid",
    "hostUuid",
    "backupStorageUuid",
    "primaryStorageUuidForRootVolume",
    "primaryStorageUuidForDataVolume",
    "description",
    "rootVolumeSystemTags",
    "dataVolumeSystemTags",
    "strategy",
    "type",
    "cpuNum",
    "memorySize",
    "vmNicParams",
    "tagUuids",
    "systemTags",
    "userTags",
    "expungeOnDelete",
    "timeouts",
    "adoptId",
] as const;

/**
 * Inputs that hold secrets: the resource class marks them secret (state keeps them encrypted) and the provider
 * registers their values for redaction in every call (see `ProviderBase`).
 */
export const SECRET_INPUTS: readonly string[] = [];

/** Output-only properties (ignored when they come back as inputs). */
export const OUTPUT_KEYS = [
    "uuid",
    "state",
    "nics",
    "ips",
    "macs",
    "volumes",
    "createDate",
    "adopted",
    "requestedHostUuid",
    "selectedBackupId",
    "selectedBackupTime",
    "plan",
] as const;

const UUID = /^[0-9a-f]{32}$/;
const UUID_FORMAT = 'a ZStack uuid: 32 lower-case hex characters such as "a1c07d683f693f6e9f2d7f9a499c7840"';
/**
 * Printable text: no control characters (C0 and C1), no invisible formatting or bidirectional-override characters
 * (which make a name display differently from what it is), no line separators and no unpaired surrogates.
 */
const NO_CONTROL = /^[^\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]+$/u;
const PRINTABLE = "printable characters (no control, invisible formatting or bidirectional characters)";
const MIB = 1024 * 1024;
/**
 * Largest `memorySize`: 16 TiB. No maximum is published; this sane bound is far above any host's memory and keeps
 * nonsense (2^60, 1e300) from reaching the API, which accepted and created such VMs.
 */
export const MAX_MEMORY_BYTES = 16 * 1024 * 1024 * MIB;
/** System tags the provider owns: `resourceUuid::` (it chooses the VM's uuid to make the create idempotent). */
const RESERVED_SYSTEM_TAG = /^\s*resourceuuid::/i;
/** At most this many NICs in `vmNicParams` (as many as `l3NetworkUuids` may list), and this much JSON text. */
const MAX_NICS = 64;
const MAX_NIC_JSON = 16 * 1024;
/** NIC parameter names: identifiers, as ZStack's own (`l3NetworkUuid`, `ip`, `netmask`, `gateway`, `driverType`). */
const NIC_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

/** Validates and normalises `VmFromBackup` inputs, offline. */
export function checkVmFromBackup(news: Record<string, unknown>): {
    inputs: VmFromBackupInputs;
    failures: CheckFailure[];
} {
    const c = new Checker(news);
    c.unknownKeys([...INPUT_KEYS, ...OUTPUT_KEYS], INPUT_KEYS);
    const uuid = (p: string, required = false) => c.string(p, { required, pattern: UUID, format: UUID_FORMAT });
    const restoreToken = c.string("restoreToken", {
        required: true,
        pattern: /^prt-[0-9a-f]{20}$/,
        format: "set by the resource class (prt- and 20 hex digits)",
    });
    const backupGroupUuid = uuid("backupGroupUuid");
    const selRaw = checkBackupSelector(c, ZSTACK_SELECTOR);
    checkIdOrSelector(c, "backupGroupUuid", news.backupGroupUuid, news.backupSelector, given(news.adoptId));
    const backupSelector = selectorForState(selRaw, ZSTACK_SELECTOR);
    const triggers = checkTriggers(c);
    const name = c.string("name", {
        required: true,
        minLength: 1,
        maxLength: 255,
        pattern: NO_CONTROL,
        format: `1 to 255 ${PRINTABLE}`,
    });
    const instanceOfferingUuid = uuid("instanceOfferingUuid");
    const cpuNum = c.integer("cpuNum", { min: 1, max: 1024, unit: "vCPUs" });
    const memorySize = c.integer("memorySize", {
        min: 16 * MIB,
        max: MAX_MEMORY_BYTES,
        unit: "bytes (16 MiB to 16 TiB)",
    });
    memoryInWholeMiB(c, memorySize);
    offeringOrSize(c, news);
    const l3NetworkUuids = uuidList(c, "l3NetworkUuids");
    const defaultL3NetworkUuid = uuid("defaultL3NetworkUuid");
    defaultNetworkListed(c, defaultL3NetworkUuid, l3NetworkUuids, news.l3NetworkUuids);
    const zoneUuid = uuid("zoneUuid");
    const clusterUuid = uuid("clusterUuid");
    const hostUuid = uuid("hostUuid");
    const backupStorageUuid = uuid("backupStorageUuid");
    const primaryStorageUuidForRootVolume = uuid("primaryStorageUuidForRootVolume");
    const primaryStorageUuidForDataVolume = uuid("primaryStorageUuidForDataVolume");
    const description = c.string("description", {
        maxLength: 2048,
        pattern: NO_CONTROL,
        format: `at most 2048 ${PRINTABLE}`,
    });
    const rootVolumeSystemTags = tagList(c, "rootVolumeSystemTags", "root volume system", true);
    const dataVolumeSystemTags = tagList(c, "dataVolumeSystemTags", "data volume system", true);
    const strategy =
        c.oneOf("strategy", Object.keys(STRATEGY_STATE) as Strategy[], { default: "InstantStart" }) ?? "InstantStart";
    const type = c.oneOf("type", VM_TYPES);
    const vmNicParams = checkNicParams(c, news.vmNicParams);
    const tagUuids = uuidList(c, "tagUuids");
    const systemTags = tagList(c, "systemTags", "system", true);
    const userTags = tagList(c, "userTags", "user", false);
    const expungeOnDelete = c.boolean("expungeOnDelete", { default: true }) ?? true;
    const timeouts = c.timeouts();
    const adoptId = c.string("adoptId", { pattern: UUID, format: `the uuid of an existing VM: ${UUID_FORMAT}` });
    const inputs: VmFromBackupInputs = clean({
        restoreToken: restoreToken as string,
        backupGroupUuid,
        backupSelector: backupSelector as Record<string, string> | undefined,
        triggers,
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

/** A list of at most 64 uuids, each once. */
function uuidList(c: Checker, p: string): string[] | undefined {
    const item = (ip: string, v: unknown) =>
        c.stringValue(ip, v, { required: true, pattern: UUID, format: UUID_FORMAT });
    return noDuplicates(c, p, c.list<string>(p, item, { maxItems: 64 }));
}

/**
 * A list of at most 100 tags, each once: printable, without leading or trailing spaces, and not one of the provider's
 * own (system tags: `resourceUuid::`; user tags: the restore-token mark).
 */
function tagList(c: Checker, p: string, what: string, system: boolean): string[] | undefined {
    return noDuplicates(
        c,
        p,
        c.list<string>(
            p,
            (ip, v) => {
                const format = `a ${what} tag: 1 to 2048 ${PRINTABLE}`;
                const t = c.stringValue(ip, v, { required: true, maxLength: 2048, pattern: NO_CONTROL, format });
                if (t === undefined || isUnknownValue(t)) return t;
                if (t.trim() !== t) {
                    const why = "it would not be the tag it looks like";
                    c.fail(
                        ip,
                        `a ${what} tag must not begin or end with spaces (${why}), got ${JSON.stringify(t.slice(0, 60))}`,
                    );
                    return undefined;
                }
                if (system && RESERVED_SYSTEM_TAG.test(t)) {
                    const why = "pulumi-restore chooses the VM's uuid to make the create idempotent";
                    c.fail(ip, `must not set resourceUuid (reserved): ${why}`);
                    return undefined;
                }
                if (!system && t.toLowerCase().startsWith(MARK_PREFIX)) {
                    const why = "pulumi-restore marks the VMs it creates with their restore token this way";
                    c.fail(ip, `must not begin with "${MARK_PREFIX}" (reserved): ${why}`);
                    return undefined;
                }
                return t;
            },
            { maxItems: 100 },
        ),
    );
}

// --- cross-field rules (what a table of properties cannot say) ---------------------------------------------------

/** `memorySize` is bytes, a whole number of MiB. */
function memoryInWholeMiB(c: Checker, memorySize: number | undefined): void {
    if (typeof memorySize === "number" && memorySize % MIB !== 0)
        c.fail("memorySize", `must be a whole number of MiB in bytes (a multiple of ${MIB}), got ${memorySize}`);
}

/** The VM's size comes from an instance offering, or from both `cpuNum` and `memorySize`. */
function offeringOrSize(c: Checker, news: Record<string, unknown>): void {
    if (!news.instanceOfferingUuid && (news.cpuNum === undefined || news.memorySize === undefined)) {
        c.fail(
            "instanceOfferingUuid",
            "required unless both cpuNum and memorySize are set: the instance offering of the new VM (a 32-hex uuid)",
        );
    }
}

/** `defaultL3NetworkUuid` is one of `l3NetworkUuids` (once both are known). */
function defaultNetworkListed(
    c: Checker,
    defaultL3NetworkUuid: string | undefined,
    l3NetworkUuids: string[] | undefined,
    rawL3NetworkUuids: unknown,
): void {
    if (
        defaultL3NetworkUuid &&
        !isUnknownValue(defaultL3NetworkUuid) &&
        Array.isArray(l3NetworkUuids) &&
        !isUnknownList(rawL3NetworkUuids)
    ) {
        if (!(rawL3NetworkUuids as unknown[]).includes(defaultL3NetworkUuid))
            c.fail(
                "defaultL3NetworkUuid",
                `must be one of l3NetworkUuids (${l3NetworkUuids.join(", ")}), got "${defaultL3NetworkUuid}"`,
            );
    }
}

function isUnknownList(v: unknown): boolean {
    return isUnknownValue(v) || (Array.isArray(v) && v.some(isUnknownValue));
}

/**
 * Fails each item of a list that repeats an earlier one (naming both places); unknown items (preview) are not compared:
 * each may be anything. Returns the list.
 */
function noDuplicates<T>(c: Checker, path: string, list: T[] | undefined): T[] | undefined {
    if (!Array.isArray(list)) return list;
    const raw = c.inputs[path];
    const first = new Map<string, number>();
    (Array.isArray(raw) ? raw : list).forEach((x, i) => {
        if (isUnknownValue(x)) return;
        const key = JSON.stringify(x);
        const at = first.get(key);
        if (at === undefined) first.set(key, i);
        else c.fail(`${path}[${i}]`, `${key} is listed twice (also ${path}[${at}]); each must appear only once`);
    });
    return list;
}

/** `vmNicParams`: JSON text of a list of objects (vendor page: String), or such a list, which is serialized. */
function checkNicParams(c: Checker, v: unknown): string | undefined {
    if (v === undefined || v === null || v === "") return undefined;
    if (isUnknownValue(v)) return v as string;
    let list: unknown = v;
    if (typeof v === "string") {
        if (v.length > MAX_NIC_JSON) {
            const allowed = `at most ${MAX_NIC_JSON} characters of JSON text (a list of at most ${MAX_NICS} NICs)`;
            c.fail("vmNicParams", `must be ${allowed}, got ${v.length}`);
            return undefined;
        }
        try {
            list = JSON.parse(v);
        } catch {
            c.fail(
                "vmNicParams",
                'must be JSON text of a list of NIC objects, e.g. [{"l3NetworkUuid":"...","ip":"10.0.0.5"}], got text that is not JSON',
            );
            return undefined;
        }
    }
    // A NIC not known yet (preview) makes the JSON text unknown too; the known NICs are still checked.
    const anyUnknown = Array.isArray(list) && list.some(isUnknownValue);
    const notNic = (x: unknown) => !isUnknownValue(x) && (!x || typeof x !== "object" || Array.isArray(x));
    if (!Array.isArray(list) || list.some(notNic)) {
        c.fail(
            "vmNicParams",
            'must be a list of NIC objects (or its JSON text), e.g. [{"l3NetworkUuid":"...","ip":"10.0.0.5"}]',
        );
        return undefined;
    }
    if (list.length === 0 || list.length > MAX_NICS) {
        const allowed = `1 to ${MAX_NICS} NICs (leave it unset for the backup's own NICs)`;
        c.fail("vmNicParams", `must list ${allowed}, got ${list.length}`);
        return undefined;
    }
    const before = c.failures.length;
    list.forEach((n, i) => {
        if (!isUnknownValue(n)) checkNic(c, `vmNicParams[${i}]`, n as Record<string, unknown>);
    });
    noDuplicates(c, "vmNicParams", list);
    if (c.failures.length > before) return undefined;
    if (anyUnknown || isUnknown(list)) return UNKNOWN;
    const text = JSON.stringify(list);
    if (text.length > MAX_NIC_JSON) {
        c.fail("vmNicParams", `must be at most ${MAX_NIC_JSON} characters once serialized to JSON, got ${text.length}`);
        return undefined;
    }
    return typeof v === "string" ? v : text;
}

/**
 * One NIC of `vmNicParams`: parameter names are identifiers, values are short printable strings, finite numbers or
 * booleans; the known parameters have their own form (uuid, IP address, MAC address), so that nothing that could
 * change a path or a request (`ip: "../../etc/passwd"`) is sent.
 */
function checkNic(c: Checker, path: string, nic: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(nic)) {
        const p = `${path}.${k}`;
        if (!NIC_KEY.test(k)) {
            const allowed = 'identifiers (letters, digits and "_", at most 64)';
            c.fail(path, `NIC parameter names must be ${allowed}, got ${JSON.stringify(k.slice(0, 40))}`);
            continue;
        }
        if (isUnknownValue(v) || v === null || typeof v === "boolean") continue;
        if (typeof v === "number") {
            if (!Number.isFinite(v) || !Number.isSafeInteger(Math.trunc(v))) {
                c.fail(p, `must be a finite number of at most 2^53 - 1, got ${v}`);
            }
            continue;
        }
        if (typeof v !== "string") {
            c.fail(p, "must be a string, number or boolean (NIC parameters are flat)");
            continue;
        }
        if (v.length > 255 || !NO_CONTROL.test(v)) {
            c.fail(p, `must be 1 to 255 ${PRINTABLE}`);
            continue;
        }
        const ipLike = /^(ip|ip6|gateway|gateway6|netmask)$/.test(k);
        const got = JSON.stringify(v.slice(0, 40));
        if (k === "l3NetworkUuid" && !UUID.test(v)) c.fail(p, `must be ${UUID_FORMAT}`);
        else if (ipLike && isIP(v) === 0)
            c.fail(p, `must be an IP address such as "10.0.0.5" or "fd00::5", got ${got}`);
        else if (k === "mac" && !MAC.test(v))
            c.fail(p, `must be a MAC address such as "fa:16:3e:00:00:01" (lower-case hex), got ${got}`);
    }
}

/** The selector in state (user's field names) as {@link BackupSelector}. */
export function zstackSelector(v: unknown): BackupSelector | undefined {
    return selectorFromState(v, ZSTACK_SELECTOR);
}
