import { strict as assert } from "assert";
import { RunningEmulator, startEmulator } from "../../emulator";
import { SECRET_SIG, SIG_KEY } from "../../plugin/secrets";
import { PluginError, PluginHost } from "../support/pluginHost";

const SOURCE = "c-prodsource000001";
const H = 3_600_000;
const secret = (value: string) => ({ [SIG_KEY]: SECRET_SIG, value });

/** The lookup functions through the provider plugin's gRPC Invoke, with the plugin's configuration (StarRocks). */
describe("provider plugin: getBackups / getLatestBackup over Invoke (StarRocks, emulator)", function () {
    this.timeout(120_000);
    let emu: RunningEmulator;
    let host: PluginHost;
    before(async () => {
        emu = await startEmulator({ only: ["alicloud"] });
        emu.alicloud.service.seed("backup", { BackupTaskId: "bk-good00001", InstanceId: SOURCE, ageMs: 5 * H });
        emu.alicloud.service.seed("backup", { BackupTaskId: "bk-running01", InstanceId: SOURCE, ageMs: 0, Status: "RUNNING" });
        host = await PluginHost.start();
        await host.configure({
            alicloud: {
                endpoint: emu.config["alicloud:endpoint"],
                region: emu.config["alicloud:region"],
                accessKey: emu.config["alicloud:accessKey"],
                secretKey: secret(emu.config["alicloud:secretKey"]),
            },
        });
    });
    after(async () => {
        await host?.stop();
        await emu?.stop();
    });

    it("answers with the plugin's settings; none found is an error naming what was searched, without the secret", async () => {
        const latest = await host.invoke("pulumi-restore:alicloud/starrocks:getLatestBackup", { instanceId: SOURCE });
        assert.equal(latest.outputs.backupId, "bk-good00001");
        assert.equal(latest.outputs.region, "cn-hangzhou");
        const all = await host.invoke("pulumi-restore:alicloud/starrocks:getBackups", { instanceId: SOURCE });
        assert.deepEqual((all.outputs.backups as { backupId: string }[]).map((b) => b.backupId), ["bk-running01", "bk-good00001"]);
        await assert.rejects(host.invoke("pulumi-restore:alicloud/starrocks:getBackups", { instanceId: "c-nobackups000001" }), (e: PluginError) => {
            assert.match(e.message, /found no backups of instance c-nobackups000001 in region cn-hangzhou/);
            assert.ok(!e.message.includes(emu.config["alicloud:secretKey"]));
            return true;
        });
        await assert.rejects(host.invoke("pulumi-restore:alicloud/starrocks:getNothing", {}), /is not a function of this provider/);
        assert.equal(emu.alicloud.server.count("RestoreInstance"), 0);
    });
});
