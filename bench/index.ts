/**
 * `npm run bench`: what users pay in time, calls and state size, measured side by side in one run.
 *
 *   npm run bench                    every benchmark (a few minutes on 2 cores)
 *   npm run bench -- --only P1,P3    a subset
 *   npm run bench -- --keep          keep the scratch directory (packed tarball, installs)
 *
 * Prints a table per benchmark and writes bench/results.json. Benchmarks print figures; they never pass or fail on
 * timings (the exit code is non-zero only when a benchmark could not run at all).
 */
import { execFileSync } from "child_process";
import { rmSync, writeFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { printP1, runP1 } from "./p1-lag";
import { printP2, runP2 } from "./p2-concurrency";
import { printP3, runP3 } from "./p3-state";
import { printP4, runP4 } from "./p4-preview";
import { printP5, runP5 } from "./p5-footprint";
import { Packed, packAndInstall } from "./support/packed";
import { fmtMs } from "./support/table";

const ALL = ["P1", "P2", "P3", "P4", "P5"] as const;
type Id = (typeof ALL)[number];

interface Options {
    only: Set<Id>;
    keep: boolean;
    out: string;
}

export function parseArgs(argv: string[]): Options {
    let only = new Set<Id>(ALL);
    let keep = false;
    let out = path.join(__dirname, "results.json");
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const value = (name: string) => {
            if (a.includes("=")) return a.slice(a.indexOf("=") + 1);
            const v = argv[++i];
            if (v === undefined) throw new Error(`${name} needs a value`);
            return v;
        };
        if (a === "--only" || a.startsWith("--only=")) {
            const wanted = value("--only").split(",").map((s) => s.trim().toUpperCase()).filter(Boolean);
            const bad = wanted.filter((w) => !(ALL as readonly string[]).includes(w));
            if (bad.length > 0 || wanted.length === 0) throw new Error(`--only takes a list of ${ALL.join(", ")} (got "${wanted.join(",")}")`);
            only = new Set(wanted as Id[]);
        } else if (a === "--keep") keep = true;
        else if (a === "--out" || a.startsWith("--out=")) out = path.resolve(value("--out"));
        else if (a === "--help" || a === "-h") {
            console.log("usage: npm run bench [-- --only P1,P2,P3,P4,P5] [--keep] [--out FILE]");
            process.exit(0);
        } else throw new Error(`unknown argument ${a} (try --help)`);
    }
    return { only, keep, out };
}

function gitCommit(): string | undefined {
    try {
        return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: path.resolve(__dirname, ".."), encoding: "utf8" }).trim();
    } catch {
        return undefined;
    }
}

async function main(): Promise<void> {
    const o = parseArgs(process.argv.slice(2));
    const started = Date.now();
    const env = {
        date: new Date().toISOString(),
        commit: gitCommit(),
        node: process.version,
        platform: `${os.platform()} ${os.arch()}`,
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        loadAverageAtStart: os.loadavg().map((x) => Number(x.toFixed(2))),
        only: [...o.only],
    };
    console.log(`pulumi-restore bench: ${[...o.only].join(", ")} on ${env.cpus} CPU(s), node ${env.node}, load ${env.loadAverageAtStart.join(" ")}\n`);
    const results: Record<string, unknown> = { env };
    const targets: string[] = [];
    const failures: string[] = [];
    const section = async <T>(id: Id, run: () => Promise<T>, print: (r: T) => string, target?: (r: T) => string) => {
        if (!o.only.has(id)) return;
        const t0 = Date.now();
        try {
            const r = await run();
            const ms = Date.now() - t0;
            results[id] = { ...(r as object), benchWallMs: ms };
            console.log(`${print(r)}\n(${id} took ${fmtMs(ms)})\n`);
            if (target) targets.push(`${id}: ${target(r)}`);
        } catch (e) {
            const msg = e instanceof Error ? e.stack ?? e.message : String(e);
            failures.push(`${id}: ${msg.split("\n")[0]}`);
            results[id] = { error: msg };
            console.log(`${id} could not run: ${msg}\n`);
        }
    };

    // Packing builds the package (tsc) and installing it is I/O: both overlap P1, whose figures are on a virtual clock.
    let packed: Promise<Packed> | undefined;
    if (o.only.has("P3") || o.only.has("P5")) {
        packed = packAndInstall();
        packed.catch(() => undefined);
    }
    try {
        await section("P1", () => runP1(), printP1, (r) => r.target.text);
        if (packed) {
            const p = await packed.catch((e: unknown) => {
                failures.push(`pack/install: ${e instanceof Error ? e.message : String(e)}`);
                return undefined;
            });
            if (p) {
                results.pack = { tgz: path.basename(p.tgz), tgzBytes: p.tgzBytes, packMs: p.packMs, installMs: p.installMs };
                console.log(`packed ${path.basename(p.tgz)} (${p.tgzBytes} bytes) in ${fmtMs(p.packMs)}, installed into a fresh program in ${fmtMs(p.installMs)}\n`);
                await section("P3", () => runP3(p), printP3, (r) => r.target.text);
                await section("P5", () => runP5(p), printP5);
            } else {
                for (const id of ["P3", "P5"] as const) if (o.only.has(id)) console.log(`${id} could not run: the package could not be packed and installed\n`);
            }
        }
        // Wall-clock benchmarks last, with nothing else of ours running.
        await section("P4", () => runP4(), printP4, (r) => r.target.text);
        await section("P2", () => runP2(), printP2, (r) => r.target.text);
    } finally {
        const p = packed ? await packed.catch(() => undefined) : undefined;
        if (p && !o.keep) rmSync(p.root, { recursive: true, force: true });
        else if (p) console.log(`scratch directory kept: ${p.root}`);
    }
    results.totalWallMs = Date.now() - started;
    results.targets = targets;
    results.failures = failures;
    writeFileSync(o.out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`targets:\n  ${targets.join("\n  ") || "(none measured)"}`);
    if (failures.length) console.log(`could not run:\n  ${failures.join("\n  ")}`);
    console.log(`\ntotal ${fmtMs(results.totalWallMs as number)}; figures written to ${path.relative(process.cwd(), o.out) || o.out}`);
    if (failures.length) process.exitCode = 1;
}

if (require.main === module) {
    main().then(
        // The harness's gRPC clients and keep-alive agents may hold the loop open; everything is closed by now.
        () => process.exit(process.exitCode ?? 0),
        (e: unknown) => {
            console.error(e instanceof Error ? e.message : String(e));
            process.exit(2);
        },
    );
}
