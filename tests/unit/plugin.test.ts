import { strict as assert } from "assert";
import { redact } from "../../provider/core/redact";
import { restoreToken } from "../../provider/core/resource";
import { UNKNOWN } from "../../provider/core/validate";
import { RestorePlugin, parseUrn } from "../../plugin/adapter";
import { pluginConfigSource, pluginKey } from "../../plugin/config";
import { OUTPUT_SIG, SECRET_SIG, SIG_KEY, toWire, unwrap, unwrapProps, wrapSecret } from "../../plugin/secrets";
import { configureArgs, engineAddress } from "../../plugin/serve";

const secret = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });

describe("provider plugin: the pieces that translate between the engine and the providers", () => {
    describe("secrets on the wire", () => {
        it("unwraps secrets and output values deeply and names the top-level properties that held one", () => {
            const u = unwrapProps({
                adminPassword: secret("pw-123456"),
                tags: { team: "data", owner: secret("alice") },
                vSwitches: [
                    { zoneId: "cn-hangzhou-i", vswId: { [SIG_KEY]: OUTPUT_SIG, value: "vsw-abcd1234", secret: true } },
                ],
                vpcId: { [SIG_KEY]: OUTPUT_SIG },
                instanceName: "plain",
            });
            assert.deepEqual(u.props, {
                adminPassword: "pw-123456",
                tags: { team: "data", owner: "alice" },
                vSwitches: [{ zoneId: "cn-hangzhou-i", vswId: "vsw-abcd1234" }],
                vpcId: UNKNOWN,
                instanceName: "plain",
            });
            assert.deepEqual([...u.secret].sort(), ["adminPassword", "tags", "vSwitches"]);
        });

        it("wraps the named properties once, drops undefined values deeply, keeps the rest as they are", () => {
            const w = toWire(
                { adminPassword: "pw", tags: { a: "1", b: undefined }, orderId: undefined, list: [1, undefined] },
                ["adminPassword", "absent"],
            );
            assert.deepEqual(w, { adminPassword: secret("pw"), tags: { a: "1" }, list: [1, null] });
            assert.deepEqual(wrapSecret(wrapSecret("x")), secret("x"));
            assert.deepEqual(unwrap(w).value, { adminPassword: "pw", tags: { a: "1" }, list: [1, null] });
        });
        it("a value that arrived secret is never quoted back, whichever property holds it (Check failures)", async () => {
            const p = new RestorePlugin({ version: "0.0.0", schema: () => "{}" });
            await p.configure({});
            const urn = "urn:pulumi:dev::proj::pulumi-restore:alicloud/starrocks:RestoredInstance::x";
            const name = "Arrived Secret\u0007Name-4711";
            const vpc = "vsw-arrivedsecret4711";
            const r = await p.check(
                urn,
                {},
                {
                    backupTaskId: "bk-adskj23hd9s",
                    adminPassword: secret("Adm1n-Passw0rd!"),
                    instanceName: secret(name),
                    vpcId: { [SIG_KEY]: OUTPUT_SIG, value: vpc, secret: true },
                },
            );
            const reasons = (r.failures ?? []).map((f) => `${f.property}: ${f.reason}`).join("\n");
            assert.match(reasons, /instanceName/);
            assert.match(reasons, /vpcId/);
            assert.ok(!reasons.includes(name) && !reasons.includes(vpc), reasons);
        });
    });

    it("Create and Update check their inputs again: what Check never saw cannot reach the cloud", async () => {
        const p = new RestorePlugin({ version: "0.0.0", schema: () => "{}" });
        // An endpoint nothing listens on: a request that left would fail with a connection error, not a check.
        await p.configure({
            alicloud: JSON.stringify({
                endpoint: "http://127.0.0.1:9",
                region: "cn-hangzhou",
                accessKey: "AK",
                secretKey: "SK-plugin-0001",
            }),
        });
        const urn = "urn:pulumi:dev::proj::pulumi-restore:alicloud/starrocks:RestoredInstance::x";
        const base = { backupTaskId: "bk-adskj23hd9s", adminPassword: secret("Adm1n-Passw0rd!") };
        await assert.rejects(p.create(urn, { ...base, backupTaskId: "b".repeat(1 << 20) }), (e: Error) => {
            assert.match(
                e.message,
                /Create of pulumi-restore:alicloud\/starrocks:RestoredInstance refused.*backupTaskId/,
            );
            assert.ok(e.message.length < 2000, "the 1 MB id is not quoted whole");
            return true;
        });
        await assert.rejects(p.create(urn, { ...base, instanceName: "dr\u202ecopy" }), /refused.*instanceName/);
        const olds = { ...base, restoreToken: "prt-0123456789abcdef0123" };
        await assert.rejects(
            p.update("c-1", urn, olds, { ...base, instanceName: "dr\u202ecopy" }),
            /Update .* refused.*instanceName/,
        );
    });

    describe("restore token", () => {
        it("from the URN's stack, project and name: the token a dynamic resource of that name gets", () => {
            const urn = "urn:pulumi:prod::analytics::pulumi-restore:alicloud/starrocks:RestoredInstance::dr::copy";
            const u = parseUrn(urn);
            assert.deepEqual(u, {
                stack: "prod",
                project: "analytics",
                type: "pulumi-restore:alicloud/starrocks:RestoredInstance",
                name: "dr::copy",
            });
            assert.equal(restoreToken(u.project, u.stack, u.name), restoreToken("analytics", "prod", "dr::copy"));
            const child = parseUrn("urn:pulumi:s::p::my:index:Component$pulumi-restore:zstack:VmFromBackup::vm");
            assert.equal(child.type, "pulumi-restore:zstack:VmFromBackup");
            assert.throws(() => parseUrn("not-a-urn"), /not a resource URN/);
        });
    });

    describe("configuration", () => {
        it("reads one object per cloud (object or JSON text) under the dynamic resources' key names; secrets are redacted", () => {
            const src = pluginConfigSource({
                alicloud: secret(
                    JSON.stringify({ region: "cn-hangzhou", accessKey: "AK1", secretKey: "plugin-config-secret-0042" }),
                ),
                zstack: { endpoint: "http://127.0.0.1:1", accountPassword: secret("zs-password-0042") },
                version: "0.1.0",
            });
            assert.equal(src.get("alicloud:region"), "cn-hangzhou");
            assert.equal(src.get("alicloud:accessKey"), "AK1");
            assert.equal(src.get("zstack:endpoint"), "http://127.0.0.1:1");
            assert.equal(src.get("zstack:accountPassword"), "zs-password-0042");
            assert.equal(src.get("tencentcloud:region"), undefined);
            assert.equal(redact("key plugin-config-secret-0042 and zs-password-0042"), "key *** and ***");
        });

        it("an unknown cloud, an unknown key or a non-object fails, naming the plugin's key and what is allowed", () => {
            assert.throws(
                () => pluginConfigSource({ aws: {} }),
                /pulumi-restore:aws is not a setting.*alicloud, tencentcloud, zstack, jdcloud, huaweicloud/,
            );
            assert.throws(
                () => pluginConfigSource({ alicloud: { acessKey: "x" } }),
                /pulumi-restore:alicloud\.acessKey is not a alicloud setting; allowed: accessKey, secretKey/,
            );
            assert.throws(
                () => pluginConfigSource({ jdcloud: "cn-north-1" }),
                /pulumi-restore:jdcloud must be an object.*--path pulumi-restore:jdcloud\.<key>/,
            );
            assert.equal(pluginKey("alicloud:secretKey"), "pulumi-restore:alicloud.secretKey");
        });

        it("Configure's arguments: args when present, else the deprecated variables without their prefix", () => {
            const withArgs = {
                getArgs: () => ({ toJavaScript: () => ({ alicloud: { region: "r" } }) }),
                getVariablesMap: () => new Map(),
            };
            assert.deepEqual(configureArgs(withArgs as never), { alicloud: { region: "r" } });
            const vars = new Map([["pulumi-restore:config:alicloud", '{"region":"r"}']]);
            assert.deepEqual(configureArgs({ getArgs: () => undefined, getVariablesMap: () => vars } as never), {
                alicloud: '{"region":"r"}',
            });
        });

        it("messages name config keys as the plugin reads them (pulumi-restore:alicloud.region, set with --path)", async () => {
            const plugin = new RestorePlugin({ version: "0.0.0", schema: () => "{}" });
            await plugin.configure({});
            const saved = {
                ALICLOUD_REGION: process.env.ALICLOUD_REGION,
                ALIBABA_CLOUD_REGION: process.env.ALIBABA_CLOUD_REGION,
            };
            delete process.env.ALICLOUD_REGION;
            delete process.env.ALIBABA_CLOUD_REGION;
            try {
                const urn = "urn:pulumi:s::p::pulumi-restore:alicloud/starrocks:RestoredInstance::r";
                const err = await plugin
                    .create(urn, { backupTaskId: "bk-unit0000001", restoreToken: restoreToken("p", "s", "r") })
                    .then(
                        () => assert.fail("created without a region"),
                        (e: Error) => e,
                    );
                assert.match(err.message, /`pulumi config set --path pulumi-restore:alicloud\.region cn-hangzhou`/);
                assert.doesNotMatch(err.message, /set alicloud:region/);
            } finally {
                for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
            }
        });

        it("the engine's address is the first argument that is not a logging or tracing flag", () => {
            assert.equal(
                engineAddress(["--logtostderr", "-v=9", "--tracing", "x:1", "127.0.0.1:4000"]),
                "127.0.0.1:4000",
            );
            assert.equal(engineAddress([]), undefined);
        });
    });
});
