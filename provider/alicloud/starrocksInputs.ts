import {
    BackupSelector,
    checkBackupSelector,
    checkIdOrSelector,
    checkTriggers,
    selectorForState,
    selectorFromState,
} from "../core/backupSelection";
import { Checker, CheckFailure, Timeouts, clean, isUnknownValue } from "../core/validate";
import { STARROCKS_SELECTOR } from "./starrocksBackups";

/** Regions where EMR Serverless StarRocks is offered (apis/alicloud-starrocks.md). Others are accepted with a pattern check. */
export const STARROCKS_REGIONS = [
    "ap-southeast-1",
    "ap-southeast-5",
    "cn-beijing",
    "cn-hangzhou",
    "cn-hongkong",
    "cn-qingdao",
    "cn-shanghai",
    "cn-shenzhen",
    "cn-wulanchabu",
    "cn-zhangjiakou",
    "us-west-1",
    "us-east-1",
    "eu-central-1",
] as const;

/** The tag key carrying the restore token; reserved, so users cannot set it. */
export const TOKEN_TAG = "pulumi-restore-token";

/** A VSwitch of the restored instance. */
export interface VSwitch {
    zoneId: string;
    vswId: string;
}

/** Normalised inputs of `RestoredInstance`, as check() returns them and state keeps them. */
export interface RestoredInstanceInputs {
    restoreToken: string;
    /** One backup by id; or {@link backupSelector}. One of the two is required unless adopting (adoptId). */
    backupTaskId?: string;
    /** The latest complete backup of a source instance, resolved once at create (`source` is its instanceId). */
    backupSelector?: Record<string, string>;
    /** Any change restores again (a new instance), from the then-latest backup when a selector is used. */
    triggers?: Record<string, unknown>;
    instanceName?: string;
    adminPassword?: string;
    payType: "postPaid" | "prePaid";
    pricingCycle?: "Month" | "Year";
    duration?: number;
    autoRenew?: boolean;
    regionId?: string;
    vpcId?: string;
    vSwitches?: VSwitch[];
    resourceGroupId?: string;
    tags?: Record<string, string>;
    timeouts?: Timeouts;
    adoptId?: string;
}

/** Outputs of `RestoredInstance`: the effective inputs plus what the cloud reports. */
export interface RestoredInstanceOutputs extends RestoredInstanceInputs {
    instanceId: string;
    orderId?: string;
    status: string;
    /** The region actually used (input, config or environment). */
    regionId: string;
    /** True when the instance was taken over with `adoptId` or found from an earlier attempt, not restored by this call. */
    adopted: boolean;
    /** The backup task restored (the explicit id or the one the selector chose at create). */
    selectedBackupId?: string;
    /** When that backup's data was taken (ISO 8601, UTC), from its DescribeBackups record. */
    selectedBackupTime?: string;
    /** What the operation does, in plain words (set by check; see provider/core/plan). */
    plan?: Record<string, string>;
}

/** Properties a user may set. */
export const INPUT_KEYS = [
    "restoreToken",
    "backupTaskId",
    "backupSelector",
    "triggers",
    "instanceName",
    "adminPassword",
    "payType",
    "pricingCycle",
    "duration",
    "autoRenew",
    "regionId",
    "vpcId",
    "vSwitches",
    "resourceGroupId",
    "tags",
    "timeouts",
    "adoptId",
] as const;

/**
 * Inputs that hold secrets: the resource class marks them secret (state keeps them encrypted) and the provider
 * registers their values for redaction in every call (see `ProviderBase`).
 */
export const SECRET_INPUTS: readonly string[] = ["adminPassword"];

/** Output-only properties (present in state; ignored when they come back as inputs). */
export const OUTPUT_KEYS = [
    "instanceId",
    "orderId",
    "status",
    "adopted",
    "selectedBackupId",
    "selectedBackupTime",
    "plan",
] as const;

const ID = (prefix: string) => new RegExp(`^${prefix}-[A-Za-z0-9*]{4,64}$`);
/**
 * Printable text: no control characters (C0 and C1), no invisible formatting or bidirectional-override characters
 * (which make a name display differently from what it is), no line separators and no unpaired surrogates.
 */
const NO_CONTROL = /^[^\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]+$/u;
const PRINTABLE = "printable characters (no control, invisible formatting or bidirectional characters)";

