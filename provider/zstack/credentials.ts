import { ConfigSnapshot, SettingSource, checkEndpoint, readSecretSetting, readSetting } from "../core/config";

/** Where each setting is read from: `zstack:*` stack config (the Terraform provider's names in camelCase), then env. */
export const ZSTACK_SETTINGS = {
    host: { config: ["zstack:host"], env: ["ZSTACK_HOST"] },
    port: { config: ["zstack:port"], env: ["ZSTACK_PORT"] },
    scheme: { config: ["zstack:scheme"], env: ["ZSTACK_SCHEME"] },
    endpoint: { config: ["zstack:endpoint"], env: ["ZSTACK_ENDPOINT"] },
    rateLimit: { config: ["zstack:rateLimitPerSecond"], env: ["ZSTACK_RATE_LIMIT_PER_SECOND"] },
    accountName: { config: ["zstack:accountName"], env: ["ZSTACK_ACCOUNT_NAME"] },
    accountPassword: { config: ["zstack:accountPassword"], env: ["ZSTACK_ACCOUNT_PASSWORD"] },
    accessKeyId: { config: ["zstack:accessKeyId"], env: ["ZSTACK_ACCESS_KEY_ID"] },
    accessKeySecret: { config: ["zstack:accessKeySecret"], env: ["ZSTACK_ACCESS_KEY_SECRET"] },
} satisfies Record<string, SettingSource>;

/** Config keys read in `configure`. */
export const ZSTACK_CONFIG_KEYS = Object.values(ZSTACK_SETTINGS).flatMap((s) => s.config);
/** Config keys that hold secrets. */
export const ZSTACK_SECRET_KEYS = ["zstack:accountPassword", "zstack:accessKeySecret"];

/** How requests are authenticated. AccessKey wins when both are configured (no session to keep). */
export type ZStackAuth =
    | { kind: "accessKey"; accessKeyId: string; accessKeySecret: string }
    | { kind: "account"; accountName: string; accountPassword: string };

/** Reads the credentials at call time; the error names every place it looked. */
export function zstackAuth(config: ConfigSnapshot, env: NodeJS.ProcessEnv): ZStackAuth {
    const accessKeyId = readSetting(config, ZSTACK_SETTINGS.accessKeyId, env);
    const accessKeySecret = readSecretSetting(config, ZSTACK_SETTINGS.accessKeySecret, env);
    const accountName = readSetting(config, ZSTACK_SETTINGS.accountName, env);
    const accountPassword = readSecretSetting(config, ZSTACK_SETTINGS.accountPassword, env);
    if (accessKeyId && accessKeySecret) return { kind: "accessKey", accessKeyId, accessKeySecret };
    if (accountName && accountPassword) return { kind: "account", accountName, accountPassword };
    const missing: string[] = [];
    if (accessKeyId && !accessKeySecret)
        missing.push("zstack:accessKeySecret (or ZSTACK_ACCESS_KEY_SECRET) for zstack:accessKeyId");
    else if (accountName && !accountPassword)
        missing.push("zstack:accountPassword (or ZSTACK_ACCOUNT_PASSWORD) for zstack:accountName");
    else if (accountPassword && !accountName)
        missing.push("zstack:accountName (or ZSTACK_ACCOUNT_NAME) for the account password");
    else
        missing.push(
            "either zstack:accessKeyId + zstack:accessKeySecret (ZSTACK_ACCESS_KEY_ID / ZSTACK_ACCESS_KEY_SECRET) or zstack:accountName + zstack:accountPassword (ZSTACK_ACCOUNT_NAME / ZSTACK_ACCOUNT_PASSWORD)",
        );
    throw new Error(
        `ZStack credentials are missing: set ${missing.join("; ")}. Use \`pulumi config set --secret\` for the secret.`,
    );
}

/**
 * The management node's base URL (`http://host:8080`, without `/zstack`): `zstack:endpoint` when set, else
 * scheme://host:port from `zstack:scheme` (default http: ZStack is commonly served over plain HTTP on a private
 * network), `zstack:host` and `zstack:port` (default 8080).
 */
export function zstackEndpoint(config: ConfigSnapshot, env: NodeJS.ProcessEnv): string {
    const override = readSetting(config, ZSTACK_SETTINGS.endpoint, env);
    if (override) return checkEndpoint("zstack:endpoint", override.replace(/\/zstack\/?$/, ""), true);
    const host = readSetting(config, ZSTACK_SETTINGS.host, env);
    if (!host)
        throw new Error(
            "no ZStack management node: `pulumi config set zstack:host 10.0.0.5` (and zstack:port if not 8080), or ZSTACK_HOST, or zstack:endpoint",
        );
    const scheme = (readSetting(config, ZSTACK_SETTINGS.scheme, env) ?? "http").toLowerCase();
    if (scheme !== "http" && scheme !== "https")
        throw new Error(`zstack:scheme must be "http" or "https", got "${scheme}"`);
    const port = readSetting(config, ZSTACK_SETTINGS.port, env) ?? "8080";
    if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535)
        throw new Error(`zstack:port must be a port number from 1 to 65535, got "${port}"`);
    const h = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
    return checkEndpoint("zstack:host", `${scheme}://${h}:${port}`, true);
}
