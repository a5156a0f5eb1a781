import { strict as assert } from "assert";
import { alicloud } from "../../index";
import { RestoredInstance as RdsRestoredInstance } from "../../provider/jdcloud/rds";
import { VmFromBackup } from "../../provider/zstack";
import { Engine } from "../../harness/engine";
import { EmulatedStack, emulatedStack } from "../support/stack";

/**
 * Issue 13, item 6: a resource deleted out of band while its restore is being waited for used to be recorded as
 * "run `pulumi up` to keep waiting", and every later `up` failed the same way. Through the real dynamic-provider host:
 * the `up` that sees it go says what happened, and the following `up` restores again.
 */
describe("a resource deleted out of band during the wait converges (real dynamic-provider host)", function () {
    this.timeout(120_000);
    // One emulator and one engine (one host) for the three clouds: the host starts once.
    let stack: EmulatedStack;
    let eng: Engine;
    before(async () => {
        stack = await emulatedStack({
            only: ["alicloud", "jdcloud", "zstack"],
            starrocks: { restoreMs: 600, releaseMs: 100 },
            jdcloud: { buildMs: 2000, deleteMs: 100 },
            zstack: { createMs: 600, startMs: 100, destroyMs: 100, expungeMs: 100 },
        });
        eng = stack.engine();
    });
    afterEach(async () => {
        // Each test's program declares its own resource only: destroy it, so that nothing carries over.
        assert.deepEqual(messages(await eng.destroy()), []);
    });
    after(async () => {
        await stack?.close();
    });

    const messages = (r: { errors: Error[] }) => r.errors.map((e) => e.message);

    it("StarRocks: released while restoring; nothing is recorded, the next up restores again", async () => {
        const { server, service } = stack.emu.alicloud;
        service.seed("backup", { BackupTaskId: "bk-gone00001", RegionId: "cn-hangzhou" });
        const program = () =>
            void new alicloud.starrocks.RestoredInstance("gone-sr", {
                backupTaskId: "bk-gone00001",
                instanceName: "gone-sr",
                adminPassword: "Adm1n-Passw0rd!",
                timeouts: { create: "2m" },
            });
        let restored = false;
        server.onRequest = (action) => {
            if (action === "RestoreInstance") restored = true;
            else if (action === "DescribeInstances" && restored) {
                restored = false;
                service.releaseOutOfBand(service.live()[0].InstanceId);
            }
        };
        const first = await eng.up(program);
        server.onRequest = undefined;
        assert.match(
            messages(first).join("\n"),
            /released out of band.*Nothing is recorded in the stack; run `pulumi up` again to restore again/,
        );
        assert.equal(eng.resource("gone-sr"), undefined);
        const next = await eng.up(program);
        assert.deepEqual(messages(next), []);
        assert.equal(service.live().length, 1);
        assert.equal(eng.resource("gone-sr")!.id, service.live()[0].InstanceId);
        assert.equal(eng.resource("gone-sr")!.outputs.status, "running");
    });

    it("JD Cloud: deleted while a resumed wait runs; that up records it gone, the next up restores again (replace)", async () => {
        const { service } = stack.emu.jdcloud;
        service.seed("backup", { backupId: "bk-gone-0001", engine: "MySQL" });
        let create = "1s";
        const program = () =>
            void new RdsRestoredInstance("gone-rds", {
                backupId: "bk-gone-0001",
                engine: "MySQL",
                instanceSpec: {
                    instanceClass: "db.mysql.s1.micro",
                    instanceStorageGB: 20,
                    azId: ["cn-north-1a", "cn-north-1a"],
                    vpcId: "vpc-gone0001",
                    subnetId: "subnet-gone0001",
                    chargeSpec: {},
                },
                timeouts: { create, update: "2m" },
            });
        // The create times out while the instance builds: recorded, so that the next up keeps waiting for it.
        const timedOut = await eng.up(program);
        assert.match(messages(timedOut).join("\n"), /did not become RUNNING.*run `pulumi up` to keep waiting/);
        const firstId = eng.resource("gone-rds")!.id;
        service.deleteOutOfBand(firstId);
        create = "2m";
        const sawIt = await eng.up(program);
        assert.match(
            messages(sawIt).join("\n"),
            /no longer exists \(deleted out of band\).*the next `pulumi up` restores it again/,
        );
        const next = await eng.up(program);
        assert.deepEqual(messages(next), []);
        const live = service.live();
        assert.equal(live.length, 1);
        assert.notEqual(live[0].instanceId, firstId);
        assert.equal(eng.resource("gone-rds")!.id, live[0].instanceId);
        assert.equal(eng.resource("gone-rds")!.outputs.instanceStatus, "RUNNING");
    });

    it("ZStack: destroyed while being created; recorded as Destroyed, the next up replaces it", async () => {
        const { server, service } = stack.emu.zstack;
        const demo = service.seed("demo", {}) as {
            backupGroupUuid: string;
            instanceOfferingUuid: string;
            l3NetworkUuid: string;
        };
        const program = () =>
            void new VmFromBackup("gone-vm", {
                backupGroupUuid: demo.backupGroupUuid,
                name: "gone-vm",
                instanceOfferingUuid: demo.instanceOfferingUuid,
                l3NetworkUuids: [demo.l3NetworkUuid],
                defaultL3NetworkUuid: demo.l3NetworkUuid,
                timeouts: { create: "2m" },
            });
        let created = false;
        server.onRequest = (action) => {
            if (action === "CreateVmFromVmBackup") created = true;
            else if (action === "GetJob" && created) {
                created = false;
                service.destroyOutOfBand(String(service.allVms()[0].uuid));
            }
        };
        const first = await eng.up(program);
        server.onRequest = undefined;
        assert.match(messages(first).join("\n"), /destroyed out of band|no longer exists/);
        const next = await eng.up(program);
        assert.deepEqual(messages(next), []);
        const vms = service.allVms();
        assert.equal(vms.length, 1, `VMs: ${vms.map((v) => `${v.uuid} ${v.state}`).join(", ")}`);
        assert.equal(vms[0].state, "Running");
        assert.equal(eng.resource("gone-vm")!.id, vms[0].uuid);
    });
});
