import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CLAIM_TTL_MS, PhoneClaims } from "../../provider/huaweicloud/claims";
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