/** Validates and normalises `RestoredInstance` inputs, offline. */
export function checkRestoredInstance(news: Record<string, unknown>): {
    inputs: RestoredInstanceInputs;
    failures: CheckFailure[];
} {
    const c = new Checker(news);
    c.unknownKeys([...INPUT_KEYS, ...OUTPUT_KEYS], INPUT_KEYS);
    const restoreToken = c.string("restoreToken", {
        required: true,
        pattern: /^prt-[0-9a-f]{20}$/,
        format: "set by the resource class (prt- and 20 hex digits)",
    });
    // Adopting an existing instance (adoptId, or `pulumi import` through the plugin) calls no RestoreInstance: the
    // backup and the subscription terms that only RestoreInstance takes are then optional (the API does not report
    // which backup an instance came from, so an import cannot fill them in).
    const adopting = news.adoptId !== undefined && news.adoptId !== null && news.adoptId !== "";
    const backupTaskId = c.string("backupTaskId", {
        pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$/,
        format: "a backup task id such as \"bk-adskj23hd9s\" (letters, digits, '-' and '_', 3 to 64 characters)",
    });
    const selector = checkBackupSelector(c, STARROCKS_SELECTOR);
    checkIdOrSelector(c, "backupTaskId", news.backupTaskId, news.backupSelector, adopting);
    const backupSelector = selectorForState(selector, STARROCKS_SELECTOR);
    const triggers = checkTriggers(c);
    const instanceName = c.string("instanceName", {
        minLength: 1,
        maxLength: 64,
        pattern: NO_CONTROL,
        format: `1 to 64 ${PRINTABLE}`,
    });
    const adminPassword = c.secret("adminPassword", {
        minLength: 8,
        maxLength: 32,
        pattern: /^[\x21-\x7e]+$/,
        format: "8 to 32 printable ASCII characters without spaces",
    });
    const payType = c.oneOf("payType", ["postPaid", "prePaid"] as const, { default: "postPaid" }) ?? "postPaid";
    const { pricingCycle, duration, autoRenew } = subscriptionTerms(c, payType, adopting);
    const regionId = c.string("regionId", {
        pattern: /^[a-z]{2}-[a-z0-9-]{2,30}$/,
        format: `a region id such as "cn-hangzhou" (offered in ${STARROCKS_REGIONS.join(", ")})`,
    });
    const vpcId = c.string("vpcId", { pattern: ID("vpc"), format: 'a VPC id such as "vpc-bp1fll2mci6d7pw8m"' });
    const vSwitches = checkVSwitches(c);
    vSwitchesOnce(c, vSwitches);
    vpcWithVSwitches(c, vpcId, news.vSwitches);
    zonesInRegion(c, vSwitches, regionId);
    const resourceGroupId = c.string("resourceGroupId", {
        pattern: ID("rg"),
        format: 'a resource group id such as "rg-aekzllkih7jqxxx"',
    });
    const tags = checkTags(c);
    const timeouts = c.timeouts();
    const adoptId = c.string("adoptId", { pattern: ID("c"), format: 'an instance id such as "c-b25e21e243889abc"' });
    const inputs: RestoredInstanceInputs = clean({
        restoreToken: restoreToken as string,
        backupTaskId,
        backupSelector: backupSelector as Record<string, string> | undefined,
        triggers,
        instanceName,
        adminPassword,
        payType,
        pricingCycle,
        duration,
        autoRenew,
        regionId,
        vpcId,
        vSwitches,
        resourceGroupId,
        tags,
        timeouts,
        adoptId,
    });
    return { inputs, failures: c.failures };
}

/** `vSwitches`: a list of `{ zoneId, vswId }`. */
function checkVSwitches(c: Checker): VSwitch[] | undefined {
    return c.list<VSwitch>(
        "vSwitches",
        (path, v) => {
            if (isUnknownValue(v)) return v as VSwitch;
            if (!v || typeof v !== "object" || Array.isArray(v)) {
                c.fail(path, "must be an object { zoneId, vswId }");
                return undefined;
            }
            const o = v as Record<string, unknown>;
            for (const k of Object.keys(o))
                if (k !== "zoneId" && k !== "vswId")
                    c.fail(`${path}.${k}`, "is not a VSwitch field; use zoneId and vswId");
            const zoneId = c.stringValue(`${path}.zoneId`, o.zoneId, {
                required: true,
                pattern: /^[a-z]{2}-[a-z0-9-]{2,40}$/,
                format: 'a zone id such as "cn-hangzhou-i"',
            });
            const vswId = c.stringValue(`${path}.vswId`, o.vswId, {
                required: true,
                pattern: ID("vsw"),
                format: 'a VSwitch id such as "vsw-bp19mlh98tm9teyyd"',
            });
            return zoneId && vswId ? { zoneId, vswId } : undefined;
        },
        { minItems: 1, maxItems: 10 },
    );
}

// --- cross-field rules (what a table of properties cannot say) ---------------------------------------------------

/**
 * The subscription terms, which depend on `payType`: prePaid requires `pricingCycle` and `duration` (unless adopting:
 * only RestoreInstance takes them) and bounds the duration by the cycle (12 months, 5 years); postPaid forbids all
 * three. While payType is unknown (preview), only their own form is checked.
 */
