/**
 * The shared status poller (provider/core/poller.ts SharedPoller): the waits of many resources in one host share one
 * batched look-up per (cloud, endpoint, credential, region), each wait keeping its own schedule, deadline and errors.
 * Before it, every waiting StarRocks restore made its own DescribeInstances call per poll (P2's busiest action).
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TencentRedisService } from "../../emulator/tencentcloud/redis";
import { ZStackService } from "../../emulator/zstack/zstack";
import { JdcloudRdsService } from "../../emulator/jdcloud/rds";
import { KOOPHONE_EMULATOR_CREDENTIALS as KOOPHONE_CRED, KooPhoneService } from "../../emulator/huaweicloud/koophone";
import { KooPhoneProvider } from "../../provider/huaweicloud/koophoneProvider";
import { checkRdsRestore } from "../../provider/jdcloud/rdsInputs";
import { RdsRestoreProvider } from "../../provider/jdcloud/rdsProvider";
import { clearSessions as clearZStackSessions } from "../../provider/zstack/session";
import { VmFromBackupProvider } from "../../provider/zstack/vmProvider";
import { RedisRestoreProvider } from "../../provider/tencentcloud/redisProvider";
import { StarRocksService } from "../../emulator/alicloud/starrocks";
import {
    BatchLookup,
    LookupAnswer,
    SharedPoller,
    defaultSchedule,
    nextWake,
    waitUntil,
} from "../../provider/core/poller";
import { setProgressSink } from "../../provider/core/progress";
import { CloudError } from "../../provider/core/errors";
import { checkRestoredInstance } from "../../provider/alicloud/starrocksInputs";
import { StarRocksProvider } from "../../provider/alicloud/starrocksProvider";
import { restoreToken } from "../../provider/core/resource";
import { InProcessTransport } from "../../bench/support/inProcess";
import { SchedulerClock } from "../../harness/clock";

/** A look-up over a table the test controls, recording the keys of each call. */
function tableLookup(table: Map<string, string>, calls: string[][], gate?: () => Promise<void>): BatchLookup<string> {
    return async (keys) => {
        calls.push([...keys].sort());
        if (gate) await gate();
        const out = new Map<string, LookupAnswer<string>>();
        for (const k of keys) if (table.has(k)) out.set(k, table.get(k));
        return out;
    };
}

