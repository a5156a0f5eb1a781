import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FaultKind } from "../../emulator/core/types";
import { setProgressSink } from "../../provider/core/progress";
import { Cell, EngineDriver, FAULTS, QuiescentClock, Row, formatMatrix, unclear } from "./faultDriver";
import { STEPS, STEP_TITLE, SUBJECTS, Step, Subject, transport } from "./subjects";

/**
 * The fault matrix: for every API call each resource makes on its create, wait, read, update and delete paths, the
 * emulator injects each fault kind once, at that call; the resource is driven through a whole lifecycle by a driver
 * that keeps state as the engine does. Each cell asserts: the faulted step succeeds or fails with a clear error; the
 * cloud holds exactly what the state says after every step; a following `up` (or `refresh`, `destroy`) converges,
 * and another `up` is a no-op; no more cloud resources were created than in the fault-free run.
 */

/** Per-request time-out injected into the provider's transport in "slow" cells, so that the slow answer is beyond it. */
const SHORT_TIMEOUT_MS = 250;
/** Per-request time-out of every other run: generous, so that a loaded machine cannot fake a fault. */
const NORMAL_TIMEOUT_MS = 10_000;
/** How late a "slow" answer comes (the server carries the request out, then answers). */
const SLOW_MS = 700;
/**
 * How late a "late" create is carried out (emulator clock), its answer lost: beyond every provider's settle window
 * (15-30 s), so the faulted step cannot see it; the user then waits as the error says before running again.
 */
const LATE_MS = 60_000;
/** Fault kinds that apply only to calls that create something (the non-idempotent ones). */
const CREATE_ONLY: FaultKind[] = ["late", "odd"];

/**
 * A row target: the first call of `action` in `step` after `phase` mutating calls of that step (phase 0: before any;
 * a read after a mutating call is the wait path of that call). `after` names the mutating call that opened the phase.
 */
interface Target {
    step: Step;
    action: string;
    phase: number;
    after?: string;
}

