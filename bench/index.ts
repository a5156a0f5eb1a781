/**
 * `npm run bench`: what users pay in time, calls and state size, measured side by side in one run.
 *
 *   npm run bench                        every benchmark (about 15 minutes on 2 idle cores, 12 of them the engine
 *                                        benchmarks)
 *   npm run bench -- --only P1,P3        a subset
 *   npm run bench -- --p2-sizes 50,200   P2 at these sizes (default 50, 200, 500 restores per cloud)
 *   npm run bench -- --no-hog            without the P2 run that has a CPU hog alongside
 *   npm run bench -- --keep              keep the scratch directory (packed tarball, installs)
 *   npm run bench -- --readme            also write the summary (the run's line and every target, met or MISSED) into
 *                                        README.md between the bench:start and bench:end markers, linking the rest
 *   npm run bench -- --readme-from bench/summary.md
 *                                        run nothing: write that summary of an earlier run into README.md, unedited
 *   npm run bench -- --no-engine         without the engine benchmarks (P2 and P4 through the real Pulumi CLI)
 *   npm run bench -- --engine-sizes 100,200,1000
 *                                        their stack sizes (default 200 and 1000 resources, half per cloud)
 *   npm run bench -- --engine-restore-seconds 1 --engine-parallel 1000 --engine-default-parallel-size 0
 *                                        emulated restore time (5), the high --parallel (1000), and the size at which
 *                                        up also runs at the engine's default parallelism (the smallest; 0: never)
 *   npm run bench -- --engine-hosts dynamic
 *                                        one host only (default: dynamic,plugin)
 *   npm run bench -- --profile           also a CPU profile (node --cpu-prof) of the provider host for one up and one
 *                                        preview per host at the largest size, top self-time functions reported
 *   npm run bench -- --stack-trace-limit 0
 *                                        a diagnostic: Error.stackTraceLimit in the process that runs the programs
 *                                        (the SDK takes a stack trace for every property it registers; see README)
 *
 * Prints a report per benchmark, then one summary table: every target, what this run measured, met or MISSED. Writes
 * bench/results.json (every figure) and bench/summary.md (the same reports as Markdown: the README's Performance
 * figures are pasted from it). Benchmarks print figures; they never pass or fail on timings (the exit code is
 * non-zero only when a benchmark could not run at all).
 */
import { execFileSync } from "child_process";
import { readFileSync, rmSync, writeFileSync } from "fs";
import * as os from "os";
import * as path from "path";
import { p1Targets, printP1, runP1 } from "./p1-lag";
import { p1LoadTargets, printP1Load, runP1Load } from "./p1-load";
import { p2Targets, printP2, runP2 } from "./p2-concurrency";
import { printP3, runP3 } from "./p3-state";
import { p4Targets, printP4, runP4 } from "./p4-preview";
import { printP5, runP5 } from "./p5-footprint";
import { HOSTS, Host, engineTargets, printEngine, runEngine } from "./engine-cli";
import { Packed, packAndInstall } from "./support/packed";
import { TargetRow, fmtMs, mdTable, setTableStyle, summaryTable } from "./support/table";

const ALL = ["P1", "P2", "P3", "P4", "P5"] as const;
type Id = (typeof ALL)[number];

interface Options {
    only: Set<Id>;
    keep: boolean;
    out: string;
    /** Where the Markdown fragment for the README's Performance section goes. */
    md: string;
    /** Restores per cloud of each P2 run. */
    p2Sizes: number[];
    /** Run P2 once more (at 200 per cloud, or the largest size below it) with a CPU hog alongside. */
    hog: boolean;
    /** A diagnostic: Error.stackTraceLimit for this process, where the P2 and P4 programs register their resources. */
    stackTraceLimit?: number;
    /** Also write the Markdown report into this README, between its bench markers. */
    readme?: string;
    /** Write this earlier run's summary (bench/summary.md) into the README and run nothing. */
    readmeFrom?: string;
    /** The engine benchmarks (P2 and P4 through the real CLI): run with P2 or P4 unless --no-engine. */
    engine: boolean;
    engineSizes: number[];
    engineRestoreMs: number;
    engineParallel: number;
    /** The size at which up also runs at the engine's default parallelism; undefined: the smallest; 0: never. */
    engineDefaultParallelSize?: number;
    engineHosts: Host[];
    profile: boolean;
}

