/**
 * Trust in the core: redaction of short secrets and of echoed credential headers, the plain-HTTP rule for every URL
 * setting (string check and the transport's check at request time), and the configurable rate limit.
 */
import { strict as assert } from "assert";
import * as http from "http";
import { AddressInfo } from "net";
import { starRocksEndpoint } from "../../provider/alicloud/credentials";
import { checkEndpoint, loopbackKind, readRateLimit } from "../../provider/core/config";
import { AxiosTransport, NetworkFailure, Resolver } from "../../provider/core/http";
import { redact, registerSecret, sensitiveHeaderValues } from "../../provider/core/redact";
import { hwAuth, koophoneEndpoint } from "../../provider/huaweicloud/credentials";
import { rdsEndpoint } from "../../provider/jdcloud/credentials";
import { redisEndpoint } from "../../provider/tencentcloud/credentials";
import { zstackEndpoint } from "../../provider/zstack/credentials";

describe("core trust: redaction, plain HTTP, rate limit settings", () => {
    describe("redaction", () => {
        it("removes a 3-character secret where it stands as a token, and leaves ordinary text intact", () => {
            registerSecret("q7Z");
            assert.equal(redact('{"Password":"q7Z","x":1}'), '{"Password":"***","x":1}');
            assert.equal(redact("password=q7Z&user=a"), "password=***&user=a");
            assert.equal(redact("the value q7Z is wrong"), "the value *** is wrong");
            // Inside longer words and identifiers it is not a token: nothing is mangled.
            assert.equal(redact("q7Zebra xq7Z q7Z_1 id-q7Za"), "q7Zebra xq7Z q7Z_1 id-q7Za");
            assert.equal(
                redact("Q7Z is another value"),
                "Q7Z is another value",
                "case matters: only the secret itself",
            );
        });

        it("removes a 1- or 2-character secret only after a secret-naming key or as a whole quoted string", () => {
            registerSecret("a");
            registerSecret("pw");
            assert.equal(redact("a backup of a pw-less instance"), "a backup of a pw-less instance");
            assert.equal(redact('{"Password":"a"}'), '{"Password":"***"}');
            assert.equal(redact("password: pw."), "password: ***.");
            assert.equal(redact("Passwd=pw&x=1"), "Passwd=***&x=1");
            assert.equal(redact("got 'pw' for it"), "got '***' for it");
            assert.equal(redact("passwords are checked"), "passwords are checked");
        });

        it("removes longer secrets wherever they occur, in their encoded forms too", () => {
            const s = "Lng/Secret+=@Q 9";
            registerSecret(s);
            const forms = [
                s,
                encodeURIComponent(s),
                new URLSearchParams({ x: s }).toString().slice(2),
                Buffer.from(s).toString("base64"),
                Buffer.from(s).toString("hex"),
            ];
            for (const f of forms) assert.equal(redact(`x${f}y`), "x***y", f);
        });

        it("removes echoed Authorization, token and signature headers of every cloud, as a dump or as JSON", () => {
            const echoes = [
                "authorization: ACS3-HMAC-SHA256 Credential=ak-1,SignedHeaders=host;x-acs-date,Signature=0a1b2c3d4e5f",
                '{"Authorization":"TC3-HMAC-SHA256 Credential=AKIDx/2026-01-01/redis/tc3_request, SignedHeaders=host, Signature=abcdef0123"}',
                "Authorization: JDCLOUD3-HMAC-SHA256 Credential=ak/20260101/cn-north-1/rds/jdcloud3_request, Signature=99aa",
                "Authorization: SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=77ff",
                "Authorization: ZStack ak-1:c2lnbmF0dXJl",
                "Authorization: OAuth 0a1b2c3d4e5f60718293a4b5c6d7e8f9",
                "X-Auth-Token: MIIEcgYJKoZIhvcNAQcCoIIEYzCCBF8CAQExDTALBglghkgBZQMEAgEwggKoBgkqhkiG",
                "x-acs-security-token: CAIS-sts-token",
                "X-Security-Token: hw-sts-token",
                '\\"x-tc-token\\":\\"tc-sts-token\\"',
                "GET /?Action=DescribeInstances&Signature=rpcSig123&AccessKeyId=ak",
            ];
            const secrets = [
                "0a1b2c3d4e5f",
                "abcdef0123",
                "99aa",
                "77ff",
                "c2lnbmF0dXJl",
                "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
                "MIIEcgYJ",
                "CAIS-sts-token",
                "hw-sts-token",
                "tc-sts-token",
                "rpcSig123",
            ];
            const out = redact(echoes.join("\n"));
            for (const s of secrets) assert.ok(!out.includes(s), `${s} survived: ${out}`);
            assert.match(out, /authorization: \*\*\*/i);
            // Ordinary mentions of the words are left alone.
            assert.equal(
                redact("Authorization is mandatory for this action."),
                "Authorization is mandatory for this action.",
            );
        });

        it("lists the credential-bearing values of a request's headers, and their long parts", () => {
            const v = sensitiveHeaderValues({
                authorization:
                    "TC3-HMAC-SHA256 Credential=AKIDabc/2026-01-01/redis/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=0123456789abcdef",
                "x-tc-token": "session-token-value",
                "content-type": "application/json",
            });
            assert.ok(v.includes("0123456789abcdef"));
            assert.ok(v.includes("session-token-value"));
            assert.ok(v.includes("AKIDabc/2026-01-01/redis/tc3_request"));
            // Not secrets, and words of ordinary messages: the scheme, the signed header names, other headers.
            for (const publicPart of [
                "application/json",
                "TC3-HMAC-SHA256",
                "content-type;host;x-tc-action",
                "content-type",
            ]) {
                assert.ok(!v.includes(publicPart), publicPart);
            }
        });
    });

    describe("plain HTTP only to loopback", () => {
        const accepted = [
            "http://127.0.0.1:8080",
            "http://127.5.6.7",
            "http://127.1:99",
            "http://127.0.0.1.:3",
            "http://[::1]:8080",
            "http://[0:0:0:0:0:0:0:1]/",
            "http://localhost:1",
            "http://LOCALHOST:2",
            "https://anything.example",
        ];
        const refused = [
            "http://127.anything.example",
            "http://127.0.0.1.nip.io",
            "http://localhost.example",
            "http://localhost./",
            "http://[::ffff:127.0.0.1]/",
            "http://[::2]/",
            "http://10.0.0.5",
            "http://128.0.0.1",
            "http://0.0.0.0",
        ];

        it("the URL check accepts IP literals in 127.0.0.0/8, [::1] and localhost, and nothing else", () => {
            for (const u of accepted) assert.doesNotThrow(() => checkEndpoint("x:endpoint", u, false), u);
            for (const u of refused) assert.throws(() => checkEndpoint("x:endpoint", u, false), /plain HTTP/, u);
            assert.equal(loopbackKind("127.0.0.1"), "ip");
            assert.equal(loopbackKind("localhost"), "name");
            assert.equal(loopbackKind("127.example"), undefined);
        });

        it("applies to every URL setting: each cloud's endpoint and KooPhone's authUrl; ZStack may use HTTP anywhere", () => {
            const bad = "http://127.evil.example:8080";
            assert.throws(
                () => starRocksEndpoint({ "alicloud:endpoint": bad }, "cn-hangzhou", {}),
                /alicloud:endpoint uses plain HTTP/,
            );
            assert.throws(
                () => redisEndpoint({ "tencentcloud:endpoint": bad }, "ap-guangzhou", {}),
                /tencentcloud:endpoint uses plain HTTP/,
            );
            assert.throws(() => rdsEndpoint({ "jdcloud:endpoint": bad }, {}), /jdcloud:endpoint uses plain HTTP/);
            assert.throws(
                () => koophoneEndpoint({ "huaweicloud:endpoint": bad }, {}),
                /huaweicloud:endpoint uses plain HTTP/,
            );
            const iam = {
                "huaweicloud:userName": "u",
                "huaweicloud:password": "p",
                "huaweicloud:authUrl": `${bad}/v3`,
            };
            assert.throws(() => hwAuth(iam, {}), /huaweicloud:authUrl uses plain HTTP/);
            assert.doesNotThrow(() => hwAuth({ ...iam, "huaweicloud:authUrl": "http://127.0.0.1:9/v3" }, {}));
            assert.equal(zstackEndpoint({ "zstack:endpoint": "http://10.0.0.5:8080" }, {}), "http://10.0.0.5:8080");
        });

        it("refuses a URL carrying credentials without echoing them", () => {
            assert.throws(
                () => checkEndpoint("x:endpoint", "https://user:s3cr3t-pw@host.example", false),
                (e: Error) =>
                    /must not carry a user name or password/.test(e.message) && !e.message.includes("s3cr3t-pw"),
            );
        });

        describe("the transport, at request time", () => {
            let server: http.Server;
            let port: number;
            let hits = 0;
            before(async () => {
                server = http.createServer((_q, r) => {
                    hits++;
                    r.end("{}");
                });
                await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
                port = (server.address() as AddressInfo).port;
            });
            after(() => new Promise<void>((r) => server.close(() => r())));

            const send = (t: AxiosTransport, url: string, allowPlainHttp?: boolean) =>
                t.send({ method: "GET", url, headers: {}, allowPlainHttp }, 2000);
            const refusedSend = (e: unknown) =>
                e instanceof NetworkFailure && e.code === "InsecureTransport" && !e.retryable && !e.uncertain;

            it("sends to localhost only after checking that it resolves to loopback, and connects to the checked address", async () => {
                const asked: string[] = [];
                const resolve: Resolver = async (h) => {
                    asked.push(h);
                    return [{ address: "127.0.0.1", family: 4 }];
                };
                const before = hits;
                assert.equal((await send(new AxiosTransport({ resolve }), `http://localhost:${port}/`)).status, 200);
                assert.deepEqual(asked, ["localhost"]);
                assert.equal(hits, before + 1);
            });

            it("refuses plain HTTP to localhost that resolves elsewhere, and to any non-loopback host, before sending", async () => {
                const before = hits;
                const elsewhere: Resolver = async () => [
                    { address: "127.0.0.1", family: 4 },
                    { address: "10.1.2.3", family: 4 },
                ];
                await assert.rejects(
                    send(new AxiosTransport({ resolve: elsewhere }), `http://localhost:${port}/`),
                    refusedSend,
                );
                const failing: Resolver = async () => {
                    throw new Error("ENOTFOUND");
                };
                await assert.rejects(
                    send(new AxiosTransport({ resolve: failing }), `http://localhost:${port}/`),
                    refusedSend,
                );
                // A name that merely begins with 127. is never sent to, whatever it resolves to.
                const lying: Resolver = async () => [{ address: "127.0.0.1", family: 4 }];
                await assert.rejects(
                    send(new AxiosTransport({ resolve: lying }), `http://127.0.0.1.example:${port}/`),
                    refusedSend,
                );
                assert.equal(hits, before, "nothing reached the server");
            });

            it("sends plain HTTP to IP loopback, and anywhere when the cloud allows it (ZStack)", async () => {
                assert.equal((await send(new AxiosTransport(), `http://127.0.0.1:${port}/`)).status, 200);
                const lying: Resolver = async () => [{ address: "127.0.0.1", family: 4 }];
                // Allowed: the transport does not refuse it (the name does not resolve here, so the request fails later).
                await assert.rejects(
                    send(new AxiosTransport({ resolve: lying }), "http://zstack.invalid:1/", true),
                    (e: unknown) => e instanceof NetworkFailure && e.code !== "InsecureTransport",
                );
            });
        });
    });

    describe("rate limit settings", () => {
        const source = { config: ["tencentcloud:rateLimitPerSecond"], env: ["TENCENTCLOUD_RATE_LIMIT_PER_SECOND"] };
        it("reads the config key, then the environment variable, else the default; rejects nonsense naming both", () => {
            assert.equal(readRateLimit({}, source, 20, {}), 20);
            assert.equal(
                readRateLimit({ "tencentcloud:rateLimitPerSecond": "10" }, source, 20, {
                    TENCENTCLOUD_RATE_LIMIT_PER_SECOND: "5",
                }),
                10,
            );
            assert.equal(readRateLimit({}, source, 20, { TENCENTCLOUD_RATE_LIMIT_PER_SECOND: "2.5" }), 2.5);
            for (const bad of ["0", "-1", "ten", "1e3", "100000", "NaN", "Infinity"]) {
                assert.throws(
                    () => readRateLimit({ "tencentcloud:rateLimitPerSecond": bad }, source, 20, {}),
                    /tencentcloud:rateLimitPerSecond \/ TENCENTCLOUD_RATE_LIMIT_PER_SECOND must be/,
                    bad,
                );
            }
        });
    });
});
