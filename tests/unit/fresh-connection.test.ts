import { strict as assert } from "assert";
import * as net from "net";
import { ApiCaller, AxiosTransport } from "../../provider/core/http";
import { CloudError } from "../../provider/core/errors";

/**
 * A server that plays the keep-alive race: it answers the first request on each connection (keeping the connection
 * open), and resets the connection when a second request arrives on it, as a server does that closed an idle
 * kept-alive connection just as the client wrote on it. It records, per request, its path and whether it was the
 * first on its connection.
 */
async function racingServer(): Promise<{
    url: string;
    seen: { path: string; first: boolean }[];
    close(): Promise<void>;
}> {
    const seen: { path: string; first: boolean }[] = [];
    const sockets = new Set<net.Socket>();
    const server = net.createServer((sock) => {
        sockets.add(sock);
        sock.on("close", () => sockets.delete(sock));
        let served = 0;
        let buf = "";
        sock.on("data", (d) => {
            buf += d.toString("latin1");
            for (;;) {
                const end = buf.indexOf("\r\n\r\n");
                if (end < 0) return;
                const head = buf.slice(0, end);
                const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
                if (buf.length < end + 4 + length) return;
                buf = buf.slice(end + 4 + length);
                const path = head.split(" ")[1];
                seen.push({ path, first: served === 0 });
                if (served++ > 0) {
                    sock.resetAndDestroy();
                    return;
                }
                const body = JSON.stringify({ ok: path });
                sock.write(
                    `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: keep-alive\r\n\r\n${body}`,
                );
            }
        });
        sock.on("error", () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as net.AddressInfo).port;
    return {
        url: `http://127.0.0.1:${port}`,
        seen,
        close: () =>
            new Promise<void>((r) => {
                for (const s of sockets) s.destroy();
                server.close(() => r());
            }),
    };
}

describe("calls that must not be repeated go on a connection of their own", function () {
    this.timeout(20_000);

    it("a create after a read to the same host is the first request on a new connection, so a server closing the kept-alive one cannot make its outcome unknown", async () => {
        const srv = await racingServer();
        try {
            const caller = new ApiCaller({ transport: new AxiosTransport() });
            const spec = (path: string, idempotent: boolean) => ({
                cloud: "test",
                action: path,
                build: () => ({ method: "POST" as const, url: `${srv.url}/${path}`, headers: {}, body: "{}" }),
                parse: (res: { status: number; body: string }) => JSON.parse(res.body) as { ok: string },
                idempotent,
            });
            assert.deepEqual(await caller.call(spec("read", true)), { ok: "/read" });
            assert.deepEqual(await caller.call(spec("create", false)), { ok: "/create" });
            const create = srv.seen.filter((s) => s.path === "/create");
            assert.deepEqual(create, [{ path: "/create", first: true }], JSON.stringify(srv.seen));

            // A read reuses the kept-alive connection: the server resets it, and the read is repeated (idempotent).
            assert.deepEqual(await caller.call(spec("read-again", true)), { ok: "/read-again" });
            const again = srv.seen.filter((s) => s.path === "/read-again");
            assert.ok(again.length >= 1 && again[again.length - 1].first, JSON.stringify(srv.seen));
        } finally {
            await srv.close();
        }
    });

    it("without it, the same create on the kept-alive connection fails with an outcome the caller cannot know", async () => {
        // The check above can fail: a create sent on the kept-alive connection is reset, and is not repeated.
        const srv = await racingServer();
        try {
            const caller = new ApiCaller({ transport: new AxiosTransport() });
            const build = (path: string, freshConnection: boolean) => () => ({
                method: "POST" as const,
                url: `${srv.url}/${path}`,
                headers: {},
                body: "{}",
                freshConnection,
            });
            const parse = (res: { body: string }) => JSON.parse(res.body) as { ok: string };
            await caller.call({ cloud: "test", action: "read", build: build("read", false), parse, idempotent: true });
            await assert.rejects(
                caller.call({
                    cloud: "test",
                    action: "create",
                    build: build("create", false),
                    parse,
                    idempotent: false,
                }),
                (e: unknown) => e instanceof CloudError && e.code === "NetworkError",
            );
            assert.deepEqual(
                srv.seen.filter((s) => s.path === "/create"),
                [{ path: "/create", first: false }],
            );
        } finally {
            await srv.close();
        }
    });
});
