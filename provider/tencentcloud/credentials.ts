import { ConfigSnapshot, SettingSource, checkEndpoint, readSecretSetting, readSetting } from "../core/config";

/** Tencent Cloud credentials as used by the signer. */
export interface TencentCredentials {
    secretId: string;
    secretKey: string;
    /** Temporary credentials' token (`X-TC-Token`). */
    token?: string;
}

/** Where each setting is read from: the tencentcloud provider's config keys, then the conventional environment. */
export const TENCENT_SETTINGS = {
    secretId: { config: ["tencentcloud:secretId"], env: ["TENCENTCLOUD_SECRET_ID"] },
    secretKey: { config: ["tencentcloud:secretKey"], env: ["TENCENTCLOUD_SECRET_KEY"] },
    // The Terraform/Pulumi provider reads TENCENTCLOUD_SECURITY_TOKEN; the Node SDK reads TENCENTCLOUD_SESSION_TOKEN.
    securityToken: {
        config: ["tencentcloud:securityToken"],
        env: ["TENCENTCLOUD_SECURITY_TOKEN", "TENCENTCLOUD_SESSION_TOKEN"],
    },
    region: { config: ["tencentcloud:region"], env: ["TENCENTCLOUD_REGION"] },
    endpoint: { config: ["tencentcloud:endpoint"], env: ["TENCENTCLOUD_REDIS_ENDPOINT"] },
    rateLimit: { config: ["tencentcloud:rateLimitPerSecond"], env: ["TENCENTCLOUD_RATE_LIMIT_PER_SECOND"] },
} satisfies Record<string, SettingSource>;

/** Region used when neither the resource, config nor environment names one (as the official SDKs do). */
export const DEFAULT_REGION = "ap-guangzhou";

/** Config keys read in `configure`. */
export const TENCENT_CONFIG_KEYS = Object.values(TENCENT_SETTINGS).flatMap((s) => s.config);
/** Config keys that hold secrets. */
export const TENCENT_SECRET_KEYS = ["tencentcloud:secretKey", "tencentcloud:securityToken"];

/** Reads the credentials at call time; throws an error naming every place it looked when one is missing. */
export function tencentCredentials(config: ConfigSnapshot, env: NodeJS.ProcessEnv): TencentCredentials {
    const secretId = readSetting(config, TENCENT_SETTINGS.secretId, env);
    const secretKey = readSecretSetting(config, TENCENT_SETTINGS.secretKey, env);
    const token = readSecretSetting(config, TENCENT_SETTINGS.securityToken, env);
    const missing: string[] = [];
    if (!secretId)
        missing.push(
            `the SecretId (pulumi config set tencentcloud:secretId ..., or ${TENCENT_SETTINGS.secretId.env.join(" / ")})`,
        );
    if (!secretKey)
        missing.push(
            `the SecretKey (pulumi config set --secret tencentcloud:secretKey ..., or ${TENCENT_SETTINGS.secretKey.env.join(" / ")})`,
        );
    if (missing.length > 0) throw new Error(`Tencent Cloud credentials are missing: ${missing.join("; ")}`);
    return { secretId: secretId as string, secretKey: secretKey as string, token };
}

/** The region: the resource's own `region`, else config, else environment, else ap-guangzhou. */
export function tencentRegion(
    config: ConfigSnapshot,
    resourceRegion: string | undefined,
    env: NodeJS.ProcessEnv,
): string {
    return resourceRegion || readSetting(config, TENCENT_SETTINGS.region, env) || DEFAULT_REGION;
}

/**
 * The Redis API endpoint: the configured override (the emulator, a proxy), else the financial-region host for
 * `*-fsi` regions (they are isolated from the others), else the global host.
 */
export function redisEndpoint(config: ConfigSnapshot, region: string, env: NodeJS.ProcessEnv): string {
    const override = readSetting(config, TENCENT_SETTINGS.endpoint, env);
    if (override) return checkEndpoint("tencentcloud:endpoint", override, false);
    if (/-fsi$/.test(region)) return `https://redis.${region}.tencentcloudapi.com`;
    return "https://redis.tencentcloudapi.com";
}
