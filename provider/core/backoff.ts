/** How retries wait. */
export interface BackoffPolicy {
    /** Attempts in all, the first included. */
    maxAttempts: number;
    /** Delay scale for the first retry, in ms. */
    baseDelayMs: number;
    /** Longest single delay, in ms. */
    capDelayMs: number;
}

/** Defaults: 6 attempts, 500 ms base, 20 s cap (about a minute of trying in the worst case). */
export const defaultBackoff: BackoffPolicy = { maxAttempts: 6, baseDelayMs: 500, capDelayMs: 20_000 };

/**
 * Full-jitter exponential backoff: a uniformly random delay in [0, min(cap, base * 2^retry)).
 * A server's own "retry after" wins when it is longer (it knows its quota better than we do), capped at 5 minutes.
 */
export function backoffDelay(
    retry: number,
    policy: BackoffPolicy,
    random: () => number,
    retryAfterMs?: number,
): number {
    const ceiling = Math.min(policy.capDelayMs, policy.baseDelayMs * 2 ** retry);
    const jittered = Math.floor(random() * ceiling);
    if (retryAfterMs !== undefined && retryAfterMs > 0) return Math.min(Math.max(jittered, retryAfterMs), 300_000);
    return jittered;
}

/**
 * Reads a server's request to wait, in ms. `x-acs-retry-after` (Alibaba Cloud gateways) is in milliseconds;
 * `Retry-After` (RFC 9110) is delta-seconds or an HTTP date. Returns undefined when neither is usable.
 */
export function retryAfterMs(headers: Record<string, string | undefined>, nowMs: number): number | undefined {
    const acs = headers["x-acs-retry-after"];
    if (acs !== undefined && /^\d+$/.test(acs.trim()) && Number(acs) > 0) return Number(acs);
    const std = headers["retry-after"];
    if (std === undefined) return undefined;
    const t = std.trim();
    if (/^\d+$/.test(t)) return Number(t) * 1000;
    const at = Date.parse(t);
    if (!Number.isNaN(at)) return Math.max(0, at - nowMs);
    return undefined;
}
