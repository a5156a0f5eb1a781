/**
 * Progress lines of the plugin, delivered to the engine's Log service with the URN of the resource being worked on.
 *
 * Why: the dynamic-provider host's stdout is shown by the engine, but a provider plugin's stdout is logged at debug
 * level only (seen with the CLI v3.274.1: `eventSink::Debug`), so `pulumi up` would show no progress for a two-hour
 * restore. Lines sent to the engine are shown as info under the resource itself.
 */
import * as path from "path";
import { ProgressSink } from "../provider/core/progress";

interface LogClient {
    log(req: unknown, cb: (err: Error | null) => void): void;
}

/** Sends progress lines to the engine at `address`, one after the other; falls back to stderr if it cannot. */
export function engineProgressSink(address: string, urnOf: () => string | undefined): ProgressSink {
    const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    // The gRPC module and engine bindings that @pulumi/pulumi itself uses.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module instance @pulumi/pulumi itself loads, resolved from its directory
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdkDir] })) as {
        credentials: { createInsecure(): unknown };
    };
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the generated bindings, loaded only when progress goes to the engine; typed by what is used
    const rpc = require("@pulumi/pulumi/proto/engine_grpc_pb") as {
        EngineClient: new (addr: string, creds: unknown) => LogClient;
    };
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the generated bindings, loaded only when progress goes to the engine; typed by what is used
    const pb = require("@pulumi/pulumi/proto/engine_pb") as {
        LogRequest: new () => { setSeverity(s: number): void; setMessage(m: string): void; setUrn(u: string): void };
        LogSeverity: { INFO: number };
    };
    const client = new rpc.EngineClient(address, grpc.credentials.createInsecure());
    let last: Promise<void> = Promise.resolve();
    return (line: string) => {
        const urn = urnOf() ?? "";
        last = last.then(
            () =>
                new Promise<void>((resolve) => {
                    const req = new pb.LogRequest();
                    req.setSeverity(pb.LogSeverity.INFO);
                    req.setMessage(line);
                    req.setUrn(urn);
                    client.log(req, (err) => {
                        if (err) process.stderr.write(`${line}\n`);
                        resolve();
                    });
                }),
        );
    };
}
