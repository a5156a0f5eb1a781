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
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { EMULATOR_POLL_MIN_MS } from "../../harness/host";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const provproto = require("@pulumi/pulumi/proto/provider_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const statusproto = require("@pulumi/pulumi/proto/status_pb");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const emptyproto = require("google-protobuf/google/protobuf/empty_pb");

type Props = Record<string, unknown>;

/** The plugin directory of this checkout. */
export const PLUGIN_DIR = path.resolve(__dirname, "..", "..", "plugin");

/** An error answered by the plugin; `initFailed` is set for partial state (ErrorResourceInitFailed). */
export class PluginError extends Error {
    constructor(
        message: string,
        readonly code: number,
        readonly initFailed?: { id: string; properties: Props; reasons: string[] },
    ) {
        super(message);
        this.name = "PluginError";
    }
}

function toPluginError(err: grpc.ServiceError): PluginError {
    const bin = err.metadata?.get("grpc-status-details-bin")?.[0];
    if (bin) {
        const status = statusproto.Status.deserializeBinary(new Uint8Array(bin as Buffer));
        for (const any of status.getDetailsList()) {
            if (String(any.getTypeUrl()).endsWith("pulumirpc.ErrorResourceInitFailed")) {
                const d = provproto.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
                return new PluginError(err.details || err.message, err.code, {
                    id: d.getId(),
                    properties: d.getProperties()?.toJavaScript() ?? {},
                    reasons: d.getReasonsList(),
                });
            }
        }
    }
    return new PluginError(err.details || err.message, err.code);
}

/** The plugin process and a gRPC client of it. */
export class PluginHost {
    readonly output: string[] = [];
    private constructor(
        private readonly proc: ChildProcess,
        private readonly client: Record<
            string,
            (req: unknown, cb: (e: grpc.ServiceError | null, r: unknown) => void) => void
        > &
            grpc.Client,
        private readonly cwd: string,
    ) {}

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
        const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        const host = new PluginHost(proc, client, cwd);
        host.output.push(...output);
        proc.stdout!.on("data", (d: Buffer) => host.output.push(d.toString()));
        proc.stderr!.on("data", (d: Buffer) => host.output.push(d.toString()));
        return host;
    }

    private rpc<T>(method: string, req: unknown): Promise<T> {
        return new Promise<T>((resolve, reject) => {
            this.client[method](req, (err, resp) => (err ? reject(toPluginError(err)) : resolve(resp as T)));
        });
    }

    async pluginInfo(): Promise<{ version: string }> {
        const r = await this.rpc<{ getVersion(): string }>("getPluginInfo", new emptyproto.Empty());
        return { version: r.getVersion() };
    }

    async schema(): Promise<string> {
        const req = new provproto.GetSchemaRequest();
        const r = await this.rpc<{ getSchema(): string }>("getSchema", req);
        return r.getSchema();
    }

    /** Configure as the engine sends it: the provider's inputs as `args` (secrets wrapped by the caller). */
    async configure(args: Props): Promise<void> {
        const req = new provproto.ConfigureRequest();
        req.setArgs(Struct.fromJavaScript(args as never));
        req.setAcceptsecrets(true);
        await this.rpc("configure", req);
    }

    async check(
        urn: string,
        olds: Props,
        news: Props,
    ): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
        const req = new provproto.CheckRequest();
        req.setUrn(urn);
        req.setOlds(Struct.fromJavaScript(olds as never));
        req.setNews(Struct.fromJavaScript(news as never));
        const r = await this.rpc<any>("check", req);
        return {
            inputs: r.getInputs()?.toJavaScript() ?? {},
            failures: r.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    }

    async diff(
        id: string,
        urn: string,
        olds: Props,
        news: Props,
    ): Promise<{ changes: number; replaces: string[]; deleteBeforeReplace: boolean }> {
        const req = new provproto.DiffRequest();
        req.setId(id);
        req.setUrn(urn);
        req.setOlds(Struct.fromJavaScript(olds as never));
        req.setNews(Struct.fromJavaScript(news as never));
        const r = await this.rpc<any>("diff", req);
        return {
            changes: r.getChanges(),
            replaces: r.getReplacesList(),
            deleteBeforeReplace: r.getDeletebeforereplace(),
        };
    }

    /** Create; `timeout` is what the engine sends for `customTimeouts.create` (seconds). */
    async create(urn: string, props: Props, timeout = 0): Promise<{ id: string; properties: Props }> {
        const req = new provproto.CreateRequest();
        req.setUrn(urn);
        req.setProperties(Struct.fromJavaScript(props as never));
        req.setTimeout(timeout);
        const r = await this.rpc<any>("create", req);
        return { id: r.getId(), properties: r.getProperties()?.toJavaScript() ?? {} };
    }

    /** Read; empty `props` is what `pulumi import` sends. */
    async read(
        id: string,
        urn: string,
        props: Props = {},
        inputs: Props = {},
    ): Promise<{ id: string; properties: Props; inputs?: Props }> {
        const req = new provproto.ReadRequest();
        req.setId(id);
        req.setUrn(urn);
        req.setProperties(Struct.fromJavaScript(props as never));
        req.setInputs(Struct.fromJavaScript(inputs as never));
        const r = await this.rpc<any>("read", req);
        return {
            id: r.getId(),
            properties: r.getProperties()?.toJavaScript() ?? {},
            inputs: r.getInputs()?.toJavaScript(),
        };
    }

    async update(id: string, urn: string, olds: Props, news: Props, timeout = 0): Promise<{ properties: Props }> {
        const req = new provproto.UpdateRequest();
        req.setId(id);
        req.setUrn(urn);
        req.setOlds(Struct.fromJavaScript(olds as never));
        req.setNews(Struct.fromJavaScript(news as never));
        req.setTimeout(timeout);
        const r = await this.rpc<any>("update", req);
        return { properties: r.getProperties()?.toJavaScript() ?? {} };
    }

    async delete(id: string, urn: string, props: Props, timeout = 0): Promise<void> {
        const req = new provproto.DeleteRequest();
        req.setId(id);
        req.setUrn(urn);
        req.setProperties(Struct.fromJavaScript(props as never));
        req.setTimeout(timeout);
        await this.rpc("delete", req);
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
    /** Invoke as the engine sends a function call (`getBackups`, ...): the token and the arguments. */
    async invoke(
        tok: string,
        args: Props,
    ): Promise<{ outputs: Props; failures: { property: string; reason: string }[] }> {
        const req = new provproto.InvokeRequest();
        req.setTok(tok);
        req.setArgs(Struct.fromJavaScript(args as never));
        const r = await this.rpc<any>("invoke", req);
        return {
            outputs: r.getReturn()?.toJavaScript() ?? {},
            failures: r.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
        };
    }

    async stop(): Promise<void> {
        this.client.close();
        if (this.alive) {
            const exited = new Promise((r) => this.proc.once("exit", r));
            this.proc.kill("SIGTERM");
            await exited;
        }
        fs.rmSync(this.cwd, { recursive: true, force: true });
    }
}
