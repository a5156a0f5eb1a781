import { parseDuration } from "./duration";
import { TimeLimit, timeLimit } from "./poller";

/**
 * The value the Pulumi engine sends for a property not known yet during preview. The engine marshals an unknown
 * (computed) value into a gRPC Struct as a sentinel string; a Node.js program's unknowns always reach it as this one,
 * and the dynamic-provider host hands `check` / `diff` the Struct as plain JSON (`req.getNews().toJavaScript()`,
 * @pulumi/pulumi/cmd/dynamic-provider), so the provider receives exactly this string wherever a value is unknown:
 * a whole property, a list item or a nested field.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * Every unknown sentinel of the engine's RPC marshalling (sdk/go/common/resource/sig): the string one above, and the
 * typed ones (bool, number, array, asset, archive, object) it uses when it knows the unknown value's type. Accepting
 * all of them costs nothing and keeps check correct if the engine ever sends a typed one.
 */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
    UNKNOWN,
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

/** True when the value itself is unknown (one of the engine's sentinels), not just a part of it. */
export function isUnknownValue(v: unknown): boolean {
    return typeof v === "string" && UNKNOWN_SENTINELS.has(v);
}

/**
 * An input not known yet (at preview), kept in the checked inputs in the place of a value of type `T`: the engine sends
 * a sentinel string for it, whatever its type, and replaces it by the real value before any create or update. So the
 * checked inputs of a preview hold strings where `T` says otherwise; nothing reads them but the preview's diff and plan,
 * which look for the sentinels ({@link isUnknownValue}, `isUnknown`).
 */
export function unknownAs<T>(sentinel: unknown): T {
    // A sentinel stands for a value of any type (above): no type can say "this, or the engine's placeholder for it".
    return sentinel as T;
}

/** One failure reported by `check`, in the shape the dynamic-provider host expects. */
export interface CheckFailure {
    property: string;
    reason: string;
}

/** True when the value (or any part of it) is unknown during preview, so it cannot be validated yet. */
export function isUnknown(v: unknown): boolean {
    if (isUnknownValue(v)) return true;
    if (Array.isArray(v)) return v.some(isUnknown);
    if (v && typeof v === "object") return Object.values(v as Record<string, unknown>).some(isUnknown);
    return false;
}

function describe(v: unknown): string {
    if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
    if (Array.isArray(v)) return "a list";
    if (v === null) return "null";
    return typeof v === "object" ? "an object" : `${typeof v} ${String(v)}`;
}

interface StringRule {
    required?: boolean;
    pattern?: RegExp;
    /** What the pattern allows, in words: "like bk-adskj23hd9s". */
    format?: string;
    minLength?: number;
    maxLength?: number;
}

/**
 * Validates and normalises inputs offline. Each method reads one property, records a failure naming it and saying
 * what is allowed, and returns the normalised value (or undefined). Unknown values (preview) pass through unchecked.
 */
export class Checker {
    readonly failures: CheckFailure[] = [];

    constructor(readonly inputs: Record<string, unknown>) {}

    fail(property: string, reason: string): void {
        this.failures.push({ property, reason: `${property}: ${reason}` });
    }

    private raw(path: string): unknown {
        let cur: unknown = this.inputs;
        for (const part of path.split(/\.|\[|\]/).filter(Boolean)) {
            if (cur === null || typeof cur !== "object") return undefined;
            cur = (cur as Record<string, unknown>)[part];
        }
        return cur;
    }

    /** Reads a string property (an absent or empty string counts as absent). */
    string(path: string, rule: StringRule = {}): string | undefined {
        return this.stringValue(path, this.raw(path), rule);
    }

