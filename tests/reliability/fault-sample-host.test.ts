import { strict as assert } from "assert";
import { alicloud, jdcloud, zstack } from "../../index";
import { EmulatorServer } from "../../emulator/core/server";
import { JdcloudRdsService } from "../../emulator/jdcloud/rds";
import { ZStackService } from "../../emulator/zstack/zstack";
import { startEmulator } from "../../emulator";
import { Engine } from "../../harness/engine";

/**
 * A sample of the fault matrix through the real dynamic-provider host (the matrix itself runs in-process): the cells
 * whose fixes depend on how the engine records partial state and calls Diff/Update afterwards.
 */
describe("fault matrix sample through the real dynamic-provider host", function () {
    this.timeout(120_000);
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
        for (const c of cleanups.splice(0).reverse()) await c();
    });

    it("alicloud: a restore task that fails is recorded, and the next up releases it and restores again", async () => {
        const emu = await startEmulator({ only: ["alicloud"], starrocks: { restoreMs: 400, releaseMs: 200 } });
        const eng = new Engine({ config: { ...emu.config } });
        cleanups.push(
            () => emu.stop(),
            () => eng.close(),
        );
        emu.alicloud.service.seed("backup", { BackupTaskId: "bk-sample01", RegionId: "cn-hangzhou" });
        const program = () => {
            const r = new alicloud.starrocks.RestoredInstance("dr", {
                backupTaskId: "bk-sample01",
                instanceName: "dr",
                adminPassword: "Adm1n-Passw0rd!",
            });
            return { status: r.status };
        };
        emu.alicloud.server.inject({ action: "RestoreInstance", kind: "failTask" });
        const first = await eng.up(program);
        assert.equal(first.errors.length, 1);
        assert.match(
            first.errors[0].message,
            /failed \(status creating_failed\).*next `pulumi up` releases it and restores again/,
        );
        const failedId = String(eng.resource("dr")!.id);
        assert.deepEqual(
            emu.alicloud.service.live().map((i) => i.InstanceId),
            [failedId],
            "the failed instance is recorded, not orphaned",
        );
        const second = await eng.up(program);
        assert.deepEqual(
            second.errors.map((e) => e.message),
            [],
        );
        assert.equal(second.steps[0].op, "replace");
        const live = emu.alicloud.service.live().filter((i) => i.InstanceStatus !== "deleting");
        assert.equal(live.length, 1);
        assert.equal(live[0].InstanceStatus, "running");
        assert.equal(String(eng.resource("dr")!.id), live[0].InstanceId);
        assert.equal((await eng.up(program)).steps[0].op, "same");
        assert.deepEqual((await eng.destroy()).errors, []);
    });

    it("jdcloud: a build that ends in ERROR is recorded, and the next up deletes it and restores again", async () => {
        const svc = new JdcloudRdsService({
            credentials: { ak: "sk-sample" },
            timings: { buildMs: 400, deleteMs: 200 },
        });
        svc.seed("backup", { backupId: "bk-sample-01", engine: "MySQL" });
        const server = new EmulatorServer(svc);
        const url = await server.start();
        const eng = new Engine({
            config: {
                "jdcloud:endpoint": url,
                "jdcloud:accessKey": "ak",
                "jdcloud:secretKey": "sk-sample",
                "jdcloud:region": "cn-north-1",
            },
            secretConfigKeys: ["jdcloud:secretKey"],
        });
        cleanups.push(
            () => server.stop(),
            () => eng.close(),
        );
        const program = () => {
            const r = new jdcloud.rds.RestoredInstance("db", {
                backupId: "bk-sample-01",
                engine: "MySQL",
                instanceSpec: {
                    instanceClass: "db.mysql.s1.micro",
                    instanceStorageGB: 20,
                    azId: ["cn-north-1a", "cn-north-1a"],
                    vpcId: "vpc-sample01",
                    subnetId: "subnet-sample01",
                    chargeSpec: {},
                },
            });
            return { status: r.instanceStatus };
        };
        server.inject({ action: "createInstanceFromBackup", kind: "failTask" });
        const first = await eng.up(program);
        assert.equal(first.errors.length, 1);
        assert.match(first.errors[0].message, /next `pulumi up` deletes it and restores again/);
        const second = await eng.up(program);
        assert.deepEqual(
            second.errors.map((e) => e.message),
            [],
        );
        assert.equal(second.steps[0].op, "replace");
        assert.deepEqual(
            svc.live().map((i) => [i.instanceId, i.instanceStatus]),
            [[String(eng.resource("db")!.id), "RUNNING"]],
        );
        assert.equal((await eng.up(program)).steps[0].op, "same");
        assert.deepEqual((await eng.destroy()).errors, []);
        assert.equal(svc.live().length, 0);
    });

    it("zstack: a lost CreateVmFromVmBackup answer, then refresh and up: one VM, kept (no replacement)", async () => {
        const svc = new ZStackService({
            timings: { createMs: 400, startMs: 200, destroyMs: 200, expungeMs: 200 },
            accounts: { admin: "sample-password" },
        });
        const server = new EmulatorServer(svc);
        const url = await server.start();
        const demo = svc.seed("demo", {}) as {
            backupGroupUuid: string;
            instanceOfferingUuid: string;
            l3NetworkUuid: string;
        };
        const eng = new Engine({
            config: {
                "zstack:endpoint": url,
                "zstack:accountName": "admin",
                "zstack:accountPassword": "sample-password",
            },
            secretConfigKeys: ["zstack:accountPassword"],
        });
        cleanups.push(
            () => server.stop(),
            () => eng.close(),
        );
        const program = () => {
            const vm = new zstack.VmFromBackup("vm", {
                backupGroupUuid: demo.backupGroupUuid,
                name: "vm",
                instanceOfferingUuid: demo.instanceOfferingUuid,
                l3NetworkUuids: [demo.l3NetworkUuid],
                defaultL3NetworkUuid: demo.l3NetworkUuid,
            });
            return { state: vm.state };
        };
        server.inject({ action: "CreateVmFromVmBackup", kind: "dropAfter" });
        const up = await eng.up(program);
        assert.deepEqual(
            up.errors.map((e) => e.message),
            [],
        );
        const id = String(eng.resource("vm")!.id);
        assert.deepEqual((await eng.refresh()).errors, []);
        const again = await eng.up(program);
        assert.deepEqual(
            again.errors.map((e) => e.message),
            [],
        );
        assert.equal(again.steps[0].op, "same", "a refresh must not make the next up replace the VM");
        assert.deepEqual(
            svc.liveVms().map((v) => v.uuid),
            [id],
        );
        assert.deepEqual((await eng.destroy()).errors, []);
        assert.equal(svc.allVms().length, 0);
    });
});
