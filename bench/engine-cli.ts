/**
 * The engine benchmarks: P2 (`pulumi up` of N restores) and P4 (`pulumi preview` of N resources) through the real
 * Pulumi CLI and engine (the pinned build in .pulumi-cli/bin, or the one {@link findPulumi} finds), on a local file
 * backend, against the emulators (20 requests per second per action, restores of `restoreMs`), with the installed
 * package, for both hosts: the dynamic resources (@pulumi/pulumi's dynamic-provider host) and the provider plugin.
 * In the same run, the same stacks made of no-op resources of the same size and properties (a no-op dynamic provider,
 * a no-op provider plugin, see support/cliProject.ts) measure the engine's own cost, so that targets are ratios
 * to it: what we add, not what the machine or the engine costs.
 *
 * Each size, per host: ours `up` (high `--parallel`), ours `preview` of the stack at rest (N Check + Diff), then the
 * same two for the no-op stack; then at one size (`defaultParallelSize`) `up` of both at the engine's default
 * parallelism (4 x GOMAXPROCS, PULUMI_PARALLEL unset), which is what a user who sets nothing gets. Peak memory of
 * every process under the CLI is polled from /proc. With `profile`, one more `up` and `preview` of ours per host at
 * the largest size runs with a CPU profiler in every Node.js process (NODE_OPTIONS, {@link PROFILER_SCRIPT}), and the report names the
 * provider host's top self-time functions (profiling slows the run: those timings are not compared).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { EMULATOR_CREDENTIALS } from "../emulator";
import { StarRocksService } from "../emulator/alicloud/starrocks";
import { EmulatorServer } from "../emulator/core/server";
import { TencentRedisService } from "../emulator/tencentcloud/redis";
import { CliResult, CliStack, findPulumi } from "../harness/pulumiCli";
import { CpuProfile, SelfTime, busyMs, topSelfTime } from "./support/cpuProfile";
import { split, srBackupTaskId, tcBackupId, tcInstanceId, writeCliProject } from "./support/cliProject";
import { ProcPeak, ProcTreeMonitor, peakOf } from "./support/procTree";
import { Packed } from "./support/packed";
import { TargetRow, fmtBytes, fmtMs, fmtNum, table } from "./support/table";

export type Host = "dynamic" | "plugin";
export type Kind = "ours" | "noop";
export const HOSTS: readonly Host[] = ["dynamic", "plugin"];

const LIMIT = 20;

/** Options of {@link runEngine}. */
export interface EngineOptions {
    packed: Packed;
    /** Resources per stack (half Tencent, half StarRocks); default 200 and 1000. */
    sizes?: number[];
    /** How long a restore takes in the emulators; default 5 s. */
    restoreMs?: number;
    /** The high `--parallel` the fast path uses; default 1000. */
    parallel?: number;
    /** The size at which `up` also runs at the engine's default parallelism (0: not at all); default the smallest. */
    defaultParallelSize?: number;
    hosts?: readonly Host[];
    /** Profile one up and preview of ours per host at the largest size (the inspector profiler, as node --cpu-prof). */
    profile?: boolean;
    /** Progress lines (stderr of the bench). */
    log?: (line: string) => void;
}

/** One CLI command of the benchmark. */
export interface EngineRun {
    host: Host;
    kind: Kind;
    op: "up" | "preview";
    count: number;
    /** The `--parallel` given, or "default" (none given, PULUMI_PARALLEL unset). */
    parallel: number | "default";
    wallMs: number;
    exitCode: number | null;
    /** Error lines of the CLI's output (at most 5). */
    errors: string[];
    /** Resources of the stack in their final state after an `up` (ours: status running / succeed). */
    ok?: number;
    /** Requests the emulators received during this command, and throttled answers (ours only). */
    calls?: number;
    throttled?: number;
    /** From the command's start to the first API request (ours `up`). */
    firstRequestMs?: number;
    /** Peak resident memory by process role (largest process of that role). */
    peakCliBytes?: number;
    peakHostBytes?: number;
    peakProgramBytes?: number;
    /** Whether the preview printed the parallelism warning of the resource classes. */
    parallelWarning?: boolean;
}

/** The provider host's (and the program's) busiest functions in one profiled command. */
export interface EngineProfile {
    host: Host;
    op: "up" | "preview";
    count: number;
    wallMs: number;
    hostBusyMs: number;
    hostTop: SelfTime[];
    programBusyMs?: number;
    programTop: SelfTime[];
}