describe("batched status poller", () => {
    it("waits asking in the same turn share one look-up; one asking while a look-up is under way gets the next one", async () => {
        const p = new SharedPoller<string>();
        const table = new Map([
            ["a", "creating"],
            ["b", "creating"],
            ["c", "creating"],
        ]);
        const calls: string[][] = [];
        let open!: () => void;
        const gate = () => new Promise<void>((r) => (open = r));
        const lookup = tableLookup(table, calls, gate);
        const first = Promise.all([p.get("a", lookup), p.get("b", lookup)]);
        await new Promise((r) => setImmediate(r));
        assert.deepEqual(calls, [["a", "b"]]);
        // "c" changes while the first look-up is under way: its answer must come from a look-up that began after it asked.
        table.set("c", "running");
        const late = p.get("c", lookup);
        const lateToo = p.get("a", lookup);
        open();
        assert.deepEqual(await first, ["creating", "creating"]);
        await new Promise((r) => setImmediate(r));
        assert.deepEqual(calls, [
            ["a", "b"],
            ["a", "c"],
        ]);
        open();
        assert.equal(await late, "running");
        assert.equal(await lateToo, "creating");
        assert.deepEqual(p.stats, { lookups: 2, keys: 4, largest: 2 });
    });

    it("an error for one key reaches only its waiters, a failed look-up only its batch; a key not found answers undefined", async () => {
        const p = new SharedPoller<string>();
        const denied = new CloudError({
            cloud: "t",
            action: "Describe",
            code: "Forbidden",
            message: "no",
            retryable: false,
        });
        const lookup: BatchLookup<string> = async (keys) =>
            new Map<string, LookupAnswer<string>>(
                keys.filter((k) => k !== "gone").map((k) => [k, k === "x" ? denied : "ok"]),
            );
        const [x, y, gone] = await Promise.allSettled([p.get("x", lookup), p.get("y", lookup), p.get("gone", lookup)]);
        assert.equal(x.status, "rejected");
        assert.equal((x as PromiseRejectedResult).reason, denied);
        assert.deepEqual(
            [y, gone].map((r) => (r as PromiseFulfilledResult<string>).value),
            ["ok", undefined],
        );
        let fail = true;
        const flaky: BatchLookup<string> = async (keys) => {
            if (fail) {
                fail = false;
                throw new CloudError({
                    cloud: "t",
                    action: "Describe",
                    code: "ServiceUnavailable",
                    message: "busy",
                    retryable: true,
                });
            }
            return new Map(keys.map((k) => [k, "ok"]));
        };
        const batch1 = Promise.allSettled([p.get("a", flaky), p.get("b", flaky)]);
        const settled = await batch1;
        assert.deepEqual(
            settled.map((s) => s.status),
            ["rejected", "rejected"],
        );
        assert.equal(await p.get("c", flaky), "ok", "the next look-up is not affected");
    });

    it("wake-ups move back to a 250 ms grid, never later than the interval and never by more than a quarter of it", () => {
        assert.equal(nextWake(10_130, 10_140, 2000, defaultSchedule), 12_000);
        assert.equal(nextWake(10_000, 10_010, 2000, defaultSchedule), 12_000);
        assert.equal(nextWake(10_000, 15_000, 2000, defaultSchedule), 15_000, "never before the answer came");
        assert.equal(nextWake(10_130, 10_140, 2000, { ...defaultSchedule, alignMs: 0 }), 12_130);
        // A 100 ms floor (emulators) aligns on 25 ms.
        assert.equal(nextWake(1010, 1011, 100, { ...defaultSchedule, minIntervalMs: 100 }), 1100);
    });

    it("100 waits started at scattered moments, each on its own schedule: one look-up serves many, lag within max(2 s, 3 %)", async () => {
        const clock = new SchedulerClock(0);
        const p = new SharedPoller<string>();
        const readyAt = new Map<string, number>();
        let lookups = 0;
        const lookup: BatchLookup<string> = async (keys) => {
            lookups++;
            return new Map(keys.map((k) => [k, clock.now() >= (readyAt.get(k) ?? Infinity) ? "running" : "creating"]));
        };
        const lags: { lag: number; dur: number }[] = [];
        let probes = 0;
        await Promise.all(
            Array.from({ length: 100 }, async (_, i) => {
                await clock.sleep(37 * i); // started over 3.7 s, as creates are when their restore calls queue
                const key = `k${i}`;
                const started = clock.now();
                const dur = 30_000 + ((i * 7919) % 600_000);
                readyAt.set(key, started + dur);
                await waitUntil({
                    what: key,
                    clock,
                    deadline: started + 3_600_000,
                    report: () => undefined,
                    schedule: defaultSchedule,
                    probe: async () => {
                        probes++;
                        const s = await p.get(key, lookup);
                        return { done: s === "running", status: s ?? "gone" };
                    },
                });
                lags.push({ lag: clock.now() - (started + dur), dur });
            }),
        );
        const over = lags.filter((l) => l.lag > Math.max(2000, 0.03 * l.dur));
        assert.deepEqual(over, [], "every lag within max(2 s, 3 % of the duration)");
        // One call per waiting resource per poll before: as many look-ups as probes.
        assert.ok(lookups * 4 <= probes, `${lookups} look-ups for ${probes} probes`);
    });
});

