/**
 * Time as the emulated clouds see it. The emulator keeps its own definition rather than importing the provider's:
 * it stands in for the cloud and shares no code with the client (a structurally equal clock can drive both).
 */
export interface Clock {
    /** Milliseconds since the epoch. */
    now(): number;
    /** Resolves after `ms` milliseconds of this clock's time. */
    sleep(ms: number): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
    now: () => Date.now(),
    sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms))),
};
