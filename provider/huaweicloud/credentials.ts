import { ConfigSnapshot, SettingSource, checkEndpoint, readSecretSetting, readSetting } from "../core/config";

/** Where each setting is read from: stack config (`huaweicloud:*`), then the Terraform-style and SDK-style variables. */
export const HW_SETTINGS = {
    region: { config: ["huaweicloud:region"], env: ["HW_REGION_NAME", "HUAWEICLOUD_SDK_REGION"] },
    accessKey: { config: ["huaweicloud:accessKey"], env: ["HW_ACCESS_KEY", "HUAWEICLOUD_SDK_AK"] },
    secretKey: { config: ["huaweicloud:secretKey"], env: ["HW_SECRET_KEY", "HUAWEICLOUD_SDK_SK"] },
    securityToken: {
        config: ["huaweicloud:securityToken"],
        env: ["HW_SECURITY_TOKEN", "HUAWEICLOUD_SDK_SECURITY_TOKEN"],
    },
    projectName: { config: ["huaweicloud:projectName"], env: ["HW_PROJECT_NAME"] },
    domainName: { config: ["huaweicloud:domainName"], env: ["HW_DOMAIN_NAME"] },
    userName: { config: ["huaweicloud:userName"], env: ["HW_USER_NAME"] },
    password: { config: ["huaweicloud:password"], env: ["HW_USER_PASSWORD"] },
    authUrl: { config: ["huaweicloud:authUrl"], env: ["HW_AUTH_URL"] },
    endpoint: { config: ["huaweicloud:endpoint"], env: ["HW_KOOPHONE_ENDPOINT"] },
    rateLimit: { config: ["huaweicloud:rateLimitPerSecond"], env: ["HW_RATE_LIMIT_PER_SECOND"] },
} satisfies Record<string, SettingSource>;

/** Config keys read in `configure`. */
export const HW_CONFIG_KEYS = Object.values(HW_SETTINGS).flatMap((s) => s.config);
/** Config keys that hold secrets (registered for redaction as soon as they are read). */
export const HW_SECRET_KEYS = ["huaweicloud:secretKey", "huaweicloud:password", "huaweicloud:securityToken"];

/** The only region KooPhone is published in (the official SDK's region list). */
export const KOOPHONE_DEFAULT_REGION = "cn-south-1";

/** AK/SK signing (SDK-HMAC-SHA256), optionally with a temporary credential's security token. */
export interface AkSkAuth {
    kind: "aksk";
    accessKey: string;
    secretKey: string;
    securityToken?: string;
}

/** A project-scoped IAM token obtained with the password method. */
export interface PasswordAuth {
    kind: "token";
    /** IAM v3 base URL, e.g. `https://iam.cn-south-1.myhuaweicloud.com/v3`. */
    authUrl: string;
    domainName: string;
    userName: string;
    password: string;
    projectName: string;
}

/** How calls are authenticated. */
export type HwAuth = AkSkAuth | PasswordAuth;

/** The region: config, then environment, then the one region KooPhone is offered in. */
export function hwRegion(config: ConfigSnapshot, env: NodeJS.ProcessEnv): string {
    return readSetting(config, HW_SETTINGS.region, env) ?? KOOPHONE_DEFAULT_REGION;
}

/**
 * Reads the credentials at call time. AK/SK wins when both an access key and a secret key are set; otherwise the
 * password method is used. Throws an error naming every place it looked when neither is complete.
 */
export function hwAuth(config: ConfigSnapshot, env: NodeJS.ProcessEnv): HwAuth {
    const accessKey = readSetting(config, HW_SETTINGS.accessKey, env);
    const secretKey = readSecretSetting(config, HW_SETTINGS.secretKey, env);
    const securityToken = readSecretSetting(config, HW_SETTINGS.securityToken, env);
    if (accessKey && secretKey) return { kind: "aksk", accessKey, secretKey, securityToken };
    const password = readSecretSetting(config, HW_SETTINGS.password, env);
    const userName = readSetting(config, HW_SETTINGS.userName, env);
    const domainName = readSetting(config, HW_SETTINGS.domainName, env);
    const region = hwRegion(config, env);
    if (userName && password) {
        const authUrl = readSetting(config, HW_SETTINGS.authUrl, env) ?? `https://iam.${region}.myhuaweicloud.com/v3`;
        return {
            kind: "token",
            authUrl: checkEndpoint("huaweicloud:authUrl", authUrl, false),
            // An account's main user has the account (domain) name as user name.
            domainName: domainName ?? userName,
            userName,
            password,
            // Huawei Cloud names a region's default project after the region.
            projectName: readSetting(config, HW_SETTINGS.projectName, env) ?? region,
        };
    }
    const missing: string[] = [];
    if (accessKey && !secretKey)
        missing.push(
            `the secret key for access key ${accessKey} (pulumi config set --secret huaweicloud:secretKey ..., or ${HW_SETTINGS.secretKey.env.join(" / ")})`,
        );
    else if (!accessKey && secretKey)
        missing.push(
            `the access key that belongs to the secret key (pulumi config set huaweicloud:accessKey ..., or ${HW_SETTINGS.accessKey.env.join(" / ")})`,
        );
    else {
        missing.push(
            `either an access key pair (huaweicloud:accessKey and huaweicloud:secretKey, or ${HW_SETTINGS.accessKey.env[0]} and ${HW_SETTINGS.secretKey.env[0]})`,
        );
        missing.push(
            `or an IAM user (huaweicloud:userName, huaweicloud:password (--secret), huaweicloud:domainName, or HW_USER_NAME, HW_USER_PASSWORD, HW_DOMAIN_NAME)`,
        );
    }
    throw new Error(`Huawei Cloud credentials are missing: ${missing.join("; ")}`);
}

/** The KooPhone endpoint: the configured override (the emulator, a proxy), else the published one. */
export function koophoneEndpoint(config: ConfigSnapshot, env: NodeJS.ProcessEnv): string {
    const override = readSetting(config, HW_SETTINGS.endpoint, env);
    if (override) return checkEndpoint("huaweicloud:endpoint", override, false);
    return "https://koophone.myhuaweicloud.com";
}

/** A string identifying the credential for rate limiting and token caching (never printed; hashed by callers). */
export function credentialKey(a: HwAuth): string {
    return a.kind === "aksk" ? `ak:${a.accessKey}` : `user:${a.authUrl}|${a.domainName}|${a.userName}|${a.projectName}`;
}
