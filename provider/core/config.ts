import { registerSecret } from "./redact";

/** The stack configuration as the dynamic-provider host hands it to `configure`: `get("alicloud:region")`. */
export interface ConfigSource {
    get(key: string): unknown;
}

/** A copy of the config keys a cloud reads, taken in `configure(req)` and kept only in the host's memory. */
export type ConfigSnapshot = Readonly<Record<string, string>>;

/**
 * Copies `keys` (full names such as `alicloud:accessKey`) out of the host's config. Values of `secretKeys` are
 * registered for redaction at once. Non-string values (numbers, booleans) are kept as their JSON text.
 */
export function snapshotConfig(
    source: ConfigSource | undefined,
    keys: string[],
    secretKeys: string[] = [],
): ConfigSnapshot {
    const out: Record<string, string> = {};
    if (!source) return out;
    for (const k of keys) {
        const v = source.get(k);
        if (v === undefined || v === null || v === "") continue;
        out[k] = typeof v === "string" ? v : JSON.stringify(v);
        if (secretKeys.includes(k)) registerSecret(out[k]);
    }
    return out;
}

/** Where one setting comes from, in order: stack config keys, then environment variables (read at call time). */
export interface SettingSource {
    config: string[];
    env: string[];
}

/** Reads one setting: the first config key that is set, else the first environment variable that is set. */
export function readSetting(
    snapshot: ConfigSnapshot,
    source: SettingSource,
    env: NodeJS.ProcessEnv,
): string | undefined {
    for (const k of source.config) {
        const v = snapshot[k];
        if (v !== undefined && v !== "") return v;
    }
    for (const k of source.env) {
        const v = env[k];
        if (v !== undefined && v !== "") return v;
    }
    return undefined;
}

/** Like {@link readSetting}, and registers the value for redaction. */
export function readSecretSetting(
    snapshot: ConfigSnapshot,
    source: SettingSource,
    env: NodeJS.ProcessEnv,
): string | undefined {
    const v = readSetting(snapshot, source, env);
    registerSecret(v);
    return v;
}

/** Highest configurable request rate: far above any cloud's published limit, so a typo is caught. */
const MAX_RATE_LIMIT = 10_000;

/**
 * Reads a cloud's request-rate limit (requests per second, per action where the cloud counts per action): the
 * setting when present (`<cloud>:rateLimitPerSecond`, or its environment variable), else `defaultPerSecond`. The
 * provider keeps to 90 % of it in any one-second window and lowers that on throttling answers (see `SlidingWindow`).
 */
export function readRateLimit(
    snapshot: ConfigSnapshot,
    source: SettingSource,
    defaultPerSecond: number,
    env: NodeJS.ProcessEnv,
): number {
    const v = readSetting(snapshot, source, env);
    if (v === undefined) return defaultPerSecond;
    const n = Number(v.trim());
    if (!/^\d+(\.\d+)?$/.test(v.trim()) || !(n > 0) || n > MAX_RATE_LIMIT) {
        const where = [...source.config, ...source.env].join(" / ");
        const allowed = `a number of requests per second above 0 and at most ${MAX_RATE_LIMIT}`;
        throw new Error(`${where} must be ${allowed}, got "${v}"`);
    }
    return n;
}

/**
 * Whether a URL's host (as the WHATWG URL parser normalises it: `127.1` becomes `127.0.0.1`, `[0::1]` becomes
 * `[::1]`) is a loopback address: `"ip"` for an IP literal in 127.0.0.0/8 or `::1`, `"name"` for `localhost` (which
 * the transport resolves and checks at request time), undefined for anything else. Host *names* that merely begin
 * with `127.` (such as `127.0.0.1.example.net`) are names: DNS can send them anywhere.
 */
export function loopbackKind(hostname: string): "ip" | "name" | undefined {
    const h = hostname.toLowerCase();
    if (h === "localhost") return "name";
    if (h === "[::1]" || h === "::1") return "ip";
    const parts = h.split(".");
    const ipv4 = parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
    return ipv4 && parts[0] === "127" ? "ip" : undefined;
}

/** Whether a resolved address (as DNS lookup returns it) is a loopback address: 127.0.0.0/8 or ::1. */
export function isLoopbackAddress(address: string): boolean {
    const a = address.toLowerCase().replace(/^::ffff:/, "");
    return a === "::1" || loopbackKind(a) === "ip";
}

/**
 * Checks a URL setting (endpoint overrides, KooPhone's `authUrl`): HTTPS always; plain HTTP only for loopback
 * (an IP literal in 127.0.0.0/8, `[::1]`, or `localhost`, which the transport resolves and checks before connecting),
 * unless the cloud is commonly served over HTTP (`allowHttp`). A URL carrying a user name or password is refused
 * without echoing it. Returns the URL without a trailing slash.
 */
export function checkEndpoint(setting: string, endpoint: string, allowHttp: boolean): string {
    let url: URL;
    try {
        url = new URL(endpoint);
    } catch {
        throw new Error(`${setting} must be a URL such as https://host[:port], got "${endpoint}"`);
    }
    if (url.username || url.password) {
        const what = "a user name or password in the URL (not shown here)";
        throw new Error(`${setting} must not carry ${what}; set the credentials in their own config keys`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
        throw new Error(`${setting} must start with https:// (got ${url.protocol})`);
    }
    if (url.protocol === "http:" && !allowHttp && !loopbackKind(url.hostname)) {
        const allowed = "plain HTTP is allowed only for loopback: an IP in 127.0.0.0/8, [::1] or localhost";
        throw new Error(`${setting} uses plain HTTP for ${url.hostname}; use https:// (${allowed})`);
    }
    return endpoint.replace(/\/+$/, "");
}

/** Levenshtein distance, bounded: anything above `max` is reported as `max + 1`. */
function distance(a: string, b: string, max: number): number {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const cur = [i];
        for (let j = 1; j <= b.length; j++)
            cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = cur;
    }
    return prev[b.length];
}

/** Settings the clouds' other Pulumi providers read in the same namespaces, close to one of ours (`alicloud:endpoints`). */
const OTHER_PROVIDERS_KEYS = ["endpoints", "regions", "profile", "profiles"];

/**
 * Config keys of the stack that look like a misspelt key this package reads (`jdcloud:acessKey` for
 * `jdcloud:accessKey`): in a namespace we read, not a key we read, and at most two edits away from one (case
 * ignored). A key further away is left alone: the namespace is shared with other providers (the official
 * `alicloud:*` settings), whose keys are not ours to refuse. The dynamic-provider host hands `configure` its raw
 * config as `rawConfig`; a source without it has nothing to check.
 */
export function misspeltConfigKeys(source: ConfigSource | undefined, keys: readonly string[]): string[] {
    const raw = (source as { rawConfig?: Record<string, unknown> } | undefined)?.rawConfig;
    if (!raw || typeof raw !== "object") return [];
    const spaces = new Set(keys.map((k) => k.slice(0, k.indexOf(":") + 1)));
    const out: string[] = [];
    for (const k of Object.keys(raw)) {
        const space = k.slice(0, k.indexOf(":") + 1);
        if (!space || !spaces.has(space) || keys.includes(k) || OTHER_PROVIDERS_KEYS.includes(k.slice(space.length)))
            continue;
        const near = keys.filter((x) => x.startsWith(space) && distance(x.toLowerCase(), k.toLowerCase(), 2) <= 2);
        if (near.length > 0) out.push(`${k} (did you mean ${near.join(" or ")}?)`);
    }
    return out;
}