const sameSet = (a: string[], b: string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

/** Runs one lifecycle; with a target and a fault, injects the fault at that call. */
async function lifecycle(
    s: Subject,
    target?: Target,
    kind?: FaultKind,
): Promise<{ rows: Target[]; creations: number; delivered: boolean }> {
    const clock = new QuiescentClock();
    const t = transport(kind === "slow" ? SHORT_TIMEOUT_MS : NORMAL_TIMEOUT_MS);
    // Each run its own state directory (journals, claims): the token is the same in every run.
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "fault-matrix-"));
    const w = await s.start(clock, t, { PULUMI_RESTORE_STATE_DIR: stateDir });
    const driver = new EngineDriver(w.provider);
    let step: Step = "create";
    let mutated = 0;
    /** Creations made by the user's way out after a refused late create (not the provider's). */
    let wayOutCost = 0;
    let lastMutation: string | undefined;
    let armed = target !== undefined && kind !== undefined;
    let delivered = false;
    const seen: Target[] = [];
    w.server.onRequest = (action) => {
        const phase = mutated;
        if (!seen.some((t) => t.step === step && t.action === action && t.phase === phase))
            seen.push({ step, action, phase, after: lastMutation });
        if (armed && target && target.step === step && target.action === action && target.phase === phase) {
            armed = false;
            delivered = true;
            w.server.inject({
                action,
                kind: kind as FaultKind,
                times: 1,
                delayMs: kind === "late" ? LATE_MS : SLOW_MS,
            });
        }
        if (s.mutations.includes(action)) {
            mutated++;
            lastMutation = action;
        }
    };
    // The API actions this cloud served: an error that names one of them says which call failed.
    const names = () => [...new Set(w.server.log.map((l) => l.action)), s.resource];
    const consistent = (when: string, staleAllowed = false) => {
        const held = w.held();
        const expected = w.expected(driver.state, driver.retired);
        if (staleAllowed) {
            // A failed delete leaves the whole resource in state (the engine has no partial delete): parts already
            // released may still be listed, but nothing may be held that the state does not list (no orphan).
            const orphans = held.filter((h) => !expected.includes(h));
            assert.deepEqual(
                orphans,
                [],
                `${when}: the cloud holds [${orphans.join(", ")}], which the state does not list (orphans)`,
            );
            return;
        }
        assert.ok(
            sameSet(held, expected),
            `${when}: the cloud holds [${held.join(", ")}] but the state says [${expected.join(", ")}]`,
        );
    };
    const run = async (st: Step): Promise<unknown> => {
        step = st;
        mutated = 0;
        lastMutation = undefined;
        try {
            if (st === "create") await driver.up(s.v1);
            else if (st === "read") await driver.refresh();
            else if (st === "update") await driver.up(s.v2);
            else await driver.destroy();
            return undefined;
        } catch (e) {
            return e ?? new Error("undefined thrown");
        }
    };
    try {
        for (const st of STEPS) {
            const err = await run(st);
            if (err !== undefined) {
                if (!target || target.step !== st)
                    throw new Error(
                        `${STEP_TITLE[st]} failed without a fault: ${(err as Error).message ?? String(err)}`,
                    );
                const why = unclear(err, names());
                if (why) throw new Error(`unclear error: ${why}`);
            }
            consistent(`after ${STEP_TITLE[st]}${err ? " (failed)" : ""}`, err !== undefined && st === "delete");
            if (err !== undefined) {
                if (kind === "late") {
                    // Not repeated, and said so: the cloud may still carry it out. The user waits as told, then runs again.
                    if (!/late/.test((err as Error).message))
                        throw new Error(
                            `the error after a late create does not say it may still happen: ${(err as Error).message}`,
                        );
                    await clock.sleep(LATE_MS);
                }
                // The following run converges; or, where a late create is refused by design, it fails naming what the
                // late create left, and converges once the user has done what it says.
                let again = await run(st);
                if (kind === "late" && s.lateRefused && again !== undefined) {
                    const orphans = w.held().filter((h) => !w.expected(driver.state, driver.retired).includes(h));
                    const msg = (again as Error).message ?? String(again);
                    if (orphans.length === 0 || !orphans.every((o) => msg.includes(o)) || !/bring them back/.test(msg))
                        throw new Error(
                            `the refusal after a late create does not name [${orphans.join(", ")}]: ${msg}`,
                        );
                    if (!w.wayOut) throw new Error("lateRefused without a way out");
                    wayOutCost += w.wayOut(orphans);
                    await clock.sleep(LATE_MS);
                    again = await run(st);
                }
                if (again !== undefined)
                    throw new Error(
                        `the following ${STEP_TITLE[st]} did not converge: ${(again as Error).message ?? String(again)}`,
                    );
                consistent(`after the following ${STEP_TITLE[st]}`);
            }
            if (st === "create" || st === "update") {
                step = st;
                const kindOfUp = await driver.up(st === "create" ? s.v1 : s.v2);
                if (kindOfUp !== "same")
                    throw new Error(`another up after ${STEP_TITLE[st]} was not a no-op (it did ${kindOfUp})`);
            }
        }
        if (driver.state) throw new Error("destroy left the resource in state");
        consistent("at the end");
        if (kind === "late") {
            // Whatever the cloud still had queued is carried out now: it must not leave anything behind.
            await clock.sleep(LATE_MS);
            await w.server.runDue();
            if (w.server.lateCount > 0) throw new Error("the late create was never carried out");
            consistent("at the end, after every late create was carried out");
        }
        // The client really met the fault: a time-out for a slow answer, a network error for a dropped connection.
        if (kind === "slow" && !t.seen.Timeout) throw new Error("the slow answer did not exceed the client time-out");
        if ((kind === "dropBefore" || kind === "dropAfter" || kind === "late") && !t.seen.NetworkError)
            throw new Error("the dropped connection was not seen by the client");
        if (!kind && Object.keys(t.seen).length > 0)
            throw new Error(`the fault-free run saw network failures: ${JSON.stringify(t.seen)}`);
        return { rows: seen, creations: w.creations() - wayOutCost, delivered };
    } finally {
        w.server.onRequest = undefined;
        await w.server.stop();
        fs.rmSync(stateDir, { recursive: true, force: true });
    }
}

