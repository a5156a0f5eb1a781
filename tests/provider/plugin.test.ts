import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { RunningEmulator, startEmulator } from "../../emulator";
import { restoreToken } from "../../provider/core/resource";
import { SECRET_SIG, SIG_KEY } from "../../plugin/secrets";
import { PLUGIN_DIR, PluginError, PluginHost } from "../support/pluginHost";

const secret = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });
const PASSWORD = "Plugin-Adm1n-Pa55word";
const TYPE = "pulumi-restore:alicloud/starrocks:RestoredInstance";
const urn = (name: string) => `urn:pulumi:plugtest::restore-project::${TYPE}::${name}`;

/**
 * The provider plugin process (plugin/, started as RunPlugin starts it) over gRPC, against the StarRocks emulator:
 * what the plugin adds to the shared provider objects (config, restore token, secrets, customTimeouts, import).
 */
describe("provider plugin over gRPC (StarRocks, emulator)", function () {
    this.timeout(120_000);
    let emu: RunningEmulator;
    let host: PluginHost;
    const live = () => emu.alicloud.service.live().filter((i) => i.InstanceStatus !== "deleting");

    before(async () => {
        emu = await startEmulator({ only: ["alicloud"], starrocks: { restoreMs: 2500, releaseMs: 200 } });
        emu.alicloud.service.seed("backup", { BackupTaskId: "bk-plugin00001", RegionId: "cn-hangzhou" });
        host = await PluginHost.start();
    });
    after(async () => {
        await host?.stop();
        await emu?.stop();
    });

    const config = () => ({
        alicloud: {
            endpoint: emu.config["alicloud:endpoint"],
            region: emu.config["alicloud:region"],
            accessKey: emu.config["alicloud:accessKey"],
            secretKey: secret(emu.config["alicloud:secretKey"]),
        },
    });

    it("answers GetPluginInfo with the package version and GetSchema with plugin/schema.json", async () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(PLUGIN_DIR, "..", "package.json"), "utf8")) as {
            version: string;
        };
        assert.equal((await host.pluginInfo()).version, pkg.version);
        assert.equal(await host.schema(), fs.readFileSync(path.join(PLUGIN_DIR, "schema.json"), "utf8"));
    });

    it("Configure: a misspelt setting fails naming the plugin's key; the cloud objects configure the providers", async () => {
        await assert.rejects(host.configure({ alicloud: { acessKey: "x" } }), (e: PluginError) => {
            assert.match(e.message, /pulumi-restore:alicloud\.acessKey is not a alicloud setting; allowed: accessKey/);
            return true;
        });
        await host.configure(config());
    });

    it("Check: the restore token comes from the URN, the password stays secret, failures name the property", async () => {
        const r = await host.check(
            urn("dr"),
            {},
            { backupTaskId: "bk-plugin00001", instanceName: "dr", adminPassword: secret(PASSWORD) },
        );
        assert.deepEqual(r.failures, []);
        assert.equal(r.inputs.restoreToken, restoreToken("restore-project", "plugtest", "dr"));
        assert.deepEqual(r.inputs.adminPassword, secret(PASSWORD));
        const bad = await host.check(urn("bad"), {}, { instanceName: "x", payType: "monthly" });
        assert.deepEqual(bad.failures.map((f) => f.property).sort(), ["backupTaskId", "payType"]);
        assert.match(bad.failures.find((f) => f.property === "payType")!.reason, /postPaid.*prePaid/);
    });

    it("Check: the plan says what create does and what delete loses; with a selector, the backup it would choose as of preview", async () => {
        const r = await host.check(
            urn("dr"),
            {},
            { backupTaskId: "bk-plugin00001", instanceName: "dr", adminPassword: secret(PASSWORD) },
        );
        assert.deepEqual(r.failures, []);
        assert.deepEqual(r.inputs.plan, {
            does: 'creates a new pay-as-you-go StarRocks instance "dr" in cn-hangzhou; overwrites nothing',
            backup: "backup task bk-plugin00001",
            onReplace: "restores a new instance, then releases the old one, erasing its data",
            onDelete: "releases the instance, erasing its data",
        });
        emu.alicloud.service.seed("backup", { BackupTaskId: "bk-plugsel0001", InstanceId: "c-pluginsource0001" });
        const restores = emu.alicloud.server.count("RestoreInstance");
        const sel = await host.check(urn("sel"), {}, { backupSelector: { instanceId: "c-pluginsource0001" } });
        assert.deepEqual(sel.failures, []);
        const plan = sel.inputs.plan as Record<string, string>;
        assert.equal(plan.backup, "the latest complete backup of instance c-pluginsource0001");
        assert.match(plan.asOfPreview, /^would choose backup bk-plugsel0001, taken at \S+; up chooses again/);
        assert.equal(emu.alicloud.server.count("RestoreInstance"), restores, "check restores nothing");
        // The plan never counts as a change (state without it: an upgrade).
        const { plan: _plan, ...old } = r.inputs;
        const d = await host.diff("c-x", urn("dr"), { ...old, regionId: "cn-hangzhou" }, r.inputs);
        assert.equal(d.changes, "none", JSON.stringify(d));
    });

    it("customTimeouts (the time-out in the Create request) cut a slower restore short: partial state kept, secrets wrapped, then update finishes", async () => {
        const declared = { create: "2h" };
        const { inputs } = await host.check(
            urn("slow"),
            {},
            {
                backupTaskId: "bk-plugin00001",
                instanceName: "slow",
                adminPassword: secret(PASSWORD),
                timeouts: declared,
            },
        );
        const restores = emu.alicloud.server.count("RestoreInstance");
        const started = Date.now();
        const err = await host.create(urn("slow"), inputs, 0.5).then(
            () => assert.fail("a 0.5 s customTimeouts limit did not cut a 2.5 s restore"),
            (e: PluginError) => e,
        );
        assert.ok(
            Date.now() - started < 2400,
            `the create took ${Date.now() - started} ms: the 0.5 s limit was not applied`,
        );
        assert.ok(err.initFailed, `not a partial-state error: ${err.message}`);
        const { id, properties } = err.initFailed!;
        assert.match(id, /^c-/);
        assert.ok(
            live().some((i) => i.InstanceId === id),
            "the instance the cloud created is not the one recorded",
        );
        assert.equal(emu.alicloud.server.count("RestoreInstance"), restores + 1);
        assert.deepEqual(
            properties.adminPassword,
            secret(PASSWORD),
            "the password in partial state is not marked secret",
        );
        assert.deepEqual(
            properties.timeouts,
            declared,
            "state must keep the declared timeouts, not the engine's limit",
        );
        assert.ok(!("__provider" in properties));
        assert.match(err.message, /did not become running/);

        const upd = await host.update(id, urn("slow"), properties, inputs);
        assert.equal(upd.properties.status, "running");
        assert.deepEqual(upd.properties.adminPassword, secret(PASSWORD));
        assert.equal(emu.alicloud.server.count("RestoreInstance"), restores + 1, "update restored again");

        // A password change replaces (both sides arrive wrapped: compared unwrapped).
        const changed = await host.check(urn("slow"), inputs, { ...inputs, adminPassword: secret(`${PASSWORD}-2`) });
        const d = await host.diff(id, urn("slow"), upd.properties, changed.inputs);
        assert.ok(d.replaces.includes("adminPassword"), JSON.stringify(d));
        const same = await host.diff(id, urn("slow"), upd.properties, inputs);
        assert.deepEqual(same.replaces, []);

        await host.delete(id, urn("slow"), upd.properties);
        assert.ok(!live().some((i) => i.InstanceId === id), "delete did not release the instance");
    });

    it("Read without old state (pulumi import) records the instance as adopted, with inputs that check accepts; refresh of a released instance gives an empty id", async () => {
        const seeded = emu.alicloud.service.seed("instance", {
            InstanceName: "legacy-dr",
            RegionId: "cn-hangzhou",
        }) as { InstanceId: string };
        const r = await host.read(seeded.InstanceId, urn("legacy"));
        assert.equal(r.id, seeded.InstanceId);
        assert.deepEqual(r.inputs, {
            adoptId: seeded.InstanceId,
            instanceName: "legacy-dr",
            payType: "postPaid",
            regionId: "cn-hangzhou",
        });
        assert.equal(r.properties.adopted, true);
        assert.equal(r.properties.status, "running");
        assert.equal(r.properties.restoreToken, restoreToken("restore-project", "plugtest", "legacy"));
        const checked = await host.check(urn("legacy"), r.inputs!, r.inputs!);
        assert.deepEqual(checked.failures, [], "the imported inputs fail check: the generated program would not run");
        const diff = await host.diff(seeded.InstanceId, urn("legacy"), r.properties, checked.inputs);
        assert.deepEqual(diff.replaces, [], "an imported instance would be replaced by the next up");

        await assert.rejects(host.read("c-doesnotexist0001", urn("ghost")), /does not exist.*nothing to import/);

        emu.alicloud.service.releaseOutOfBand(seeded.InstanceId);
        const gone = await host.read(seeded.InstanceId, urn("legacy"), r.properties, r.inputs);
        assert.equal(gone.id, "");
    });

    it("customTimeouts on delete (the time-out in the Delete request) bound the wait for the release", async () => {
        const seeded = emu.alicloud.service.seed("instance", {
            InstanceName: "short-delete",
            RegionId: "cn-hangzhou",
        }) as { InstanceId: string };
        const props = (await host.read(seeded.InstanceId, urn("short"))).properties;
        await assert.rejects(
            host.delete(seeded.InstanceId, urn("short"), { ...props, timeouts: { delete: "1h" } }, 0.05),
            /timed out/,
        );
        await host.delete(seeded.InstanceId, urn("short"), props);
        assert.ok(!live().some((i) => i.InstanceId === seeded.InstanceId));
    });

    it("a resource type the plugin does not serve is refused, naming the five it does", async () => {
        await assert.rejects(
            host.check("urn:pulumi:s::p::pulumi-restore:aws:Thing::x", {}, {}),
            /unknown resource type pulumi-restore:aws:Thing.*alicloud\/starrocks:RestoredInstance/,
        );
    });

    it("Invoke: getLatestBackup / getBackups answer with the plugin's settings; none found names what was searched", async () => {
        // The lookup functions (plugin/functions.ts), on this host and configuration: no second plugin start.
        const source = "c-prodsource000001";
        emu.alicloud.service.seed("backup", { BackupTaskId: "bk-good00001", InstanceId: source, ageMs: 5 * 3_600_000 });
        emu.alicloud.service.seed("backup", {
            BackupTaskId: "bk-running01",
            InstanceId: source,
            ageMs: 0,
            Status: "RUNNING",
        });
        const restores = emu.alicloud.server.count("RestoreInstance");
        const latest = await host.invoke("pulumi-restore:alicloud/starrocks:getLatestBackup", { instanceId: source });
        assert.equal(latest.outputs.backupId, "bk-good00001");
        assert.equal(latest.outputs.region, "cn-hangzhou");
        const all = await host.invoke("pulumi-restore:alicloud/starrocks:getBackups", { instanceId: source });
        assert.deepEqual(
            (all.outputs.backups as { backupId: string }[]).map((b) => b.backupId),
            ["bk-running01", "bk-good00001"],
        );
        await assert.rejects(
            host.invoke("pulumi-restore:alicloud/starrocks:getBackups", { instanceId: "c-nobackups000001" }),
            (e: PluginError) => {
                assert.match(e.message, /found no backups of instance c-nobackups000001 in region cn-hangzhou/);
                assert.ok(!e.message.includes(emu.config["alicloud:secretKey"]), "no secret in the error");
                return true;
            },
        );
        await assert.rejects(
            host.invoke("pulumi-restore:alicloud/starrocks:getNothing", {}),
            /is not a function of this provider/,
        );
        assert.equal(emu.alicloud.server.count("RestoreInstance"), restores, "lookups restore nothing");
    });
});