export interface EngineResult {
    cli: string;
    restoreMs: number;
    limitPerSecond: number;
    parallel: number;
    /** The engine's default on this machine (4 x CPUs, which is 4 x GOMAXPROCS unless a cgroup limits it). */
    engineDefaultParallel: number;
    sizes: number[];
    runs: EngineRun[];
    profiles: EngineProfile[];
    errors: string[];
}

/** The issue's ideal for N restores, half per cloud: the restore time plus the larger half's calls at the limit. */
export function idealMs(count: number, restoreMs: number, limit = LIMIT): number {
    const s = split(count);
    return restoreMs + (1000 * Math.max(s.tencent, s.starrocks)) / limit;
}

interface Emulators {
    config: Record<string, string>;
    servers: EmulatorServer[];
    throttled(): number;
    calls(): number;
    firstRequestAt(): number | undefined;
    stop(): Promise<void>;
}

async function startEmulators(count: number, restoreMs: number): Promise<Emulators> {
    const C = EMULATOR_CREDENTIALS;
    const s = split(count);
    const tc = new TencentRedisService({
        credentials: { [C.tencentcloud.secretId]: C.tencentcloud.secretKey },
        timings: { prepareMs: Math.min(1000, restoreMs / 5), runMs: restoreMs - Math.min(1000, restoreMs / 5) },
        rateLimitPerSecond: LIMIT,
    });
    const sr = new StarRocksService({
        credentials: { [C.alicloud.accessKey]: C.alicloud.secretKey },
        timings: { restoreMs, releaseMs: 500 },
        rateLimitPerSecond: LIMIT,
    });
    for (let i = 0; i < s.tencent; i++) {
        tc.seed("instance", { InstanceId: tcInstanceId(i) });
        tc.seed("backup", { InstanceId: tcInstanceId(i), BackupId: tcBackupId(i) });
    }
    for (let i = 0; i < s.starrocks; i++)
        sr.seed("backup", { BackupTaskId: srBackupTaskId(i), RegionId: "cn-hangzhou" });
    const servers = [new EmulatorServer(tc), new EmulatorServer(sr)];
    let first: number | undefined;
    for (const sv of servers) sv.onRequest = () => (first ??= Date.now());
    const [tcUrl, srUrl] = [await servers[0].start(), await servers[1].start()];
    return {
        config: {
            alicloudEndpoint: srUrl,
            tencentEndpoint: tcUrl,
        },
        servers,
        throttled: () => tc.throttledCount + sr.throttledCount,
        calls: () => servers.reduce((a, sv) => a + sv.log.length, 0),
        firstRequestAt: () => first,
        stop: async () => {
            for (const sv of servers) await sv.stop();
        },
    };
}

/** `pulumi config set-all` arguments for a stack of this host and kind. */
function configArgs(host: Host, kind: Kind, count: number, emu?: Emulators): string[] {
    const C = EMULATOR_CREDENTIALS;
    const a: string[] = ["config", "set-all", "--path"];
    const plain = (k: string, v: string | number) => a.push("--plaintext", `${k}=${v}`);
    const secret = (k: string, v: string) => a.push("--secret", `${k}=${v}`);
    plain("bench:kind", kind);
    plain("bench:host", host);
    plain("bench:count", count);
    if (kind === "ours" && emu) {
        const ns =
            host === "plugin"
                ? (c: string, k: string) => `pulumi-restore:${c}.${k}`
                : (c: string, k: string) => `${c}:${k}`;
        plain(ns("alicloud", "endpoint"), emu.config.alicloudEndpoint);
        plain(ns("alicloud", "region"), "cn-hangzhou");
        plain(ns("alicloud", "accessKey"), C.alicloud.accessKey);
        secret(ns("alicloud", "secretKey"), C.alicloud.secretKey);
        plain(ns("tencentcloud", "endpoint"), emu.config.tencentEndpoint);
        plain(ns("tencentcloud", "region"), "ap-guangzhou");
        plain(ns("tencentcloud", "secretId"), C.tencentcloud.secretId);
        secret(ns("tencentcloud", "secretKey"), C.tencentcloud.secretKey);
    }
    return a;
}

