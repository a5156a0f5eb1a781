/**
 * P2 concurrency under rate limits. N Tencent `InstanceRestore` and N StarRocks `RestoredInstance` resources in one
 * `pulumi up` through one real dynamic-provider host, against emulators that enforce 20 requests per second per
 * action (Tencent's documented limit; the StarRocks emulator's optional limiter set to the same). Real clock: the host
 * is another process. The host runs with the default poll schedule (2 s floor), as users get it.
 */
import { StarRocksService } from "../emulator/alicloud/starrocks";
import { EmulatorServer } from "../emulator/core/server";
import { TencentRedisService } from "../emulator/tencentcloud/redis";
import { EMULATOR_CREDENTIALS, EMULATOR_SECRET_CONFIG_KEYS } from "../emulator";
import { alicloud, tencentcloud } from "../index";
import { Engine } from "../tests/harness/engine";
import { peakRss } from "./support/host";
import { fmtBytes, fmtMs, table } from "./support/table";

const LIMIT = 20;

export interface P2Cloud {
    cloud: string;
    resources: number;
    calls: number;
    callsByAction: Record<string, number>;
    throttled: number;
    /** The most requests of one action seen by the emulator in any one-second window. */
    peakPerSecond: number;
    /** Resources that ended in the expected final status. */
    succeeded: number;
}

export interface P2Result {
    perCloud: number;
    restoreMs: number;
    limitPerSecond: number;
    wallMs: number;
    /** restore time + calls / limit, for the cloud that needs longest (each cloud has its own limiter). */
    idealMs: number;
    /** The same with the limit counted per action, as both emulators enforce it: a lower floor. */
    idealPerActionMs: number;
    clouds: P2Cloud[];
    errors: string[];
    hostPeakRssBytes?: number;
    benchPeakRssBytes?: number;
    target: { text: string; errorsOk: boolean };
}

/** Requests per one-second window, the busiest action's busiest window. */
function peakWindow(times: Map<string, number[]>): number {
    let peak = 0;
    for (const ts of times.values()) {
        const s = [...ts].sort((a, b) => a - b);
        let j = 0;
        for (let i = 0; i < s.length; i++) {
            while (s[i] - s[j] >= 1000) j++;
            peak = Math.max(peak, i - j + 1);
        }
    }
    return peak;
}

