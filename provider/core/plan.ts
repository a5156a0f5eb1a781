/**
 * The `plan` property: what a resource's operation does, in plain words, computed by check from the inputs so that
 * `pulumi preview --diff` shows it as part of the planned resource (`does: "overwrites all data of crs-… with backup
 * …"`, `onDelete: "…"`). A pull request reviewer sees only the preview: this is where the consequences are written.
 *
 * The plan is derived, never an input a user sets: check drops one that comes back (it is in every resource's output
 * keys) and writes it again; every diff ignores it, so it never causes an update by itself and state written before it
 * existed keeps working (no replacement on upgrade).
 *
 * With a backup selector, check also looks up (read-only, bounded in time) which backup the selector would choose
 * now, and says so "as of preview"; `up` resolves the selector again at create and records that choice. The look-up
 * is skipped, saying why, when the job has no credentials, when the source is unknown until `up`, or when nothing will
 * be restored (the resource exists and its restore inputs are unchanged). A failed look-up never fails the preview.
 */
import { BackupSelector, ResolvedBackup, describeFilters } from "./backupSelection";
import { Clock } from "./clock";
import { withDeadline } from "./deadline";
import { CloudError, errorText } from "./errors";
import { fields, stableJson } from "./resource";
import { isUnknown, isUnknownValue } from "./validate";
import { redact } from "./redact";

/** The property that holds the plan (an output, and an input check computes). */
export const PLAN_KEY = "plan";

/** How long the look-up at preview may take, in all (retries included), before the preview says it could not look. */
export const PREVIEW_LOOKUP_MS = 5_000;

/** What a look-up at preview found. */
export type PreviewChoice =
    { kind: "chosen"; backup: ResolvedBackup } | { kind: "none"; reason: string } | { kind: "skipped"; reason: string };

/** What {@link lookAtPreview} needs. */
export interface PreviewLookup {
    /** Why the look-up cannot be made here (no credentials, no region), or undefined when it can. */
    unavailable(): string | undefined;
    /** The selector's choice now, read-only (the same resolution as create's); throws when none qualifies. */
    resolve(): Promise<ResolvedBackup>;
    clock: Clock;
    /** Overall bound (default {@link PREVIEW_LOOKUP_MS}). */
    timeoutMs?: number;
}

/**
 * Resolves a selector at preview: read-only, within `timeoutMs` (retries included: the operation's deadline stops
 * them), never throwing. "No backup qualifies" (the selection's own refusal) is told apart from "could not look" (a
 * cloud error, a network error, the time limit).
 */
export async function lookAtPreview(l: PreviewLookup): Promise<PreviewChoice> {
    let why: string | undefined;
    try {
        why = l.unavailable();
    } catch (e) {
        why = errorText(e);
    }
    if (why !== undefined) return { kind: "skipped", reason: why };
    const ms = l.timeoutMs ?? PREVIEW_LOOKUP_MS;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<PreviewChoice>((resolve) => {
        timer = setTimeout(() => resolve({ kind: "skipped", reason: `no answer within ${ms / 1000} s` }), ms);
        timer.unref?.();
    });
    const look = withDeadline({ name: "the look-up at preview", ms, deadline: l.clock.now() + ms }, () =>
        l.resolve(),
    ).then(
        (backup): PreviewChoice => ({ kind: "chosen", backup }),
        (e): PreviewChoice => {
            const cloud = e instanceof CloudError || (e as { code?: string })?.code !== undefined;
            return cloud
                ? { kind: "skipped", reason: shorten(errorText(e)) }
                : { kind: "none", reason: shorten(errorText(e)) };
        },
    );
    try {
        return await Promise.race([look, late]);
    } finally {
        if (timer) clearTimeout(timer);
    }
}

/** A message short enough for one line of a preview. */
function shorten(t: string): string {
    const one = t.replace(/\s+/g, " ").trim();
    return one.length > 300 ? `${one.slice(0, 297)}...` : one;
}

/**
 * The `asOfPreview` entry of a plan: the backup the selector would choose now, or why none qualifies, or why it could
 * not look; `recordedIn`: the output that keeps the choice made at up.
 */
export function choiceText(c: PreviewChoice, recordedIn = "selectedBackupId"): string {
    if (c.kind === "chosen") {
        const when = c.backup.backupTime ? `, taken at ${c.backup.backupTime}` : "";
        return `would choose backup ${c.backup.backupId}${when}; up chooses again and records it in ${recordedIn}`;
    }
    if (c.kind === "none") return `no backup qualifies: ${c.reason}`;
    return `could not look up the backup (${c.reason}); up chooses it`;
}

/** A value as a plan shows it: "(known at up)" while it is unknown at preview. */
export function shown(v: unknown): string {
    if (isUnknown(v)) return "(known at up)";
    if (v === undefined || v === null || v === "") return "(not set)";
    return typeof v === "string" ? v : stableJson(v);
}

/** "the latest complete backup of instance c-1 (type 1, at most 2d old)" for a selector as check normalised it. */
export function selectorText(sel: BackupSelector, source: string): string {
    const filters = describeFilters({
        backupType: sel.backupType,
        after: sel.after,
        before: sel.before,
        maxAge: sel.maxAge,
    });
    return `the latest complete backup of ${source}${filters}`;
}

/**
 * Whether applying `news` over `olds` (old inputs; empty for a create) restores: a create, or a change of an input
 * that forces a replacement. Only then is a selector looked up at preview.
 */
export function restores(oldProps: object, newProps: object, keys: readonly string[]): boolean {
    if (!oldProps || Object.keys(oldProps).length === 0) return true;
    const olds = fields(oldProps);
    const news = fields(newProps);
    return keys.some((k) => isUnknown(news[k]) || stableJson(blank(olds[k])) !== stableJson(blank(news[k])));
}

function blank(v: unknown): unknown {
    if (v === "" || v === null) return undefined;
    if (Array.isArray(v) && v.length === 0) return undefined;
    if (v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0) return undefined;
    return v;
}

/** Whether any of the values is unknown at preview (then nothing that depends on it can be looked up). */
export function anyUnknown(...vs: unknown[]): boolean {
    return vs.some((v) => isUnknownValue(v) || isUnknown(v));
}

/** The checked inputs with their plan (derived, for the preview; every diff ignores it). */
export function withPlan<I extends object>(inputs: I, plan: Plan): I {
    return { ...inputs, [PLAN_KEY]: plan };
}

/**
 * A plan: short sentences under names (`does`, `backup`, `asOfPreview`, `onReplace`, `onDelete`, ...). An object, not
 * one long text: the CLI shows at most 150 characters of a string value, but every entry of an object.
 */
export type Plan = Record<string, string>;

/** The plan's entries that are set. */
export function planText(parts: Record<string, string | undefined | false>): Plan {
    const out: Plan = {};
    // A plan quotes inputs (names, ids): one the program marked secret is registered by then, and is masked here,
    // since the plan is a property of its own that the engine does not know to keep secret.
    for (const [k, v] of Object.entries(parts)) if (typeof v === "string" && v !== "") out[k] = redact(v);
    return out;
}

/** The first `max` items of a list, then "and N more". */
export function listed(items: string[], max = 5): string {
    if (items.length <= max) return items.join(", ");
    return `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}
