import {
    BackupSelector,
    checkBackupSelector,
    checkIdOrSelector,
    checkTriggers,
    given,
    selectorForState,
    selectorFromState,
} from "../core/backupSelection";
import { digest, stableJson } from "../core/resource";
import { Checker, CheckFailure, Timeouts, UNKNOWN, clean, isUnknown, isUnknownValue } from "../core/validate";
import { REDIS_SELECTOR } from "./redisBackups";
import { BACKUP_ID, INSTANCE_ID, REGION } from "./redisInputs";

/**
 * Inputs of `tencentcloud.redis.RestoredInstance`: a new Redis instance cloned from a backup of a source instance
 * (CloneInstances, API 2018-04-12). Names and rules follow the SDK's CloneInstancesRequest model.
 */

/** Billing modes (CloneInstancesRequest.BillingMode: 0 pay as you go, 1 monthly subscription). */
export const BILLING_MODES = ["postpaid", "prepaid"] as const;
/** The API's code of each billing mode. */
export const BILLING_CODE: Record<(typeof BILLING_MODES)[number], number> = { postpaid: 0, prepaid: 1 };
/** Subscription lengths in months CloneInstancesRequest.Period allows for a prepaid instance. */
export const PREPAID_PERIODS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 24, 36, 48, 60] as const;
/** VPort's range (CloneInstancesRequest.VPort: default 6379, [1024, 65535]). */
export const PORT_RANGE = { min: 1024, max: 65535 } as const;

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
export const INPUT_KEYS = [
    "restoreToken",
    "region",
    "sourceInstanceId",
    "backupId",
    "backupSelector",
    "triggers",
    "zoneId",
    "billingMode",
    "period",
    "securityGroupIds",
    "vpcId",
    "subnetId",
    "instanceName",
    "password",
    "noAuth",
    "port",
    "projectId",
    "templateId",
    "timeouts",
    "adoptId",
] as const;
/** Inputs that hold secrets: marked secret by the resource class, registered for redaction by the provider. */
export const SECRET_INPUTS: readonly string[] = ["password"];
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

/** CloneInstancesRequest.InstanceName: under 60 Chinese or English letters, digits, '-' and '_'. */
const NAME = /^[A-Za-z0-9\u4e00-\u9fa5_-]{1,59}$/;
/** Security group ids, e.g. `sg-5fgt7a1b`. */
const SECURITY_GROUP = /^sg-[a-z0-9]{8}$/;
const VPC = /^vpc-[a-z0-9]{8}$/;
const SUBNET = /^subnet-[a-z0-9]{8}$/;

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
    const restoreToken = c.string("restoreToken", {
        required: true,
        pattern: /^prt-[0-9a-f]{20}$/,
        format: "set by the resource class (prt- and 20 hex digits)",
    });
    const regionIn = c.string("region", {
        maxLength: 32,
        pattern: REGION,
        format: 'a region id such as "ap-guangzhou" or "ap-shanghai-fsi"',
    });
    const region = regionIn ?? defaultRegion;
    const adopting = given(news.adoptId);
    const sourceInstanceId = c.string("sourceInstanceId", {
        required: true,
        pattern: INSTANCE_ID,
        format: 'the Redis instance whose backup is cloned, such as "crs-5a4py64p"',
    });
    const backupId = c.string("backupId", {
        maxLength: 128,
        pattern: BACKUP_ID,
        format: 'a backup id of the source instance, such as "678362566696298532848117" (DescribeInstanceBackups)',
    });
    const sel = checkBackupSelector(c, REDIS_SELECTOR);
    checkIdOrSelector(c, "backupId", news.backupId, news.backupSelector, adopting);
    selectorOfSource(c, sel, sourceInstanceId);
    const backupSelector = selectorForState(sel, REDIS_SELECTOR);
    const triggers = checkTriggers(c);
    const zoneId = c.integer("zoneId", { required: true, min: 1, max: 999_999 });
    const billingMode = c.oneOf("billingMode", BILLING_MODES, { default: "postpaid" });
    const period = periodOfBilling(c, billingMode, news.period);
    const securityGroupIds = checkSecurityGroups(c);
    const vpcId = c.string("vpcId", { pattern: VPC, format: 'a VPC id such as "vpc-mjwornzj"' });
    const subnetId = c.string("subnetId", { pattern: SUBNET, format: 'a subnet id such as "subnet-3lzrkspo"' });
    vpcWithSubnet(c, news.vpcId, news.subnetId);
    const nameIn = c.string("instanceName", {
        pattern: NAME,
        format: "under 60 letters, digits, Chinese characters, '-' or '_'",
    });
    const noAuth = c.boolean("noAuth");
    const password = c.secret("password", { maxLength: 64, format: "8 to 30 characters" });
    passwordStrength(c, password);
    passwordOrNoAuth(c, noAuth, news.password, adopting);
    const port = c.integer("port", PORT_RANGE);
    const projectId = c.integer("projectId", { min: 0, max: 2_000_000_000 });
    const templateId = c.string("templateId", {
        pattern: /^crs-cfg-[a-z0-9]{8}$/,
        format: 'a parameter template id such as "crs-cfg-7d2nbjmk" (DescribeParamTemplates)',
    });
    const timeouts = c.timeouts();
    const adoptId = c.string("adoptId", {
        pattern: INSTANCE_ID,
        format: 'an existing Redis instance id such as "crs-5a4py64p" to take over',
    });

    const base = {
        region,
        sourceInstanceId: sourceInstanceId as string,
        backupId,
        backupSelector: backupSelector as Record<string, string> | undefined,
        triggers,
        zoneId: zoneId as number,
        billingMode: billingMode as CloneInputs["billingMode"],
        period,
        securityGroupIds: securityGroupIds as string[],
        vpcId,
        subnetId,
        noAuth,
        port,
        projectId,
        templateId,
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

/** `securityGroupIds`: 1 to 10 security group ids. */
function checkSecurityGroups(c: Checker): string[] | undefined {
    return c.list<string>(
        "securityGroupIds",
        (p, v) =>
            c.stringValue(p, v, {
                required: true,
                pattern: SECURITY_GROUP,
                format: 'a security group id such as "sg-5fgt7a1b"',
            }),
        { required: true, minItems: 1, maxItems: 10 },
    );
}

// --- cross-field rules (what a table of properties cannot say) ---------------------------------------------------

/** A selector's source instance, when given, is the source instance: CloneInstances clones a backup of its source. */
function selectorOfSource(
    c: Checker,
    sel: ReturnType<typeof checkBackupSelector>,
    sourceInstanceId: string | undefined,
): void {
    if (sel && !isUnknownValue(sel) && sel.source && !isUnknownValue(sel.source) && sourceInstanceId) {
        if (!isUnknownValue(sourceInstanceId) && sel.source !== sourceInstanceId)
            c.fail(
                "backupSelector.instanceId",
                `must be the source instance ${sourceInstanceId} (or left out): CloneInstances clones a backup of its source, got ${sel.source}`,
            );
    }
}

/**
 * `period` by billing mode: prepaid requires one of CloneInstances' periods; postpaid forbids it; an unknown mode
 * (preview) checks only its range.
 */
function periodOfBilling(c: Checker, billingMode: string | undefined, periodInput: unknown): number | undefined {
    if (billingMode === "prepaid") {
        const period = c.integer("period", { required: true, min: 1, max: 60, unit: "months" });
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
        if (!isUnknownValue(periodInput))
            c.forbid("period", `when billingMode is "postpaid" (a pay-as-you-go clone is billed by the hour)`);
        return undefined;
    }
    return c.integer("period", { min: 1, max: 60, unit: "months" });
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
