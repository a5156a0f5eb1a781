import { strict as assert } from "assert";
import { createHash } from "crypto";
import { computeAcs3, verifyAcs3 } from "../../emulator/alicloud/verify";
import { encodeRfc3986, isRfc3986Query, parseRawQuery, WireRequest } from "../../emulator/core/wire";
import { computeHw, parseXSdkDate, verifyHw } from "../../emulator/huaweicloud/verify";
import { computeJdcloud3, verifyJdcloud3 } from "../../emulator/jdcloud/verify";
import { computeTc3, parseTc3Authorization, verifyTc3 } from "../../emulator/tencentcloud/verify";
import { verifyZStackAccessKey, zstackAccessKeySignature, zstackPasswordHash } from "../../emulator/zstack/verify";

// The emulator's own verifiers (emulator/<cloud>/verify.ts) against the published signing examples of apis/*.md and,
// where the vendor publishes an SDK, against requests signed by that SDK (test oracles only). Nothing here uses the
// package's own signers: a bug the client and the emulator shared could not show otherwise.

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the vendor's utility (a test oracle), untyped: it is handed a partial request, all it reads
const OpenApiUtil = require("@alicloud/openapi-util").default;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a deep path of the vendor SDK (a test oracle), typed here by what the test uses
const TcSign = require("tencentcloud-sdk-nodejs-common/tencentcloud/common/sign").default as {
    sign3(o: {
        method: string;
        url: string;
        payload: unknown;
        timestamp: number;
        service: string;
        secretId: string;
        secretKey: string;
        multipart: boolean;
        headers: Record<string, string>;
    }): string;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the vendor SDK's signer (a test oracle), untyped: it is handed a partial credential, all it reads
const { AKSKSigner } = require("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner");

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
const lower = (h: Record<string, string>) =>
    Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), String(v)]));
const queryText = (q: Record<string, string>) =>
    Object.entries(q)
        .map(([k, v]) => `${encodeRfc3986(k)}=${encodeRfc3986(v)}`)
        .join("&");