describe("StarRocks waits share one poller (60 restores in one process)", function () {
    this.timeout(60_000);
    afterEach(() => setProgressSink(undefined));

    it("DescribeInstances calls: a shared listing instead of one call per restore per poll; a vanished or failed restore fails alone", async () => {
        const clock = new SchedulerClock();
        const AK = "batched-poller-ak";
        const svc = new StarRocksService({
            clock,
            credentials: { [AK]: "batched-poller-secret" },
            timings: { restoreMs: 60_000, releaseMs: 1000 },
        });
        const N = 60;
        for (let i = 0; i < N; i++)
            svc.seed("backup", { BackupTaskId: `bk-batch${String(i).padStart(5, "0")}`, RegionId: "cn-hangzhou" });
        const inner = new InProcessTransport(svc);
        // 5 to 60 ms on the way, varying: times do not fall on the virtual clock's round numbers.
        let n = 0;
        const transport = {
            actions: inner.actions,
            send: async (req: Parameters<InProcessTransport["send"]>[0], t: number) => {
                await clock.sleep(5 + ((n++ * 37) % 56));
                return inner.send(req, t);
            },
        };
        setProgressSink(() => undefined);
        const p = new StarRocksProvider(
            { clock, transport, env: {}, schedule: defaultSchedule, random: () => 0.5, settleMs: 20_000 },
            {
                "alicloud:endpoint": "http://127.0.0.1:59001",
                "alicloud:region": "cn-hangzhou",
                "alicloud:accessKey": AK,
                "alicloud:secretKey": "batched-poller-secret",
            },
        );
        svc.failNext("RestoreInstance"); // the first restore to arrive ends in creating_failed
        const doneAt: number[] = [];
        const results = await Promise.allSettled(
            Array.from({ length: N }, async (_, i) => {
                const { inputs } = checkRestoredInstance({
                    backupTaskId: `bk-batch${String(i).padStart(5, "0")}`,
                    instanceName: `b-${i}`,
                    restoreToken: restoreToken("t", "s", `b-${i}`),
                });
                if (i === 1) {
                    // Released out of band 30 s into its wait.
                    void clock.sleep(30_000).then(() => {
                        const mine = [...svc.instances.values()].find((x) => x.InstanceName === "b-1");
                        if (mine) svc.releaseOutOfBand(mine.InstanceId);
                    });
                }
                const r = await p.create(inputs);
                doneAt[i] = clock.now() - (svc.instances.get(r.id)?.readyAt ?? NaN);
                return r;
            }),
        );
        const failed = results.map((r, i) => (r.status === "rejected" ? i : -1)).filter((i) => i >= 0);
        assert.equal(
            failed.length,
            2,
            `only the failed restore and the vanished one fail (failed: ${failed.join(", ")})`,
        );
        assert.ok(failed.includes(1));
        assert.match(String((results[1] as PromiseRejectedResult).reason), /no longer exists|released out of band/);
        const other = failed.find((i) => i !== 1) as number;
        assert.match(String((results[other] as PromiseRejectedResult).reason), /failed \(status creating_failed\)/);
        const describes = transport.actions.filter((a) => a === "DescribeInstances").length;
        // One call per restore per poll (the old way) is N * about 30 polls over a 60 s restore, plus N token lookups.
        console.log(
            `      ${N} restores: ${describes} DescribeInstances calls, worst lag ${Math.max(...doneAt.filter(Number.isFinite))} ms`,
        );
        assert.ok(describes < 400, `${describes} DescribeInstances calls for ${N} restores`);
        // The lag is at most one interval (2 s here) plus one look-up on the way (a listing, then a lone call: 2 x 60 ms).
        assert.ok(Math.max(...doneAt.filter(Number.isFinite)) <= 2120, "lag within 2 s and one look-up");
    });
});

