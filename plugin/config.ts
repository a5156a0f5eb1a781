/**
 * The plugin's configuration: the same settings as the dynamic resources read, one object per cloud.
 *
 * Why objects: the engine hands a provider plugin only the config of its own package (`pulumi-restore:*`), while the
 * dynamic-provider host receives the whole stack config (`alicloud:accessKey`, ...). A config key has exactly one
 * namespace, so `alicloud:accessKey` cannot be spelt inside ours; `pulumi-restore:alicloud` is an object whose keys
 * are the same names: `pulumi config set --path pulumi-restore:alicloud.accessKey ...` (`--secret` for secrets). The
 * environment variables are the same in both hosts and read by the same code.
 */
import { ConfigSource, SettingSource } from "../provider/core/config";
import { registerSecret } from "../provider/core/redact";
import { CLOUDS, cloudModule } from "../clouds";
import { unwrap } from "./secrets";

/** The plugin's package name: resource tokens are `pulumi-restore:<module>:<Type>`, config keys `pulumi-restore:*`. */
export const PACKAGE = "pulumi-restore";

/** One cloud's settings, as the providers read them. */
export interface CloudSettings {
    /** The namespace of the dynamic resources' config keys, and the name of the plugin's config object. */
    namespace: string;
    settings: Record<string, SettingSource>;
    /** Full config keys (`alicloud:secretKey`) holding secrets. */
    secretKeys: readonly string[];
}

/** What every cloud's `provider/<cloud>/credentials.ts` exports for the plugin. */
interface CredentialsModule {
    SETTINGS: Record<string, SettingSource>;
    SECRET_KEYS: readonly string[];
}

/** Every cloud's settings, for each cloud of the registry: the lists the providers themselves read (no copy to drift). */
export const CLOUD_SETTINGS: readonly CloudSettings[] = CLOUDS.map((c) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is found by the registry's name for the cloud
    const m = require(`../${cloudModule(c, "credentials")}`) as CredentialsModule;
    return { namespace: c.name, settings: m.SETTINGS, secretKeys: m.SECRET_KEYS };
});

/** The key inside a cloud's config object for a full config key: `alicloud:accessKey` → `accessKey`. */
export function keyName(fullKey: string): string {
    return fullKey.slice(fullKey.indexOf(":") + 1);
}

/** The plugin's spelling of a full config key: `alicloud:accessKey` → `pulumi-restore:alicloud.accessKey`. */
export function pluginKey(fullKey: string): string {
    const i = fullKey.indexOf(":");
    return `${PACKAGE}:${fullKey.slice(0, i)}.${fullKey.slice(i + 1)}`;
}

/**
 * Turns the provider's configuration (Configure's `args`, or the deprecated `variables`) into the source the
 * providers' `configure` reads: `get("alicloud:accessKey")` answers `args.alicloud.accessKey`. A cloud object arrives
 * as an object or as its JSON text (stack config values are text); secrets are unwrapped and registered for
 * redaction. Unknown or malformed entries raise an error naming the key and what is allowed.
 */
export function pluginConfigSource(args: Record<string, unknown>): ConfigSource {
    const values = new Map<string, unknown>();
    const known = new Map(CLOUD_SETTINGS.map((c) => [c.namespace, c]));
    for (const [name, raw] of Object.entries(args)) {
        if (name === "version") continue;
        const cloud = known.get(name);
        if (!cloud) {
            const allowed = CLOUD_SETTINGS.map((c) => c.namespace).join(", ");
            const what = `the settings are one object per cloud: ${allowed}`;
            throw new Error(`${PACKAGE}:${name} is not a setting of this provider; ${what}`);
        }
        const u = unwrap(raw);
        let obj = u.value;
        if (typeof obj === "string") {
            try {
                obj = JSON.parse(obj);
            } catch {
                obj = undefined;
            }
        }
        if (!obj || typeof obj !== "object" || Array.isArray(obj)) {
            const how = `set its keys with \`pulumi config set --path ${PACKAGE}:${name}.<key> <value>\``;
            throw new Error(`${PACKAGE}:${name} must be an object such as {"region": "..."}; ${how}`);
        }
        const keys = Object.values(cloud.settings).flatMap((s) => s.config);
        for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
            const full = `${name}:${k}`;
            if (!keys.includes(full)) {
                const allowed = keys.map(keyName).join(", ");
                throw new Error(`${PACKAGE}:${name}.${k} is not a ${name} setting; allowed: ${allowed}`);
            }
            // Secret keys are registered for redaction at once, whether or not they arrived marked secret.
            if (cloud.secretKeys.includes(full) && typeof v === "string") registerSecret(v);
            values.set(full, v);
        }
    }
    return { get: (key: string) => values.get(key) };
}
