import axios, { AxiosError, AxiosHeaders, AxiosInstance } from "axios";
import * as dns from "dns";
import * as http from "http";
import * as https from "https";
import { BackoffPolicy, backoffDelay, defaultBackoff, retryAfterMs } from "./backoff";
import { OperationDeadline, currentDeadline } from "./deadline";
import { Clock, systemClock } from "./clock";
import { isLoopbackAddress, loopbackKind } from "./config";
import { CloudError } from "./errors";
import { redactValues, sensitiveHeaderValues } from "./redact";
import { SlidingWindow } from "./rateLimit";

/** One HTTP request, fully built and signed. */
export interface HttpRequest {
    method: "GET" | "POST" | "PUT" | "DELETE";
    url: string;
    headers: Record<string, string>;
    body?: string;
    /**
     * Plain HTTP may go to any host: only for a cloud commonly served over HTTP on private networks (ZStack). Otherwise
     * plain HTTP goes only to loopback (see {@link loopbackKind}); `localhost` is resolved and checked first.
     */
    allowPlainHttp?: boolean;
    /**
     * Send on a connection of its own, never on one kept alive from an earlier request. For calls that must not be
     * repeated (a restore, a create): a server may close an idle kept-alive connection just as a request is written on
     * it, and the reset that follows leaves the outcome unknown, which for such a call means looking for its effect
     * and, when none shows, failing the resource. Set by {@link ApiCaller} for every call that is not idempotent.
     */
    freshConnection?: boolean;
}

/** One HTTP answer, with lower-cased header names and the body as text. */
export interface HttpResponse {
    status: number;
    headers: Record<string, string>;
    body: string;
}

/** Sends one request. The only network I/O of the package goes through an implementation of this. */
export interface Transport {
    send(req: HttpRequest, timeoutMs: number): Promise<HttpResponse>;
}

/** A failure to get any answer: carries whether the request may have reached the server. */
export class NetworkFailure extends Error {
    constructor(
        message: string,
        readonly code: string,
        /** True when the request may have been received and acted on (reset after sending, time-out). */
        readonly uncertain: boolean,
        /** False when repeating cannot help (the transport refused to send it). */
        readonly retryable = true,
    ) {
        super(message);
        this.name = "NetworkFailure";
    }
}

const AGENTS = Symbol.for("pulumi-restore.agents");

type Agents = { http: http.Agent; https: https.Agent; freshHttp: http.Agent; freshHttps: https.Agent };

/** The process's agents: kept-alive connections for most calls, and one-use ones for {@link HttpRequest.freshConnection}. */
function agents(): Agents {
    const g = globalThis as unknown as Record<symbol, Agents | undefined>;
    let a = g[AGENTS];
    if (!a?.freshHttp) {
        a = {
            http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
            https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
            freshHttp: new http.Agent({ keepAlive: false }),
            freshHttps: new https.Agent({ keepAlive: false }),
        };
        g[AGENTS] = a;
    }
    return a;
}

/** Resolves a host name to its addresses (`dns.lookup` with `all: true`); injectable for tests. */
export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (h) => dns.promises.lookup(h, { all: true, verbatim: true });

/**
 * Refuses plain HTTP to anything but loopback (unless the request allows it), before anything is sent. A loopback
 * *name* (`localhost`) is resolved here, every address it resolves to must be loopback, and the connection is made to
 * exactly those addresses: a hosts file or resolver that maps it elsewhere cannot redirect a signed request.
 * Returns the `lookup` to connect with, or undefined when no name needs resolving.
 */
