import { strict as assert } from "assert";
import { backoffDelay, retryAfterMs } from "../../provider/core/backoff";
import { parseDuration } from "../../provider/core/duration";
import { CloudError } from "../../provider/core/errors";
import { ApiCaller, HttpRequest, HttpResponse, NetworkFailure, Transport } from "../../provider/core/http";
import {
    defaultSchedule,
    effectiveSchedule,
    lastStatusOf,
    pollInterval,
    waitUntil,
    WaitFailed,
    WaitTimeout,
} from "../../provider/core/poller";
import { SlidingWindow, sharedBucket } from "../../provider/core/rateLimit";
import { redact, registerSecret } from "../../provider/core/redact";
import { diffProps, restoreToken } from "../../provider/core/resource";
import { Checker, UNKNOWN } from "../../provider/core/validate";
import { SchedulerClock, VirtualClock } from "../../harness/clock";

class ScriptedTransport implements Transport {
    calls = 0;
    constructor(private readonly script: (n: number) => HttpResponse | Error) {}
    async send(_req: HttpRequest): Promise<HttpResponse> {
        const r = this.script(this.calls++);
        if (r instanceof Error) throw r;
        return r;
    }
}

const parse = (res: HttpResponse) => {
    if (res.status === 429 || res.status >= 500) {
        throw new CloudError({
            cloud: "t",
            action: "A",
            httpStatus: res.status,
            code: res.status === 429 ? "Throttling" : "InternalError",
            message: "x",
            retryable: true,
        });
    }
    return JSON.parse(res.body) as { ok: boolean };
};
const ok: HttpResponse = { status: 200, headers: {}, body: '{"ok":true}' };
const build = (): HttpRequest => ({ method: "POST", url: "http://127.0.0.1:1/", headers: {} });

