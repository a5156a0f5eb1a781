import { strict as assert } from "assert";
import { checkVmFromBackup } from "../../provider/zstack/vmInputs";
import { VmFromBackupProvider, intentDigest, vmResourceUuid } from "../../provider/zstack/vmProvider";
import { UNKNOWN } from "../../provider/core/validate";
import { ZStackApi, zstackError } from "../../provider/zstack/api";
import { defaultSchedule } from "../../provider/core/poller";
import { ApiCaller } from "../../provider/core/http";
import { zstackEndpoint } from "../../provider/zstack/credentials";

const U = (c: string) => c.repeat(32);
const good = {
    restoreToken: "prt-0123456789abcdef0123",
    backupGroupUuid: U("a"),
    name: "web-restored",
    instanceOfferingUuid: U("b"),
    l3NetworkUuids: [U("c"), U("d")],
    defaultL3NetworkUuid: U("d"),
};

describe("zstack VmFromBackup check", () => {
    it("accepts good inputs and fills defaults", () => {
        const { inputs, failures } = checkVmFromBackup({
            ...good,
            vmNicParams: [{ l3NetworkUuid: U("c"), ip: "10.0.0.5" }],
        });
        assert.deepEqual(failures, []);
        assert.equal(inputs.strategy, "InstantStart");
        assert.equal(inputs.expungeOnDelete, true);
        assert.equal(inputs.vmNicParams, JSON.stringify([{ l3NetworkUuid: U("c"), ip: "10.0.0.5" }]));
    });

    it("accepts cpuNum + memorySize instead of an instance offering", () => {
        const { failures } = checkVmFromBackup({
            ...good,
            instanceOfferingUuid: undefined,
            cpuNum: 4,
            memorySize: 8 * 1024 ** 3,
        });
        assert.deepEqual(failures, []);
    });

    it("lets unknown values (preview) through", () => {
        const { failures } = checkVmFromBackup({
            ...good,
            backupGroupUuid: UNKNOWN,
            l3NetworkUuids: UNKNOWN,
            defaultL3NetworkUuid: UNKNOWN,
        });
        assert.deepEqual(failures, []);
    });

    const corpus: [string, Record<string, unknown>, string][] = [
        ["missing backupGroupUuid", { backupGroupUuid: undefined }, "backupGroupUuid"],
        ["short backupGroupUuid", { backupGroupUuid: "abc" }, "backupGroupUuid"],
        ["upper-case backupGroupUuid", { backupGroupUuid: U("A") }, "backupGroupUuid"],
        ["dashed uuid", { backupGroupUuid: "a1c07d68-3f69-3f6e-9f2d-7f9a499c7840" }, "backupGroupUuid"],
        ["missing name", { name: undefined }, "name"],
        ["name with a newline", { name: "a\nb" }, "name"],
        ["name too long", { name: "x".repeat(256) }, "name"],
        ["no offering and no cpu/memory", { instanceOfferingUuid: undefined }, "instanceOfferingUuid"],
        ["bad instanceOfferingUuid", { instanceOfferingUuid: "offering-1" }, "instanceOfferingUuid"],
        ["l3NetworkUuids not a list", { l3NetworkUuids: U("c") }, "l3NetworkUuids"],
        [
            "bad item in l3NetworkUuids",
            { l3NetworkUuids: [U("c"), "nope"], defaultL3NetworkUuid: U("c") },
            "l3NetworkUuids[1]",
        ],
        [
            "duplicate l3NetworkUuids",
            { l3NetworkUuids: [U("c"), U("c")], defaultL3NetworkUuid: U("c") },
            "l3NetworkUuids[1]",
        ],
        ["default L3 not among the L3s", { defaultL3NetworkUuid: U("e") }, "defaultL3NetworkUuid"],
        ["bad zoneUuid", { zoneUuid: "zone" }, "zoneUuid"],
        ["bad clusterUuid", { clusterUuid: 12 }, "clusterUuid"],
        ["bad hostUuid", { hostUuid: U("g") }, "hostUuid"],
        ["bad backupStorageUuid", { backupStorageUuid: "bs" }, "backupStorageUuid"],
        [
            "bad primaryStorageUuidForRootVolume",
            { primaryStorageUuidForRootVolume: "ps" },
            "primaryStorageUuidForRootVolume",
        ],
        [
            "bad primaryStorageUuidForDataVolume",
            { primaryStorageUuidForDataVolume: "ps" },
            "primaryStorageUuidForDataVolume",
        ],
        ["description too long", { description: "d".repeat(2049) }, "description"],
        ["unknown strategy", { strategy: "StartLater" }, "strategy"],
        ["unknown type", { type: "Container" }, "type"],
        ["cpuNum zero", { cpuNum: 0 }, "cpuNum"],
        ["cpuNum fractional", { cpuNum: 1.5 }, "cpuNum"],
        ["memorySize too small", { memorySize: 1024 }, "memorySize"],
        ["memorySize not whole MiB", { memorySize: 16 * 1024 * 1024 + 1 }, "memorySize"],
        ["vmNicParams not JSON", { vmNicParams: "{nope" }, "vmNicParams"],
        ["vmNicParams not a list", { vmNicParams: '{"ip":"1.2.3.4"}' }, "vmNicParams"],
        ["vmNicParams bad l3", { vmNicParams: [{ l3NetworkUuid: "x" }] }, "vmNicParams[0].l3NetworkUuid"],
        ["bad tagUuids item", { tagUuids: ["t"] }, "tagUuids[0]"],
        ["empty system tag", { systemTags: [""] }, "systemTags[0]"],
        ["reserved resourceUuid system tag", { systemTags: [`resourceUuid::${U("1")}`] }, "systemTags[0]"],
        ["user tag not a string", { userTags: [3] }, "userTags[0]"],
        // The mark pulumi-restore writes (a user's copy could make another resource's VM look like this one's).
        [
            "reserved mark user tag",
            { userTags: ["ok", "Pulumi-Restore-Token::prt-0123456789abcdef0123"] },
            "userTags[1]",
        ],
        ["root volume tag with control char", { rootVolumeSystemTags: ["a\u0001"] }, "rootVolumeSystemTags[0]"],
        ["data volume tags not a list", { dataVolumeSystemTags: "x" }, "dataVolumeSystemTags"],
        ["expungeOnDelete not boolean", { expungeOnDelete: "yes" }, "expungeOnDelete"],
        ["bad timeout", { timeouts: { create: "soon" } }, "timeouts.create"],
        ["unknown timeout key", { timeouts: { read: "5m" } }, "timeouts.read"],
        ["bad adoptId", { adoptId: "vm-1" }, "adoptId"],
        ["typo in a property", { backupGroupUUID: U("a") }, "backupGroupUUID"],
        ["missing restore token", { restoreToken: undefined }, "restoreToken"],
    ];

    it(`rejects ${corpus.length} bad inputs, naming the property and what is allowed`, () => {
        assert.ok(corpus.length >= 20);
        for (const [what, patch, property] of corpus) {
            const { failures } = checkVmFromBackup({ ...good, ...patch });
            const f = failures.find((x) => x.property === property);
            assert.ok(f, `${what}: expected a failure for ${property}, got ${JSON.stringify(failures)}`);
            assert.ok(f.reason.startsWith(`${property}: `), `${what}: the reason must name the property: ${f.reason}`);
            assert.ok(
                f.reason.length > property.length + 12,
                `${what}: the reason must say what is allowed: ${f.reason}`,
            );
        }
    });
});

