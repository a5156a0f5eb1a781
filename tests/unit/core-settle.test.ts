import { strict as assert } from "assert";
import { CloudError } from "../../provider/core/errors";
import { isUncertain } from "../../provider/core/http";
import { CertainFailure, callOnceOrFind, callOnceOrFindTagged } from "../../provider/core/settle";
import { VirtualClock } from "../support/clock";

const lost = () => new CloudError({ cloud: "test", action: "Make", code: "NetworkError", message: "connection reset", retryable: true });
const refused = () => new CloudError({ cloud: "test", action: "Make", httpStatus: 400, code: "InvalidParameter", message: "bad", retryable: false });

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
        const h = harness([() => { throw lost(); }], 0);
        assert.deepEqual(await callOnceOrFind(h.opts), { found: "w0" });
        assert.equal(h.calls(), 1);
        assert.ok(h.lines.some((l) => /answer was lost \(NetworkError\)/.test(l)));
    });
    it("looks for settleMs before calling again, and stops after maxAttempts calls with an error that says what to do", async () => {
        const h = harness([() => { throw lost(); }]);
        const e = (await callOnceOrFind(h.opts).catch((x) => x)) as Error;
        assert.equal(h.calls(), 3);
        assert.ok(h.finds() >= 3 * 5, "looked every 2 s for 10 s after each call");
        assert.ok(h.clock.now() >= 30_000);
        assert.match(e.message, /Make failed 3 times with uncertain outcomes .*no widget appeared.*run `pulumi up` again/);
    });
    it("a lost answer, nothing made, then a second call that succeeds", async () => {
        const h = harness([() => { throw lost(); }, () => "w-second"]);
        assert.deepEqual(await callOnceOrFind(h.opts), { called: "w-second" });
        assert.equal(h.calls(), 2);
    });
    it("a certain failure is thrown at once as is; the tagged variant wraps it so callers can tell it from a failed look", async () => {
        const h = harness([() => { throw refused(); }]);
        const e = await callOnceOrFind(h.opts).catch((x) => x);
        assert.ok(e instanceof CloudError && e.code === "InvalidParameter");
        assert.equal(h.finds(), 0);
        const t = await callOnceOrFindTagged(harness([() => { throw refused(); }]).opts).catch((x) => x);
        assert.ok(t instanceof CertainFailure && t.cause instanceof CloudError);
    });
    it("an error's explicit uncertain flag wins over the guess from status and code", async () => {
        const base = { cloud: "test", action: "Make", message: "m", retryable: false };
        assert.equal(isUncertain(new CloudError({ ...base, httpStatus: 200, code: "InternalError" })), false, "guess: a 200 answer is certain");
        assert.equal(isUncertain(new CloudError({ ...base, httpStatus: 200, code: "InternalError", uncertain: true })), true);
        assert.equal(isUncertain(new CloudError({ ...base, httpStatus: 503, code: "Busy" })), true, "guess: 5xx is uncertain");
        assert.equal(isUncertain(new CloudError({ ...base, httpStatus: 503, code: "Busy", uncertain: false })), false);
        const h = harness([() => { throw new CloudError({ ...base, httpStatus: 200, code: "InternalError", uncertain: true }); }], 0);
        assert.deepEqual(await callOnceOrFind(h.opts), { found: "w0" }, "a flagged fault is looked after, not thrown");
    });
});
