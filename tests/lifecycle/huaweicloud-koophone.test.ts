import { strict as assert } from "assert";
import { EmulatorServer } from "../../emulator/core/server";
import { KOOPHONE_EMULATOR_CREDENTIALS as CRED, KooPhoneService } from "../../emulator/huaweicloud/koophone";
import { Engine } from "../../harness/engine";
import { koophone } from "../../provider/huaweicloud";

const USER = "1008600000104285462";

function program(instanceIds: string[]) {
    return () => {
        const r = new koophone.InstanceBackup("parked", {
            instanceIds,
            userId: USER,
            timeouts: { create: "2m", update: "2m", delete: "2m" },
        });
        return { ids: r.instanceIds, instances: r.instances };
    };
}

function backupsOf(s: KooPhoneService): Record<string, number> {
    const out: Record<string, number> = {};
    for (const i of s.snapshot().instances as { instance_id: string; backups: number }[])
        out[i.instance_id] = i.backups;
    return out;
}

function scan(eng: Engine, secrets: string[]): void {
    const texts = [
        eng.serializedState(),
        ...eng.hosts.flatMap((h) => [...h.stdout, ...h.stderr]),
        ...eng.allErrors.map((e) => `${e.message} ${e.stack ?? ""}`),
    ];
    for (const secret of secrets)
        for (const t of texts) assert.ok(!t.includes(secret), `secret found in: ${t.slice(0, 200)}`);
}

