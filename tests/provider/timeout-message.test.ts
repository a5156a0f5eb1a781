import { strict as assert } from "assert";
import { StarRocksService } from "../../emulator/alicloud/starrocks";
import { EmulatorServer } from "../../emulator/core/server";
import { CloudService } from "../../emulator/core/types";
import { KOOPHONE_EMULATOR_CREDENTIALS, KooPhoneService } from "../../emulator/huaweicloud/koophone";
import { JdcloudRdsService } from "../../emulator/jdcloud/rds";
import { TencentRedisService } from "../../emulator/tencentcloud/redis";
import { ZStackService } from "../../emulator/zstack/zstack";
import { StarRocksProvider } from "../../provider/alicloud/starrocksProvider";
import { formatElapsed, formatExact } from "../../provider/core/duration";
import { AxiosTransport, HttpRequest, HttpResponse, Transport } from "../../provider/core/http";
import { WaitTimeout, timeLimit, waitUntil } from "../../provider/core/poller";
import { setProgressSink } from "../../provider/core/progress";
import { KooPhoneProvider } from "../../provider/huaweicloud/koophoneProvider";
import { RdsRestoreProvider } from "../../provider/jdcloud/rdsProvider";
import { RedisRestoreProvider } from "../../provider/tencentcloud/redisProvider";
import { clearSessions } from "../../provider/zstack/session";
import { VmFromBackupProvider } from "../../provider/zstack/vmProvider";
import { VirtualClock } from "../../harness/clock";
import { providerEnv } from "../support/env";

/** Every API call takes this long on the operation's clock, as calls over a real network do. */
const CALL_MS = 700;
const FAST = { minIntervalMs: 250, maxIntervalMs: 1000, fraction: 0.05 };
const TOKEN = "prt-71e0e71e0e71e0e71e0e";
const cfg = (c: Record<string, string>) => ({ config: { get: (k: string) => c[k] } });

/** Forwards to the emulator, then moves the virtual clock on by {@link CALL_MS}: the time the call took. */
class SlowCalls implements Transport {
    private readonly inner = new AxiosTransport();
    constructor(private readonly clock: VirtualClock) {}
    async send(req: HttpRequest, timeoutMs: number): Promise<HttpResponse> {
        const r = await this.inner.send(req, timeoutMs);
        this.clock.advance(CALL_MS);
        return r;
    }
}

interface Provider {
    configure(req: { config: { get(k: string): unknown } }): Promise<void>;
    check(olds: object, news: object): Promise<{ inputs?: object }>;
    /** The inputs its own check returned (each provider is typed over its own). */
    create(inputs: object): Promise<unknown>;
}

/** One resource whose restore takes a minute, with `timeouts: { create: "2s" }`. */
interface Case {
    name: string;
    service(clock: VirtualClock): CloudService;
    provider(clock: VirtualClock): Provider;
    config(url: string): Record<string, string>;
    inputs: Record<string, unknown>;
}

const deps = (clock: VirtualClock) => ({
    clock,
    // The Tencent journal goes to this run's directory (tests/support/setup.ts), never to the home directory.
    env: providerEnv(),
    schedule: FAST,
    transport: new SlowCalls(clock),
    random: () => 0.5,
});
const creds = (cloud: string, url: string, c: Record<string, string>) =>
    Object.fromEntries([["endpoint", url], ...Object.entries(c)].map(([k, v]) => [`${cloud}:${k}`, v]));

