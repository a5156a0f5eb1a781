import { Clock } from "./clock";
import { formatDuration } from "./duration";
import { CloudError, errorText } from "./errors";
import { isUncertain } from "./http";

/** The call itself failed with a certain outcome (nothing was done); `cause` is the call's error. */
export class CertainFailure extends Error {
    constructor(readonly cause: unknown) {
        super(cause instanceof Error ? cause.message : String(cause));
        this.name = "CertainFailure";
    }
}

/** Throws the call's own error out of a {@link CertainFailure}; other errors unchanged. */
export function unwrapCertain(e: unknown): unknown {
    return e instanceof CertainFailure ? e.cause : e;
}

/**
 * A non-idempotent call whose outcome stayed unknown, and whose result did not appear in time. The call was not
 * repeated: the cloud may still carry it out late. Its message says what to check and what the next `pulumi up` does.
 */
export class UncertainOutcomeError extends Error {
    constructor(
        message: string,
        readonly action: string,
    ) {
        super(message);
        this.name = "UncertainOutcomeError";
    }
}

/** What the message of an {@link UncertainOutcomeError} says, besides the action and the failure. */
export interface UncertainAdvice {
    /** What a second call could do (`make a second instance`). */
    duplicate: string;
    /** What the user can check before running `pulumi up` again (a full sentence). */
    check: string;
    /** What the next `pulumi up` looks for first (`the instance tagged with restore token prt-...`). */
    lookup: string;
}

/** The message of an {@link UncertainOutcomeError}. */
export function uncertainMessage(
    action: string,
    cause: unknown,
    notFound: string,
    settleMs: number,
    a: UncertainAdvice,
): string {
    return (
        `the outcome of ${action} is unknown (${errorText(cause)}) and ${notFound} appeared within ` +
        `${formatDuration(settleMs)}. ${action} is not called again now: the cloud may still carry out that call ` +
        `late, and a second call could ${a.duplicate}. ${a.check} Then run \`pulumi up\` again: it first looks for ` +
        `${a.lookup} and follows it; only if there is none does it call ${action} again.`
    );
}

/** What {@link callOnceOrFind} needs. */
export interface CallOnceOptions<R, F> extends UncertainAdvice {
    /** The non-idempotent API action, for messages (`RestoreInstance`). */
    action: string;
    /** What the action makes, for messages (`instance`). */
    thing: string;
    /** Makes the call once. */
    call: () => Promise<R>;
    /**
     * Looks for what the call made; gets the time the call started. It must find only what this resource can be
     * proven to have made (a token it wrote), never something that merely looks alike; it may throw to stop with an
     * error of its own (e.g. something alike appeared that cannot be proven to be ours).
     */
    find: (callStartedAt: number) => Promise<F | undefined>;
    /** Names what was found, for the progress line (`instance c-123`). */
    describe: (found: F) => string;
    /** How the search is described in the final error (`no instance tagged with token prt-...`). */
    notFound: string;
    clock: Clock;
    /** How long to keep looking after an uncertain outcome (ms). */
    settleMs: number;
    /** Longest pause between two looks (ms). */
    lookEveryMs: number;
    /** No look after this (clock ms). */
    deadline: number;
    /** Which failures leave the outcome unknown (default {@link isUncertain}); all others are thrown at once. */
    uncertain?: (e: unknown) => boolean;
    report: (line: string) => void;
}

/** Either the call's own answer, or what the uncertain call turned out to have made. */
export type CallOnceResult<R, F> = { called: R; found?: undefined } | { found: F; called?: undefined };

/**
 * Calls a non-idempotent action once, so that one intent never makes two things. After an uncertain outcome (lost
 * answer, 5xx, time-out, truncated body, an error body the cloud may have acted on) it looks for the result of that
 * call for `settleMs` and returns it when found. When nothing appeared it does NOT call again: a cloud may carry a
 * request out long after it was received, and nothing short of its result can rule that out. It throws an
 * {@link UncertainOutcomeError} saying what to check; the next `pulumi up` looks for the result first. A certain
 * failure of the call is thrown at once, as is; use {@link callOnceOrFindTagged} to tell it apart from failures of
 * `find`.
 */
export async function callOnceOrFind<R, F>(o: CallOnceOptions<R, F>): Promise<CallOnceResult<R, F>> {
    try {
        return await callOnceOrFindTagged(o);
    } catch (e) {
        throw unwrapCertain(e);
    }
}

/** {@link callOnceOrFind}, but a certain failure of the call comes out wrapped in a {@link CertainFailure}. */
export async function callOnceOrFindTagged<R, F>(o: CallOnceOptions<R, F>): Promise<CallOnceResult<R, F>> {
    const uncertain = o.uncertain ?? isUncertain;
    const callStartedAt = o.clock.now();
    try {
        return { called: await o.call() };
    } catch (e) {
        if (!uncertain(e)) throw new CertainFailure(e);
        const code = e instanceof CloudError ? e.code : "unknown";
        o.report(
            `the ${o.action} answer was lost or unclear (${code}); looking for the ${o.thing} it may have started ` +
                `(${o.action} is not called again)`,
        );
        const settleUntil = Math.min(o.deadline, o.clock.now() + o.settleMs);
        for (;;) {
            const found = await o.find(callStartedAt);
            if (found !== undefined) {
                o.report(`found ${o.describe(found)} started by that call`);
                return { found };
            }
            if (o.clock.now() >= settleUntil) break;
            await o.clock.sleep(Math.min(o.lookEveryMs, Math.max(1, settleUntil - o.clock.now())));
        }
        throw new UncertainOutcomeError(uncertainMessage(o.action, e, o.notFound, o.settleMs, o), o.action);
    }
}
