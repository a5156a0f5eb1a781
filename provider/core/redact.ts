/**
 * Process-wide registry of secret strings (passwords, secret keys, tokens, session ids) that must never be printed.
 *
 * Every place that reads a secret registers it here; every message that leaves the provider (progress lines, errors)
 * goes through {@link redact}. The registry lives on `globalThis` so that all copies of this module loaded in one
 * dynamic-provider host (each serialized provider may carry its own copy) share it.
 */
const KEY = Symbol.for("pulumi-restore.secrets");

function registry(): Set<string> {
    const g = globalThis as unknown as Record<symbol, Set<string> | undefined>;
    let set = g[KEY];
    if (!set) {
        set = new Set<string>();
        g[KEY] = set;
    }
    return set;
}

/** Shortest secret that is redacted; shorter strings would mangle ordinary text and are not credible secrets. */
const MIN_LENGTH = 4;

/** Remembers a secret value, and its encoded forms, so that {@link redact} removes it from any text. */
export function registerSecret(value: string | undefined): void {
    if (!value || value.length < MIN_LENGTH) return;
    const set = registry();
    set.add(value);
    // A string with an unpaired surrogate has no URL-encoded form (encodeURIComponent throws); check() reports it.
    try {
        set.add(encodeURIComponent(value));
    } catch {
        /* nothing to add */
    }
    set.add(Buffer.from(value, "utf8").toString("base64"));
    set.add(Buffer.from(value, "utf8").toString("base64url"));
    set.add(JSON.stringify(value).slice(1, -1));
}

/** Replaces every registered secret (and its URL-encoded, base64 and JSON-escaped forms) with `***`. */
export function redact(text: string): string {
    let out = text;
    // Longest first, so that a secret containing another is removed whole.
    const secrets = [...registry()].filter((s) => s.length >= MIN_LENGTH).sort((a, b) => b.length - a.length);
    for (const s of secrets) {
        if (out.includes(s)) out = out.split(s).join("***");
    }
    return out;
}
