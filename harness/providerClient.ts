/**
 * A gRPC client of a Pulumi resource provider, speaking the ResourceProvider protocol as the engine does: the one
 * client behind {@link ProviderHost} (the dynamic-provider host of @pulumi/pulumi) and the provider plugin's test
 * driver (tests/support/pluginHost.ts). Properties go as Structs; secrets are wrapped by the caller where the engine
 * would wrap them. A test driver, not the engine: the CLI suites are the final word.
 */
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

// The generated classes of @pulumi/pulumi/proto, loaded the same way the hosts load them.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- @pulumi/pulumi's generated protobuf modules, used untyped in this harness
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports -- @pulumi/pulumi's generated protobuf modules, used untyped in this harness
const provproto = require("@pulumi/pulumi/proto/provider_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports -- @pulumi/pulumi's generated protobuf modules, used untyped in this harness
const statusproto = require("@pulumi/pulumi/proto/status_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports -- @pulumi/pulumi's generated protobuf modules, used untyped in this harness
const emptyproto = require("google-protobuf/google/protobuf/empty_pb");

type Props = Record<string, unknown>;

/**
 * A failure answered by the provider: its gRPC status, and `initFailed` for partial state (ErrorResourceInitFailed).
 * (Not named `code`: the lifecycle engine hands these errors to the program through its own gRPC server, which would
 * take a `code` for the status of its answer, and the SDK ignores an UNAVAILABLE answer as a shutdown.)
 */
export class ProviderError extends Error {
    constructor(
        message: string,
        readonly grpcStatus: number,
        readonly initFailed?: { id: string; properties: Props; reasons: string[] },
    ) {
        super(message);
        this.name = "ProviderError";
    }
}

function toProviderError(err: grpc.ServiceError): ProviderError {
    const bin = err.metadata?.get("grpc-status-details-bin")?.[0];
    if (bin) {
        try {
            const status = statusproto.Status.deserializeBinary(new Uint8Array(bin as Buffer));
            for (const any of status.getDetailsList()) {
                if (String(any.getTypeUrl()).endsWith("pulumirpc.ErrorResourceInitFailed")) {
                    const d = provproto.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
                    return new ProviderError(err.details || err.message, err.code, {
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
    return new ProviderError(err.details || err.message, err.code);
}

const struct = (p: Props) => Struct.fromJavaScript(p as never);

type Failures = { property: string; reason: string }[];
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an answer of the untyped generated classes
const failuresOf = (r: any): Failures =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a message of the untyped generated classes
    r.getFailuresList().map((f: any) => ({ property: f.getProperty(), reason: f.getReason() }));

/** The ResourceProvider calls, over one gRPC connection. `timeout` arguments are what the engine sends for customTimeouts (seconds). */
export class ProviderClient {
    /** Called just before each call is sent (method and urn); crash tests use it to kill a host at that moment. */
    onCall?: (method: string, urn: string) => void;
    private readonly client: Record<
        string,
        (req: unknown, cb: (e: grpc.ServiceError | null, r: unknown) => void) => void
    > &
        grpc.Client;

    /** @param address `host:port` the provider printed */
    protected constructor(address: string) {
        this.client = new provrpc.ResourceProviderClient(address, grpc.credentials.createInsecure());
    }

    private rpc<T>(method: string, req: unknown): Promise<T> {
        this.onCall?.(method, (req as { getUrn?: () => string }).getUrn?.() ?? "");
        return new Promise<T>((resolve, reject) => {
            this.client[method](req, (err, resp) => (err ? reject(toProviderError(err)) : resolve(resp as T)));
        });
    }

    /** Closes the connection. */
    protected closeClient(): void {
        this.client.close();
    }

    async pluginInfo(): Promise<{ version: string }> {
        const r = await this.rpc<{ getVersion(): string }>("getPluginInfo", new emptyproto.Empty());
        return { version: r.getVersion() };
    }

    async schema(): Promise<string> {
        const r = await this.rpc<{ getSchema(): string }>("getSchema", new provproto.GetSchemaRequest());
        return r.getSchema();
    }

    /** Configure with `args`; `acceptSecrets` says the caller takes secrets back wrapped (the engine says yes). */
    async configure(args: Props, o: { acceptSecrets?: boolean } = {}): Promise<void> {
        const req = new provproto.ConfigureRequest();
        req.setArgs(struct(args));
        if (o.acceptSecrets) req.setAcceptsecrets(true);
        await this.rpc("configure", req);
    }

    async check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: Failures }> {
        const req = new provproto.CheckRequest();
        req.setUrn(urn);
        req.setOlds(struct(olds));
        req.setNews(struct(news));
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an answer of the untyped generated classes
        const r = await this.rpc<any>("check", req);
        return { inputs: r.getInputs()?.toJavaScript() ?? {}, failures: failuresOf(r) };
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
        req.setOlds(struct(olds));
        req.setNews(struct(news));
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an answer of the untyped generated classes
        const r = await this.rpc<any>("diff", req);
        const c = r.getChanges();
        const kinds = provproto.DiffResponse.DiffChanges;
        const changes = c === kinds.DIFF_SOME ? "some" : c === kinds.DIFF_NONE ? "none" : "unknown";
        return { changes, replaces: r.getReplacesList(), deleteBeforeReplace: r.getDeletebeforereplace() };
    }

    async create(urn: string, props: Props, timeout = 0): Promise<{ id: string; properties: Props }> {
        const req = new provproto.CreateRequest();
        req.setUrn(urn);
        req.setProperties(struct(props));
        if (timeout) req.setTimeout(timeout);
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an answer of the untyped generated classes
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
        req.setProperties(struct(props));
        req.setInputs(struct(inputs));
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an answer of the untyped generated classes
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
        req.setOlds(struct(olds));
        req.setNews(struct(news));
        if (timeout) req.setTimeout(timeout);
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an answer of the untyped generated classes
        const r = await this.rpc<any>("update", req);
        return { properties: r.getProperties()?.toJavaScript() ?? {} };
    }

    async delete(id: string, urn: string, props: Props, timeout = 0): Promise<void> {
        const req = new provproto.DeleteRequest();
        req.setId(id);
        req.setUrn(urn);
        req.setProperties(struct(props));
        if (timeout) req.setTimeout(timeout);
        await this.rpc("delete", req);
    }

    /** Invoke as the engine sends a function call (`getBackups`, ...): the token and the arguments. */
    async invoke(tok: string, args: Props): Promise<{ outputs: Props; failures: Failures }> {
        const req = new provproto.InvokeRequest();
        req.setTok(tok);
        req.setArgs(struct(args));
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an answer of the untyped generated classes
        const r = await this.rpc<any>("invoke", req);
        return { outputs: r.getReturn()?.toJavaScript() ?? {}, failures: failuresOf(r) };
    }
}
