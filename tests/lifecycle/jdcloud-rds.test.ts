import { strict as assert } from "assert";
import { RestoredInstance } from "../../provider/jdcloud/rds";
import { EmulatorServer } from "../../emulator/core/server";
import { JdcloudRdsService } from "../../emulator/jdcloud/rds";
import { Engine } from "../../harness/engine";

const AK = "jdcloud-lifecycle-access-key";
const SK = "jdcloud-lifecycle-secret-do-not-print";

const SPEC = {
    instanceClass: "db.mysql.s1.micro",
    instanceStorageGB: 20,
    azId: ["cn-north-1a", "cn-north-1a"],
    vpcId: "vpc-life0001",
    subnetId: "subnet-life0001",
    chargeSpec: {},
};

describe("jdcloud.rds.RestoredInstance lifecycle (real dynamic-provider host)", function () {
    this.timeout(120_000);
    let server: EmulatorServer;
    let svc: JdcloudRdsService;
    let eng: Engine;

    async function start(): Promise<void> {
        svc = new JdcloudRdsService({ credentials: { [AK]: SK }, timings: { buildMs: 400, deleteMs: 200 } });
        svc.seed("backup", { backupId: "bk-life-0001", engine: "MySQL" });
        svc.seed("backup", { backupId: "bk-life-0002", engine: "MySQL" });
        svc.seed("backup", { backupId: "bk-orders-nightly", engine: "MySQL" });
        server = new EmulatorServer(svc);
        const url = await server.start();
        eng = new Engine({
            config: {
                "jdcloud:endpoint": url,
                "jdcloud:accessKey": AK,
                "jdcloud:secretKey": SK,
                "jdcloud:region": "cn-north-1",
            },
            secretConfigKeys: ["jdcloud:secretKey"],
        });
    }

    afterEach(async () => {
        await eng?.close();
        await server?.stop();
    });

    function everythingPrinted(): string {
        return [
            eng.serializedState(),
            ...eng.hosts.flatMap((h) => [...h.stdout, ...h.stderr]),
            ...eng.allErrors.map((e) => e.message),
        ].join("\n");
    }

    it("preview, up, no-op up, new backupId replaces, refresh, destroy; the secret key never leaks", async () => {
        await start();
        let backupId = "bk-life-0001";
        const program = () => {
            const r = new RestoredInstance("orders-dr", {
                backupId,
                engine: "MySQL",
                instanceSpec: SPEC,
                timeouts: { create: "5m" },
            });
            return { instanceId: r.instanceId, status: r.instanceStatus, port: r.instancePort };
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
        const st = eng.resource("orders-dr")!;
        assert.equal(svc.live().length, 1);
        assert.equal(st.id, svc.live()[0].instanceId);
        assert.equal(st.outputs.instanceStatus, "RUNNING");
        assert.equal(st.outputs.regionId, "cn-north-1", "the region from config is recorded");
        assert.equal(st.outputs.internalDomainName, svc.live()[0].internalDomainName);
        assert.deepEqual(up.outputs, { instanceId: st.id, status: "RUNNING", port: "3306" });
        assert.ok(
            eng.host!.stdout.some((l) => /\[pulumi-restore\] RestoredInstance "orders-dr": .*RUNNING/.test(l)),
            "progress reaches the engine",
        );

        const again = await eng.up(program);
        assert.deepEqual(again.errors, []);
        assert.equal(again.steps[0].op, "same");
        assert.equal(server.count("createInstanceFromBackup"), 1);

        backupId = "bk-life-0002";
        const pvr = await eng.preview(program);
        assert.match(pvr.steps[0].detail ?? "", /replace \(.*backupId.*\)/);
        const oldId = st.id;
        const re = await eng.up(program);
        assert.deepEqual(
            re.errors.map((e) => e.message),
            [],
        );
        assert.equal(re.steps[0].op, "replace");
        assert.match(re.steps[0].detail ?? "", /create-before-delete/);
        assert.equal(server.count("createInstanceFromBackup"), 2);
        const live = svc.live();
        assert.equal(live.length, 1, "the old instance was deleted after the new one was RUNNING");
        assert.notEqual(live[0].instanceId, oldId);
        assert.equal(live[0].backupId, "bk-life-0002");
        assert.equal(eng.resource("orders-dr")!.id, live[0].instanceId);

        const rf = await eng.refresh();
        assert.deepEqual(rf.errors, []);
        assert.equal(rf.steps[0].op, "read");

        const ds = await eng.destroy();
        assert.deepEqual(
            ds.errors.map((e) => e.message),
            [],
        );
        assert.equal(ds.steps[0].op, "delete");
        assert.equal(svc.live().length, 0);
        assert.equal(eng.resource("orders-dr"), undefined);

        assert.ok(!everythingPrinted().includes(SK), "the secret key leaked into state, output or errors");
    });

    it("refresh drops an instance deleted out of band; check failures name the property and call nothing", async () => {
        await start();
        const up = await eng.up(
            () => new RestoredInstance("r2", { backupId: "bk-life-0001", engine: "MySQL", instanceSpec: SPEC }),
        );
        assert.deepEqual(
            up.errors.map((e) => e.message),
            [],
        );
        svc.deleteOutOfBand(eng.resource("r2")!.id);
        const rf = await eng.refresh();
        assert.equal(rf.steps[0].op, "refresh-delete");
        assert.equal(eng.resource("r2"), undefined);

        const calls = server.count();
        const bad = await eng.preview(
            () =>
                new RestoredInstance("r3", {
                    backupId: "bk-life-0001",
                    engine: "SQL Server",
                    instanceSpec: {
                        ...SPEC,
                        instanceStorageGB: 0,
                        instancePort: 3306,
                        chargeSpec: { chargeMode: "postpaid_by_usage", chargeDuration: 2 },
                    },
                }),
        );
        const text = bad.errors.map((e) => e.message).join("\n");
        assert.match(text, /instanceSpec.instanceStorageGB: must be from 1 to 65536 GB/);
        assert.match(text, /instanceSpec.instancePort: must not be set for engine "SQL Server"/);
        assert.match(
            text,
            /instanceSpec.chargeSpec.chargeDuration: must not be set when chargeMode is "postpaid_by_usage"/,
        );
        assert.equal(server.count(), calls, "check failures make no API call");
    });

    it("host killed after createInstanceFromBackup was accepted, then up again: exactly one instance", async () => {
        await start();
        let killed = false;
        server.onHandled = (action) => {
            if (action === "createInstanceFromBackup" && !killed) {
                killed = true;
                eng.host!.kill();
            }
        };
        const program = () =>
            new RestoredInstance("r4", { backupId: "bk-life-0001", engine: "MySQL", instanceSpec: SPEC });
        const first = await eng.up(program);
        assert.ok(killed);
        assert.ok(first.errors.length > 0, "the interrupted up fails");
        assert.equal(eng.resource("r4"), undefined, "nothing was recorded");
        assert.equal(svc.live().length, 1, "the cloud did create the instance");
        server.onHandled = undefined;

        const second = await eng.up(program);
        assert.deepEqual(
            second.errors.map((e) => e.message),
            [],
        );
        assert.equal(server.count("createInstanceFromBackup"), 1, "not called again");
        assert.equal(svc.live().length, 1, "exactly one instance");
        const st = eng.resource("r4")!;
        assert.equal(st.id, svc.live()[0].instanceId);
        assert.equal(st.outputs.adopted, true);
        assert.equal(st.outputs.instanceStatus, "RUNNING");
        const ds = await eng.destroy();
        assert.deepEqual(
            ds.errors.map((e) => e.message),
            [],
        );
        assert.equal(svc.live().length, 0);
        assert.ok(!everythingPrinted().includes(SK), "the secret key leaked (killed host's output included)");
    });

    it("a prepaid instance: destroy fails and explains retainOnDelete; the instance and the state stay", async () => {
        await start();
        const prepaid = {
            ...SPEC,
            chargeSpec: { chargeMode: "prepaid_by_duration" as const, chargeUnit: "month" as const, chargeDuration: 1 },
        };
        const up = await eng.up(
            () => new RestoredInstance("r5", { backupId: "bk-life-0001", engine: "MySQL", instanceSpec: prepaid }),
        );
        assert.deepEqual(
            up.errors.map((e) => e.message),
            [],
        );
        const ds = await eng.destroy();
        assert.match(ds.errors.map((e) => e.message).join("\n"), /prepaid.*Unsubscribe.*retainOnDelete/);
        assert.ok(eng.resource("r5"), "still in the stack");
        assert.equal(svc.live().length, 1);
        assert.equal(server.count("deleteInstance"), 0);
    });

    it("with retainOnDelete, destroy removes a prepaid instance from the stack and leaves it in the cloud", async () => {
        await start();
        const prepaid = { ...SPEC, chargeSpec: { chargeMode: "prepaid_by_duration" as const, chargeDuration: 2 } };
        const up = await eng.up(
            () =>
                new RestoredInstance(
                    "r6",
                    { backupId: "bk-life-0001", engine: "MySQL", instanceSpec: prepaid },
                    { retainOnDelete: true },
                ),
        );
        assert.deepEqual(
            up.errors.map((e) => e.message),
            [],
        );
        const ds = await eng.destroy();
        assert.deepEqual(
            ds.errors.map((e) => e.message),
            [],
        );
        assert.equal(eng.resource("r6"), undefined);
        assert.equal(svc.live().length, 1, "the prepaid instance stays in the cloud");
        assert.equal(server.count("deleteInstance"), 0);
    });

    it("the example program runs against the emulator", async () => {
        await start();
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the example program, loaded when this test runs it
        const example = require("../../examples/jdcloud-rds/index") as () => Promise<unknown>;
        const up = await eng.up(example);
        assert.deepEqual(
            up.errors.map((e) => e.message),
            [],
        );
        const out = up.outputs as { instanceId: string; endpoint: string; status: string; instanceName: string };
        assert.equal(out.status, "RUNNING");
        assert.equal(out.endpoint, `${svc.live()[0].internalDomainName}:3306`);
        assert.match(out.instanceName, /^prt-[0-9a-f]{12}-[0-9a-f]{8}$/);
        const d = await eng.destroy();
        assert.deepEqual(
            d.errors.map((e) => e.message),
            [],
        );
        assert.equal(svc.live().length, 0);
    });
});