export async function plainHttpGuard(
    req: HttpRequest,
    resolve: Resolver = systemResolver,
): Promise<LookupFn | undefined> {
    let url: URL;
    try {
        url = new URL(req.url);
    } catch {
        return undefined; // axios reports the malformed URL itself
    }
    if (url.protocol !== "http:" || req.allowPlainHttp) return undefined;
    const kind = loopbackKind(url.hostname);
    if (kind === "ip") return undefined;
    const refuse = (why: string) =>
        new NetworkFailure(`refused to send over plain HTTP: ${why}; use https://`, "InsecureTransport", false, false);
    if (kind !== "name") throw refuse(`${url.hostname} is not a loopback address`);
    let addrs: { address: string; family: number }[];
    try {
        addrs = await resolve(url.hostname);
    } catch {
        throw refuse(`${url.hostname} could not be resolved to check that it is loopback`);
    }
    const outside = addrs.filter((a) => !isLoopbackAddress(a.address));
    if (addrs.length === 0 || outside.length > 0) {
        const to = outside.map((a) => a.address).join(", ") || "nothing";
        throw refuse(`${url.hostname} resolves to ${to}, not only loopback`);
    }
    return (_host, opts, cb) => {
        if (opts?.all) cb(null, addrs);
        else cb(null, addrs[0].address, addrs[0].family);
    };
}

/** The `lookup` option of a socket connection: answers with addresses checked beforehand. */
export type LookupFn = (
    hostname: string,
    options: { all?: boolean } | undefined,
    callback: (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void,
) => void;

/** The axios transport: keep-alive agents shared by the whole process, per-request time-outs, no redirects. */
export class AxiosTransport implements Transport {
    private readonly ax: AxiosInstance;
    private readonly resolve: Resolver;
    private readonly fresh: { httpAgent: http.Agent; httpsAgent: https.Agent };

    /** @param opts.resolve how `localhost` is resolved before plain-HTTP requests (tests inject one) */
    constructor(opts: { resolve?: Resolver } = {}) {
        this.resolve = opts.resolve ?? systemResolver;
        const a = agents();
        this.fresh = { httpAgent: a.freshHttp, httpsAgent: a.freshHttps };
        this.ax = axios.create({
            httpAgent: a.http,
            httpsAgent: a.https,
            maxRedirects: 0,
            proxy: false,
            validateStatus: () => true,
            responseType: "text",
            transformResponse: (x: unknown) => x,
            // A restore API answer is small; anything huge is a fault, not data.
            maxContentLength: 16 * 1024 * 1024,
        });
    }

    async send(req: HttpRequest, timeoutMs: number): Promise<HttpResponse> {
        const lookup = await plainHttpGuard(req, this.resolve);
        try {
            const res = await this.ax.request({
                method: req.method,
                url: req.url,
                headers: wireHeaders(req.headers),
                data: req.body,
                timeout: timeoutMs,
                signal: AbortSignal.timeout(timeoutMs + 1000),
                ...(lookup ? { lookup: lookup as never } : {}),
                ...(req.freshConnection ? this.fresh : {}),
            });
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers ?? {})) {
                if (v !== undefined && v !== null)
                    headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : String(v);
            }
            return {
                status: res.status,
                headers,
                body: typeof res.data === "string" ? res.data : String(res.data ?? ""),
            };
        } catch (e) {
            throw toNetworkFailure(e);
        }
    }
}

/**
 * The headers to hand to axios. Left alone, axios gives every POST, PUT or PATCH without a Content-Type one of its own
 * (`application/x-www-form-urlencoded`), after the request was signed: a header the signer never saw, which gateways
 * that canonicalize `content-type` (Alibaba V3, JD Cloud, Huawei) take as a signature mismatch. `false` tells axios to
 * send none, so what leaves is what was signed.
 */
export function wireHeaders(headers: Record<string, string>): AxiosHeaders {
    const h = new AxiosHeaders();
    for (const [k, v] of Object.entries(headers)) h.set(k, v);
    if (!h.has("Content-Type")) h.set("Content-Type", false);
    return h;
}

function toNetworkFailure(e: unknown): NetworkFailure {
    const ae = e as AxiosError;
    const code = ae?.code ?? "ERR_NETWORK";
    // Refused or unresolvable: the request never left. Everything else (reset, time-out, truncated answer) may have
    // been received and acted on by the server.
    const neverSent =
        code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "ERR_INVALID_URL";
    const timedOut = code === "ECONNABORTED" || code === "ETIMEDOUT" || code === "ERR_CANCELED";
    const what = timedOut ? "no answer within the time-out" : `connection failed (${code})`;
    return new NetworkFailure(what, timedOut ? "Timeout" : "NetworkError", !neverSent);
}

