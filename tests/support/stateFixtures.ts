/**
 * The state-compatibility fixtures (tests/fixtures/state, README there): what the generator
 * (scripts/generate-state-fixtures.ts) and the test (tests/cli/state-compat.test.ts) share. A fixture is the
 * `pulumi stack export` of a stack written by one release through the real engine, with the machine's paths and the
 * emulator's ports replaced by placeholders, and beside it the emulator's contents at that moment as seed calls.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { CLOUD_NAMES, CloudName, RunningEmulator } from "../../emulator";
import { CliStack } from "../../harness/pulumiCli";

/** The repository root (the checkout whose code runs). */
export const ROOT = path.resolve(__dirname, "..", "..");
export const FIXTURE_DIR = path.join(ROOT, "tests", "fixtures", "state");
/** The program of the dynamic fixtures (every dynamic resource) and its project name (URNs name it). */
export const DYNAMIC_PROGRAM_DIR = path.join(ROOT, "tests", "cli", "compat-project");
export const DYNAMIC_PROJECT = "pulumi-restore-compat";
/** The YAML program of the plugin fixture (every type the provider plugin serves) and its project name. */
export const PLUGIN_PROGRAM_DIR = path.join(ROOT, "tests", "cli", "compat-yaml");
export const PLUGIN_PROJECT = "pulumi-restore-compat-yaml";
/** The stack every fixture was written from: its name is in every URN and in every restore token. */
export const FIXTURE_STACK = "compat";
/**
 * The passphrase the fixtures' secrets are encrypted under (the one harness/pulumiCli.ts gives every stack). Known to
 * the test, so that an imported fixture decrypts; it protects nothing but these test values.
 */
export const FIXTURE_PASSPHRASE = "pulumi-restore-local-stack";
/** The secrets the programs get from `pulumi config set --secret`: the fixtures must hold them only as ciphertext. */
export const FIXTURE_SECRETS = {
    adminPassword: "Compat-Adm1n-Pa55word-3e9d",
    redisPassword: "compat-redis-Pa55word-c4f1",
};

/** The placeholder of the checkout's absolute path (a source checkout's `__provider` shim names its files). */
export const CHECKOUT_PLACEHOLDER = "{{CHECKOUT}}";
/** The placeholder of an emulated cloud's endpoint URL (`http://127.0.0.1:<port>`). */
export const endpointPlaceholder = (cloud: CloudName) => `{{ENDPOINT:${cloud}}}`;

/**
 * The fixtures of a release: `<release>/<name>.state.json` and `<release>/<name>.cloud.json`. Layouts of the dynamic
 * resources: `installed` (the package installed in node_modules: `__provider` is a `require` of each entry module, as
 * users have it), `source` (a source checkout: `__provider` is a shim naming the provider module's absolute path).
 * `plugin-yaml`: the provider plugin from a YAML program, every resource type it serves.
 */
export const FIXTURE_NAMES = ["dynamic-installed", "dynamic-source", "plugin-yaml"] as const;
export type FixtureName = (typeof FIXTURE_NAMES)[number];

/** One call of an emulated cloud's `seed(kind, data)`. */
export interface SeedCall {
    cloud: CloudName;
    kind: string;
    data: Record<string, unknown>;
}

/** What the cloud held when the state was exported, and what the resources of the state are. */
export interface CloudFixture {
    /** Replayed in order on a fresh emulator: the cloud then holds what the state says exists. */
    seeds: SeedCall[];
}

