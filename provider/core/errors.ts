import { redact } from "./redact";

/** What a {@link CloudError} carries. */
export interface CloudErrorInit {
    /** Cloud and product, e.g. `alicloud starrocks`. */
    cloud: string;
    /** API action, e.g. `RestoreInstance`. */
    action: string;
    /** HTTP status of the answer; absent when no answer came (network error, time-out). */
    httpStatus?: number;
    /** The vendor's error code (e.g. `InvalidParams`), or one of ours: `NetworkError`, `Timeout`, `MalformedResponse`. */
    code: string;
    /** The vendor's message, or ours. */
    message: string;
    /** The vendor's request id, when it sent one. */
    requestId?: string;
    /** Whether repeating the same call may succeed (throttling, 5xx, network trouble). */
    retryable: boolean;
    /** What the user should do about it. */
    hint?: string;
    /** Milliseconds the server asked us to wait before retrying (`Retry-After`, `x-acs-retry-after`). */
    retryAfterMs?: number;
    /**
     * Whether the server may have acted on the request although it answered with this error (e.g. a vendor code for an
     * internal fault sent with HTTP 200). Absent: decided from the HTTP status and code (see `isUncertain`).
     */
    uncertain?: boolean;
    /**
     * The answer is the cloud's throttling answer (rate or quota exceeded): nothing was done, and the caller's rate
     * should drop. Absent: HTTP 429 counts as throttling.
     */
    throttled?: boolean;
}

/**
 * The one error type of this package. Its message is built from the fields, passed through {@link redact}, and never
 * includes request headers or bodies, so it cannot carry a credential.
 */
export class CloudError extends Error {
    readonly cloud: string;
    readonly action: string;
    readonly httpStatus?: number;
    readonly code: string;
    readonly vendorMessage: string;
    readonly requestId?: string;
    readonly retryable: boolean;
    readonly hint?: string;
    readonly retryAfterMs?: number;
    readonly uncertain?: boolean;
    readonly throttled?: boolean;

    constructor(init: CloudErrorInit) {
        super(CloudError.format(init));
        this.name = "CloudError";
        this.cloud = init.cloud;
        this.action = init.action;
        this.httpStatus = init.httpStatus;
        this.code = init.code;
        this.vendorMessage = redact(init.message);
        this.requestId = init.requestId;
        this.retryable = init.retryable;
        this.hint = init.hint === undefined ? undefined : redact(init.hint);
        this.retryAfterMs = init.retryAfterMs;
        this.uncertain = init.uncertain;
        this.throttled = init.throttled;
    }

    /** Returns a copy with a hint (what to do) attached, keeping every other field. */
    withHint(hint: string): CloudError {
        return new CloudError({ ...this.toInit(), hint });
    }

    /** The fields this error was built from. */
    toInit(): CloudErrorInit {
        return {
            cloud: this.cloud,
            action: this.action,
            httpStatus: this.httpStatus,
            code: this.code,
            message: this.vendorMessage,
            requestId: this.requestId,
            retryable: this.retryable,
            hint: this.hint,
            retryAfterMs: this.retryAfterMs,
            uncertain: this.uncertain,
            throttled: this.throttled,
        };
    }

    private static format(i: CloudErrorInit): string {
        const status = i.httpStatus === undefined ? "" : ` HTTP ${i.httpStatus}`;
        const req = i.requestId ? ` (request id ${i.requestId})` : "";
        const hint = i.hint ? ` ${i.hint}` : "";
        return redact(`${i.cloud} ${i.action} failed:${status} ${i.code}: ${i.message}${req}.${hint}`);
    }
}

/** True when `e` is a {@link CloudError} with one of the given codes. */
export function hasCode(e: unknown, ...codes: string[]): e is CloudError {
    return e instanceof CloudError && codes.includes(e.code);
}

/**
 * A create or update that failed after the cloud assigned an id. The dynamic-provider host turns an Error carrying
 * `id`, `properties` and `reasons` into ErrorResourceInitFailed, so the engine records the resource and the next
 * `pulumi up` continues from it instead of restoring a second time.
 */
export class PartialStateError extends Error {
    readonly id: string;
    readonly properties: Record<string, unknown>;
    readonly reasons: string[];

    constructor(id: string, properties: Record<string, unknown>, reasons: string[]) {
        const text = redact(reasons.join("; "));
        super(text);
        this.name = "PartialStateError";
        this.id = id;
        this.properties = properties;
        this.reasons = reasons.map(redact);
    }
}

/**
 * The text of any thrown value, redacted, without a final full stop: callers embed it in a sentence
 * (`${errorText(e)}. It is recorded in the stack`), and a CloudError's message already ends with one.
 */
export function errorText(e: unknown): string {
    const text = e instanceof Error ? e.message : String(e);
    return redact(text).replace(/\.+$/, "");
}
