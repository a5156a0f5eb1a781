import { formatDuration, parseDuration } from "./duration";
import { utcIso } from "./time";
import { Checker, clean, isCalendarTime, isUnknownValue } from "./validate";

/**
 * Choosing the backup to restore: the parts every cloud shares. Each cloud maps its list API's records to
 * {@link BackupRecord} (its own status words, its own notion of "complete") and calls {@link chooseLatest} or
 * {@link requireComplete}; resources, lookup functions and restore drills all go through the cloud's `resolveBackup`.
 */

/** One backup as the selection logic sees it, whatever the cloud. */
export interface BackupRecord {
    /** The id a restore takes (backup task id, backup id, backup group uuid). */
    id: string;
    /** When the backup's data was taken, ms since the epoch (its end time where the API has one); NaN when unknown. */
    time: number;
    /** The cloud's own status word or code, as the API reports it (shown in messages). */
    status: string;
    /** Whether the cloud's status says the backup is complete and restorable. */
    complete: boolean;
    /** The cloud's backup type (e.g. FULL, "1" automatic), when the API reports one. */
    type?: string;
    /** The instance or VM the backup was taken of. */
    source?: string;
}

/** A backup chosen for a restore: the outputs `selectedBackupId` / `selectedBackupTime` and the status seen. */
export interface ResolvedBackup {
    backupId: string;
    /** ISO 8601 (UTC) time of the backup's data; "" when the API does not report one. */
    backupTime: string;
    status: string;
}

/** A backup selector after check(): the source and the optional filters. */
export interface BackupSelector {
    /** The instance or VM whose backups are searched (its key differs per cloud: instanceId, vmUuid). */
    source?: string;
    /** Only backups of this type (the cloud's own value). */
    backupType?: string;
    /** Only backups taken at or after this time (ISO 8601). */
    after?: string;
    /** Only backups taken at or before this time (ISO 8601). */
    before?: string;
    /** Only backups at most this old when the restore starts (a duration such as "24h"). */
    maxAge?: string;
}

/** How a cloud's selector looks: its source key, whether the source may be left out, and its backup types. */
export interface SelectorSpec {
    /** The key of the source inside the selector (`instanceId`, `vmUuid`). */
    sourceKey: string;
    sourcePattern: RegExp;
    sourceFormat: string;
    /** False where the source defaults to something else (Tencent: the instance being restored). */
    sourceRequired: boolean;
    /** The backup types the API reports, when it has a fixed set; absent: no `backupType` filter. */
    types?: readonly string[];
}

/**
 * A checked selector as inputs and state keep it, under the user's field names (the cloud's `sourceKey` for the
 * source). An unknown value (preview) or an absent one is returned as it is.
 */
export function selectorForState(
    s: BackupSelector | undefined,
    spec: SelectorSpec,
): Record<string, string> | undefined {
    if (!s || isUnknownValue(s)) return s as Record<string, string> | undefined;
    return clean({
        [spec.sourceKey]: s.source,
        backupType: s.backupType,
        after: s.after,
        before: s.before,
        maxAge: s.maxAge,
    }) as Record<string, string>;
}

/** The selector as state keeps it (user's field names) as a {@link BackupSelector}; the inverse of the above. */
export function selectorFromState(v: unknown, spec: SelectorSpec): BackupSelector | undefined {
    if (!v || typeof v !== "object") return undefined;
    const o = v as Record<string, string | undefined>;
    return clean({
        source: o[spec.sourceKey],
        backupType: o.backupType,
        after: o.after,
        before: o.before,
        maxAge: o.maxAge,
    });
}

/** ISO 8601 date-time with a zone, e.g. 2026-11-23T00:00:00Z. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Validates `backupSelector` (offline). Returns the normalised selector, the raw unknown value, or undefined. */
export function checkBackupSelector(
    c: Checker,
    spec: SelectorSpec,
    path = "backupSelector",
): BackupSelector | undefined {
    const o = c.object(path, { format: `{ ${spec.sourceKey}, backupType?, after?, before?, maxAge? }` });
    if (!o || isUnknownValue(o)) return o as BackupSelector | undefined;
    const allowed = [spec.sourceKey, ...(spec.types ? ["backupType"] : []), "after", "before", "maxAge"];
    for (const k of Object.keys(o)) {
        if (!allowed.includes(k)) c.fail(`${path}.${k}`, `is not a selector field; use ${allowed.join(", ")}`);
    }
    const source = c.stringValue(`${path}.${spec.sourceKey}`, o[spec.sourceKey], {
        required: spec.sourceRequired,
        pattern: spec.sourcePattern,
        format: spec.sourceFormat,
    });
    let backupType: string | undefined;
    if (spec.types) {
        const t = o.backupType;
        if (isUnknownValue(t)) backupType = t as string;
        else if (t !== undefined && t !== null && t !== "") {
            if (typeof t !== "string" || !spec.types.includes(t))
                c.fail(
                    `${path}.backupType`,
                    `must be one of ${spec.types.map((x) => `"${x}"`).join(", ")}, got ${JSON.stringify(t)}`,
                );
            else backupType = t;
        }
    }
    const after = checkTime(c, `${path}.after`, o.after);
    const before = checkTime(c, `${path}.before`, o.before);
    if (
        after &&
        before &&
        !isUnknownValue(after) &&
        !isUnknownValue(before) &&
        Date.parse(after) >= Date.parse(before)
    ) {
        c.fail(`${path}.before`, `must be later than ${path}.after (${after}), got ${before}`);
    }
    let maxAge: string | undefined;
    const m = o.maxAge;
    if (isUnknownValue(m)) maxAge = m as string;
    else if (m !== undefined && m !== null && m !== "") {
        if (typeof m !== "string" || parseDuration(m) === undefined)
            c.fail(`${path}.maxAge`, `must be a duration such as "24h", "90m" or "7d", got ${JSON.stringify(m)}`);
        else maxAge = m;
    }
    const out: BackupSelector = {};
    if (source !== undefined) out.source = source;
    if (backupType !== undefined) out.backupType = backupType;
    if (after !== undefined) out.after = after;
    if (before !== undefined) out.before = before;
    if (maxAge !== undefined) out.maxAge = maxAge;
    return out;
}

