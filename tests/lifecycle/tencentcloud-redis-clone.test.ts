import { strict as assert } from "assert";
import { RestoreDrill, RestoredInstance } from "../../provider/tencentcloud/redis";
import { EmulatorServer } from "../../emulator/core/server";
import { TencentRedisService } from "../../emulator/tencentcloud/redis";
import { DrillReport } from "../../provider/core/drill";
import { Engine } from "../../harness/engine";

const SECRET_ID = "AKIDlifecycleclone01";
const SECRET_KEY = "tencent-lifecycle-secret-do-not-print";
const PASSWORD = "Life-Cl0ne-Passw0rd";
const SOURCE = "crs-lifesrc1";

describe("tencentcloud.redis.RestoredInstance and RestoreDrill lifecycle (real dynamic-provider host)", function () {
    this.timeout(120_000);
    let server: EmulatorServer;
    let svc: TencentRedisService;
    let eng: Engine;

    async function start(): Promise<void> {
        svc = new TencentRedisService({
            credentials: { [SECRET_ID]: SECRET_KEY },
            timings: { cloneMs: 400, destroyMs: 100, cleanUpMs: 100 },
        });
        svc.serveTcp = true;
        svc.seed("instance", { InstanceId: SOURCE, Password: "Source-Passw0rd" });
        svc.seed("backup", { InstanceId: SOURCE, BackupId: "life-backup-0001", ageMs: 7_200_000 });
        svc.seed("backup", { InstanceId: SOURCE, BackupId: "life-backup-0002" });
        server = new EmulatorServer(svc);
        const url = await server.start();
        eng = new Engine({
            config: {
                "tencentcloud:endpoint": url,
                "tencentcloud:secretId": SECRET_ID,
                "tencentcloud:secretKey": SECRET_KEY,
                "tencentcloud:region": "ap-guangzhou",
            },
            secretConfigKeys: ["tencentcloud:secretKey"],
        });
    }

    afterEach(async () => {
        await eng?.close();
        await server?.stop();
    });

    const clones = () => svc.live().filter((i) => i.InstanceId !== SOURCE);
    function everythingPrinted(): string {
        return [
            eng.serializedState(),
            ...eng.hosts.flatMap((h) => [...h.stdout, ...h.stderr]),
            ...eng.allErrors.map((e) => e.message),
        ].join("\n");
    }

    it("preview, up, no-op up, new backupId replaces (create before delete), refresh, destroy; no secret leaks", async () => {
        await start();
        let backupId = "life-backup-0001";
        const program = () => {
            const r = new RestoredInstance("cache-dr", {
                sourceInstanceId: SOURCE,
                backupId,
                zoneId: 100003,
                securityGroupIds: ["sg-life0001"],
                password: PASSWORD,
                timeouts: { create: "5m" },
            });
            return { instanceId: r.instanceId, status: r.instanceStatus };
        };
        const pv = await eng.preview(program);
        assert.deepEqual(pv.errors, []);
        assert.equal(pv.steps[0].op, "create");
        assert.equal(server.count(), 0, "preview makes no API call");

        const up = await eng.up(program);
        assert.deepEqual(
            up.errors.map((e) => e.message),
            [],
        );
        const st = eng.resource("cache-dr")!;
        assert.equal(clones().length, 1);
        assert.equal(st.id, clones()[0].InstanceId);
        assert.equal(st.outputs.instanceStatus, "running");
        assert.equal(st.outputs.region, "ap-guangzhou");
        assert.equal(server.count("RestoreInstance"), 0, "the source is never overwritten");
        assert.ok(
            eng.host!.stdout.some((l) => /\[pulumi-restore\] RestoredInstance "cache-dr": .*running/.test(l)),
            "progress reaches the engine",
        );
        const again = await eng.up(program);
        assert.deepEqual(again.errors, []);
        assert.equal(again.steps[0].op, "same");
        assert.equal(server.count("CloneInstances"), 1);

        backupId = "life-backup-0002";
        const oldId = st.id;
        const re = await eng.up(program);
        assert.deepEqual(
            re.errors.map((e) => e.message),
            [],
        );
        assert.equal(re.steps[0].op, "replace");
        assert.match(re.steps[0].detail ?? "", /create-before-delete/);
        assert.equal(server.count("CloneInstances"), 2);
        assert.equal(clones().length, 1, "the old clone was released after the new one ran");
        assert.notEqual(clones()[0].InstanceId, oldId);

        const rf = await eng.refresh();
        assert.deepEqual(rf.errors, []);
        assert.equal(rf.steps[0].op, "read");
        svc.deleteInstance(eng.resource("cache-dr")!.id);
        const gone = await eng.refresh();
        assert.equal(gone.steps[0].op, "refresh-delete");
        assert.equal(eng.resource("cache-dr"), undefined);

        await eng.up(program);
        const ds = await eng.destroy();
        assert.deepEqual(
            ds.errors.map((e) => e.message),
            [],
        );
        assert.equal(clones().length, 0);
        const printed = everythingPrinted();
        assert.ok(!printed.includes(SECRET_KEY), "the secret key leaked");
        assert.ok(!eng.serializedState().includes(PASSWORD), "the password is not in state in plaintext");
    });

    it("host killed after CloneInstances was accepted, then up again: exactly one instance", async () => {
        await start();
        let killed = false;
        server.onHandled = (action) => {
            if (action === "CloneInstances" && !killed) {
                killed = true;
                eng.host!.kill();
            }
        };
        const program = () =>
            new RestoredInstance("r4", {
                sourceInstanceId: SOURCE,
                backupSelector: {},
                zoneId: 100003,
                securityGroupIds: ["sg-life0001"],
                password: PASSWORD,
            });
        const first = await eng.up(program);
        assert.ok(killed);
        assert.ok(first.errors.length > 0);
        assert.equal(eng.resource("r4"), undefined, "nothing was recorded");
        assert.equal(clones().length, 1);
        server.onHandled = undefined;
        const second = await eng.up(program);
        assert.deepEqual(
            second.errors.map((e) => e.message),
            [],
        );
        assert.equal(server.count("CloneInstances"), 1, "not called again");
        assert.equal(clones().length, 1);
        assert.equal(eng.resource("r4")!.outputs.adopted, true);
        await eng.destroy();
        assert.equal(clones().length, 0);
    });

    it("a drill: up (TCP check against the reported address), trigger re-run, destroy without cloud calls", async () => {
        await start();
        const program = (month: string) => () => {
            const d = new RestoreDrill("redis-monthly", {
                sourceInstanceId: SOURCE,
                backupSelector: { maxAge: "24h" },
                zoneId: 100003,
                securityGroupIds: ["sg-life0001"],
                password: PASSWORD,
                triggers: { month },
                verify: {
                    command: 'echo "redis-cli -h $DRILL_ADDRESS -p $DRILL_PORT -a $DRILL_PASSWORD"',
                    timeout: "30s",
                },
            });
            return { passed: d.passed };
        };
        const up = await eng.up(program("2026-11"));
        assert.deepEqual(
            up.errors.map((e) => e.message),
            [],
        );
        const report = eng.resource("redis-monthly")!.outputs.report as unknown as DrillReport;
        assert.deepEqual(
            report.checks.map((c) => `${c.name}:${c.result}`),
            ["running:passed", "tcp:passed", "verify:passed"],
        );
        assert.equal(report.backupId, "life-backup-0002");
        assert.match(report.checks[2].outputTail!, /-a \*\*\*/);
        assert.ok(!eng.serializedState().includes(PASSWORD));
        const rerun = await eng.up(program("2026-12"));
        assert.deepEqual(
            rerun.errors.map((e) => e.message),
            [],
        );
        assert.equal(server.count("CloneInstances"), 2);
        assert.equal(clones().length, 0, "no scratch instance is left");
        const calls = server.count();
        const ds = await eng.destroy();
        assert.deepEqual(ds.errors, []);
        assert.equal(server.count(), calls);
    });
});
