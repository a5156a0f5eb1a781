/**
 * Drives the real dynamic-provider host that ships in @pulumi/pulumi (`cmd/dynamic-provider`) over gRPC, the way the
 * Pulumi engine does. This is a test driver of that host process, not the Pulumi engine.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { ProviderClient, ProviderError } from "./providerClient";

/** A failure answered by the host. `initFailed` is set for partial state (ErrorResourceInitFailed). */
export { ProviderError as HostError };

/** The emulator finishes restores in about a second: hosts poll at 250 ms at the least, not the 2 s floor. */
export const EMULATOR_POLL_MIN_MS = "250";

/**
 * Environment that lets a dynamic-provider host load this checkout's provider modules (.ts files) through ts-node.
 * ts-node is resolved here, not from the host's working directory: a host started in another directory (an installed
 * package's program, or a Pulumi CLI project) has no ts-node of its own. The preload (scripts/register-ts.js) leaves
 * out a policy pack's process, which registers ts-node itself.
 */
export function sourceCheckoutEnv(): NodeJS.ProcessEnv {
    return {
        NODE_OPTIONS: [
            process.env.NODE_OPTIONS,
            `--require ${JSON.stringify(path.join(__dirname, "..", "scripts", "register-ts.js"))}`,
        ]
            .filter(Boolean)
            .join(" "),
        TS_NODE_TRANSPILE_ONLY: "true",
    };
}

/** Options of {@link ProviderHost.start}. */
export interface HostOptions {
    /** Working directory: the provider's runtime `require`s resolve from here (default: this repository). */
    cwd?: string;
    /** Extra environment for the host (credentials from the environment, for instance). */
    env?: NodeJS.ProcessEnv;
    project?: string;
    stack?: string;
    /** Called with each line the host prints after its port (the providers' progress lines), as it arrives. */
    onStdout?: (line: string) => void;
}

/** One running dynamic-provider host process and a gRPC client to it. */
export class ProviderHost extends ProviderClient {
    readonly stdout: string[] = [];
    readonly stderr: string[] = [];
    private exited = false;
    /** Set when {@link kill} sent the signal, before the process's exit is reported (see {@link alive}). */
    private killed = false;

    private constructor(
        readonly proc: ChildProcess,
        address: string,
    ) {
        super(address);
        proc.on("exit", () => (this.exited = true));
    }

    /** Starts the host, waits for the port it prints on its first stdout line, and connects. */
    static async start(o: HostOptions = {}): Promise<ProviderHost> {
        const entry = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
        const cwd = o.cwd ?? path.resolve(__dirname, "..");
        const proc = spawn(process.execPath, [entry, "127.0.0.1:0"], {
            cwd,
            env: {
                PULUMI_RESTORE_POLL_MIN_MS: EMULATOR_POLL_MIN_MS,
                ...process.env,
                ...o.env,
                ...sourceCheckoutEnv(),
                PULUMI_NODEJS_PROJECT: o.project ?? "pulumi-restore-test",
                PULUMI_NODEJS_STACK: o.stack ?? "test",
            },
            stdio: ["ignore", "pipe", "pipe"],
        });
        const lines: string[] = [];
        const errs: string[] = [];
        const port = await new Promise<number>((resolve, reject) => {
            let buf = "";
            const timer = setTimeout(
                () => reject(new Error(`dynamic-provider host did not print its port: ${errs.join("")}`)),
                30_000,
            );
            proc.stdout!.on("data", (d: Buffer) => {
                buf += d.toString();
                const nl = buf.indexOf("\n");
                if (nl >= 0 && lines.length === 0) {
                    clearTimeout(timer);
                    lines.push(buf.slice(0, nl));
                    resolve(Number(buf.slice(0, nl).trim()));
                }
            });
            proc.stderr!.on("data", (d: Buffer) => errs.push(d.toString()));
            proc.on("exit", (code) => reject(new Error(`dynamic-provider host exited with ${code}: ${errs.join("")}`)));
        });
        const host = new ProviderHost(proc, `127.0.0.1:${port}`);
        proc.stdout!.removeAllListeners("data");
        proc.stderr!.removeAllListeners("data");
        let pending = "";
        proc.stdout!.on("data", (d: Buffer) => {
            pending += d.toString();
            const parts = pending.split("\n");
            pending = parts.pop() ?? "";
            host.stdout.push(...parts);
            if (o.onStdout) for (const p of parts) o.onStdout(p);
        });
        proc.stderr!.on("data", (d: Buffer) => host.stderr.push(d.toString()));
        host.stderr.push(...errs);
        return host;
    }

    /**
     * False from the moment {@link kill} is called. Node reports a child's exit only when it gets to SIGCHLD, which on a
     * loaded machine can come after the gRPC call the kill broke has already failed and the next `up` has begun: a host
     * still counted alive then would be reused, and its next call would fail with ECONNREFUSED on the dead port.
     */
    get alive(): boolean {
        return !this.exited && !this.killed;
    }

    /** Resolves once the process has ended (a killed host's exit may be reported later than the kill). */
    async ended(): Promise<void> {
        if (this.exited) return;
        await new Promise<void>((resolve) => this.proc.once("exit", () => resolve()));
    }

    /** Configure: the whole stack config, keys namespaced (`alicloud:region`), secrets as plain values. */
    override async configure(config: Record<string, string>): Promise<void> {
        await super.configure(config);
    }

    /** Kills the host without warning (a crash). */
    kill(signal: NodeJS.Signals = "SIGKILL"): void {
        if (this.exited) return;
        this.killed = true;
        this.proc.kill(signal);
    }

    /** Closes the client and stops the host. */
    async stop(): Promise<void> {
        this.closeClient();
        if (this.exited) return;
        await new Promise<void>((resolve) => {
            this.proc.once("exit", () => resolve());
            this.proc.kill("SIGTERM");
        });
    }
}
