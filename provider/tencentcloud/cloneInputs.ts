import { BackupSelector, checkIdOrSelector, given, selectorFromState } from "../core/backupSelection";
import { digest, stableJson } from "../core/resource";
import { Checker, CheckFailure, Timeouts, UNKNOWN, clean, isUnknown, isUnknownValue } from "../core/validate";
import { REDIS_SELECTOR } from "./redisBackups";
import { checkProp, checkProps, inputKeys, replaceKeys, secretKeys } from "../core/props";
import { BILLING_MODES, CLONE_PROPS } from "./cloneProps";

export { BILLING_MODES, PORT_RANGE } from "./cloneProps";

/**
 * Inputs of `tencentcloud.redis.RestoredInstance`: a new Redis instance cloned from a backup of a source instance
 * (CloneInstances, API 2018-04-12). Names and rules follow the SDK's CloneInstancesRequest model.
 */

/** The API's code of each billing mode. */
export const BILLING_CODE: Record<(typeof BILLING_MODES)[number], number> = { postpaid: 0, prepaid: 1 };
/** Subscription lengths in months CloneInstancesRequest.Period allows for a prepaid instance. */
export const PREPAID_PERIODS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 24, 36, 48, 60] as const;

/** Normalised inputs, as check() returns them and state keeps them. */
export interface CloneInputs {
    restoreToken: string;
    /** The effective region (input, config, environment or ap-guangzhou). */
    region: string;
    /** The instance whose backup is cloned (CloneInstances' InstanceId). */
    sourceInstanceId: string;
    backupId?: string;
    /** `{ instanceId?, backupType?, after?, before?, maxAge? }`: the latest normal backup of the source. */
    backupSelector?: Record<string, string>;
    triggers?: Record<string, unknown>;
    zoneId: number;
    billingMode: (typeof BILLING_MODES)[number];
    /** Months; prepaid only (postpaid sends 1, as the API requires). */
    period?: number;
    securityGroupIds: string[];
    vpcId?: string;
    subnetId?: string;
    /** Always set: derived from the restore token and the intent when not given. */
    instanceName: string;
    /** True when `instanceName` was derived (not set by the user). */
    autoNamed: boolean;
    password?: string;
    noAuth?: boolean;
    port?: number;
    projectId?: number;
    templateId?: string;
    timeouts?: Timeouts;
    adoptId?: string;
}

/** Outputs: the effective inputs plus what the cloud reports. */
export interface CloneOutputs extends CloneInputs {
    instanceId: string;
    /** The status as last seen, in words (`running` after a successful create). */
    instanceStatus: string;
    /** The instance's private address (InstanceSet.WanIp, the VIP). */
    address?: string;
    /** The port it listens on (InstanceSet.Port). */
    instancePort?: number;
    createTime?: string;
    /** CloneInstances' order (DealName); absent when the instance was found or adopted. */
    dealName?: string;
    adopted: boolean;
    selectedBackupId?: string;
    selectedBackupTime?: string;
}

/** Properties a user may set (plus the token the resource class sets). */
export const INPUT_KEYS: readonly string[] = inputKeys(CLONE_PROPS);
/** Inputs that hold secrets: marked secret by the resource class, registered for redaction by the provider. */
export const SECRET_INPUTS: readonly string[] = secretKeys(CLONE_PROPS);
/** Inputs whose change clones again (all but the password, which is only sent at creation, and `timeouts`, `adoptId`). */
export const REPLACE_KEYS: readonly string[] = replaceKeys(CLONE_PROPS);
/** Output-only properties (dropped when they come back as inputs). */
export const OUTPUT_KEYS = [
    "autoNamed",
    "instanceId",
    "instanceStatus",
    "address",
    "instancePort",
    "createTime",
    "dealName",
    "adopted",
    "selectedBackupId",
    "selectedBackupTime",
    // What check says the operation does (../core/plan): it comes back with the inputs of a later check.
    "plan",
] as const;

/**
 * The part of the inputs that defines what is cloned. Two creates with the same restore token and intent are the same
 * restore; a replacement with another backup, zone or spec has another intent, hence another derived name. The
 * password is not part of it (it does not decide what is made).
 */
