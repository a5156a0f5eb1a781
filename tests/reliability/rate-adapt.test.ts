/**
 * A rate limit below our assumption. The provider assumes Tencent's documented 20 requests per second per action; an
 * account limited to 10 per second answered 1 of 220 concurrent restores with a final RequestLimitExceeded. The
 * provider now halves its rate on each throttling answer and creeps back (AIMD, provider/core/rateLimit.ts), and the
 * limit is configurable. 220 concurrent restores against an emulator limited to 10 requests per second per action,
 * in-process, on a clock that runs 20 times faster than real time (emulator and provider share it, so every rate and
 * window is exact in emulated time): every restore succeeds, and no call meets more than 3 throttling answers in a row
 * (a call has 6 attempts; before the change, runs of 4 to 6 were common and one restore in about 220 failed).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EmulatorServer } from "../../emulator/core/server";
import { TencentRedisService } from "../../emulator/tencentcloud/redis";
import { Clock } from "../../provider/core/clock";
import { AxiosTransport, Transport } from "../../provider/core/http";
import { setProgressSink } from "../../provider/core/progress";
import { RedisRestoreProvider } from "../../provider/tencentcloud/redisProvider";

/** Real time, sped up: `now()` advances `factor` ms per real ms; `sleep(ms)` takes ms / factor real ms. */
class FastClock implements Clock {
    private readonly t0 = Date.now();
    constructor(private readonly factor: number) {}
    now(): number {
        return this.t0 + (Date.now() - this.t0) * this.factor;
    }
    sleep(ms: number): Promise<void> {
        return new Promise((r) => setTimeout(r, Math.max(0, ms / this.factor)));
    }
}

const SECRET_ID = "AKIDrateadapt000001";
const SECRET_KEY = "rate-adapt-secret-key";
const RESTORES = 220;
const LIMIT = 10;
/** Most throttling answers in a row any one call may meet: half its attempts, a margin the old fixed rate lacked. */
const MAX_RUN = 3;

/** The provider's transport, counting for each call (action and body) the throttling answers it met in a row. */
function countingTransport(): Transport & { worstRun: number } {
    const inner = new AxiosTransport();
    const runs = new Map<string, number>();
    const t = {
        worstRun: 0,
        send: async (req: Parameters<Transport["send"]>[0], timeoutMs: number) => {
            const res = await inner.send(req, timeoutMs);
            const key = `${req.headers["X-TC-Action"] ?? req.headers["x-tc-action"]}|${req.body}`;
            if (res.body.includes("RequestLimitExceeded")) {
                const n = (runs.get(key) ?? 0) + 1;
                runs.set(key, n);
                t.worstRun = Math.max(t.worstRun, n);
            } else runs.delete(key);
            return res;
        },
    };
    return t;
}

describe("reliability: throttling below the assumed limit (Tencent, 220 restores at 10 requests/s)", function () {
    this.timeout(60_000);
    let server: EmulatorServer;
    let stateDir: string;
    afterEach(async () => {
        setProgressSink(undefined);
        await server?.stop();
        if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
    });

    it("every restore succeeds: the rate adapts to RequestLimitExceeded answers", async () => {
        const clock = new FastClock(20);
        const svc = new TencentRedisService({
            clock,
            credentials: { [SECRET_ID]: SECRET_KEY },
            timings: { prepareMs: 500, runMs: 1500 },
            rateLimitPerSecond: LIMIT,
        });
        const id = (i: number) => `crs-${String(i).padStart(8, "0")}`;
        for (let i = 0; i < RESTORES; i++) {
            svc.seed("instance", { InstanceId: id(i) });
            svc.seed("backup", { InstanceId: id(i), BackupId: `rate-${i}` });
        }
        server = new EmulatorServer(svc);
        const url = await server.start();
        stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "rate-adapt-"));
        // The provider is not told the limit: it assumes the documented 20/s and must learn from the answers.
        const transport = countingTransport();
        const p = new RedisRestoreProvider(
            {
                clock,
                transport,
                env: { PULUMI_RESTORE_STATE_DIR: stateDir },
                schedule: { minIntervalMs: 2000, maxIntervalMs: 10_000, fraction: 0.05 },
                settleMs: 20_000,
            },
            { "tencentcloud:endpoint": url, "tencentcloud:secretId": SECRET_ID, "tencentcloud:secretKey": SECRET_KEY },
        );
        setProgressSink(() => undefined);
        const token = (i: number) => `prt-${(0xabc00000 + i).toString(16).padStart(20, "0")}`;
        const results = await Promise.allSettled(
            Array.from({ length: RESTORES }, (_, i) =>
                p.create({ restoreToken: token(i), instanceId: id(i), backupId: `rate-${i}` }),
            ),
        );
        const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
        const figures = `${server.log.length} calls, ${svc.throttledCount} throttled answers, at most ${transport.worstRun} in a row`;
        console.log(`      ${RESTORES} restores, ${figures}, ${failed.length} failed`);
        assert.ok(svc.throttledCount > 0, "the emulator's limit was reached: the provider had to adapt");
        assert.deepEqual(
            failed.map((f) => String(f.reason?.message ?? f.reason).slice(0, 200)),
            [],
            `${failed.length} of ${RESTORES} restores failed`,
        );
        assert.equal(svc.restoreTasks().filter((t) => t.Status === "succeed").length, RESTORES);
        assert.ok(
            transport.worstRun <= MAX_RUN,
            `a call met ${transport.worstRun} throttling answers in a row (at most ${MAX_RUN} allowed)`,
        );
    });
});