/** The error lines of a CLI command's output. */
export function errorLines(r: CliResult): string[] {
    if (r.code === 0) return [];
    const lines = `${r.stdout}\n${r.stderr}`
        .split("\n")
        .map((l) => l.trim())
        .filter((l) => /^error:|\berror:/.test(l));
    return (lines.length ? lines : [`exit code ${r.code}`]).slice(0, 5);
}

/** A process's pid from a `.cpuprofile` file name (CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile, as --cpu-prof). */
export function pidOfProfile(file: string): number | undefined {
    const m = /^CPU\.\d+\.\d+\.(\d+)\.\d+\.\d+\.cpuprofile$/.exec(file);
    return m ? Number(m[1]) : undefined;
}

/**
 * A script for `node --require` that profiles the process it loads into and writes `CPU.0.0.<pid>.0.<n>.cpuprofile`
 * chunks into BENCH_CPU_PROFILE_DIR every 2 s and when it exits (also on SIGINT and SIGTERM; the engine may SIGKILL a
 * plugin, so the chunks keep all but the last 2 s). Node
 * 20 refuses `--cpu-prof` in NODE_OPTIONS, and the bench cannot add flags to the node commands the engine runs; the
 * inspector's profiler is what `--cpu-prof` uses.
 */
export const PROFILER_SCRIPT = `"use strict";
const inspector = require("inspector");
const fs = require("fs");
const path = require("path");
const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
    const s = new inspector.Session();
    s.connect();
    s.post("Profiler.enable");
    s.post("Profiler.setSamplingInterval", { interval: 1000 });
    s.post("Profiler.start");
    let done = false;
    let seq = 0;
    // A main-thread session answers synchronously, so this also works in an exit handler.
    const chunk = (again) => {
        s.post("Profiler.stop", (err, r) => {
            if (!err) fs.writeFileSync(path.join(dir, "CPU.0.0." + process.pid + ".0." + ++seq + ".cpuprofile"), JSON.stringify(r.profile));
        });
        if (again) s.post("Profiler.start");
    };
    // The engine stops plugins with SIGKILL soon after SIGINT (or at once): write a chunk every 2 s, so that at most
    // the last 2 s are lost.
    setInterval(() => chunk(true), 2000).unref();
    const write = () => {
        if (done) return;
        done = true;
        chunk(false);
    };
    process.on("exit", write);
    for (const sig of ["SIGINT", "SIGTERM"])
        process.once(sig, () => {
            write();
            process.exit(0);
        });
}
`;

function writeProfiler(dir: string): string {
    const f = path.join(dir, "..", `${path.basename(dir)}-profiler.js`);
    writeFileSync(f, PROFILER_SCRIPT);
    return f;
}