export function cloneIntent(i: Omit<CloneInputs, "restoreToken" | "instanceName" | "autoNamed">): string {
    const sel = i.backupSelector === undefined ? undefined : stableJson(i.backupSelector);
    return digest(
        {
            r: i.region,
            s: i.sourceInstanceId,
            b: i.backupId,
            sel,
            tr: i.triggers,
            z: i.zoneId,
            m: i.billingMode,
            p: i.period,
            sg: i.securityGroupIds,
            v: i.vpcId,
            sn: i.subnetId,
            na: i.noAuth,
            po: i.port,
            pj: i.projectId,
            t: i.templateId,
        },
        8,
    );
}

/** The name given to the clone when the user sets none: it carries the restore token and the intent. */
export function derivedCloneName(restoreToken: string, intent: string): string {
    return `${restoreToken.slice(0, 16)}-${intent}`;
}

/**
 * A clone password as CloneInstancesRequest documents it for Redis 2.8 to 7.0: 8 to 30 characters, at least two of
 * lower-case letters, upper-case letters, digits and `()\`~!@#$%^&*-+=_|{}[]:;<>,.?/`, not starting with "/".
 */
export function passwordProblem(p: string): string | undefined {
    if (p.length < 8 || p.length > 30) return "must be 8 to 30 characters";
    if (p.startsWith("/")) return 'must not start with "/"';
    if (!/^[A-Za-z0-9()`~!@#$%^&*\-+=_|{}[\]:;<>,.?/]+$/.test(p))
        return "may hold only letters, digits and ()`~!@#$%^&*-+=_|{}[]:;<>,.?/";
    const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(p)).length;
    return kinds < 2 ? "must mix at least two of lower-case, upper-case, digits and symbols" : undefined;
}

/** Validates and normalises the inputs offline; `defaultRegion` is the configured one (or ap-guangzhou). */
export function checkClone(
    news: Record<string, unknown>,
    defaultRegion: string,
): { inputs: CloneInputs; failures: CheckFailure[] } {
    const c = new Checker(news);
    c.unknownKeys([...INPUT_KEYS, ...OUTPUT_KEYS], INPUT_KEYS);
    const adopting = given(news.adoptId);
    const P = CLONE_PROPS;
    const v = checkProps(c, P, {
        region: () => (checkProp(c, "region", P.region) as string | undefined) ?? defaultRegion,
        // A subscription's length: required for prepaid, and one of the lengths CloneInstances takes; none for postpaid.
        period: ({ billingMode }) => {
            if (billingMode === "prepaid") {
                const period = checkProp(c, "period", P.period, { required: true }) as number | undefined;
                if (typeof period === "number" && !(PREPAID_PERIODS as readonly number[]).includes(period)) {
                    c.fail(
                        "period",
                        `must be one of ${PREPAID_PERIODS.join(", ")} months (CloneInstances' Period), got ${period}`,
                    );
                }
                return period;
            }
            if (billingMode !== undefined && !isUnknownValue(billingMode)) {
                // A period known only at up is checked then (it may resolve to nothing).
                if (!isUnknownValue(news.period))
                    c.forbid("period", `when billingMode is "postpaid" (a pay-as-you-go clone is billed by the hour)`);
                return undefined;
            }
            return checkProp(c, "period", P.period) as number | undefined;
        },
    });
    const { sourceInstanceId, backupSelector, triggers, region, password, noAuth } = v;
    checkIdOrSelector(c, "backupId", news.backupId, news.backupSelector, adopting);
    selectorOfSource(
        c,
        isUnknownValue(backupSelector) ? undefined : selectorFromState(backupSelector, REDIS_SELECTOR),
        sourceInstanceId,
    );
    vpcWithSubnet(c, news.vpcId, news.subnetId);
    passwordStrength(c, password);
    passwordOrNoAuth(c, noAuth, news.password, adopting);
    const { restoreToken, instanceName: nameIn, timeouts, adoptId } = v;
    const base = {
        region: region as string,
        sourceInstanceId: sourceInstanceId as string,
        backupId: v.backupId,
        backupSelector,
        triggers,
        zoneId: v.zoneId as number,
        billingMode: v.billingMode as CloneInputs["billingMode"],
        period: v.period,
        securityGroupIds: v.securityGroupIds as string[],
        vpcId: v.vpcId,
        subnetId: v.subnetId,
        noAuth,
        port: v.port,
        projectId: v.projectId,
        templateId: v.templateId,
    };
    const { instanceName, autoNamed } =
        c.failures.length === 0 && restoreToken
            ? nameClone(c, nameIn, restoreToken, base)
            : { instanceName: nameIn as string, autoNamed: false };
    const inputs = clean({
        restoreToken: restoreToken as string,
        ...base,
        instanceName,
        autoNamed,
        password,
        timeouts,
        adoptId,
    }) as CloneInputs;
    return { inputs, failures: c.failures };
}

// --- cross-field rules (what a table of properties cannot say) ---------------------------------------------------

/** A selector's source instance, when given, is the source instance: CloneInstances clones a backup of its source. */
function selectorOfSource(c: Checker, sel: BackupSelector | undefined, sourceInstanceId: string | undefined): void {
    if (sel && !isUnknownValue(sel) && sel.source && !isUnknownValue(sel.source) && sourceInstanceId) {
        if (!isUnknownValue(sourceInstanceId) && sel.source !== sourceInstanceId)
            c.fail(
                "backupSelector.instanceId",
                `must be the source instance ${sourceInstanceId} (or left out): CloneInstances clones a backup of its source, got ${sel.source}`,
            );
    }
}

/** `vpcId` and `subnetId` go together (or neither: the basic network), once both are known. */
function vpcWithSubnet(c: Checker, vpcId: unknown, subnetId: unknown): void {
    if (given(vpcId) !== given(subnetId) && !isUnknownValue(vpcId) && !isUnknownValue(subnetId))
        c.fail(
            given(vpcId) ? "subnetId" : "vpcId",
            `required when ${given(vpcId) ? "vpcId" : "subnetId"} is set: set vpcId and subnetId together (or neither: the basic network)`,
        );
}

/** The password follows CloneInstances' rule ({@link passwordProblem}). */
function passwordStrength(c: Checker, password: string | undefined): void {
    if (typeof password === "string" && !isUnknownValue(password)) {
        const why = passwordProblem(password);
        if (why) c.fail("password", `${why} (CloneInstances' rule for Redis 2.8 to 7.0)`);
    }
}

/** A password, or `noAuth: true`, never both (a password is optional when adopting). */
function passwordOrNoAuth(c: Checker, noAuth: boolean | undefined, rawPassword: unknown, adopting: boolean): void {
    if (noAuth === true && given(rawPassword))
        c.fail("password", "must not be set when noAuth is true: a password-free clone takes no password");
    if (noAuth !== true && !given(rawPassword) && !adopting && !isUnknownValue(noAuth))
        c.fail("password", "required unless noAuth is true: the clone's password (a secret), 8 to 30 characters");
}

/**
 * The clone's name: unset (or this resource's own derived name given back) becomes the name derived from the restore
 * token and the intent; a chosen name may not look like a derived one.
 */
function nameClone(
    c: Checker,
    nameIn: string | undefined,
    restoreToken: string,
    base: Parameters<typeof cloneIntent>[0],
): { instanceName: string; autoNamed: boolean } {
    const own =
        isUnknown(base) || isUnknownValue(restoreToken) ? UNKNOWN : derivedCloneName(restoreToken, cloneIntent(base));
    if (!nameIn || nameIn === own) return { instanceName: own, autoNamed: true };
    if (!isUnknownValue(nameIn) && own !== UNKNOWN && /^prt-/i.test(nameIn)) {
        c.fail(
            "instanceName",
            'names starting with "prt-" are reserved for names derived from a restore token; choose another name, or leave instanceName unset',
        );
    }
    return { instanceName: nameIn, autoNamed: false };
}

/** The selector in state as a {@link BackupSelector} (its source defaults to the source instance). */
export function cloneSelector(i: Pick<CloneInputs, "backupSelector" | "sourceInstanceId">): BackupSelector | undefined {
    const s = selectorFromState(i.backupSelector, REDIS_SELECTOR);
    return s ? { ...s, source: s.source ?? i.sourceInstanceId } : undefined;
}
