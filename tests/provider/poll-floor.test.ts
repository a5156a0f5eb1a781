import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { StarRocksService } from "../../emulator/alicloud/starrocks";
import { EmulatorServer } from "../../emulator/core/server";
import { KOOPHONE_EMULATOR_CREDENTIALS as KP, KooPhoneService } from "../../emulator/huaweicloud/koophone";
import { JdcloudRdsService } from "../../emulator/jdcloud/rds";
import { TencentRedisService } from "../../emulator/tencentcloud/redis";
import { ZStackService } from "../../emulator/zstack/zstack";
import { checkRestoredInstance } from "../../provider/alicloud/starrocksInputs";
import { StarRocksProvider } from "../../provider/alicloud/starrocksProvider";
import { setProgressSink } from "../../provider/core/progress";
import { KooPhoneProvider } from "../../provider/huaweicloud/koophoneProvider";
import { checkRdsRestore } from "../../provider/jdcloud/rdsInputs";
import { RdsRestoreProvider } from "../../provider/jdcloud/rdsProvider";
import { checkClone } from "../../provider/tencentcloud/cloneInputs";
import { CloneProvider } from "../../provider/tencentcloud/cloneProvider";
import { RedisRestoreProvider } from "../../provider/tencentcloud/redisProvider";
import { clearSessions } from "../../provider/zstack/session";
import { VmFromBackupProvider } from "../../provider/zstack/vmProvider";
import { VirtualClock } from "../../harness/clock";

// PULUMI_RESTORE_POLL_MIN_MS sets the floor of every cloud's waits (provider/core/settings.ts): each provider is built
// here with only that variable in its injected environment (no schedule of its own), runs a create against its
// emulator on a virtual clock, and the status calls of its wait must come no more often than the floor allows. The
// floor (6 s) is three times the default (2 s), so a wait that ignored the variable would poll every 2 s and fail.

const FLOOR = 6000;
/** Three intervals of the floor: what the last polls of a wait of a minute are (the share of elapsed time is less). */
const AT_FLOOR = [FLOOR, FLOOR, FLOOR];

interface Run {
    /** Virtual times of each API action the emulator answered, in order. */
    at: Record<string, number[]>;
}

/** Records the time of every action `server` answers while `body` runs. */
async function timeline(server: EmulatorServer, clock: VirtualClock, body: () => Promise<unknown>): Promise<Run> {
    const at: Record<string, number[]> = {};
    server.onRequest = (action) => void (at[action] ??= []).push(clock.now());
    try {
        await body();
    } finally {
        server.onRequest = undefined;
    }
    return { at };
}

/** The gaps between the last `n + 1` calls of `action`: the wait's final polls. */
function lastGaps(run: Run, action: string, n = 3): number[] {
    const l = run.at[action] ?? [];
    assert.ok(l.length > n, `${action} was called ${l.length} times: ${JSON.stringify(run.at)}`);
    const tail = l.slice(-(n + 1));
    return tail.slice(1).map((t, i) => t - tail[i]);
}

const env = (): NodeJS.ProcessEnv => ({ PULUMI_RESTORE_POLL_MIN_MS: String(FLOOR) });

