/**
 * Drives the real dynamic-provider host that ships in @pulumi/pulumi (`cmd/dynamic-provider`) over gRPC, the way the
 * Pulumi engine does. This is a test driver of that host process, not the Pulumi engine.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

// The generated classes of @pulumi/pulumi/proto, loaded the same way the host loads them.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const provproto = require("@pulumi/pulumi/proto/provider_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const statusproto = require("@pulumi/pulumi/proto/status_pb");

type Props = Record<string, unknown>;

/** A failure answered by the host. `initFailed` is set for partial state (ErrorResourceInitFailed). */
export class HostError extends Error {
    constructor(
        message: string,
        readonly initFailed?: { id: string; properties: Props; reasons: string[] },
    ) {
        super(message);
        this.name = "HostError";
    }
}

/** Options of {@link ProviderHost.start}. */
/** The emulator finishes restores in about a second: hosts poll at 250 ms at the least, not the 2 s floor. */
export const EMULATOR_POLL_MIN_MS = "250";

/**
 * Environment that lets a dynamic-provider host load this checkout's provider modules (.ts files) through ts-node.
 * ts-node is resolved here, not from the host's working directory: a host started in another directory (an installed
 * package's program, or a Pulumi CLI project) has no ts-node of its own.
 */
export function sourceCheckoutEnv(): NodeJS.ProcessEnv {
    return {
        NODE_OPTIONS: [
            process.env.NODE_OPTIONS,
            `--require ${JSON.stringify(require.resolve("ts-node/register/transpile-only"))}`,
        ]
            .filter(Boolean)
            .join(" "),
        TS_NODE_TRANSPILE_ONLY: "true",
    };
}

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
export class ProviderHost {
    readonly stdout: string[] = [];
    readonly stderr: string[] = [];
    private exited = false;
    /** Called just before each gRPC call is sent (method and urn); crash tests use it to kill the host at that moment. */
    onCall?: (method: string, urn: string) => void;

    private constructor(
        readonly proc: ChildProcess,
        private readonly client: any,
    ) {
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
        const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        const host = new ProviderHost(proc, client);
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

    get alive(): boolean {
        return !this.exited;
    }

    private rpc<T>(method: string, req: unknown): Promise<T> {
        this.onCall?.(method, (req as { getUrn?: () => string }).getUrn?.() ?? "");
        return new Promise<T>((resolve, reject) => {
            this.client[method](req, (err: grpc.ServiceError | null, resp: T) => {
                if (err) reject(toHostError(err));
                else resolve(resp);
            });
        });
    }

    /** Configure: the whole stack config, keys namespaced (`alicloud:region`), secrets as plain values. */
    async configure(config: Record<string, string>): Promise<void> {
        const req = new provproto.ConfigureRequest();
        req.setArgs(Struct.fromJavaScript(config as any));
        await this.rpc("configure", req);
    }

    async check(
        urn: string,
        olds: Props,
        news: Props,
    ): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
        const req = new provproto.CheckRequest();
        req.setUrn(urn);
        req.setOlds(Struct.fromJavaScript(olds as any));
        req.setNews(Struct.fromJavaScript(news as any));
        const resp = await this.rpc<any>("check", req);
        return {
            inputs: resp.getInputs()?.toJavaScript() ?? {},
            failures: resp.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    }

    async diff(
        id: string,
        urn: string,
        olds: Props,
        news: Props,
    ): Promise<{ changes: "none" | "some" | "unknown"; replaces: string[]; deleteBeforeReplace: boolean }> {
        const req = new provproto.DiffRequest();
        req.setId(id);
        req.setUrn(urn);
        req.setOlds(Struct.fromJavaScript(olds as any));
        req.setNews(Struct.fromJavaScript(news as any));
        const resp = await this.rpc<any>("diff", req);
        const c = resp.getChanges();
        const changes =
            c === provproto.DiffResponse.DiffChanges.DIFF_SOME
                ? "some"
                : c === provproto.DiffResponse.DiffChanges.DIFF_NONE
                  ? "none"
                  : "unknown";
        return { changes, replaces: resp.getReplacesList(), deleteBeforeReplace: resp.getDeletebeforereplace() };
    }

    async create(urn: string, props: Props): Promise<{ id: string; properties: Props }> {
        const req = new provproto.CreateRequest();
        req.setUrn(urn);
        req.setProperties(Struct.fromJavaScript(props as any));
        const resp = await this.rpc<any>("create", req);
        return { id: resp.getId(), properties: resp.getProperties()?.toJavaScript() ?? {} };
    }

    async read(
        id: string,
        urn: string,
        props: Props,
        inputs: Props,
    ): Promise<{ id: string; properties: Props; inputs?: Props }> {
        const req = new provproto.ReadRequest();
        req.setId(id);
        req.setUrn(urn);
        req.setProperties(Struct.fromJavaScript(props as any));
        req.setInputs(Struct.fromJavaScript(inputs as any));
        const resp = await this.rpc<any>("read", req);
        return {
            id: resp.getId(),
            properties: resp.getProperties()?.toJavaScript() ?? {},
            inputs: resp.getInputs()?.toJavaScript(),
        };
    }

    async update(id: string, urn: string, olds: Props, news: Props): Promise<{ properties: Props }> {
        const req = new provproto.UpdateRequest();
        req.setId(id);
        req.setUrn(urn);
        req.setOlds(Struct.fromJavaScript(olds as any));
        req.setNews(Struct.fromJavaScript(news as any));
        const resp = await this.rpc<any>("update", req);
        return { properties: resp.getProperties()?.toJavaScript() ?? {} };
    }

    async delete(id: string, urn: string, props: Props): Promise<void> {
        const req = new provproto.DeleteRequest();
        req.setId(id);
        req.setUrn(urn);
        req.setProperties(Struct.fromJavaScript(props as any));
        await this.rpc("delete", req);
    }

    /** Kills the host without warning (a crash). */
    kill(signal: NodeJS.Signals = "SIGKILL"): void {
        if (!this.exited) this.proc.kill(signal);
    }

    /** Closes the client and stops the host. */
    async stop(): Promise<void> {
        this.client.close();
        if (this.exited) return;
        await new Promise<void>((resolve) => {
            this.proc.once("exit", () => resolve());
            this.proc.kill("SIGTERM");
        });
    }
}

function toHostError(err: grpc.ServiceError): HostError {
    const bin = err.metadata?.get("grpc-status-details-bin")?.[0];
    if (bin) {
        try {
            const status = statusproto.Status.deserializeBinary(new Uint8Array(bin as Buffer));
            for (const any of status.getDetailsList()) {
                if (String(any.getTypeUrl()).endsWith("pulumirpc.ErrorResourceInitFailed")) {
                    const d = provproto.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
                    return new HostError(err.details || err.message, {
                        id: d.getId(),
                        properties: d.getProperties()?.toJavaScript() ?? {},
                        reasons: d.getReasonsList(),
                    });
                }
            }
        } catch {
            /* fall through to a plain error */
        }
    }
    return new HostError(err.details || err.message);
}
