/**
 * Input hygiene for every resource and drill, before its own checks: what no input of any resource may hold, whatever
 * the property. One pass over the whole input tree, so a property added later is covered without a rule of its own.
 *
 * - keys that reach into JavaScript's object machinery (`__proto__`, `constructor`, `prototype`), at any depth;
 * - NUL and other control characters (C0 but tab, line feed and carriage return; DEL; C1) in any string: they end
 *   C strings in the tools a path or command reaches, and hide text in logs and terminals;
 * - unbounded sizes: strings, lists, maps and nesting beyond what any restore needs.
 *
 * A failure names the property (`tags.__proto__`, `verify.command`) and never shows the value. Values unknown during
 * preview pass; they are checked when known.
 */
import { CheckFailure, isUnknownValue } from "./validate";

/** Longest string anywhere in the inputs (the longest legitimate one is a drill's verify command: 8 KiB). */
export const MAX_STRING_LENGTH = 8192;
/** Most items in a list, and most keys in a map. */
export const MAX_ITEMS = 1000;
/** Deepest nesting of maps and lists below the top level. */
export const MAX_DEPTH = 8;
/** Keys that would reach the prototype of an object built from them. */
export const FORBIDDEN_KEYS = ["__proto__", "constructor", "prototype"];
/** What a failure for a reserved key says (a check stops there: nothing else reads such inputs). */
export const RESERVED_KEY_REASON = "is not allowed as a key";
/** The package's own keys, set by the resource classes and the host (not user input). */
const OWN_KEYS = ["__provider", "__resourceName"];

/** Control characters that no input may hold (tab, LF and CR are allowed: multi-line commands). */
// eslint-disable-next-line no-control-regex -- control characters are what this finds
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;

function at(path: string, key: string): string {
    return path === "" ? key : /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** The hygiene failures of an input bag (empty when it is clean). */
export function hygieneFailures(inputs: Record<string, unknown>): CheckFailure[] {
    const out: CheckFailure[] = [];
    const fail = (property: string, reason: string) => out.push({ property, reason: `${property}: ${reason}` });
    const walk = (v: unknown, path: string, depth: number): void => {
        if (isUnknownValue(v) || v === null || v === undefined) return;
        if (typeof v === "string") {
            if (v.length > MAX_STRING_LENGTH)
                fail(path, `must be at most ${MAX_STRING_LENGTH} characters long, got ${v.length}`);
            const m = CONTROL.exec(v);
            if (m) {
                const code = m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
                fail(path, `must not contain control characters (U+${code} at position ${m.index})`);
            }
            return;
        }
        if (typeof v !== "object") return;
        if (depth > MAX_DEPTH) {
            fail(path, `is nested more than ${MAX_DEPTH} levels deep`);
            return;
        }
        if (Array.isArray(v)) {
            if (v.length > MAX_ITEMS) {
                fail(path, `must have at most ${MAX_ITEMS} items, got ${v.length}`);
                return;
            }
            v.forEach((x, i) => walk(x, `${path}[${i}]`, depth + 1));
            return;
        }
        // A "__proto__" key that a decoder assigned (`o[k] = v`) became the object's prototype: no key is left to see,
        // but its values still answer property reads. Protobuf's Struct decoding does this in the dynamic host.
        const proto = Object.getPrototypeOf(v);
        if (proto !== Object.prototype && proto !== null) {
            fail(at(path, "__proto__"), `${RESERVED_KEY_REASON} (${FORBIDDEN_KEYS.join(", ")} are reserved)`);
            return;
        }
        const keys = Object.keys(v);
        if (keys.length > MAX_ITEMS) {
            fail(path, `must have at most ${MAX_ITEMS} keys, got ${keys.length}`);
            return;
        }
        for (const k of keys) {
            if (depth === 0 && OWN_KEYS.includes(k)) continue;
            const p = at(path, k);
            if (FORBIDDEN_KEYS.includes(k)) {
                fail(p, `${RESERVED_KEY_REASON} (${FORBIDDEN_KEYS.join(", ")} are reserved)`);
                continue;
            }
            if (k.length > 256) fail(at(path, `${k.slice(0, 16)}…`), `key is longer than 256 characters`);
            else if (CONTROL.test(k)) fail(path, `has a key with a control character`);
            walk((v as Record<string, unknown>)[k], p, depth + 1);
        }
    };
    walk(inputs, "", 0);
    return out;
}

/**
 * Joins the hygiene failures with a resource's own: a property hygiene already refused (or any property below it) is
 * not reported twice.
 */
export function withHygiene(hygiene: CheckFailure[], own: CheckFailure[] | undefined): CheckFailure[] {
    if (hygiene.length === 0) return own ?? [];
    const covered = (p: string) =>
        hygiene.some((h) => p === h.property || p.startsWith(`${h.property}.`) || p.startsWith(`${h.property}[`));
    return [...hygiene, ...(own ?? []).filter((f) => !covered(f.property))];
}
