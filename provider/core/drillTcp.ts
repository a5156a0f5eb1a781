import * as net from "net";

/**
 * Opens one TCP connection to `host:port` from the runner and closes it: the built-in reachability check of a drill
 * (a port that accepts a connection is a service that listens; nothing is sent).
 */
export function probeTcp(host: string, port: number, timeoutMs: number): Promise<{ ok: boolean; error?: string }> {
    return new Promise((resolve) => {
        const s = net.connect({ host, port });
        const finish = (r: { ok: boolean; error?: string }) => {
            s.destroy();
            resolve(r);
        };
        const seconds = Math.round(timeoutMs / 1000);
        s.setTimeout(timeoutMs, () => finish({ ok: false, error: `no connection within ${seconds}s` }));
        s.once("connect", () => finish({ ok: true }));
        s.once("error", (e: NodeJS.ErrnoException) => {
            finish({ ok: false, error: `connection failed (${e.code ?? e.message})` });
        });
    });
}