describe("PULUMI_RESTORE_POLL_MIN_MS sets the floor of every cloud's waits (from the provider's deps.env)", function () {
    this.timeout(60_000);
    let server: EmulatorServer | undefined;
    const dirs: string[] = [];
    const stateDir = () => {
        const d = fs.mkdtempSync(path.join(os.tmpdir(), "poll-floor-"));
        dirs.push(d);
        return d;
    };
    beforeEach(() => setProgressSink(() => undefined));
    afterEach(async () => {
        setProgressSink(undefined);
        await server?.stop();
        server = undefined;
        for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
    });

    it("Alibaba Cloud StarRocks: the wait for the restored instance to be running", async () => {
        const clock = new VirtualClock();
        const svc = new StarRocksService({
            clock,
            credentials: { ak: "sk-poll-floor" },
            timings: { restoreMs: 60_000, releaseMs: 10_000 },
        });
        server = new EmulatorServer(svc);
        const url = await server.start();
        svc.seed("backup", { BackupTaskId: "bk-floor01", RegionId: "cn-hangzhou" });
        const p = new StarRocksProvider(
            { clock, env: env(), settleMs: 20_000, random: () => 0.5 },
            {
                "alicloud:endpoint": url,
                "alicloud:region": "cn-hangzhou",
                "alicloud:accessKey": "ak",
                "alicloud:secretKey": "sk-poll-floor",
            },
        );
        const { inputs, failures } = checkRestoredInstance({
            restoreToken: "prt-00112233445566778899",
            backupTaskId: "bk-floor01",
            instanceName: "floor",
            adminPassword: "Pr0vider-Adm1n!",
        });
        assert.deepEqual(failures, []);
        const run = await timeline(server, clock, () => p.create(inputs as unknown as Record<string, unknown>));
        assert.deepEqual(lastGaps(run, "DescribeInstances"), AT_FLOOR);
    });

    it("Tencent Cloud Redis InstanceRestore: the wait for the restore task", async () => {
        const clock = new VirtualClock();
        const svc = new TencentRedisService({
            clock,
            credentials: { AKIDpollfloor0001: "poll-floor-secret" },
            timings: { prepareMs: 2000, runMs: 60_000 },
        });
        server = new EmulatorServer(svc);
        const url = await server.start();
        svc.seed("instance", { InstanceId: "crs-aaaa0001", Password: "pa55-Word" });
        svc.seed("backup", { InstanceId: "crs-aaaa0001", BackupId: "678362566696298532848117" });
        const p = new RedisRestoreProvider(
            { clock, env: { ...env(), PULUMI_RESTORE_STATE_DIR: stateDir() }, settleMs: 6000, random: () => 0.5 },
            {
                "tencentcloud:endpoint": url,
                "tencentcloud:secretId": "AKIDpollfloor0001",
                "tencentcloud:secretKey": "poll-floor-secret",
            },
        );
        const run = await timeline(server, clock, () =>
            p.create({
                restoreToken: "prt-0123456789abcdef0123",
                instanceId: "crs-aaaa0001",
                backupId: "678362566696298532848117",
                password: "pa55-Word",
            }),
        );
        assert.deepEqual(lastGaps(run, "DescribeTaskList"), AT_FLOOR);
    });

    it("Tencent Cloud Redis RestoredInstance (a clone): the wait for the instance to be running", async () => {
        const clock = new VirtualClock();
        const svc = new TencentRedisService({
            clock,
            credentials: { AKIDpollfloor0001: "poll-floor-secret" },
            timings: { cloneMs: 60_000, destroyMs: 3000, cleanUpMs: 2000 },
        });
        server = new EmulatorServer(svc);
        const url = await server.start();
        svc.seed("instance", { InstanceId: "crs-aaaa0001", Password: "Source-Passw0rd" });
        svc.seed("backup", { InstanceId: "crs-aaaa0001", BackupId: "678362566696298532848117", ageMs: 7_200_000 });
        const p = new CloneProvider(
            { clock, env: env(), settleMs: 6000, random: () => 0.5 },
            {
                "tencentcloud:endpoint": url,
                "tencentcloud:secretId": "AKIDpollfloor0001",
                "tencentcloud:secretKey": "poll-floor-secret",
            },
        );
        const { inputs, failures } = checkClone(
            {
                restoreToken: "prt-0123456789abcdef0123",
                sourceInstanceId: "crs-aaaa0001",
                backupId: "678362566696298532848117",
                zoneId: 100003,
                securityGroupIds: ["sg-5fgt7a1b"],
                vpcId: "vpc-mjwornzj",
                subnetId: "subnet-3lzrkspo",
                password: "Clone-Passw0rd",
            },
            "ap-guangzhou",
        );
        assert.deepEqual(failures, []);
        const run = await timeline(server, clock, () => p.create(inputs as unknown as Record<string, unknown>));
        assert.deepEqual(lastGaps(run, "DescribeInstances"), AT_FLOOR);
    });

    it("ZStack: the wait for the create job and for the VM's state", async () => {
        clearSessions();
        const clock = new VirtualClock();
        const svc = new ZStackService({
            clock,
            timings: { createMs: 60_000, startMs: 30_000, destroyMs: 3000, expungeMs: 3000 },
            advertisedBase: "http://127.0.0.9:1/zstack",
        });
        server = new EmulatorServer(svc);
        const url = await server.start();
        const demo = svc.seed("demo", {}) as {
            backupGroupUuid: string;
            instanceOfferingUuid: string;
            l3NetworkUuid: string;
        };
        const p = new VmFromBackupProvider(
            { clock, env: env(), random: () => 0.5, renewMarginMs: 1000 },
            { "zstack:endpoint": url, "zstack:accountName": "admin", "zstack:accountPassword": "emulator-password" },
        );
        const checked = await p.check(
            {},
            {
                restoreToken: "prt-00112233445566778899",
                backupGroupUuid: demo.backupGroupUuid,
                name: "floor",
                instanceOfferingUuid: demo.instanceOfferingUuid,
                l3NetworkUuids: [demo.l3NetworkUuid],
                defaultL3NetworkUuid: demo.l3NetworkUuid,
            },
        );
        assert.deepEqual(checked.failures, []);
        const run = await timeline(server, clock, () => p.create(checked.inputs));
        assert.deepEqual(lastGaps(run, "GetJob"), AT_FLOOR, "the create job");
        assert.deepEqual(lastGaps(run, "QueryVmInstance"), AT_FLOOR, "the VM's state");
    });

    it("JD Cloud RDS: the wait for the restored instance to be RUNNING", async () => {
        const clock = new VirtualClock();
        const svc = new JdcloudRdsService({
            clock,
            credentials: { ak: "sk-poll-floor" },
            timings: { buildMs: 60_000, deleteMs: 5000 },
        });
        server = new EmulatorServer(svc);
        const url = await server.start();
        svc.seed("backup", { backupId: "bk-mysql-0001", engine: "MySQL", instanceId: "mysql-src00001" });
        const p = new RdsRestoreProvider(
            { clock, env: env(), settleMs: 6000, random: () => 0.5 },
            { "jdcloud:endpoint": url, "jdcloud:accessKey": "ak", "jdcloud:secretKey": "sk-poll-floor" },
        );
        const { inputs, failures } = checkRdsRestore({
            restoreToken: "prt-0123456789abcdef0123",
            regionId: "cn-north-1",
            backupId: "bk-mysql-0001",
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
        const run = await timeline(server, clock, () => p.create(inputs as unknown as Record<string, unknown>));
        assert.deepEqual(lastGaps(run, "describeInstanceAttributes"), AT_FLOOR);
    });

    it("Huawei Cloud KooPhone: the wait for the phones to be backed up", async () => {
        const clock = new VirtualClock();
        const svc = new KooPhoneService({
            clock,
            timings: { backupMs: 60_000, restoreMs: 90_000, tokenTtlMs: 24 * 3_600_000 },
        });
        svc.seed("instance", { id: "ph0000" });
        server = new EmulatorServer(svc);
        const url = await server.start();
        const config: Record<string, string> = {
            "huaweicloud:endpoint": url,
            "huaweicloud:region": "cn-south-1",
            "huaweicloud:accessKey": KP.accessKey,
            "huaweicloud:secretKey": KP.secretKey,
        };
        const p = new KooPhoneProvider({
            clock,
            env: { ...env(), PULUMI_RESTORE_STATE_DIR: stateDir() },
            settleMs: 20_000,
            random: () => 0.5,
        });
        await p.configure({ config: { get: (k: string) => config[k] } });
        const run = await timeline(server, clock, () =>
            p.create({
                restoreToken: "prt-00112233445566778899",
                instanceIds: ["ph0000"],
                userId: "1008600000104285462",
                restoreOnDelete: true,
            }),
        );
        assert.deepEqual(lastGaps(run, "ListInstances"), AT_FLOOR);
    });
});
