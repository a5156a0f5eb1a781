import { BackupSelector, checkIdOrSelector, selectorFromState } from "../core/backupSelection";
import { Checker, CheckFailure, Timeouts, clean, isUnknownValue } from "../core/validate";
import { checkProp, checkProps, inputKeys, replaceKeys, secretKeys } from "../core/props";
import { STARROCKS_SELECTOR } from "./starrocksBackups";
import { NO_CONTROL, PRINTABLE, RESTORED_INSTANCE_PROPS } from "./starrocksProps";

export { STARROCKS_REGIONS } from "./starrocksProps";

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

/** Properties a user may set (and the restore token the class sets): the table's. */
export const INPUT_KEYS: readonly string[] = inputKeys(RESTORED_INSTANCE_PROPS);

/**
 * Inputs that hold secrets: the resource class marks them secret (state keeps them encrypted) and the provider
 * registers their values for redaction in every call (see `ProviderBase`).
 */
export const SECRET_INPUTS: readonly string[] = secretKeys(RESTORED_INSTANCE_PROPS);

/** Inputs consumed by RestoreInstance: changing any of them means a new instance. */
export const REPLACE_KEYS: readonly string[] = replaceKeys(RESTORED_INSTANCE_PROPS);

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

/** Validates and normalises `RestoredInstance` inputs, offline. */
export function checkRestoredInstance(news: Record<string, unknown>): {
    inputs: RestoredInstanceInputs;
    failures: CheckFailure[];
} {
    const c = new Checker(news);
    c.unknownKeys([...INPUT_KEYS, ...OUTPUT_KEYS], INPUT_KEYS);
    // Adopting an existing instance (adoptId, or `pulumi import` through the plugin) calls no RestoreInstance: the
    // backup and the subscription terms that only RestoreInstance takes are then optional (the API does not report
    // which backup an instance came from, so an import cannot fill them in).
    const adopting = news.adoptId !== undefined && news.adoptId !== null && news.adoptId !== "";
    const P = RESTORED_INSTANCE_PROPS;
    const v = checkProps(c, P, {
        // The subscription terms depend on payType: required for prePaid (unless adopting), forbidden for postPaid;
        // the longest duration depends on the cycle.
        pricingCycle: ({ payType }) => {
            if (postPaid(payType)) return undefined;
            const prePaid = !isUnknownValue(payType);
            return checkProp(c, "pricingCycle", P.pricingCycle, { required: prePaid && !adopting }) as Cycle;
        },
        duration: ({ payType, pricingCycle }) => {
            if (postPaid(payType)) return undefined;
            // Not known yet (preview), the cycle bounds the duration by the longer of the two: 12 (months).
            const cycleKnown = pricingCycle !== undefined && !isUnknownValue(pricingCycle);
            const years = cycleKnown && pricingCycle === "Year";
            const prePaid = !isUnknownValue(payType);
            return checkProp(c, "duration", P.duration, {
                required: prePaid && !adopting,
                max: years ? 5 : 12,
                unit: years ? "years" : "months",
            }) as number | undefined;
        },
        autoRenew: ({ payType }) => {
            if (postPaid(payType)) {
                const why = 'when payType is "postPaid" (it applies only to prePaid subscriptions)';
                c.forbid("pricingCycle", why);
                c.forbid("duration", why);
                c.forbid("autoRenew", why);
                return undefined;
            }
            // Whether the subscription fields are required waits for payType while it is unknown (preview).
            const dflt = isUnknownValue(payType) || adopting ? undefined : false;
            return checkProp(c, "autoRenew", P.autoRenew, { default: dflt }) as boolean | undefined;
        },
        tags: () => checkTags(c),
    });
    checkIdOrSelector(c, "backupTaskId", news.backupTaskId, news.backupSelector, adopting);
    const { regionId, vpcId, vSwitches } = v;
    vSwitchesOnce(c, vSwitches as VSwitch[] | undefined);
    vpcWithVSwitches(c, vpcId, news.vSwitches);
    zonesInRegion(c, vSwitches as VSwitch[] | undefined, regionId);
    const inputs: RestoredInstanceInputs = clean({
        ...v,
        restoreToken: v.restoreToken as string,
        payType: v.payType ?? "postPaid",
        vSwitches: vSwitches as VSwitch[] | undefined,
    });
    return { inputs, failures: c.failures };
}

type Cycle = "Month" | "Year" | undefined;

/** postPaid, or not a valid payType (its failure is recorded; the subscription terms are then checked as postPaid). */
const postPaid = (payType: unknown) => payType === undefined || payType === "postPaid";

// --- cross-field rules (what a table of properties cannot say) ---------------------------------------------------

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
