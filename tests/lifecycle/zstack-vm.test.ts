import { strict as assert } from "assert";
import { EmulatorServer } from "../../emulator/core/server";
import { ZStackService } from "../../emulator/zstack/zstack";
import { hashPassword } from "../../provider/zstack/signer";
import { VmFromBackup } from "../../provider/zstack";
import { Engine } from "../../harness/engine";

const PASSWORD = "lifecycle-zstack-password";

describe("zstack VmFromBackup lifecycle through the dynamic-provider host", function () {
    this.timeout(120_000);
    let svc: ZStackService;
    let server: EmulatorServer;
    let url: string;
    let demo: { backupGroupUuid: string; instanceOfferingUuid: string; l3NetworkUuid: string };
    const engines: Engine[] = [];

    const engine = (extra: Record<string, string> = {}) => {
        const e = new Engine({
            config: {
                "zstack:endpoint": url,
                "zstack:accountName": "admin",
                "zstack:accountPassword": PASSWORD,
                "pulumi-restore-test:backupGroupUuid": demo.backupGroupUuid,
                "pulumi-restore-test:instanceOfferingUuid": demo.instanceOfferingUuid,
                "pulumi-restore-test:l3NetworkUuid": demo.l3NetworkUuid,
                ...extra,
            },
            secretConfigKeys: ["zstack:accountPassword"],
        });
        engines.push(e);
        return e;
    };
    const program =
        (name: string, vmName = "web-dr") =>
        () => {
            const vm = new VmFromBackup(name, {
                backupGroupUuid: demo.backupGroupUuid,
                name: vmName,
                instanceOfferingUuid: demo.instanceOfferingUuid,
                l3NetworkUuids: [demo.l3NetworkUuid],
                defaultL3NetworkUuid: demo.l3NetworkUuid,
                timeouts: { create: "2m" },
            });
            return { uuid: vm.uuid, state: vm.state, ips: vm.ips };
        };

    before(async () => {
        svc = new ZStackService({
            timings: { createMs: 400, startMs: 200, destroyMs: 200, expungeMs: 200 },
            accounts: { admin: PASSWORD },
            advertisedBase: "http://127.0.0.9:1/zstack",
        });
        server = new EmulatorServer(svc);
        url = await server.start();
        demo = svc.seed("demo", {}) as typeof demo;
    });

    after(async () => {
        for (const e of engines) await e.close();
        await server.stop();
    });

    it("preview calls no API; up creates; up again changes nothing; a rename replaces; refresh sees an out-of-band destroy; destroy expunges", async () => {
        const eng = engine();
        const before = server.count();
        const pv = await eng.preview(program("web"));
        assert.deepEqual(pv.errors, []);
        assert.deepEqual(
            pv.steps.map((s) => s.op),
            ["create"],
        );
        assert.equal(server.count(), before, "preview made no API call");

        const up = await eng.up(program("web"));
        assert.deepEqual(
            up.errors.map((e) => e.message),
            [],
        );
        const r = eng.resource("web")!;
        assert.equal(r.outputs.state, "Running");
        assert.equal(r.id, r.outputs.uuid);
        assert.deepEqual(r.outputs.ips, ["192.168.1.10"]);
        assert.equal(server.count("CreateVmFromVmBackup"), 1);
        assert.ok(
            eng.host!.stdout.some((l) => /\[pulumi-restore\] VmFromBackup "web": .*Running/.test(l)),
            "progress lines reach the engine",
        );

        const again = await eng.up(program("web"));
        assert.deepEqual(again.errors, []);
        assert.deepEqual(
            again.steps.map((s) => s.op),
            ["same"],
        );
        assert.equal(server.count("CreateVmFromVmBackup"), 1);

        const renamed = await eng.up(program("web", "web-dr-2"));
        assert.deepEqual(
            renamed.errors.map((e) => e.message),
            [],
        );
        assert.equal(renamed.steps[0].op, "replace");
        const live = svc.liveVms();
        assert.deepEqual(
            live.map((v) => v.name),
            ["web-dr-2"],
        );
        assert.notEqual(eng.resource("web")!.id, r.id);
        assert.equal(svc.allVms().length, 1, "the replaced VM was destroyed and expunged");

        const id2 = eng.resource("web")!.id;
        svc.destroyOutOfBand(id2);
        const ref = await eng.refresh();
        assert.deepEqual(ref.errors, []);
        assert.deepEqual(
            ref.steps.map((s) => s.op),
            ["refresh-delete"],
        );
        assert.equal(eng.resource("web"), undefined);

        const re = await eng.up(program("web", "web-dr-2"));
        assert.deepEqual(
            re.errors.map((e) => e.message),
            [],
        );
        const id3 = eng.resource("web")!.id;
        assert.notEqual(id3, id2, "the destroyed VM keeps its uuid; the new one takes the next derived uuid");
        const d = await eng.destroy();
        assert.deepEqual(d.errors, []);
        assert.equal(
            svc.allVms().find((v) => v.uuid === id3),
            undefined,
            "destroy expunged the VM",
        );
        assert.equal(svc.liveVms().length, 0);
    });

    it("after the host is killed once the create job was accepted, the next up ends with exactly one VM", async () => {
        const eng = engine();
        const creates = server.count("CreateVmFromVmBackup");
        const vmsBefore = svc.allVms().length;
        let killed = false;
        server.onHandled = (action) => {
            if (action === "CreateVmFromVmBackup" && !killed) {
                killed = true;
                eng.host!.kill();
            }
        };
        try {
            const first = await eng.up(program("crash", "crash-vm"));
            assert.ok(first.errors.length > 0, "the killed host fails the first up");
        } finally {
            server.onHandled = undefined;
        }
        const second = await eng.up(program("crash", "crash-vm"));
        assert.deepEqual(
            second.errors.map((e) => e.message),
            [],
        );
        assert.equal(server.count("CreateVmFromVmBackup") - creates, 1, "CreateVmFromVmBackup was called once");
        const mine = svc.allVms().filter((v) => v.name === "crash-vm");
        assert.equal(mine.length, 1);
        assert.equal(svc.allVms().length, vmsBefore + 1);
        assert.equal(eng.resource("crash")!.outputs.adopted, true);
        assert.equal(eng.resource("crash")!.outputs.state, "Running");
        await eng.destroy();
        assert.equal(svc.allVms().filter((v) => v.name === "crash-vm").length, 0);
    });

    it("runs the example program and keeps credentials and sessions out of state, logs and errors", async () => {
        const eng = engine();
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the example program, loaded when this test runs it
        const example = require("../../examples/zstack/index") as () => Promise<unknown>;
        const up = await eng.up(example);
        assert.deepEqual(
            up.errors.map((e) => e.message),
            [],
        );
        assert.equal(eng.resource("web-dr")!.outputs.state, "Running");
        // A failing call too: an unknown backup group.
        const bad = await eng.up(
            () =>
                new VmFromBackup("bad", {
                    backupGroupUuid: "e".repeat(32),
                    name: "bad",
                    instanceOfferingUuid: demo.instanceOfferingUuid,
                }),
        );
        assert.ok(bad.errors.length > 0);
        const sessions = [...svc.sessions.keys()];
        assert.ok(sessions.length > 0);
        await eng.destroy();
        const text = [
            eng.serializedState(),
            ...eng.hosts.flatMap((h) => [...h.stdout, ...h.stderr]),
            ...eng.allErrors.map((e) => e.message),
        ].join("\n");
        for (const s of [PASSWORD, hashPassword(PASSWORD), ...sessions])
            assert.ok(!text.includes(s), `leaked ${s.slice(0, 6)}...`);
        // The unknown group is refused before CreateVmFromVmBackup (QueryVolumeBackup finds nothing).
        assert.ok(/no volume backups of backup group e{32}/.test(text), "the scanned text includes the error");
    });
});
