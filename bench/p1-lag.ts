/**
 * P1 completion lag. A StarRocks restore on a virtual clock shared by the provider's poller and the emulator: the real
 * `StarRocksProvider.create` (and so the real `waitUntil`) restores a backup whose restore lasts D, for D log-spaced
 * from 30 s to 4 h. The lag is the time between the emulated cloud reaching `running` and `create` returning; status
 * calls are the DescribeInstances calls made while waiting. Three schedules run in the same process: ours (the
 * default PollSchedule) and fixed polls of 20 s and of 1 s, through the very same code.
 */
import { StarRocksService } from "../emulator/alicloud/starrocks";
import { StarRocksProvider } from "../provider/alicloud/starrocksProvider";
import { PollSchedule, defaultSchedule } from "../provider/core/poller";
import { setProgressSink } from "../provider/core/progress";
import { restoreToken } from "../provider/core/resource";
import { VirtualClock } from "../tests/support/clock";
import { InProcessTransport } from "./support/inProcess";
import { logSpaced, median, quantile, sum } from "./support/stats";
import { fmtDuration, fmtMs, table } from "./support/table";

/** One poll schedule under test. */
interface Variant {
    name: string;
    schedule: PollSchedule;
}

export const VARIANTS: Variant[] = [
    { name: "ours (adaptive)", schedule: defaultSchedule },
    { name: "fixed 20 s", schedule: { minIntervalMs: 20_000, maxIntervalMs: 20_000, fraction: 0 } },
    { name: "fixed 1 s", schedule: { minIntervalMs: 1000, maxIntervalMs: 1000, fraction: 0 } },
    // The sparsest schedule that still keeps every lag within max(2 s, 3 %) whatever the duration: each poll at most
    // max(2 s, 3 % of the time waited) after the previous one. Shown for reference: no poller can make fewer calls
    // and meet the lag target, so this row bounds what the calls target can ask for.
    { name: "frontier 2 s / 3 %, no cap", schedule: { minIntervalMs: 2000, maxIntervalMs: Number.MAX_SAFE_INTEGER, fraction: 0.03 } },
];

/** One restore measured. */
export interface LagSample {
    durationMs: number;
    lagMs: number;
    statusCalls: number;
}

/** Per-variant summary. */
export interface LagSummary {
    variant: string;
    restores: number;
    lagMedianMs: number;
    lagP99Ms: number;
    lagMedianPct: number;
    lagP99Pct: number;
    /** Restores whose lag exceeded max(2 s, 3 % of their duration). */
    overTarget: number;
    callsTotal: number;
    callsMedian: number;
    callsMax: number;
    samples: LagSample[];
}

export interface P1Result {
    durations: number;
    fromMs: number;
    toMs: number;
    summaries: LagSummary[];
    /** Ours' total status calls as a fraction of the fixed 20 s poll's. */
    callsRatioVs20s: number;
    /** The frontier schedule's total calls as a fraction of the fixed 20 s poll's. */
    frontierRatioVs20s: number;
    /** The same over restores of an hour or more. */
    callsRatioVs20sOver1h: number;
    /** The shortest duration from which ours makes at most a third of the 20 s poll's calls (every longer one too). */
    thirdFromMs?: number;
    target: { lagOk: boolean; callsOk: boolean; text: string };
    wallMs: number;
}

const ACCESS_KEY = "bench-access-key";
const SECRET_KEY = "bench-secret-key";

/** Restores one backup lasting `durationMs` with `schedule`; returns the lag and the status calls. */
async function oneRestore(clock: VirtualClock, durationMs: number, schedule: PollSchedule, n: number): Promise<LagSample> {
    const svc = new StarRocksService({ clock, timings: { restoreMs: durationMs, releaseMs: 1000 }, credentials: { [ACCESS_KEY]: SECRET_KEY } });
    svc.seed("backup", { BackupTaskId: "bk-bench000001", RegionId: "cn-hangzhou" });
    const transport = new InProcessTransport(svc);
    const provider = new StarRocksProvider(
        { clock, transport, env: {}, schedule, random: () => 0.5 },
        // A fresh endpoint per restore: the process-wide token bucket then never carries state from one run to the next.
        { "alicloud:endpoint": `http://127.0.0.1:${10_000 + (n % 50_000)}`, "alicloud:region": "cn-hangzhou", "alicloud:accessKey": ACCESS_KEY, "alicloud:secretKey": SECRET_KEY },
    );
    const checked = await provider.check({}, { backupTaskId: "bk-bench000001", instanceName: `lag-${n}`, restoreToken: restoreToken("bench", "p1", `lag-${n}`), timeouts: { create: "6h" } });
    if (checked.failures && checked.failures.length > 0) throw new Error(`P1 inputs rejected: ${JSON.stringify(checked.failures)}`);
    const created = await provider.create(checked.inputs as Record<string, unknown>);
    const doneAt = clock.now();
    const inst = svc.instances.get(created.id);
    if (!inst) throw new Error(`P1: the provider returned ${created.id}, which the emulator does not know`);
    // Status calls: DescribeInstances made after RestoreInstance (the one before it is the token lookup).
    const restoreAt = transport.actions.indexOf("RestoreInstance");
    if (restoreAt < 0) throw new Error("P1: RestoreInstance was never called");
    const statusCalls = transport.actions.slice(restoreAt + 1).filter((a) => a === "DescribeInstances").length;
    return { durationMs, lagMs: doneAt - inst.readyAt, statusCalls };
}

