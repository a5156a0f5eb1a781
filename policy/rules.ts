/**
 * The rules of the pack as pure functions: a resource (kind, name, URN, inputs, the options the engine shows a policy)
 * and the policy's config in, the violation messages out. index.ts wires them into @pulumi/policy; the unit tests call
 * them directly. No import of @pulumi/policy here.
 *
 * Inputs are read as the engine sends them: an input whose value is not known at preview (an output of another
 * resource) throws @pulumi/policy's UnknownValueError when read, which the framework reports as an advisory "can't run
 * policy during preview" instead of a verdict. The rules read only the inputs they judge.
 */
import { isDrill, RestoreKind } from "./resources";

/** What a rule sees of a resource. */
export interface Subject {
    kind: RestoreKind;
    /** The resource's name (the first argument of its constructor). */
    name: string;
    urn: string;
    props: Record<string, unknown>;
    /** The resource options the engine passes to policies (it passes `protect`, not `retainOnDelete`). */
    protect: boolean;
}

/** True when a list of names or URNs names this resource. */
function listed(list: readonly string[] | undefined, s: Subject): boolean {
    return (list ?? []).some((e) => e === s.name || e === s.urn);
}

/** Class names as users write them, for messages. */
const CLASS: Record<RestoreKind, string> = {
    "alicloud/starrocks:RestoredInstance": "alicloud.starrocks.RestoredInstance",
    "alicloud/starrocks:RestoreDrill": "alicloud.starrocks.RestoreDrill",
    "tencentcloud/redis:InstanceRestore": "tencentcloud.redis.InstanceRestore",
    "zstack:VmFromBackup": "zstack.VmFromBackup",
    "zstack:RestoreDrill": "zstack.RestoreDrill",
    "jdcloud/rds:RestoredInstance": "jdcloud.rds.RestoredInstance",
    "jdcloud/rds:RestoreDrill": "jdcloud.rds.RestoreDrill",
    "huaweicloud/koophone:InstanceBackup": "huaweicloud.koophone.InstanceBackup",
};

/** `alicloud.starrocks.RestoredInstance "analytics-dr"`: how messages name a resource. */
export function describe(s: Subject): string {
    return `${CLASS[s.kind]} "${s.name}"`;
}

// ---------------------------------------------------------------------------------------------------------------------
// (a) in-place restores

/** Config of `in-place-restore-acknowledged`. */
export interface InPlaceConfig {
    /** Resources (names or URNs) whose in-place restore a reviewer acknowledged. */
    allowedResources?: string[];
    /** Instances that may be overwritten by any restore (e.g. a staging cache). */
    allowedInstanceIds?: string[];
}

/**
 * A Tencent Redis InstanceRestore overwrites a live instance's data: refused unless the resource or its instance is on
 * an allow-list of the policy config. The acknowledgement is in the policy config, not in a resource input: the
 * config is the platform team's reviewed file, separate from the program it judges, and a new provider input would
 * reach state and diffs (and a key added to `triggers` would restore again).
 */
export function checkInPlace(s: Subject, c: InPlaceConfig): string[] {
    if (s.kind !== "tencentcloud/redis:InstanceRestore") return [];
    if (listed(c.allowedResources, s)) return [];
    const instanceId = s.props.instanceId;
    if (typeof instanceId === "string" && (c.allowedInstanceIds ?? []).includes(instanceId)) return [];
    return [
        `${describe(s)} overwrites the live instance ${JSON.stringify(instanceId)} in place (its current data is lost ` +
            `and service is interrupted during the restore). To acknowledge, add "${s.name}" to allowedResources (or ` +
            `the instance to allowedInstanceIds) of policy in-place-restore-acknowledged in the policy config.`,
    ];
}

// ---------------------------------------------------------------------------------------------------------------------
// (b) backup age

/** Config of `backup-max-age`. */
export interface BackupAgeConfig {
    /** The oldest backup a restore may use, in days. Default 7. */
    maxAgeDays?: number;
}

/** The default of {@link BackupAgeConfig.maxAgeDays}. */
export const DEFAULT_MAX_AGE_DAYS = 7;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A duration as the provider accepts it ("90m", "24h", "1h30m", "7d") in milliseconds; undefined otherwise. The same
 * grammar as provider/core/duration.ts (a unit test keeps them equal): the pack is installed on its own, so it does not
 * import the package.
 */
export function parseDuration(text: string): number | undefined {
    const t = text.trim();
    if (!/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(t)) return undefined;
    let total = 0;
    for (const m of t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) total += Number(m[1]) * UNIT_MS[m[2]];
    return total > 0 ? Math.round(total) : undefined;
}

