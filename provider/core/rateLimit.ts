import { createHash } from "crypto";
import { Clock } from "./clock";
import { processValue } from "./processSlot";

/** The share of a documented limit the provider uses: the rest absorbs clocks and windows that disagree with ours. */
export const LIMIT_SHARE = 0.9;

/** What a caller gets for its turn: call it once the answer came (or the call failed for good). */
export type Release = () => void;

/**
 * A sliding one-second window of sends per key, kept at {@link LIMIT_SHARE} of the documented limit, whose size adapts
 * to the server's throttling answers (AIMD: additive increase, multiplicative decrease).
 *
 * A call holds its place in the window from the moment it is sent until one second after its answer came back, not
 * one second after it was sent. A server counts a request when it arrives, which may be well after we sent it when
 * the machine is loaded (the event loop, the socket, the server's own queue); any request arriving within one second
 * of another was sent before that other's answer came, so counting up to the answer plus one second means no window
 * of the server's, however aligned, sees more than the window's size of our requests. (A token bucket reserved at
 * acquisition time allowed bursts that a loaded host delivered together: throttled answers in P2 under CPU load.)
 *
 * A throttling answer halves the size (at most once a second, since the answers to requests already under way arrive
 * together); each accepted call raises it again by 1 % of the maximum. Below one call per window the window widens
 * instead (size 0.5 is one call per two seconds). Callers queue in order: a cut applies at once to everyone waiting.
 */
export class SlidingWindow {
    /** Sends still counted: the time each stops counting (Infinity while its answer is awaited). */
    private readonly held: number[] = [];
    private size: number;
    private lastCut = Number.NEGATIVE_INFINITY;
    private wake?: () => void;
    private queue: Promise<void> = Promise.resolve();
    /** How often the size was cut, for tests and figures. */
    cuts = 0;
    /** The most calls held at once (sent in the last second or still unanswered), for tests and figures. */
    peakHeld = 0;

    /**
     * @param limitPerSecond the documented (or configured) limit.
     * @param share the part of it this window allows (default {@link LIMIT_SHARE}).
     */
    constructor(
        readonly limitPerSecond: number,
        private readonly clock: Clock,
        readonly share = LIMIT_SHARE,
    ) {
        this.size = this.maxSize;
    }

    /** Calls per second this window allows at most (before any cut). */
    get maxSize(): number {
        return this.limitPerSecond * this.share;
    }

    /** The size in force now (calls per one-second window; below 1, a fraction of a call per second). */
    get currentRate(): number {
        return this.size;
    }

    /** The smallest size a cut goes to: a throttled account still makes progress, and one call a minute is too slow. */
    get floor(): number {
        return Math.min(this.maxSize, Math.max(0.2, this.maxSize / 32));
    }

    /** Calls counted now, for tests. */
    get inWindow(): number {
        this.prune(this.clock.now());
        return this.held.length;
    }

    private prune(now: number): void {
        for (let i = this.held.length - 1; i >= 0; i--) if (this.held[i] <= now) this.held.splice(i, 1);
    }

    /**
     * Waits for this caller's turn, then for room in the window, and takes a place. The returned function gives the
     * place back: it stops counting one second (or the widened window) after that call.
     */
    acquire(): Promise<Release> {
        const turn = this.queue.then(() => this.take());
        // The next caller waits for this one's place, whatever happens to this one.
        this.queue = turn.then(
            () => undefined,
            () => undefined,
        );
        return turn;
    }

    private async take(): Promise<Release> {
        for (;;) {
            const now = this.clock.now();
            this.prune(now);
            const allowed = Math.max(1, Math.floor(this.size));
            if (this.held.length < allowed) {
                this.held.push(Number.POSITIVE_INFINITY);
                this.peakHeld = Math.max(this.peakHeld, this.held.length);
                let released = false;
                return () => {
                    if (released) return;
                    released = true;
                    const span = this.size >= 1 ? 1000 : 1000 / this.size;
                    // Replace one unanswered entry: which one does not matter, they are all "until answered".
                    const i = this.held.indexOf(Number.POSITIVE_INFINITY);
                    if (i >= 0) this.held[i] = this.clock.now() + span;
                    const wake = this.wake;
                    this.wake = undefined;
                    wake?.();
                };
            }
            const finite = this.held.filter((t) => Number.isFinite(t));
            if (finite.length > 0) await this.clock.sleep(Math.max(1, Math.min(...finite) - now));
            // Everything held is still unanswered: the next answer starts the first entry's last second.
            else await new Promise<void>((resolve) => (this.wake = resolve));
        }
    }

    /** The server answered with throttling: halve the size (once per second at most). */
    onThrottle(): void {
        const now = this.clock.now();
        if (now - this.lastCut < 1000) return;
        this.lastCut = now;
        this.cuts++;
        this.size = Math.max(this.floor, this.size / 2);
    }

    /** The server accepted a call: raise the size by 1 % of the maximum (a halved size is back in about 50 calls). */
    onSuccess(): void {
        if (this.size >= this.maxSize) return;
        this.size = Math.min(this.maxSize, this.size + this.maxSize / 100);
    }
}

const KEY = Symbol.for("pulumi-restore.windows");

/**
 * The process-wide window that keeps calls under `limitPerSecond` for one (cloud, endpoint, credential[, action]) key.
 * Kept on `globalThis` so that every resource in one dynamic-provider host shares it (and what it learned from
 * throttling answers), whichever serialized copy of this module it runs. The credential is hashed into the key: the
 * key is never printed, but it should not hold a credential either.
 */
export function sharedBucket(
    parts: { cloud: string; endpoint: string; credential: string; scope?: string },
    limitPerSecond: number,
    clock: Clock,
): SlidingWindow {
    const map = processValue(KEY, () => new Map<string, SlidingWindow>());
    const cred = createHash("sha256").update(parts.credential).digest("hex").slice(0, 16);
    const key = `${parts.cloud}|${parts.endpoint}|${cred}|${parts.scope ?? "*"}|${limitPerSecond}`;
    let w = map.get(key);
    if (!w) {
        w = new SlidingWindow(limitPerSecond, clock);
        map.set(key, w);
    }
    return w;
}
