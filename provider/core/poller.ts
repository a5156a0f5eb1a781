import { createHash } from "crypto";
import { Clock } from "./clock";
import { formatDuration, formatElapsed, formatExact } from "./duration";
import { CloudError } from "./errors";
import { progress } from "./progress";

/** How the poll interval grows: a fraction of the time already waited, between a floor and a ceiling. */
export interface PollSchedule {
    /** Shortest interval, ms (default 2 s). */
    minIntervalMs: number;
    /** Longest interval, ms (default 2 min). */
    maxIntervalMs: number;
    /** Interval as a fraction of the elapsed time (default 0.029). */
    fraction: number;
    /**
     * Wake-ups fall on multiples of this many ms of the clock (never later than the interval says, at most this much
     * earlier), so that waits started at different moments wake together and share one batched look-up
     * ({@link SharedPoller}). Default 250; at most a quarter of the floor; 0 turns it off.
     */
    alignMs?: number;
}

/**
 * Defaults: the completion lag stays under max(2 s, 3 % of the restore's duration) with close to the fewest status
 * calls that allow (2.9 %, a margin under 3 %; the 10 min cap binds only beyond about 5.7 h).
 */
export const defaultSchedule: PollSchedule = {
    minIntervalMs: 2000,
    maxIntervalMs: 600_000,
    fraction: 0.029,
    alignMs: 250,
};

/**
 * The defaults, with the floor taken from `PULUMI_RESTORE_POLL_MIN_MS` when that is set in `env` (for emulators and
 * tests, where restores take seconds; read at call time, 50 ms at the least).
 */
export function effectiveSchedule(env: NodeJS.ProcessEnv): PollSchedule {
    const raw = env.PULUMI_RESTORE_POLL_MIN_MS;
    if (raw === undefined || raw === "") return defaultSchedule;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0)
        throw new Error(`PULUMI_RESTORE_POLL_MIN_MS must be a number of milliseconds > 0 (got "${raw}")`);
    return { ...defaultSchedule, minIntervalMs: Math.max(50, Math.round(n)) };
}

/**
 * How a provider's waits poll: its injected schedule, else {@link effectiveSchedule} of its injected environment, read
 * now (so `PULUMI_RESTORE_POLL_MIN_MS` sets the floor of every cloud's waits).
 */
export function scheduleOf(deps: { schedule?: PollSchedule; env: NodeJS.ProcessEnv }): PollSchedule {
    return deps.schedule ?? effectiveSchedule(deps.env);
}

/** The interval to wait after `elapsedMs` of waiting. */
export function pollInterval(elapsedMs: number, s: PollSchedule): number {
    return Math.round(Math.min(s.maxIntervalMs, Math.max(s.minIntervalMs, elapsedMs * s.fraction)));
}

/**
 * When a wait that asked at `asked` (and got its answer at `now`) looks next: `interval` after it asked, moved back to
 * the schedule's alignment grid when that still leaves at least three quarters of the interval; never before `now`.
 */
export function nextWake(asked: number, now: number, interval: number, s: PollSchedule): number {
    const grid = Math.min(s.alignMs ?? 0, Math.floor(s.minIntervalMs / 4));
    const due = asked + interval;
    if (grid <= 0) return Math.max(now, due);
    const aligned = Math.floor(due / grid) * grid;
    return Math.max(now, aligned >= asked + (3 * interval) / 4 ? aligned : due);
}

/** One look at the thing being waited for. */
export interface Observation<T> {
    /** True when waiting is over (success). */
    done: boolean;
    /** A short status for progress lines; a new value is printed at once. */
    status: string;
    /**
     * How progress lines name the status when the cloud's own word would mislead (StarRocks reports `restarting` while
     * it restores a backup); a change of {@link status} still prints a line, and errors keep {@link status}.
     */
    shown?: string;
    /** The value returned when done. */
    value?: T;
    /** Set when the thing waited for can no longer succeed: waiting stops with an error saying this. */
    failed?: string;
}

/** Raised when a probe reports `failed`. */
export class WaitFailed extends Error {
    constructor(
        message: string,
        readonly lastStatus: string,
    ) {
        super(message);
        this.name = "WaitFailed";
    }
}

