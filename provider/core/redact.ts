/**
 * Process-wide registry of secret strings (passwords, secret keys, tokens, session ids) that must never be printed.
 *
 * Every place that reads a secret registers it here (secret inputs of every resource are registered by the provider
 * scaffolding, `ProviderBase`; secret config by `snapshotConfig` / `readSecretSetting`); every message that leaves the
 * provider (progress lines, errors) goes through {@link redact}. The registry lives on `globalThis` so that all copies
 * of this module loaded in one dynamic-provider host (each serialized provider may carry its own copy) share it.
 */
import { processValue } from "./processSlot";
const KEY = Symbol.for("pulumi-restore.secrets");

/** The process-wide set of strings under `key` on `globalThis`. */
function globalSet(key: symbol): Set<string> {
    return processValue(key, () => new Set<string>());
}

function registry(): Set<string> {
    return globalSet(KEY);
}

/**
 * Secrets (or encoded forms) at least this long are removed wherever they occur, even inside a word. Shorter ones
 * would mangle ordinary text that way ("test" inside "latest"), so they are removed only where they stand alone.
 */
const ANYWHERE_LENGTH = 8;
/**
 * Secrets of this length or more (and below {@link ANYWHERE_LENGTH}) are removed where they stand as a token of their
 * own: not preceded or followed by a letter, digit or `_` (`"abc"`, `=abc&`, ` abc.`). Shorter ones (one or two
 * characters) occur as tokens in ordinary text too often ("a backup"): they are removed only in the places where a
 * secret is quoted: after a key that names a secret (`password: ab`, `"Password":"ab"`) or as a whole quoted string.
 */
const TOKEN_LENGTH = 3;

/** Secret values whose forms are already in the registry: every call with properties registers its secret inputs. */
const DONE = Symbol.for("pulumi-restore.secrets.registered");

/** Remembers a secret value, and its encoded forms, so that {@link redact} removes it from any text. */
export function registerSecret(value: string | undefined): void {
    if (!value) return;
    const done = globalSet(DONE);
    // Encoding every form again on each check and diff cost about 60 µs a resource in `pulumi preview` (P4).
    if (done.has(value)) return;
    for (const form of encodedForms(value)) registry().add(form);
    done.add(value);
}

/** The forms in which a secret can travel: as it is, URL- and form-encoded, base64, base64url, hex, JSON-escaped. */
function encodedForms(value: string): string[] {
    const forms = [value, JSON.stringify(value).slice(1, -1)];
    // A string with an unpaired surrogate has no URL-encoded form (encodeURIComponent throws); check() reports it.
    try {
        forms.push(encodeURIComponent(value), new URLSearchParams({ x: value }).toString().slice(2));
    } catch {
        /* nothing to add */
    }
    const bytes = Buffer.from(value, "utf8");
    forms.push(bytes.toString("base64"), bytes.toString("base64url"), bytes.toString("hex"));
    return [...new Set(forms)];
}

/** Header names whose values are credentials or derived from them: authorization, tokens, signatures. */
const SENSITIVE_HEADER = /^(proxy-)?authorization$|^cookie$|token$|signature|^x-auth-|^x-subject-/i;

/** Parts of an Authorization header that are not secret and occur in ordinary messages: scheme names, header lists. */
const PUBLIC_PART = /HMAC|^(OAuth|ZStack|Bearer|Basic)$/i;

/**
 * The values of a request's credential-bearing headers (`Authorization` of every cloud's signing scheme, IAM and
 * session tokens, security tokens), and the long parts of them (a `Signature=` or `Credential=` value alone), for
 * {@link redactValues}: a vendor answer that echoes the request must not carry them out. The signing scheme's name and
 * the list of signed header names are left out: removing them would mangle ordinary messages.
 */
export function sensitiveHeaderValues(headers: Record<string, string>): string[] {
    const out = new Set<string>();
    for (const [k, v] of Object.entries(headers)) {
        if (!SENSITIVE_HEADER.test(k) || !v) continue;
        out.add(v);
        for (const part of v.split(/[\s,]+/)) {
            const eq = part.indexOf("=");
            if (eq >= 0 && /^signedheaders$/i.test(part.slice(0, eq))) continue;
            const value = eq >= 0 ? part.slice(eq + 1) : part;
            if (PUBLIC_PART.test(value)) continue;
            for (const piece of [value, ...value.split(":")]) if (piece.length >= ANYWHERE_LENGTH) out.add(piece);
        }
    }
    return [...out];
}