describe("Tencent waits share one poller (40 restores in one process)", function () {
    this.timeout(60_000);
    afterEach(() => setProgressSink(undefined));

    it("DescribeTaskInfo about once per task (its last look): one DescribeTaskList tells which are still running; a failed task fails alone", async () => {
        const clock = new SchedulerClock();
        const SID = "AKIDbatchedpoller0001";
        const svc = new TencentRedisService({
            clock,
            credentials: { [SID]: "batched-poller-key" },
            timings: { prepareMs: 5000, runMs: 55_000 },
        });
        const N = 40;
        const id = (i: number) => `crs-${String(i).padStart(8, "0")}`;
        for (let i = 0; i < N; i++) {
            svc.seed("instance", { InstanceId: id(i) });
            svc.seed("backup", { InstanceId: id(i), BackupId: `bp-${i}` });
        }
        const inner = new InProcessTransport(svc);
        let n = 0;
        const transport = {
            send: async (req: Parameters<InProcessTransport["send"]>[0], t: number) => {
                await clock.sleep(5 + ((n++ * 37) % 56));
                return inner.send(req, t);
            },
        };
        setProgressSink(() => undefined);
        const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "batched-poller-"));
        try {
            const p = new RedisRestoreProvider(
                {
                    clock,
                    transport,
                    env: { PULUMI_RESTORE_STATE_DIR: stateDir },
                    schedule: defaultSchedule,
                    random: () => 0.5,
                    settleMs: 20_000,
                },
                {
                    "tencentcloud:endpoint": "http://127.0.0.1:59002",
                    "tencentcloud:region": "ap-guangzhou",
                    "tencentcloud:secretId": SID,
                    "tencentcloud:secretKey": "batched-poller-key",
                },
            );
            svc.failNext("RestoreInstance"); // the first restore to arrive ends "failed"
            const results = await Promise.allSettled(
                Array.from({ length: N }, (_, i) =>
                    p.create({
                        restoreToken: `prt-${(0xbee00000 + i).toString(16).padStart(20, "0")}`,
                        instanceId: id(i),
                        backupId: `bp-${i}`,
                    }),
                ),
            );
            const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
            assert.equal(failed.length, 1, failed.map((f) => String(f.reason)).join("\n"));
            assert.match(String(failed[0].reason), /ended in "failed"/);
            const infos = inner.actions.filter((a) => a === "DescribeTaskInfo").length;
            const lists = inner.actions.filter((a) => a === "DescribeTaskList").length;
            console.log(
                `      ${N} restores of 60 s: ${infos} DescribeTaskInfo, ${lists} DescribeTaskList (${N} of them the token lookups)`,
            );
            // One DescribeTaskInfo per restore per poll (the old way) is about 30 per restore over 60 s; asking each task
            // by itself first (to learn its start time) made it over 2.5 per restore. A create knows when it called
            // RestoreInstance, so the listing answers from the first look; the final status still comes from
            // DescribeTaskInfo, once per task.
            assert.ok(infos <= 1.25 * N, `${infos} DescribeTaskInfo calls for ${N} restores`);
        } finally {
            fs.rmSync(stateDir, { recursive: true, force: true });
        }
    });
});

describe("ZStack waits share one poller (20 VMs in one process)", function () {
    this.timeout(60_000);
    afterEach(() => setProgressSink(undefined));

    it("the emulator answers q=uuid?=a,b with exactly those VMs; waits share QueryVmInstance calls; a VM destroyed out of band fails alone", async () => {
        const clock = new SchedulerClock();
        const svc = new ZStackService({
            clock,
            timings: { createMs: 20_000, startMs: 5000, destroyMs: 3000, expungeMs: 3000 },
            advertisedBase: "http://127.0.0.1:59003/zstack",
        });
        const demo = svc.seed("demo", {}) as {
            backupGroupUuid: string;
            instanceOfferingUuid: string;
            l3NetworkUuid: string;
        };
        const inner = new InProcessTransport(svc);
        const bodies: { url: string; body: string }[] = [];
        let n = 0;
        const transport = {
            send: async (req: Parameters<InProcessTransport["send"]>[0], t: number) => {
                await clock.sleep(5 + ((n++ * 37) % 56));
                const res = await inner.send(req, t);
                bodies.push({ url: req.url, body: res.body });
                return res;
            },
        };
        setProgressSink(() => undefined);
        clearZStackSessions();
        const p = new VmFromBackupProvider(
            { clock, transport, env: {}, schedule: defaultSchedule, random: () => 0.5, renewMarginMs: 1000 },
            {
                "zstack:endpoint": "http://127.0.0.1:59003",
                "zstack:accessKeyId": "emulator-access-key-id",
                "zstack:accessKeySecret": "emulator-access-key-secret",
            },
        );
        const N = 20;
        const results = await Promise.allSettled(
            Array.from({ length: N }, async (_, i) => {
                const name = `batch-${i}`;
                const { inputs, failures } = await p.check(
                    {},
                    {
                        restoreToken: `prt-${(0xcafe0000 + i).toString(16).padStart(20, "0")}`,
                        backupGroupUuid: demo.backupGroupUuid,
                        name,
                        instanceOfferingUuid: demo.instanceOfferingUuid,
                        l3NetworkUuids: [demo.l3NetworkUuid],
                        defaultL3NetworkUuid: demo.l3NetworkUuid,
                    },
                );
                assert.deepEqual(failures, []);
                if (i === 3) {
                    void clock.sleep(12_000).then(() => {
                        const vm = (svc.snapshot().vms as { uuid: string; name: string }[] | undefined)?.find(
                            (v) => v.name === name,
                        );
                        if (vm) svc.destroyOutOfBand(vm.uuid);
                    });
                }
                return p.create(inputs!);
            }),
        );
        const failed = results.map((r, i) => (r.status === "rejected" ? i : -1)).filter((i) => i >= 0);
        assert.deepEqual(
            failed,
            [3],
            failed.map((i) => String((results[i] as PromiseRejectedResult).reason)).join("\n"),
        );
        const batched = bodies.filter((b) => /\/v1\/vm-instances\?q=uuid%3F%3D/.test(b.url));
        assert.ok(batched.length > 0, "waits were answered by batched queries");
        for (const b of batched) {
            const asked = decodeURIComponent(b.url.split("q=")[1])
                .replace(/^uuid\?=/, "")
                .split(",");
            const got = (JSON.parse(b.body) as { inventories: { uuid: string }[] }).inventories.map((v) => v.uuid);
            assert.ok(
                got.every((u) => asked.includes(u)),
                "the emulator answers only the uuids asked for",
            );
        }
        const queries = inner.actions.filter((a) => a === "QueryVmInstance").length;
        console.log(`      ${N} VMs: ${queries} QueryVmInstance calls, ${batched.length} of them batched`);
        // One query per VM per poll (the old way) is about 13 per VM over a 25 s wait, plus the lookups before create.
        assert.ok(queries < 6 * N, `${queries} QueryVmInstance calls for ${N} VMs`);
    });
});

