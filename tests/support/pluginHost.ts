/**
 * Starts the provider plugin (plugin/) the way the Node.js language host's RunPlugin does (`node
 * @pulumi/pulumi/cmd/run-plugin <plugin dir> [engine address]`) and speaks to it over gRPC as the engine does, with
 * what the engine adds to requests (secrets wrapped, time-outs). A test driver, not the engine: the CLI suites
 * (tests/cli/plugin-yaml.test.ts) are the final word.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EMULATOR_POLL_MIN_MS } from "../../harness/host";
import { ProviderClient, ProviderError } from "../../harness/providerClient";

type Props = Record<string, unknown>;

/** The plugin directory of this checkout. */
export const PLUGIN_DIR = path.resolve(__dirname, "..", "..", "plugin");

/** An error answered by the plugin; `initFailed` is set for partial state (ErrorResourceInitFailed). */
export { ProviderError as PluginError };

/** The plugin process and a gRPC client of it. */
export class PluginHost extends ProviderClient {
    readonly output: string[] = [];
    private constructor(
        private readonly proc: ChildProcess,
        address: string,
        private readonly cwd: string,
    ) {
        super(address);
    }

    /** Starts the plugin in a temporary working directory (as the engine starts it in the project's). */
    static async start(env: NodeJS.ProcessEnv = {}): Promise<PluginHost> {
        const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-restore-plugin-"));
        const runPlugin = require.resolve("@pulumi/pulumi/cmd/run-plugin");
        const proc = spawn(process.execPath, [runPlugin, PLUGIN_DIR], {
            cwd,
            env: { ...process.env, PULUMI_RESTORE_POLL_MIN_MS: EMULATOR_POLL_MIN_MS, ...env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        const output: string[] = [];
        const port = await new Promise<number>((resolve, reject) => {
            let buf = "";
            const timer = setTimeout(
                () => reject(new Error(`the plugin printed no port within 60 s: ${output.join("")}`)),
                60_000,
            );
            proc.stdout!.on("data", (d: Buffer) => {
                buf += d.toString();
                output.push(d.toString());
                const m = /^(\d+)\n/.exec(buf);
                if (m) {
                    clearTimeout(timer);
                    resolve(Number(m[1]));
                }
            });
            proc.stderr!.on("data", (d: Buffer) => output.push(d.toString()));
            proc.on("exit", (code) => reject(new Error(`the plugin exited with ${code}: ${output.join("")}`)));
        });
        const host = new PluginHost(proc, `127.0.0.1:${port}`, cwd);
        host.output.push(...output);
        proc.stdout!.on("data", (d: Buffer) => host.output.push(d.toString()));
        proc.stderr!.on("data", (d: Buffer) => host.output.push(d.toString()));
        return host;
    }

    /** Configure as the engine sends it: the provider's inputs as `args` (secrets wrapped by the caller). */
    override async configure(args: Props): Promise<void> {
        await super.configure(args, { acceptSecrets: true });
    }

    /** Whether the plugin process is still running. */
    get alive(): boolean {
        return this.proc.exitCode === null && this.proc.signalCode === null;
    }

    /** The plugin's process id. */
    get pid(): number | undefined {
        return this.proc.pid;
    }

    /**
     * Kills the plugin at once (SIGKILL: no handler runs, as when the machine or the engine dies). Synchronous, so a
     * test can call it from an emulator hook at the exact moment it chooses; {@link exited} waits for the end.
     */
    kill(): void {
        if (this.alive) this.proc.kill("SIGKILL");
    }

    /** Resolves once the plugin process has ended. */
    async exited(): Promise<void> {
        if (!this.alive) return;
        await new Promise((r) => this.proc.once("exit", r));
    }

    /** Stops the plugin and removes its working directory. */
    async stop(): Promise<void> {
        this.closeClient();
        if (this.alive) {
            const exited = new Promise((r) => this.proc.once("exit", r));
            this.proc.kill("SIGTERM");
            await exited;
        }
        fs.rmSync(this.cwd, { recursive: true, force: true });
    }
}