export function parseArgs(argv: string[]): Options {
    let only = new Set<Id>(ALL);
    let keep = false;
    let out = path.join(__dirname, "results.json");
    let md = path.join(__dirname, "summary.md");
    let p2Sizes = [50, 200, 500];
    let hog = true;
    let stackTraceLimit: number | undefined;
    let readme: string | undefined;
    let readmeFrom: string | undefined;
    let engine = true;
    let engineSizes = [200, 1000];
    let engineRestoreMs = 5000;
    let engineParallel = 1000;
    let engineDefaultParallelSize: number | undefined;
    let engineHosts: Host[] = [...HOSTS];
    let profile = false;
    const wholeNumber = (name: string, v: string, min: number, max: number) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < min || n > max)
            throw new Error(`${name} takes a whole number from ${min} to ${max} (got "${v}")`);
        return n;
    };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const value = (name: string) => {
            if (a.includes("=")) return a.slice(a.indexOf("=") + 1);
            const v = argv[++i];
            if (v === undefined) throw new Error(`${name} needs a value`);
            return v;
        };
        if (a === "--only" || a.startsWith("--only=")) {
            const wanted = value("--only")
                .split(",")
                .map((s) => s.trim().toUpperCase())
                .filter(Boolean);
            const bad = wanted.filter((w) => !(ALL as readonly string[]).includes(w));
            if (bad.length > 0 || wanted.length === 0)
                throw new Error(`--only takes a list of ${ALL.join(", ")} (got "${wanted.join(",")}")`);
            only = new Set(wanted as Id[]);
        } else if (a === "--keep") keep = true;
        else if (a === "--no-hog") hog = false;
        else if (a === "--no-engine") engine = false;
        else if (a === "--profile") profile = true;
        else if (a === "--engine-sizes" || a.startsWith("--engine-sizes=")) {
            const v = value("--engine-sizes");
            engineSizes = v.split(",").map((x) => wholeNumber("--engine-sizes", x.trim(), 2, 5000));
        } else if (a === "--engine-restore-seconds" || a.startsWith("--engine-restore-seconds="))
            engineRestoreMs = 1000 * wholeNumber("--engine-restore-seconds", value("--engine-restore-seconds"), 1, 600);
        else if (a === "--engine-parallel" || a.startsWith("--engine-parallel="))
            engineParallel = wholeNumber("--engine-parallel", value("--engine-parallel"), 1, 100000);
        else if (a === "--engine-default-parallel-size" || a.startsWith("--engine-default-parallel-size="))
            engineDefaultParallelSize = wholeNumber(
                "--engine-default-parallel-size",
                value("--engine-default-parallel-size"),
                0,
                5000,
            );
        else if (a === "--engine-hosts" || a.startsWith("--engine-hosts=")) {
            const v = value("--engine-hosts");
            const hs = v.split(",").map((x) => x.trim());
            if (hs.length === 0 || hs.some((h) => !(HOSTS as readonly string[]).includes(h)))
                throw new Error(`--engine-hosts takes a list of ${HOSTS.join(", ")} (got "${v}")`);
            engineHosts = hs as Host[];
        } else if (a === "--readme") readme = path.resolve(__dirname, "..", "README.md");
        else if (a === "--readme-from" || a.startsWith("--readme-from="))
            readmeFrom = path.resolve(value("--readme-from"));
        else if (a === "--stack-trace-limit" || a.startsWith("--stack-trace-limit=")) {
            const v = value("--stack-trace-limit");
            stackTraceLimit = Number(v);
            if (!Number.isInteger(stackTraceLimit) || stackTraceLimit < 0 || stackTraceLimit > 100)
                throw new Error(`--stack-trace-limit takes a whole number from 0 to 100 (got "${v}")`);
        } else if (a === "--p2-sizes" || a.startsWith("--p2-sizes=")) {
            const v = value("--p2-sizes");
            const sizes = v.split(",").map((x) => Number(x.trim()));
            if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 2000))
                throw new Error(`--p2-sizes takes a list of whole numbers from 1 to 2000 (got "${v}")`);
            p2Sizes = sizes;
        } else if (a === "--out" || a.startsWith("--out=")) out = path.resolve(value("--out"));
        else if (a === "--md" || a.startsWith("--md=")) md = path.resolve(value("--md"));
        else if (a === "--help" || a === "-h") {
            console.log(
                "usage: npm run bench [-- --only P1,P2,P3,P4,P5] [--p2-sizes 50,200,500] [--no-hog] [--no-engine] [--engine-sizes 200,1000] [--engine-restore-seconds 5] [--engine-parallel 1000] [--engine-default-parallel-size N] [--engine-hosts dynamic,plugin] [--profile] [--keep] [--out FILE] [--md FILE] [--readme] [--stack-trace-limit N]",
            );
            process.exit(0);
        } else throw new Error(`unknown argument ${a} (try --help)`);
    }
    return {
        only,
        keep,
        out,
        md,
        p2Sizes,
        hog,
        stackTraceLimit,
        readme,
        readmeFrom,
        engine,
        engineSizes,
        engineRestoreMs,
        engineParallel,
        engineDefaultParallelSize,
        engineHosts,
        profile,
    };
}

