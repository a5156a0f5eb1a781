import { redact } from "./redact";

/** Where progress lines go. The dynamic-provider host forwards a provider's stdout to the engine, which shows it. */
export type ProgressSink = (line: string) => void;

const SINK = Symbol.for("pulumi-restore.progressSink");

/** Replaces where progress lines go (tests capture them); returns the previous sink. */
export function setProgressSink(sink: ProgressSink | undefined): ProgressSink | undefined {
    const g = globalThis as unknown as Record<symbol, ProgressSink | undefined>;
    const prev = g[SINK];
    g[SINK] = sink;
    return prev;
}

/** Prints one progress line for a resource, redacted. */
export function progress(resource: string, message: string): void {
    const g = globalThis as unknown as Record<symbol, ProgressSink | undefined>;
    const line = redact(`[pulumi-restore] ${resource}: ${message}`);
    const sink = g[SINK];
    if (sink) sink(line);
    else console.log(line);
}
