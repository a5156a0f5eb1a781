/**
 * Serves the plugin with the provider server of `@pulumi/pulumi/provider` (`main`), which implements Pulumi's
 * ResourceProvider gRPC service: the handshake on stdout, GetPluginInfo, GetSchema, Check, Diff, Create, Read, Update,
 * Delete, and the error details that make the engine keep a partially created resource.
 *
 * That server (checked with @pulumi/pulumi 3.270) drops three things the engine sends, which this plugin needs:
 * Configure's arguments (it answers Configure without calling the provider), and the time-out the engine sends with
 * Create, Update and Delete (`customTimeouts`). So, while `main` registers its service, the service object is extended:
 * `configure` first hands the arguments to the plugin (a bad setting fails Configure), and `create`, `update` and
 * `delete` run inside a {@link requestScope} that carries the request's time-out. Everything else is the SDK's.
 */
import * as path from "path";
import { main } from "@pulumi/pulumi/provider";
import { setProgressSink } from "../provider/core/progress";
import { RestorePlugin, requestScope } from "./adapter";
import { PACKAGE } from "./config";
import { engineProgressSink } from "./engineLog";

/** A gRPC unary handler as @grpc/grpc-js calls it. */
type Request = Record<string, (...a: unknown[]) => unknown>;
type Handler = (call: { request: Request }, callback: (err: unknown, value?: unknown) => void) => unknown;

interface GrpcModule {
    Server: { prototype: { addService(service: unknown, impl: object): void } };
    status: { INVALID_ARGUMENT: number };
}

/** The @grpc/grpc-js and service definition that `@pulumi/pulumi` itself uses (the same module instances). */
function sdkModules(): { grpc: GrpcModule; service: unknown } {
    const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module instance @pulumi/pulumi itself loads, resolved from its directory
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdkDir] })) as GrpcModule;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the generated bindings, loaded when the plugin starts serving; typed by what it uses
    const bindings = require("@pulumi/pulumi/proto/provider_grpc_pb") as { ResourceProviderService: unknown };
    const service = bindings.ResourceProviderService;
    return { grpc, service };
}

/** Configure's arguments: `args` (a Struct), else the deprecated `variables` (`pulumi-restore:config:<name>`: text). */
export function configureArgs(request: Request): Record<string, unknown> {
    const args = request.getArgs?.() as { toJavaScript(): Record<string, unknown> } | undefined;
    if (args) return args.toJavaScript();
    const out: Record<string, unknown> = {};
    const vars = request.getVariablesMap?.() as { entries(): Iterable<[string, string]> } | undefined;
    for (const [k, v] of vars?.entries() ?? []) out[k.replace(`${PACKAGE}:config:`, "").replace(`${PACKAGE}:`, "")] = v;
    return out;
}

/**
 * The SDK's service object with configure, create, update and delete extended (see the module comment). The object
 * keeps the SDK's as its prototype, so every other method, and `this` inside them, stay the SDK's.
 */
export function extendService(
    sdk: Record<string, Handler>,
    plugin: RestorePlugin,
    invalidArgument: number,
): Record<string, Handler> {
    const ext = Object.create(sdk) as Record<string, Handler>;
    ext.configure = function (call, callback) {
        plugin.configure(configureArgs(call.request)).then(
            () => sdk.configure.call(this, call, callback),
            (e: Error) => callback({ code: invalidArgument, details: e.message, message: e.message }),
        );
    };
    for (const op of ["create", "update", "delete"] as const) {
        ext[op] = function (call, callback) {
            const t = Number(call.request.getTimeout?.() ?? 0);
            const scope = { timeoutSeconds: t > 0 ? t : undefined };
            return requestScope.run(scope, () => sdk[op].call(this, call, callback));
        };
    }
    return ext;
}

/**
 * The engine's address among the plugin's arguments, as the SDK's provider server reads it: the first argument that is
 * not one of the engine's logging or tracing flags.
 */
export function engineAddress(args: string[]): string | undefined {
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (a === "--logtostderr" || a.startsWith("-v=")) continue;
        if (a === "--tracing") {
            i++;
            continue;
        }
        return a;
    }
    return undefined;
}

/** Starts the plugin's gRPC server (prints its port on stdout for the engine) and serves until the engine stops it. */
export async function serve(plugin: RestorePlugin, args: string[]): Promise<void> {
    const { grpc, service } = sdkModules();
    const engine = engineAddress(args);
    if (engine) setProgressSink(engineProgressSink(engine, () => requestScope.getStore()?.urn));
    const proto = grpc.Server.prototype;
    const addService = proto.addService;
    let extended = false;
    // `main` creates its server and registers the service synchronously, before its first await: the override is in
    // place for exactly that call.
    proto.addService = function (this: unknown, svc: unknown, impl: object) {
        if (svc === service) {
            extended = true;
            const ext = extendService(impl as Record<string, Handler>, plugin, grpc.status.INVALID_ARGUMENT);
            return addService.call(this, svc, ext);
        }
        return addService.call(this, svc, impl);
    };
    let started: Promise<void>;
    try {
        started = main(plugin, args);
    } finally {
        proto.addService = addService;
    }
    if (!extended) {
        const why = "the @pulumi/pulumi provider server did not register its service as expected";
        throw new Error(`${why}; this plugin needs @pulumi/pulumi 3.x`);
    }
    await started;
}
