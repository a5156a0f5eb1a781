import { createHash } from "crypto";
import { Clock } from "./clock";

/**
 * A token bucket: `ratePerSecond` tokens a second, at most `burst` saved. Callers reserve a token and wait until it
 * is theirs, so concurrent callers queue in order instead of all retrying at once.
 */
export class TokenBucket {
    private tokens: number;
    private last: number;

    constructor(readonly ratePerSecond: number, readonly burst: number, private readonly clock: Clock) {
        this.tokens = burst;
        this.last = clock.now();
    }

    /** Milliseconds the caller must wait for its token; the token is taken now. */
    reserve(): number {
        const now = this.clock.now();
        this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
        this.last = now;
        this.tokens -= 1;
        return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.ratePerSecond) * 1000);
    }

    /** Waits until a token is available, then takes it. */
    async acquire(): Promise<void> {
        const wait = this.reserve();
        if (wait > 0) await this.clock.sleep(wait);
    }
}

const KEY = Symbol.for("pulumi-restore.buckets");

/**
 * The process-wide bucket that keeps calls under `limitPerSecond` for one (cloud, endpoint, credential[, action]) key. Kept on `globalThis` so that every
 * resource in one dynamic-provider host shares it, whichever serialized copy of this module it runs. The credential
 * is hashed into the key: the key is never printed, but it should not hold a credential either.
 */
export function sharedBucket(
    parts: { cloud: string; endpoint: string; credential: string; scope?: string },
    limitPerSecond: number,
    clock: Clock,
): TokenBucket {
    const g = globalThis as unknown as Record<symbol, Map<string, TokenBucket> | undefined>;
    let map = g[KEY];
    if (!map) {
        map = new Map<string, TokenBucket>();
        g[KEY] = map;
    }
    const cred = createHash("sha256").update(parts.credential).digest("hex").slice(0, 16);
    const key = `${parts.cloud}|${parts.endpoint}|${cred}|${parts.scope ?? "*"}|${limitPerSecond}`;
    let bucket = map.get(key);
    if (!bucket) {
        // 75 % of the limit sustained, bursts of 20 %: any one-second window sees at most 95 % of the limit, however
        // the server aligns its windows, and a handful of calls (one resource's create) go out without waiting.
        bucket = new TokenBucket(limitPerSecond * 0.75, Math.max(1, Math.floor(limitPerSecond * 0.2)), clock);
        map.set(key, bucket);
    }
    return bucket;
}
