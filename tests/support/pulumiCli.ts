import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EMULATOR_POLL_MIN_MS, sourceCheckoutEnv } from "../harness/host";

/** The repository root: Pulumi.yaml there is the quickstart project. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** The `pulumi` binary on PATH, if any. */
export function pulumiOnPath(): string | undefined {
    const r = spawnSync(process.platform === "win32" ? "where" : "which", ["pulumi"], { encoding: "utf8" });
    const p = r.status === 0 ? r.stdout.split(/\r?\n/)[0].trim() : "";
    return p || undefined;
}

/** What one `pulumi` command did. */
export interface CliResult {
    code: number;
    stdout: string;
    stderr: string;
}

/**
 * A stack of the project in `cwd` on a local file backend in a temporary directory, driven by the Pulumi CLI. The
 * dynamic-provider host loads this package's TypeScript provider modules through ts-node.
 */
export class CliStack {
    readonly home: string;
    readonly env: NodeJS.ProcessEnv;

    constructor(readonly pulumi: string, readonly stack: string, readonly cwd = REPO_ROOT, private readonly echo = false) {
        this.home = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-restore-cli-"));
        this.env = {
            ...process.env,
            PULUMI_BACKEND_URL: `file://${this.home}`,
            PULUMI_HOME: path.join(this.home, ".pulumi"),
            PULUMI_CONFIG_PASSPHRASE: "pulumi-restore-local-stack",
            PULUMI_SKIP_UPDATE_CHECK: "true",
            ...sourceCheckoutEnv(),
            PULUMI_RESTORE_POLL_MIN_MS: EMULATOR_POLL_MIN_MS,
        };
    }

    /** Runs `pulumi <args>`; `input` goes to stdin (config values, so secrets stay out of the process list). */
    run(args: string[], input?: string): Promise<CliResult> {
        return new Promise((resolve, reject) => {
            const p = spawn(this.pulumi, args, { cwd: this.cwd, env: this.env, stdio: ["pipe", "pipe", "pipe"] });
            let stdout = "";
            let stderr = "";
            p.stdout!.on("data", (d: Buffer) => {
                stdout += d.toString();
                if (this.echo) process.stdout.write(d);
            });
            p.stderr!.on("data", (d: Buffer) => {
                stderr += d.toString();
                if (this.echo) process.stderr.write(d);
            });
            p.stdin!.end(input ?? "");
            p.on("error", reject);
            p.on("exit", (code) => resolve({ code: code ?? 1, stdout, stderr }));
        });
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
        for (const [k, v] of Object.entries(config)) {
            await this.must(["config", "set", "--stack", this.stack, secretKeys.includes(k) ? "--secret" : "--plaintext", k], v);
        }
    }

    preview(): Promise<CliResult> {
        return this.run(["preview", "--stack", this.stack, "--non-interactive", "--diff"]);
    }
    up(): Promise<CliResult> {
        return this.run(["up", "--stack", this.stack, "--yes", "--skip-preview", "--non-interactive"]);
    }
    refresh(): Promise<CliResult> {
        return this.run(["refresh", "--stack", this.stack, "--yes", "--skip-preview", "--non-interactive"]);
    }
    destroy(): Promise<CliResult> {
        return this.run(["destroy", "--stack", this.stack, "--yes", "--skip-preview", "--non-interactive"]);
    }
    async outputs(): Promise<Record<string, unknown>> {
        return JSON.parse((await this.must(["stack", "output", "--stack", this.stack, "--json"])).stdout) as Record<string, unknown>;
    }
    async exportState(): Promise<string> {
        return (await this.must(["stack", "export", "--stack", this.stack])).stdout;
    }

    /** Removes the stack, its config file and the temporary backend. */
    async remove(): Promise<void> {
        await this.run(["stack", "rm", this.stack, "--yes", "--force", "--non-interactive"]);
        fs.rmSync(path.join(this.cwd, `Pulumi.${this.stack}.yaml`), { force: true });
        fs.rmSync(this.home, { recursive: true, force: true });
    }
}
