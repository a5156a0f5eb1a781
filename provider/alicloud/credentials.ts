import { ConfigSnapshot, SettingSource, checkEndpoint, readSecretSetting, readSetting } from "../core/config";

/** Alibaba Cloud credentials as used by the signer. */
export interface AlicloudCredentials {
    accessKeyId: string;
    accessKeySecret: string;
    securityToken?: string;
}

/** Where each setting is read from: the official alicloud provider's config keys, then its environment variables. */
export const ALICLOUD_SETTINGS = {
    accessKey: { config: ["alicloud:accessKey"], env: ["ALICLOUD_ACCESS_KEY", "ALIBABA_CLOUD_ACCESS_KEY_ID"] },
    secretKey: { config: ["alicloud:secretKey"], env: ["ALICLOUD_SECRET_KEY", "ALIBABA_CLOUD_ACCESS_KEY_SECRET"] },
    securityToken: {
        config: ["alicloud:securityToken"],
        env: ["ALICLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_SECURITY_TOKEN"],
    },
    region: { config: ["alicloud:region"], env: ["ALICLOUD_REGION", "ALIBABA_CLOUD_REGION"] },
    endpoint: { config: ["alicloud:endpoint"], env: ["ALICLOUD_STARROCKS_ENDPOINT"] },
    rateLimit: { config: ["alicloud:rateLimitPerSecond"], env: ["ALICLOUD_RATE_LIMIT_PER_SECOND"] },
} satisfies Record<string, SettingSource>;

/** Config keys read in `configure`. */
export const ALICLOUD_CONFIG_KEYS = Object.values(ALICLOUD_SETTINGS).flatMap((s) => s.config);
/** Config keys that hold secrets. */
export const ALICLOUD_SECRET_KEYS = ["alicloud:secretKey", "alicloud:securityToken"];

/** Reads the credentials at call time; throws an error naming every place it looked when one is missing. */
export function alicloudCredentials(config: ConfigSnapshot, env: NodeJS.ProcessEnv): AlicloudCredentials {
    const accessKeyId = readSetting(config, ALICLOUD_SETTINGS.accessKey, env);
    const accessKeySecret = readSecretSetting(config, ALICLOUD_SETTINGS.secretKey, env);
    const securityToken = readSecretSetting(config, ALICLOUD_SETTINGS.securityToken, env);
    const missing: string[] = [];
    if (!accessKeyId)
        missing.push(
            `the access key id (pulumi config set alicloud:accessKey ..., or ${ALICLOUD_SETTINGS.accessKey.env.join(" / ")})`,
        );
    if (!accessKeySecret)
        missing.push(
            `the access key secret (pulumi config set --secret alicloud:secretKey ..., or ${ALICLOUD_SETTINGS.secretKey.env.join(" / ")})`,
        );
    if (missing.length > 0) throw new Error(`Alibaba Cloud credentials are missing: ${missing.join("; ")}`);
    return { accessKeyId: accessKeyId as string, accessKeySecret: accessKeySecret as string, securityToken };
}

/** The region: the resource's own `regionId`, else config, else environment. */
export function alicloudRegion(
    config: ConfigSnapshot,
    resourceRegion: string | undefined,
    env: NodeJS.ProcessEnv,
): string | undefined {
    return resourceRegion || readSetting(config, ALICLOUD_SETTINGS.region, env);
}

/** The StarRocks endpoint for a region, or the configured override (the emulator, a proxy, a private endpoint). */
export function starRocksEndpoint(config: ConfigSnapshot, region: string, env: NodeJS.ProcessEnv): string {
    const override = readSetting(config, ALICLOUD_SETTINGS.endpoint, env);
    if (override) return checkEndpoint("alicloud:endpoint", override, false);
    return `https://starrocks.${region}.aliyuncs.com`;
}
