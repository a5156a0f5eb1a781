/**
 * P2 concurrency under rate limits. N Tencent `InstanceRestore` and N StarRocks `RestoredInstance` resources in one
 * `pulumi up` through one real dynamic-provider host, against emulators that enforce 20 requests per second per
 * action (Tencent's documented limit; the StarRocks emulator's optional limiter set to the same). Real clock: the host
 * is another process. The host runs with the default poll schedule (2 s floor), as users get it.
 */
import { spawn } from "child_process";
import { StarRocksService } from "../emulator/alicloud/starrocks";
import { EmulatorServer } from "../emulator/core/server";
import { TencentRedisService } from "../emulator/tencentcloud/redis";
import { EMULATOR_CREDENTIALS, EMULATOR_SECRET_CONFIG_KEYS } from "../emulator";
import * as path from "path";
import { Packed } from "./support/packed";
import { PackageExports } from "./support/program";
import { Engine } from "../harness/engine";
import { peakRss } from "./support/host";
import { TargetRow, fmtBytes, fmtMs, table } from "./support/table";

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
    /** Per action: when its first and last request arrived, ms after the update began. */
    spans: Record<string, [number, number]>;
}

export interface P2Result {
    perCloud: number;
    restoreMs: number;
    limitPerSecond: number;
    wallMs: number;
    /**
     * The issue's ideal: restore time + the busiest action's calls under a minimal schedule (one restore call and one
     * status call per restore: N calls of each action) / the per-action limit.
     */
    idealMs: number;
    /** Whether a CPU hog (`node -e 'for(;;){}'`) ran alongside. */
    cpuHog: boolean;
    /** The installed package (true) or the source checkout. */
    installed: boolean;
    /** From the start of the update to the first API request (the engine registering resources, the host loading). */
    firstRequestMs: number;
    clouds: P2Cloud[];
    errors: string[];
    hostPeakRssBytes?: number;
    benchPeakRssBytes?: number;
    target: { text: string; errorsOk: boolean };
}