/** Runs the engine benchmarks; the CLI must exist (else it throws, and the summary says the benchmark could not run). */
export async function runEngine(o: EngineOptions): Promise<EngineResult> {
    const cli = findPulumi();
    if (!cli) throw new Error("no Pulumi CLI found: run `npm run pulumi:install` (or set PULUMI_RESTORE_CLI)");
    const log = o.log ?? ((l: string) => process.stderr.write(`${l}\n`));
    const sizes = o.sizes ?? [200, 1000];
    const restoreMs = o.restoreMs ?? 5000;
    const parallel = o.parallel ?? 1000;
    const defaultParallelSize = o.defaultParallelSize ?? Math.min(...sizes);
    const hosts = o.hosts ?? HOSTS;
    const programDir = o.packed.programDir;
    writeCliProject(programDir);
    const backend = mkdtempSync(path.join(os.tmpdir(), "pulumi-restore-bench-backend-"));
    const runs: EngineRun[] = [];
    const profiles: EngineProfile[] = [];
    const errors: string[] = [];
    let seq = 0;

    const baseEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
        // Not the harness's: no ts-node in the processes (the installed package is JavaScript), the default schedule.
        NODE_OPTIONS: "",
        TS_NODE_TRANSPILE_ONLY: "",
        PULUMI_RESTORE_POLL_MIN_MS: "",
        PULUMI_PARALLEL: "",
        ...extra,
    });

    /** One stack: init, config, up, (preview); the emulators for ours. */
    const stackRun = async (
        host: Host,
        kind: Kind,
        count: number,
        par: number | "default",
        withPreview: boolean,
        profileDir?: string,
    ): Promise<EngineRun[]> => {
        const name = `${host}-${kind}-${count}-${par}-${++seq}`;
        const st = new CliStack(cli.path, name, {
            cwd: programDir,
            backendDir: backend,
            env: baseEnv(
                profileDir
                    ? {
                          NODE_OPTIONS: `--require ${JSON.stringify(writeProfiler(profileDir))}`,
                          BENCH_CPU_PROFILE_DIR: profileDir,
                      }
                    : {},
            ),
        });
        // PULUMI_PARALLEL="" is "unset" for the CLI (it reads a positive number), but leave nothing to chance.
        delete st.env.PULUMI_PARALLEL;
        const emu = kind === "ours" ? await startEmulators(count, restoreMs) : undefined;
        const out: EngineRun[] = [];
        try {
            await st.must(["stack", "init", name, "--non-interactive"]);
            await st.must(configArgs(host, kind, count, emu));
            const parArgs = par === "default" ? [] : ["--parallel", String(par)];
            const timed = async (op: "up" | "preview", args: string[]): Promise<EngineRun> => {
                const calls0 = emu?.calls() ?? 0;
                const throttled0 = emu?.throttled() ?? 0;
                const t0 = Date.now();
                const { child, done } = st.start(args);
                const mon = child.pid !== undefined ? new ProcTreeMonitor(child.pid) : undefined;
                const r = await done;
                const wallMs = Date.now() - t0;
                const procs: ProcPeak[] = mon?.stop() ?? [];
                const first = emu?.firstRequestAt();
                const run: EngineRun = {
                    host,
                    kind,
                    op,
                    count,
                    parallel: par,
                    wallMs,
                    exitCode: r.code,
                    errors: errorLines(r),
                    calls: emu ? emu.calls() - calls0 : undefined,
                    throttled: emu ? emu.throttled() - throttled0 : undefined,
                    firstRequestMs: op === "up" && first !== undefined ? first - t0 : undefined,
                    peakCliBytes: peakOf(procs, "cli"),
                    peakHostBytes: peakOf(procs, host === "dynamic" ? "provider host (dynamic)" : "provider plugin"),
                    peakProgramBytes: peakOf(procs, "program"),
                    parallelWarning: /more restores than the engine runs at once/.test(`${r.stdout}${r.stderr}`),
                };
                if (profileDir) {
                    // This command's profiles, before the next command writes its own.
                    profiles.push(readProfiles(profileDir, run, host, procs));
                    for (const f of readdirSync(profileDir)) rmSync(path.join(profileDir, f), { force: true });
                }
                return run;
            };
            const up = await timed("up", [
                "up",
                "--stack",
                name,
                "--yes",
                "--skip-preview",
                "--non-interactive",
                ...parArgs,
            ]);
            if (up.exitCode === 0) {
                const d = await st.deployment();
                const mine = d.resources.filter((r) => r.custom && /::(tc|sr)-\d+$/.test(r.urn));
                up.ok = mine.filter((r) =>
                    kind === "noop" ? true : ["running", "succeed"].includes(String(r.outputs?.status)),
                ).length;
            } else up.ok = 0;
            if (up.ok !== count && up.errors.length === 0)
                up.errors.push(`${count - (up.ok ?? 0)} resources did not reach their final status`);
            out.push(up);
            log(
                `  ${host} ${kind} up ${count} (--parallel ${par}): ${fmtMs(up.wallMs)}${up.errors.length ? ` ERRORS ${up.errors[0]}` : ""}`,
            );
            if (withPreview) {
                const pv = await timed("preview", [
                    "preview",
                    "--stack",
                    name,
                    "--non-interactive",
                    "--diff",
                    ...parArgs,
                ]);
                out.push(pv);
                log(
                    `  ${host} ${kind} preview ${count}: ${fmtMs(pv.wallMs)}${pv.errors.length ? ` ERRORS ${pv.errors[0]}` : ""}`,
                );
            }
        } finally {
            await emu?.stop();
            // No destroy: the backend directory goes as a whole; the emulators forget everything when they stop.
            rmSync(path.join(programDir, `Pulumi.${name}.yaml`), { force: true });
        }
        return out;
    };

    try {
        for (const host of hosts) {
            for (const n of sizes) {
                for (const kind of ["ours", "noop"] as const) {
                    try {
                        runs.push(...(await stackRun(host, kind, n, parallel, true)));
                    } catch (e) {
                        errors.push(
                            `${host} ${kind} ${n}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`,
                        );
                    }
                }
            }
            if (defaultParallelSize > 0) {
                for (const kind of ["ours", "noop"] as const) {
                    try {
                        runs.push(...(await stackRun(host, kind, defaultParallelSize, "default", false)));
                    } catch (e) {
                        errors.push(
                            `${host} ${kind} default parallelism: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`,
                        );
                    }
                }
            }
            if (o.profile) {
                const dir = mkdtempSync(path.join(os.tmpdir(), "pulumi-restore-bench-prof-"));
                try {
                    const n = Math.max(...sizes);
                    await stackRun(host, "ours", n, parallel, true, dir);
                } catch (e) {
                    errors.push(`${host} profile: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
                } finally {
                    rmSync(dir, { recursive: true, force: true });
                    rmSync(`${dir}-profiler.js`, { force: true });
                }
            }
        }
    } finally {
        rmSync(backend, { recursive: true, force: true });
    }
    return {
        cli: cli.source,
        restoreMs,
        limitPerSecond: LIMIT,
        parallel,
        engineDefaultParallel: 4 * os.cpus().length,
        sizes,
        runs,
        profiles,
        errors,
    };
}

/** The profiles one command left in `dir`, by the role of the process that wrote each. */
function readProfiles(dir: string, r: EngineRun, host: Host, procs: readonly ProcPeak[]): EngineProfile {
    const role = new Map(procs.map((p) => [p.pid, p.role]));
    const hostRole = host === "dynamic" ? "provider host (dynamic)" : "provider plugin";
    // Every chunk of every process of the role (a command starts one provider host, and one program).
    const hostProfiles: CpuProfile[] = [];
    const programProfiles: CpuProfile[] = [];
    for (const f of readdirSync(dir)) {
        const pid = pidOfProfile(f);
        const rl = pid === undefined ? undefined : role.get(pid);
        if (rl !== hostRole && rl !== "program") continue;
        const p = JSON.parse(readFileSync(path.join(dir, f), "utf8")) as CpuProfile;
        (rl === hostRole ? hostProfiles : programProfiles).push(p);
    }
    const busy = (ps: CpuProfile[]) => ps.reduce((a, p) => a + busyMs(p), 0);
    return {
        host,
        op: r.op,
        count: r.count,
        wallMs: r.wallMs,
        hostBusyMs: hostProfiles.length ? busy(hostProfiles) : NaN,
        hostTop: topSelfTime(hostProfiles, 8).entries,
        programBusyMs: programProfiles.length ? busy(programProfiles) : undefined,
        programTop: topSelfTime(programProfiles, 5).entries,
    };
}

const find = (r: EngineResult, host: Host, kind: Kind, op: "up" | "preview", n: number, par: number | "default") =>
    r.runs.find((x) => x.host === host && x.kind === kind && x.op === op && x.count === n && x.parallel === par);

/** Growth: per-resource cost at each size, and the marginal cost per resource between consecutive sizes. */
export function growth(
    points: { n: number; ms: number }[],
): { n: number; ms: number; perResourceMs: number; marginalMs?: number }[] {
    const s = [...points].sort((a, b) => a.n - b.n);
    return s.map((p, i) => ({
        n: p.n,
        ms: p.ms,
        perResourceMs: p.ms / p.n,
        marginalMs: i > 0 && p.n !== s[i - 1].n ? (p.ms - s[i - 1].ms) / (p.n - s[i - 1].n) : undefined,
    }));
}

/** The summary rows: for each host and size, the up and preview ratios, errors and throttling; memory at the largest. */
export function engineTargets(r: EngineResult): TargetRow[] {
    const rows: TargetRow[] = [];
    for (const host of HOSTS) {
        for (const n of r.sizes) {
            const ours = find(r, host, "ours", "up", n, r.parallel);
            const noop = find(r, host, "noop", "up", n, r.parallel);
            const id = `P2 CLI ${host} ${n}`;
            if (!ours && !noop) continue;
            const ideal = idealMs(n, r.restoreMs, r.limitPerSecond);
            const okRun = (x?: EngineRun) => x !== undefined && x.exitCode === 0;
            if (okRun(ours) && okRun(noop)) {
                const beyond = (ours!.wallMs - ideal) / noop!.wallMs;
                rows.push({
                    id,
                    target: `up --parallel ${r.parallel}, ${n} restores: (wall - ideal ${fmtMs(ideal)}) <= 1.10 x the no-op stack's up`,
                    measured: `${fmtMs(ours!.wallMs)} - ${fmtMs(ideal)} = ${fmtMs(ours!.wallMs - ideal)} = ${beyond.toFixed(2)} x no-op ${fmtMs(noop!.wallMs)}`,
                    met: beyond <= 1.1,
                });
                const overall = ours!.wallMs / (ideal + noop!.wallMs);
                rows.push({
                    id,
                    target: `up wall <= 1.15 x (ideal + the no-op stack's up)`,
                    measured: `${fmtMs(ours!.wallMs)} = ${overall.toFixed(2)} x ${fmtMs(ideal + noop!.wallMs)}`,
                    met: overall <= 1.15,
                });
            } else
                rows.push({
                    id,
                    target: "up wall against ideal + the no-op stack's up",
                    measured: `could not compare: ${[ours, noop].map((x) => (x ? `exit ${x.exitCode}` : "not run")).join(", ")}`,
                    met: false,
                });
            if (ours)
                rows.push({
                    id,
                    target: "0 errors, 0 throttled answers",
                    measured: `${ours.errors.length} errors, ${ours.throttled ?? "?"} throttled answers; ${ours.ok ?? 0}/${n} ok`,
                    met: ours.errors.length === 0 && ours.throttled === 0 && ours.ok === n,
                });
            const po = find(r, host, "ours", "preview", n, r.parallel);
            const pn = find(r, host, "noop", "preview", n, r.parallel);
            if (okRun(po) && okRun(pn)) {
                const ratio = po!.wallMs / pn!.wallMs;
                rows.push({
                    id: `P4 CLI ${host} ${n}`,
                    target: `preview of ${n} resources <= 1.25 x the no-op stack's`,
                    measured: `${fmtMs(po!.wallMs)} = ${ratio.toFixed(2)} x ${fmtMs(pn!.wallMs)}`,
                    met: ratio <= 1.25,
                });
            } else if (po || pn)
                rows.push({
                    id: `P4 CLI ${host} ${n}`,
                    target: "preview <= 1.25 x the no-op stack's",
                    measured: `could not compare: ${[po, pn].map((x) => (x ? `exit ${x.exitCode}` : "not run")).join(", ")}`,
                    met: false,
                });
        }
        const n = Math.max(...r.sizes);
        const big = find(r, host, "ours", "up", n, r.parallel);
        if (big)
            rows.push({
                id: `P2 CLI ${host} ${n}`,
                target: `peak memory at ${n} restores (reported)`,
                measured: `CLI ${big.peakCliBytes === undefined ? "n/a" : fmtBytes(big.peakCliBytes)}, provider host ${big.peakHostBytes === undefined ? "n/a" : fmtBytes(big.peakHostBytes)}, program ${big.peakProgramBytes === undefined ? "n/a" : fmtBytes(big.peakProgramBytes)}`,
                met: big.peakCliBytes !== undefined && big.peakHostBytes !== undefined,
            });
    }
    for (const e of r.errors) rows.push({ id: "engine", target: "(could not run)", measured: e, met: false });
    return rows;
}