describe("JD Cloud RDS waits share one poller (20 restores in one process)", function () {
    this.timeout(60_000);
    afterEach(() => setProgressSink(undefined));

    it("one describeInstances filtered on many instance ids answers the waits still building; the emulator returns exactly those", async () => {
        const clock = new SchedulerClock();
        const AK = "jd-batched-ak";
        const svc = new JdcloudRdsService({
            clock,
            credentials: { [AK]: "jd-batched-sk" },
            timings: { buildMs: 60_000, deleteMs: 5000 },
        });
        const inner = new InProcessTransport(svc);
        const seen: { url: string; body: string }[] = [];
        let n = 0;
        const transport = {
            send: async (req: Parameters<InProcessTransport["send"]>[0], t: number) => {
                await clock.sleep(5 + ((n++ * 37) % 56));
                const res = await inner.send(req, t);
                seen.push({ url: req.url, body: res.body });
                return res;
            },
        };
        setProgressSink(() => undefined);
        const p = new RdsRestoreProvider(
            { clock, transport, env: {}, schedule: defaultSchedule, settleMs: 6000, random: () => 0.5 },
            {
                "jdcloud:endpoint": "http://127.0.0.1:59004",
                "jdcloud:accessKey": AK,
                "jdcloud:secretKey": "jd-batched-sk",
            },
        );
        const N = 20;
        for (let i = 0; i < N; i++)
            svc.seed("backup", { backupId: `bk-batch-${i}`, engine: "MySQL", instanceId: "mysql-src00001" });
        const results = await Promise.allSettled(
            Array.from({ length: N }, (_, i) => {
                const { inputs, failures } = checkRdsRestore({
                    restoreToken: `prt-${(0xd0d00000 + i).toString(16).padStart(20, "0")}`,
                    regionId: "cn-north-1",
                    backupId: `bk-batch-${i}`,
                    engine: "MySQL",
                    instanceSpec: {
                        instanceClass: "db.mysql.s1.micro",
                        instanceStorageGB: 20,
                        azId: ["cn-north-1a", "cn-north-1a"],
                        vpcId: "vpc-test0001",
                        subnetId: "subnet-test0001",
                        chargeSpec: {},
                    },
                });
                assert.deepEqual(failures, []);
                return p.create(inputs);
            }),
        );
        assert.deepEqual(
            results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason)),
            [],
        );
        const byId = seen.filter((s) => /filters\.1\.name=instanceId/.test(s.url));
        assert.ok(byId.length > 0, "waits were answered by describeInstances filtered on instance ids");
        for (const s of byId) {
            const asked = [...new URL(s.url).searchParams.entries()]
                .filter(([k]) => /^filters\.1\.values\.\d+$/.test(k))
                .map(([, v]) => v);
            const got = (
                JSON.parse(s.body) as { result: { dbInstances: { instanceId: string }[] } }
            ).result.dbInstances.map((x) => x.instanceId);
            assert.ok(
                got.length > 0 && got.every((id) => asked.includes(id)),
                "the emulator answers only the ids asked for",
            );
        }
        const single = inner.actions.filter((a) => a === "describeInstanceAttributes").length;
        console.log(
            `      ${N} restores of 60 s: ${single} describeInstanceAttributes, ${byId.length} describeInstances by id`,
        );
        // One describeInstanceAttributes per restore per poll (the old way) is about 30 per restore over 60 s.
        assert.ok(single <= 3 * N, `${single} describeInstanceAttributes calls for ${N} restores`);
    });
});

