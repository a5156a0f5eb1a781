import * as http from "http";
import { AddressInfo } from "net";
import { CloudService, EmuRequest, EmuResponse, FaultRule } from "./types";
import { parseRawQuery } from "./wire";

/**
 * Builds the emulator's view of a request from its target as sent (`/path?query`), its headers and body. Query values
 * are decoded per RFC 3986; an undecodable query leaves them as sent (the signature check then reports it).
 */
export function emuRequest(method: string, target: string, headers: Record<string, string>, body: string): EmuRequest {
    const q = target.indexOf("?");
    const rawPath = q < 0 ? target : target.slice(0, q);
    const rawQuery = q < 0 ? "" : target.slice(q + 1).split("#")[0];
    const url = new URL(rawPath || "/", "http://emulator");
    const query: Record<string, string> = {};
    const pairs = parseRawQuery(rawQuery);
    if (pairs) for (const p of pairs) query[p.name] = p.value;
    else {
        for (const part of rawQuery.split("&")) {
            const i = part.indexOf("=");
            if (part) query[i < 0 ? part : part.slice(0, i)] = i < 0 ? "" : part.slice(i + 1);
        }
    }
    return { method, path: url.pathname, rawPath: rawPath || "/", rawQuery, query, headers, body };
}

/** One request as logged by the emulator. */
export interface LoggedRequest {
    action: string;
    status: number;
    fault?: string;
}

/**
 * Serves one {@link CloudService} on 127.0.0.1: fault injection, a request log and the inspection endpoints
 * (`GET /_emulator/state`, `POST /_emulator/faults`, `POST /_emulator/seed`, `POST /_emulator/reset-log`).
 */
export class EmulatorServer {
    readonly log: LoggedRequest[] = [];
    private faults: (FaultRule & { left: number })[] = [];
    /** Requests received under a "late" fault, carried out once their time has come (see {@link runDue}). */
    private late: { req: EmuRequest; action: string; dueAt: number; entry: LoggedRequest }[] = [];
    private server?: http.Server;
    private readonly sockets = new Set<import("net").Socket>();
    /** Called for every request before it is served; tests use it to act at an exact moment (e.g. kill a process). */
    onRequest?: (action: string) => void;
    /** Called after a request was carried out, before the answer is written. */
    onHandled?: (action: string, res: EmuResponse) => void;

    constructor(
        readonly service: CloudService,
        private readonly host = "127.0.0.1",
    ) {}

    /** Starts listening on `port` (0: any free port); returns the base URL. */
    async start(port = 0): Promise<string> {
        this.server = http.createServer({ noDelay: true }, (req, res) => void this.serve(req, res));
        this.server.keepAliveTimeout = 5000;
        this.server.on("connection", (s) => {
            this.sockets.add(s);
            s.on("close", () => this.sockets.delete(s));
        });
        await new Promise<void>((resolve, reject) => {
            this.server!.once("error", reject);
            this.server!.listen(port, this.host, () => resolve());
        });
        return this.url;
    }

    /** The base URL, e.g. `http://127.0.0.1:43121`. */
    get url(): string {
        const a = this.server?.address() as AddressInfo | null;
        if (!a) throw new Error("emulator not started");
        return `http://${this.host}:${a.port}`;
    }

    async stop(): Promise<void> {
        this.service.close?.();
        for (const s of this.sockets) s.destroy();
        await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    }

    /** Arms faults. */
    inject(...rules: FaultRule[]): void {
        for (const r of rules) this.faults.push({ ...r, left: r.times ?? 1 });
    }

    /** Disarms every fault. */
    clearFaults(): void {
        this.faults = [];
    }

    /** Requests received under a "late" fault and not carried out yet. */
    get lateCount(): number {
        return this.late.length;
    }

    /**
     * Carries out the "late" requests whose time has come (service clock), as the cloud would in the background; their
     * answers go nowhere (the client gave up on them). Runs before every request is served, and on demand.
     */
    async runDue(): Promise<void> {
        const now = this.service.now ? this.service.now() : Date.now();
        const due = this.late.filter((l) => l.dueAt <= now);
        this.late = this.late.filter((l) => l.dueAt > now);
        for (const l of due) {
            try {
                const out = await this.service.handle(l.req);
                l.entry.fault = `late, carried out (${out.status})`;
            } catch (e) {
                l.entry.fault = `late, failed: ${e instanceof Error ? e.message : String(e)}`;
            }
        }
    }

    /** How many requests named `action` were received (any action when absent). */
    count(action?: string): number {
        return this.log.filter((l) => action === undefined || l.action === action).length;
    }

    private takeFault(action: string): FaultRule | undefined {
        const f = this.faults.find((r) => r.left > 0 && (r.action === undefined || r.action === action));
        if (!f) return undefined;
        f.left--;
        this.faults = this.faults.filter((r) => r.left > 0);
        return f;
    }