function checkTime(c: Checker, path: string, v: unknown): string | undefined {
    if (isUnknownValue(v)) return v as string;
    if (v === undefined || v === null || v === "") return undefined;
    if (typeof v !== "string" || !ISO_TIME.test(v) || !isCalendarTime(v) || Number.isNaN(Date.parse(v))) {
        c.fail(path, `must be an ISO 8601 time with a zone such as "2026-11-23T00:00:00Z", got ${JSON.stringify(v)}`);
        return undefined;
    }
    return v;
}

/**
 * The rule "an explicit id or a selector, exactly one" (unless `optional`, e.g. adopting, where neither is needed).
 * `id` and `selector` are the raw input values. An unknown value (preview) may still turn out absent, so "both" is
 * only reported when both are known, and "neither" never when one of them is unknown.
 */
export function checkIdOrSelector(
    c: Checker,
    idKey: string,
    id: unknown,
    selector: unknown,
    optional = false,
    selectorKey = "backupSelector",
): void {
    const hasId = given(id);
    const hasSelector = given(selector);
    const known = !isUnknownValue(id) && !isUnknownValue(selector);
    if (hasId && hasSelector && known) {
        c.fail(
            selectorKey,
            `set either ${idKey} (one backup by id) or ${selectorKey} (the latest complete backup matching it), ` +
                "not both",
        );
    } else if (!hasId && !hasSelector && !optional) {
        c.fail(
            idKey,
            `required: set ${idKey} (one backup by id) or ${selectorKey} (the latest complete backup of a source)`,
        );
    }
}

/** Whether an input value counts as given (an unknown counts, an empty selector `{}` too; "" and null do not). */
export function given(v: unknown): boolean {
    return v !== undefined && v !== null && v !== "";
}

/** Bounds of `triggers`: a handful of values compared for changes, not a data store. */
const MAX_TRIGGERS = 64;
const MAX_TRIGGER_TEXT = 4096;
const TRIGGER_NAME = /^[^\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]+$/u;

/**
 * `triggers`: strings, booleans and exact finite numbers; any change restores again (from the then-latest backup
 * when a selector is used). NaN and Infinity both travel as `null` in state, and numbers beyond 2^53 lose their last
 * digits, so a change between two of them would go unseen: they are refused.
 */
export function checkTriggers(c: Checker, path = "triggers"): Record<string, unknown> | undefined {
    const o = c.object(path);
    if (!o || isUnknownValue(o)) return o;
    const keys = Object.keys(o);
    if (keys.length > MAX_TRIGGERS) c.fail(path, `must have at most ${MAX_TRIGGERS} entries, got ${keys.length}`);
    for (const [k, v] of Object.entries(o)) {
        const p = `${path}.${k}`;
        if (k.length > 128 || !TRIGGER_NAME.test(k)) {
            c.fail(path, "trigger names must be 1 to 128 printable characters");
        } else if (v !== null && typeof v === "object") {
            c.fail(p, "must be a string, number or boolean (any change of it restores again)");
        } else if (typeof v === "number" && !Number.isFinite(v)) {
            c.fail(
                p,
                "must be a finite number (NaN and Infinity are stored alike, so a change between them would be " +
                    `missed), got ${v}`,
            );
        } else if (typeof v === "number" && Math.abs(v) > Number.MAX_SAFE_INTEGER) {
            c.fail(
                p,
                "must be a number of at most 2^53 - 1 in size (larger ones lose digits: a change could be missed), " +
                    `got ${v}`,
            );
        } else if (typeof v === "string" && v.length > MAX_TRIGGER_TEXT) {
            c.fail(
                p,
                `must be at most ${MAX_TRIGGER_TEXT} characters long (use a digest of larger content), got ${v.length}`,
            );
        }
    }
    return keys.length > 0 ? o : undefined;
}