/** Removes the given values (at least {@link ANYWHERE_LENGTH} long; shorter ones are ignored) wherever they occur. */
export function redactValues(text: string, values: readonly string[]): string {
    let out = text;
    for (const v of [...values].sort((a, b) => b.length - a.length)) {
        if (v.length >= ANYWHERE_LENGTH && out.includes(v)) out = out.split(v).join("***");
    }
    return out;
}

/**
 * Credential-bearing headers quoted in text (a vendor answer echoing the request, as a header dump or as JSON): the
 * value after the name and its separator, up to the end of the quoted string or of the line.
 */
const HEADER_IN_TEXT = new RegExp(
    String.raw`\b((?:proxy-)?authorization|x-auth-token|x-subject-token|x-tc-token|cookie|` +
        String.raw`x-[a-z0-9-]*(?:security|session)-token)(\\?["']?\s*[:=]\s*\\?["']?)[^"'\r\n\\]+`,
    "gi",
);
/** `Signature=<value>` (every cloud's Authorization header, Alibaba RPC-style query strings). */
const SIGNATURE_IN_TEXT = /\b(signature)=[^,\s"'&;\\]+/gi;
/** `[pP][wW][dD]`: a case-insensitive word inside a case-sensitive pattern (secrets themselves match exactly). */
function anyCase(word: string): string {
    return [...word].map((ch) => `[${ch.toLowerCase()}${ch.toUpperCase()}]`).join("");
}

/** Key names after which a value is a secret: `password: ab`, `"Password":"ab"`, `pwd=ab`, `password ab`. */
const SECRET_KEY_BEFORE =
    `(?<=(?:${["password", "passwd", "pwd", "secret", "token"].map(anyCase).join("|")})` +
    String.raw`\w*\\?["']?(?:\s*[:=]\s*|\s+)\\?["']?)`;

const patterns = new Map<string, RegExp>();
function pattern(source: string): RegExp {
    let re = patterns.get(source);
    if (!re) {
        re = new RegExp(source, "gu");
        patterns.set(source, re);
    }
    return re;
}

function escapeRe(s: string): string {
    // Only syntax characters: in a unicode pattern any other escape (such as `\-`) is an error.
    return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

const NOT_WORD_BEFORE = String.raw`(?<![\p{L}\p{N}_])`;
const NOT_WORD_AFTER = String.raw`(?![\p{L}\p{N}_])`;

/** Removes one registered secret form from text, as its length allows (see {@link ANYWHERE_LENGTH}). */
function removeSecret(text: string, s: string): string {
    if (!text.includes(s)) return text;
    if (s.length >= ANYWHERE_LENGTH) return text.split(s).join("***");
    const e = escapeRe(s);
    if (s.length >= TOKEN_LENGTH) return text.replace(pattern(`${NOT_WORD_BEFORE}${e}${NOT_WORD_AFTER}`), "***");
    const afterKey = text.replace(pattern(`${SECRET_KEY_BEFORE}${e}${NOT_WORD_AFTER}`), "***");
    return afterKey.replace(pattern(`(["'\`])${e}\\1`), "$1***$1");
}

/**
 * Replaces every registered secret (and its encoded forms) with `***`, and the values of credential-bearing headers
 * (Authorization, tokens, `Signature=`) quoted in the text.
 */
export function redact(text: string): string {
    let out = text.replace(HEADER_IN_TEXT, "$1$2***").replace(SIGNATURE_IN_TEXT, "$1=***");
    // Longest first, so that a secret containing another is removed whole.
    const secrets = [...registry()].sort((a, b) => b.length - a.length);
    for (const s of secrets) out = removeSecret(out, s);
    return out;
}

/**
 * How many characters at the start of `text` are the end of a registered secret (or of one of `extra`) whose
 * beginning is missing: what remains of a secret when text was cut inside it. Whole secrets are {@link redact}'s
 * business; such a remainder no longer matches the secret, so whoever cuts text removes it with this first.
 */
export function leadingSecretPiece(text: string, extra: readonly string[] = []): number {
    let best = 0;
    for (const s of [...registry(), ...extra]) {
        for (let n = Math.min(s.length - 1, text.length); n > best; n--) {
            if (text.startsWith(s.slice(s.length - n))) {
                best = n;
                break;
            }
        }
    }
    return best;
}
