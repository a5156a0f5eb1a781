/** A request as the emulator sees it. */
export interface EmuRequest {
    method: string;
    /** Path without the query string. */
    path: string;
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
    /** The cloud's own answer for an internal error. */
    serverError(req: EmuRequest, status: number): EmuResponse;
    /** Arms a failure of the asynchronous work started by the next `action`. */
    failNext(action: string): void;
    /** Everything the service holds, for inspection. */
    snapshot(): Record<string, unknown>;
    /** Adds test data (`kind` such as "backup" or "instance"). */
    seed(kind: string, data: Record<string, unknown>): unknown;
    /** The service's clock (virtual in tests): when a "late" request falls due. Real time when absent. */
    now?(): number;
}
