import { strict as assert } from "assert";
import { parseArgs } from "../../bench/index";
import { EngineResult, EngineRun, engineTargets, growth, idealMs, pidOfProfile } from "../../bench/engine-cli";
import { split } from "../../bench/support/cliProject";
import { CpuProfile, busyMs, shortUrl, topSelfTime } from "../../bench/support/cpuProfile";
import { hwmOf, parentOf, peakOf, roleOf } from "../../bench/support/procTree";
import { engineParallelism, parallelismWarning } from "../../provider/core/parallelism";

describe("bench: engine benchmarks (pure helpers)", () => {
    it("--no-engine, --engine-sizes and the other engine flags parse, and bad values are refused naming the flag", () => {
        const d = parseArgs([]);
        assert.equal(d.engine, true);
        assert.deepEqual(d.engineSizes, [200, 1000]);
        assert.equal(d.engineRestoreMs, 5000);
        assert.equal(d.engineParallel, 1000);
        assert.equal(d.engineDefaultParallelSize, undefined);
        assert.deepEqual(d.engineHosts, ["dynamic", "plugin"]);
        assert.equal(d.profile, false);
        const o = parseArgs([
            "--no-engine",
            "--engine-sizes",
            "20,40",
            "--engine-restore-seconds=1",
            "--engine-parallel",
            "64",
            "--engine-default-parallel-size",
            "0",
            "--engine-hosts",
            "plugin",
            "--profile",
        ]);
        assert.equal(o.engine, false);
        assert.deepEqual(o.engineSizes, [20, 40]);
        assert.equal(o.engineRestoreMs, 1000);
        assert.equal(o.engineParallel, 64);
        assert.equal(o.engineDefaultParallelSize, 0);
        assert.deepEqual(o.engineHosts, ["plugin"]);
        assert.equal(o.profile, true);
        assert.throws(() => parseArgs(["--engine-sizes", "1,x"]), /--engine-sizes takes a whole number/);
        assert.throws(() => parseArgs(["--engine-hosts", "docker"]), /--engine-hosts takes a list of dynamic, plugin/);
    });

    it("a stack's resources split half per cloud; the ideal is the restore plus the larger half's calls at the limit", () => {
        assert.deepEqual(split(200), { tencent: 100, starrocks: 100 });
        assert.deepEqual(split(7), { tencent: 3, starrocks: 4 });
        assert.equal(idealMs(200, 5000), 5000 + 5000);
        assert.equal(idealMs(1000, 5000, 20), 5000 + 25_000);
    });

    it("growth gives per-resource and marginal costs between consecutive sizes", () => {
        const g = growth([
            { n: 1000, ms: 50_000 },
            { n: 100, ms: 10_000 },
            { n: 200, ms: 14_000 },
        ]);
        assert.deepEqual(
            g.map((p) => [p.n, p.perResourceMs, p.marginalMs]),
            [
                [100, 100, undefined],
                [200, 70, 40],
                [1000, 50, 45],
            ],
        );
    });

    it("CPU profiles: self time per function from samples and time deltas, idle kept but not busy", () => {
        const p: CpuProfile = {
            startTime: 0,
            endTime: 100,
            nodes: [
                { id: 1, callFrame: { functionName: "(root)", url: "", lineNumber: -1 } },
                { id: 2, callFrame: { functionName: "(idle)", url: "", lineNumber: -1 } },
                {
                    id: 3,
                    callFrame: {
                        functionName: "serialize",
                        url: "file:///x/node_modules/@pulumi/pulumi/a.js",
                        lineNumber: 9,
                    },
                },
                {
                    id: 4,
                    callFrame: {
                        functionName: "serialize",
                        url: "file:///x/node_modules/@pulumi/pulumi/a.js",
                        lineNumber: 9,
                    },
                },
                { id: 5, callFrame: { functionName: "", url: "/repo/provider/core/http.js", lineNumber: 0 } },
            ],
            samples: [3, 2, 4, 5, 3],
            // timeDeltas[i] is the gap before sample i: sample i lasts timeDeltas[i + 1] (the last one: nothing).
            timeDeltas: [0, 1000, 2000, 3000, 4000],
        };
        const t = topSelfTime(p, 3);
        // serialize: samples 0 and 2 (1 + 3 ms, two nodes of one function); (idle) 2 ms; the anonymous one 4 ms.
        assert.equal(t.totalMs, 10);
        assert.deepEqual(
            t.entries.map((e) => [e.fn, e.selfMs]),
            [
                ["serialize (@pulumi/pulumi/a.js:10)", 4],
                ["(anonymous) (core/http.js:1)", 4],
                ["(idle)", 2],
            ],
        );
        assert.equal(busyMs(p), 8);
        assert.equal(shortUrl("file:///a/b/node_modules/x/node_modules/y/z.js"), "y/z.js");
        assert.equal(shortUrl("/a/b/c/d.js"), "c/d.js");
    });

    it("profiles are matched to processes by the pid in their file name", () => {
        assert.equal(pidOfProfile("CPU.20261128.051800.4242.0.001.cpuprofile"), 4242);
        assert.equal(pidOfProfile("heap.heapprofile"), undefined);
    });

    it("process tree: roles from command lines, parents from stat (names with spaces), VmHWM from status", () => {
        assert.equal(roleOf(["/x/.pulumi-cli/bin/pulumi", "up"]), "cli");
        assert.equal(roleOf(["/x/pulumi-language-nodejs", "127.0.0.1:1"]), "language host");
        assert.equal(
            roleOf(["/usr/bin/node", "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js"]),
            "provider host (dynamic)",
        );
        assert.equal(
            roleOf(["/usr/bin/node", "/p/node_modules/@pulumi/pulumi/cmd/run-plugin/index.js", "/p/plugin"]),
            "provider plugin",
        );
        assert.equal(
            roleOf(["/usr/bin/node", "/p/node_modules/@pulumi/pulumi/cmd/run/index.js", "--monitor", "x"]),
            "program",
        );
        assert.equal(roleOf(["node", "-e", "require.resolve('@pulumi/pulumi/cmd/dynamic-provider')"]), "other");
        assert.equal(roleOf(["/bin/sh", "/x/bin/pulumi-resource-pulumi-nodejs", "127.0.0.1:1"]), "other");
        assert.equal(parentOf("123 (node my thing) S 77 123 123 0 -1"), 77);
        assert.equal(hwmOf("Name:\tnode\nVmHWM:\t  2048 kB\nVmRSS:\t 1024 kB\n"), 2 * 1024 * 1024);
        const procs = [
            { pid: 1, role: "cli" as const, argv: [], peakRssBytes: 5 },
            { pid: 2, role: "provider plugin" as const, argv: [], peakRssBytes: 7 },
            { pid: 3, role: "provider plugin" as const, argv: [], peakRssBytes: 9 },
        ];
        assert.equal(peakOf(procs, "provider plugin"), 9);
        assert.equal(peakOf(procs, "program"), undefined);
    });

    it("targets: up against ideal + no-op and beyond the ideal against no-op, preview against no-op, met or MISSED", () => {
        const run = (kind: "ours" | "noop", op: "up" | "preview", wallMs: number): EngineRun => ({
            host: "dynamic",
            kind,
            op,
            count: 200,
            parallel: 1000,
            wallMs,
            exitCode: 0,
            errors: [],
            ok: op === "up" ? 200 : undefined,
            throttled: kind === "ours" ? 0 : undefined,
            peakCliBytes: 1,
            peakHostBytes: 2,
        });
        const r: EngineResult = {
            cli: "PATH",
            restoreMs: 5000,
            limitPerSecond: 20,
            parallel: 1000,
            engineDefaultParallel: 8,
            sizes: [200],
            runs: [
                run("ours", "up", 20_000),
                run("noop", "up", 10_000),
                run("ours", "preview", 13_000),
                run("noop", "preview", 10_000),
            ],
            profiles: [],
            errors: [],
        };
        const rows = engineTargets(r);
        const byTarget = (re: RegExp) => rows.find((x) => re.test(x.target))!;
        // ideal 10 s: (20 - 10) / 10 = 1.00 <= 1.10; 20 / (10 + 10) = 1.00 <= 1.15; preview 1.30 > 1.25.
        assert.equal(byTarget(/wall - ideal/).met, true);
        assert.equal(byTarget(/1.15 x/).met, true);
        assert.equal(byTarget(/0 errors/).met, true);
        assert.equal(byTarget(/preview/).met, false);
        assert.match(byTarget(/preview/).measured, /1\.30 x/);
        assert.equal(byTarget(/peak memory/).met, true);
    });

    it("the resource classes read the engine's parallelism from PULUMI_NODEJS_PARALLEL and say what to run", () => {
        assert.equal(engineParallelism({ PULUMI_NODEJS_PARALLEL: "8" }), 8);
        assert.equal(engineParallelism({}), undefined);
        assert.equal(engineParallelism({ PULUMI_NODEJS_PARALLEL: "x" }), undefined);
        const w = parallelismWarning(9, 8);
        assert.match(w, /more restores than the engine runs at once/);
        assert.match(w, /--parallel is 8 here/);
        assert.match(w, /pulumi up --parallel 1000/);
        assert.match(parallelismWarning(3000, 8), /--parallel 8192/);
    });
});