export async function runP2(o: { perCloud?: number; restoreMs?: number } = {}): Promise<P2Result> {
    const N = o.perCloud ?? 200;
    const restoreMs = o.restoreMs ?? 5000;
    const C = EMULATOR_CREDENTIALS;
    const tc = new TencentRedisService({ credentials: { [C.tencentcloud.secretId]: C.tencentcloud.secretKey }, timings: { prepareMs: 1000, runMs: restoreMs - 1000 }, rateLimitPerSecond: LIMIT });
    const sr = new StarRocksService({ credentials: { [C.alicloud.accessKey]: C.alicloud.secretKey }, timings: { restoreMs, releaseMs: 500 }, rateLimitPerSecond: LIMIT });
    const tcId = (i: number) => `crs-${String(i).padStart(8, "0")}`;
    for (let i = 0; i < N; i++) {
        tc.seed("instance", { InstanceId: tcId(i) });
        tc.seed("backup", { InstanceId: tcId(i), BackupId: `b-${i}` });
        sr.seed("backup", { BackupTaskId: `bk-bench${String(i).padStart(5, "0")}`, RegionId: "cn-hangzhou" });
    }
    const tcServer = new EmulatorServer(tc);
    const srServer = new EmulatorServer(sr);
    // When each request arrived, per cloud and action, to find the busiest second.
    const arrivals = { tencentcloud: new Map<string, number[]>(), alicloud: new Map<string, number[]>() };
    const track = (m: Map<string, number[]>) => (action: string) => {
        const l = m.get(action) ?? [];
        l.push(Date.now());
        m.set(action, l);
    };
    tcServer.onRequest = track(arrivals.tencentcloud);
    srServer.onRequest = track(arrivals.alicloud);
    const tcUrl = await tcServer.start();
    const srUrl = await srServer.start();
    const config = {
        "alicloud:endpoint": srUrl,
        "alicloud:region": "cn-hangzhou",
        "alicloud:accessKey": C.alicloud.accessKey,
        "alicloud:secretKey": C.alicloud.secretKey,
        "tencentcloud:endpoint": tcUrl,
        "tencentcloud:region": "ap-guangzhou",
        "tencentcloud:secretId": C.tencentcloud.secretId,
        "tencentcloud:secretKey": C.tencentcloud.secretKey,
    };
    // An empty PULUMI_RESTORE_POLL_MIN_MS means the default schedule (the harness would otherwise set a 250 ms floor).
    const eng = new Engine({ project: "bench", stack: "p2", config, secretConfigKeys: EMULATOR_SECRET_CONFIG_KEYS, env: { PULUMI_RESTORE_POLL_MIN_MS: "" } });
    let wallMs = 0;
    let hostPeak: number | undefined;
    let errors: string[] = [];
    try {
        await eng.ensureHost();
        const t0 = Date.now();
        const up = await eng.up(() => {
            for (let i = 0; i < N; i++) {
                new tencentcloud.redis.InstanceRestore(`tc-${i}`, { instanceId: tcId(i), backupId: `b-${i}`, timeouts: { create: "30m" } });
                new alicloud.starrocks.RestoredInstance(`sr-${i}`, { backupTaskId: `bk-bench${String(i).padStart(5, "0")}`, instanceName: `sr-${i}`, timeouts: { create: "30m" } });
            }
        });
        wallMs = Date.now() - t0;
        hostPeak = peakRss(eng.host?.proc.pid);
        errors = up.errors.map((e) => e.message);
    } finally {
        await eng.close();
        await tcServer.stop();
        await srServer.stop();
    }
    const cloudOf = (name: string, server: EmulatorServer, throttled: number, times: Map<string, number[]>, done: (i: number) => boolean): P2Cloud => {
        const callsByAction: Record<string, number> = {};
        for (const l of server.log) callsByAction[l.action] = (callsByAction[l.action] ?? 0) + 1;
        let succeeded = 0;
        for (let i = 0; i < N; i++) if (done(i)) succeeded++;
        return { cloud: name, resources: N, calls: server.log.length, callsByAction, throttled, peakPerSecond: peakWindow(times), succeeded };
    };
    const clouds = [
        cloudOf("tencentcloud redis", tcServer, tc.throttledCount, arrivals.tencentcloud, (i) => eng.resource(`tc-${i}`)?.outputs.status === "succeed"),
        cloudOf("alicloud starrocks", srServer, sr.throttledCount, arrivals.alicloud, (i) => eng.resource(`sr-${i}`)?.outputs.status === "running"),
    ];
    const idealMs = restoreMs + Math.max(...clouds.map((c) => (1000 * c.calls) / LIMIT));
    const idealPerActionMs = restoreMs + Math.max(...clouds.flatMap((c) => Object.values(c.callsByAction).map((n) => (1000 * n) / LIMIT)));
    const notDone = clouds.reduce((a, c) => a + (c.resources - c.succeeded), 0);
    if (notDone > 0 && errors.length === 0) errors.push(`${notDone} resources did not reach their final status`);
    const errorsOk = errors.length === 0;
    return {
        perCloud: N,
        restoreMs,
        limitPerSecond: LIMIT,
        wallMs,
        idealMs,
        idealPerActionMs,
        clouds,
        errors: errors.slice(0, 5),
        hostPeakRssBytes: hostPeak,
        benchPeakRssBytes: peakRss(process.pid),
        target: { errorsOk, text: `errors surfaced: ${errors.length} (target 0): ${errorsOk ? "met" : "MISSED"}` },
    };
}

export function printP2(r: P2Result): string {
    const head = `P2 concurrency: ${r.perCloud} Tencent InstanceRestore + ${r.perCloud} StarRocks RestoredInstance in one up, one host; emulators allow ${r.limitPerSecond} req/s per action; restores take ${fmtMs(r.restoreMs)}`;
    const t = table(
        ["cloud", "resources ok", "calls", "calls by action", "throttled answers", "busiest second (one action)"],
        r.clouds.map((c) => [c.cloud, `${c.succeeded}/${c.resources}`, c.calls, Object.entries(c.callsByAction).map(([a, n]) => `${a} ${n}`).join(", "), c.throttled, c.peakPerSecond]),
    );
    const t2 = table(
        ["wall time", "ideal (restore + calls/limit, per cloud)", "ratio", "ideal (per action)", "ratio", "errors surfaced", "host peak RSS"],
        [[fmtMs(r.wallMs), fmtMs(r.idealMs), `${(r.wallMs / r.idealMs).toFixed(2)}x`, fmtMs(r.idealPerActionMs), `${(r.wallMs / r.idealPerActionMs).toFixed(2)}x`, r.errors.length, r.hostPeakRssBytes === undefined ? "n/a" : fmtBytes(r.hostPeakRssBytes)]],
    );
    return `${head}\n${t}\n${t2}${r.errors.length ? `\nfirst errors:\n  ${r.errors.join("\n  ")}` : ""}\ntarget: ${r.target.text}`;
}