describe("zstack provider rules (offline)", () => {
    const p = new VmFromBackupProvider();
    const inputs = checkVmFromBackup(good).inputs as unknown as Record<string, unknown>;

    it("derives a deterministic 32-hex VM uuid per token, inputs and generation", () => {
        const i = intentDigest(inputs as never);
        const a = vmResourceUuid("prt-0123456789abcdef0123", i, 0);
        assert.match(a, /^[0-9a-f]{32}$/);
        assert.equal(a, vmResourceUuid("prt-0123456789abcdef0123", i, 0));
        assert.notEqual(a, vmResourceUuid("prt-0123456789abcdef0123", i, 1));
        assert.notEqual(a, vmResourceUuid("prt-0123456789abcdef0124", i, 0));
        assert.notEqual(i, intentDigest({ ...inputs, name: "other" } as never));
        assert.equal(i, intentDigest({ ...inputs, expungeOnDelete: false, timeouts: { create: "5m" } } as never));
    });

    it("replaces on creation inputs, updates expungeOnDelete in place, ignores __provider", async () => {
        const olds = {
            ...inputs,
            uuid: U("9"),
            state: "Running",
            hostUuid: U("8"),
            requestedHostUuid: undefined,
            __provider: "old",
        };
        const same = await p.diff(U("9"), olds, { ...inputs, __provider: "new" });
        assert.equal(
            same.changes,
            false,
            "the actual host in outputs must not count as a change of the hostUuid input",
        );
        const rename = await p.diff(U("9"), olds, { ...inputs, name: "renamed" });
        assert.deepEqual(rename.replaces, ["name"]);
        assert.equal(rename.deleteBeforeReplace, false);
        const keep = await p.diff(U("9"), olds, { ...inputs, expungeOnDelete: false });
        assert.equal(keep.changes, true);
        assert.deepEqual(keep.replaces, []);
        const host = await p.diff(U("9"), olds, { ...inputs, hostUuid: U("7") });
        assert.deepEqual(host.replaces, ["hostUuid"]);
    });

    it("rewrites the job location to the configured host and port", () => {
        const api = new ZStackApi({
            endpoint: "http://127.0.0.1:9999",
            auth: () => ({ kind: "accessKey", accessKeyId: "a", accessKeySecret: "b" }),
            caller: new ApiCaller(),
            schedule: defaultSchedule,
        });
        assert.equal(
            api.rewriteLocation("http://10.0.0.5:8080/zstack/v1/api-jobs/abc"),
            "http://127.0.0.1:9999/zstack/v1/api-jobs/abc",
        );
        assert.equal(
            api.rewriteLocation("https://mn.internal/zstack/v1/api-jobs/abc?x=1"),
            "http://127.0.0.1:9999/zstack/v1/api-jobs/abc?x=1",
        );
    });

    it("reads ZStack errors: ErrorCode bodies and plain-text answers", () => {
        const e = zstackError("QueryVmInstance", {
            status: 503,
            headers: {},
            body: JSON.stringify({ error: { code: "ID.1001", description: "Invalid session", details: "expired" } }),
        });
        assert.equal(e.code, "ID.1001");
        assert.equal(e.retryable, false);
        assert.match(e.message, /Invalid session: expired/);
        const t = zstackError("X", { status: 400, headers: {}, body: "missing header 'Authorization'" });
        assert.equal(t.code, "HTTP400");
        assert.match(t.message, /missing header/);
        assert.equal(
            zstackError("X", {
                status: 503,
                headers: {},
                body: JSON.stringify({ error: { code: "SYS.1000", description: "internal" } }),
            }).retryable,
            true,
        );
    });

    it("builds the endpoint from host/port/scheme (plain HTTP allowed) or the override", () => {
        assert.equal(zstackEndpoint({ "zstack:host": "10.0.0.5" }, {}), "http://10.0.0.5:8080");
        assert.equal(
            zstackEndpoint({ "zstack:host": "mn", "zstack:port": "443", "zstack:scheme": "https" }, {}),
            "https://mn:443",
        );
        assert.equal(
            zstackEndpoint({}, { ZSTACK_HOST: "192.168.0.9", ZSTACK_PORT: "8081" }),
            "http://192.168.0.9:8081",
        );
        assert.equal(
            zstackEndpoint({ "zstack:endpoint": "http://proxy:80/zstack", "zstack:host": "ignored" }, {}),
            "http://proxy:80",
        );
        assert.throws(() => zstackEndpoint({}, {}), /zstack:host/);
        assert.throws(() => zstackEndpoint({ "zstack:host": "h", "zstack:port": "99999" }, {}), /zstack:port/);
    });
});