/**
 * Raised by a probe when the thing waited for no longer exists (deleted out of band while it was being made).
 * Waiting again can never succeed: a create reports it with nothing recorded, so that the next `pulumi up` makes
 * it again; a resumed wait (update) records the gone status, so that the next `pulumi up` replaces it.
 */
export class ResourceGone extends Error {
    constructor(
        message: string,
        readonly lastStatus: string,
    ) {
        super(message);
        this.name = "ResourceGone";
    }
}

/**
 * The last status a wait saw before it ended with this error (every error out of {@link waitUntil} carries it), or
 * `fallback` when there was none.
 */
export function lastStatusOf(e: unknown, fallback: string): string {
    const s = (e as { lastStatus?: unknown } | undefined)?.lastStatus;
    return typeof s === "string" && s !== "" && s !== "unknown" ? s : fallback;
}

/**
 * The time one operation may take, as a resource's `timeouts` sets it: the wait's deadline is `startedAt + ms`. A wait
 * that knows it reports a time-out as the limit that ran out and the time the whole operation took, not just the wait.
 */
export interface TimeLimit {
    /** The setting, for messages (`timeouts.create`). */
    name: string;
    /** The limit, ms. */
    ms: number;
    /** When the operation began (clock ms). */
    startedAt: number;
    /** `startedAt + ms`. */
    deadline: number;
    /** True when the resource does not set it and the default applies. */
    isDefault?: boolean;
}

/** A {@link TimeLimit} named `name`, of `ms`, for an operation that began at `startedAt`. */
export function timeLimit(name: string, ms: number, startedAt: number, isDefault = false): TimeLimit {
    return { name, ms, startedAt, deadline: startedAt + ms, ...(isDefault ? { isDefault } : {}) };
}

/** "timeouts.create is 2s", "timeouts.delete is 1h (the default)". */
export function describeLimit(limit: TimeLimit): string {
    return `${limit.name} is ${formatExact(limit.ms)}${limit.isDefault ? " (the default)" : ""}`;
}

/** What {@link waitUntil} needs. */
export interface WaitOptions<T> {
    /** What is being waited for, for messages ("instance c-123 to be running"). */
    what: string;
    /** Looks once; throws to stop waiting with an error (e.g. a failed task). */
    probe: () => Promise<Observation<T>>;
    /** Absolute deadline in the clock's ms. */
    deadline: number;
    /** The operation's limit this deadline comes from, for an honest time-out message. */
    limit?: TimeLimit;
    clock: Clock;
    /** Receives progress lines: on start, on each status change and at least every `heartbeatMs`. */
    report: (line: string) => void;
    /**
     * The line that says the wait is over (`instance c-123 is running`), followed by the time waited. Default:
     * `<what>: <status> after <time>`. The one completion line: callers do not print their own after it.
     */
    doneText?: string;
    /** How this wait polls: a provider passes {@link scheduleOf} its deps. */
    schedule: PollSchedule;
    /** Longest silence between progress lines (default 60 s). */
    heartbeatMs?: number;
    /** Probe failures that are retryable are tolerated this many times in a row (default 5). */
    maxTransientFailures?: number;
}

/**
 * Raised when the deadline passes before the wait is over. With the operation's {@link TimeLimit} the message gives the
 * time the operation took and the limit that ran out ("timed out after 2.0s waiting for ...: timeouts.create is 2s");
 * without, the time this wait took; both to the tenth of a second, so a 2 s limit never reads as "after 1s".
 */
export class WaitTimeout extends Error {
    constructor(
        readonly what: string,
        readonly lastStatus: string,
        readonly waitedMs: number,
        readonly limit?: TimeLimit,
        /** Time since the operation began (the limit's start), when the limit is known. */
        readonly elapsedMs?: number,
    ) {
        super(
            limit && elapsedMs !== undefined
                ? `timed out after ${formatElapsed(elapsedMs)} waiting for ${what} (last status: ${lastStatus}): ` +
                      describeLimit(limit)
                : `timed out after ${formatElapsed(waitedMs)} waiting for ${what} (last status: ${lastStatus})`,
        );
        this.name = "WaitTimeout";
    }
}