function subscriptionTerms(
    c: Checker,
    payType: string,
    adopting: boolean,
): { pricingCycle?: "Month" | "Year"; duration?: number; autoRenew?: boolean } {
    if (isUnknownValue(payType)) {
        // Not known yet (preview): whether the subscription fields are required or forbidden waits for payType; their
        // own form is checked now (a duration within the longer of the two cycles' bounds).
        const pricingCycle = c.oneOf("pricingCycle", ["Month", "Year"] as const);
        const cycleKnown = pricingCycle !== undefined && !isUnknownValue(pricingCycle);
        const max = cycleKnown ? (pricingCycle === "Year" ? 5 : 12) : 12;
        const duration = c.integer("duration", {
            min: 1,
            max,
            unit: cycleKnown && pricingCycle === "Year" ? "years" : "months",
        });
        return { pricingCycle, duration, autoRenew: c.boolean("autoRenew") };
    }
    if (payType === "prePaid") {
        const pricingCycle = c.oneOf("pricingCycle", ["Month", "Year"] as const, { required: !adopting });
        // An unknown cycle (preview) bounds the duration by the longer of the two: 12 (months).
        const max = pricingCycle === "Year" ? 5 : 12;
        const duration = c.integer("duration", {
            required: !adopting,
            min: 1,
            max,
            unit: pricingCycle === "Year" ? "years" : "months",
        });
        return { pricingCycle, duration, autoRenew: c.boolean("autoRenew", { default: adopting ? undefined : false }) };
    }
    const why = 'when payType is "postPaid" (it applies only to prePaid subscriptions)';
    c.forbid("pricingCycle", why);
    c.forbid("duration", why);
    c.forbid("autoRenew", why);
    return {};
}

/** Each VSwitch appears once: the same one twice (or two entries for one zone and VSwitch) is a typo. */
function vSwitchesOnce(c: Checker, vSwitches: VSwitch[] | undefined): void {
    if (!Array.isArray(vSwitches)) return;
    const seen = new Map<string, number>();
    vSwitches.forEach((v, i) => {
        if (isUnknownValue(v) || isUnknownValue(v.vswId)) return;
        const at = seen.get(v.vswId);
        if (at === undefined) seen.set(v.vswId, i);
        else
            c.fail(
                `vSwitches[${i}].vswId`,
                `"${v.vswId}" is listed twice (also vSwitches[${at}]); each VSwitch must appear once`,
            );
    });
}

/** `vpcId` and `vSwitches` go together: each is required when the other is set. */
function vpcWithVSwitches(c: Checker, vpcId: string | undefined, rawVSwitches: unknown): void {
    if (vpcId && !rawVSwitches)
        c.fail("vSwitches", "required when vpcId is set: at least one { zoneId, vswId } in that VPC");
    if (rawVSwitches && !vpcId && !c.failures.some((f) => f.property === "vpcId"))
        c.fail("vpcId", "required when vSwitches are set: the VPC the VSwitches belong to");
}

/** Every VSwitch's zone lies in the region; the rule waits for whichever of the two is unknown. */
function zonesInRegion(c: Checker, vSwitches: VSwitch[] | undefined, regionId: string | undefined): void {
    if (!vSwitches || !regionId || isUnknownValue(regionId) || !Array.isArray(vSwitches)) return;
    vSwitches.forEach((v, i) => {
        if (isUnknownValue(v) || isUnknownValue(v.zoneId)) return;
        if (typeof v.zoneId === "string" && !v.zoneId.startsWith(regionId))
            c.fail(
                `vSwitches[${i}].zoneId`,
                `zone "${v.zoneId}" is not in region "${regionId}": use a zone of that region (its id starts with "${regionId}-")`,
            );
    });
}

function checkTags(c: Checker): Record<string, string> | undefined {
    const o = c.object("tags");
    if (!o || isUnknownValue(o)) return o as Record<string, string> | undefined;
    const out: Record<string, string> = {};
    const keys = Object.keys(o);
    if (keys.length > 19)
        c.fail(
            "tags",
            `must have at most 19 entries (20 tags per instance, one used for the restore token), got ${keys.length}`,
        );
    for (const k of keys) {
        const v = o[k];
        if (k.length < 1 || k.length > 128 || !NO_CONTROL.test(k))
            c.fail(`tags.${k}`, `tag keys must be 1 to 128 ${PRINTABLE}`);
        else if (/^(aliyun|acs:)/i.test(k) || /^https?:\/\//i.test(k))
            c.fail(`tags.${k}`, 'tag keys must not start with "aliyun", "acs:", "http://" or "https://"');
        else if (k === TOKEN_TAG)
            c.fail(
                `tags.${k}`,
                "is reserved: pulumi-restore sets it to find the instance again after an interrupted restore",
            );
        else if (typeof v !== "string" || v.length > 128 || (v !== "" && !NO_CONTROL.test(v)))
            c.fail(`tags.${k}`, `tag values must be strings of at most 128 ${PRINTABLE}`);
        else out[k] = v;
    }
    return out;
}

/** The selector as state keeps it: the user's field names (`instanceId` for the source). */
/** The selector in state (user's field names) as {@link BackupSelector}. */
export function starRocksSelector(v: unknown): BackupSelector | undefined {
    return selectorFromState(v, STARROCKS_SELECTOR);
}
