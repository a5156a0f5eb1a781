/**
 * A process-wide value on `globalThis` under a `Symbol.for` key: one per process, whichever copy of this package's
 * modules runs (the dynamic-provider host may load the installed package and a checkout's sources side by side). Rate
 * limits, sessions, tokens, agents, the redaction set and the progress sink live in such slots.
 */
export interface ProcessSlot<T> {
    get(): T | undefined;
    set(value: T | undefined): void;
}

/** The slot under `key`; every slot of one key must be used with one type (each key is private to one module). */
export function processSlot<T>(key: symbol): ProcessSlot<T> {
    // `globalThis` declares no symbol keys. Under our own `Symbol.for("pulumi-restore.…")` keys it holds only what a slot
    // of that key set, whose type the key's one module fixes: the compiler cannot see that pairing, so this is a cast.
    const g = globalThis as unknown as Record<symbol, T | undefined>;
    return {
        get: () => g[key],
        set: (value) => {
            g[key] = value;
        },
    };
}

/** The value in the slot under `key`, made by `init` on first use. */
export function processValue<T>(key: symbol, init: () => T): T {
    const slot = processSlot<T>(key);
    let v = slot.get();
    if (v === undefined) {
        v = init();
        slot.set(v);
    }
    return v;
}