describe("KooPhone waits share one poller (10 resources in one process)", function () {
    this.timeout(60_000);
    afterEach(() => setProgressSink(undefined));

    it("the backups of several resources waited for together cost one ListInstances look-up per round, not one per resource and instance", async () => {
        const clock = new SchedulerClock();
        const service = new KooPhoneService({
            clock,
            timings: { backupMs: 60_000, restoreMs: 90_000, tokenTtlMs: 24 * 3_600_000 },
        });
        const N = 10;
        const phone = (i: number, k: number) => `bp${String(i).padStart(2, "0")}${k}`;
        for (let i = 0; i < N; i++) for (let k = 0; k < 2; k++) service.seed("instance", { id: phone(i, k) });
        const inner = new InProcessTransport(service);
        let n = 0;
        const transport = {
            send: async (req: Parameters<InProcessTransport["send"]>[0], t: number) => {
                await clock.sleep(5 + ((n++ * 37) % 56));
                return inner.send(req, t);
            },
        };
        const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "batched-koophone-"));
        setProgressSink(() => undefined);
        try {
            const config: Record<string, string> = {
                "huaweicloud:endpoint": "http://127.0.0.1:59005",
                "huaweicloud:region": "cn-south-1",
                "huaweicloud:accessKey": KOOPHONE_CRED.accessKey,
                "huaweicloud:secretKey": KOOPHONE_CRED.secretKey,
            };
            const p = new KooPhoneProvider({
                clock,
                transport,
                env: { PULUMI_RESTORE_STATE_DIR: stateDir },
                settleMs: 20_000,
                random: () => 0.5,
                schedule: defaultSchedule,
            });
            await p.configure({ config: { get: (k: string) => config[k] } } as never);
            const results = await Promise.allSettled(
                Array.from({ length: N }, (_, i) =>
                    p.create({
                        restoreToken: `prt-${(0xf00d0000 + i).toString(16).padStart(20, "0")}`,
                        instanceIds: [phone(i, 0), phone(i, 1)],
                        userId: "1008600000104285462",
                        restoreOnDelete: true,
                    }),
                ),
            );
            assert.deepEqual(
                results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason)),
                [],
            );
            assert.ok(
                [...Array(N).keys()].every(
                    (i) => service.phaseOf(phone(i, 0)) === "backedUp" && service.phaseOf(phone(i, 1)) === "backedUp",
                ),
            );
            const lists = inner.actions.filter((a) => a === "ListInstances").length;
            console.log(`      ${N} resources of 2 instances, 60 s backups: ${lists} ListInstances calls`);
            // Each resource looking at its 2 instances itself (the old way) is 2 queries per resource per poll: over 600.
            // How many rounds share a look-up depends on real file I/O between rounds (the claims), hence the margin.
            assert.ok(lists < 300, `${lists} ListInstances calls`);
        } finally {
            fs.rmSync(stateDir, { recursive: true, force: true });
        }
    });
});
