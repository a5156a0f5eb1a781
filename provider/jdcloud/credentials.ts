import { ConfigSnapshot, SettingSource, checkEndpoint, readSecretSetting, readSetting } from "../core/config";

/** JD Cloud credentials as used by the signer. */
export interface JdcloudCredentials {
    accessKey: string;
    secretKey: string;
    securityToken?: string;
}

/** Where each setting is read from: stack config (`jdcloud:*`), then the environment JD Cloud tooling uses. */
export const JDCLOUD_SETTINGS = {
    accessKey: { config: ["jdcloud:accessKey"], env: ["JDCLOUD_ACCESS_KEY"] },
    secretKey: { config: ["jdcloud:secretKey"], env: ["JDCLOUD_SECRET_KEY"] },
    securityToken: { config: ["jdcloud:securityToken"], env: ["JDCLOUD_SECURITY_TOKEN"] },
    region: { config: ["jdcloud:region"], env: ["JDCLOUD_REGION"] },
    endpoint: { config: ["jdcloud:endpoint"], env: ["JDCLOUD_ENDPOINT"] },
    rateLimit: { config: ["jdcloud:rateLimitPerSecond"], env: ["JDCLOUD_RATE_LIMIT_PER_SECOND"] },
} satisfies Record<string, SettingSource>;

/** Config keys read in `configure`. */
export const JDCLOUD_CONFIG_KEYS = Object.values(JDCLOUD_SETTINGS).flatMap((s) => s.config);
/** Config keys that hold secrets. */
export const JDCLOUD_SECRET_KEYS = ["jdcloud:secretKey", "jdcloud:securityToken"];

/** Reads the credentials at call time; throws an error naming every place it looked when one is missing. */
export function jdcloudCredentials(config: ConfigSnapshot, env: NodeJS.ProcessEnv): JdcloudCredentials {
    const accessKey = readSetting(config, JDCLOUD_SETTINGS.accessKey, env);
    const secretKey = readSecretSetting(config, JDCLOUD_SETTINGS.secretKey, env);
    const securityToken = readSecretSetting(config, JDCLOUD_SETTINGS.securityToken, env);
    const missing: string[] = [];
    if (!accessKey) missing.push("the access key (pulumi config set jdcloud:accessKey ..., or JDCLOUD_ACCESS_KEY)");
    if (!secretKey)
        missing.push("the secret key (pulumi config set --secret jdcloud:secretKey ..., or JDCLOUD_SECRET_KEY)");
    if (missing.length > 0) throw new Error(`JD Cloud credentials are missing: ${missing.join("; ")}`);
    return { accessKey: accessKey as string, secretKey: secretKey as string, securityToken };
}

/** The region: the resource's own `regionId`, else `jdcloud:region`, else JDCLOUD_REGION. */
export function jdcloudRegion(
    config: ConfigSnapshot,
    resourceRegion: string | undefined,
    env: NodeJS.ProcessEnv,
): string | undefined {
    return resourceRegion || readSetting(config, JDCLOUD_SETTINGS.region, env);
}

/** The RDS endpoint (one global host; the region is in the path), or the configured override. */
export function rdsEndpoint(config: ConfigSnapshot, env: NodeJS.ProcessEnv): string {
    const override = readSetting(config, JDCLOUD_SETTINGS.endpoint, env);
    if (override) return checkEndpoint("jdcloud:endpoint", override, false);
    return "https://rds.jdcloud-api.com";
}
