import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EMULATOR_POLL_MIN_MS, sourceCheckoutEnv } from "./host";

/** The repository root: Pulumi.yaml there is the quickstart project. */
export const REPO_ROOT = path.resolve(__dirname, "..");

/** Where scripts/install-pulumi-cli.sh puts the CLI it builds. */
export const BUILT_CLI_DIR = path.join(REPO_ROOT, ".pulumi-cli", "bin");

/** A Pulumi CLI found on this machine, and where it came from. */
export interface FoundCli {
    path: string;
    source: "PULUMI_RESTORE_CLI" | "scripts/install-pulumi-cli.sh" | "PATH";
}

function executable(p: string): boolean {
    try {
        fs.accessSync(p, fs.constants.X_OK);
        return fs.statSync(p).isFile();
    } catch {
        return false;
    }
}

/**
 * The Pulumi CLI the tests and the demo use: `$PULUMI_RESTORE_CLI` if set, else the one `npm run pulumi:install`
 * built into .pulumi-cli/bin, else `pulumi` on PATH. Undefined when there is none.
 */
export function findPulumi(): FoundCli | undefined {
    const forced = process.env.PULUMI_RESTORE_CLI;
    if (forced) {
        if (!executable(forced)) throw new Error(`PULUMI_RESTORE_CLI=${forced} is not an executable file`);
        return { path: forced, source: "PULUMI_RESTORE_CLI" };
    }
    const built = path.join(BUILT_CLI_DIR, "pulumi");
    if (executable(built)) return { path: built, source: "scripts/install-pulumi-cli.sh" };
    const r = spawnSync("which", ["pulumi"], { encoding: "utf8" });
    const p = r.status === 0 ? r.stdout.split(/\r?\n/)[0].trim() : "";
    return p ? { path: p, source: "PATH" } : undefined;
}

/** The message a suite prints when it skips for want of a CLI. */
export const NO_CLI_MESSAGE =
    "no Pulumi CLI found (.pulumi-cli/bin/pulumi, $PULUMI_RESTORE_CLI or `pulumi` on PATH): run `npm run pulumi:install` to build one";

/**
 * The CLI for a suite, or a skip with the reason. With PULUMI_RESTORE_REQUIRE_CLI=true (CI) a missing CLI fails the
 * suite instead, so that a CI run cannot pass with the engine suites pending.
 */
export function cliOrSkip(ctx: Mocha.Context): FoundCli {
    const found = findPulumi();
    if (found) return found;
    if (process.env.PULUMI_RESTORE_REQUIRE_CLI === "true")
        throw new Error(`PULUMI_RESTORE_REQUIRE_CLI=true, but ${NO_CLI_MESSAGE}`);
    console.log(`    (${NO_CLI_MESSAGE}: skipped)`);
    ctx.skip();
}

/** What one `pulumi` command did. */
export interface CliResult {
    code: number | null;
    signal?: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
}