/**
 * Waits until `probe` says done. The interval grows with the time already waited (see {@link pollInterval}), so a
 * short restore is noticed within seconds and a four-hour one does not cost thousands of status calls. Sleeping is
 * cut into heartbeats so that a progress line appears at least every minute.
 */
export async function waitUntil<T>(o: WaitOptions<T>): Promise<T> {
    let last = "";
    try {
        return await waitLoop(o, (s) => (last = s));
    } catch (e) {
        if (e instanceof Error && (e as { lastStatus?: unknown }).lastStatus === undefined)
            Object.assign(e, { lastStatus: last || "unknown" });
        throw e;
    }
}

async function waitLoop<T>(o: WaitOptions<T>, seen: (status: string) => void): Promise<T> {
    const start = o.clock.now();
    const heartbeat = o.heartbeatMs ?? 60_000;
    const maxTransient = o.maxTransientFailures ?? 5;
    const schedule = o.schedule;
    let last = "";
    /** {@link last} as progress lines name it ({@link Observation.shown}). */
    let shown = "";
    let lastLine = start;
    let transient = 0;
    o.report(`waiting for ${o.what}`);
    for (;;) {
        let obs: Observation<T> | undefined;
        const asked = o.clock.now();
        try {
            obs = await o.probe();
            transient = 0;
        } catch (e) {
            if (!(e instanceof CloudError) || !e.retryable || ++transient > maxTransient) throw e;
        }
        const now = o.clock.now();
        if (obs) {
            seen(obs.status);
            if (obs.failed !== undefined) throw new WaitFailed(obs.failed, obs.status);
            if (obs.done) {
                const took = formatDuration(now - start);
                o.report(
                    o.doneText ? `${o.doneText} (${took})` : `${o.what}: ${obs.shown ?? obs.status} after ${took}`,
                );
                return obs.value as T;
            }
            if (obs.status !== last) {
                shown = obs.shown ?? obs.status;
                o.report(`${shown} (${formatDuration(now - start)} elapsed)`);
                last = obs.status;
                lastLine = now;
            }
        }
        if (now >= o.deadline) {
            throw new WaitTimeout(o.what, last || "unknown", now - start, o.limit, o.limit && now - o.limit.startedAt);
        }
        // The interval runs from when this look was asked for: a look that waited for its turn (a shared look-up, the
        // rate window) does not push the next one back. The wake-up then moves back to the alignment grid.
        let sleep = Math.min(nextWake(asked, now, pollInterval(asked - start, schedule), schedule), o.deadline) - now;
        while (sleep > 0) {
            const untilHeartbeat = lastLine + heartbeat - o.clock.now();
            const chunk = Math.max(1, Math.min(sleep, untilHeartbeat > 0 ? untilHeartbeat : sleep));
            await o.clock.sleep(chunk);
            sleep -= chunk;
            if (o.clock.now() - lastLine >= heartbeat) {
                o.report(`still ${shown || "waiting"} (${formatDuration(o.clock.now() - start)} elapsed)`);
                lastLine = o.clock.now();
            }
        }
    }
}

/** What a batched look-up answers for one key: the value, `undefined` when the thing does not exist, or an error. */
export type LookupAnswer<V> = V | undefined | Error;

/**
 * Looks up many keys at once (one call, or a few, for all of them) and answers each. A key missing from the map
 * answers `undefined` (does not exist); an `Error` in the map reaches only the waiters of that key; a thrown error
 * reaches every waiter of the batch, since none of them got an answer.
 */
export type BatchLookup<V> = (keys: string[], memo: Map<string, number>) => Promise<Map<string, LookupAnswer<V>>>;

/**
 * One status poller shared by every wait of one (cloud, endpoint, credential, scope) in a process. Each wait keeps its
 * own schedule ({@link waitUntil}: floor, share of elapsed time, cap), deadline, heartbeat and error handling, and asks
 * this poller instead of calling the API itself; the poller answers every key asked for since its last call with one
 * batched look-up. A key asked for while a look-up is under way goes into the next one, so every answer comes from a
 * call that began after it was asked for: never a stale status. With nothing under way a look-up starts on the next
 * turn of the event loop, so a lone wait is answered as fast as a direct call.
 */