const mb = (b?: number) => (b === undefined ? "n/a" : fmtBytes(b));

export function printEngine(r: EngineResult): string {
    const parts: string[] = [];
    parts.push(
        `Engine: pulumi up and preview through the real CLI (${r.cli}), local file backend, installed package; N resources, half Tencent InstanceRestore, half StarRocks RestoredInstance; emulators allow ${r.limitPerSecond} req/s per action; restores take ${fmtMs(r.restoreMs)}; no-op stacks of the same size and properties for the engine's own cost`,
    );
    const rows = r.runs.map((x) => {
        const noop = x.kind === "ours" ? find(r, x.host, "noop", x.op, x.count, x.parallel) : undefined;
        const ideal = x.kind === "ours" && x.op === "up" ? idealMs(x.count, r.restoreMs, r.limitPerSecond) : undefined;
        return [
            x.host,
            x.kind,
            x.op,
            x.count,
            x.parallel === "default" ? `default (${r.engineDefaultParallel})` : String(x.parallel),
            fmtMs(x.wallMs),
            noop ? `${(x.wallMs / noop.wallMs).toFixed(2)}x` : "",
            ideal !== undefined ? fmtMs(ideal) : "",
            x.firstRequestMs !== undefined ? fmtMs(x.firstRequestMs) : "",
            x.calls === undefined ? "" : `${x.calls} / ${x.throttled}`,
            x.op === "up" ? `${x.ok ?? 0}/${x.count}` : "",
            x.errors.length ? x.errors[0].slice(0, 80) : "0",
            mb(x.peakCliBytes),
            mb(x.peakHostBytes),
            mb(x.peakProgramBytes),
        ];
    });
    parts.push(
        table(
            [
                "host",
                "stack",
                "command",
                "resources",
                "--parallel",
                "wall",
                "over no-op",
                "ideal",
                "first API request",
                "calls / throttled",
                "ok",
                "errors",
                "CLI peak RSS",
                "host peak RSS",
                "program peak RSS",
            ],
            rows,
        ),
    );
    // Parallelism: the default against the high setting, at the size both ran.
    const par: (string | number)[][] = [];
    for (const host of HOSTS)
        for (const kind of ["ours", "noop"] as const) {
            const d = r.runs.find(
                (x) => x.host === host && x.kind === kind && x.op === "up" && x.parallel === "default",
            );
            const h = d && find(r, host, kind, "up", d.count, r.parallel);
            if (d && h)
                par.push([
                    host,
                    kind,
                    d.count,
                    fmtMs(d.wallMs),
                    fmtMs(h.wallMs),
                    `${(d.wallMs / h.wallMs).toFixed(2)}x`,
                    kind === "noop" ? "" : d.parallelWarning ? "yes" : "no",
                ]);
        }
    if (par.length)
        parts.push(
            `\nParallelism: up at the engine's default (${r.engineDefaultParallel} here: 4 x GOMAXPROCS) and at --parallel ${r.parallel}`,
            table(
                [
                    "host",
                    "stack",
                    "resources",
                    "default",
                    `--parallel ${r.parallel}`,
                    "default / high",
                    "program warned (default)",
                ],
                par,
            ),
        );
    // Growth from the smallest to the largest size.
    const gr: (string | number)[][] = [];
    for (const host of HOSTS)
        for (const kind of ["ours", "noop"] as const)
            for (const op of ["up", "preview"] as const) {
                const pts = r.sizes
                    .map((n) => find(r, host, kind, op, n, r.parallel))
                    .filter((x): x is EngineRun => x !== undefined && x.exitCode === 0)
                    .map((x) => ({ n: x.count, ms: x.wallMs }));
                if (pts.length === 0) continue;
                const g = growth(pts);
                gr.push([
                    host,
                    kind,
                    op,
                    g.map((p) => `${p.n}: ${fmtMs(p.ms)} (${fmtNum(p.perResourceMs)} ms each)`).join("; "),
                    g
                        .filter((p) => p.marginalMs !== undefined)
                        .map((p) => `${fmtNum(p.marginalMs!)} ms`)
                        .join(", ") || "",
                ]);
            }
    if (gr.length)
        parts.push(
            `\nGrowth: wall time and per-resource cost at each size; marginal cost per added resource between sizes`,
            table(["host", "stack", "command", "wall (per resource)", "marginal per resource"], gr),
        );
    for (const p of r.profiles) {
        parts.push(
            `\nCPU profile, ${p.host} host, ours ${p.op} of ${p.count} (profiled run: ${fmtMs(p.wallMs)}): provider host busy ${fmtMs(p.hostBusyMs)}${p.programBusyMs !== undefined ? `, program busy ${fmtMs(p.programBusyMs)}` : ""}`,
            table(
                ["process", "function (self time)", "self", "share"],
                [
                    ...p.hostTop.map((e) => [
                        "provider host",
                        e.fn,
                        fmtMs(e.selfMs),
                        `${(e.share * 100).toFixed(1)} %`,
                    ]),
                    ...p.programTop.map((e) => ["program", e.fn, fmtMs(e.selfMs), `${(e.share * 100).toFixed(1)} %`]),
                ],
            ),
        );
    }
    if (r.errors.length) parts.push(`\ncould not run:\n  ${r.errors.join("\n  ")}`);
    return parts.join("\n");
}
