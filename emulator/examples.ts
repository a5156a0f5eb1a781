/**
 * The stack config each program under examples/ needs to run against a running emulator: the cloud's settings
 * (endpoint, region, the emulator's credentials) and the program's own keys that its defaults do not cover.
 * `npm run emulator` prints these as `pulumi config set` lines, one group per example; tests/cli/examples.test.ts runs
 * every example with nothing else.
 */
import { CLOUDS, CloudEntry } from "../clouds";
import type { CloudName, ExampleSeeds, RunningEmulator } from "./index";

/** What a stack of one example needs. */
export interface ExampleStackConfig {
    /** The example's directory, relative to the repository (`examples/zstack`). */
    example: string;
    /** Its Pulumi project name (`name:` in its Pulumi.yaml): the namespace of the keys `new pulumi.Config()` reads. */
    project: string;
    /** The cloud it restores on. */
    cloud: CloudName;
    /** Every key to set, with its full name (`zstack:endpoint`, `zstack-vm-restore:l3NetworkUuid`), in order. */
    config: Record<string, string>;
    /** The keys of {@link config} to set with `--secret`. */
    secretKeys: string[];
    /**
     * The example runs through the provider plugin (YAML, Python, Go): the cloud's keys are printed in the plugin's
     * form, `pulumi config set --path pulumi-restore:<cloud>.<key>` (plugin/config.ts), since the engine hands a plugin
     * only its own package's config.
     */
    plugin?: boolean;
}

/** The keys of its own an example needs from the seeds (its defaults cover the rest). */
type OwnKeys = (seeds: ExampleSeeds) => { config: Record<string, string>; secret?: string[] } | undefined;

/** One example: where it lives, its project name, its cloud, and the keys of its own it needs from the seeds. */
interface ExampleSpec {
    dir: string;
    project: string;
    cloud: CloudName;
    /** Keys without namespace are the project's (`new pulumi.Config()`); others carry theirs (`rds:backupId`). */
    own?: OwnKeys;
    /** Runs through the provider plugin (see {@link ExampleStackConfig.plugin}). */
    plugin?: boolean;
}

/** The provider plugin's package: its config keys are `pulumi-restore:<cloud>.<key>` (plugin/config.ts). */
const PLUGIN_PACKAGE = "pulumi-restore";

/** The admin password the plugin examples' stacks get from the emulator's lines (their programs read it secret). */
export const EXAMPLE_ADMIN_PASSWORD = "Adm1n-Pa55word";

/**
 * The keys of their own that examples need, by directory. Their defaults name the seeded backups and instances, so
 * only keys without a default (ZStack's uuids) or secrets (the Redis password, the plugin examples' admin password)
 * appear here.
 */
const OWN_KEYS: Record<string, OwnKeys> = {
    // Its default prodInstanceId is the seeded source; set explicitly, so the printed lines say which prod it follows.
    "examples/refresh-staging": (s) => s.alicloud && { config: { prodInstanceId: s.alicloud.prodInstanceId } },
    "examples/tencentcloud-redis": (s) =>
        s.tencentcloud && { config: { redisPassword: s.tencentcloud.password }, secret: ["redisPassword"] },
    "examples/zstack": (s) =>
        s.zstack && {
            config: {
                backupGroupUuid: s.zstack.backupGroupUuid,
                instanceOfferingUuid: s.zstack.instanceOfferingUuid,
                l3NetworkUuid: s.zstack.l3NetworkUuid,
            },
        },
};

/** The YAML, Python and Go examples each need their admin password. */
const PLUGIN_OWN_KEYS: OwnKeys = () => ({
    config: { adminPassword: EXAMPLE_ADMIN_PASSWORD },
    secret: ["adminPassword"],
});

/**
 * The examples that run against the emulator: every cloud's in the registry (clouds.ts), those of the provider plugin
 * last.
 */
const EXAMPLES: ExampleSpec[] = (() => {
    const all = CLOUDS.flatMap((c: CloudEntry) =>
        c.examples.map((e): ExampleSpec => ({
            dir: e.dir,
            project: e.project,
            cloud: c.name as CloudName,
            own: e.plugin ? PLUGIN_OWN_KEYS : OWN_KEYS[e.dir],
            ...(e.plugin && { plugin: true }),
        })),
    );
    return [...all.filter((e) => !e.plugin), ...all.filter((e) => e.plugin)];
})();

/** The stack config of every example whose cloud is running in `emu`, given what {@link seedExamples} seeded. */
export function exampleConfigs(emu: RunningEmulator, seeds: ExampleSeeds): ExampleStackConfig[] {
    const out: ExampleStackConfig[] = [];
    for (const ex of EXAMPLES) {
        if (!emu[ex.cloud]) continue;
        const config: Record<string, string> = {};
        const secretKeys: string[] = [];
        for (const [k, v] of Object.entries(emu.config)) {
            if (!k.startsWith(`${ex.cloud}:`)) continue;
            config[k] = v;
            if (emu.secretConfigKeys.includes(k)) secretKeys.push(k);
        }
        const own = ex.own?.(seeds);
        for (const [k, v] of Object.entries(own?.config ?? {})) {
            const full = k.includes(":") ? k : `${ex.project}:${k}`;
            config[full] = v;
            if (own?.secret?.includes(k)) secretKeys.push(full);
        }
        const entry: ExampleStackConfig = { example: ex.dir, project: ex.project, cloud: ex.cloud, config, secretKeys };
        if (ex.plugin) entry.plugin = true;
        out.push(entry);
    }
    return out;
}

/** A value as one shell word: as is when plain, else in single quotes. */
export function shellWord(v: string): string {
    return /^[A-Za-z0-9_@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

/**
 * The `pulumi config set` lines of one example, ready to paste into a shell in the example's directory. For a plugin
 * example the cloud's keys become paths into the plugin's object for that cloud:
 * `pulumi config set --path pulumi-restore:alicloud.endpoint http://...`.
 */
export function configSetLines(c: ExampleStackConfig): string[] {
    return Object.entries(c.config).map(([k, v]) => {
        const secret = c.secretKeys.includes(k) ? "--secret " : "";
        const cloudKey = k.startsWith(`${c.cloud}:`);
        if (c.plugin && cloudKey) {
            return `pulumi config set ${secret}--path ${PLUGIN_PACKAGE}:${c.cloud}.${k.slice(k.indexOf(":") + 1)} ${shellWord(v)}`;
        }
        return `pulumi config set ${secret}${k} ${shellWord(v)}`;
    });
}