const CASES: Case[] = [
    {
        name: "alicloud.starrocks.RestoredInstance",
        service: (clock) => {
            const s = new StarRocksService({ clock, credentials: { ak: "sk" }, timings: { restoreMs: 60_000 } });
            s.seed("backup", { BackupTaskId: "bk-timeout01", RegionId: "cn-hangzhou" });
            return s;
        },
        provider: (clock) => new StarRocksProvider(deps(clock)),
        config: (url) => creds("alicloud", url, { region: "cn-hangzhou", accessKey: "ak", secretKey: "sk" }),
        inputs: { backupTaskId: "bk-timeout01", instanceName: "timeout-dr" },
    },
    {
        name: "tencentcloud.redis.InstanceRestore",
        service: (clock) => {
            const timings = { prepareMs: 20_000, runMs: 40_000 };
            const s = new TencentRedisService({ clock, credentials: { AKIDtimeout00001: "sk" }, timings });
            s.seed("instance", { InstanceId: "crs-timeout1" });
            s.seed("backup", { InstanceId: "crs-timeout1", BackupId: "timeout-backup-1" });
            return s;
        },
        provider: (clock) => new RedisRestoreProvider(deps(clock)),
        config: (url) => creds("tencentcloud", url, { secretId: "AKIDtimeout00001", secretKey: "sk" }),
        inputs: { instanceId: "crs-timeout1", backupId: "timeout-backup-1" },
    },
    {
        name: "jdcloud.rds.RestoredInstance",
        service: (clock) => {
            const s = new JdcloudRdsService({ clock, credentials: { ak: "sk" }, timings: { buildMs: 60_000 } });
            s.seed("backup", { backupId: "bk-timeout-01", engine: "MySQL" });
            return s;
        },
        provider: (clock) => new RdsRestoreProvider(deps(clock)),
        config: (url) => creds("jdcloud", url, { region: "cn-north-1", accessKey: "ak", secretKey: "sk" }),
        inputs: {
            regionId: "cn-north-1",
            backupId: "bk-timeout-01",
            engine: "MySQL",
            instanceSpec: {
                instanceClass: "db.mysql.s1.micro",
                instanceStorageGB: 20,
                azId: ["cn-north-1a", "cn-north-1a"],
                vpcId: "vpc-timeout1",
                subnetId: "subnet-timeout1",
                chargeSpec: {},
            },
        },
    },
    {
        name: "zstack.VmFromBackup",
        service: (clock) => {
            clearSessions();
            const s = new ZStackService({ clock, timings: { createMs: 60_000 } });
            type Demo = { backupGroupUuid: string; instanceOfferingUuid: string; l3NetworkUuid: string };
            const demo = s.seed("demo", {}) as Demo;
            Object.assign(CASES[3].inputs, {
                backupGroupUuid: demo.backupGroupUuid,
                instanceOfferingUuid: demo.instanceOfferingUuid,
                l3NetworkUuids: [demo.l3NetworkUuid],
            });
            return s;
        },
        provider: (clock) => new VmFromBackupProvider({ ...deps(clock), renewMarginMs: 1000 }),
        config: (url) => creds("zstack", url, { accountName: "admin", accountPassword: "emulator-password" }),
        inputs: { name: "timeout-vm" },
    },
    {
        name: "huaweicloud.koophone.InstanceBackup",
        service: (clock) => {
            const s = new KooPhoneService({ clock, timings: { backupMs: 60_000 } });
            s.seed("instance", { id: "phto0001" });
            return s;
        },
        provider: (clock) => new KooPhoneProvider(deps(clock)),
        config: (url) =>
            creds("huaweicloud", url, {
                region: "cn-south-1",
                accessKey: KOOPHONE_EMULATOR_CREDENTIALS.accessKey,
                secretKey: KOOPHONE_EMULATOR_CREDENTIALS.secretKey,
            }),
        inputs: { instanceIds: ["phto0001"], userId: "1008600000104285462" },
    },
];

describe("time-out messages report the configured limit and the time really taken", function () {
    this.timeout(30_000);
    afterEach(() => setProgressSink(undefined));

    it("durations: tenths of a second under a minute, configured limits exactly", () => {
        assert.equal(formatElapsed(1999), "1.9s");
        assert.equal(formatElapsed(2000), "2.0s");
        assert.equal(formatElapsed(59_999), "59.9s");
        assert.equal(formatElapsed(61_000), "1m01s");
        assert.equal(formatExact(2000), "2s");
        assert.equal(formatExact(1500), "1.5s");
        assert.equal(formatExact(90_000), "1m30s");
        assert.equal(formatExact(2 * 3_600_000), "2h");
        assert.equal(formatExact(5_400_000), "1h30m");
        assert.equal(formatExact(250), "250ms");
    });

    it("a wait begun after part of the limit was spent names the limit and the operation's whole time", async () => {
        const clock = new VirtualClock();
        const limit = timeLimit("timeouts.create", 2000, clock.now());
        clock.advance(1300); // the calls before the wait
        const e = await waitUntil({
            what: "instance c-1 to be running",
            clock,
            deadline: limit.deadline,
            limit,
            schedule: FAST,
            report: () => undefined,
            probe: async () => ({ done: false, status: "restarting" }),
        }).catch((x: unknown) => x);
        assert.ok(e instanceof WaitTimeout);
        const expected = "timed out after 2.0s waiting for instance c-1 to be running (last status: restarting): ";
        assert.equal(e.message, `${expected}timeouts.create is 2s`);
        assert.equal(e.waitedMs, 700);
    });

    for (const c of CASES) {
        it(`${c.name}: timeouts.create "2s" reports 2 s or more and names the limit, never "after 1s"`, async () => {
            const clock = new VirtualClock();
            const server = new EmulatorServer(c.service(clock));
            const url = await server.start();
            setProgressSink(() => undefined);
            try {
                const p = c.provider(clock);
                await p.configure(cfg(c.config(url)));
                const checked = await p.check({}, { restoreToken: TOKEN, ...c.inputs, timeouts: { create: "2s" } });
                const start = clock.now();
                const e = await p.create(checked.inputs!).then(
                    () => assert.fail("the create should time out"),
                    (x: unknown) => x as Error,
                );
                const m = /timed out after (\d+\.\d)s waiting for .*: timeouts\.create is 2s\b/.exec(e.message);
                assert.ok(m, e.message);
                const reported = Number(m[1]) * 1000;
                assert.ok(reported >= 2000, `reported ${m[1]}s for a 2 s limit`);
                const took = clock.now() - start;
                assert.ok(reported <= took, `reported ${m[1]}s, more than the ${took} ms taken`);
                assert.doesNotMatch(e.message, /after [01](\.\d)?s\b/);
            } finally {
                await server.stop();
            }
        });
    }
});
