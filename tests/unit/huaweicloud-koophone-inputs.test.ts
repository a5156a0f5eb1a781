import { strict as assert } from "assert";
import { checkInstanceBackup } from "../../provider/huaweicloud/koophoneInputs";
import { classify } from "../../provider/huaweicloud/koophoneState";
import { KooPhoneProvider } from "../../provider/huaweicloud/koophoneProvider";
import { hwAuth, koophoneEndpoint } from "../../provider/huaweicloud/credentials";
import { UNKNOWN } from "../../provider/core/validate";
import { fromState } from "../../provider/core/resource";

const TOKEN = "prt-0123456789abcdef0123";
const good = { restoreToken: TOKEN, instanceIds: ["iRJEVP9", "i-0002"], userId: "1008600000104285462" };

describe("huaweicloud koophone InstanceBackup inputs", () => {
    it("accepts good inputs and applies defaults", () => {
        const r = checkInstanceBackup(good);
        assert.deepEqual(r.failures, []);
        assert.deepEqual(r.inputs, { ...good, restoreOnDelete: true });
        const r2 = checkInstanceBackup({
            restoreToken: TOKEN,
            instanceIds: ["a"],
            restoreOnDelete: false,
            timeouts: { create: "90m" },
        });
        assert.deepEqual(r2.failures, []);
        assert.equal(r2.inputs.restoreOnDelete, false);
    });

    it("lets unknown values through during preview", () => {
        assert.deepEqual(checkInstanceBackup({ ...good, instanceIds: UNKNOWN }).failures, []);
        assert.deepEqual(checkInstanceBackup({ ...good, instanceIds: ["a", UNKNOWN] }).failures, []);
        assert.deepEqual(checkInstanceBackup({ ...good, userId: UNKNOWN }).failures, []);
    });

    const bad: [string, Record<string, unknown>, string, RegExp][] = [
        ["no instanceIds", { restoreToken: TOKEN, userId: "u1" }, "instanceIds", /required/],
        ["empty instanceIds", { ...good, instanceIds: [] }, "instanceIds", /at least 1/],
        ["instanceIds not a list", { ...good, instanceIds: "iRJEVP9" }, "instanceIds", /must be a list/],
        ["instanceIds an object", { ...good, instanceIds: { a: 1 } }, "instanceIds", /must be a list/],
        ["id too long", { ...good, instanceIds: ["x".repeat(33)] }, "instanceIds[0]", /at most 32/],
        ["id with a space", { ...good, instanceIds: ["a b"] }, "instanceIds[0]", /letters, digits/],
        ["id with a slash", { ...good, instanceIds: ["ok", "a/b"] }, "instanceIds[1]", /letters, digits/],
        ["id a number", { ...good, instanceIds: [12345] }, "instanceIds[0]", /must be a string/],
        ["id empty", { ...good, instanceIds: ["a", ""] }, "instanceIds[1]", /required/],
        ["id null", { ...good, instanceIds: [null] }, "instanceIds[0]", /required/],
        ["duplicate id", { ...good, instanceIds: ["a", "b", "a"] }, "instanceIds[2]", /listed twice.*instanceIds\[0\]/],
        [
            "userId missing with restoreOnDelete default",
            { restoreToken: TOKEN, instanceIds: ["a"] },
            "userId",
            /required while restoreOnDelete/,
        ],
        [
            "userId missing with restoreOnDelete true",
            { restoreToken: TOKEN, instanceIds: ["a"], restoreOnDelete: true },
            "userId",
            /required/,
        ],
        ["userId too long", { ...good, userId: "1".repeat(33) }, "userId", /at most 32/],
        ["userId with spaces", { ...good, userId: "user 1" }, "userId", /KooPhone user id/],
        ["userId a number", { ...good, userId: 1008600000 }, "userId", /must be a string/],
        ["restoreOnDelete a word", { ...good, restoreOnDelete: "yes" }, "restoreOnDelete", /true or false/],
        ["restoreOnDelete a number", { ...good, restoreOnDelete: 1 }, "restoreOnDelete", /true or false/],
        ["bad create timeout", { ...good, timeouts: { create: "soon" } }, "timeouts.create", /duration/],
        ["unknown timeout key", { ...good, timeouts: { read: "5m" } }, "timeouts.read", /create, update or delete/],
        ["timeouts not an object", { ...good, timeouts: "1h" }, "timeouts", /must be an object/],
        ["typo of a property", { ...good, instanceIDs: ["a"] }, "instanceIDs", /did you mean "instanceIds"/],
        ["unknown property", { ...good, region: "cn-south-1" }, "region", /not a property/],
        ["missing restore token", { instanceIds: ["a"], userId: "u" }, "restoreToken", /required/],
    ];
    for (const [what, inputs, property, reason] of bad) {
        it(`rejects ${what}, naming ${property}`, () => {
            const { failures } = checkInstanceBackup(inputs);
            const f = failures.find((x) => x.property === property);
            assert.ok(f, `no failure for ${property}: ${JSON.stringify(failures)}`);
            assert.match(f.reason, reason);
            assert.ok(f.reason.startsWith(`${property}:`), f.reason);
        });
    }
    it("has at least 20 bad-input cases", () => assert.ok(bad.length >= 20));
});

