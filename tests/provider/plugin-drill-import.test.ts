import { strict as assert } from "assert";
import { RunningEmulator, startEmulator } from "../../emulator";
import { drillToken } from "../../provider/core/drill";
import { restoreToken } from "../../provider/core/resource";
import { RedisRestoreProvider } from "../../provider/tencentcloud/redisProvider";
import { keyName } from "../../plugin/config";
import { SECRET_SIG, SIG_KEY } from "../../plugin/secrets";
import { PluginError, PluginHost } from "../support/pluginHost";

type Props = Record<string, unknown>;
const secret = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });
const PROJECT = "drill-import";
const STACK = "plug";
const urn = (token: string, name: string) => `urn:pulumi:${STACK}::${PROJECT}::pulumi-restore:${token}::${name}`;
const PASSWORD = "Drill-Adm1n-Pa55word-0917";
const USER_ID = "1008600000104285462";

/**
 * The provider plugin process over gRPC, against the emulator: a restore drill served by the plugin (its own token,
 * the password wrapped, the report as outputs), and `pulumi import` (Read without old state) of the five resources
 * whose import id carries what their cloud does not report: the state read, inputs that check accepts, a diff with
 * no change, and a malformed id refused naming the format without calling the cloud.
 */
describe("provider plugin over gRPC: restore drills and pulumi import of every resource (emulator)", function () {
    this.timeout(120_000);
    let emu: RunningEmulator;
    let host: PluginHost;

    before(async () => {
        emu = await startEmulator({
            starrocks: { restoreMs: 300, releaseMs: 100 },
            jdcloud: { buildMs: 300, deleteMs: 100 },
            zstack: { createMs: 300, startMs: 100, destroyMs: 100, expungeMs: 100 },
            tencentcloud: { prepareMs: 50, runMs: 100, cloneMs: 300, destroyMs: 100, cleanUpMs: 100 },
        });
        host = await PluginHost.start();
        // The plugin's configuration: one object per cloud, secrets wrapped as the engine sends them.
        const args: Record<string, Props> = {};
        for (const [k, v] of Object.entries(emu.config)) {
            const cloud = k.split(":")[0];
            args[cloud] = { ...args[cloud], [keyName(k)]: emu.secretConfigKeys.includes(k) ? secret(v) : v };
        }
        await host.configure(args);
    });
    after(async () => {
        await host?.stop();
        await emu?.stop();
    });

    /** Imports `id`, checks the inputs returned and diffs them against the state: the next up changes nothing. */
    async function imported(token: string, name: string, id: string) {
        const r = await host.read(id, urn(token, name));
        assert.ok(r.inputs, "no inputs: the engine would refuse the import");
        const checked = await host.check(urn(token, name), r.inputs, r.inputs);
        assert.deepEqual(checked.failures, [], "the imported inputs fail check: the generated program would not run");
        const diff = await host.diff(r.id, urn(token, name), r.properties, checked.inputs);
        assert.equal(diff.changes, "none", `the next up would change the imported resource: ${JSON.stringify(diff)}`);
        return r;
    }

    /** A malformed import id: refused with the format, before any call to the cloud. */
    async function refused(token: string, id: string, format: RegExp, server: { count(a?: string): number }) {
        const calls = server.count();
        await assert.rejects(host.read(id, urn(token, "bad")), (e: PluginError) => {
            assert.match(e.message, /cannot import .*: the import id .* The import id is /);
            assert.match(e.message, format);
            return true;
        });
        assert.equal(server.count(), calls, "a malformed import id reached the cloud");
    }

    it("alicloud.starrocks.RestoreDrill through the plugin: the drill's own token, the password wrapped in and out, the report as outputs, no scratch instance left", async () => {
        emu.alicloud.service.seed("backup", { BackupTaskId: "bk-plugdrill01", RegionId: "cn-hangzhou" });
        const u = urn("alicloud/starrocks:RestoreDrill", "monthly");
        const c = await host.check(u, {}, { backupTaskId: "bk-plugdrill01", adminPassword: secret(PASSWORD) });
        assert.deepEqual(c.failures, []);
        assert.equal(c.inputs.restoreToken, drillToken(PROJECT, STACK, "monthly"));
        assert.notEqual(c.inputs.restoreToken, restoreToken(PROJECT, STACK, "monthly"));
        assert.deepEqual(c.inputs.adminPassword, secret(PASSWORD));
        const made = await host.create(u, c.inputs);
        const report = made.properties.report as { result: string; backupId: string; scratchDeleted: boolean };
        assert.equal(made.properties.passed, true, JSON.stringify(report));
        assert.equal(report.result, "passed");
        assert.equal(report.backupId, "bk-plugdrill01");
        assert.equal(report.scratchDeleted, true);
        assert.deepEqual(made.properties.adminPassword, secret(PASSWORD), "the password is not wrapped in outputs");
        assert.ok(!JSON.stringify(report).includes(PASSWORD));
        assert.equal(emu.alicloud.server.count("RestoreInstance"), 1);
        assert.deepEqual(
            emu.alicloud.service
                .live()
                .filter((i) => i.InstanceStatus !== "deleting" && i.InstanceStatus !== "deleted"),
            [],
        );
        // Refresh never runs it again; a drill cannot be imported (nothing of it is left in the cloud).
        const read = await host.read(made.id, u, made.properties, c.inputs);
        assert.equal(read.id, made.id);
        await assert.rejects(host.read("x", urn("zstack:RestoreDrill", "imp")), /cannot be imported: a restore drill/);
    });

    it("tencentcloud.redis.RestoreDrill through the plugin: the drill's own token, the password wrapped in and out, the report as outputs, the scratch clone released, the source untouched", async () => {
        const svc = emu.tencentcloud.service;
        svc.serveTcp = true;
        svc.seed("instance", { InstanceId: "crs-plugdr01", Password: "Source-Passw0rd-1" });
        svc.seed("backup", { InstanceId: "crs-plugdr01", BackupId: "plugdrill-backup-01" });
        const u = urn("tencentcloud/redis:RestoreDrill", "redis-monthly");
        const news = {
            sourceInstanceId: "crs-plugdr01",
            backupId: "plugdrill-backup-01",
            zoneId: 100003,
            securityGroupIds: ["sg-plugdr01"],
            password: secret(PASSWORD),
        };
        const c = await host.check(u, {}, news);
        assert.deepEqual(c.failures, []);
        assert.equal(c.inputs.restoreToken, drillToken(PROJECT, STACK, "redis-monthly"));
        assert.deepEqual(c.inputs.password, secret(PASSWORD));
        // What a drill refuses, the plugin refuses at check too (naming the property).
        const bad = await host.check(u, {}, { ...news, billingMode: "prepaid", period: 1 });
        assert.match(JSON.stringify(bad.failures), /billingMode.*postpaid/);
        const clones = svc.clonesMade;
        const made = await host.create(u, c.inputs);
        const report = made.properties.report as { result: string; backupId: string; scratchDeleted: boolean };
        assert.equal(made.properties.passed, true, JSON.stringify(report));
        assert.equal(report.result, "passed");
        assert.equal(report.backupId, "plugdrill-backup-01");
        assert.equal(report.scratchDeleted, true);
        assert.deepEqual(made.properties.password, secret(PASSWORD), "the password is not wrapped in outputs");
        assert.ok(!JSON.stringify(made.properties.report).includes(PASSWORD));
        assert.equal(svc.clonesMade, clones + 1);
        assert.equal(emu.tencentcloud.server.count("RestoreInstance"), 0, "the drill overwrote an instance");
        const token = drillToken(PROJECT, STACK, "redis-monthly");
        const left = svc.live().filter((i) => i.Tags.some((t) => t.TagValue === token));
        assert.deepEqual(left, [], "a scratch instance is left");
        assert.ok(
            svc.live().some((i) => i.InstanceId === "crs-plugdr01"),
            "the source is gone",
        );
        // Refresh never runs it again; a drill cannot be imported.
        const read = await host.read(made.id, u, made.properties, c.inputs);
        assert.equal(read.id, made.id);
        assert.equal(svc.clonesMade, clones + 1);
        await assert.rejects(host.read("x", urn("tencentcloud/redis:RestoreDrill", "imp")), /cannot be imported/);
        svc.serveTcp = false;
    });

    it("tencentcloud.redis.RestoredInstance: <instanceId>:<sourceInstanceId>:<securityGroupIds>[:<backupId>] records the clone as adopted; a bad part names the format; another resource's clone is refused", async () => {
        const svc = emu.tencentcloud.service;
        svc.seed("instance", { InstanceId: "crs-plugsrc1", Password: "Source-Passw0rd-1" });
        svc.seed("backup", { InstanceId: "crs-plugsrc1", BackupId: "plugclone-backup-01" });
        // A clone made outside this stack (an instance the console made from that backup).
        svc.seed("instance", { InstanceId: "crs-plugcln1", InstanceName: "orders-copy", Password: "Clone-Passw0rd-1" });
        const token = "tencentcloud/redis:RestoredInstance";
        const clones = svc.clonesMade;
        const r = await imported(
            token,
            "copy",
            "crs-plugcln1:crs-plugsrc1:sg-plugim01,sg-plugim02:plugclone-backup-01",
        );
        assert.equal(r.id, "crs-plugcln1");
        assert.deepEqual(r.inputs, {
            adoptId: "crs-plugcln1",
            sourceInstanceId: "crs-plugsrc1",
            backupId: "plugclone-backup-01",
            zoneId: 100003,
            billingMode: "postpaid",
            securityGroupIds: ["sg-plugim01", "sg-plugim02"],
            instanceName: "orders-copy",
        });
        assert.equal(r.properties.adopted, true);
        assert.equal(r.properties.instanceStatus, "running");
        assert.equal(r.properties.selectedBackupId, "plugclone-backup-01");
        assert.ok(r.properties.selectedBackupTime, "the backup's time is recorded");
        // Without the backup: recorded as adopted all the same.
        const alone = await imported(token, "copy2", "crs-plugcln1:crs-plugsrc1:sg-plugim01");
        assert.equal(alone.inputs?.backupId, undefined);
        assert.equal(svc.clonesMade, clones, "the import cloned");
        const fmt = /<instanceId>:<sourceInstanceId>:<securityGroupId>\[,<securityGroupId>\.\.\.\]\[:<backupId>\]/;
        await refused(token, "crs-plugcln1", fmt, emu.tencentcloud.server);
        await refused(token, "crs-plugcln1:crs-plugsrc1:sg-1", /securityGroupIds "sg-1"/, emu.tencentcloud.server);
        await refused(
            token,
            "crs-plugcln1:crs-plugcln1:sg-plugim01",
            /names the instance twice/,
            emu.tencentcloud.server,
        );
        await assert.rejects(
            host.read("crs-plugcln1:crs-plugsrc1:sg-plugim01:no-such-backup", urn(token, "c3")),
            /backup no-such-backup is not among the backups of instance crs-plugsrc1/,
        );
        const tags = [{ TagKey: "pulumi-restore-token", TagValue: restoreToken("p", "s", "someone-else") }];
        svc.seed("instance", { InstanceId: "crs-plugthr1", InstanceName: "theirs", Tags: tags });
        await assert.rejects(
            host.read("crs-plugthr1:crs-plugsrc1:sg-plugim01", urn(token, "theirs")),
            /another pulumi-restore resource made it/,
        );
        svc.seed("instance", { InstanceId: "crs-plugpre1", BillingMode: 1 });
        await assert.rejects(host.read("crs-plugpre1:crs-plugsrc1:sg-plugim01", urn(token, "pre")), /is prepaid/);
        // The stack holds it: destroy releases it.
        await host.delete(r.id, urn(token, "copy"), r.properties);
        assert.ok(!svc.live().some((i) => i.InstanceId === "crs-plugcln1"), "destroy did not release the clone");
    });

    it("tencentcloud.redis.InstanceRestore: <instanceId>:<taskId>:<backupId> records a finished restore under its own id; a bad part names the format", async () => {
        const svc = emu.tencentcloud.service;
        svc.seed("instance", { InstanceId: "crs-plugim01" });
        svc.seed("backup", { InstanceId: "crs-plugim01", BackupId: "plugimport-backup-01" });
        // A restore made outside this stack (here by the provider directly, as another tool would).
        const config = Object.fromEntries(Object.entries(emu.config).filter(([k]) => k.startsWith("tencentcloud:")));
        const other = new RedisRestoreProvider({}, config);
        const token = restoreToken("other", "stack", "console");
        await other.create({ instanceId: "crs-plugim01", backupId: "plugimport-backup-01", restoreToken: token });
        const task = svc.restoreTasks("crs-plugim01")[0].TaskId;
        const r = await imported(
            "tencentcloud/redis:InstanceRestore",
            "redis",
            `crs-plugim01:${task}:plugimport-backup-01`,
        );
        assert.equal(r.id, `crs-plugim01:${task}`);
        assert.deepEqual(r.inputs, { instanceId: "crs-plugim01", backupId: "plugimport-backup-01" });
        assert.equal(r.properties.status, "succeed");
        assert.equal(r.properties.taskId, task);
        assert.equal(svc.restoreTasks("crs-plugim01").length, 1, "the import restored");
        const fmt = /<instanceId>:<taskId>:<backupId>/;
        await refused("tencentcloud/redis:InstanceRestore", "crs-plugim01", fmt, emu.tencentcloud.server);
        await refused("tencentcloud/redis:InstanceRestore", `crs-plugim01:x:b`, /taskId "x"/, emu.tencentcloud.server);
        await assert.rejects(
            host.read(`crs-plugim01:${task}:no-such-backup`, urn("tencentcloud/redis:InstanceRestore", "r2")),
            /backup no-such-backup is not among the backups of instance crs-plugim01/,
        );
    });

    it("zstack.VmFromBackup: <vmUuid>[:<backupGroupUuid>] records the VM as adopted with the inputs its inventory reports", async () => {
        const svc = emu.zstack.service;
        const demo = svc.seed("demo", {}) as { backupGroupUuid: string; l3NetworkUuid: string };
        const vm = svc.seed("vm", { name: "legacy-vm", l3NetworkUuid: demo.l3NetworkUuid }) as { uuid: string };
        const r = await imported("zstack:VmFromBackup", "vm", `${vm.uuid}:${demo.backupGroupUuid}`);
        assert.equal(r.id, vm.uuid);
        assert.equal(r.inputs?.adoptId, vm.uuid);
        assert.equal(r.inputs?.backupGroupUuid, demo.backupGroupUuid);
        assert.equal(r.inputs?.name, "legacy-vm");
        assert.equal(r.properties.adopted, true);
        assert.equal(r.properties.state, "Running");
        const alone = await imported("zstack:VmFromBackup", "vm2", vm.uuid);
        assert.equal(alone.inputs?.backupGroupUuid, undefined);
        await refused("zstack:VmFromBackup", `${vm.uuid}:nothex`, /<vmUuid>\[:<backupGroupUuid>\]/, emu.zstack.server);
    });

    it("jdcloud.rds.RestoredInstance: <instanceId>[:<backupId>] records the instance as adopted; one tagged by another resource is refused", async () => {
        const svc = emu.jdcloud.service;
        const inst = svc.seed("instance", { instanceName: "legacy-orders" }) as { instanceId: string };
        const r = await imported("jdcloud/rds:RestoredInstance", "orders", `${inst.instanceId}:bk-legacy-0001`);
        assert.equal(r.id, inst.instanceId);
        assert.equal(r.inputs?.adoptId, inst.instanceId);
        assert.equal(r.inputs?.backupId, "bk-legacy-0001");
        assert.equal((r.inputs?.instanceSpec as Props).instanceName, "legacy-orders");
        assert.equal(r.properties.adopted, true);
        const tags = [{ key: "pulumi-restore-token", value: restoreToken("p", "s", "someone-else") }];
        const theirs = svc.seed("instance", { instanceName: "theirs", tags }) as { instanceId: string };
        await assert.rejects(
            host.read(theirs.instanceId, urn("jdcloud/rds:RestoredInstance", "theirs")),
            /another pulumi-restore resource made it/,
        );
        await refused("jdcloud/rds:RestoredInstance", "i:j:k", /<instanceId>\[:<backupId>\]/, emu.jdcloud.server);
    });

    it("huaweicloud.koophone.InstanceBackup: <userId>:<instanceId>,... records parked phones as this resource's; phones not parked are refused", async () => {
        const svc = emu.huaweicloud.service;
        for (const id of ["imp1", "imp2"]) svc.seed("instance", { id, phase: "backedUp" });
        svc.seed("instance", { id: "imp3" });
        const token = "huaweicloud/koophone:InstanceBackup";
        const r = await imported(token, "phones", `${USER_ID}:imp1,imp2`);
        assert.equal(r.id, restoreToken(PROJECT, STACK, "phones"));
        assert.deepEqual(r.inputs, { instanceIds: ["imp1", "imp2"], userId: USER_ID });
        const recs = r.properties.instances as { instanceId: string; backupStatus: string; backupTime?: string }[];
        assert.deepEqual(
            recs.map((x) => [x.instanceId, x.backupStatus, !!x.backupTime]),
            [
                ["imp1", "success", true],
                ["imp2", "success", true],
            ],
        );
        await assert.rejects(
            host.read(`${USER_ID}:imp1,imp3`, urn(token, "p2")),
            /only phones that are backed up can be imported: imp3 \(running on hardware\)/,
        );
        const fmt = /<userId>:<instanceId>\[,<instanceId>\.\.\.\]/;
        await refused(token, "imp1,imp2", fmt, emu.huaweicloud.server);
        await refused(token, `${USER_ID}:imp1,imp1`, /lists instance imp1 twice/, emu.huaweicloud.server);
        // The stack holds them: destroy brings them back to the user.
        await host.delete(r.id, urn(token, "phones"), r.properties);
        assert.deepEqual([svc.phaseOf("imp1"), svc.phaseOf("imp2")], ["running", "running"]);
    });
});