/** Releases with fixtures (directory names, e.g. `0.1.0`), oldest first. */
export function fixtureReleases(): string[] {
    if (!fs.existsSync(FIXTURE_DIR)) return [];
    return fs
        .readdirSync(FIXTURE_DIR, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
}

/** Replaces the machine's values by placeholders (generator). */
export function toPlaceholders(text: string, emu: RunningEmulator): string {
    let out = text.split(ROOT).join(CHECKOUT_PLACEHOLDER);
    for (const c of CLOUD_NAMES) if (emu[c]) out = out.split(emu[c].url).join(endpointPlaceholder(c));
    return out;
}

/** Replaces the placeholders by this machine's values (test). Fails on a placeholder it does not know. */
export function fromPlaceholders(text: string, emu: RunningEmulator): string {
    let out = text.split(CHECKOUT_PLACEHOLDER).join(ROOT);
    for (const c of CLOUD_NAMES) if (emu[c]) out = out.split(endpointPlaceholder(c)).join(emu[c].url);
    const left = /\{\{[A-Z]+(:[a-z]+)?\}\}/.exec(out);
    if (left) throw new Error(`fixture holds a placeholder this test does not fill: ${left[0]}`);
    return out;
}

/** Emulator timings short enough for a generator run (and for any wait of the test). */
export const FIXTURE_TIMINGS = {
    starrocks: { restoreMs: 500, releaseMs: 200 },
    tencentcloud: { prepareMs: 200, runMs: 400, cloneMs: 500, destroyMs: 200, cleanUpMs: 200 },
    zstack: { createMs: 400, startMs: 100, destroyMs: 100, expungeMs: 100 },
    jdcloud: { buildMs: 500, deleteMs: 200 },
    huaweicloud: { backupMs: 500, restoreMs: 300 },
};

/** Symlinks a package of this checkout's node_modules into `dir/node_modules`. */
function linkDependency(dir: string, name: string): void {
    const target = path.join(ROOT, "node_modules", name);
    const link = path.join(dir, "node_modules", name);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(fs.realpathSync(target), link, "dir");
}

/**
 * The source folders the npm package ships compiled under `dist/` (package.json `files`: `dist/provider/**` →
 * `provider`, `dist/index.*` → `index.ts`), so that the installed layout holds what `npm pack` would.
 */
function shippedSources(): string[] {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { files: string[] };
    const roots = new Set<string>();
    for (const f of pkg.files) {
        const m = /^dist\/([^/*]+)(\/\*\*|\.\*)$/.exec(f);
        if (m) roots.add(m[2] === ".*" ? `${m[1]}.ts` : m[1]);
    }
    return [...roots];
}

/** Every `.ts` file (not `.d.ts`) under a path of the checkout, repository-relative. */
function tsFiles(rel: string): string[] {
    const abs = path.join(ROOT, rel);
    if (!fs.existsSync(abs)) return [];
    if (fs.statSync(abs).isFile()) return rel.endsWith(".ts") && !rel.endsWith(".d.ts") ? [rel] : [];
    return fs.readdirSync(abs).flatMap((e) => tsFiles(path.join(rel, e)));
}

/**
 * This checkout as npm installs it: `<dir>/node_modules/pulumi-restore` with package.json and `dist/` compiled from the
 * shipped sources (TypeScript's transpiler, the build's compiler options, no type check: fast), its runtime
 * dependencies linked beside it.
 */
function installPackage(dir: string): void {
    const pkgDir = path.join(dir, "node_modules", "pulumi-restore");
    const tsconfig = ts.readConfigFile(path.join(ROOT, "tsconfig.json"), ts.sys.readFile).config as {
        compilerOptions: Record<string, unknown>;
    };
    const { options } = ts.convertCompilerOptionsFromJson(tsconfig.compilerOptions, ROOT);
    for (const rel of shippedSources().flatMap(tsFiles)) {
        const out = path.join(pkgDir, "dist", rel.replace(/\.ts$/, ".js"));
        const js = ts.transpileModule(fs.readFileSync(path.join(ROOT, rel), "utf8"), {
            compilerOptions: { ...options, sourceMap: false, declaration: false },
            fileName: rel,
        }).outputText;
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fs.writeFileSync(out, js);
    }
    fs.copyFileSync(path.join(ROOT, "package.json"), path.join(pkgDir, "package.json"));
}

/**
 * `<dir>/node_modules/pulumi-restore` answering this checkout's sources, as examples/node_modules/pulumi-restore does
 * inside the repository: the sources load from the checkout (not from a node_modules path), so each resource class
 * hands the engine the source-checkout shim.
 */
function linkCheckout(dir: string): void {
    const pkgDir = path.join(dir, "node_modules", "pulumi-restore");
    fs.mkdirSync(pkgDir, { recursive: true });
    fs.writeFileSync(
        path.join(pkgDir, "package.json"),
        `${JSON.stringify({ name: "pulumi-restore", private: true, main: "index.js" }, null, 2)}\n`,
    );
    fs.writeFileSync(
        path.join(pkgDir, "index.js"),
        `module.exports = require(${JSON.stringify(path.join(ROOT, "index"))});\n`,
    );
}

/**
 * A project directory for a fixture: the dynamic program (tests/cli/compat-project) with `pulumi-restore` installed
 * (`installed`) or linked to this checkout (`source`, as `examples/` use it), or a YAML project using the plugin of
 * this checkout. Returns the directory (the caller removes it).
 */
export function fixtureProject(name: FixtureName): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pulumi-restore-${name}-`));
    if (name === "plugin-yaml") {
        // As a user has it after `npm install pulumi-restore`: the Pulumi.yaml names ./node_modules/pulumi-restore/plugin.
        fs.copyFileSync(path.join(PLUGIN_PROGRAM_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        fs.mkdirSync(path.join(dir, "node_modules"));
        fs.symlinkSync(ROOT, path.join(dir, "node_modules", "pulumi-restore"), "dir");
        return dir;
    }
    for (const f of fs.readdirSync(DYNAMIC_PROGRAM_DIR))
        fs.copyFileSync(path.join(DYNAMIC_PROGRAM_DIR, f), path.join(dir, f));
    linkDependency(dir, "@pulumi");
    linkDependency(dir, "axios");
    if (name === "dynamic-installed") installPackage(dir);
    else linkCheckout(dir);
    return dir;
}

/** The stack config a fixture's programs read besides the emulator's (secrets set with `--secret`). */
export function programConfig(): { config: Record<string, string>; secretKeys: string[] } {
    return { config: { ...FIXTURE_SECRETS }, secretKeys: Object.keys(FIXTURE_SECRETS) };
}

/**
 * The environment variables the providers read each secret setting of the emulator from (the official providers'
 * names, see provider/<cloud>/credentials.ts). Spelt out here: users' CI jobs set them, a change breaks those too.
 */
const SECRET_ENV: Record<string, string> = {
    "alicloud:secretKey": "ALICLOUD_SECRET_KEY",
    "tencentcloud:secretKey": "TENCENTCLOUD_SECRET_KEY",
    "zstack:accountPassword": "ZSTACK_ACCOUNT_PASSWORD",
    "jdcloud:secretKey": "JDCLOUD_SECRET_KEY",
    "huaweicloud:password": "HW_USER_PASSWORD",
};

/**
 * A new stack `compat` of a fixture's project, pointing the resources at the emulator. The dynamic resources read the
 * stack config (`alicloud:endpoint`..., secrets set with `--secret`). The plugin reads one config object per cloud
 * (`pulumi-restore:alicloud.endpoint`...); an object holding a secret is encrypted whole in state, endpoint included,
 * where no placeholder can reach it: so the plugin stack takes the emulator's secrets from the environment (as a CI
 * job would), and its config objects (endpoints, regions, key ids) stay plaintext.
 */
export async function initFixtureStack(
    pulumi: string,
    name: FixtureName,
    dir: string,
    emu: RunningEmulator,
): Promise<CliStack> {
    const plugin = name === "plugin-yaml";
    const secretEnv = Object.fromEntries(
        emu.secretConfigKeys.map((k) => {
            if (!SECRET_ENV[k]) throw new Error(`no environment variable known for the secret setting ${k}`);
            return [SECRET_ENV[k], emu.config[k]];
        }),
    );
    const stack = new CliStack(pulumi, FIXTURE_STACK, {
        cwd: dir,
        env: {
            PULUMI_CONFIG_PASSPHRASE: FIXTURE_PASSPHRASE,
            // ts-node compiles the checkout's sources with the checkout's compiler options (the project has none).
            TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json"),
            ...(plugin ? secretEnv : {}),
        },
    });
    const program = programConfig();
    if (!plugin) {
        await stack.init({ ...emu.config, ...program.config }, [...emu.secretConfigKeys, ...program.secretKeys]);
        return stack;
    }
    await stack.must(["stack", "init", FIXTURE_STACK, "--non-interactive"]);
    for (const [k, v] of Object.entries(emu.config).filter(([k]) => !emu.secretConfigKeys.includes(k)))
        await stack.must(["config", "set", "--stack", FIXTURE_STACK, "--path", "--plaintext", pluginConfigKey(k)], v);
    await stack.setConfig(program.config, program.secretKeys);
    return stack;
}

/**
 * The plugin's spelling of a config key (`alicloud:accessKey` → `pulumi-restore:alicloud.accessKey`), written out here
 * rather than imported: users' stack config spells it so, and a change would break their stacks too.
 */
function pluginConfigKey(key: string): string {
    const i = key.indexOf(":");
    return `pulumi-restore:${key.slice(0, i)}.${key.slice(i + 1)}`;
}