/** The input that names an explicit backup, per kind (undefined: the kind takes no backup). */
const BACKUP_ID_KEY: Partial<Record<RestoreKind, string>> = {
    "alicloud/starrocks:RestoredInstance": "backupTaskId",
    "alicloud/starrocks:RestoreDrill": "backupTaskId",
    "tencentcloud/redis:InstanceRestore": "backupId",
    "zstack:VmFromBackup": "backupGroupUuid",
    "zstack:RestoreDrill": "backupGroupUuid",
    "jdcloud/rds:RestoredInstance": "backupId",
    "jdcloud/rds:RestoreDrill": "backupId",
};

function present(v: unknown): boolean {
    return v !== undefined && v !== null && v !== "";
}

/**
 * Backups older than N days are refused where the age is bounded at preview: a `backupSelector` must carry a `maxAge`
 * of at most N days (without one it would restore a backup of any age), and a selector whose `before` lies more than
 * N days back can only choose an older backup. An explicit backup id's time is not known at preview: that is
 * {@link checkBackupAgeUnknown}'s (advisory) concern.
 */
export function checkBackupAge(s: Subject, c: BackupAgeConfig, now: number = Date.now()): string[] {
    if (!BACKUP_ID_KEY[s.kind]) return [];
    const sel = s.props.backupSelector;
    if (!present(sel) || typeof sel !== "object") return [];
    const days = c.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS;
    const limitMs = days * UNIT_MS.d;
    const out: string[] = [];
    const selector = sel as Record<string, unknown>;
    const maxAge = selector.maxAge;
    if (!present(maxAge)) {
        out.push(
            `${describe(s)}: backupSelector has no maxAge, so it may restore a backup of any age; set ` +
                `backupSelector.maxAge to at most ${days}d (policy backup-max-age, maxAgeDays ${days}).`,
        );
    } else {
        const ms = typeof maxAge === "string" ? parseDuration(maxAge) : undefined;
        if (ms === undefined)
            out.push(`${describe(s)}: backupSelector.maxAge ${JSON.stringify(maxAge)} is not a duration such as "7d".`);
        else if (ms > limitMs)
            out.push(
                `${describe(s)}: backupSelector.maxAge ${maxAge} allows backups older than ${days} days ` +
                    `(policy backup-max-age, maxAgeDays ${days}); set it to at most ${days}d.`,
            );
    }
    const before = selector.before;
    if (typeof before === "string" && Number.isFinite(Date.parse(before)) && now - Date.parse(before) > limitMs)
        out.push(
            `${describe(s)}: backupSelector.before ${before} is more than ${days} days ago, so any backup it ` +
                `chooses is older than policy backup-max-age allows (maxAgeDays ${days}).`,
        );
    return out;
}

/** Config of `backup-age-unknown`. */
export interface BackupAgeUnknownConfig {
    /** Explicit backup ids a reviewer checked to be recent enough. */
    allowedBackupIds?: string[];
}

/** An explicit backup id: its time is not known at preview, so the age rule cannot judge it (advisory by default). */
export function checkBackupAgeUnknown(s: Subject, c: BackupAgeUnknownConfig): string[] {
    const key = BACKUP_ID_KEY[s.kind];
    if (!key) return [];
    const id = s.props[key];
    if (!present(id) || (c.allowedBackupIds ?? []).includes(String(id))) return [];
    return [
        `${describe(s)} restores the explicit backup ${key} ${JSON.stringify(id)}, whose time is not known at ` +
            `preview, so its age cannot be checked: prefer backupSelector with maxAge, or add the id to ` +
            `allowedBackupIds of policy backup-age-unknown once checked.`,
    ];
}

// ---------------------------------------------------------------------------------------------------------------------
// (c) production targets

/** Config of `production-target`. */
export interface ProductionConfig {
    /** Tag keys and the values that mark production (compared without case). Default {@link DEFAULT_PRODUCTION_TAGS}. */
    productionTags?: Record<string, string[]>;
    /** Existing instances that are production (an in-place restore's `instanceId`). */
    productionInstanceIds?: string[];
    /** Resources (names or URNs) allowed to restore into production. */
    allowedResources?: string[];
}

/** Tags that mark production unless the config says otherwise. */
export const DEFAULT_PRODUCTION_TAGS: Record<string, string[]> = {
    env: ["prod", "production"],
    environment: ["prod", "production"],
};

/**
 * The resource's tags as key/value pairs: StarRocks `tags` (a map), ZStack `userTags` (strings `key::value`, ZStack's
 * own convention, or `key=value`).
 */
export function tagsOf(s: Subject): [string, string][] {
    if (s.kind === "alicloud/starrocks:RestoredInstance" || s.kind === "alicloud/starrocks:RestoreDrill") {
        const t = s.props.tags;
        if (!t || typeof t !== "object") return [];
        return Object.entries(t as Record<string, unknown>).map(([k, v]) => [k, String(v)]);
    }
    if (s.kind === "zstack:VmFromBackup" || s.kind === "zstack:RestoreDrill") {
        const t = s.props.userTags;
        if (!Array.isArray(t)) return [];
        return t.flatMap((e): [string, string][] => {
            const m = /^([^:=]+)(?:::|=)(.*)$/.exec(String(e));
            return m ? [[m[1].trim(), m[2].trim()]] : [];
        });
    }
    return [];
}