/** The rows of a subject, from its fault-free run, in call order; steps without calls get a row of their own. */
function rowsOf(s: Subject, seen: Target[]): { label: string; target?: Target; silent?: string }[] {
    const out: { label: string; target?: Target; silent?: string }[] = [];
    for (const st of STEPS) {
        const calls = seen.filter((t) => t.step === st);
        if (calls.length === 0) {
            out.push({
                label: `${STEP_TITLE[st]}: (no call)`,
                silent: s.silent?.[st] ?? "this step makes no API call",
            });
            continue;
        }
        for (const t of calls) {
            const waitPath = t.phase > 0 && !s.mutations.includes(t.action);
            const firstCall = seen.find((x) => x.step === st && x.action === t.action) === t;
            const tag = waitPath ? ` (wait after ${t.after})` : !firstCall ? " (again)" : "";
            out.push({ label: `${STEP_TITLE[st]}: ${t.action}${tag}`, target: t });
        }
    }
    return out;
}

describe("fault matrix: every API call × every fault kind (emulator, in-process)", function () {
    this.timeout(900_000);
    const rows: Row[] = [];
    let prevSink: ReturnType<typeof setProgressSink>;
    before(() => {
        prevSink = setProgressSink(() => undefined);
    });
    after(() => {
        setProgressSink(prevSink);
        if (rows.length > 0) console.log(`\n${formatMatrix(rows)}\n`);
    });

    for (const s of SUBJECTS) {
        it(`${s.resource}: every cell passes or is n/a with a reason`, async () => {
            const clean = await lifecycle(s);
            const mine: Row[] = [];
            for (const r of rowsOf(s, clean.rows)) {
                const cells: Cell[] = [];
                for (const f of FAULTS) {
                    if (r.silent) {
                        cells.push({ result: "n/a", why: r.silent });
                        continue;
                    }
                    const t = r.target as Target;
                    if (f.kind === "failTask" && !s.asyncActions.includes(t.action)) {
                        cells.push({
                            result: "n/a",
                            why: "synchronous call: it starts no async task or job that could fail",
                        });
                        continue;
                    }
                    if (CREATE_ONLY.includes(f.kind) && !s.creates.includes(t.action)) {
                        cells.push({
                            result: "n/a",
                            why: "late-create and 200+error apply to calls that create something (the non-idempotent ones)",
                        });
                        continue;
                    }
                    const began = Date.now();
                    try {
                        const got = await lifecycle(s, t, f.kind);
                        if (process.env.FAULT_MATRIX_VERBOSE)
                            console.log(`  ${s.resource} ${r.label} × ${f.title}: ${Date.now() - began} ms`);
                        if (!got.delivered)
                            throw new Error("the fault was never delivered: the call did not happen in this run");
                        const limit = f.kind === "failTask" ? 2 * clean.creations : clean.creations;
                        if (got.creations > limit || (f.kind !== "failTask" && got.creations !== clean.creations)) {
                            throw new Error(
                                `${got.creations} cloud resources/restores were made, the fault-free run made ${clean.creations} (duplicate)`,
                            );
                        }
                        cells.push({ result: "pass" });
                    } catch (e) {
                        cells.push({ result: "fail", why: e instanceof Error ? e.message : String(e) });
                    }
                }
                mine.push({ resource: s.resource, label: r.label, cells });
            }
            rows.push(...mine);
            const failed = mine
                .flatMap((r) => r.cells.map((c, i) => ({ c, i, r })))
                .filter((x) => x.c.result === "fail");
            assert.equal(
                failed.length,
                0,
                failed.map((x) => `${x.r.label} × ${FAULTS[x.i].title}: ${(x.c as { why: string }).why}`).join("\n"),
            );
        });
    }
});
