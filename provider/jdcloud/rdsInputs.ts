import { BackupSelector, checkIdOrSelector, given, selectorFromState } from "../core/backupSelection";
import { digest, stableJson } from "../core/resource";
import { RDS_SELECTOR } from "./rdsBackups";
import {
    Checker,
    CheckFailure,
    Timeouts,
    UNKNOWN,
    clean,
    isUnknown,
    isUnknownValue,
    unknownAs,
} from "../core/validate";
import { checkProp, inputKeys, replaceKeys, secretKeys } from "../core/props";
import {
    CHARGE_MODES,
    CHARGE_SPEC_FIELDS,
    CHARGE_UNITS,
    ENGINES,
    INSTANCE_SPEC_FIELDS,
    INSTANCE_TYPES,
    RDS_RESTORE_PROPS,
    REGION,
} from "./rdsProps";

export {
    CHARGE_MODES,
    CHARGE_UNITS,
    ENGINES,
    INSTANCE_TYPES,
    KNOWN_STORAGE_TYPES,
    MAX_STORAGE_GB,
    PORT_RANGE,
} from "./rdsProps";

/** Engine names. */
export type Engine = (typeof ENGINES)[number];
/**
 * Engines each engine-specific field applies to (the SDK's RestoredNewDBInstanceSpec docstrings; the English vendor
 * page, older, leaves PostgreSQL out of instancePort).
 */
export const ONLY_FOR: Record<string, readonly Engine[]> = {
    parameterGroup: ["MySQL"],
    instanceStorageType: ["MySQL"],
    storageEncrypted: ["MySQL"],
    instancePort: ["MySQL", "Percona", "MariaDB", "PostgreSQL"],
    instanceType: ["SQL Server"],
};

/** ChargeSpec, normalised. */
export interface ChargeSpec {
    chargeMode: (typeof CHARGE_MODES)[number];
    chargeUnit?: (typeof CHARGE_UNITS)[number];
    chargeDuration?: number;
}

/** RestoredNewDBInstanceSpec, normalised. `instanceName` is always set (derived from the restore token when not given). */
export interface InstanceSpec {
    instanceName: string;
    instanceClass: string;
    instanceStorageGB: number;
    azId: string[];
    vpcId: string;
    subnetId: string;
    parameterGroup?: string;
    chargeSpec: ChargeSpec;
    instanceStorageType?: string;
    instancePort?: string;
    storageEncrypted?: boolean;
    instanceType?: (typeof INSTANCE_TYPES)[number];
}

/** Normalised inputs of `RestoredInstance`, as check() returns them and state keeps them. */
export interface RdsRestoreInputs {
    restoreToken: string;
    regionId: string;
    /** One backup by id; or {@link backupSelector} (exactly one of the two unless adopting). */
    backupId?: string;
    /** The latest COMPLETED backup of a source instance, resolved at create: `{ instanceId, backupType?, after?, before?, maxAge? }`. */
    backupSelector?: Record<string, string>;
    /** Any change restores again into a new instance. */
    triggers?: Record<string, unknown>;
    engine: Engine;
    instanceSpec: InstanceSpec;
    /** True when `instanceSpec.instanceName` was derived from the restore token (not set by the user). */
    autoNamed: boolean;
    timeouts?: Timeouts;
    adoptId?: string;
}

/** Outputs: the effective inputs plus what the cloud reports. */
export interface RdsRestoreOutputs extends RdsRestoreInputs {
    instanceId: string;
    orderId?: string;
    instanceStatus: string;
    internalDomainName?: string;
    instancePort?: string;
    engineVersion?: string;
    createTime?: string;
    /** True when the instance was taken over (adoptId) or found from an interrupted earlier attempt. */
    adopted: boolean;
    /** The backup restored: the explicit id, or the one the selector chose at create. */
    selectedBackupId?: string;
    /** When that backup ended (ISO 8601, UTC); only known for a backup chosen by the selector. */
    selectedBackupTime?: string;
}

/** Properties a user may set (plus the token the resource class sets): the table's. */
export const INPUT_KEYS: readonly string[] = inputKeys(RDS_RESTORE_PROPS);
/**
 * Inputs that hold secrets: the resource class marks them secret (state keeps them encrypted) and the provider
 * registers their values for redaction in every call (see `ProviderBase`).
 */
export const SECRET_INPUTS: readonly string[] = secretKeys(RDS_RESTORE_PROPS);
/** Inputs consumed by createInstanceFromBackup: changing any of them means a new instance. */
export const REPLACE_KEYS: readonly string[] = replaceKeys(RDS_RESTORE_PROPS);

