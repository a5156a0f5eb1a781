/**
 * The deadline of the operation being carried out (`timeouts.create`, `.update`, `.delete` as the resource sets it, or
 * the engine's customTimeouts through the plugin), visible to every API call made on its behalf, however deep.
 *
 * Waits already stop at their deadline; this is for what happens inside one call: a retry's backoff, or a server's
 * `Retry-After` of 45 s, must not carry an operation past the limit the user set. {@link ApiCaller} reads it before it
 * sleeps and gives up, saying why, when the sleep would end after the deadline.
 */
import { AsyncLocalStorage } from "async_hooks";

/** The limit in force: its name for messages, its length, and the deadline on the provider's clock. */
export interface OperationDeadline {
    /** `timeouts.create` */
    name: string;
    /** The limit's length, ms. */
    ms: number;
    /** Clock ms after which nothing may be waited for. */
    deadline: number;
}

const scope = new AsyncLocalStorage<OperationDeadline>();

/** Runs `f` with `d` as the operation's deadline (an inner one that ends sooner wins). */
export function withDeadline<T>(d: OperationDeadline | undefined, f: () => T): T {
    if (!d) return f();
    const outer = scope.getStore();
    if (outer && outer.deadline <= d.deadline) return f();
    return scope.run(d, f);
}

/** The deadline of the operation under way, if one was set. */
export function currentDeadline(): OperationDeadline | undefined {
    return scope.getStore();
}
