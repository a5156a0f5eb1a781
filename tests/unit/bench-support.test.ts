import { strict as assert } from "assert";
import { markdownReport, parseArgs, readmeBlock, withBenchFigures } from "../../bench/index";
import { VARIANTS, scheduledLag } from "../../bench/p1-lag";
import { mdTable, summaryTable } from "../../bench/support/table";
import { payloadBytes } from "../../bench/p3-state";
import { InProcessTransport } from "../../bench/support/inProcess";
import { footprint } from "../../bench/support/npm";
import { logSpaced, median, quantile } from "../../bench/support/stats";
import { StarRocksService } from "../../emulator/alicloud/starrocks";
import { StarRocksClient } from "../../provider/alicloud/starrocksClient";
import { ApiCaller } from "../../provider/core/http";
import { VirtualClock } from "../../harness/clock";
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "fs";
import * as os from "os";
import * as path from "path";

describe("bench support", () => {
    it("quantiles interpolate between ranks; log-spaced series hit both ends", () => {
        assert.equal(median([5, 1, 3]), 3);
        assert.equal(quantile([0, 10], 0.99), 9.9);
        assert.equal(quantile([1, 2, 3, 4, 5], 1), 5);
        const xs = logSpaced(30, 14_400, 21);
        assert.equal(xs.length, 21);
        assert.equal(xs[0], 30);
        assert.equal(xs[20], 14_400);
        assert.ok(Math.abs(xs[1] / xs[0] - xs[20] / xs[19]) < 1e-9, "constant ratio");
    });

    it("--only selects benchmarks and rejects unknown ones", () => {
        assert.deepEqual([...parseArgs(["--only", "p1,P3"]).only], ["P1", "P3"]);
        assert.deepEqual([...parseArgs(["--only=P5"]).only], ["P5"]);
        assert.equal(parseArgs([]).only.size, 5);
        assert.throws(() => parseArgs(["--only", "P9"]), /--only takes a list of P1, P2, P3, P4, P5/);
        assert.throws(() => parseArgs(["--fast"]), /unknown argument --fast/);
    });

    it("--p2-sizes and --no-hog set the P2 runs; bad sizes are refused naming the option", () => {
        assert.deepEqual(parseArgs([]).p2Sizes, [50, 200, 500]);
        assert.equal(parseArgs([]).hog, true);
        assert.deepEqual(parseArgs(["--p2-sizes", "20,40"]).p2Sizes, [20, 40]);
        assert.equal(parseArgs(["--no-hog"]).hog, false);
        assert.throws(() => parseArgs(["--p2-sizes", "ten"]), /--p2-sizes takes a list of whole numbers/);
    });

    it("--readme writes the report between the README's bench markers, keeping them and everything around them", () => {
        assert.equal(parseArgs([]).readme, undefined);
        assert.match(parseArgs(["--readme"]).readme ?? "", /README\.md$/);
        const readme =
            "# x\n### Figures\n\n<!-- bench:start (note) -->\nold figures\n<!-- bench:end -->\n\n### Reading\n";
        assert.equal(
            withBenchFigures(readme, "new figures\n\n"),
            "# x\n### Figures\n\n<!-- bench:start (note) -->\nnew figures\n<!-- bench:end -->\n\n### Reading\n",
        );
        assert.throws(() => withBenchFigures("# no markers\n", "x"), /no <!-- bench:start/);
    });

    it("--stack-trace-limit (a diagnostic) takes a whole number from 0 to 100; unset by default", () => {
        assert.equal(parseArgs([]).stackTraceLimit, undefined);
        assert.equal(parseArgs(["--stack-trace-limit", "0"]).stackTraceLimit, 0);
        assert.equal(parseArgs(["--stack-trace-limit=12"]).stackTraceLimit, 12);
        assert.throws(() => parseArgs(["--stack-trace-limit", "-1"]), /--stack-trace-limit takes a whole number/);
        assert.throws(() => parseArgs(["--stack-trace-limit"]), /--stack-trace-limit needs a value/);
    });

    it("Terraform's schedules are evaluated poll by poll: the first poll at or after the restore ends the wait", () => {
        const ali = VARIANTS.find((v) => v.name.startsWith("Terraform alicloud"))?.gaps;
        const tc = VARIANTS.find((v) => v.name.startsWith("Terraform tencentcloud"))?.gaps;
        assert.ok(ali && tc);
        // alicloud: polls at 20, 23, 29, 39, 49 s ...
        assert.deepEqual(scheduledLag(30_000, ali), { durationMs: 30_000, lagMs: 9000, statusCalls: 4 });
        assert.deepEqual(scheduledLag(10_000, ali), { durationMs: 10_000, lagMs: 10_000, statusCalls: 1 });
        // tencentcloud: polls at 0, 0.5, 1.5, 3.5, 7.5, 15.5, 25.5 s ...
        assert.deepEqual(scheduledLag(20_000, tc), { durationMs: 20_000, lagMs: 5500, statusCalls: 7 });
    });

    it("the summary states every target as met or MISSED, in text and in the README fragment", () => {
        const rows = [
            { id: "P1", target: "lag <= 2 s", measured: "1.5 s", met: true },
            { id: "P4", target: "<= 1 s | 1 000", measured: "2.1 s", met: false },
        ];
        const text = summaryTable(rows);
        assert.match(text, /P1 +lag <= 2 s +1\.5 s +met/);
        assert.match(text, /P4 .* MISSED/);
        assert.equal(mdTable(["a"], [["x|y"]]), "| a |\n| --- |\n| x\\|y |");
        const env = {
            date: "2026-11-28T02:00:00.000Z",
            commit: "abc1234",
            node: "v20.1.0",
            platform: "linux x64",
            cpus: 2,
            loadAverageAtStart: [1, 2, 3],
        };
        const md = markdownReport({
            command: "npm run bench",
            env,
            totalWallMs: 61_000,
            rows,
            sections: ["P9 title\nsome line\n\n| a |\n| --- |\n| 1 |"],
        });
        assert.match(
            md,
            /^Figures from `npm run bench` on 2026-11-28 02:00 UTC, commit abc1234, Node 20\.1\.0, 2 CPU\(s\)/,
        );
        assert.match(md, /1 of 2 targets met/);
        assert.match(md, /\| P4 \| <= 1 s \\\| 1 000 \| 2\.1 s \| \*\*MISSED\*\* \|/);
        assert.match(md, /#### P9 title\n\nsome line\n\n\| a \|/);
    });

    it("the README gets the run's line and the missed targets unedited, and a link to every other figure", () => {
        const report = [
            "Figures from `npm run bench` ... 1 of 3 targets met.",
            "",
            "|  | target | measured | met? |",
            "| --- | --- | --- | --- |",
            "| P1 | lag | 1 s | met |",
            "| P4 | <= 1 s | 2.1 s | **MISSED** |",
            "| P2 | <= 1.1 x | 1.4 x | **MISSED** |",
            "",
            "#### P9 title",
            "",
            "some line",
        ].join("\n");
        const block = readmeBlock(report);
        assert.ok(block.startsWith("Figures from `npm run bench` ... 1 of 3 targets met.\n"));
        assert.ok(block.includes("| P4 | <= 1 s | 2.1 s | **MISSED** |\n| P2 | <= 1.1 x | 1.4 x | **MISSED** |"));
        assert.ok(
            block.includes("|  | target | measured | met? |\n| --- | --- | --- | --- |\n| P4"),
            "the header stays",
        );
        assert.ok(!block.includes("| P1 |"), "met rows are in bench/summary.md only");
        assert.ok(!block.includes("P9 title"), "the per-benchmark reports stay in bench/summary.md");
        assert.match(block, /The other 1 targets were met\. .*\[bench\/summary\.md\]\(bench\/summary\.md\)/);
    });

    it("the in-process transport carries signed requests to the emulator, which verifies them", async () => {
        const clock = new VirtualClock();
        const svc = new StarRocksService({ clock, credentials: { ak: "sk" } });
        svc.seed("backup", { BackupTaskId: "bk-1", RegionId: "cn-hangzhou" });
        const transport = new InProcessTransport(svc);
        const good = new StarRocksClient({
            endpoint: "http://127.0.0.1:9",
            credentials: () => ({ accessKeyId: "ak", accessKeySecret: "sk" }),
            caller: new ApiCaller({ transport, clock }),
        });
        const list = await good.describeBackups({ BackupTaskId: "bk-1", RegionId: "cn-hangzhou" });
        assert.equal(list[0].BackupTaskId, "bk-1");
        const bad = new StarRocksClient({
            endpoint: "http://127.0.0.1:9",
            credentials: () => ({ accessKeyId: "ak", accessKeySecret: "wrong" }),
            caller: new ApiCaller({ transport, clock }),
        });
        await assert.rejects(bad.describeBackups({ RegionId: "cn-hangzhou" }), /SignatureDoesNotMatch/);
        assert.deepEqual(transport.actions, ["DescribeBackups", "DescribeBackups"]);
    });

    it("separates a serialized function's own code from the serializer's wrapping", () => {
        const fn = (body: string) =>
            `function __f3(__0) {\n  return (function() {\n    with({ load: __f2, this: undefined, arguments: undefined }) {\n\n${body}\n\n    }\n  }).apply(undefined, undefined).apply(this, arguments);\n}\n`;
        const body = "return (id, props) => load().read(id, props);";
        assert.equal(payloadBytes(fn(body)), "load: __f2".length + body.length);
        assert.equal(payloadBytes(fn(body) + fn(body)), 2 * ("load: __f2".length + body.length));
    });

    it("footprint counts nested and scoped packages", () => {
        const dir = mkdtempSync(path.join(os.tmpdir(), "bench-fp-"));
        try {
            const pkg = (p: string, name: string) => {
                mkdirSync(p, { recursive: true });
                writeFileSync(path.join(p, "package.json"), JSON.stringify({ name, version: "1.0.0" }));
            };
            pkg(path.join(dir, "node_modules", "a"), "a");
            pkg(path.join(dir, "node_modules", "@s", "b"), "@s/b");
            pkg(path.join(dir, "node_modules", "a", "node_modules", "c"), "c");
            mkdirSync(path.join(dir, "node_modules", ".bin"));
            const fp = footprint(dir);
            assert.deepEqual(fp.packages.sort(), ["@s/b@1.0.0", "a@1.0.0", "c@1.0.0"]);
            assert.ok(fp.bytes > 0);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("StarRocks emulator rate limit", () => {
    const req = {
        method: "POST",
        path: "/webapi/backup/manage/describe",
        rawPath: "/webapi/backup/manage/describe",
        rawQuery: "",
        query: {},
        headers: {},
        body: "",
    };

    it("answers Throttling.User with x-acs-retry-after above the per-action limit, and recovers after a second", async () => {
        const clock = new VirtualClock();
        const svc = new StarRocksService({ clock, rateLimitPerSecond: 2 });
        const codes = async () => {
            const r = await svc.handle(req);
            return `${r.status}:${(r.body as { Code?: string }).Code}:${r.headers?.["x-acs-retry-after"] ?? ""}`;
        };
        // Unsigned requests: the limiter answers before authentication, as the gateway does.
        assert.equal(await codes(), "400:MissingAuthorization:");
        assert.equal(await codes(), "400:MissingAuthorization:");
        assert.equal(await codes(), "400:Throttling.User:200");
        assert.equal(svc.throttledCount, 1);
        // Another action has its own window.
        const other = await svc.handle({
            ...req,
            path: "/webapi/starrocks/describeInstances",
            rawPath: "/webapi/starrocks/describeInstances",
        });
        assert.equal((other.body as { Code?: string }).Code, "MissingAuthorization");
        clock.advance(1000);
        assert.equal(await codes(), "400:MissingAuthorization:");
    });

    it("has no limit unless one is set", async () => {
        const svc = new StarRocksService({ clock: new VirtualClock() });
        for (let i = 0; i < 50; i++)
            assert.notEqual(((await svc.handle(req)).body as { Code?: string }).Code, "Throttling.User");
        assert.equal(svc.throttledCount, 0);
    });
});