    /** Validates a string value found at `path`. */
    stringValue(path: string, v: unknown, rule: StringRule = {}): string | undefined {
        if (isUnknownValue(v)) return v as string;
        if (v === undefined || v === null || v === "") {
            if (rule.required) this.fail(path, `required${rule.format ? `: a string ${rule.format}` : ""}`);
            return undefined;
        }
        if (typeof v !== "string") {
            this.fail(path, `must be a string${rule.format ? ` ${rule.format}` : ""}, got ${describe(v)}`);
            return undefined;
        }
        if (rule.minLength !== undefined && v.length < rule.minLength) {
            this.fail(path, `must be at least ${rule.minLength} characters long, got ${v.length}`);
            return undefined;
        }
        if (rule.maxLength !== undefined && v.length > rule.maxLength) {
            this.fail(path, `must be at most ${rule.maxLength} characters long, got ${v.length}`);
            return undefined;
        }
        if (rule.pattern && !rule.pattern.test(v)) {
            this.fail(path, `must be ${rule.format ?? `a string matching ${rule.pattern}`}, got ${describe(v)}`);
            return undefined;
        }
        return v;
    }

    /** Reads a secret string: like {@link string}, but a failure never shows the value. */
    secret(path: string, rule: StringRule & { minLength?: number } = {}): string | undefined {
        const v = this.raw(path);
        if (isUnknownValue(v)) return v as string;
        if (v === undefined || v === null || v === "") {
            if (rule.required) this.fail(path, `required${rule.format ? `: ${rule.format}` : ""}`);
            return undefined;
        }
        if (typeof v !== "string") {
            this.fail(path, `must be a string${rule.format ? ` of ${rule.format}` : ""}, got ${typeof v}`);
            return undefined;
        }
        if (
            (rule.minLength !== undefined && v.length < rule.minLength) ||
            (rule.maxLength !== undefined && v.length > rule.maxLength) ||
            (rule.pattern && !rule.pattern.test(v))
        ) {
            this.fail(path, `must be ${rule.format ?? "valid"} (the value is not shown because it is secret)`);
            return undefined;
        }
        return v;
    }

    /** Reads one of a fixed set of strings. */
    oneOf<T extends string>(
        path: string,
        allowed: readonly T[],
        opts: { required?: boolean; default?: T } = {},
    ): T | undefined {
        const v = this.raw(path);
        if (isUnknownValue(v)) return v as T;
        if (v === undefined || v === null || v === "") {
            if (opts.required) this.fail(path, `required: one of ${allowed.map((a) => `"${a}"`).join(", ")}`);
            return opts.default;
        }
        if (typeof v !== "string" || !allowed.includes(v as T)) {
            this.fail(path, `must be one of ${allowed.map((a) => `"${a}"`).join(", ")}, got ${describe(v)}`);
            return undefined;
        }
        return v as T;
    }