function gitCommit(): string | undefined {
    try {
        return execFileSync("git", ["rev-parse", "--short", "HEAD"], {
            cwd: path.resolve(__dirname, ".."),
            encoding: "utf8",
        }).trim();
    } catch {
        return undefined;
    }
}

async function main(): Promise<void> {
    const o = parseArgs(process.argv.slice(2));
    if (o.readmeFrom) {
        const target = path.resolve(__dirname, "..", "README.md");
        writeFileSync(
            target,
            withBenchFigures(readFileSync(target, "utf8"), readmeBlock(readFileSync(o.readmeFrom, "utf8"))),
        );
        console.log(`README figures replaced from ${path.relative(process.cwd(), o.readmeFrom)}`);
        return;
    }
    if (o.stackTraceLimit !== undefined) Error.stackTraceLimit = o.stackTraceLimit;
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
        p2Sizes: o.p2Sizes,
        hog: o.hog,
        engine: o.engine && (o.only.has("P2") || o.only.has("P4")),
        engineSizes: o.engineSizes,
        stackTraceLimit: Error.stackTraceLimit,
    };
    console.log(
        `pulumi-restore bench: ${[...o.only].join(", ")} on ${env.cpus} CPU(s), node ${env.node}, load ${env.loadAverageAtStart.join(" ")}${o.stackTraceLimit !== undefined ? `, Error.stackTraceLimit ${o.stackTraceLimit} (diagnostic)` : ""}\n`,
    );
    const results: Record<string, unknown> = { env };
    const rows: TargetRow[] = [];
    const failures: string[] = [];
    /** Each benchmark's report again, rendered with Markdown tables, for the README fragment. */
    const md: string[] = [];
    const section = async <T>(
        id: string,
        run: () => Promise<T>,
        print: (r: T) => string,
        targets?: (r: T) => TargetRow[],
    ) => {
        const t0 = Date.now();
        try {
            const r = await run();
            const ms = Date.now() - t0;
            results[id] = { ...(r as object), benchWallMs: ms };
            console.log(`${print(r)}\n(${id} took ${fmtMs(ms)})\n`);
            setTableStyle("md");
            try {
                md.push(print(r));
            } finally {
                setTableStyle("text");
            }
            if (targets) rows.push(...targets(r));
        } catch (e) {
            const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
            failures.push(`${id}: ${msg.split("\n")[0]}`);
            results[id] = { error: msg };
            rows.push({ id, target: "(could not run)", measured: msg.split("\n")[0], met: false });
            console.log(`${id} could not run: ${msg}\n`);
        }
    };

    // Packing builds the package (tsc) and installing it is I/O: both overlap P1, whose figures are on a virtual clock.
    // P2, P3, P4 and P5 measure the package as users get it.
    let packed: Promise<Packed> | undefined;
    if (o.only.has("P2") || o.only.has("P3") || o.only.has("P4") || o.only.has("P5")) {
        packed = packAndInstall();
        packed.catch(() => undefined);
    }
    try {
        if (o.only.has("P1")) {
            await section("P1", () => runP1(), printP1, p1Targets);
            await section("P1 load", () => runP1Load(), printP1Load, p1LoadTargets);
        }
        const p = packed
            ? await packed.catch((e: unknown) => {
                  failures.push(`pack/install: ${e instanceof Error ? e.message : String(e)}`);
                  return undefined;
              })
            : undefined;
        if (p) {
            results.pack = {
                tgz: path.basename(p.tgz),
                tgzBytes: p.tgzBytes,
                packMs: p.packMs,
                installMs: p.installMs,
            };
            console.log(
                `packed ${path.basename(p.tgz)} (${p.tgzBytes} bytes) in ${fmtMs(p.packMs)}, installed into a fresh program in ${fmtMs(p.installMs)}\n`,
            );
            if (o.only.has("P3"))
                await section(
                    "P3",
                    () => runP3(p),
                    printP3,
                    (r) => [
                        {
                            id: "P3",
                            target: "__provider <= 2 KB per resource (installed package)",
                            measured: r.target.text.replace(/^.*\(/, "(").replace(/[()]/g, ""),
                            met: r.target.ok,
                        },
                    ],
                );
            if (o.only.has("P5")) await section("P5", () => runP5(p), printP5);
            // Wall-clock benchmarks last, with nothing else of ours running.
            if (o.only.has("P4")) await section("P4", () => runP4({ packed: p }), printP4, p4Targets);
            if (o.only.has("P2")) {
                for (const n of o.p2Sizes)
                    await section(`P2 ${n}`, () => runP2({ perCloud: n, packed: p }), printP2, p2Targets);
                if (o.hog) {
                    const n = Math.max(...o.p2Sizes.filter((x) => x <= 200), Math.min(...o.p2Sizes));
                    await section(
                        `P2 ${n} + CPU hog`,
                        () => runP2({ perCloud: n, packed: p, cpuHog: true }),
                        printP2,
                        p2Targets,
                    );
                }
            }
            // Last: the engine benchmarks, the longest and the most sensitive to anything else running.
            if (env.engine)
                await section(
                    "Engine",
                    () =>
                        runEngine({
                            packed: p,
                            sizes: o.engineSizes,
                            restoreMs: o.engineRestoreMs,
                            parallel: o.engineParallel,
                            defaultParallelSize: o.engineDefaultParallelSize,
                            hosts: o.engineHosts,
                            profile: o.profile,
                        }),
                    printEngine,
                    engineTargets,
                );
        } else {
            for (const id of ["P2", "P3", "P4", "P5"] as const)
                if (o.only.has(id)) {
                    console.log(`${id} could not run: the package could not be packed and installed\n`);
                    rows.push({
                        id,
                        target: "(could not run)",
                        measured: "the package could not be packed and installed",
                        met: false,
                    });
                }
        }
    } finally {
        const p = packed ? await packed.catch(() => undefined) : undefined;
        if (p && !o.keep) rmSync(p.root, { recursive: true, force: true });
        else if (p) console.log(`scratch directory kept: ${p.root}`);
    }
    results.totalWallMs = Date.now() - started;
    results.targets = rows;
    results.failures = failures;
    writeFileSync(o.out, `${JSON.stringify(results, null, 2)}\n`);
    const missed = rows.filter((r) => !r.met).length;
    console.log(
        `summary: ${rows.length - missed} of ${rows.length} targets met (load average at the start ${env.loadAverageAtStart.join(" / ")} on ${env.cpus} CPU(s))\n${summaryTable(rows)}`,
    );
    if (failures.length) console.log(`could not run:\n  ${failures.join("\n  ")}`);
    const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`;
    const report = markdownReport({ command, env, totalWallMs: results.totalWallMs as number, rows, sections: md });
    writeFileSync(o.md, report);
    if (o.readme) {
        writeFileSync(o.readme, withBenchFigures(readFileSync(o.readme, "utf8"), readmeBlock(report)));
        console.log(`README figures replaced: ${path.relative(process.cwd(), o.readme) || o.readme}`);
    }
    console.log(
        `\ntotal ${fmtMs(results.totalWallMs as number)}; figures written to ${path.relative(process.cwd(), o.out) || o.out}, README fragment to ${path.relative(process.cwd(), o.md) || o.md}`,
    );
    if (failures.length) process.exitCode = 1;
}

/**
 * The README's part of a report (`markdownReport`'s text), unedited but shorter: the run's line, then the targets
 * table with only its MISSED rows (the README is to stay short), and a link to the whole report (bench/summary.md),
 * where every target and every benchmark's figures are.
 */
export function readmeBlock(report: string): string {
    const cut = report.indexOf("\n#### ");
    const lines = (cut < 0 ? report : report.slice(0, cut)).trimEnd().split("\n");
    const table = lines.filter((l) => l.startsWith("|"));
    const intro = lines.filter((l) => !l.startsWith("|") && l.trim() !== "");
    const missed = table.slice(2).filter((l) => l.includes("MISSED"));
    const met = table.length - 2 - missed.length;
    const out = [...intro, ""];
    if (missed.length > 0) out.push("The targets this run missed:", "", ...table.slice(0, 2), ...missed, "");
    out.push(
        `The other ${met} targets were met. Every target, met or missed, and every benchmark's figures from that run: ` +
            "[bench/summary.md](bench/summary.md).",
    );
    return `${out.join("\n")}\n`;
}