    private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers))
            if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
        const er = emuRequest(req.method ?? "GET", req.url ?? "/", headers, Buffer.concat(chunks).toString("utf8"));
        if (er.path.startsWith("/_emulator/")) return this.control(er, res);
        await this.runDue();
        const action = this.service.actionOf(er);
        this.onRequest?.(action);
        const fault = this.takeFault(action);
        const entry: LoggedRequest = { action, status: 0, fault: fault?.kind };
        this.log.push(entry);
        try {
            switch (fault?.kind) {
                case "throttle":
                    return this.write(res, withRetryAfter(this.service.throttled(er), fault.retryAfterMs), entry);
                case "error500":
                case "error503":
                    return this.write(res, this.service.serverError(er, fault.kind === "error500" ? 500 : 503), entry);
                case "echo400":
                    return this.write(
                        res,
                        this.service.badRequest(er, `invalid parameter in ${quoteRequest(er, false)}`),
                        entry,
                    );
                case "echo500":
                    return this.write(
                        res,
                        this.service.serverError(er, 500, `while processing ${quoteRequest(er, true)}`),
                        entry,
                    );
                case "dropBefore":
                    entry.status = -1;
                    req.socket.destroy();
                    return;
                case "late": {
                    // Received, and answered never: the cloud carries it out later, in the background.
                    entry.status = -3;
                    const now = this.service.now ? this.service.now() : Date.now();
                    this.late.push({ req: er, action, dueAt: now + (fault.delayMs ?? 60_000), entry });
                    req.socket.destroy();
                    return;
                }
                case "failTask":
                    this.service.failNext(action);
                    break;
                case "slow":
                    await new Promise((r) => setTimeout(r, fault.delayMs ?? 5000));
                    break;
            }
            const out = await this.service.handle(er);
            this.onHandled?.(action, out);
            if (fault?.kind === "dropAfter") {
                entry.status = -2;
                req.socket.destroy();
                return;
            }
            if (fault?.kind === "odd") {
                // Done, yet answered as a failure: the cloud's internal-error body inside an HTTP 200.
                const err = this.service.serverError(er, 500);
                return this.write(res, { ...err, status: 200 }, entry);
            }
            if (fault?.kind === "malformed") {
                const text = typeof out.body === "string" ? out.body : JSON.stringify(out.body);
                return this.write(
                    res,
                    { ...out, body: text.slice(0, Math.max(1, Math.floor(text.length / 2))) },
                    entry,
                );
            }
            return this.write(res, out, entry);
        } catch (e) {
            return this.write(res, this.service.serverError(er, 500), entry, e);
        }
    }

    private write(res: http.ServerResponse, out: EmuResponse, entry: LoggedRequest, err?: unknown): void {
        if (err)
            console.error(
                `emulator ${this.service.name}: internal error: ${err instanceof Error ? err.stack : String(err)}`,
            );
        entry.status = out.status;
        const body = typeof out.body === "string" ? out.body : JSON.stringify(out.body);
        const headers = { "content-type": "application/json;charset=utf-8", ...(out.headers ?? {}) };
        if (res.destroyed) return;
        res.writeHead(out.status, headers);
        res.end(body);
    }

    private control(req: EmuRequest, res: http.ServerResponse): void {
        const json = (status: number, body: unknown) => {
            res.writeHead(status, { "content-type": "application/json" });
            res.end(JSON.stringify(body));
        };
        try {
            const input = req.body ? (JSON.parse(req.body) as Record<string, unknown>) : {};
            switch (`${req.method} ${req.path}`) {
                case "GET /_emulator/state": {
                    const counts: Record<string, number> = {};
                    for (const l of this.log) counts[l.action] = (counts[l.action] ?? 0) + 1;
                    return json(200, {
                        cloud: this.service.name,
                        requests: this.log.length,
                        counts,
                        state: this.service.snapshot(),
                    });
                }
                case "POST /_emulator/faults":
                    this.inject(...((input.faults as FaultRule[]) ?? []));
                    return json(200, { armed: this.faults.length });
                case "DELETE /_emulator/faults":
                    this.clearFaults();
                    return json(200, { armed: 0 });
                case "POST /_emulator/seed":
                    return json(200, {
                        seeded: this.service.seed(String(input.kind), (input.data as Record<string, unknown>) ?? {}),
                    });
                default:
                    return json(404, { error: `unknown control endpoint ${req.method} ${req.path}` });
            }
        } catch (e) {
            return json(400, { error: e instanceof Error ? e.message : String(e) });
        }
    }
}

/**
 * The request as careless servers quote it in error messages: method, path, query and body, and with `headers` every
 * header (Authorization, tokens) as a dump. Used by the echo faults, so tests can show that nothing in it leaks.
 */
function quoteRequest(req: EmuRequest, headers: boolean): string {
    const query = new URLSearchParams(req.query).toString();
    const head = headers
        ? Object.entries(req.headers)
              .map(([k, v]) => `\n${k}: ${v}`)
              .join("")
        : "";
    return `${req.method} ${req.path}${query ? `?${query}` : ""}${head}\n\n${req.body}`;
}

/** A throttling answer asking for `ms` of wait (when given): `Retry-After` in seconds, `x-acs-retry-after` in ms. */
function withRetryAfter(r: EmuResponse, ms: number | undefined): EmuResponse {
    if (ms === undefined) return r;
    const headers: Record<string, string> = { ...(r.headers ?? {}), "retry-after": String(Math.ceil(ms / 1000)) };
    if ("x-acs-retry-after" in headers) headers["x-acs-retry-after"] = String(ms);
    return { ...r, headers };
}
