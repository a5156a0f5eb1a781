import { strict as assert } from "assert";
import { createHmac } from "crypto";
import { hashPassword, signAccessKey, zstackDate } from "../../provider/zstack/signer";
import { SessionPool, clearSessions, sessionKey } from "../../provider/zstack/session";
import { VirtualClock } from "../../harness/clock";

describe("zstack AccessKey signature (apis/zstack.md formula)", () => {
    const date = "Wed, 25 Nov 2026 08:00:00 GMT";
    const at = Date.UTC(2026, 10, 25, 8, 0, 0);
    const uri = "/v1/vm-instances/from/vm-backups/0123456789abcdef0123456789abcdef";
    const sign = (method: string, url: string, secret = "secret-key-1") =>
        signAccessKey({ accessKeyId: "AK1", accessKeySecret: secret, method, url, nowMs: at });

    it("signs Base64(HmacSHA1(secret, METHOD \\n Date \\n URI)) as ZStack {id}:{signature}", () => {
        // Computed from the documented formula with openssl (printf 'POST\n<date>\n<uri>' | openssl dgst -sha1 -hmac).
        assert.equal(
            sign("POST", `http://h:8080/zstack${uri}`).authorization,
            "ZStack AK1:1LFFjFU1yGKqCUeW6LH5sIWfZ+0=",
        );
        const independent = createHmac("sha1", "other").update(`GET\n${date}\n/v1/vm-instances/x`).digest("base64");
        assert.equal(
            sign("get", "http://h:8080/zstack/v1/vm-instances/x", "other").authorization,
            `ZStack AK1:${independent}`,
        );
    });

    it("signs the path after /zstack, without the query string or fragment", () => {
        const plain = sign("DELETE", "http://10.0.0.5:8080/zstack/v1/vm-instances/abc").authorization;
        assert.equal(
            sign("DELETE", "http://10.0.0.5:8080/zstack/v1/vm-instances/abc?deleteMode=Permissive").authorization,
            plain,
        );
        assert.equal(sign("DELETE", "/zstack/v1/vm-instances/abc").authorization, plain);
        assert.equal(sign("DELETE", "/v1/vm-instances/abc#frag").authorization, plain);
    });

    it("formats the Date header as EEE, dd MMM yyyy HH:mm:ss zzz in GMT", () => {
        assert.equal(zstackDate(at), date);
        assert.equal(sign("POST", uri).date, date);
        assert.match(zstackDate(Date.UTC(2026, 0, 5, 3, 4, 5)), /^Mon, 05 Jan 2026 03:04:05 GMT$/);
    });

    it("hashes the login password as lower-case hex SHA-512 (FIPS 180-2 vector)", () => {
        assert.equal(
            hashPassword("abc"),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
        );
    });
});

describe("zstack session pool", () => {
    let clock: VirtualClock;
    let logins: number;
    let renewals: number;
    let renewFails: boolean;
    const lifetime = 3_600_000;
    const ops = () => ({
        login: async () => {
            logins++;
            await new Promise((r) => setTimeout(r, 5));
            return { uuid: `session-${logins}`, expiresAt: clock.now() + lifetime };
        },
        renew: async (_u: string) => {
            renewals++;
            if (renewFails) throw new Error("ID.1001");
            return clock.now() + lifetime;
        },
    });

    beforeEach(() => {
        clearSessions();
        clock = new VirtualClock();
        logins = 0;
        renewals = 0;
        renewFails = false;
    });

    it("logs in once for concurrent callers and reuses the session across pools (process-wide)", async () => {
        const key = sessionKey("http://h:8080", "admin", hashPassword("pw"));
        const a = new SessionPool(key, ops(), clock, 60_000);
        const b = new SessionPool(key, ops(), clock, 60_000);
        const got = await Promise.all([a.get(), a.get(), b.get()]);
        assert.deepEqual(got, ["session-1", "session-1", "session-1"]);
        assert.equal(await new SessionPool(key, ops(), clock).get(), "session-1");
        assert.equal(logins, 1);
    });

    it("keeps separate sessions per endpoint, account and password", async () => {
        await new SessionPool(sessionKey("http://h:8080", "admin", hashPassword("pw")), ops(), clock).get();
        await new SessionPool(sessionKey("http://h:8081", "admin", hashPassword("pw")), ops(), clock).get();
        await new SessionPool(sessionKey("http://h:8080", "other", hashPassword("pw")), ops(), clock).get();
        await new SessionPool(sessionKey("http://h:8080", "admin", hashPassword("pw2")), ops(), clock).get();
        assert.equal(logins, 4);
        assert.ok(
            !sessionKey("http://h:8080", "admin", hashPassword("pw")).includes(hashPassword("pw")),
            "the key must not hold the password hash",
        );
    });

    it("renews a session close to expiry instead of logging in", async () => {
        const p = new SessionPool("k", ops(), clock, 60_000);
        await p.get();
        clock.advance(lifetime - 30_000);
        assert.equal(await p.get(), "session-1");
        assert.equal(renewals, 1);
        assert.equal(logins, 1);
        assert.equal(p.peek()!.expiresAt, clock.now() + lifetime);
    });

    it("logs in again when renewal fails or the session has expired", async () => {
        const p = new SessionPool("k", ops(), clock, 60_000);
        await p.get();
        clock.advance(lifetime - 30_000);
        renewFails = true;
        assert.equal(await p.get(), "session-2");
        clock.advance(2 * lifetime);
        assert.equal(await p.get(), "session-3");
        assert.equal(renewals, 1, "an expired session is not renewed");
    });

    it("drops a session the server rejected (ID.1001), but not a newer one", async () => {
        const p = new SessionPool("k", ops(), clock, 60_000);
        const s1 = await p.get();
        p.invalidate(s1);
        const s2 = await p.get();
        assert.equal(s2, "session-2");
        p.invalidate(s1);
        assert.equal(await p.get(), "session-2");
        assert.equal(logins, 2);
    });
});
