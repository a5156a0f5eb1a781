import { strict as assert } from "assert";
import { startEmulator, RunningEmulator } from "../../emulator";
import { jdcloud } from "../../index";
import { DrillReport } from "../../provider/core/drill";
import { Engine } from "../../harness/engine";

const DB_PASSWORD = "Db-Life-Dr1ll-Pw";
const SPEC = {
    instanceClass: "db.mysql.s1.micro",
    instanceStorageGB: 20,
    azId: ["cn-north-1a", "cn-north-1a"],
    vpcId: "vpc-drill0001",
    subnetId: "subnet-drill0001",
    chargeSpec: {},
};

describe("jdcloud.rds.RestoreDrill lifecycle (real dynamic-provider host)", function () {
    this.timeout(120_000);
    let emu: RunningEmulator;
    let eng: Engine;
    beforeEach(async () => {
        emu = await startEmulator({ only: ["jdcloud"], jdcloud: { buildMs: 500, deleteMs: 200 } });
        emu.jdcloud.service.serveTcp = true;
        emu.jdcloud.service.seed("backup", {
            backupId: "bk-drill-0001",
            engine: "MySQL",
            instanceId: "mysql-src00001",
        });
        eng = new Engine({ config: { ...emu.config } });
    });
    afterEach(async () => {
        await eng.close();
        assert.deepEqual(
            emu.jdcloud.service.live().map((i) => i.instanceId),
            [],
            "no scratch instance is left",
        );
        await emu.stop();
    });
    const program = (month: string) => () => {
        const d = new jdcloud.rds.RestoreDrill("rds-monthly", {
            backupId: "bk-drill-0001",
            engine: "MySQL",
            instanceSpec: SPEC,
            backupSourceInstanceId: "mysql-src00001",
            databasePassword: DB_PASSWORD,
            triggers: { month },
            verify: { command: 'echo "mysql -h $DRILL_ADDRESS -P $DRILL_PORT -p$DRILL_PASSWORD"', timeout: "30s" },
        });
        return { passed: d.passed };
    };
    const report = () => eng.resource("rds-monthly")!.outputs.report as unknown as DrillReport;

    it("preview, up (TCP check against the reported address), trigger re-run, refresh and destroy without cloud calls", async () => {
        const pv = await eng.preview(program("2026-11"));
        assert.deepEqual(pv.errors, []);
        assert.equal(emu.jdcloud.server.count(), 0, "preview calls no API");
        const up = await eng.up(program("2026-11"));
        assert.deepEqual(
            up.errors.map((e) => e.message),
            [],
        );
        assert.deepEqual(
            report().checks.map((c) => `${c.name}:${c.result}`),
            ["running:passed", "tcp:passed", "verify:passed"],
        );
        assert.match(report().checks[2].outputTail!, /-p\*\*\*/);
        assert.ok(!eng.serializedState().includes(DB_PASSWORD), "the database password is not in state in plaintext");
        const rerun = await eng.up(program("2026-12"));
        assert.deepEqual(
            rerun.errors.map((e) => e.message),
            [],
        );
        assert.equal(rerun.steps[0].op, "replace");
        assert.equal(emu.jdcloud.server.count("createInstanceFromBackup"), 2);
        const calls = emu.jdcloud.server.count();
        await eng.refresh();
        const d = await eng.destroy();
        assert.deepEqual(d.errors, []);
        assert.equal(emu.jdcloud.server.count(), calls, "refresh and destroy make no cloud call");
    });

    it("host killed as createInstanceFromBackup was carried out: the next up deletes the scratch instance first", async () => {
        await eng.ensureHost();
        emu.jdcloud.server.onHandled = (action) => {
            if (action === "createInstanceFromBackup") eng.host!.kill();
        };
        const first = await eng.up(program("2026-11"));
        assert.ok(first.errors.length > 0);
        const order: string[] = [];
        emu.jdcloud.server.onHandled = (action) => void order.push(action);
        const second = await eng.up(program("2026-11"));
        assert.deepEqual(
            second.errors.map((e) => e.message),
            [],
        );
        assert.equal(eng.resource("rds-monthly")!.outputs.passed, true);
        assert.ok(
            order.indexOf("deleteInstance") >= 0 &&
                order.indexOf("deleteInstance") < order.indexOf("createInstanceFromBackup"),
            order.join(","),
        );
    });
});
