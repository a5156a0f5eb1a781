import { strict as assert } from "assert";
import { parseArgs } from "../../bench/index";
import { payloadBytes } from "../../bench/p3-state";
import { InProcessTransport } from "../../bench/support/inProcess";
import { footprint } from "../../bench/support/npm";
import { logSpaced, median, quantile } from "../../bench/support/stats";
import { StarRocksService } from "../../emulator/alicloud/starrocks";
import { StarRocksClient } from "../../provider/alicloud/starrocksClient";
import { ApiCaller } from "../../provider/core/http";
import { VirtualClock } from "../support/clock";
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

    it("the in-process transport carries signed requests to the emulator, which verifies them", async () => {
        const clock = new VirtualClock();
        const svc = new StarRocksService({ clock, credentials: { ak: "sk" } });
        svc.seed("backup", { BackupTaskId: "bk-1", RegionId: "cn-hangzhou" });
        const transport = new InProcessTransport(svc);
        const good = new StarRocksClient({ endpoint: "http://127.0.0.1:9", credentials: () => ({ accessKeyId: "ak", accessKeySecret: "sk" }), caller: new ApiCaller({ transport, clock }) });
        const list = await good.describeBackups({ BackupTaskId: "bk-1", RegionId: "cn-hangzhou" });
        assert.equal(list[0].BackupTaskId, "bk-1");
        const bad = new StarRocksClient({ endpoint: "http://127.0.0.1:9", credentials: () => ({ accessKeyId: "ak", accessKeySecret: "wrong" }), caller: new ApiCaller({ transport, clock }) });
        await assert.rejects(bad.describeBackups({ RegionId: "cn-hangzhou" }), /SignatureDoesNotMatch/);
        assert.deepEqual(transport.actions, ["DescribeBackups", "DescribeBackups"]);
    });

    it("separates a serialized function's own code from the serializer's wrapping", () => {
        const fn = (body: string) => `function __f3(__0) {\n  return (function() {\n    with({ load: __f2, this: undefined, arguments: undefined }) {\n\n${body}\n\n    }\n  }).apply(undefined, undefined).apply(this, arguments);\n}\n`;
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
    const req = { method: "POST", path: "/webapi/backup/manage/describe", rawPath: "/webapi/backup/manage/describe", rawQuery: "", query: {}, headers: {}, body: "" };

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
        const other = await svc.handle({ ...req, path: "/webapi/starrocks/describeInstances", rawPath: "/webapi/starrocks/describeInstances" });
        assert.equal((other.body as { Code?: string }).Code, "MissingAuthorization");
        clock.advance(1000);
        assert.equal(await codes(), "400:MissingAuthorization:");
    });

    it("has no limit unless one is set", async () => {
        const svc = new StarRocksService({ clock: new VirtualClock() });
        for (let i = 0; i < 50; i++) assert.notEqual(((await svc.handle(req)).body as { Code?: string }).Code, "Throttling.User");
        assert.equal(svc.throttledCount, 0);
    });
});
