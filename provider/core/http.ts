import axios, { AxiosError, AxiosHeaders, AxiosInstance } from "axios";
import * as http from "http";
import * as https from "https";
import { BackoffPolicy, backoffDelay, defaultBackoff, retryAfterMs } from "./backoff";
import { Clock, systemClock } from "./clock";
import { CloudError } from "./errors";
import { TokenBucket } from "./rateLimit";

/** One HTTP request, fully built and signed. */
export interface HttpRequest {
    method: "GET" | "POST" | "PUT" | "DELETE";
    url: string;
    headers: Record<string, string>;
    body?: string;
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
    ) {
        super(message);
        this.name = "NetworkFailure";
    }
}

const AGENTS = Symbol.for("pulumi-restore.agents");

function agents(): { http: http.Agent; https: https.Agent } {
    const g = globalThis as unknown as Record<symbol, { http: http.Agent; https: https.Agent } | undefined>;
    let a = g[AGENTS];
    if (!a) {
        a = {
            http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
            https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
        };
        g[AGENTS] = a;
    }
    return a;
}

/** The axios transport: keep-alive agents shared by the whole process, per-request time-outs, no redirects. */
export class AxiosTransport implements Transport {
    private readonly ax: AxiosInstance;

    constructor() {
        const a = agents();
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
        try {
            const res = await this.ax.request({
                method: req.method,
                url: req.url,
                headers: wireHeaders(req.headers),
                data: req.body,
                timeout: timeoutMs,
                signal: AbortSignal.timeout(timeoutMs + 1000),
            });
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers ?? {})) {
                if (v !== undefined && v !== null) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : String(v);
            }
            return { status: res.status, headers, body: typeof res.data === "string" ? res.data : String(res.data ?? "") };
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
    const neverSent = code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "ERR_INVALID_URL";
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
    /** The bucket every attempt takes a token from, or a function choosing one per action. */
    bucket?: TokenBucket | ((action: string) => TokenBucket | undefined);
}

/** Marks a CloudError raised for an answer whose effect on the server is unknown. */
export function isUncertain(e: unknown): boolean {
    if (e instanceof CloudError && e.uncertain !== undefined) return e.uncertain;
    return e instanceof CloudError && (e.code === "NetworkError" || e.code === "Timeout" || e.code === "MalformedResponse" || (e.httpStatus !== undefined && e.httpStatus >= 500));
}

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

    constructor(opts: ApiCallerOptions = {}) {
        this.transport = opts.transport ?? new AxiosTransport();
        this.clock = opts.clock ?? systemClock;
        this.random = opts.random ?? Math.random;
        this.backoff = opts.backoff ?? defaultBackoff;
        this.requestTimeoutMs = opts.requestTimeoutMs ?? 30_000;
        this.bucket = opts.bucket;
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
            await this.clock.sleep(backoffDelay(retry, this.backoff, this.random, error.retryAfterMs));
            retry++;
        }
    }

    private async attempt<T>(spec: CallSpec<T>): Promise<T> {
        const bucket = typeof this.bucket === "function" ? this.bucket(spec.action) : this.bucket;
        if (bucket) await bucket.acquire();
        const req = spec.build();
        let res: HttpResponse;
        try {
            res = await this.transport.send(req, this.requestTimeoutMs);
        } catch (e) {
            const nf = e instanceof NetworkFailure ? e : new NetworkFailure(String(e), "NetworkError", true);
            throw new CloudError({ cloud: spec.cloud, action: spec.action, code: nf.code, message: nf.message, retryable: true });
        }
        try {
            return spec.parse(res);
        } catch (e) {
            if (e instanceof CloudError) {
                if (e.retryAfterMs !== undefined) throw e;
                const after = retryAfterMs(res.headers, this.clock.now());
                throw after === undefined ? e : new CloudError({ ...e.toInit(), retryAfterMs: after });
            }
            throw new CloudError({
                cloud: spec.cloud,
                action: spec.action,
                httpStatus: res.status,
                code: "MalformedResponse",
                message: `the answer could not be read (${e instanceof Error ? e.message : String(e)})`,
                requestId: res.headers["x-acs-request-id"] ?? res.headers["x-request-id"],
                retryable: true,
            });
        }
    }
}

/** Parses a JSON body, throwing a plain Error (turned into MalformedResponse by {@link ApiCaller}) when it is not JSON. */
export function parseJson(body: string): unknown {
    if (body.trim() === "") throw new Error("empty body");
    return JSON.parse(body);
}
