import { EmulatorOptions, RunningEmulator, startEmulator } from "../../emulator";
import { Engine, EngineOptions } from "../../harness/engine";

/** The emulator of every cloud (or those in `only`) and engines pointed at it, closed together. */
export interface EmulatedStack {
    emu: RunningEmulator;
    /** A new engine (own state, own host) configured for the emulator, plus `config` on top. */
    engine(config?: Record<string, string>, options?: Omit<EngineOptions, "config" | "secretConfigKeys">): Engine;
    /** Every engine created so far. */
    engines: Engine[];
    close(): Promise<void>;
}

/** Starts the emulator and returns a factory of engines configured for it. Call `close()` in `after`/`afterEach`. */
export async function emulatedStack(o: EmulatorOptions = {}): Promise<EmulatedStack> {
    const emu = await startEmulator(o);
    const engines: Engine[] = [];
    return {
        emu,
        engines,
        engine(config = {}, options = {}) {
            const e = new Engine({
                ...options,
                config: { ...emu.config, ...config },
                secretConfigKeys: emu.secretConfigKeys,
            });
            engines.push(e);
            return e;
        },
        async close() {
            await Promise.all(engines.map((e) => e.close().catch(() => undefined)));
            await emu.stop();
        },
    };
}
