/** A request as the emulator sees it. */
export interface EmuRequest {
    method: string;
    /** Path without the query string (as the URL parser normalises it; still percent-encoded). */
    path: string;
    /** The path of the request target exactly as it arrived, without the query: what signatures are checked on. */
    rawPath: string;
    /** The query exactly as it arrived, without `?` ("" when none). */
    rawQuery: string;
    /**
     * Query parameters, decoded per RFC 3986 (`+` is a plus sign, not a space: the signatures canonicalize RFC 3986,
     * so a client that form-encodes a space as `+` is read as it would be by a strict server, and its signature fails).
     */
    query: Record<string, string>;
    /** Header names lower-cased. */
    headers: Record<string, string>;
    body: string;
}

/** An answer of an emulated cloud. Objects are sent as JSON. */
export interface EmuResponse {
    status: number;
    headers?: Record<string, string>;
    body: string | object;
}

/** What can go wrong on request. */
export type FaultKind =
    | "throttle" // the cloud's throttling answer; nothing is done
    | "error500" // HTTP 500; nothing is done
    | "error503" // HTTP 503; nothing is done
    | "dropBefore" // the connection is dropped before anything is done
    | "dropAfter" // the request is carried out, then the connection is dropped
    | "slow" // the answer comes after `delayMs` (the request is carried out)
    | "malformed" // the request is carried out, and the answer is truncated JSON
    | "failTask" // the asynchronous work the request starts ends in failure
    | "echo400" // the cloud's bad-parameter answer, quoting the request's body and query; nothing is done
    | "echo500" // the cloud's internal-error answer (HTTP 500), echoing the whole request, headers included
    | "late" // the connection is dropped at once; the request is carried out `delayMs` later (service clock)
    | "odd"; // the request is carried out, and answered HTTP 200 with the cloud's internal-error body

/** One armed fault: applies to the next `times` requests of `action` (any action when absent). */
export interface FaultRule {
    action?: string;
    kind: FaultKind;
    times?: number;
    /**
     * "slow": how late the answer comes (real ms, default 5 s). "late": how late the request is carried out (service
     * clock ms, default 60 s).
     */
    delayMs?: number;
    /**
     * "throttle": the wait the answer asks for, ms, sent as `Retry-After` in whole seconds (and, where the cloud's own
     * throttling answer carries `x-acs-retry-after`, in place of its value).
     */
    retryAfterMs?: number;
}

/** One cloud's API, served by an {@link EmulatorServer}. */
export interface CloudService {
    /** Short name: `alicloud`, `tencentcloud`, ... */
    readonly name: string;
    /** The action a request names (for faults and counts), without checking anything. */
    actionOf(req: EmuRequest): string;
    /** Serves one request: authentication, validation, state. */
    handle(req: EmuRequest): Promise<EmuResponse> | EmuResponse;
    /** The cloud's own throttling answer. */
    throttled(req: EmuRequest): EmuResponse;
    /** The cloud's own answer for an internal error; `detail` (when given) ends its message. */
    serverError(req: EmuRequest, status: number, detail?: string): EmuResponse;
    /** The cloud's own answer for a bad parameter, its message ending with `detail`. */
    badRequest(req: EmuRequest, detail: string): EmuResponse;
    /** Arms a failure of the asynchronous work started by the next `action`. */
    failNext(action: string): void;
    /** Everything the service holds, for inspection. */
    snapshot(): Record<string, unknown>;
    /** Adds test data (`kind` such as "backup" or "instance"). */
    seed(kind: string, data: Record<string, unknown>): unknown;
    /** The service's clock (virtual in tests): when a "late" request falls due. Real time when absent. */
    now?(): number;
    /** Releases what the service holds besides its HTTP server (e.g. instance listeners) when the emulator stops. */
    close?(): void;
}