const START = /<!-- bench:start[^>]*-->\n/;
const END = "<!-- bench:end -->";

/** `readme` with the text between its bench markers replaced by `report` (the markers stay; both must be there). */
export function withBenchFigures(readme: string, report: string): string {
    const start = START.exec(readme);
    const end = readme.indexOf(END);
    if (!start || end < start.index)
        throw new Error("README.md has no <!-- bench:start ... --> ... <!-- bench:end --> markers around its figures");
    const from = start.index + start[0].length;
    return `${readme.slice(0, from)}${report.trimEnd()}\n${readme.slice(end)}`;
}

/** The README's Performance figures from one run: how it was run, the summary table, then each benchmark's report. */
export function markdownReport(r: {
    command: string;
    env: { date: string; commit?: string; node: string; platform: string; cpus: number; loadAverageAtStart: number[] };
    totalWallMs: number;
    rows: TargetRow[];
    sections: string[];
}): string {
    const missed = r.rows.filter((x) => !x.met).length;
    const head = [
        `Figures from \`${r.command}\` on ${r.env.date.slice(0, 16).replace("T", " ")} UTC, commit ${r.env.commit ?? "?"}, Node ${r.env.node.replace(/^v/, "")}, ` +
            `${r.env.cpus} CPU(s), ${r.env.platform}, load average ${r.env.loadAverageAtStart.join(" / ")} at the start, whole run ${fmtMs(r.totalWallMs)}. ` +
            `${r.rows.length - missed} of ${r.rows.length} targets met.`,
        "",
        mdTable(
            ["", "target", "measured", "met?"],
            r.rows.map((x) => [x.id, x.target, x.measured, x.met ? "met" : "**MISSED**"]),
        ),
    ];
    // Each report: its first line is a heading, other plain lines paragraphs.
    const body = r.sections.map((s) => {
        const [first, ...rest] = s.split("\n");
        return [`#### ${first}`, "", ...rest.map((l) => (l.startsWith("|") || l === "" ? l : `${l}\n`))]
            .join("\n")
            .replace(/\n{3,}/g, "\n\n");
    });
    return `${[...head, "", ...body].join("\n").trim()}\n`;
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