describe("huaweicloud koophone InstanceBackup lifecycle (real dynamic-provider host)", function () {
    this.timeout(120_000);

    it("preview, up, no-op up, list change, refresh, destroy (IAM token auth)", async () => {
        const service = new KooPhoneService({ timings: { backupMs: 300, restoreMs: 300 } });
        for (const id of ["p1", "p2", "p3"]) service.seed("instance", { id });
        const server = new EmulatorServer(service);
        const url = await server.start();
        const eng = new Engine({
            config: {
                "huaweicloud:endpoint": url,
                "huaweicloud:authUrl": `${url}/v3`,
                "huaweicloud:region": "cn-south-1",
                "huaweicloud:userName": CRED.user.name,
                "huaweicloud:domainName": CRED.user.domain,
                "huaweicloud:password": CRED.user.password,
            },
            secretConfigKeys: ["huaweicloud:password"],
        });
        try {
            const pv = await eng.preview(program(["p1", "p2"]));
            assert.deepEqual(pv.errors, []);
            assert.equal(pv.steps[0]?.op, "create");
            assert.equal(server.count(), 0, "preview makes no API call");

            const up = await eng.up(program(["p1", "p2"]));
            assert.deepEqual(
                up.errors.map((e) => e.message),
                [],
            );
            const st = eng.resource("parked")!;
            assert.deepEqual(st.outputs.instanceIds, ["p1", "p2"]);
            assert.ok(
                (st.outputs.instances as { backupStatus: string; taskId?: string }[]).every(
                    (i) => i.backupStatus === "success" && i.taskId,
                ),
            );
            assert.equal(service.phaseOf("p1"), "backedUp");
            assert.equal(service.phaseOf("p2"), "backedUp");
            assert.equal(server.count("KeystoneCreateUserTokenByPassword"), 1);

            const before = server.count();
            const same = await eng.up(program(["p1", "p2"]));
            assert.deepEqual(same.errors, []);
            assert.deepEqual(
                same.steps.map((s) => s.op),
                ["same"],
            );
            assert.equal(
                server.count("BatchBackupInstances") + server.count("BatchPrepareInstances"),
                1,
                "no-op up calls nothing that changes instances",
            );
            assert.equal(server.count(), before);

            const change = await eng.up(program(["p2", "p3"]));
            assert.deepEqual(
                change.errors.map((e) => e.message),
                [],
            );
            assert.deepEqual(
                change.steps.map((s) => s.op),
                ["update"],
            );
            assert.equal(service.phaseOf("p1"), "running");
            assert.equal(service.phaseOf("p3"), "backedUp");
            assert.deepEqual(eng.resource("parked")!.outputs.instanceIds, ["p2", "p3"]);

            service.restoreOutOfBand("p3");
            const rf = await eng.refresh();
            assert.deepEqual(rf.errors, []);
            assert.deepEqual(eng.resource("parked")!.outputs.instanceIds, ["p2"]);

            const d = await eng.destroy();
            assert.deepEqual(
                d.errors.map((e) => e.message),
                [],
            );
            assert.equal(eng.resource("parked"), undefined);
            for (const id of ["p1", "p2", "p3"]) assert.equal(service.phaseOf(id), "running", id);
            assert.deepEqual(backupsOf(service), { p1: 1, p2: 1, p3: 1 });
            assert.ok(eng.hosts.some((h) => h.stdout.some((l) => /restored and running/.test(l))));
            scan(eng, [
                CRED.user.password,
                ...[...(service as unknown as { tokens: Map<string, unknown> }).tokens.keys()],
            ]);
        } finally {
            await eng.close();
            await server.stop();
        }
    });

    it("host killed mid-backup, then up again: no instance is backed up twice (AK/SK auth)", async () => {
        const service = new KooPhoneService({ timings: { backupMs: 1500, restoreMs: 300 } });
        const ids = ["k1", "k2", "k3"];
        for (const id of ids) service.seed("instance", { id });
        const server = new EmulatorServer(service);
        const url = await server.start();
        const eng = new Engine({
            config: {
                "huaweicloud:endpoint": url,
                "huaweicloud:accessKey": CRED.accessKey,
                "huaweicloud:secretKey": CRED.secretKey,
            },
            secretConfigKeys: ["huaweicloud:secretKey"],
        });
        let killed = false;
        server.onHandled = (action) => {
            if (action === "BatchBackupInstances" && !killed) {
                killed = true;
                eng.host?.kill();
            }
        };
        try {
            const first = await eng.up(program(ids));
            assert.ok(killed);
            assert.ok(first.errors.length > 0, "the interrupted up fails");
            assert.equal(eng.resource("parked"), undefined, "nothing recorded: the host died before answering");
            assert.equal(service.phaseOf("k1"), "backingUp");

            const second = await eng.up(program(ids));
            assert.deepEqual(
                second.errors.map((e) => e.message),
                [],
            );
            assert.deepEqual(eng.resource("parked")!.outputs.instanceIds, ids);
            assert.deepEqual(backupsOf(service), { k1: 1, k2: 1, k3: 1 });
            assert.equal(server.count("BatchBackupInstances"), 1);

            const d = await eng.destroy();
            assert.deepEqual(
                d.errors.map((e) => e.message),
                [],
            );
            for (const id of ids) assert.equal(service.phaseOf(id), "running");
            scan(eng, [CRED.secretKey]);
        } finally {
            await eng.close();
            await server.stop();
        }
    });

    it("the example program runs against the emulator", async () => {
        const service = new KooPhoneService({ timings: { backupMs: 200, restoreMs: 200 } });
        for (const id of ["iRJEVP9", "iRJEVQ1", "iRJEVQ2"]) service.seed("instance", { id });
        const server = new EmulatorServer(service);
        const url = await server.start();
        const eng = new Engine({
            config: {
                "huaweicloud:endpoint": url,
                "huaweicloud:accessKey": CRED.accessKey,
                "huaweicloud:secretKey": CRED.secretKey,
            },
            secretConfigKeys: ["huaweicloud:secretKey"],
        });
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- the example program, loaded when this test runs it
            const example = require("../../examples/huaweicloud-koophone/index") as () => Promise<unknown>;
            const up = await eng.up(example);
            assert.deepEqual(
                up.errors.map((e) => e.message),
                [],
            );
            assert.deepEqual((up.outputs as { parkedInstanceIds: string[] }).parkedInstanceIds, [
                "iRJEVP9",
                "iRJEVQ1",
                "iRJEVQ2",
            ]);
            const d = await eng.destroy();
            assert.deepEqual(
                d.errors.map((e) => e.message),
                [],
            );
            assert.equal(service.phaseOf("iRJEVP9"), "running");
        } finally {
            await eng.close();
            await server.stop();
        }
    });
});
