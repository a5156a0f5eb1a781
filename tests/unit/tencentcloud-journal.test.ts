import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { JOURNAL_TTL_MS, RestoreJournal, intentDigest, journalDir } from "../../provider/tencentcloud/restoreJournal";
import { VirtualClock } from "../../harness/clock";

const token = (i: number) => `prt-${i.toString(16).padStart(20, "0")}`;
const intent = {
    restoreToken: token(1),
    instanceId: "crs-5a4py64p",
    backupId: "678362566696298532848117",
    region: "ap-guangzhou",
};
const entry = (tok: string, key: string, taskId?: number) => ({
    restoreToken: tok,
    intent: key,
    instanceId: "crs-5a4py64p",
    backupId: "678362566696298532848117",
    region: "ap-guangzhou",
    calledAt: 1,
    knownTaskIds: [7, 8],
    taskId,
});

describe("tencentcloud redis restore journal", () => {
    let dir: string;
    let clock: VirtualClock;
    let j: RestoreJournal;
    beforeEach(() => {
        dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tc-journal-unit-")), "journal");
        clock = new VirtualClock();
        j = new RestoreJournal(dir, clock);
    });
    afterEach(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

    it("lives in PULUMI_RESTORE_STATE_DIR, else under the home directory", () => {
        assert.equal(journalDir({ PULUMI_RESTORE_STATE_DIR: " /var/lib/pr " }), path.resolve("/var/lib/pr"));
        assert.equal(journalDir({}), path.join(os.homedir(), ".pulumi-restore", "journal"));
        assert.equal(
            journalDir({ PULUMI_RESTORE_STATE_DIR: "" }),
            path.join(os.homedir(), ".pulumi-restore", "journal"),
        );
    });

    it("the intent digest covers instance, backup, region and triggers (key order aside), and nothing else", () => {
        const d = intentDigest(intent);
        assert.match(d, /^[0-9a-f]{24}$/);
        assert.equal(
            intentDigest({ ...intent, triggers: { a: 1, b: "x" } }),
            intentDigest({ ...intent, triggers: { b: "x", a: 1 } }),
        );
        for (const other of [
            { instanceId: "crs-00000000" },
            { backupId: "b-2" },
            { region: "ap-shanghai" },
            { triggers: { drill: "2" } },
        ]) {
            assert.notEqual(intentDigest({ ...intent, ...other }), d, JSON.stringify(other));
        }
        // The token is the file name's business, not the intent's: same inputs, same digest.
        assert.equal(intentDigest({ ...intent, restoreToken: token(2) }), d);
    });

    it("writes atomically with private permissions, reads back, removes", async () => {
        const key = intentDigest(intent);
        assert.equal(await j.get(token(1), key), undefined);
        await j.put(entry(token(1), key));
        await j.put(entry(token(1), key, 6954227));
        const got = await j.get(token(1), key);
        assert.equal(got?.taskId, 6954227);
        assert.deepEqual(got?.knownTaskIds, [7, 8]);
        assert.equal(got?.writtenAt, clock.now());
        assert.deepEqual(fs.readdirSync(dir), [path.basename(j.file(token(1), key))], "no temporary file left");
        if (process.platform !== "win32") {
            assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
            assert.equal(fs.statSync(j.file(token(1), key)).mode & 0o777, 0o600);
        }
        await j.remove(token(1), key);
        await j.remove(token(1), key);
        assert.equal(await j.get(token(1), key), undefined);
    });

    it("many resources of one host write at once without losing or mixing entries", async () => {
        const key = intentDigest(intent);
        await Promise.all(Array.from({ length: 100 }, (_, i) => j.put(entry(token(i), key, 1000 + i))));
        // The same key written concurrently: the last rename wins and the file is always whole.
        await Promise.all(Array.from({ length: 20 }, (_, i) => j.put(entry(token(500), key, 2000 + i))));
        for (let i = 0; i < 100; i++) assert.equal((await j.get(token(i), key))?.taskId, 1000 + i);
        const same = await j.get(token(500), key);
        assert.ok(same && same.taskId! >= 2000 && same.taskId! < 2020);
        assert.equal(fs.readdirSync(dir).filter((n) => n.endsWith(".tmp")).length, 0);
    });

    it("lists and removes the entries of one token by predicate", async () => {
        const a = intentDigest(intent);
        const b = intentDigest({ ...intent, backupId: "b-2" });
        await j.put(entry(token(1), a, 1));
        await j.put(entry(token(1), b, 2));
        await j.put(entry(token(2), a, 3));
        assert.deepEqual((await j.entriesOf(token(1))).map((e) => e.taskId).sort(), [1, 2]);
        assert.equal(await j.removeWhere(token(1), (e) => e.intent !== a), 1);
        assert.deepEqual(
            (await j.entriesOf(token(1))).map((e) => e.taskId),
            [1],
        );
        assert.equal((await j.entriesOf(token(2))).length, 1, "other tokens untouched");
    });

    it("expires entries after the time to live, and prunes them and stale temporary files", async () => {
        const key = intentDigest(intent);
        await j.put(entry(token(1), key, 1));
        fs.writeFileSync(path.join(dir, `.tencentcloud-redis.${token(9)}.${key}.json.1.abc.tmp`), "{");
        const old = new Date(Date.now() - 2 * 3_600_000);
        fs.utimesSync(path.join(dir, `.tencentcloud-redis.${token(9)}.${key}.json.1.abc.tmp`), old, old);
        clock.advance(JOURNAL_TTL_MS - 1000);
        assert.ok(await j.get(token(1), key), "still live just before the end of its time to live");
        await j.put(entry(token(2), key, 2));
        clock.advance(2000);
        assert.equal((await j.entriesOf(token(1))).length, 0);
        await j.prune();
        assert.deepEqual(fs.readdirSync(dir).sort(), [path.basename(j.file(token(2), key))]);
    });

    it("ignores a file it did not write, and refuses keys that could leave the directory", async () => {
        const key = intentDigest(intent);
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(j.file(token(1), key), "not json");
        assert.equal(await j.get(token(1), key), undefined);
        assert.throws(() => j.file("../../etc/passwd", key), /malformed key/);
        assert.throws(() => j.file(token(1), "../x"), /malformed key/);
    });
});
