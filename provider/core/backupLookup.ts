import {
    BackupRecord,
    BackupSelector,
    ListFilters,
    ResolvedBackup,
    SearchDescription,
    SelectorSpec,
    checkBackupSelector,
    chooseLatest,
    describeFilters,
    filterBackups,
    isoTime,
} from "./backupSelection";
import { ConfigSnapshot } from "./config";
import { Checker, isUnknownValue } from "./validate";

/**
 * The lookup functions (`getBackups`, `getLatestBackup`) of every cloud, without Pulumi: validation of the arguments,
 * listing through the cloud's own client, filters, and the errors. Read-only; the lookups (`<x>Lookup.ts`) wrap them as Promise and
 * Output functions.
 */

/** One backup as the lookup functions return it (the same shape on every cloud). */
export interface BackupInfo {
    /** The id a restore takes (backupTaskId, backupId, backupGroupUuid). */
    backupId: string;
    /** When the backup's data was taken (ISO 8601, UTC); "" when the API does not report it. */
    backupTime: string;
    /** The cloud's own status word or code. */
    status: string;
    /** Whether that status means complete and restorable. */
    complete: boolean;
    /** The cloud's backup type, when it reports one. */
    backupType?: string;
}

/** Filters common to every cloud's `getBackups` (besides the source and the region). */
export interface BackupFilterArgs {
    /** Only backups of this type (the cloud's own value). */
    backupType?: string;
    /** Only backups taken at or after this time (ISO 8601 with a zone). */
    after?: string;
    /** Only backups taken at or before this time (ISO 8601 with a zone). */
    before?: string;
    /** Only backups at most this old (a duration such as "24h"). */
    maxAge?: string;
    /** Only backups whose status (the cloud's own word or code) is one of these. */
    statuses?: string[];
    /** Only complete (restorable) backups. Default false for getBackups. */
    completeOnly?: boolean;
}

/** One cloud's listing: how to read its arguments and list the backups of a source. */
export interface BackupLister<A> {
    /** The namespace of the functions, for messages: "alicloud.starrocks". */
    name: string;
    spec: SelectorSpec;
    /** Lists every backup of the source (all pages), with where it looked. */
    list(
        args: A,
        source: string,
        config: ConfigSnapshot,
    ): Promise<{ records: BackupRecord[]; search: SearchDescription }>;
    now(): number;
}

/** Validates the selector-like part of lookup arguments; throws one error listing every problem. */
function checkArgs<A extends object>(
    l: BackupLister<A>,
    args: A,
    fn: string,
): BackupSelector & { statuses?: string[] } {
    const a = args as Record<string, unknown>;
    const selectorPart: Record<string, unknown> = {};
    for (const k of [l.spec.sourceKey, "backupType", "after", "before", "maxAge"])
        if (a[k] !== undefined) selectorPart[k] = a[k];
    const c = new Checker({ [fn]: selectorPart });
    const sel = checkBackupSelector(c, { ...l.spec, sourceRequired: true }, fn);
    const statuses = a.statuses;
    if (statuses !== undefined && (!Array.isArray(statuses) || statuses.some((x) => typeof x !== "string")))
        c.fail(`${fn}.statuses`, "must be a list of status strings");
    if (c.failures.length > 0 || !sel || isUnknownValue(sel)) {
        throw new Error(`${l.name}.${fn}: ${c.failures.map((f) => f.reason).join("; ") || "invalid arguments"}`);
    }
    return { ...sel, statuses: statuses as string[] | undefined };
}

function info(r: BackupRecord): BackupInfo {
    const out: BackupInfo = { backupId: r.id, backupTime: isoTime(r.time), status: r.status, complete: r.complete };
    if (r.type !== undefined) out.backupType = r.type;
    return out;
}

/** `getBackups`: the backups of a source matching the filters, newest first; none is an error naming the search. */
export async function lookupBackups<A extends BackupFilterArgs>(
    l: BackupLister<A>,
    args: A,
    config: ConfigSnapshot,
): Promise<{ sourceId: string; backups: BackupInfo[] }> {
    const sel = checkArgs(l, args, "getBackups");
    const source = sel.source as string;
    const { records, search } = await l.list(args, source, config);
    const f: ListFilters = { ...sel, completeOnly: args.completeOnly };
    const found = filterBackups(records, f, l.now());
    if (found.length === 0) {
        const extra = args.completeOnly ? " that are complete" : "";
        throw new Error(
            `${l.name}.getBackups: found no backups${extra} of ${search.source} in ${search.where}` +
                `${describeFilters(f)} (${records.length} backups of it in all)`,
        );
    }
    return { sourceId: source, backups: found.map(info) };
}

/** `getLatestBackup`: the latest complete backup of a source matching the filters. */
export async function lookupLatestBackup<A extends BackupFilterArgs>(
    l: BackupLister<A>,
    args: A,
    config: ConfigSnapshot,
): Promise<ResolvedBackup & { sourceId: string; backupType?: string }> {
    const sel = checkArgs(l, args, "getLatestBackup");
    const source = sel.source as string;
    const { records, search } = await l.list(args, source, config);
    const chosen = chooseLatest(records, sel, search, l.now(), `${l.name}.getLatestBackup`);
    const rec = records.find((r) => r.id === chosen.backupId);
    return { sourceId: source, ...chosen, ...(rec?.type !== undefined ? { backupType: rec.type } : {}) };
}
