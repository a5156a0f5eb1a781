import { Clock } from "./clock";
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

/** What {@link callOnceOrFind} needs. */
export interface CallOnceOptions<R, F> {
    /** The non-idempotent API action, for messages (`RestoreInstance`). */
    action: string;
    /** What the action makes, for messages (`instance`). */
    thing: string;
    /** Makes the call once. */
    call: () => Promise<R>;
    /** Looks for what an earlier call made; gets the time the last call started (for time-window matching). */
    find: (callStartedAt: number) => Promise<F | undefined>;
    /** Names what was found, for the progress line (`instance c-123`). */
    describe: (found: F) => string;
    /** How the search is described in the final error (`no instance tagged with restore token prt-...`). */
    notFound: string;
    clock: Clock;
    /** How long to keep looking after an uncertain outcome before calling again (ms). */
    settleMs: number;
    /** Longest pause between two looks (ms). */
    lookEveryMs: number;
    /** No call and no look after this (clock ms). */
    deadline: number;
    /** Calls in all before giving up (default 3). */
    maxAttempts?: number;
    /** Which failures leave the outcome unknown (default {@link isUncertain}); all others are thrown at once. */
    uncertain?: (e: unknown) => boolean;
    report: (line: string) => void;
}

/** Either the call's own answer, or what an earlier, uncertain call turned out to have made. */
export type CallOnceResult<R, F> = { called: R; found?: undefined } | { found: F; called?: undefined };

/**
 * Calls a non-idempotent action so that one intent never makes two things. After an uncertain outcome (lost answer,
 * 5xx, time-out, truncated body) it looks for the result of that call for `settleMs` and returns it when found; only
 * when nothing appeared does it call again, at most `maxAttempts` calls in all. A certain failure of the call is thrown
 * at once, as is (unchanged); use {@link callOnceOrFindTagged} to tell it apart from failures of `find`.
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
    const max = o.maxAttempts ?? 3;
    const uncertain = o.uncertain ?? isUncertain;
    for (let attempt = 1; ; attempt++) {
        const callStartedAt = o.clock.now();
        try {
            return { called: await o.call() };
        } catch (e) {
            if (!uncertain(e)) throw new CertainFailure(e);
            o.report(`the ${o.action} answer was lost (${(e as CloudError).code}); looking for the ${o.thing} it may have started`);
            const settleUntil = Math.min(o.deadline, o.clock.now() + o.settleMs);
            for (;;) {
                const found = await o.find(callStartedAt);
                if (found !== undefined) {
                    o.report(`found ${o.describe(found)} started by the interrupted call`);
                    return { found };
                }
                if (o.clock.now() >= settleUntil) break;
                await o.clock.sleep(Math.min(o.lookEveryMs, Math.max(1, settleUntil - o.clock.now())));
            }
            if (attempt >= max || o.clock.now() >= o.deadline) {
                throw new Error(
                    `${o.action} failed ${attempt} times with uncertain outcomes (last: ${errorText(e)}) and ${o.notFound} appeared. ` +
                        `Nothing is recorded; run \`pulumi up\` again: it looks for the ${o.thing} before restoring.`,
                );
            }
            o.report(`no ${o.thing} appeared; calling ${o.action} again (attempt ${attempt + 1})`);
        }
    }
}
