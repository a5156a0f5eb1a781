/**
 * P1 under load. 200 StarRocks restores of 60 s started together in one process (one host's worth: one provider, so
 * one shared poller and one rate window per action), against the emulator enforcing 20 requests/s per action. The
 * real provider `create` runs on a virtual clock that schedules every concurrent sleep in time order; requests take
 * 5 to 60 ms on the way (varying), so times do not fall on round numbers. The lag is the time from an instance
 * reaching `running` until its `create` returns.
 */
import { StarRocksService } from "../emulator/alicloud/starrocks";
import { StarRocksProvider } from "../provider/alicloud/starrocksProvider";
import { defaultSchedule } from "../provider/core/poller";
import { setProgressSink } from "../provider/core/progress";
import { restoreToken } from "../provider/core/resource";
import { SchedulerClock } from "../harness/clock";
import { InProcessTransport } from "./support/inProcess";
import { median, quantile } from "./support/stats";
import { TargetRow, fmtMs, table } from "./support/table";

export interface P1LoadResult {
    restores: number;
    restoreMs: number;
    limitPerSecond: number;
    ok: number;
    lagMedianMs: number;
    lagP99Ms: number;
    lagMaxMs: number;
    callsByAction: Record<string, number>;
    throttled: number;
    /** Virtual time from the first create to the last create's return. */
    spanMs: number;
    errors: string[];
}

export async function runP1Load(o: { restores?: number; restoreMs?: number } = {}): Promise<P1LoadResult> {
    const N = o.restores ?? 200;
    const restoreMs = o.restoreMs ?? 60_000;
    const LIMIT = 20;
    const clock = new SchedulerClock();
    const AK = "bench-load-ak";
    const svc = new StarRocksService({
        clock,
        credentials: { [AK]: "bench-load-secret" },
        timings: { restoreMs, releaseMs: 1000 },
        rateLimitPerSecond: LIMIT,
    });
    const bk = (i: number) => `bk-load${String(i).padStart(5, "0")}`;
    for (let i = 0; i < N; i++) svc.seed("backup", { BackupTaskId: bk(i), RegionId: "cn-hangzhou" });
    const inner = new InProcessTransport(svc);
    let n = 0;
    const transport = {
        send: async (req: Parameters<InProcessTransport["send"]>[0], t: number) => {
            await clock.sleep(5 + ((n++ * 37) % 56));
            return inner.send(req, t);
        },
    };
    const provider = new StarRocksProvider(
        { clock, transport, env: {}, schedule: defaultSchedule, random: Math.random, settleMs: 20_000 },
        {
            "alicloud:endpoint": `http://127.0.0.1:${40_000 + (Date.now() % 10_000)}`,
            "alicloud:region": "cn-hangzhou",
            "alicloud:accessKey": AK,
            "alicloud:secretKey": "bench-load-secret",
        },
    );
    const previous = setProgressSink(() => undefined);
    const lags: number[] = [];
    const errors: string[] = [];
    const t0 = clock.now();
    try {
        await Promise.all(
            Array.from({ length: N }, async (_, i) => {
                try {
                    const checked = await provider.check(
                        {},
                        {
                            backupTaskId: bk(i),
                            instanceName: `load-${i}`,
                            restoreToken: restoreToken("bench", "p1load", `load-${i}`),
                        },
                    );
                    const r = await provider.create(checked.inputs!);
                    const inst = svc.instances.get(r.id);
                    if (!inst) throw new Error(`unknown instance ${r.id}`);
                    lags.push(clock.now() - inst.readyAt);
                } catch (e) {
                    errors.push(e instanceof Error ? e.message : String(e));
                }
            }),
        );
    } finally {
        setProgressSink(previous);
    }
    const callsByAction: Record<string, number> = {};
    for (const a of inner.actions) callsByAction[a] = (callsByAction[a] ?? 0) + 1;
    return {
        restores: N,
        restoreMs,
        limitPerSecond: LIMIT,
        ok: lags.length,
        lagMedianMs: median(lags),
        lagP99Ms: quantile(lags, 0.99),
        lagMaxMs: Math.max(...lags),
        callsByAction,
        throttled: svc.throttledCount,
        spanMs: clock.now() - t0,
        errors: errors.slice(0, 5),
    };
}

/** The target of P1 under load: lag p99 <= max(2 s, 3 % of the restore's duration). */
export function p1LoadTargets(r: P1LoadResult): TargetRow[] {
    const bound = Math.max(2000, 0.03 * r.restoreMs);
    return [
        {
            id: "P1 load",
            target: `${r.restores} StarRocks restores of ${fmtMs(r.restoreMs)} in one host: lag p99 <= ${fmtMs(bound)}`,
            measured: `lag p99 ${fmtMs(r.lagP99Ms)} (median ${fmtMs(r.lagMedianMs)}); ${r.ok}/${r.restores} ok`,
            met: r.ok === r.restores && r.lagP99Ms <= bound,
        },
    ];
}

export function printP1Load(r: P1LoadResult): string {
    const t = table(
        ["restores ok", "lag median", "lag p99", "lag max", "calls by action", "throttled answers", "virtual span"],
        [
            [
                `${r.ok}/${r.restores}`,
                fmtMs(r.lagMedianMs),
                fmtMs(r.lagP99Ms),
                fmtMs(r.lagMaxMs),
                Object.entries(r.callsByAction)
                    .map(([a, n]) => `${a} ${n}`)
                    .join(", "),
                r.throttled,
                fmtMs(r.spanMs),
            ],
        ],
    );
    return `P1 under load: ${r.restores} StarRocks restores of ${fmtMs(r.restoreMs)} in one provider, emulator limit ${r.limitPerSecond} req/s per action, virtual clock\n${t}${r.errors.length ? `\nfirst errors:\n  ${r.errors.join("\n  ")}` : ""}`;
}
