import { strict as assert } from "assert";
import { RunningEmulator, seedExamples, startEmulator } from "../../emulator";
import { alicloud, huaweicloud, jdcloud, tencentcloud, zstack } from "../../index";
import { TypedProvider, WireProps } from "../../provider/core/resource";
import { checkEnvironmentSettings, withEnvironmentCheck } from "../../provider/core/settings";
import { Engine } from "../../harness/engine";

const BAD = /PULUMI_RESTORE_POLL_MIN_MS must be a number of milliseconds > 0, such as 250 \(got "fast"\)/;

describe("environment settings are checked before any API call", function () {
    this.timeout(120_000);

    it("checkEnvironmentSettings names the variable and what is allowed; unset and empty mean the default", () => {
        assert.doesNotThrow(() => checkEnvironmentSettings({}));
        assert.doesNotThrow(() => checkEnvironmentSettings({ PULUMI_RESTORE_POLL_MIN_MS: "" }));
        assert.doesNotThrow(() => checkEnvironmentSettings({ PULUMI_RESTORE_POLL_MIN_MS: "250" }));
        for (const bad of ["fast", "0", "-5", "1e999", "250ms"]) {
            const named = /PULUMI_RESTORE_POLL_MIN_MS must be a number/;
            assert.throws(() => checkEnvironmentSettings({ PULUMI_RESTORE_POLL_MIN_MS: bad }), named, bad);
        }
    });

    it("the provider the host calls refuses check, create, update, delete and read before reaching them", async () => {
        const reached: string[] = [];
        const fake = new Proxy({} as TypedProvider<WireProps, WireProps>, {
            get: (_t, name: string) => async () => {
                reached.push(name);
                return {};
            },
        });
        const p = withEnvironmentCheck(fake, { PULUMI_RESTORE_POLL_MIN_MS: "fast" });
        await assert.rejects(p.check({}, {}), BAD);
        await assert.rejects(p.create({}), BAD);
        await assert.rejects(p.update("id", {}, {}), BAD);
        await assert.rejects(p.delete("id", {}), BAD);
        await assert.rejects(p.read("id", {}), BAD);
        assert.deepEqual(reached, []);
        await p.diff("id", {}, {});
        await p.configure({ config: { get: () => undefined } });
        assert.deepEqual(reached, ["diff", "configure"], "calls that reach no cloud are not held up");
        const ok = withEnvironmentCheck(fake, { PULUMI_RESTORE_POLL_MIN_MS: "250" });
        await ok.create({});
        assert.equal(reached.at(-1), "create");
    });

    describe("through the real dynamic-provider host, with PULUMI_RESTORE_POLL_MIN_MS=fast in its environment", () => {
        let emu: RunningEmulator;
        let eng: Engine;
        let seeds: ReturnType<typeof seedExamples>;
        before(async () => {
            emu = await startEmulator({});
            seeds = seedExamples(emu);
        });
        after(async () => {
            await eng?.close();
            await emu?.stop();
        });
        const calls = () => emu.servers.reduce((n, s) => n + s.count(), 0);

        it("preview of one resource of each class fails at check, naming the setting, and calls no API", async () => {
            eng = new Engine({ config: { ...emu.config }, env: { PULUMI_RESTORE_POLL_MIN_MS: "fast" } });
            const z = seeds.zstack!;
            const pv = await eng.preview(() => {
                new alicloud.starrocks.RestoredInstance("sr", { backupTaskId: "bk-quickstart01" });
                new tencentcloud.redis.InstanceRestore("redis", {
                    instanceId: "crs-quick001",
                    backupId: "quickstart-backup-01",
                });
                new zstack.VmFromBackup("vm", {
                    backupGroupUuid: z.backupGroupUuid,
                    name: "vm",
                    instanceOfferingUuid: z.instanceOfferingUuid,
                    l3NetworkUuids: [z.l3NetworkUuid],
                });
                new jdcloud.rds.RestoredInstance("rds", {
                    backupId: "bk-orders-nightly",
                    engine: "MySQL",
                    instanceSpec: {
                        instanceClass: "db.mysql.s1.micro",
                        instanceStorageGB: 20,
                        azId: ["cn-north-1a", "cn-north-1a"],
                        vpcId: "vpc-orders0001",
                        subnetId: "subnet-orders0001",
                        chargeSpec: { chargeMode: "postpaid_by_duration" },
                    },
                });
                new huaweicloud.koophone.InstanceBackup("phones", {
                    instanceIds: ["iRJEVP9"],
                    userId: "1008600000104285462",
                });
            });
            const messages = pv.errors.map((e) => e.message);
            assert.equal(messages.filter((m) => BAD.test(m)).length, 5, messages.join("\n"));
            assert.equal(calls(), 0, "no API call");
        });

        it("up fails before RestoreInstance is called, and nothing is created", async () => {
            const sr = () => new alicloud.starrocks.RestoredInstance("sr", { backupTaskId: "bk-quickstart01" });
            const up = await eng.up(sr);
            assert.ok(
                up.errors.some((e) => BAD.test(e.message)),
                up.errors.map((e) => e.message).join("\n"),
            );
            assert.equal(emu.alicloud.server.count("RestoreInstance"), 0);
            assert.equal(emu.alicloud.service.live().length, 0);
            assert.equal(calls(), 0, "no API call at all");
        });
    });
});