function lcg(seed: number): () => number {
    let s = seed;
    return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

describe("emulator wire helpers (RFC 3986)", () => {
    it("decode only %XX (a + stays a plus sign) and re-encode to the canonical form", () => {
        assert.deepEqual(parseRawQuery("a=x+y&b=x%20y&c=%2A~&d"), [
            { rawName: "a", rawValue: "x+y", name: "a", value: "x+y" },
            { rawName: "b", rawValue: "x%20y", name: "b", value: "x y" },
            { rawName: "c", rawValue: "%2A~", name: "c", value: "*~" },
            { rawName: "d", rawValue: "", name: "d", value: "" },
        ]);
        assert.equal(parseRawQuery("a=%zz"), undefined);
        assert.equal(encodeRfc3986(" *~/+%é中"), "%20%2A~%2F%2B%25%C3%A9%E4%B8%AD");
        assert.equal(isRfc3986Query("a=%20%2A~&b="), true);
        for (const formEncoded of ["a=x+y", "a=*", "a=%7E", "a=%2a"])
            assert.equal(isRfc3986Query(formEncoded), false, formEncoded);
    });
});

describe("alicloud verifier (emulator/alicloud/verify.ts)", () => {
    // The published V3 example (apis/alicloud-starrocks.md).
    const example = (): WireRequest => ({
        method: "POST",
        rawPath: "/",
        rawQuery: "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai",
        headers: {
            host: "ecs.cn-shanghai.aliyuncs.com",
            "x-acs-action": "RunInstances",
            "x-acs-version": "2014-05-26",
            "x-acs-date": "2023-10-26T10:22:32Z",
            "x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703d",
            "x-acs-content-sha256": sha256(""),
            authorization:
                "ACS3-HMAC-SHA256 Credential=YourAccessKeyId," +
                "SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version," +
                "Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0",
        },
        body: "",
    });
    const ctx = {
        secretOf: (id: string) => (id === "YourAccessKeyId" ? "YourAccessKeySecret" : undefined),
        now: Date.parse("2023-10-26T10:22:32Z"),
    };
    const signed = [
        "host",
        "x-acs-action",
        "x-acs-content-sha256",
        "x-acs-date",
        "x-acs-signature-nonce",
        "x-acs-version",
    ];

    it("computes the published hashed canonical request and signature, and accepts the published request", () => {
        const c = computeAcs3(example(), signed, "YourAccessKeySecret")!;
        assert.equal(c.hashedCanonicalRequest, "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259");
        assert.equal(c.signature, "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
        assert.deepEqual(verifyAcs3(example(), ctx), { ok: true, accessKeyId: "YourAccessKeyId" });
    });

    it("rejects unsigned content-type, x-acs-* or x-acs-version headers: SignatureDoesNotMatch", () => {
        const withCt = example();
        withCt.headers["content-type"] = "application/x-www-form-urlencoded";
        const extra = example();
        extra.headers["x-acs-extra"] = "1";
        // x-acs-version left out of SignedHeaders, with a signature that is right for the headers that are listed: only
        // the canonicalization rule can reject it.
        const noVersion = example();
        const without = signed.filter((n) => n !== "x-acs-version");
        const sig = computeAcs3(noVersion, without, "YourAccessKeySecret")!.signature;
        const list = without.join(";");
        noVersion.headers.authorization =
            "ACS3-HMAC-SHA256 Credential=YourAccessKeyId," + `SignedHeaders=${list},Signature=${sig}`;
        for (const [req, header] of [
            [withCt, "content-type"],
            [extra, "x-acs-extra"],
            [noVersion, "x-acs-version"],
        ] as const) {
            const v = verifyAcs3(req, ctx);
            assert.equal(v.ok, false);
            if (v.ok) continue;
            assert.equal(v.code, "SignatureDoesNotMatch");
            assert.equal(v.status, 400);
            assert.match(v.message, new RegExp(`${header} must be in SignedHeaders`));
        }
    });

    it("rejects a changed query, body, clock and key with the gateway's codes", () => {
        const q = example();
        q.rawQuery = q.rawQuery.replace("cn-shanghai", "cn-beijing");
        assert.equal((verifyAcs3(q, ctx) as { code: string }).code, "SignatureDoesNotMatch");
        const b = example();
        b.body = "{}";
        assert.equal((verifyAcs3(b, ctx) as { code: string }).code, "SignatureDoesNotMatch");
        assert.equal(
            (verifyAcs3(example(), { ...ctx, now: ctx.now + 16 * 60_000 }) as { code: string }).code,
            "InvalidTimeStamp.Expired",
        );
        assert.equal(
            (verifyAcs3(example(), { ...ctx, secretOf: () => undefined }) as { code: string }).code,
            "InvalidAccessKeyId.NotFound",
        );
        assert.equal(
            (verifyAcs3(example(), { ...ctx, secretOf: () => "other" }) as { code: string }).code,
            "SignatureDoesNotMatch",
        );
    });

    it("accepts 40 requests signed by the official @alicloud/openapi-util, and none once a byte changes", () => {
        const rnd = lcg(11);
        const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
        const values = ["a b", "x*y", "t~ilde", "100%", "a+b", "é中", "[1,2]", '{"k":"v"}', "", "plain", "s/l"];
        for (let i = 0; i < 40; i++) {
            const query: Record<string, string> = {};
            for (let j = Math.floor(rnd() * 4); j > 0; j--)
                query[pick(["InstanceId", "RegionId", "Tag", "PageSize", "Name"])] = pick(values);
            const body = rnd() < 0.5 ? JSON.stringify({ BackupTaskId: `bk-${i}`, InstanceName: pick(values) }) : "";
            const pathname = pick(["/", "/webapi/restore/restoreInstance", "/webapi/cluster/release", "/a b/c*d"]);
            const headers: Record<string, string> = {
                host: pick(["starrocks.cn-hangzhou.aliyuncs.com", "127.0.0.1:8443"]),
                "x-acs-action": pick(["RestoreInstance", "DescribeInstances"]),
                "x-acs-version": "2022-10-19",
                "x-acs-date": `2026-01-01T00:00:${String(i).padStart(2, "0")}Z`,
                "x-acs-signature-nonce": sha256(String(i)).slice(0, 32),
                "x-acs-content-sha256": sha256(body),
            };
            if (body) headers["content-type"] = "application/json; charset=utf-8";
            if (rnd() < 0.3) headers["x-acs-security-token"] = `sts-${i}/+=`;
            const authorization = OpenApiUtil.getAuthorization(
                { method: "POST", pathname: OpenApiUtil.getEncodePath(pathname), query, headers },
                "ACS3-HMAC-SHA256",
                headers["x-acs-content-sha256"],
                `LTAI${i}`,
                `secret-${i}`,
            );
            const req: WireRequest = {
                method: "POST",
                rawPath: OpenApiUtil.getEncodePath(pathname),
                rawQuery: queryText(query),
                headers: { ...headers, authorization },
                body,
            };
            const c = { secretOf: () => `secret-${i}`, now: Date.parse(headers["x-acs-date"]) };
            assert.deepEqual(
                verifyAcs3(req, c),
                { ok: true, accessKeyId: `LTAI${i}` },
                `request ${i}: ${pathname} ${JSON.stringify(query)}`,
            );
            assert.equal(
                verifyAcs3({ ...req, headers: { ...req.headers, "x-acs-action": "ReleaseInstance" } }, c).ok,
                false,
            );
        }
    });
});

describe("tencentcloud verifier (emulator/tencentcloud/verify.ts)", () => {
    // The published CVM example (apis/tencentcloud-redis.md).
    const payload = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}';
    const example = (): WireRequest => ({
        method: "POST",
        rawPath: "/",
        rawQuery: "",
        headers: {
            host: "cvm.tencentcloudapi.com",
            "content-type": "application/json; charset=utf-8",
            "x-tc-action": "DescribeInstances",
            "x-tc-timestamp": "1551113065",
            "x-tc-version": "2017-03-12",
            "x-tc-region": "ap-guangzhou",
            authorization:
                "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, " +
                "SignedHeaders=content-type;host, " +
                "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
        },
        body: payload,
    });
    const ctx = { secretOf: () => "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", service: "cvm", now: 1551113065_000 };

    it("computes the published payload hash, hashed canonical request and signature, and accepts the request", () => {
        assert.equal(sha256(payload), "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
        const c = computeTc3(
            example(),
            ["content-type", "host"],
            "cvm",
            1551113065,
            "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        )!;
        assert.equal(c.hashedCanonicalRequest, "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
        assert.equal(c.signature, "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
        assert.deepEqual(verifyTc3(example(), ctx), { ok: true, secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE" });
        assert.deepEqual(parseTc3Authorization(example().headers.authorization)?.signedHeaders, [
            "content-type",
            "host",
        ]);
    });

    it("rejects content-type left unsigned, a content-type other than the one signed, and a stale timestamp", () => {
        const c = computeTc3(example(), ["host"], "cvm", 1551113065, "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE")!;
        const hostOnly = example();
        hostOnly.headers.authorization =
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, " +
            `SignedHeaders=host, Signature=${c.signature}`;
        const v = verifyTc3(hostOnly, ctx);
        assert.ok(
            !v.ok && v.code === "AuthFailure.SignatureFailure" && /content-type/.test(v.message),
            JSON.stringify(v),
        );
        const otherType = example();
        otherType.headers["content-type"] = "application/x-www-form-urlencoded";
        assert.equal((verifyTc3(otherType, ctx) as { code: string }).code, "AuthFailure.SignatureFailure");
        assert.equal(
            (verifyTc3(example(), { ...ctx, now: ctx.now + 301_000 }) as { code: string }).code,
            "AuthFailure.SignatureExpire",
        );
    });

    it("accepts 40 requests signed by the official tencentcloud-sdk-nodejs-common signer", () => {
        const rnd = lcg(5);
        const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
        for (let i = 0; i < 40; i++) {
            const host = pick([
                "redis.tencentcloudapi.com",
                "redis.intl.tencentcloudapi.com",
                "cvm.tencentcloudapi.com",
            ]);
            const service = host.split(".")[0];
            const payload = JSON.stringify({
                InstanceId: `crs-${i}`,
                Password: pick(["pa ss wörd", "中文", "a+b=c&d", ""]),
            });
            const timestamp = 1_600_000_000 + Math.floor(rnd() * 100_000_000);
            const ct = pick(["application/json; charset=utf-8", "application/json"]);
            const authorization = TcSign.sign3({
                method: "POST",
                url: `https://${host}/`,
                payload: Buffer.from(payload),
                timestamp,
                service,
                secretId: `AKID${i}`,
                secretKey: `key-${i}`,
                multipart: false,
                headers: { "Content-Type": ct },
            });
            const req: WireRequest = {
                method: "POST",
                rawPath: "/",
                rawQuery: "",
                headers: { host, "content-type": ct, "x-tc-timestamp": String(timestamp), authorization },
                body: payload,
            };
            const c = { secretOf: () => `key-${i}`, service, now: timestamp * 1000 };
            assert.deepEqual(verifyTc3(req, c), { ok: true, secretId: `AKID${i}` }, `request ${i}`);
            assert.equal(verifyTc3({ ...req, body: payload.replace("crs-", "crs_") }, c).ok, false);
        }
    });
});

describe("jdcloud verifier (emulator/jdcloud/verify.ts)", () => {
    // The published version-3 examples (apis/jdcloud-rds.md): the official SDK signer's test vectors.
    const example = (rawPath: string, rawQuery: string, signature: string): WireRequest => ({
        method: "GET",
        rawPath,
        rawQuery,
        headers: {
            host: "apigw-internal-dev.cn-north-1.jcloudcs.com:8000",
            "content-type": "application/json",
            "x-jdcloud-date": "20190917T064708Z",
            "x-jdcloud-nonce": "X-Jdcloud-Nonce",
            authorization:
                "JDCLOUD3-HMAC-SHA256 Credential=ak/20190917/cn-north-1/apigatewaytestproductline/jdcloud3_request, " +
                `SignedHeaders=content-type;host;x-jdcloud-date;x-jdcloud-nonce, Signature=${signature}`,
        },
        body: "",
    });
    const ctx = {
        secretOf: () => "sk",
        service: "apigatewaytestproductline",
        region: "cn-north-1",
        now: Date.UTC(2019, 8, 17, 6, 47, 8),
    };
    const names = ["content-type", "host", "x-jdcloud-date", "x-jdcloud-nonce"];
    const FIRST = "44c5ec30b6185516986ae171d8276552bc0f37f6a536a44e4f578958fc1c12be";
    const SECOND = "43efb5fb00e86faf35d8bf0bed3b72e84cfc98ee4754065e29c3caa7bcaa12cb";

    it("computes both published signatures and accepts both requests", () => {
        assert.equal(
            computeJdcloud3(example("/", "", FIRST), names, "cn-north-1", "apigatewaytestproductline", "sk")!.signature,
            FIRST,
        );
        assert.equal(
            computeJdcloud3(
                example("/v1/regions/cn-north-1/instances", "a=a", SECOND),
                names,
                "cn-north-1",
                "apigatewaytestproductline",
                "sk",
            )!.signature,
            SECOND,
        );
        assert.deepEqual(verifyJdcloud3(example("/", "", FIRST), ctx), { ok: true, accessKey: "ak" });
        assert.deepEqual(verifyJdcloud3(example("/v1/regions/cn-north-1/instances", "a=a", SECOND), ctx), {
            ok: true,
            accessKey: "ak",
        });
    });

    it("normalises the path as version 3 says: a colon sent raw or as %3A, doubled slashes", () => {
        const a = computeJdcloud3(example("/v1//regions/x/instances:create", "", FIRST), names, "r", "s", "k")!;
        const b = computeJdcloud3(example("/v1/regions/x/instances%3Acreate", "", FIRST), names, "r", "s", "k")!;
        assert.equal(a.canonicalRequest.split("\n")[1], "/v1/regions/x/instances%3Acreate");
        assert.equal(a.signature, b.signature);
    });

    it("rejects an unsigned content-type or x-jdcloud-* header, a date outside the window and a wrong scope", () => {
        const ct = example("/", "", FIRST);
        ct.headers.authorization = ct.headers.authorization.replace("SignedHeaders=content-type;", "SignedHeaders=");
        const tok = example("/", "", FIRST);
        tok.headers["x-jdcloud-security-token"] = "tok";
        for (const [req, header] of [
            [ct, "content-type"],
            [tok, "x-jdcloud-security-token"],
        ] as const) {
            const v = verifyJdcloud3(req, ctx);
            assert.ok(
                !v.ok &&
                    v.status === 401 &&
                    v.code === "UNAUTHENTICATED" &&
                    v.message.includes(`${header} must be signed`),
                JSON.stringify(v),
            );
        }
        assert.match(
            (
                verifyJdcloud3(example("/", "", FIRST), { ...ctx, now: ctx.now + 5 * 60_000 + 1000 }) as {
                    message: string;
                }
            ).message,
            /expired/,
        );
        assert.match(
            (verifyJdcloud3(example("/", "", FIRST), { ...ctx, region: "cn-east-2" }) as { message: string }).message,
            /credential scope/,
        );
        assert.match(
            (verifyJdcloud3(example("/", "a=b", FIRST), ctx) as { message: string }).message,
            /signature does not match/,
        );
    });
});

describe("huaweicloud verifier (emulator/huaweicloud/verify.ts)", () => {
    // The published AK/SK example (apis/huaweicloud-koophone.md).
    const example = (): WireRequest => ({
        method: "GET",
        rawPath: "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/",
        rawQuery: "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
        headers: {
            "content-type": "application/json",
            host: "service.region.example.com",
            "x-sdk-date": "20191115T033655Z",
            authorization:
                "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, " +
                "Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
        },
        body: "",
    });
    const SK = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc";
    const ctx = {
        secretOf: (ak: string) => (ak === "QTWAOYTTINDUT2QVKYUC" ? SK : undefined),
        now: Date.UTC(2019, 10, 15, 3, 36, 55),
    };

    it("computes the published hashed canonical request and signature, and accepts the request", () => {
        const c = computeHw(example(), ["content-type", "host", "x-sdk-date"], SK)!;
        assert.equal(c.hashedCanonicalRequest, "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a");
        assert.equal(c.signature, "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe");
        assert.deepEqual(verifyHw(example(), ctx), { ok: true, accessKey: "QTWAOYTTINDUT2QVKYUC" });
        assert.equal(parseXSdkDate("20191115T033655Z"), ctx.now);
        assert.equal(parseXSdkDate("2019-11-15"), undefined);
    });

    it("rejects x-sdk-date or content-type left unsigned, and a changed query (APIGW.0301)", () => {
        for (const drop of ["x-sdk-date", "content-type"]) {
            const req = example();
            const names = ["content-type", "host", "x-sdk-date"].filter((n) => n !== drop);
            const sig = computeHw(req, names, SK)!.signature;
            const list = names.join(";");
            req.headers.authorization =
                "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, " + `SignedHeaders=${list}, Signature=${sig}`;
            const v = verifyHw(req, ctx);
            assert.ok(
                !v.ok && v.status === 401 && v.code === "APIGW.0301" && v.message.includes(`${drop} must be signed`),
                JSON.stringify(v),
            );
        }
        const q = example();
        q.rawQuery = "limit=3&marker=13551d6b-755d-4757-b956-536f674975c0";
        assert.match((verifyHw(q, ctx) as { message: string }).message, /verify aksk signature fail/);
    });

    it("accepts 40 requests signed by the official @huaweicloud/huaweicloud-sdk-core signer", () => {
        const rnd = lcg(3);
        const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
        for (let i = 0; i < 40; i++) {
            const method = pick(["GET", "POST"]);
            const path = pick(["/v1/instances/batch-query", "/v1/instances/backup", "/v1/instances/tasks/t-1"]);
            const query: Record<string, string> =
                method === "GET" ? { page_no: "1", page_size: "10", instance_id: pick(["i-1", "a b*~", "é/+%"]) } : {};
            const data = method === "POST" ? { instance_ids: [`i${i}`] } : undefined;
            const date = `2026010${1 + (i % 9)}T0${i % 10}0000Z`;
            const host = "koophone.example.com";
            const extra: Record<string, string> = {
                "content-type": "application/json;charset=UTF-8",
                "x-request-id": `req-${i}`,
            };
            if (rnd() < 0.4) extra["x-security-token"] = `tok-${i}+/=`;
            const signed = AKSKSigner.sign(
                {
                    method,
                    endpoint: `https://${host}${path}`,
                    queryParams: query,
                    headers: { ...extra, "X-Sdk-Date": date, host },
                    data,
                },
                { getAk: () => `AK${i}`, getSk: () => `SK${i}` },
            ) as Record<string, string>;
            const req: WireRequest = {
                method,
                rawPath: path,
                rawQuery: queryText(query),
                headers: lower(signed),
                body: data ? JSON.stringify(data) : "",
            };
            const c = { secretOf: () => `SK${i}`, now: parseXSdkDate(date)! };
            assert.deepEqual(
                verifyHw(req, c),
                { ok: true, accessKey: `AK${i}` },
                `request ${i}: ${method} ${path} ${req.rawQuery}`,
            );
            assert.equal(verifyHw({ ...req, headers: { ...req.headers, "x-request-id": "changed" } }, c).ok, false);
        }
    });
});

describe("zstack verifier (emulator/zstack/verify.ts)", () => {
    const date = "Wed, 25 Nov 2026 08:00:00 GMT";
    const uri = "/v1/vm-instances/from/vm-backups/0123456789abcdef0123456789abcdef";
    const req = (authorization: string, rawPath = `/zstack${uri}`): WireRequest => ({
        method: "POST",
        rawPath,
        rawQuery: "",
        headers: { authorization, date },
        body: "{}",
    });
    const ctx = {
        secretOf: (id: string) => (id === "AK1" ? "secret-key-1" : undefined),
        now: Date.UTC(2026, 10, 25, 8, 0, 0),
    };

    it("computes the documented formula's vector (from openssl); a changed path or date fails with ID.1001", () => {
        // printf 'POST\n<date>\n<uri>' | openssl dgst -sha1 -hmac secret-key-1 -binary | base64 (no published vector)
        assert.equal(zstackAccessKeySignature("secret-key-1", "post", date, uri), "1LFFjFU1yGKqCUeW6LH5sIWfZ+0=");
        assert.deepEqual(verifyZStackAccessKey(req("ZStack AK1:1LFFjFU1yGKqCUeW6LH5sIWfZ+0="), ctx), {
            ok: true,
            accessKeyId: "AK1",
        });
        const other = verifyZStackAccessKey(
            req("ZStack AK1:1LFFjFU1yGKqCUeW6LH5sIWfZ+0=", "/zstack/v1/vm-instances/x"),
            ctx,
        );
        assert.ok(!other.ok && other.code === "ID.1001", JSON.stringify(other));
        assert.equal(
            verifyZStackAccessKey(req("ZStack AK1:1LFFjFU1yGKqCUeW6LH5sIWfZ+0="), {
                ...ctx,
                now: ctx.now + 16 * 60_000,
            }).ok,
            false,
        );
        assert.equal(verifyZStackAccessKey(req("ZStack AK2:1LFFjFU1yGKqCUeW6LH5sIWfZ+0="), ctx).ok, false);
    });

    it("stores passwords as lower-case hex SHA-512 (FIPS 180-2 vector for abc)", () => {
        assert.equal(
            zstackPasswordHash("abc"),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a" +
                "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
        );
    });
});
