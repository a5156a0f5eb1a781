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
export function snapshotConfig(source: ConfigSource | undefined, keys: string[], secretKeys: string[] = []): ConfigSnapshot {
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
export function readSetting(snapshot: ConfigSnapshot, source: SettingSource, env: NodeJS.ProcessEnv = process.env): string | undefined {
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
export function readSecretSetting(snapshot: ConfigSnapshot, source: SettingSource, env: NodeJS.ProcessEnv = process.env): string | undefined {
    const v = readSetting(snapshot, source, env);
    registerSecret(v);
    return v;
}

/**
 * Checks an endpoint override: HTTPS always; plain HTTP only for loopback addresses (the emulator, local proxies)
 * unless the cloud is commonly served over HTTP. Returns the endpoint without a trailing slash.
 */
export function checkEndpoint(setting: string, endpoint: string, allowHttp: boolean): string {
    let url: URL;
    try {
        url = new URL(endpoint);
    } catch {
        throw new Error(`${setting} must be a URL such as https://host[:port], got "${endpoint}"`);
    }
    const loopback = url.hostname === "localhost" || url.hostname === "[::1]" || /^127\./.test(url.hostname);
    if (url.protocol === "http:" && !allowHttp && !loopback) {
        throw new Error(`${setting} uses plain HTTP for ${url.hostname}; use https:// (plain HTTP is allowed only for loopback addresses)`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
        throw new Error(`${setting} must start with https:// (got ${url.protocol})`);
    }
    return endpoint.replace(/\/+$/, "");
}