export class SharedPoller<V> {
    private pending = new Map<string, { resolve: (v: V | undefined) => void; reject: (e: unknown) => void }[]>();
    private lookup?: BatchLookup<V>;
    private running = false;
    private scheduled = false;
    /** What the look-up remembers between calls (e.g. the size of a listing). */
    readonly memo = new Map<string, number>();
    /** Look-ups made and keys answered, for tests and figures. */
    readonly stats = { lookups: 0, keys: 0, largest: 0 };

    /**
     * The status of `key`, from a look-up that begins after this call. `lookup` is this caller's way to look (the most
     * recent caller's is used, so a look-up always runs with current configuration).
     */
    get(key: string, lookup: BatchLookup<V>): Promise<V | undefined> {
        this.lookup = lookup;
        return new Promise<V | undefined>((resolve, reject) => {
            const l = this.pending.get(key) ?? [];
            l.push({ resolve, reject });
            this.pending.set(key, l);
            this.kick();
        });
    }

    private kick(): void {
        if (this.running || this.scheduled) return;
        this.scheduled = true;
        // Waits that wake together (the same turn) share the call.
        setImmediate(() => void this.flush());
    }

    private async flush(): Promise<void> {
        this.scheduled = false;
        if (this.running || this.pending.size === 0 || !this.lookup) return;
        this.running = true;
        const batch = this.pending;
        this.pending = new Map();
        const keys = [...batch.keys()];
        this.stats.lookups++;
        this.stats.keys += keys.length;
        this.stats.largest = Math.max(this.stats.largest, keys.length);
        try {
            const answers = await this.lookup(keys, this.memo);
            for (const [key, waiters] of batch) {
                const a = answers.get(key);
                for (const w of waiters)
                    if (a instanceof Error) w.reject(a);
                    else w.resolve(a);
            }
        } catch (e) {
            for (const waiters of batch.values()) for (const w of waiters) w.reject(e);
        } finally {
            this.running = false;
            if (this.pending.size > 0) this.kick();
        }
    }
}

const POLLERS = new WeakMap<object, Map<string, SharedPoller<unknown>>>();

/**
 * The {@link SharedPoller} of one (cloud, endpoint, credential, scope) for `owner`, the provider instance: a
 * dynamic-provider host loads each provider's entry module once, so every resource of one host shares it. (Not kept
 * on `globalThis` like the rate windows: a poller holds requests in flight, and two provider instances in one process
 * are two hosts in tests, where one may be frozen mid-call to play a killed host.) The credential is hashed into the
 * key, which is never printed.
 */
export function sharedPoller<V>(
    owner: object,
    parts: { cloud: string; endpoint: string; credential: string; scope?: string },
): SharedPoller<V> {
    let map = POLLERS.get(owner);
    if (!map) {
        map = new Map();
        POLLERS.set(owner, map);
    }
    const cred = createHash("sha256").update(parts.credential).digest("hex").slice(0, 16);
    const key = `${parts.cloud}|${parts.endpoint}|${cred}|${parts.scope ?? "*"}`;
    let p = map.get(key);
    if (!p) {
        p = new SharedPoller<unknown>();
        map.set(key, p);
    }
    return p as SharedPoller<V>;
}

/**
 * Sleeps before checking a lock (another flow holding what a create needs) again, printing `why` when it changed since
 * `lastWhy`; once the create time-out has passed, fails with `why` and what to do. `start`: when the waiting began.
 */
export async function waitOutLock(
    deps: { clock: Clock; schedule?: PollSchedule; env: NodeJS.ProcessEnv },
    o: { why: string; lastWhy: string; label: string; start: number; limit: TimeLimit },
): Promise<void> {
    const now = deps.clock.now();
    const { deadline } = o.limit;
    if (now >= deadline) {
        const took = formatElapsed(now - o.limit.startedAt);
        const todo = "Wait until it is free, or raise timeouts.create, and run `pulumi up` again";
        throw new Error(`gave up after ${took} (create time-out: ${describeLimit(o.limit)}): ${o.why}. ${todo}`);
    }
    if (o.why !== o.lastWhy) progress(o.label, `${o.why}; waiting and trying again`);
    await deps.clock.sleep(Math.min(pollInterval(now - o.start, scheduleOf(deps)), deadline - now));
}