/** What was searched, for messages: "backups of instance c-1 in region cn-hangzhou (type FULL, max age 24h)". */
export interface SearchDescription {
    /** "instance c-123", "VM 0a1b..." */
    source: string;
    /** "region cn-hangzhou", "zone ...", or the endpoint's host. */
    where: string;
}

/** Filters of a listing (lookup functions): the selector's, plus a status filter. */
export interface ListFilters {
    backupType?: string;
    after?: string;
    before?: string;
    maxAge?: string;
    /** Only backups whose status (the cloud's word) is one of these. */
    statuses?: string[];
    /** Only complete ones. */
    completeOnly?: boolean;
}

/** The filters in words, for messages. */
export function describeFilters(f: ListFilters): string {
    const parts: string[] = [];
    if (f.backupType) parts.push(`type ${f.backupType}`);
    if (f.statuses?.length) parts.push(`status ${f.statuses.join(" or ")}`);
    if (f.after) parts.push(`taken at or after ${f.after}`);
    if (f.before) parts.push(`taken at or before ${f.before}`);
    if (f.maxAge) parts.push(`at most ${f.maxAge} old`);
    return parts.length ? ` (${parts.join(", ")})` : "";
}

/** Applies the filters to records (newest first in the result). `now` is for maxAge. */
export function filterBackups(records: BackupRecord[], f: ListFilters, now: number): BackupRecord[] {
    const after = f.after ? Date.parse(f.after) : undefined;
    const before = f.before ? Date.parse(f.before) : undefined;
    const maxAgeMs = f.maxAge ? parseDuration(f.maxAge) : undefined;
    return records
        .filter((r) => !f.backupType || r.type === f.backupType)
        .filter((r) => !f.statuses?.length || f.statuses.includes(r.status))
        .filter((r) => !f.completeOnly || r.complete)
        .filter((r) => after === undefined || r.time >= after)
        .filter((r) => before === undefined || r.time <= before)
        .filter((r) => maxAgeMs === undefined || now - r.time <= maxAgeMs)
        .sort(newestFirst);
}

function newestFirst(a: BackupRecord, b: BackupRecord): number {
    const ta = Number.isNaN(a.time) ? -Infinity : a.time;
    const tb = Number.isNaN(b.time) ? -Infinity : b.time;
    return tb - ta || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/** The ISO text of a record's time ("" when unknown). */
export function isoTime(ms: number): string {
    return utcIso(ms);
}

/**
 * The latest complete backup among `records` matching the selector; throws an error saying what was searched and
 * why nothing matched (nothing at all, only incomplete ones, or only ones too old) when there is none.
 */
export function chooseLatest(
    records: BackupRecord[],
    sel: BackupSelector,
    search: SearchDescription,
    now: number,
    label = "backupSelector",
): ResolvedBackup {
    const base: ListFilters = { backupType: sel.backupType, after: sel.after, before: sel.before };
    const matching = filterBackups(records, base, now);
    const complete = matching.filter((r) => r.complete && !Number.isNaN(r.time));
    const fresh = filterBackups(complete, { maxAge: sel.maxAge }, now);
    if (fresh.length > 0) {
        const r = fresh[0];
        return { backupId: r.id, backupTime: isoTime(r.time), status: r.status };
    }
    const what = `backups of ${search.source} in ${search.where}${describeFilters(base)}`;
    if (complete.length > 0) {
        const newest = complete[0];
        throw new Error(
            `${label}: no complete backup at most ${sel.maxAge} old among the ${what}: the newest complete one, ` +
                `${newest.id}, was taken at ${isoTime(newest.time)} (${formatDuration(now - newest.time)} ago). ` +
                `Take a new backup, or raise ${label}.maxAge`,
        );
    }
    if (matching.length > 0) {
        const seen = [...new Set(matching.map((r) => r.status))].join(", ");
        throw new Error(
            `${label}: none of the ${matching.length} ${what} is complete (statuses seen: ${seen}). ` +
                "Wait for a backup to complete, or widen the selector",
        );
    }
    throw new Error(`${label}: found no ${what}. Check the source id, the region and the filters`);
}

/**
 * Refuses a backup that is not complete (running, failed, expired, ...), with the cloud's own status in the message.
 * `idKey` is the input that named it.
 */
export function requireComplete(r: BackupRecord, idKey: string, statusMeaning?: string): ResolvedBackup {
    if (!r.complete) {
        const meaning = statusMeaning ? ` (${statusMeaning})` : "";
        throw new Error(
            `${idKey}: backup ${r.id} has status ${r.status}${meaning}; only a complete backup can be restored. ` +
                "Choose another backup, or wait for this one to complete and run `pulumi up` again",
        );
    }
    return { backupId: r.id, backupTime: isoTime(r.time), status: r.status };
}