    /** Reads a whole number within a range. Numeric strings are accepted (config values often arrive as text). */
    integer(
        path: string,
        opts: { required?: boolean; min?: number; max?: number; default?: number; unit?: string } = {},
    ): number | undefined {
        const v = this.raw(path);
        if (isUnknownValue(v)) return unknownAs<number>(v);
        if (v === undefined || v === null || v === "") {
            if (opts.required) this.fail(path, `required: a whole number${range(opts)}`);
            return opts.default;
        }
        const n = typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : v;
        if (typeof n !== "number" || !Number.isInteger(n)) {
            this.fail(path, `must be a whole number${range(opts)}, got ${describe(v)}`);
            return undefined;
        }
        // Beyond 2^53 a number is no longer exact (2^53 + 1 reads as 2^53): no value there can be meant.
        if (!Number.isSafeInteger(n)) {
            const what = range(opts) || " a whole number";
            this.fail(path, `must be${what} (exact numbers only: at most 2^53 - 1), got ${n}`);
            return undefined;
        }
        if ((opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
            this.fail(path, `must be${range(opts)}, got ${n}`);
            return undefined;
        }
        return n;
    }

    /**
     * Reads a boolean. A string ("true", "false") is refused: a program that passes one has mixed up a value's type
     * (a config value read as text, a YAML string), and "false" would otherwise be a truthy string somewhere else.
     */
    boolean(path: string, opts: { default?: boolean } = {}): boolean | undefined {
        const v = this.raw(path);
        if (isUnknownValue(v)) return unknownAs<boolean>(v);
        if (v === undefined || v === null) return opts.default;
        if (v === true || v === false) return v;
        const hint = v === "true" || v === "false" ? ` (a string; write ${v} without quotes)` : "";
        this.fail(path, `must be a boolean, true or false, got ${describe(v)}${hint}`);
        return undefined;
    }

    /** Reads a list; each item is checked by `item`, which receives the item's path. */
    list<T>(
        path: string,
        item: (itemPath: string, value: unknown) => T | undefined,
        opts: { required?: boolean; minItems?: number; maxItems?: number } = {},
    ): T[] | undefined {
        const v = this.raw(path);
        if (isUnknownValue(v)) return unknownAs<T[]>(v);
        if (v === undefined || v === null) {
            if (opts.required)
                this.fail(path, `required: a list${opts.minItems ? ` of at least ${opts.minItems} item(s)` : ""}`);
            return undefined;
        }
        if (!Array.isArray(v)) {
            this.fail(path, `must be a list, got ${describe(v)}`);
            return undefined;
        }
        if (opts.minItems !== undefined && v.length < opts.minItems) {
            this.fail(path, `must have at least ${opts.minItems} item(s), got ${v.length}`);
            return undefined;
        }
        if (opts.maxItems !== undefined && v.length > opts.maxItems) {
            this.fail(path, `must have at most ${opts.maxItems} item(s), got ${v.length}`);
            return undefined;
        }
        const out: T[] = [];
        v.forEach((x, i) => {
            // An item not known yet (preview) is kept as it is: no rule about items can be checked on it.
            const r = isUnknownValue(x) ? (x as T) : item(`${path}[${i}]`, x);
            if (r !== undefined) out.push(r);
        });
        return out;
    }

    /** Reads an object; absent is allowed unless required. `format` says what it holds: "{ chargeMode, ... }". */
    object(path: string, opts: { required?: boolean; format?: string } = {}): Record<string, unknown> | undefined {
        const v = this.raw(path);
        if (isUnknownValue(v)) return unknownAs<Record<string, unknown>>(v);
        if (v === undefined || v === null) {
            if (opts.required) this.fail(path, `required: an object${opts.format ? ` ${opts.format}` : ""}`);
            return undefined;
        }
        if (typeof v !== "object" || Array.isArray(v)) {
            this.fail(path, `must be an object${opts.format ? ` ${opts.format}` : ""}, got ${describe(v)}`);
            return undefined;
        }
        return v as Record<string, unknown>;
    }

    /** Rejects a property that must not be set in the current mode. */
    forbid(path: string, why: string): void {
        const v = this.raw(path);
        if (v !== undefined && v !== null && v !== "") this.fail(path, `must not be set ${why}`);
    }

    /**
     * Rejects properties that no version of this resource knows (typos: "backupTaskID"). `settable` are the ones a user
     * may set, listed in the failure when no known property is a near match.
     */
    unknownKeys(known: readonly string[], settable: readonly string[] = known): void {
        const listed = settable.filter((k) => k !== "restoreToken").join(", ");
        for (const k of Object.keys(this.inputs)) {
            if (k === "__provider" || known.includes(k)) continue;
            const near = known.find((n) => n.toLowerCase() === k.toLowerCase());
            this.fail(
                k,
                `is not a property of this resource; ${near ? `did you mean "${near}"?` : `use one of ${listed}`}`,
            );
        }
    }

    /** Reads `timeouts` ({ create?, update?, delete? } as durations such as "90m", "2h"). */
    timeouts(path = "timeouts"): Timeouts | undefined {
        const o = this.object(path);
        if (!o || isUnknownValue(o)) return undefined;
        const out: Timeouts = {};
        for (const [k, v] of Object.entries(o)) {
            if (!["create", "update", "delete"].includes(k)) {
                this.fail(`${path}.${k}`, `is not a time-out; use create, update or delete`);
                continue;
            }
            if (v === undefined || v === null || isUnknownValue(v)) continue;
            if (typeof v !== "string" || parseDuration(v) === undefined) {
                this.fail(`${path}.${k}`, `must be a duration such as "90m", "2h" or "1h30m", got ${describe(v)}`);
                continue;
            }
            const ms = parseDuration(v)!;
            if (ms < MIN_TIMEOUT_MS || ms > MAX_TIMEOUT_MS) {
                this.fail(
                    `${path}.${k}`,
                    `must be from 1s to 7d (a restore that has not finished in a week needs a person, not a wait), got "${v}"`,
                );
                continue;
            }
            out[k as keyof Timeouts] = v;
        }
        return out;
    }
}

/** Bounds of a `timeouts` value: shorter cannot see even a first status; longer hides a stuck restore. */
const MIN_TIMEOUT_MS = 1000;
const MAX_TIMEOUT_MS = 7 * 86_400_000;

function range(o: { min?: number; max?: number; unit?: string }): string {
    const u = o.unit ? ` ${o.unit}` : "";
    if (o.min !== undefined && o.max !== undefined) return ` from ${o.min} to ${o.max}${u}`;
    if (o.min !== undefined) return ` of at least ${o.min}${u}`;
    if (o.max !== undefined) return ` of at most ${o.max}${u}`;
    return "";
}

/** Per-operation time-outs, as durations ("90m", "2h"). The dynamic-provider host ignores `customTimeouts`. */
export interface Timeouts {
    create?: string;
    update?: string;
    delete?: string;
}

/** The time-out of one operation in ms: the resource's setting, else the default. */
export function timeoutMs(t: Timeouts | undefined, op: keyof Timeouts, defaultMs: number): number {
    const v = t?.[op];
    return (v && parseDuration(v)) || defaultMs;
}

/**
 * The limit of one operation that began at `startedAt` (`timeouts.create`, ...): the resource's setting, else the
 * default. Waits given it report a time-out with the limit and the whole operation's time.
 */
export function operationLimit(
    t: Timeouts | undefined,
    op: keyof Timeouts,
    defaultMs: number,
    startedAt: number,
): TimeLimit {
    const set = t?.[op] ? parseDuration(t[op]!) : undefined;
    return timeLimit(`timeouts.${op}`, set ?? defaultMs, startedAt, set === undefined);
}

/** Removes undefined fields (the dynamic-provider host rejects `undefined` anywhere in a struct). */
export function clean<T extends object>(o: T): T {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
    return out as T;
}

/**
 * A copy of `o` without `keys`, typed as `T`. Only for keys that `T` makes optional or does not have: a drill's inputs
 * seen as its restore resource's (the drill's own taken off), inputs without the keys only outputs have.
 */
export function without<T extends object>(o: T, keys: readonly string[]): T {
    const out = { ...o };
    for (const k of keys) Reflect.deleteProperty(out, k);
    return out;
}

/**
 * True when an ISO 8601 time names a moment that exists: the month has that day (no 30 February), hours, minutes and
 * seconds are in range, and so is the zone offset. `Date.parse` alone rolls 2026-02-30 over to 2 March.
 */
export function isCalendarTime(text: string): boolean {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|([+-])(\d{2}):(\d{2}))$/.exec(
        text,
    );
    if (!m) return false;
    const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
    const second = m[6] === undefined ? 0 : Number(m[6]);
    if (month < 1 || month > 12 || day < 1) return false;
    const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
    if (day > days || hour > 23 || minute > 59 || second > 59) return false;
    if (m[7] !== "Z" && (Number(m[9]) > 23 || Number(m[10]) > 59)) return false;
    return true;
}