/** Keys in state that are not user inputs; ignored when they come back as inputs. */
export const OUTPUT_KEYS = [
    "autoNamed",
    "instanceId",
    "orderId",
    "instanceStatus",
    "internalDomainName",
    "instancePort",
    "engineVersion",
    "createTime",
    "adopted",
    "selectedBackupId",
    "selectedBackupTime",
    "plan",
] as const;
const SPEC_KEYS = Object.keys(INSTANCE_SPEC_FIELDS);
const CHARGE_KEYS = Object.keys(CHARGE_SPEC_FIELDS);
const P = RDS_RESTORE_PROPS;
const S = INSTANCE_SPEC_FIELDS;
const CS = CHARGE_SPEC_FIELDS;

/**
 * The part of the inputs that defines what is restored. Two creates with the same restore token and the same intent
 * are the same restore; a replacement with a new backup (or spec) has another intent, hence another derived name.
 */
export function intentDigest(i: {
    regionId: string;
    backupId?: string;
    backupSelector?: unknown;
    triggers?: unknown;
    engine: string;
    instanceSpec: Omit<InstanceSpec, "instanceName"> & { instanceName?: string };
}): string {
    const { instanceName: _n, ...spec } = i.instanceSpec;
    // A selector is part of the intent as written, not the backup it chose: a retry after a crash finds the instance of
    // the earlier attempt even if a newer backup appeared. Selector and triggers are absent for resources without
    // them, so existing derived names do not change.
    const sel = i.backupSelector === undefined ? undefined : stableJson(i.backupSelector);
    return digest({ r: i.regionId, b: i.backupId, sel, tr: i.triggers, e: i.engine, s: spec }, 8);
}

/** The name given to an instance when the user sets none: it carries the restore token and the intent. */
export function derivedName(restoreToken: string, intent: string): string {
    return `${restoreToken.slice(0, 16)}-${intent}`;
}

/** Validates and normalises `RestoredInstance` inputs offline; `defaultRegion` comes from config or environment. */
export function checkRdsRestore(
    news: Record<string, unknown>,
    defaultRegion?: string,
): { inputs: RdsRestoreInputs; failures: CheckFailure[] } {
    const c = new Checker(news);
    c.unknownKeys([...INPUT_KEYS, ...OUTPUT_KEYS], INPUT_KEYS);
    const restoreToken = checkProp(c, "restoreToken", P.restoreToken) as string | undefined;
    const regionInput = checkProp(c, "regionId", P.regionId) as string | undefined;
    const regionId = regionOrConfigured(c, news.regionId, regionInput, defaultRegion);
    const adopting = given(news.adoptId);
    const backupSelector = checkProp(c, "backupSelector", P.backupSelector) as Record<string, string> | undefined;
    checkIdOrSelector(c, "backupId", news.backupId, news.backupSelector, adopting);
    const triggers = checkProp(c, "triggers", P.triggers) as Record<string, unknown> | undefined;
    const backupId = checkProp(c, "backupId", P.backupId) as string | undefined;
    const engine = checkProp(c, "engine", P.engine) as Engine | undefined;
    suggestEngine(c, engine, news.engine);
    const spec = checkInstanceSpec(c, regionId, engine);
    const timeouts = checkProp(c, "timeouts", P.timeouts) as Timeouts | undefined;
    const adoptId = checkProp(c, "adoptId", P.adoptId) as string | undefined;

    let autoNamed = false;
    if (spec && c.failures.length === 0 && restoreToken && regionId && (backupId || backupSelector) && engine) {
        autoNamed = nameInstance(c, spec, {
            restoreToken,
            regionId,
            backupId,
            backupSelector,
            triggers,
            engine,
            // Built field by field from untyped input: an InstanceSpec once no failure is recorded (checked just
            // above), which the compiler cannot follow through the Checker's failure list.
            instanceSpec: spec as unknown as InstanceSpec,
        });
    }
    const inputs = clean({
        restoreToken: restoreToken as string,
        regionId: regionId as string,
        backupId,
        backupSelector: backupSelector as Record<string, string> | undefined,
        triggers,
        engine: engine as Engine,
        // As above: an InstanceSpec when `failures` is empty; with failures these inputs go back with them, unused.
        instanceSpec: spec as unknown as InstanceSpec,
        autoNamed,
        timeouts,
        adoptId,
    });
    return { inputs, failures: c.failures };
}