/** What a cloud client tells the caller about one API call. */
export interface CallSpec<T> {
    /** Cloud and product for messages, e.g. `alicloud starrocks`. */
    cloud: string;
    /** Action name for messages and errors. */
    action: string;
    /** Builds and signs the request; called again for each attempt, since signatures carry a time and a nonce. */
    build: () => HttpRequest;
    /** Turns an answer into the result, or throws a {@link CloudError} (with `retryable` set) for an error answer. */
    parse: (res: HttpResponse) => T;
    /**
     * Whether repeating the call is harmless (reads, deletes of a named thing). Non-idempotent calls are only retried
     * when the earlier attempt certainly had no effect (throttled, refused); otherwise the uncertain error reaches
     * the caller, which must look for the earlier attempt's effect before calling again.
     */
    idempotent: boolean;
}

/** Options of an {@link ApiCaller}. */
export interface ApiCallerOptions {
    transport?: Transport;
    clock?: Clock;
    random?: () => number;
    backoff?: BackoffPolicy;
    /** Per-attempt time-out in ms (default 30 s). */
    requestTimeoutMs?: number;
    /** The window every attempt takes a place in, or a function choosing one per action. */
    bucket?: SlidingWindow | ((action: string) => SlidingWindow | undefined);
    /** Plain HTTP may go to any host (ZStack, commonly served over HTTP); otherwise only to loopback. */
    allowPlainHttp?: boolean;
}

/** Marks a CloudError raised for an answer whose effect on the server is unknown. */
export function isUncertain(e: unknown): boolean {
    if (e instanceof CloudError && e.uncertain !== undefined) return e.uncertain;
    return (
        e instanceof CloudError &&
        (e.code === "NetworkError" ||
            e.code === "Timeout" ||
            e.code === "MalformedResponse" ||
            (e.httpStatus !== undefined && e.httpStatus >= 500))
    );
}

/** Per-attempt time-out of a call when the caller sets none. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Calls cloud APIs: rate limiting, per-attempt time-outs, and retries with full-jitter backoff for calls that are safe
 * to repeat. Every failure comes out as a {@link CloudError}.
 */
export class ApiCaller {
    readonly transport: Transport;
    readonly clock: Clock;
    private readonly random: () => number;
    private readonly backoff: BackoffPolicy;
    private readonly requestTimeoutMs: number;
    private readonly bucket?: ApiCallerOptions["bucket"];
    private readonly allowPlainHttp: boolean;

    constructor(opts: ApiCallerOptions = {}) {
        this.transport = opts.transport ?? new AxiosTransport();
        this.clock = opts.clock ?? systemClock;
        this.random = opts.random ?? Math.random;
        this.backoff = opts.backoff ?? defaultBackoff;
        this.requestTimeoutMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
        this.bucket = opts.bucket;
        this.allowPlainHttp = opts.allowPlainHttp ?? false;
    }

    /** Performs the call, retrying where safe. */
    async call<T>(spec: CallSpec<T>): Promise<T> {
        let retry = 0;
        for (;;) {
            let error: CloudError;
            try {
                return await this.attempt(spec);
            } catch (e) {
                if (!(e instanceof CloudError)) throw e;
                error = e;
            }
            const repeatable = error.retryable && (spec.idempotent || !isUncertain(error));
            if (!repeatable || retry + 1 >= this.backoff.maxAttempts) throw error;
            const delay = backoffDelay(retry, this.backoff, this.random, error.retryAfterMs);
            const limit = currentDeadline();
            if (limit && this.clock.now() + delay > limit.deadline) throw pastDeadline(error, delay, limit);
            await this.clock.sleep(delay);
            retry++;
        }
    }

