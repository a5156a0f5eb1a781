import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CLAIM_TTL_MS, PhoneClaim, PhoneClaims } from "../../provider/huaweicloud/claims";
import { BACKUP_CALL_MAX_MS, claimProof, proofWindowEnd, reparkedSince } from "../../provider/huaweicloud/ownership";
import { VirtualClock } from "../../harness/clock";

const A = "prt-aaaaaaaaaaaaaaaaaaaa";
const B = "prt-bbbbbbbbbbbbbbbbbbbb";

describe("huaweicloud koophone: the local record of the phones a resource backs up", () => {
    let dir: string;
    beforeEach(() => (dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "claims-")), "state")));

    it("adds, reads, drops; tells which other resource holds a phone; files are private", async () => {
        const clock = new VirtualClock();
        const c = new PhoneClaims(dir, clock);
        assert.deepEqual([...(await c.of(A))], [], "nothing before the directory exists");
        await c.add(A, ["p1", "p2"], 1000);
        await c.add(B, ["p3"], 2000);
        assert.deepEqual(
            [...(await c.of(A))],
            [
                ["p1", 1000],
                ["p2", 1000],
            ],
        );
        assert.deepEqual(
            [...(await c.holders(["p1", "p3", "p9"], A))],
            [["p3", B]],
            "its own claims are not another's",
        );
        await c.drop(A, ["p1"]);
        assert.deepEqual([...(await c.of(A)).keys()], ["p2"]);
        await c.drop(A, ["p2"]);
        assert.equal(
            fs.existsSync(path.join(dir, `huaweicloud-koophone.${A}.json`)),
            false,
            "an empty record is removed",
        );
        const f = path.join(dir, `huaweicloud-koophone.${B}.json`);
        assert.equal(fs.statSync(f).mode & 0o777, 0o600);
        assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
        assert.ok(!fs.readdirSync(dir).some((n) => n.endsWith(".tmp")), "no temporary file left");
    });

    it("expired or malformed records read as none; a malformed token is refused", async () => {
        const clock = new VirtualClock();
        const c = new PhoneClaims(dir, clock);
        await c.add(A, ["p1"], clock.now());
        clock.advance(CLAIM_TTL_MS + 1);
        assert.deepEqual([...(await c.of(A))], []);
        assert.equal(
            fs.existsSync(path.join(dir, `huaweicloud-koophone.${A}.json`)),
            false,
            "an expired record is removed",
        );
        fs.writeFileSync(path.join(dir, `huaweicloud-koophone.${B}.json`), "{not json");
        assert.deepEqual([...(await c.of(B))], []);
        await assert.rejects(c.add("../../etc", ["p1"], 0), /malformed restore token/);
    });
});

describe("huaweicloud koophone: when a record proves that this resource's call parked a phone", () => {
    const at = Date.parse("2026-01-01T00:00:00Z");
    const parked = { instance_id: "p1", backup_status: 1 };
    const settle = 20_000;

    it("an unclear (or missing) answer proves nothing by itself: only the phone seen parked within the call's window", () => {
        const unclear: PhoneClaim = { at, answer: "unclear", answeredAt: at + 1000 };
        assert.equal(claimProof(unclear, parked, at + 1000 + settle, settle).owned, true);
        assert.equal(claimProof(unclear, parked, at + 1000 + settle, settle).provenAt, at + 1000 + settle);
        const late = claimProof(unclear, parked, at + 1001 + settle, settle);
        assert.equal(late.owned, false);
        assert.match(late.why, /unclear answer.*not seen parked until after that call's window/);
        // No answer recorded (the run stopped during the call): the window runs to the request time-out.
        const none: PhoneClaim = { at };
        assert.equal(proofWindowEnd(none, settle), at + BACKUP_CALL_MAX_MS + settle);
        assert.equal(claimProof(none, parked, at + BACKUP_CALL_MAX_MS + settle, settle).owned, true);
        assert.match(claimProof(none, parked, at + 3_600_000, settle).why, /got no answer/);
        assert.equal(claimProof(undefined, parked, at, settle).owned, false);
    });

    it("an accepted answer or an earlier proof stands, unless the phone was restored since the call", () => {
        const later = at + 86_400_000;
        assert.equal(claimProof({ at, answer: "accepted" }, parked, later, settle).owned, true);
        assert.equal(claimProof({ at, answer: "unclear", provenAt: at + 5 }, parked, later, settle).owned, true);
        const restored = { ...parked, restore_status: 2, restore_time: new Date(at + 60_000).toISOString() };
        const r = claimProof({ at, answer: "accepted" }, restored, later, settle);
        assert.equal(r.owned, false);
        assert.match(r.why, /restored at .* after this resource's BatchBackupInstances/);
        // A restore that failed leaves the data in OBS: the phone is still that call's.
        const failed = { ...restored, restore_status: 3 };
        assert.equal(claimProof({ at, answer: "accepted" }, failed, later, settle).owned, true);
    });

    it("a phone the state holds was parked again by someone else when it was restored or backed up after its backup", () => {
        const mine = { instanceId: "p1", backupStatus: "success", backupTime: "2026-01-01T00:01:00.000Z" };
        const same = { instance_id: "p1", backup_status: 2, backup_time: "2026-01-01T00:01:00.000Z" };
        assert.equal(reparkedSince(same, mine), false);
        assert.equal(reparkedSince({ ...same, backup_time: "2026-01-02T00:00:00.000Z" }, mine), true);
        const restoredThenParking = {
            instance_id: "p1",
            backup_status: 1,
            backup_time: "2026-01-01T00:01:00.000Z",
            restore_status: 2,
            restore_time: "2026-01-01T01:00:00.000Z",
        };
        assert.equal(reparkedSince(restoredThenParking, mine), true);
        assert.equal(reparkedSince({ ...restoredThenParking, restore_status: 3 }, mine), false, "a failed restore");
        assert.equal(reparkedSince(same, { instanceId: "p1", backupStatus: "backing up" }), false, "no time: unknown");
    });

    it("the record keeps each call's answer and proof; version 1 files read as calls without an answer", async () => {
        const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "claims-")), "state");
        const clock = new VirtualClock();
        const c = new PhoneClaims(dir, clock);
        await c.add(A, ["p1", "p2"], 1000);
        await c.mark(A, ["p1", "p9"], { answer: "unclear", answeredAt: 1500 });
        await c.mark(A, ["p1"], { provenAt: 1700 });
        assert.deepEqual(
            [...(await c.entries(A))],
            [
                ["p1", { at: 1000, answer: "unclear", answeredAt: 1500, provenAt: 1700 }],
                ["p2", { at: 1000 }],
            ],
        );
        fs.writeFileSync(
            path.join(dir, `huaweicloud-koophone.${B}.json`),
            JSON.stringify({ v: 1, restoreToken: B, phones: { p3: 2000 }, writtenAt: clock.now() }),
        );
        assert.deepEqual([...(await c.entries(B))], [["p3", { at: 2000 }]]);
    });
});