/** `instanceSpec`: its fields, then the rules between them and the engine. Undefined when absent or unknown. */
function checkInstanceSpec(
    c: Checker,
    regionId: string | undefined,
    engine: Engine | undefined,
): Record<string, unknown> | undefined {
    const specRaw = c.object("instanceSpec", { required: true, format: P.instanceSpec.type.format });
    if (!specRaw || isUnknownValue(specRaw)) return undefined;
    for (const k of Object.keys(specRaw))
        if (!SPEC_KEYS.includes(k)) c.fail(`instanceSpec.${k}`, P.instanceSpec.type.unknownField);
    const s = (p: string) => `instanceSpec.${p}`;
    const instanceName = checkProp(c, s("instanceName"), S.instanceName) as string | undefined;
    const instanceClass = checkProp(c, s("instanceClass"), S.instanceClass) as string | undefined;
    const instanceStorageGB = checkProp(c, s("instanceStorageGB"), S.instanceStorageGB) as number | undefined;
    const azId = checkProp(c, s("azId"), S.azId) as string[] | undefined;
    zonesInRegion(c, azId, regionId);
    const vpcId = checkProp(c, s("vpcId"), S.vpcId) as string | undefined;
    const subnetId = checkProp(c, s("subnetId"), S.subnetId) as string | undefined;
    const chargeSpec = checkCharge(c);
    const parameterGroup = checkProp(c, s("parameterGroup"), S.parameterGroup) as string | undefined;
    const instanceStorageType = checkProp(c, s("instanceStorageType"), S.instanceStorageType) as string | undefined;
    const port = checkProp(c, s("instancePort"), S.instancePort) as number | undefined;
    const storageEncrypted = checkProp(c, s("storageEncrypted"), S.storageEncrypted) as boolean | undefined;
    const instanceType = checkProp(c, s("instanceType"), S.instanceType) as InstanceSpec["instanceType"];
    engineOnlyFields(c, engine);
    encryptionNeedsCloudDisk(c, storageEncrypted, instanceStorageType, specRaw.instanceStorageType);
    return clean({
        instanceName,
        instanceClass,
        instanceStorageGB,
        azId,
        vpcId,
        subnetId,
        parameterGroup,
        chargeSpec,
        instanceStorageType,
        instancePort: port === undefined || isUnknownValue(port) ? unknownAs<string | undefined>(port) : String(port),
        storageEncrypted,
        instanceType,
    });
}

// --- cross-field rules (what a table of properties cannot say) ---------------------------------------------------

/**
 * The region: `regionId` when set (`raw`, already checked as `checked`), else the configured default (`jdcloud:region`,
 * JDCLOUD_REGION) when it is a region id; otherwise a failure saying where to set one.
 */
function regionOrConfigured(
    c: Checker,
    raw: unknown,
    checked: string | undefined,
    defaultRegion: string | undefined,
): string | undefined {
    if (raw !== undefined && raw !== null && raw !== "") return checked;
    if (defaultRegion && defaultRegion.length <= 32 && REGION.test(defaultRegion)) return defaultRegion;
    c.fail(
        "regionId",
        `required: a region id such as "cn-north-1" (set regionId, or \`pulumi config set jdcloud:region cn-north-1\`, or JDCLOUD_REGION)${defaultRegion ? `; the configured region "${defaultRegion}" is not one` : ""}`,
    );
    return checked;
}

/** An engine refused only for its case or spaces ("mysql", "sqlserver"): the failure says which one was meant. */
function suggestEngine(c: Checker, engine: Engine | undefined, raw: unknown): void {
    if (engine !== undefined || typeof raw !== "string") return;
    const squash = (e: string) => e.toLowerCase().replace(/\s/g, "");
    const near = ENGINES.find((e) => squash(e) === squash(raw));
    if (near) c.failures[c.failures.length - 1].reason += `; did you mean "${near}"?`;
}

/** Every zone of `azId` lies in the region (a zone id is its region's id and a letter). */
function zonesInRegion(c: Checker, azId: string[] | undefined, regionId: string | undefined): void {
    if (!Array.isArray(azId) || !regionId || isUnknownValue(regionId)) return;
    azId.forEach((z, i) => {
        if (!isUnknownValue(z) && !z.startsWith(regionId))
            c.fail(
                `instanceSpec.azId[${i}]`,
                `zone "${z}" is not in region "${regionId}": use a zone of that region such as "${regionId}a"`,
            );
    });
}

/** The engine-specific fields ({@link ONLY_FOR}) are refused for the other engines (once the engine is known). */
function engineOnlyFields(c: Checker, engine: Engine | undefined): void {
    if (engine === undefined || isUnknownValue(engine)) return;
    for (const [field, engines] of Object.entries(ONLY_FOR)) {
        if (!engines.includes(engine))
            c.forbid(`instanceSpec.${field}`, `for engine "${engine}": it applies only to ${engines.join(", ")}`);
    }
}