    private async attempt<T>(spec: CallSpec<T>): Promise<T> {
        const bucket = typeof this.bucket === "function" ? this.bucket(spec.action) : this.bucket;
        const release = bucket ? await bucket.acquire() : undefined;
        const built = spec.build();
        const req: HttpRequest = {
            ...built,
            allowPlainHttp: built.allowPlainHttp ?? this.allowPlainHttp,
            freshConnection: built.freshConnection ?? !spec.idempotent,
        };
        // A vendor answer may echo the request: its Authorization, token and signature headers are removed from
        // whatever the answer makes us say.
        const sensitive = sensitiveHeaderValues(req.headers);
        let res: HttpResponse;
        try {
            res = await this.transport.send(req, this.requestTimeoutMs);
            release?.();
        } catch (e) {
            // The request may have arrived at any time until now: its place counts for one second from here.
            release?.();
            const nf = e instanceof NetworkFailure ? e : new NetworkFailure(String(e), "NetworkError", true);
            const { cloud, action } = spec;
            // Where it tried (scheme, host and port only: a query may carry a signature), and what to check.
            const origin = originOf(req.url);
            const message = redactValues(`${nf.message}${origin ? ` to ${origin}` : ""}`, sensitive);
            const hint = /\((ECONNREFUSED|ENOTFOUND|EAI_AGAIN)\)/.test(nf.message) ? NOT_REACHED_HINT : undefined;
            throw new CloudError({ cloud, action, code: nf.code, message, retryable: nf.retryable, hint });
        }
        let out: T;
        try {
            out = spec.parse(res);
        } catch (e) {
            if (e instanceof CloudError) {
                if (e.throttled ?? e.httpStatus === 429) bucket?.onThrottle();
                const after = e.retryAfterMs ?? retryAfterMs(res.headers, this.clock.now());
                const hint = e.hint === undefined ? undefined : redactValues(e.hint, sensitive);
                const message = redactValues(e.vendorMessage, sensitive);
                throw new CloudError({ ...e.toInit(), message, hint, retryAfterMs: after });
            }
            // JSON.parse quotes the start of the body in its message: say what is wrong without quoting the answer.
            const text = e instanceof Error ? e.message : String(e);
            const why = e instanceof SyntaxError ? "the body is not valid JSON" : redactValues(text, sensitive);
            throw new CloudError({
                cloud: spec.cloud,
                action: spec.action,
                httpStatus: res.status,
                code: "MalformedResponse",
                message: `the answer could not be read (${why})`,
                requestId: res.headers["x-acs-request-id"] ?? res.headers["x-request-id"],
                retryable: true,
            });
        }
        bucket?.onSuccess();
        return out;
    }
}

/** What to check when a request could not be sent at all (refused, or the host name did not resolve). */
const NOT_REACHED_HINT =
    "Nothing answered there: check the cloud's endpoint and region settings; if this is the local emulator, is it " +
    "running? It prints new ports each time it starts.";

/** `https://host:port` of a URL, or undefined when it is not one. */
function originOf(url: string): string | undefined {
    try {
        return new URL(url).origin;
    } catch {
        return undefined;
    }
}

/**
 * The error of a call whose next attempt would start after the operation's deadline: the last answer, and why we stop
 * instead of waiting (a server's own request to wait is named, with how long it asked for).
 */
function pastDeadline(error: CloudError, delayMs: number, limit: OperationDeadline): CloudError {
    const seconds = (ms: number) => `${Math.ceil(ms / 100) / 10}s`;
    const asked =
        error.retryAfterMs !== undefined && error.retryAfterMs > 0
            ? `the server asked to wait ${seconds(error.retryAfterMs)} before trying again`
            : `the next attempt would be in ${seconds(delayMs)}`;
    const hint = `${asked}, past the deadline (${limit.name} is ${seconds(limit.ms)}): not retried; raise ${limit.name} or try later`;
    return new CloudError({ ...error.toInit(), hint: error.hint ? `${error.hint}; ${hint}` : hint, retryable: false });
}

/** Parses a JSON body, throwing a plain Error (turned into MalformedResponse by {@link ApiCaller}) when it is not JSON. */
export function parseJson(body: string): unknown {
    if (body.trim() === "") throw new Error("empty body");
    return JSON.parse(body);
}
