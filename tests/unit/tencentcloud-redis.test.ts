import { strict as assert } from "assert";
import { UNKNOWN } from "../../provider/core/validate";
import { beijingTime, parseBeijingTime, parseTaskId } from "../../provider/tencentcloud/redisClient";
import { REDIS_HINTS, hintFor } from "../../provider/tencentcloud/redisErrors";
import { checkInstanceRestore } from "../../provider/tencentcloud/redisInputs";
import { redisEndpoint, tencentCredentials, tencentRegion } from "../../provider/tencentcloud/credentials";
import { RedisRestoreProvider, unrecordedRestores } from "../../provider/tencentcloud/redisProvider";

const TOKEN = "prt-0123456789abcdef0123";
const ok = { restoreToken: TOKEN, instanceId: "crs-5a4py64p", backupId: "678362566696298532848117" };
const failures = (news: Record<string, unknown>) => checkInstanceRestore(news).failures.map((f) => f.reason);

describe("tencentcloud redis InstanceRestore inputs and helpers", () => {
    it("accepts the vendor example and normalises", () => {
        const r = checkInstanceRestore({
            ...ok,
            password: "mypassword",
            region: "ap-shanghai-fsi",
            triggers: { drill: 3 },
            timeouts: { create: "2h" },
        });
        assert.deepEqual(r.failures, []);
        assert.equal(r.inputs.backupId, "678362566696298532848117");
        assert.deepEqual(r.inputs.triggers, { drill: 3 });
    });

    it("names the property and what is allowed for each mistake", () => {
        assert.match(failures({ restoreToken: TOKEN }).join("\n"), /instanceId: required.*\n.*backupId: required/);
        assert.match(
            failures({ ...ok, instanceId: "crs-ABC" })[0],
            /^instanceId: must be a Redis instance id such as "crs-5a4py64p"/,
        );
        assert.match(
            failures({ ...ok, region: "Guangzhou" })[0],
            /^region: must be a region id such as "ap-guangzhou"/,
        );
        assert.match(failures({ ...ok, timeouts: { create: "soon" } })[0], /^timeouts.create: must be a duration/);
        assert.match(
            failures({ ...ok, triggers: { a: { nested: 1 } } })[0],
            /^triggers.a: must be a string, number or boolean/,
        );
        assert.match(
            failures({ ...ok, backupID: "x" })[0],
            /^backupID: is not a property of this resource; did you mean "backupId"\?/,
        );
    });

    it("rejects path and URL metacharacters in backupId", () => {
        for (const bad of ["../etc", "a/b", "a?b", "a&b=c", "a#b", "a%2F", "a b", "http://x", "a.b", "a\\b"]) {
            assert.match(failures({ ...ok, backupId: bad }).join(), /^backupId: must be a backup id/, bad);
        }
        for (const good of ["678362566696298532848117", "bk-2024_06", "A1"])
            assert.deepEqual(failures({ ...ok, backupId: good }), [], good);
    });

    it("never shows the password in a failure", () => {
        const f = failures({ ...ok, password: "bad\u0001secret-value" });
        assert.equal(f.length, 1);
        assert.match(f[0], /^password: .*not shown/);
        assert.ok(!f[0].includes("secret-value"));
    });

    it("lets unknown values through during preview", () => {
        assert.deepEqual(failures({ ...ok, instanceId: UNKNOWN, backupId: UNKNOWN, password: UNKNOWN }), []);
    });

    it("has a hint that says what to do for every error code of the vendor page", () => {
        const page = [
            "InternalError.InternalError",
            "InvalidParameter.InvalidParameter",
            "InvalidParameter.PermissionDenied",
            "InvalidParameterValue.BackupNotExists",
            "InvalidParameterValue.PasswordError",
            "InvalidParameterValue.PasswordEmpty",
            "ResourceNotFound.InstanceNotExists",
            "ResourceUnavailable.BackupLockedError",
            "ResourceUnavailable.BackupStatusAbnormal",
            "ResourceUnavailable.InstanceLockedError",
            "ResourceUnavailable.InstanceStatusAbnormal",
            "UnauthorizedOperation.NoCAMAuthed",
        ];
        for (const code of page) assert.ok(REDIS_HINTS[code] && REDIS_HINTS[code].length > 30, code);
        assert.equal(
            hintFor("RequestLimitExceeded.IPLimitExceeded"),
            REDIS_HINTS["RequestLimitExceeded.IPLimitExceeded"],
        );
        assert.equal(hintFor("RequestLimitExceeded.Other"), REDIS_HINTS.RequestLimitExceeded);
        assert.equal(hintFor("UnauthorizedOperation.Other"), REDIS_HINTS.UnauthorizedOperation);
    });

    it("parses TaskId as number or numeric string, and API times as Beijing time", () => {
        assert.equal(parseTaskId(6954227), 6954227);
        assert.equal(parseTaskId("6954227"), 6954227);
        assert.equal(parseTaskId("69x"), undefined);
        assert.equal(parseTaskId(0), undefined);
        assert.equal(parseTaskId(null), undefined);
        const t = Date.UTC(2018, 10, 1, 9, 25, 14);
        assert.equal(beijingTime(t), "2018-11-01 17:25:14");
        assert.equal(parseBeijingTime("2018-11-01 17:25:14"), t);
        assert.equal(parseBeijingTime("0000-00-00 00:00:00x"), undefined);
        // The API's "not yet" (a task or a backup still running) is no time, not a date in year 0.
        assert.equal(parseBeijingTime("0000-00-00 00:00:00"), undefined);
        assert.equal(parseBeijingTime("2018-13-01 17:25:14"), undefined);
    });

    it("reads credentials from config first, then the environment, and says where it looked", () => {
        const env = {
            TENCENTCLOUD_SECRET_ID: "env-id",
            TENCENTCLOUD_SECRET_KEY: "env-key-1234",
            TENCENTCLOUD_SESSION_TOKEN: "sess-token-1",
            TENCENTCLOUD_REGION: "ap-beijing",
        };
        assert.deepEqual(tencentCredentials({}, env), {
            secretId: "env-id",
            secretKey: "env-key-1234",
            token: "sess-token-1",
        });
        assert.equal(
            tencentCredentials({ "tencentcloud:secretId": "cfg-id", "tencentcloud:secretKey": "cfg-key-1" }, env)
                .secretId,
            "cfg-id",
        );
        assert.throws(
            () => tencentCredentials({}, {}),
            /tencentcloud:secretId.*TENCENTCLOUD_SECRET_ID.*tencentcloud:secretKey/,
        );
        assert.equal(tencentRegion({}, undefined, env), "ap-beijing");
        assert.equal(tencentRegion({}, undefined, {}), "ap-guangzhou");
        assert.equal(tencentRegion({ "tencentcloud:region": "ap-chengdu" }, "ap-hongkong", env), "ap-hongkong");
        assert.equal(redisEndpoint({}, "ap-guangzhou", {}), "https://redis.tencentcloudapi.com");
        assert.equal(redisEndpoint({}, "ap-shanghai-fsi", {}), "https://redis.ap-shanghai-fsi.tencentcloudapi.com");
        assert.equal(
            redisEndpoint({ "tencentcloud:endpoint": "http://127.0.0.1:8080/" }, "ap-guangzhou", {}),
            "http://127.0.0.1:8080",
        );
        assert.throws(
            () => redisEndpoint({ "tencentcloud:endpoint": "http://proxy.example.com" }, "ap-guangzhou", {}),
            /plain HTTP/,
        );
    });

    it("adoptTaskId and ignoreTaskIds: positive integers (digit strings read as numbers); unknown values pass", () => {
        const r = checkInstanceRestore({ ...ok, adoptTaskId: "6954227", ignoreTaskIds: [1, "2"] });
        assert.deepEqual(r.failures, []);
        assert.equal(r.inputs.adoptTaskId, 6954227);
        assert.deepEqual(r.inputs.ignoreTaskIds, [1, 2]);
        assert.match(failures({ ...ok, adoptTaskId: -1 })[0], /^adoptTaskId: must be a restore task id/);
        assert.match(failures({ ...ok, adoptTaskId: 1.5 })[0], /^adoptTaskId: must be a restore task id/);
        assert.match(failures({ ...ok, ignoreTaskIds: [3, "x"] })[0], /^ignoreTaskIds\[1\]: must be a restore task id/);
        assert.match(failures({ ...ok, ignoreTaskIds: 3 })[0], /^ignoreTaskIds: must be a list/);
        assert.deepEqual(failures({ ...ok, adoptTaskId: UNKNOWN, ignoreTaskIds: UNKNOWN }), []);
        // Old state (before these inputs) still checks.
        assert.deepEqual(failures(ok), []);
    });

    it("unrecordedRestores: failed, accounted and earlier tasks do not count; a task of unknown start does", () => {
        const at = (s: string) => parseBeijingTime(s)!;
        const tasks = [
            { TaskId: 5, StartTime: "2026-05-01 12:00:00", Result: 2 },
            { TaskId: 4, StartTime: "2026-05-01 11:00:00", Result: 4 },
            { TaskId: 3, StartTime: "2026-05-01 10:00:00", Result: 1 },
            { TaskId: 2, Result: 2 },
            { TaskId: 1, StartTime: "2026-05-01 08:00:00", Result: 2 },
        ];
        const ids = (o: Parameters<typeof unrecordedRestores>[1]) => unrecordedRestores(tasks, o).map((t) => t.TaskId);
        assert.deepEqual(ids({ accounted: new Set() }), [5, 3, 2, 1]);
        assert.deepEqual(ids({ accounted: new Set([5, 2]) }), [3, 1]);
        assert.deepEqual(ids({ accounted: new Set(), after: at("2026-05-01 09:00:00") }), [5, 3, 2]);
    });

    it("state written before adoptTaskId/ignoreTaskIds still diffs to no change; the new inputs never replace", async () => {
        const p = new RedisRestoreProvider({ env: {} });
        const olds = { ...ok, region: "ap-guangzhou", taskId: 7, status: "succeed", adopted: false };
        const same = await p.diff("crs-5a4py64p:7", olds, { ...ok });
        assert.deepEqual(same.changes, false);
        const d = await p.diff("crs-5a4py64p:7", olds, { ...ok, adoptTaskId: 7, ignoreTaskIds: [3] });
        assert.deepEqual(d.replaces, []);
        assert.equal(d.changes, true);
    });
});
