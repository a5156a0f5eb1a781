/**
 * Secret and output values as the engine sends them to a provider that accepts secrets (the SDK's provider server
 * says so in Configure): objects tagged with Pulumi's signature key. Our providers work on plain values, so the plugin
 * unwraps on the way in, remembers which top-level properties were secret, and wraps them again on the way out: with
 * `acceptSecrets` the engine trusts the provider to mark secrets, and would store an unwrapped password in plaintext.
 */
import { registerSecret } from "../provider/core/redact";
import { UNKNOWN } from "../provider/core/validate";

/** The key that marks a special value in Pulumi's wire format. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
/** The signature of a secret value: `{ [SIG_KEY]: SECRET_SIG, value }`. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** The signature of an output value: `{ [SIG_KEY]: OUTPUT_SIG, value?, secret?, dependencies? }`. */
export const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

/** A secret in the wire format. */
export interface WireSecret {
    [SIG_KEY]: typeof SECRET_SIG;
    value: unknown;
}

function sigOf(v: unknown): string | undefined {
    if (!v || typeof v !== "object" || Array.isArray(v)) return undefined;
    const s = (v as Record<string, unknown>)[SIG_KEY];
    return typeof s === "string" ? s : undefined;
}

/** Wraps a value as a secret (once: an already wrapped value is returned as is). */
export function wrapSecret(v: unknown): WireSecret {
    if (sigOf(v) === SECRET_SIG) return v as WireSecret;
    return { [SIG_KEY]: SECRET_SIG, value: v };
}

/** What {@link unwrap} found: the plain value, and whether any part of it was secret. */
export interface Unwrapped {
    value: unknown;
    secret: boolean;
}

/**
 * Removes secret and output wrappers, deeply. An output without a value (unknown during preview) becomes the engine's
 * unknown sentinel, which the providers' checks already understand.
 */
export function unwrap(v: unknown): Unwrapped {
    const sig = sigOf(v);
    if (sig === SECRET_SIG) {
        const inner = unwrap((v as Record<string, unknown>).value);
        registerSecretStrings(inner.value);
        return { value: inner.value, secret: true };
    }
    if (sig === OUTPUT_SIG) {
        const o = v as Record<string, unknown>;
        const inner = "value" in o ? unwrap(o.value) : { value: UNKNOWN, secret: false };
        if (o.secret === true) registerSecretStrings(inner.value);
        return { value: inner.value, secret: inner.secret || o.secret === true };
    }
    if (Array.isArray(v)) {
        let secret = false;
        const value = v.map((x) => {
            const u = unwrap(x);
            secret = secret || u.secret;
            return u.value;
        });
        return { value, secret };
    }
    if (v && typeof v === "object") {
        let secret = false;
        const value: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
            const u = unwrap(x);
            secret = secret || u.secret;
            value[k] = u.value;
        }
        return { value, secret };
    }
    return { value: v, secret: false };
}

/**
 * Registers every string inside a value that arrived secret for redaction, whatever property holds it: a program may
 * mark any input secret (an instance name, a tag), and no message that leaves the plugin (a Check failure quoting the
 * value, a cloud error echoing it back) may carry it, declared secret or not.
 */
function registerSecretStrings(v: unknown): void {
    if (typeof v === "string") {
        if (v !== UNKNOWN) registerSecret(v);
    } else if (Array.isArray(v)) {
        for (const x of v) registerSecretStrings(x);
    } else if (v && typeof v === "object") {
        for (const x of Object.values(v as Record<string, unknown>)) registerSecretStrings(x);
    }
}

/** Unwraps a property bag, returning the plain bag and the names of its top-level properties that held a secret. */
export function unwrapProps(props: Record<string, unknown> | undefined): {
    props: Record<string, unknown>;
    secret: Set<string>;
} {
    const out: Record<string, unknown> = {};
    const secret = new Set<string>();
    for (const [k, v] of Object.entries(props ?? {})) {
        const u = unwrap(v);
        out[k] = u.value;
        if (u.secret) secret.add(k);
    }
    return { props: out, secret };
}

/**
 * Prepares a property bag for the wire: drops undefined values (the SDK's Struct conversion fails on them, deeply) and
 * wraps the named top-level properties as secrets.
 */
export function toWire(props: Record<string, unknown> | undefined, secret: Iterable<string>): Record<string, unknown> {
    const names = new Set(secret);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(props ?? {})) {
        if (v === undefined) continue;
        const plain = dropUndefined(v);
        out[k] = names.has(k) ? wrapSecret(plain) : plain;
    }
    return out;
}

function dropUndefined(v: unknown): unknown {
    if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : dropUndefined(x)));
    if (v && typeof v === "object" && !sigOf(v)) {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
            if (x !== undefined) out[k] = dropUndefined(x);
        }
        return out;
    }
    return v;
}
