import { createHash } from "crypto";
import { Clock } from "./clock";

/**
 * A token bucket whose rate adapts to the server's throttling answers (AIMD: additive increase, multiplicative
 * decrease). It starts at `ratePerSecond`, the most it ever allows; a throttling answer halves the rate (at most once a
 * second, since the answers to requests already under way arrive together) and drops any saved burst; each accepted
 * call raises it again by a small step. Callers queue in order: each waits for its turn, then for a token at the rate
 * in force at that moment, so a rate cut applies at once to everyone waiting, not only to later arrivals.
 */
export class TokenBucket {
    private tokens: number;
    private last: number;
    private rate: number;
    private lastCut = Number.NEGATIVE_INFINITY;
    private queue: Promise<void> = Promise.resolve();
    /** How often the rate was cut, for tests and figures. */
    cuts = 0;

    constructor(
        readonly ratePerSecond: number,
        readonly burst: number,
        private readonly clock: Clock,
    ) {
        this.rate = ratePerSecond;
        this.tokens = burst;
        this.last = clock.now();
    }

    /** The rate in force now (requests per second). */
    get currentRate(): number {
        return this.rate;
    }

    /** The lowest rate a cut goes to: a throttled account still makes progress, and one call a minute is too slow. */
    get floor(): number {
        return Math.min(this.ratePerSecond, Math.max(0.2, this.ratePerSecond / 32));
    }

    private refill(): void {
        const now = this.clock.now();
        this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
        this.last = now;
    }

    /** Waits for this caller's turn, then for a token, and takes it. */
    acquire(): Promise<void> {
        const turn = this.queue.then(() => this.take());
        // The next caller waits for this one's token, whatever happens to this one.
        this.queue = turn.catch(() => undefined);
        return turn;
    }

    private async take(): Promise<void> {
        for (;;) {
            this.refill();
            if (this.tokens >= 1) {
                this.tokens -= 1;
                return;
            }
            await this.clock.sleep(Math.max(1, Math.ceil(((1 - this.tokens) / this.rate) * 1000)));
        }
    }

    /** The server answered with throttling: halve the rate (once per second at most) and drop the saved burst. */
    onThrottle(): void {
        const now = this.clock.now();
        if (now - this.lastCut < 1000) return;
        this.lastCut = now;
        this.cuts++;
        this.refill();
        this.rate = Math.max(this.floor, this.rate / 2);
        this.tokens = Math.min(this.tokens, 0);
    }

    /** The server accepted a call: raise the rate by 1 % of the maximum (a halved rate is back in about 50 calls). */
    onSuccess(): void {
        if (this.rate >= this.ratePerSecond) return;
        this.refill();
        this.rate = Math.min(this.ratePerSecond, this.rate + this.ratePerSecond / 100);
    }
}

const KEY = Symbol.for("pulumi-restore.buckets");

/**
 * The process-wide bucket that keeps calls under `limitPerSecond` for one (cloud, endpoint, credential[, action]) key.
 * Kept on `globalThis` so that every resource in one dynamic-provider host shares it (and what it learned from
 * throttling answers), whichever serialized copy of this module it runs. The credential is hashed into the key: the
 * key is never printed, but it should not hold a credential either.
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
