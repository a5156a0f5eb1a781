import * as net from "net";

/** One HTTP/1.1 message as its bytes arrived: start line, header lines in order (names as sent), body. */
export interface RawMessage {
    /** `POST /path?q HTTP/1.1` for a request, `HTTP/1.1 200 OK` for an answer. */
    startLine: string;
    /** Header lines in order, names spelled as sent; duplicates kept. */
    headerLines: [string, string][];
    body: string;
    /** Clock time when its first byte arrived. */
    at: number;
    /** Arrival order of its first byte among every chunk the relay saw, on any connection. */
    seq: number;
}

/** A request with the answer that followed it on the same connection. */
export interface TappedExchange {
    request: RawMessage;
    method: string;
    /** The request target exactly as sent. */
    target: string;
    /** Headers by lower-cased name (first value); see `request.headerLines` for duplicates. */
    headers: Record<string, string>;
    response?: RawMessage;
    status?: number;
}

interface Chunk {
    at: number;
    /** Arrival order across all connections (the clock may be virtual, and stand still). */
    seq: number;
    data: Buffer;
}

interface Conn {
    up: Chunk[];
    down: Chunk[];
}

/**
 * A plain TCP relay in front of an emulator that keeps every byte a client sends (and every byte of the answers): what
 * tests check is the request as it arrives on a socket, after the HTTP library added or changed whatever it does, not
 * what a signer returned. It knows nothing of any cloud.
 */
export class WireTap {
    private server?: net.Server;
    private readonly conns: Conn[] = [];
    private readonly sockets = new Set<net.Socket>();
    private seq = 0;

    /** `now` stamps each chunk (tests on a virtual clock pass theirs, so signature times can be checked). */
    constructor(
        private readonly upstream: string,
        private readonly now: () => number = Date.now,
    ) {}

    /** Starts listening on a free port of 127.0.0.1; returns the base URL to give the client. */
    async start(): Promise<string> {
        const up = new URL(this.upstream);
        this.server = net.createServer((client) => {
            const conn: Conn = { up: [], down: [] };
            this.conns.push(conn);
            const server = net.connect(Number(up.port), up.hostname);
            for (const s of [client, server]) {
                this.sockets.add(s);
                s.on("close", () => this.sockets.delete(s));
                s.on("error", () => undefined);
            }
            client.on("data", (d: Buffer) => {
                conn.up.push({ at: this.now(), seq: this.seq++, data: d });
                server.write(d);
            });
            server.on("data", (d: Buffer) => {
                conn.down.push({ at: this.now(), seq: this.seq++, data: d });
                client.write(d);
            });
            client.on("end", () => server.end());
            server.on("end", () => client.end());
            client.on("close", () => server.destroy());
            server.on("close", () => client.destroy());
        });
        await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", () => resolve()));
        return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
    }

    async stop(): Promise<void> {
        for (const s of this.sockets) s.destroy();
        await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    }

    /** Forgets what was recorded so far. */
    clear(): void {
        this.conns.length = 0;
    }

    /**
     * Every request recorded so far, each with the answer that followed it on its connection, in the order the
     * requests arrived (across connections: calls that must not be repeated each get a connection of their own).
     */
    exchanges(): TappedExchange[] {
        const out: TappedExchange[] = [];
        for (const c of this.conns) {
            const reqs = parseMessages(c.up, false);
            const ress = parseMessages(c.down, true);
            reqs.forEach((request, i) => {
                const [method, target] = request.startLine.split(" ");
                const headers: Record<string, string> = {};
                for (const [k, v] of request.headerLines)
                    if (!(k.toLowerCase() in headers)) headers[k.toLowerCase()] = v;
                const response = ress[i];
                out.push({
                    request,
                    method,
                    target,
                    headers,
                    response,
                    status: response ? Number(response.startLine.split(" ")[1]) : undefined,
                });
            });
        }
        return out.sort((a, b) => a.request.seq - b.request.seq);
    }
}

/** Splits the bytes of one direction of a connection into HTTP/1.1 messages (Content-Length or chunked bodies). */
export function parseMessages(chunks: Chunk[], responses: boolean): RawMessage[] {
    const data = Buffer.concat(chunks.map((c) => c.data));
    const starts: number[] = [];
    let acc = 0;
    for (const c of chunks) {
        starts.push(acc);
        acc += c.data.length;
    }
    const chunkAt = (offset: number): Chunk | undefined => {
        let c = chunks[0];
        for (let i = 0; i < chunks.length && starts[i] <= offset; i++) c = chunks[i];
        return c;
    };
    const timeAt = (offset: number) => chunkAt(offset)?.at ?? 0;
    const out: RawMessage[] = [];
    let pos = 0;
    while (pos < data.length) {
        const end = data.indexOf("\r\n\r\n", pos, "latin1");
        if (end < 0) break;
        const lines = data.subarray(pos, end).toString("latin1").split("\r\n");
        const startLine = lines[0];
        const headerLines = lines.slice(1).map((l): [string, string] => {
            const i = l.indexOf(":");
            return [l.slice(0, i), l.slice(i + 1).trim()];
        });
        const get = (n: string) => headerLines.find(([k]) => k.toLowerCase() === n)?.[1];
        let p = end + 4;
        let body: Buffer;
        if (/chunked/i.test(get("transfer-encoding") ?? "")) {
            const parts: Buffer[] = [];
            for (;;) {
                const lineEnd = data.indexOf("\r\n", p, "latin1");
                const size = parseInt(data.subarray(p, lineEnd).toString("latin1"), 16);
                p = lineEnd + 2;
                if (!size) {
                    p = data.indexOf("\r\n", p, "latin1") + 2;
                    break;
                }
                parts.push(data.subarray(p, p + size));
                p += size + 2;
            }
            body = Buffer.concat(parts);
        } else {
            const n = Number(get("content-length") ?? 0);
            body = data.subarray(p, p + n);
            p += n;
        }
        // An answer without a length to a request is read to the end of the connection.
        if (
            responses &&
            get("content-length") === undefined &&
            !/chunked/i.test(get("transfer-encoding") ?? "") &&
            !/^HTTP\/1\.1 (1\d\d|204|304)/.test(startLine)
        ) {
            body = data.subarray(end + 4);
            p = data.length;
        }
        out.push({
            startLine,
            headerLines,
            body: body.toString("utf8"),
            at: timeAt(pos),
            seq: chunkAt(pos)?.seq ?? 0,
        });
        pos = p;
    }
    return out;
}