/** A command's exit code and output, for assertion messages. */
export function describeResult(r: CliResult): string {
    return `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

/** Options of {@link CliStack}. */
export interface CliStackOptions {
    /** The project directory (Pulumi.yaml); default: the repository root (the quickstart). */
    cwd?: string;
    /** Echo the CLI's output as it comes (the demo). */
    echo?: boolean;
    /** A backend directory to share with other stacks (default: a new temporary one, removed by {@link remove}). */
    backendDir?: string;
    /** Extra environment. */
    env?: NodeJS.ProcessEnv;
}

/**
 * A stack of a project on a local file backend in a temporary directory, driven by the Pulumi CLI, offline: no update
 * check, no plugin downloads. The directory of the CLI comes first on PATH, so the engine finds the language host and
 * the dynamic-provider launcher next to it. The dynamic-provider host loads this checkout's TypeScript through ts-node.
 */
export class CliStack {
    readonly home: string;
    readonly env: NodeJS.ProcessEnv;
    readonly cwd: string;
    private readonly ownsHome: boolean;

    constructor(
        readonly pulumi: string,
        readonly stack: string,
        o: CliStackOptions = {},
    ) {
        this.cwd = o.cwd ?? REPO_ROOT;
        this.ownsHome = !o.backendDir;
        this.home = o.backendDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-restore-cli-"));
        this.echo = o.echo ?? false;
        this.env = {
            ...process.env,
            PATH: [path.dirname(pulumi), process.env.PATH].filter(Boolean).join(path.delimiter),
            PULUMI_BACKEND_URL: `file://${this.home}`,
            PULUMI_HOME: path.join(this.home, ".pulumi"),
            PULUMI_CONFIG_PASSPHRASE: "pulumi-restore-local-stack",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_NODEJS_TRANSPILE_ONLY: "true",
            ...sourceCheckoutEnv(),
            PULUMI_RESTORE_POLL_MIN_MS: EMULATOR_POLL_MIN_MS,
            ...o.env,
        };
    }
    private readonly echo: boolean;

    /** Starts `pulumi <args>` in its own process group (so that a test can kill it with everything it started). */
    start(args: string[], input?: string): { child: ChildProcess; done: Promise<CliResult> } {
        const child = spawn(this.pulumi, args, {
            cwd: this.cwd,
            env: this.env,
            stdio: ["pipe", "pipe", "pipe"],
            detached: true,
        });
        let stdout = "";
        let stderr = "";
        child.stdout!.on("data", (d: Buffer) => {
            stdout += d.toString();
            if (this.echo) process.stdout.write(d);
        });
        child.stderr!.on("data", (d: Buffer) => {
            stderr += d.toString();
            if (this.echo) process.stderr.write(d);
        });
        child.stdin!.on("error", () => undefined);
        child.stdin!.end(input ?? "");
        const done = new Promise<CliResult>((resolve, reject) => {
            child.on("error", reject);
            child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
        });
        return { child, done };
    }

    /** Runs `pulumi <args>`; `input` goes to stdin (config values, so secrets stay out of the process list). */
    run(args: string[], input?: string): Promise<CliResult> {
        return this.start(args, input).done;
    }

    /** Like {@link run}, but throws (with the command's output) when it exits non-zero. */
    async must(args: string[], input?: string): Promise<CliResult> {
        const r = await this.run(args, input);
        if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited with ${r.code}\n${r.stdout}\n${r.stderr}`);
        return r;
    }

    /** `pulumi stack init` and the given config (secret keys set with `--secret`). */
    async init(config: Record<string, string>, secretKeys: string[]): Promise<void> {
        await this.must(["stack", "init", this.stack, "--non-interactive"]);
        await this.setConfig(config, secretKeys);
    }

    /**
     * Sets the values: plaintext ones with one `pulumi config set-all` (each CLI start costs a second or more on a busy
     * machine), secret ones with `pulumi config set --secret` each, the value on stdin (out of the process list).
     */
    async setConfig(config: Record<string, string>, secretKeys: string[] = []): Promise<void> {
        const entries = Object.entries(config);
        const plain = entries.filter(([k]) => !secretKeys.includes(k));
        if (plain.length > 0)
            await this.must([
                "config",
                "set-all",
                "--stack",
                this.stack,
                ...plain.flatMap(([k, v]) => ["--plaintext", `${k}=${v}`]),
            ]);
        for (const [k, v] of entries.filter(([k]) => secretKeys.includes(k)))
            await this.must(["config", "set", "--stack", this.stack, "--secret", k], v);
    }

    /** `pulumi config rm`. */
    async rmConfig(...keys: string[]): Promise<void> {
        for (const k of keys) await this.must(["config", "rm", "--stack", this.stack, k]);
    }

    preview(...extra: string[]): Promise<CliResult> {
        return this.run(["preview", "--stack", this.stack, "--non-interactive", "--diff", ...extra]);
    }
    up(...extra: string[]): Promise<CliResult> {
        return this.run(["up", "--stack", this.stack, "--yes", "--skip-preview", "--non-interactive", ...extra]);
    }
    refresh(...extra: string[]): Promise<CliResult> {
        return this.run(["refresh", "--stack", this.stack, "--yes", "--skip-preview", "--non-interactive", ...extra]);
    }
    destroy(...extra: string[]): Promise<CliResult> {
        return this.run(["destroy", "--stack", this.stack, "--yes", "--skip-preview", "--non-interactive", ...extra]);
    }
    async outputs(): Promise<Record<string, unknown>> {
        return JSON.parse((await this.must(["stack", "output", "--stack", this.stack, "--json"])).stdout) as Record<
            string,
            unknown
        >;
    }
    async exportState(): Promise<string> {
        return (await this.must(["stack", "export", "--stack", this.stack])).stdout;
    }
    /** The checkpoint's resources (`pulumi stack export`), and pending operations. */
    async deployment(): Promise<Deployment> {
        const d = JSON.parse(await this.exportState()) as { deployment: Deployment };
        return { resources: d.deployment.resources ?? [], pending_operations: d.deployment.pending_operations ?? [] };
    }
    /** The URN of a resource of this stack by its name, from the checkpoint. */
    async urnOf(name: string): Promise<string | undefined> {
        return (await this.deployment()).resources.find((r) => r.urn.endsWith(`::${name}`))?.urn;
    }

    /** Removes the stack, its config file and (if this stack made it) the temporary backend. */
    async remove(): Promise<void> {
        await this.run(["stack", "rm", this.stack, "--yes", "--force", "--non-interactive"]);
        fs.rmSync(path.join(this.cwd, `Pulumi.${this.stack}.yaml`), { force: true });
        if (this.ownsHome) fs.rmSync(this.home, { recursive: true, force: true });
    }
}

/** One resource of a checkpoint, as `pulumi stack export` writes it. */
export interface CheckpointResource {
    urn: string;
    type: string;
    id?: string;
    custom?: boolean;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    protect?: boolean;
    retainOnDelete?: boolean;
    delete?: boolean;
    pendingReplacement?: boolean;
}

/** The parts of a checkpoint the tests read. */
export interface Deployment {
    resources: CheckpointResource[];
    pending_operations: { type: string; resource: CheckpointResource }[];
}
