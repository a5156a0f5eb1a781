import { strict as assert } from "assert";
import { CloudError } from "../../provider/core/errors";
import { isUncertain } from "../../provider/core/http";
import {
    CertainFailure,
    UncertainOutcomeError,
    callOnceOrFind,
    callOnceOrFindTagged,
} from "../../provider/core/settle";
import { VirtualClock } from "../../harness/clock";

const lost = () =>
    new CloudError({
        cloud: "test",
        action: "Make",
        code: "NetworkError",
        message: "connection reset",
        retryable: true,
    });
const refused = () =>
    new CloudError({
        cloud: "test",
        action: "Make",
        httpStatus: 400,
        code: "InvalidParameter",
        message: "bad",
        retryable: false,
    });

function harness(outcomes: (() => string)[], appearsAfterCall?: number) {
    const clock = new VirtualClock(0);
    let calls = 0;
    let finds = 0;
    const made: string[] = [];
    const lines: string[] = [];
    const opts = {
        action: "Make",
        thing: "widget",
        clock,
        settleMs: 10_000,
        lookEveryMs: 2000,
        deadline: 3_600_000,
        report: (l: string) => lines.push(l),
        describe: (w: string) => `widget ${w}`,
        notFound: "no widget",
        duplicate: "make a second widget",
        check: "Check the widget list.",
        lookup: "the widget with this token",
        call: async () => {
            const n = calls++;
            if (appearsAfterCall === n) made.push(`w${n}`);
            return outcomes[Math.min(n, outcomes.length - 1)]();
        },
        find: async () => {
            finds++;
            return made[0];
        },
    };
    return { opts, clock, lines, calls: () => calls, finds: () => finds };
}

describe("core: callOnceOrFind (one intent never makes two things)", () => {
    it("returns the call's answer when it succeeds, without looking", async () => {
        const h = harness([() => "w-new"]);
        assert.deepEqual(await callOnceOrFind(h.opts), { called: "w-new" });
        assert.equal(h.finds(), 0);
    });
    it("after a lost answer, finds what the call made and never calls again", async () => {
        const h = harness(
            [
                () => {
                    throw lost();
                },
            ],
            0,
        );
        assert.deepEqual(await callOnceOrFind(h.opts), { found: "w0" });
        assert.equal(h.calls(), 1);
        assert.ok(h.lines.some((l) => /answer was lost or unclear \(NetworkError\)/.test(l)));
    });
    it("after an uncertain outcome with nothing found within settleMs, never calls again: stops with what to check", async () => {
        const h = harness([
            () => {
                throw lost();
            },
            () => "w-second",
        ]);
        const e = (await callOnceOrFind(h.opts).catch((x) => x)) as Error;
        assert.ok(e instanceof UncertainOutcomeError, String(e));
        assert.equal(h.calls(), 1, "a second call could make a second widget if the cloud carries the first out late");
        assert.ok(h.finds() >= 5, "looked every 2 s for 10 s");
        assert.ok(h.clock.now() >= 10_000 && h.clock.now() < 20_000);
        assert.match(
            e.message,
            /outcome of Make is unknown .*no widget appeared within 10s.*not called again.*make a second widget.*Check the widget list\..*run `pulumi up` again: it first looks for the widget with this token/,
        );
    });
    it("a result that appears late within settleMs is followed (the cloud carried the call out late)", async () => {
        const h = harness([
            () => {
                throw lost();
            },
        ]);
        const opts = { ...h.opts, find: async () => (h.clock.now() >= 7000 ? "w-late" : undefined) };
        assert.deepEqual(await callOnceOrFind(opts), { found: "w-late" });
        assert.equal(h.calls(), 1);
    });
    it("a certain failure is thrown at once as is; the tagged variant wraps it so callers can tell it from a failed look", async () => {
        const h = harness([
            () => {
                throw refused();
            },
        ]);
        const e = await callOnceOrFind(h.opts).catch((x) => x);
        assert.ok(e instanceof CloudError && e.code === "InvalidParameter");
        assert.equal(h.finds(), 0);
        const t = await callOnceOrFindTagged(
            harness([
                () => {
                    throw refused();
                },
            ]).opts,
        ).catch((x) => x);
        assert.ok(t instanceof CertainFailure && t.cause instanceof CloudError);
    });
    it("an error's explicit uncertain flag wins over the guess from status and code", async () => {
        const base = { cloud: "test", action: "Make", message: "m", retryable: false };
        assert.equal(
            isUncertain(new CloudError({ ...base, httpStatus: 200, code: "InternalError" })),
            false,
            "guess: a 200 answer is certain",
        );
        assert.equal(
            isUncertain(new CloudError({ ...base, httpStatus: 200, code: "InternalError", uncertain: true })),
            true,
        );
        assert.equal(
            isUncertain(new CloudError({ ...base, httpStatus: 503, code: "Busy" })),
            true,
            "guess: 5xx is uncertain",
        );
        assert.equal(isUncertain(new CloudError({ ...base, httpStatus: 503, code: "Busy", uncertain: false })), false);
        const h = harness(
            [
                () => {
                    throw new CloudError({ ...base, httpStatus: 200, code: "InternalError", uncertain: true });
                },
            ],
            0,
        );
        assert.deepEqual(await callOnceOrFind(h.opts), { found: "w0" }, "a flagged fault is looked after, not thrown");
    });
});
