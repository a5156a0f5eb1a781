import { Clock } from "../provider/core/clock";

/**
 * A virtual clock for tests: `sleep` advances time at once (after yielding to the event loop), so waits of hours take
 * milliseconds. Suitable for one sequential caller at a time.
 */
export class VirtualClock implements Clock {
    slept: number[] = [];
    constructor(private t = Date.UTC(2026, 10, 23, 12, 0, 0)) {}
    now(): number {
        return this.t;
    }
    async sleep(ms: number): Promise<void> {
        this.slept.push(ms);
        this.t += Math.max(0, ms);
        await new Promise((r) => setImmediate(r));
    }
    advance(ms: number): void {
        this.t += ms;
    }
}

/**
 * A virtual clock for many concurrent sleepers: each `sleep` is a timer, and when everything runnable has run (a few
 * event-loop turns with no timer due), time jumps to the earliest timer and wakes it (timers due at the same time
 * wake in the order they were set). Hours of a hundred concurrent waits take a fraction of a second. Only for code that
 * awaits nothing but this clock and promises (in-process transports, no sockets).
 */
export class SchedulerClock implements Clock {
    private timers: { at: number; seq: number; resolve: () => void }[] = [];
    private seq = 0;
    private pumping = false;
    /** Timers woken so far, for tests. */
    woken = 0;
    constructor(private t = Date.UTC(2026, 10, 23, 12, 0, 0)) {}
    now(): number {
        return this.t;
    }
    sleep(ms: number): Promise<void> {
        return new Promise<void>((resolve) => {
            this.timers.push({ at: this.t + Math.max(0, ms), seq: this.seq++, resolve });
            this.schedule();
        });
    }
    /** Moves time forward by `ms` now (timers that fall due wake on the next turn). */
    advance(ms: number): void {
        this.t += ms;
        this.schedule();
    }
    private schedule(): void {
        if (this.pumping) return;
        this.pumping = true;
        setImmediate(() => void this.pump());
    }
    private async pump(): Promise<void> {
        // Let whatever is runnable run (promise chains, their next sleeps) before time moves.
        for (let i = 0; i < 4; i++) await new Promise((r) => setImmediate(r));
        this.pumping = false;
        if (this.timers.length === 0) return;
        this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const first = this.timers[0];
        this.t = Math.max(this.t, first.at);
        const due = this.timers.filter((x) => x.at <= this.t);
        this.timers = this.timers.filter((x) => x.at > this.t);
        for (const d of due) {
            this.woken++;
            d.resolve();
        }
        if (this.timers.length > 0) this.schedule();
    }
}