/** Encryption needs cloud-disk storage: not the local disks (LOCAL_*), which are also the default. */
function encryptionNeedsCloudDisk(
    c: Checker,
    storageEncrypted: boolean | undefined,
    instanceStorageType: string | undefined,
    rawStorageType: unknown,
): void {
    if (storageEncrypted !== true || isUnknownValue(rawStorageType)) return;
    if (instanceStorageType !== undefined && !/^LOCAL_/i.test(instanceStorageType)) return;
    c.fail(
        "instanceSpec.storageEncrypted",
        `encryption needs cloud-disk storage: set instanceSpec.instanceStorageType to a cloud disk type such as "EBS_SSD" (it is ${instanceStorageType ? `"${instanceStorageType}"` : 'the default "LOCAL_SSD"'})`,
    );
}

/**
 * Names the instance: an unset name (or this resource's own derived name given back) becomes the name derived from
 * the restore token and the intent; a chosen name may not look like a derived one. Returns whether it is derived.
 */
function nameInstance(
    c: Checker,
    spec: Record<string, unknown>,
    base: Parameters<typeof intentDigest>[0] & { restoreToken: string },
): boolean {
    const { restoreToken, ...intent } = base;
    // During preview some inputs may be unknown: the name is then unknown too.
    const own = isUnknown(intent) ? UNKNOWN : derivedName(restoreToken, intentDigest(intent));
    const chosen = spec.instanceName;
    if (!chosen || chosen === own) {
        // Unset, or this resource's own derived name given back (checked inputs checked again).
        spec.instanceName = own;
        return true;
    }
    if (typeof chosen === "string" && chosen !== UNKNOWN && own !== UNKNOWN && /^prt-/i.test(chosen)) {
        // A derived name is this resource's proof of ownership (it carries the restore token): no chosen name may
        // look like one, or a program could claim, and later delete, an instance another resource made.
        c.fail(
            "instanceSpec.instanceName",
            'names starting with "prt-" are reserved for names derived from a restore token; choose another name, or leave instanceName unset to get the derived one',
        );
    }
    return false;
}

function checkCharge(c: Checker): ChargeSpec | undefined {
    const path = "instanceSpec.chargeSpec";
    const t = S.chargeSpec.type;
    const o = c.object(path, { required: true, format: t.format });
    if (!o) return undefined;
    if (isUnknownValue(o)) return unknownAs<ChargeSpec>(o);
    for (const k of Object.keys(o)) if (!CHARGE_KEYS.includes(k)) c.fail(`${path}.${k}`, t.unknownField);
    const chargeMode = checkProp(c, `${path}.chargeMode`, CS.chargeMode) as ChargeSpec["chargeMode"] | undefined;
    if (chargeMode === undefined) return undefined;
    if (isUnknownValue(chargeMode)) {
        // Not known yet (preview): whether the prepaid fields are required or forbidden waits for chargeMode; their
        // own form is checked now (a duration within the longer of the two units' bounds).
        const unit = checkProp(c, `${path}.chargeUnit`, CS.chargeUnit) as ChargeSpec["chargeUnit"];
        const unitKnown = unit !== undefined && !isUnknownValue(unit);
        const years = unitKnown && unit === "year";
        const duration = checkProp(c, `${path}.chargeDuration`, CS.chargeDuration, {
            max: years ? 3 : 9,
            unit: years ? "years (chargeUnit year)" : "months",
        }) as number | undefined;
        return clean({ chargeMode, chargeUnit: unit, chargeDuration: duration }) as ChargeSpec;
    }
    if (chargeMode !== "prepaid_by_duration") {
        const why = `when chargeMode is "${chargeMode}" (it applies only to "prepaid_by_duration")`;
        c.forbid(`${path}.chargeUnit`, why);
        c.forbid(`${path}.chargeDuration`, why);
        return { chargeMode };
    }
    const chargeUnit = checkProp(c, `${path}.chargeUnit`, CS.chargeUnit, {
        default: "month",
    }) as ChargeSpec["chargeUnit"];
    if (chargeUnit === undefined) return undefined;
    const chargeDuration = checkProp(c, `${path}.chargeDuration`, CS.chargeDuration, {
        required: true,
        max: chargeUnit === "year" ? 3 : 9,
        unit: chargeUnit === "year" ? "years (chargeUnit year)" : "months (chargeUnit month)",
    }) as number | undefined;
    return clean({ chargeMode, chargeUnit, chargeDuration }) as ChargeSpec;
}

/** The selector in state (user's field names) as {@link BackupSelector}. */
export function rdsSelector(v: unknown): BackupSelector | undefined {
    return selectorFromState(v, RDS_SELECTOR);
}
