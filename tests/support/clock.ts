import { Clock } from "../../provider/core/clock";

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