/** Starts a process that keeps one core busy; returns the function that stops it (by its pid). */
export function startCpuHog(): () => void {
    const hog = spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" });
    return () => {
        if (hog.exitCode === null && hog.pid !== undefined) process.kill(hog.pid, "SIGKILL");
    };
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

/**
 * One P2 run. With `packed`, the program uses the installed package (as users get it: the host loads compiled
 * JavaScript); without, the source checkout (the host compiles the provider with ts-node on its first call, about 4 s
 * counted in the wall time).
 */
export async function runP2(
    o: { perCloud?: number; restoreMs?: number; cpuHog?: boolean; packed?: Packed } = {},
): Promise<P2Result> {
    /* eslint-disable @typescript-eslint/no-require-imports -- the package installed by path, or the one from source */
    const pr = (
        o.packed ? require(path.join(o.packed.programDir, "node_modules", "pulumi-restore")) : require("../index")
    ) as PackageExports;
    /* eslint-enable @typescript-eslint/no-require-imports */
    const N = o.perCloud ?? 200;
    const restoreMs = o.restoreMs ?? 5000;
    const C = EMULATOR_CREDENTIALS;
    const tc = new TencentRedisService({
        credentials: { [C.tencentcloud.secretId]: C.tencentcloud.secretKey },
        timings: { prepareMs: 1000, runMs: restoreMs - 1000 },
        rateLimitPerSecond: LIMIT,
    });
    const sr = new StarRocksService({
        credentials: { [C.alicloud.accessKey]: C.alicloud.secretKey },
        timings: { restoreMs, releaseMs: 500 },
        rateLimitPerSecond: LIMIT,
    });
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
    const eng = new Engine({
        project: "bench",
        stack: "p2",
        config,
        secretConfigKeys: EMULATOR_SECRET_CONFIG_KEYS,
        env: { PULUMI_RESTORE_POLL_MIN_MS: "" },
        cwd: o.packed?.programDir,
    });
    let wallMs = 0;
    let hostPeak: number | undefined;
    let errors: string[] = [];
    let t0 = Date.now();
    const stopHog = o.cpuHog ? startCpuHog() : undefined;
    try {
        await eng.ensureHost();
        t0 = Date.now();
        const up = await eng.up(() => {
            for (let i = 0; i < N; i++) {
                new pr.tencentcloud.redis.InstanceRestore(`tc-${i}`, {
                    instanceId: tcId(i),
                    backupId: `b-${i}`,
                    timeouts: { create: "30m" },
                });
                new pr.alicloud.starrocks.RestoredInstance(`sr-${i}`, {
                    backupTaskId: `bk-bench${String(i).padStart(5, "0")}`,
                    instanceName: `sr-${i}`,
                    timeouts: { create: "30m" },
                });
            }
        });
        wallMs = Date.now() - t0;
        hostPeak = peakRss(eng.host?.proc.pid);
        errors = up.errors.map((e) => e.message);
    } finally {
        stopHog?.();
        await eng.close();
        await tcServer.stop();
        await srServer.stop();
    }
    const cloudOf = (
        name: string,
        server: EmulatorServer,
        throttled: number,
        times: Map<string, number[]>,
        done: (i: number) => boolean,
    ): P2Cloud => {
        const callsByAction: Record<string, number> = {};
        for (const l of server.log) callsByAction[l.action] = (callsByAction[l.action] ?? 0) + 1;
        let succeeded = 0;
        for (let i = 0; i < N; i++) if (done(i)) succeeded++;
        const spans: Record<string, [number, number]> = {};
        for (const [a, ts] of times) spans[a] = [Math.min(...ts) - t0, Math.max(...ts) - t0];
        return {
            cloud: name,
            resources: N,
            calls: server.log.length,
            callsByAction,
            throttled,
            peakPerSecond: peakWindow(times),
            succeeded,
            spans,
        };
    };
    const clouds = [
        cloudOf(
            "tencentcloud redis",
            tcServer,
            tc.throttledCount,
            arrivals.tencentcloud,
            (i) => eng.resource(`tc-${i}`)?.outputs.status === "succeed",
        ),
        cloudOf(
            "alicloud starrocks",
            srServer,
            sr.throttledCount,
            arrivals.alicloud,
            (i) => eng.resource(`sr-${i}`)?.outputs.status === "running",
        ),
    ];
    const idealMs = restoreMs + (1000 * N) / LIMIT;
    const notDone = clouds.reduce((a, c) => a + (c.resources - c.succeeded), 0);
    if (notDone > 0 && errors.length === 0) errors.push(`${notDone} resources did not reach their final status`);
    const errorsOk = errors.length === 0;
    return {
        perCloud: N,
        restoreMs,
        limitPerSecond: LIMIT,
        wallMs,
        idealMs,
        cpuHog: o.cpuHog ?? false,
        installed: o.packed !== undefined,
        firstRequestMs: Math.min(...clouds.flatMap((c) => Object.values(c.spans).map((x) => x[0]))),
        clouds,
        errors: errors.slice(0, 5),
        hostPeakRssBytes: hostPeak,
        benchPeakRssBytes: peakRss(process.pid),
        target: { errorsOk, text: `errors surfaced: ${errors.length} (target 0): ${errorsOk ? "met" : "MISSED"}` },
    };
}

/** The targets of one P2 run: wall <= 1.1 x ideal, 0 errors, 0 throttled answers (and the host's peak memory). */
export function p2Targets(r: P2Result): TargetRow[] {
    const ratio = r.wallMs / r.idealMs;
    const throttled = r.clouds.reduce((a, c) => a + c.throttled, 0);
    const label = `P2 ${r.perCloud}${r.cpuHog ? " + CPU hog" : ""}`;
    return [
        {
            id: label,
            target: `${r.perCloud} + ${r.perCloud} restores: wall <= 1.1 x ideal (${fmtMs(r.restoreMs)} + ${r.perCloud} calls / ${r.limitPerSecond} per s = ${fmtMs(r.idealMs)})`,
            measured: `${fmtMs(r.wallMs)} = ${ratio.toFixed(2)} x; host peak RSS ${r.hostPeakRssBytes === undefined ? "n/a" : fmtBytes(r.hostPeakRssBytes)}`,
            met: ratio <= 1.1,
        },
        {
            id: label,
            target: "0 errors, 0 throttled answers",
            measured: `${r.errors.length} errors, ${throttled} throttled answers`,
            met: r.errors.length === 0 && throttled === 0,
        },
    ];
}

function fmtSpan(s: [number, number] | undefined): string {
    return s ? `${(s[0] / 1000).toFixed(1)}..${(s[1] / 1000).toFixed(1)} s` : "?";
}

export function printP2(r: P2Result): string {
    const head = `P2 concurrency: ${r.perCloud} Tencent InstanceRestore + ${r.perCloud} StarRocks RestoredInstance in one up, one host; emulators allow ${r.limitPerSecond} req/s per action; restores take ${fmtMs(r.restoreMs)}; ${r.installed ? "installed package" : "source checkout"}${r.cpuHog ? "; a CPU hog ran alongside" : ""}`;
    const t = table(
        [
            "cloud",
            "resources ok",
            "calls",
            "calls by action (first..last arrival)",
            "throttled answers",
            "busiest second (one action)",
        ],
        r.clouds.map((c) => [
            c.cloud,
            `${c.succeeded}/${c.resources}`,
            c.calls,
            Object.entries(c.callsByAction)
                .map(([a, n]) => `${a} ${n} (${fmtSpan(c.spans[a])})`)
                .join(", "),
            c.throttled,
            c.peakPerSecond,
        ]),
    );
    const t2 = table(
        [
            "wall time",
            "first API request at",
            "ideal (restore + N calls / limit)",
            "ratio",
            "errors surfaced",
            "host peak RSS",
        ],
        [
            [
                fmtMs(r.wallMs),
                fmtMs(r.firstRequestMs),
                fmtMs(r.idealMs),
                `${(r.wallMs / r.idealMs).toFixed(2)}x`,
                r.errors.length,
                r.hostPeakRssBytes === undefined ? "n/a" : fmtBytes(r.hostPeakRssBytes),
            ],
        ],
    );
    return `${head}\n${t}\n${t2}${r.errors.length ? `\nfirst errors:\n  ${r.errors.join("\n  ")}` : ""}\ntarget: ${r.target.text}`;
}