describe("huaweicloud koophone instance phases", () => {
    it("classifies from backup/restore status and times", () => {
        assert.equal(classify({ instance_id: "a" }), "running");
        assert.equal(classify({ instance_id: "a", backup_status: 1 }), "backingUp");
        assert.equal(classify({ instance_id: "a", backup_status: "0" }), "backingUp");
        assert.equal(classify({ instance_id: "a", backup_status: 2, backup_time: "2026-01-01T00:00:00Z" }), "backedUp");
        assert.equal(
            classify({ instance_id: "a", backup_status: 3, backup_time: "2026-01-01T00:00:00Z" }),
            "backupFailed",
        );
        assert.equal(
            classify({ instance_id: "a", backup_status: 2, backup_time: "2026-01-01T00:00:00Z", restore_status: 1 }),
            "restoring",
        );
        assert.equal(
            classify({
                instance_id: "a",
                backup_status: 2,
                backup_time: "2026-01-01T00:00:00Z",
                restore_status: 2,
                restore_time: "2026-01-02T00:00:00Z",
            }),
            "running",
        );
        assert.equal(
            classify({
                instance_id: "a",
                backup_status: 2,
                backup_time: "2026-01-03T00:00:00Z",
                restore_status: 2,
                restore_time: "2026-01-02T00:00:00Z",
            }),
            "backedUp",
        );
        assert.equal(
            classify({
                instance_id: "a",
                backup_status: 2,
                backup_time: "2026-01-01T00:00:00Z",
                restore_status: 3,
                restore_time: "2026-01-02T00:00:00Z",
            }),
            "restoreFailed",
        );
    });
});

describe("huaweicloud koophone diff and credentials", () => {
    const p = new KooPhoneProvider({ env: {} });
    const olds = { ...good, restoreOnDelete: true, instances: [], __provider: "x" };
    it("updates in place, never replaces, and ignores __provider", async () => {
        assert.deepEqual(await p.diff("id", olds, fromState({ ...good, restoreOnDelete: true, __provider: "y" })), {
            changes: false,
            replaces: [],
            deleteBeforeReplace: false,
        });
        const d = await p.diff("id", olds, { ...good, instanceIds: ["iRJEVP9"], restoreOnDelete: true });
        assert.equal(d.changes, true);
        assert.deepEqual(d.replaces, []);
        assert.equal((await p.diff("id", olds, { ...good, restoreOnDelete: false })).changes, true);
        assert.equal(
            (await p.diff("id", olds, { ...good, restoreOnDelete: true, timeouts: { delete: "3h" } })).changes,
            true,
        );
    });
    it("chooses AK/SK when a key pair is set, the password method otherwise, and names what is missing", () => {
        assert.equal(hwAuth({}, { HW_ACCESS_KEY: "AK", HW_SECRET_KEY: "SK" }).kind, "aksk");
        assert.equal(hwAuth({}, { HUAWEICLOUD_SDK_AK: "AK", HUAWEICLOUD_SDK_SK: "SK" }).kind, "aksk");
        const t = hwAuth(
            {
                "huaweicloud:userName": "u",
                "huaweicloud:password": "pw-123456",
                "huaweicloud:domainName": "d",
                "huaweicloud:region": "cn-south-1",
            },
            {},
        );
        assert.deepEqual(t, {
            kind: "token",
            authUrl: "https://iam.cn-south-1.myhuaweicloud.com/v3",
            domainName: "d",
            userName: "u",
            password: "pw-123456",
            projectName: "cn-south-1",
        });
        assert.throws(() => hwAuth({}, {}), /huaweicloud:accessKey.*huaweicloud:userName/s);
        assert.throws(() => hwAuth({ "huaweicloud:accessKey": "AK" }, {}), /secret key for access key AK/);
        assert.throws(() => koophoneEndpoint({ "huaweicloud:endpoint": "http://example.com" }, {}), /plain HTTP/);
        assert.equal(koophoneEndpoint({}, {}), "https://koophone.myhuaweicloud.com");
    });
});