describe("core", () => {
    describe("backoff", () => {
        it("is full jitter within [0, min(cap, base*2^n))", () => {
            const p = { maxAttempts: 5, baseDelayMs: 100, capDelayMs: 1000 };
            assert.equal(
                backoffDelay(0, p, () => 0.999),
                99,
            );
            assert.equal(
                backoffDelay(3, p, () => 0.5),
                400,
            );
            assert.equal(
                backoffDelay(10, p, () => 0.999),
                999,
            );
            assert.equal(
                backoffDelay(0, p, () => 0),
                0,
            );
        });
        it("honours x-acs-retry-after (ms) and Retry-After (seconds or date), the longer wait winning", () => {
            assert.equal(retryAfterMs({ "x-acs-retry-after": "1500" }, 0), 1500);
            assert.equal(retryAfterMs({ "retry-after": "3" }, 0), 3000);
            assert.equal(retryAfterMs({ "retry-after": new Date(10_000).toUTCString() }, 4000), 6000);
            assert.equal(retryAfterMs({}, 0), undefined);
            assert.equal(
                backoffDelay(0, { maxAttempts: 3, baseDelayMs: 100, capDelayMs: 1000 }, () => 0.5, 2500),
                2500,
            );
        });
    });

    describe("ApiCaller", () => {
        it("retries a throttled non-idempotent call (nothing was done) and honours the server's wait", async () => {
            const clock = new VirtualClock();
            const t = new ScriptedTransport((n) =>
                n < 2 ? { status: 429, headers: { "retry-after": "2" }, body: "" } : ok,
            );
            const caller = new ApiCaller({ transport: t, clock, random: () => 0 });
            assert.deepEqual(await caller.call({ cloud: "t", action: "A", build, parse, idempotent: false }), {
                ok: true,
            });
            assert.equal(t.calls, 3);
            assert.deepEqual(clock.slept, [2000, 2000]);
        });
        it("never repeats a non-idempotent call after a 5xx or a lost answer: the caller must look first", async () => {
            for (const failure of [
                { status: 500, headers: {}, body: "" } as HttpResponse,
                new NetworkFailure("reset", "NetworkError", true),
            ]) {
                const t = new ScriptedTransport(() => failure);
                const caller = new ApiCaller({ transport: t, clock: new VirtualClock(), random: () => 0 });
                await assert.rejects(
                    caller.call({ cloud: "t", action: "A", build, parse, idempotent: false }),
                    CloudError,
                );
                assert.equal(t.calls, 1);
            }
        });
        it("retries idempotent calls on 5xx and network errors, up to maxAttempts", async () => {
            const t = new ScriptedTransport((n) => (n < 3 ? new NetworkFailure("reset", "NetworkError", true) : ok));
            const caller = new ApiCaller({ transport: t, clock: new VirtualClock(), random: () => 0.5 });
            await caller.call({ cloud: "t", action: "A", build, parse, idempotent: true });
            assert.equal(t.calls, 4);
            const always = new ScriptedTransport(() => ({ status: 503, headers: {}, body: "" }));
            const c2 = new ApiCaller({
                transport: always,
                clock: new VirtualClock(),
                backoff: { maxAttempts: 4, baseDelayMs: 10, capDelayMs: 100 },
            });
            await assert.rejects(c2.call({ cloud: "t", action: "A", build, parse, idempotent: true }), /InternalError/);
            assert.equal(always.calls, 4);
        });
        it("turns an unreadable answer into MalformedResponse", async () => {
            const t = new ScriptedTransport(() => ({ status: 200, headers: {}, body: '{"ok":tr' }));
            const caller = new ApiCaller({
                transport: t,
                clock: new VirtualClock(),
                backoff: { maxAttempts: 1, baseDelayMs: 1, capDelayMs: 1 },
            });
            await assert.rejects(
                caller.call({ cloud: "t", action: "A", build, parse, idempotent: true }),
                (e: CloudError) => e.code === "MalformedResponse",
            );
        });
    });

    describe("rate window", () => {
        /** The most calls in any one-second window. */
        const worstWindow = (times: number[]) => {
            const t = [...times].sort((a, c) => a - c);
            let worst = 0;
            for (let i = 0; i < t.length; i++) {
                let j = i;
                while (j < t.length && t[j] < t[i] + 1000) j++;
                worst = Math.max(worst, j - i);
            }
            return worst;
        };
        let endpoints = 0;
        /** The provider's window for a fresh key (the function every client uses), limit `limit` per second. */
        const windowFor = (limit: number, clock: SchedulerClock) =>
            sharedBucket({ cloud: "unit", endpoint: `http://127.0.0.1:${++endpoints}`, credential: "k" }, limit, clock);
        /** Takes a place, then "sends": the request arrives `delay(sentAt)` ms later and is answered at once. */
        const call = async (
            w: ReturnType<typeof windowFor>,
            clock: SchedulerClock,
            delay: (t: number) => number,
            arrivals: number[],
        ) => {
            const release = (await w.acquire()) as unknown;
            const d = delay(clock.now());
            if (d > 0) await clock.sleep(d);
            arrivals.push(clock.now());
            if (typeof release === "function") release();
        };

        it("uses about 90 % of the limit and never more in any one-second window, with many concurrent callers", async () => {
            const clock = new SchedulerClock(0);
            const w = windowFor(20, clock);
            const arrivals: number[] = [];
            await Promise.all(Array.from({ length: 200 }, () => call(w, clock, () => 0, arrivals)));
            assert.ok(worstWindow(arrivals) <= 18, `worst window had ${worstWindow(arrivals)} calls`);
            // 200 calls at 18 per second: just over 11 s (a bucket at 75 % would take 13 s).
            assert.ok(Math.max(...arrivals) < 12_000, `200 calls took ${Math.max(...arrivals)} ms`);
        });

        it("counts a call until one second after its answer: requests delayed on the way (a loaded host) never bunch up at the server", async () => {
            const clock = new SchedulerClock(0);
            const w = windowFor(20, clock);
            const arrivals: number[] = [];
            // A stall of up to 0.9 s: whatever is sent in the first 0.9 s of each 2 s arrives at its end, together with
            // what is sent after it. Counting sends only, a second's worth of calls would arrive within 0.1 s of the next.
            const delay = (t: number) => (t % 2000 < 900 ? 900 - (t % 2000) : 0);
            await Promise.all(Array.from({ length: 120 }, () => call(w, clock, delay, arrivals)));
            assert.equal(arrivals.length, 120);
            assert.ok(
                worstWindow(arrivals) <= 18,
                `the server saw ${worstWindow(arrivals)} calls in one second (limit 20)`,
            );
        });

        it("halves its size on a throttling answer (once a second at most), applies it to callers already waiting, and creeps back", async () => {
            const clock = new SchedulerClock(0);
            const b = new SlidingWindow(20, clock);
            assert.equal(b.currentRate, 18);
            const arrivals: number[] = [];
            const waiting = Array.from({ length: 40 }, () => call(b, clock, () => 0, arrivals));
            b.onThrottle();
            b.onThrottle(); // the answers to calls already under way arrive together: one cut, not two
            assert.equal(b.currentRate, 9);
            assert.equal(b.cuts, 1);
            await Promise.all(waiting);
            // 40 calls at 9 a second take over 4 s; at 18 a second they would have taken about 2 s.
            assert.ok(
                Math.max(...arrivals) >= 4000,
                `the cut did not reach callers already waiting (${Math.max(...arrivals)} ms)`,
            );
            assert.ok(worstWindow(arrivals) <= 9);
            clock.advance(1000);
            b.onThrottle();
            assert.equal(b.currentRate, 4.5);
            for (let i = 0; i < 200; i++) b.onSuccess();
            assert.equal(b.currentRate, 18, "accepted calls bring the size back to the maximum, never above");
            for (let i = 0; i < 20; i++) {
                clock.advance(1000);
                b.onThrottle();
            }
            assert.equal(b.currentRate, b.floor, "repeated cuts stop at the floor");
            assert.ok(b.floor > 0);
        });

        it("below one call per second the window widens: a limit of 1 per second allows one call per 1.1 s", async () => {
            const clock = new SchedulerClock(0);
            const w = windowFor(1, clock);
            const arrivals: number[] = [];
            await Promise.all(Array.from({ length: 5 }, () => call(w, clock, () => 0, arrivals)));
            const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]);
            assert.ok(
                gaps.every((g) => g >= 1100),
                `gaps ${gaps.join(", ")}`,
            );
        });
    });

    describe("poller", () => {
        it("grows the interval with elapsed time between a floor and a ceiling", () => {
            assert.equal(pollInterval(0, defaultSchedule), 2000);
            assert.equal(pollInterval(400_000, defaultSchedule), 11_600);
            assert.equal(pollInterval(10 * 3_600_000, defaultSchedule), 600_000);
        });
        it("every error out of a wait carries the last status seen: a failed observation, a probe error, a time-out", async () => {
            const clock = new VirtualClock(0);
            const base = { what: "x", clock, report: () => undefined, schedule: defaultSchedule };
            const seq = (...obs: { status: string; failed?: string }[]) => {
                let i = 0;
                return async () => ({ done: false, ...obs[Math.min(i++, obs.length - 1)] });
            };
            const failed = await waitUntil({
                ...base,
                deadline: 600_000,
                probe: seq({ status: "creating" }, { status: "creating_failed", failed: "x is creating_failed" }),
            }).catch((e) => e);
            assert.ok(failed instanceof WaitFailed);
            assert.equal(failed.message, "x is creating_failed");
            assert.equal(lastStatusOf(failed, "fallback"), "creating_failed");
            let n = 0;
            const thrown = await waitUntil({
                ...base,
                deadline: 600_000,
                probe: async () => {
                    if (n++ < 2) return { done: false, status: "restarting" };
                    throw new Error("gone");
                },
            }).catch((e) => e);
            assert.equal((thrown as Error).message, "gone");
            assert.equal(lastStatusOf(thrown, "fallback"), "restarting");
            const timedOut = await waitUntil({ ...base, deadline: 10_000, probe: seq({ status: "restarting" }) }).catch(
                (e) => e,
            );
            assert.ok(timedOut instanceof WaitTimeout);
            assert.equal(lastStatusOf(timedOut, "fallback"), "restarting");
            const early = await waitUntil({
                ...base,
                deadline: 10_000,
                probe: async () => {
                    throw new Error("at once");
                },
            }).catch((e) => e);
            assert.equal(lastStatusOf(early, "fallback"), "fallback", "nothing seen: the caller's fallback");
        });
        it("takes the floor from PULUMI_RESTORE_POLL_MIN_MS when set, and rejects a bad value naming the variable", () => {
            assert.deepEqual(effectiveSchedule({}), defaultSchedule);
            assert.equal(effectiveSchedule({ PULUMI_RESTORE_POLL_MIN_MS: "250" }).minIntervalMs, 250);
            assert.equal(effectiveSchedule({ PULUMI_RESTORE_POLL_MIN_MS: "1" }).minIntervalMs, 50);
            assert.equal(
                pollInterval(400_000, effectiveSchedule({ PULUMI_RESTORE_POLL_MIN_MS: "250" })),
                11_600,
                "only the floor moves",
            );
            assert.throws(
                () => effectiveSchedule({ PULUMI_RESTORE_POLL_MIN_MS: "fast" }),
                /PULUMI_RESTORE_POLL_MIN_MS.*> 0/,
            );
        });
        it("reports start, each status change and at least every minute, and times out with the last status", async () => {
            const clock = new VirtualClock(0);
            const lines: string[] = [];
            const statuses = ["creating", "creating", "restarting"];
            let n = 0;
            await assert.rejects(
                waitUntil({
                    what: "x to be running",
                    clock,
                    deadline: 10 * 60_000,
                    schedule: defaultSchedule,
                    report: (l) => lines.push(`${clock.now()} ${l}`),
                    probe: async () => ({ done: false, status: statuses[Math.min(n++, 2)] }),
                }),
                (e: WaitTimeout) => e instanceof WaitTimeout && e.lastStatus === "restarting",
            );
            assert.match(lines[0], /waiting for x/);
            assert.ok(lines.some((l) => /creating/.test(l)) && lines.some((l) => /restarting/.test(l)));
            const times = lines.map((l) => Number(l.split(" ")[0]));
            for (let i = 1; i < times.length; i++)
                assert.ok(times[i] - times[i - 1] <= 60_000 + 2000, `gap ${times[i] - times[i - 1]}`);
        });
        it("returns the value when done", async () => {
            const clock = new VirtualClock(0);
            let n = 0;
            const v = await waitUntil({
                what: "y",
                clock,
                deadline: 1e9,
                schedule: defaultSchedule,
                report: () => undefined,
                probe: async () =>
                    ++n === 5 ? { done: true, status: "ok", value: 42 } : { done: false, status: "wait" },
            });
            assert.equal(v, 42);
        });
    });

    describe("helpers", () => {
        it("parses durations", () => {
            assert.equal(parseDuration("90m"), 5_400_000);
            assert.equal(parseDuration("2h"), 7_200_000);
            assert.equal(parseDuration("1h30m"), 5_400_000);
            assert.equal(parseDuration("45s"), 45_000);
            assert.equal(parseDuration("soon"), undefined);
            assert.equal(parseDuration("0s"), undefined);
        });
        it("redacts registered secrets in all their encodings", () => {
            registerSecret("p@ss word/+=");
            const text = `a p@ss word/+= b ${encodeURIComponent("p@ss word/+=")} c ${Buffer.from("p@ss word/+=").toString("base64")}`;
            assert.equal(redact(text), "a *** b *** c ***");
            const e = new CloudError({
                cloud: "c",
                action: "A",
                code: "X",
                message: "bad p@ss word/+=",
                retryable: false,
            });
            assert.ok(!e.message.includes("p@ss"));
        });
        it("makes a deterministic restore token from project, stack and name", () => {
            assert.equal(restoreToken("p", "s", "n"), restoreToken("p", "s", "n"));
            assert.notEqual(restoreToken("p", "s", "n"), restoreToken("p", "s2", "n"));
            assert.match(restoreToken("p", "s", "n"), /^prt-[0-9a-f]{20}$/);
        });
        it("diffs: ignores __provider, replaces on restore inputs, treats unknown keys as replacements", () => {
            const rules = { replace: ["a"], update: ["b"] };
            assert.equal(diffProps({ a: 1, __provider: "x" }, { a: 1, __provider: "y" }, rules).changes, false);
            assert.deepEqual(diffProps({ a: 1 }, { a: 2 }, rules).replaces, ["a"]);
            const upd = diffProps({ a: 1, b: 1 }, { a: 1, b: 2 }, rules);
            assert.equal(upd.changes, true);
            assert.deepEqual(upd.replaces, []);
            assert.deepEqual(diffProps({ a: 1 }, { a: 1, c: 3 }, rules).replaces, ["c"]);
            assert.deepEqual(diffProps({ a: 1 }, { a: UNKNOWN }, rules).replaces, ["a"]);
            assert.equal(
                diffProps({ a: 1, timeouts: { create: "1h" } }, { a: 1, timeouts: { create: "2h" } }, rules).replaces
                    .length,
                0,
            );
        });
        it("checks without failing on values unknown during preview", () => {
            const c = new Checker({ a: UNKNOWN, n: UNKNOWN, l: [UNKNOWN] });
            c.string("a", { required: true, pattern: /^x$/ });
            c.integer("n", { required: true, min: 1 });
            c.list("l", (p, v) => c.stringValue(p, v, { pattern: /^y$/ }));
            assert.deepEqual(c.failures, []);
        });
    });
});
