import { AsyncLocalStorage } from "async_hooks";
import { redact } from "./redact";
import { processSlot } from "./processSlot";

/** Where progress lines go. The dynamic-provider host forwards a provider's stdout to the engine, which shows it. */
export type ProgressSink = (line: string) => void;

const SINK = Symbol.for("pulumi-restore.progressSink");

/** Replaces where progress lines go (tests capture them); returns the previous sink. */
export function setProgressSink(sink: ProgressSink | undefined): ProgressSink | undefined {
    const slot = processSlot<ProgressSink>(SINK);
    const prev = slot.get();
    slot.set(sink);
    return prev;
}

const GUARD = Symbol.for("pulumi-restore.brokenPipeGuard");

/**
 * Makes this process exit when its stdout or stderr pipe breaks (EPIPE).
 *
 * Why: the dynamic-provider host writes our progress lines to a pipe read by the Pulumi engine. When the engine is
 * killed (SIGKILL of the CLI, a runner that dies), the host lives on as an orphan; its next write fails with EPIPE, and
 * the host's own error handler then writes that error to the equally broken stderr, failing again, in a loop that
 * eats a core and gigabytes of memory (seen with @pulumi/pulumi 3.270 under the real engine). Nobody is left to
 * receive a result, and the next `pulumi up` finds what this process made by its restore token, so exiting is safe.
 */
export function exitOnBrokenPipes(exit: (code: number) => void = (c) => process.exit(c)): void {
    const guard = processSlot<boolean>(GUARD);
    if (guard.get()) return;
    guard.set(true);
    for (const stream of [process.stdout, process.stderr]) {
        stream.on("error", (e: NodeJS.ErrnoException) => {
            if (e.code === "EPIPE") exit(0);
        });
    }
}

/** Prints one progress line for a resource, redacted. */
export function progress(resource: string, message: string): void {
    exitOnBrokenPipes();
    const line = redact(`[pulumi-restore] ${resource}: ${message}`);
    const sink = processSlot<ProgressSink>(SINK).get();
    if (sink) sink(line);
    else console.log(line);
}

/** The Pulumi resource a provider call works for (its name as declared in the program), when the host says it. */
const resourceScope = new AsyncLocalStorage<{ name: string }>();

/**
 * Runs `f` as the work of the Pulumi resource `name`, so that {@link resourceLabel} names it. Without a name (a host
 * that did not say), `f` runs in the surrounding scope.
 */
export function asResource<T>(name: string | undefined, f: () => T): T {
    return name ? resourceScope.run({ name }, f) : f();
}

/**
 * The label of progress lines: the resource type and the Pulumi resource's name (`RestoredInstance "staging-db"`), as
 * the user declared it, when the call runs under {@link asResource}; else `fallback` (the type and the cloud's own
 * name or id, as before); `kind` is the type's name (default: the first word of `fallback`). Providers compute it once at the start of a call and pass the string on, so that lines
 * written later from shared work (a poller serving several resources) still name the right resource.
 */
export function resourceLabel(fallback: string, kind = fallback.split(" ")[0]): string {
    const name = resourceScope.getStore()?.name;
    if (!name) return fallback;
    return `${kind} ${JSON.stringify(name)}`;
}