/** Restores into a target tagged as production (or into a listed production instance) are refused unless allowed. */
export function checkProduction(s: Subject, c: ProductionConfig): string[] {
    if (s.kind === "huaweicloud/koophone:InstanceBackup") return [];
    if (listed(c.allowedResources, s)) return [];
    const marks = c.productionTags ?? DEFAULT_PRODUCTION_TAGS;
    const lower = Object.fromEntries(Object.entries(marks).map(([k, vs]) => [k.toLowerCase(), vs]));
    const hits = tagsOf(s).filter(([k, v]) =>
        (lower[k.toLowerCase()] ?? []).some((p) => p.toLowerCase() === v.toLowerCase()),
    );
    const out = hits.map(
        ([k, v]) =>
            `${describe(s)} restores into a production target (tag ${k}=${v}). To allow it, add "${s.name}" to ` +
            `allowedResources of policy production-target in the policy config.`,
    );
    if (s.kind === "tencentcloud/redis:InstanceRestore" && (c.productionInstanceIds ?? []).length > 0) {
        const id = s.props.instanceId;
        if (typeof id === "string" && c.productionInstanceIds!.includes(id))
            out.push(
                `${describe(s)} overwrites the production instance ${id} (productionInstanceIds). To allow it, add ` +
                    `"${s.name}" to allowedResources of policy production-target in the policy config.`,
            );
    }
    return out;
}

// ---------------------------------------------------------------------------------------------------------------------
// (d) drills on a schedule

/** Config of `drill-scheduled`. */
export interface DrillConfig {
    /** Keys `triggers` must have, e.g. ["month"] for monthly drills. Default: any non-empty `triggers`. */
    requiredTriggerKeys?: string[];
}

/**
 * A drill runs when it is created and again only when `triggers` changes: without triggers it runs once and never
 * again, which is not a drill schedule.
 */
export function checkDrillScheduled(s: Subject, c: DrillConfig): string[] {
    if (!isDrill(s.kind)) return [];
    const t = s.props.triggers;
    const keys = t && typeof t === "object" && !Array.isArray(t) ? Object.keys(t) : [];
    if (keys.length === 0)
        return [
            `${describe(s)} has no triggers, so it runs once and never again: set triggers to the schedule, e.g. ` +
                `{ month: "2026-12" } from the CI job's date (policy drill-scheduled).`,
        ];
    const missing = (c.requiredTriggerKeys ?? []).filter((k) => !keys.includes(k));
    return missing.length
        ? [
              `${describe(s)}: triggers lacks ${missing.join(", ")} (policy drill-scheduled, requiredTriggerKeys); ` +
                  `it has ${keys.join(", ")}.`,
          ]
        : [];
}

// ---------------------------------------------------------------------------------------------------------------------
// (e) prePaid restores

/** Config of `prepaid-retained`. */
export interface PrepaidConfig {
    /** Resources (names or URNs) whose program sets the `retainOnDelete` option (acknowledged by a reviewer). */
    retainedResources?: string[];
    /** Accept the `protect` option instead (default true): destroy then refuses before reaching the instance. */
    acceptProtect?: boolean;
}

/** True when the resource restores into a subscription (prePaid) instance, which no API call can release. */
export function isPrepaid(s: Subject): boolean {
    if (s.kind === "alicloud/starrocks:RestoredInstance") return s.props.payType === "prePaid";
    if (s.kind === "jdcloud/rds:RestoredInstance") {
        const spec = s.props.instanceSpec;
        const charge = spec && typeof spec === "object" ? (spec as Record<string, unknown>).chargeSpec : undefined;
        return (
            !!charge &&
            typeof charge === "object" &&
            (charge as Record<string, unknown>).chargeMode === "prepaid_by_duration"
        );
    }
    return false;
}

/**
 * A prePaid instance cannot be released by API, so its destroy fails: such a restore must be kept out of destroy with
 * `retainOnDelete`. The engine does not pass `retainOnDelete` to policy packs (its analyzer options carry `protect`,
 * `ignoreChanges`, `deleteBeforeReplace`, `additionalSecretOutputs`, `aliases`, `customTimeouts` and `parent`), so the
 * rule accepts the resource on the `retainedResources` list of the policy config, or with `protect` set.
 */
export function checkPrepaidRetained(s: Subject, c: PrepaidConfig): string[] {
    if (!isPrepaid(s)) return [];
    if (listed(c.retainedResources, s)) return [];
    if ((c.acceptProtect ?? true) && s.protect) return [];
    return [
        `${describe(s)} restores into a prePaid (subscription) instance, which cannot be released by API, so ` +
            `\`pulumi destroy\` would fail on it: give the resource the retainOnDelete option (and add "${s.name}" to ` +
            `retainedResources of policy prepaid-retained: policies cannot see retainOnDelete), or protect it.`,
    ];
}
