import { isIP } from "net";
import { MARK_PREFIX } from "./vmMark";
import { BackupSelector, checkIdOrSelector, given, selectorFromState } from "../core/backupSelection";
import { Checker, CheckFailure, Timeouts, UNKNOWN, clean, isUnknown, isUnknownValue } from "../core/validate";
import { ListType, StringType, checkProp, checkProps, inputKeys, replaceKeys, secretKeys } from "../core/props";
import { ZSTACK_SELECTOR } from "./vmBackups";
import {
    MIB,
    NO_CONTROL,
    PRINTABLE,
    STRATEGY_STATE,
    UUID,
    UUID_FORMAT,
    VM_FROM_BACKUP_PROPS,
    VM_TYPES,
} from "./vmProps";

export { MAX_MEMORY_BYTES, STRATEGY_STATE, VM_TYPES } from "./vmProps";
/** A creation strategy. */
export type Strategy = keyof typeof STRATEGY_STATE;

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

/** Properties a user may set (and the restore token the class sets): the table's. */
export const INPUT_KEYS: readonly string[] = inputKeys(VM_FROM_BACKUP_PROPS);

/**
 * Inputs that hold secrets: the resource class marks them secret (state keeps them encrypted) and the provider
 * registers their values for redaction in every call (see `ProviderBase`).
 */
export const SECRET_INPUTS: readonly string[] = secretKeys(VM_FROM_BACKUP_PROPS);

/**
 * Inputs consumed by CreateVmFromVmBackup (all but the restore token, `expungeOnDelete`, `timeouts` and `adoptId`):
 * changing any of them means a new VM, and they are the intent the VM's uuid is derived from. Selector and triggers
 * are absent for resources without them, so the intent (hence the VM uuid) of those stays.
 */
export const REPLACE_KEYS: readonly string[] = replaceKeys(VM_FROM_BACKUP_PROPS);

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
    const P = VM_FROM_BACKUP_PROPS;
    const uuidList = (p: "l3NetworkUuids" | "tagUuids") => () =>
        noDuplicates(c, p, checkProp(c, p, P[p]) as string[] | undefined);
    const tagList = (p: "rootVolumeSystemTags" | "dataVolumeSystemTags" | "systemTags" | "userTags") => () => {
        const t = P[p].type as ListType;
        return noDuplicates(
            c,
            p,
            c.list<string>(
                p,
                (ip) => {
                    const tag = checkProp(c, ip, { type: t.items as StringType, required: true }) as string | undefined;
                    return tag === undefined || isUnknownValue(tag)
                        ? tag
                        : tagRules(c, ip, tag, TAG_KIND[p], p !== "userTags");
                },
                { maxItems: t.maxItems },
            ),
        );
    };
    const v = checkProps(c, P, {
        l3NetworkUuids: uuidList("l3NetworkUuids"),
        tagUuids: uuidList("tagUuids"),
        rootVolumeSystemTags: tagList("rootVolumeSystemTags"),
        dataVolumeSystemTags: tagList("dataVolumeSystemTags"),
        systemTags: tagList("systemTags"),
        userTags: tagList("userTags"),
        vmNicParams: () => checkNicParams(c, news.vmNicParams),
    });
    checkIdOrSelector(c, "backupGroupUuid", news.backupGroupUuid, news.backupSelector, given(news.adoptId));
    const { memorySize, l3NetworkUuids, defaultL3NetworkUuid } = v;
    memoryInWholeMiB(c, memorySize);
    offeringOrSize(c, news);
    defaultNetworkListed(c, defaultL3NetworkUuid, l3NetworkUuids, news.l3NetworkUuids);
    const inputs: VmFromBackupInputs = clean({
        ...v,
        restoreToken: v.restoreToken as string,
        name: v.name as string,
        strategy: v.strategy ?? "InstantStart",
        expungeOnDelete: v.expungeOnDelete ?? true,
    });
    return { inputs, failures: c.failures };
}

/** What each tag list holds, as failures name it. */
const TAG_KIND = {
    rootVolumeSystemTags: "root volume system",
    dataVolumeSystemTags: "data volume system",
    systemTags: "system",
    userTags: "user",
} as const;

/** A tag's own rules besides its form: no surrounding spaces, no reserved prefix. */
function tagRules(c: Checker, path: string, t: string, what: string, system: boolean): string | undefined {
    if (t.trim() !== t) {
        const why = "it would not be the tag it looks like";
        c.fail(path, `a ${what} tag must not begin or end with spaces (${why}), got ${JSON.stringify(t.slice(0, 60))}`);
        return undefined;
    }
    if (system && RESERVED_SYSTEM_TAG.test(t)) {
        const why = "pulumi-restore chooses the VM's uuid to make the create idempotent";
        c.fail(path, `must not set resourceUuid (reserved): ${why}`);
        return undefined;
    }
    if (!system && t.toLowerCase().startsWith(MARK_PREFIX)) {
        const why = "pulumi-restore marks the VMs it creates with their restore token this way";
        c.fail(path, `must not begin with "${MARK_PREFIX}" (reserved): ${why}`);
        return undefined;
    }
    return t;
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