export async function runP1(o: { durations?: number } = {}): Promise<P1Result> {
    const t0 = Date.now();
    const n = o.durations ?? 41;
    const durations = logSpaced(30_000, 4 * 3_600_000, n).map((d) => Math.round(d));
    const clock = new VirtualClock();
    const previousSink = setProgressSink(() => undefined);
    const summaries: LagSummary[] = [];
    let k = 0;
    try {
        for (const v of VARIANTS) {
            const samples: LagSample[] = [];
            for (const d of durations) samples.push(await oneRestore(clock, d, v.schedule, k++));
            const lags = samples.map((s) => s.lagMs);
            const pcts = samples.map((s) => (100 * s.lagMs) / s.durationMs);
            const calls = samples.map((s) => s.statusCalls);
            summaries.push({
                variant: v.name,
                restores: samples.length,
                lagMedianMs: median(lags),
                lagP99Ms: quantile(lags, 0.99),
                lagMedianPct: median(pcts),
                lagP99Pct: quantile(pcts, 0.99),
                overTarget: samples.filter((s) => s.lagMs > Math.max(2000, 0.03 * s.durationMs)).length,
                callsTotal: sum(calls),
                callsMedian: median(calls),
                callsMax: Math.max(...calls),
                samples,
            });
        }
    } finally {
        setProgressSink(previousSink);
    }
    const ours = summaries[0];
    const fixed20 = summaries[1];
    const callsRatioVs20s = ours.callsTotal / fixed20.callsTotal;
    const frontierRatio = summaries[3].callsTotal / fixed20.callsTotal;
    const long = (x: LagSummary) => sum(x.samples.filter((s) => s.durationMs >= 3_600_000).map((s) => s.statusCalls));
    const callsRatioVs20sOver1h = long(ours) / long(fixed20);
    let thirdFromMs: number | undefined;
    for (let i = ours.samples.length - 1; i >= 0 && ours.samples[i].statusCalls * 3 <= fixed20.samples[i].statusCalls; i--) thirdFromMs = ours.samples[i].durationMs;
    const lagOk = ours.overTarget === 0;
    const callsOk = callsRatioVs20s <= 1 / 3;
    return {
        durations: n,
        fromMs: durations[0],
        toMs: durations[durations.length - 1],
        summaries,
        callsRatioVs20s,
        frontierRatioVs20s: frontierRatio,
        callsRatioVs20sOver1h,
        thirdFromMs,
        target: {
            lagOk,
            callsOk,
            text: `lag <= max(2 s, 3 % of duration) for every restore: ${lagOk ? "met" : `MISSED (${ours.overTarget} of ${ours.restores})`}; status calls ${(100 * callsRatioVs20s).toFixed(1)} % of the fixed 20 s poll's (target <= 33.3 %): ${callsOk ? "met" : "MISSED"} (restores of 1 h or more: ${(100 * callsRatioVs20sOver1h).toFixed(1)} %; at most a third from ${thirdFromMs === undefined ? "no duration measured" : fmtDuration(thirdFromMs)} on; the frontier schedule (the sparsest polling that keeps every lag within the target) needs ${(100 * frontierRatio).toFixed(1)} %)`,
        },
        wallMs: Date.now() - t0,
    };
}

export function printP1(r: P1Result): string {
    const head = `P1 completion lag: ${r.durations} StarRocks restores per schedule, ${fmtDuration(r.fromMs)} to ${fmtDuration(r.toMs)} (log-spaced), virtual clock shared by poller and emulator`;
    const t = table(
        ["schedule", "lag median", "lag p99", "lag median %", "lag p99 %", "over target", "calls/restore median", "calls/restore max", "calls total"],
        r.summaries.map((s) => [s.variant, fmtMs(s.lagMedianMs), fmtMs(s.lagP99Ms), `${s.lagMedianPct.toFixed(2)} %`, `${s.lagP99Pct.toFixed(2)} %`, `${s.overTarget}/${s.restores}`, s.callsMedian, s.callsMax, s.callsTotal]),
    );
    // A few durations side by side, so the shape is visible without the JSON.
    const pick = [0, Math.floor(r.durations / 4), Math.floor(r.durations / 2), Math.floor((3 * r.durations) / 4), r.durations - 1];
    const detail = table(
        ["duration", ...r.summaries.map((s) => `${s.variant}: lag / calls`)],
        pick.map((i) => [fmtDuration(r.summaries[0].samples[i].durationMs), ...r.summaries.map((s) => `${fmtMs(s.samples[i].lagMs)} / ${s.samples[i].statusCalls}`)]),
    );
    return `${head}\n${t}\n\n${detail}\ntarget: ${r.target.text}`;
}
