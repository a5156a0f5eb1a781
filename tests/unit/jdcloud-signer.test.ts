import { strict as assert } from "assert";
import { canonicalPath, canonicalQuery, jdcloudDate, signJdcloud3 } from "../../provider/jdcloud/signer";

// The published examples (the official SDK's signer tests, version 3): apis/jdcloud-rds.md.
const EXAMPLE = {
    method: "GET",
    host: "apigw-internal-dev.cn-north-1.jcloudcs.com:8000",
    body: "",
    contentType: "application/json",
    service: "apigatewaytestproductline",
    region: "cn-north-1",
    accessKey: "ak",
    secretKey: "sk",
    date: "20190917T064708Z",
    nonce: "X-Jdcloud-Nonce",
};

describe("jdcloud JDCLOUD3-HMAC-SHA256 signer", () => {
    it("reproduces the first published example (path /, no query)", () => {
        const s = signJdcloud3({ ...EXAMPLE, path: "/", query: {} });
        assert.equal(s.signature, "44c5ec30b6185516986ae171d8276552bc0f37f6a536a44e4f578958fc1c12be");
        assert.equal(s.signedHeaders, "content-type;host;x-jdcloud-date;x-jdcloud-nonce");
        assert.equal(
            s.headers.authorization,
            "JDCLOUD3-HMAC-SHA256 Credential=ak/20190917/cn-north-1/apigatewaytestproductline/jdcloud3_request, SignedHeaders=content-type;host;x-jdcloud-date;x-jdcloud-nonce, Signature=44c5ec30b6185516986ae171d8276552bc0f37f6a536a44e4f578958fc1c12be",
        );
    });

    it("reproduces the second published example (a path and query a=a)", () => {
        const s = signJdcloud3({ ...EXAMPLE, path: "/v1/regions/cn-north-1/instances", query: { a: "a" } });
        assert.equal(s.signature, "43efb5fb00e86faf35d8bf0bed3b72e84cfc98ee4754065e29c3caa7bcaa12cb");
        assert.equal(s.canonicalRequest.split("\n")[1], "/v1/regions/cn-north-1/instances");
        assert.equal(s.canonicalRequest.split("\n")[2], "a=a");
        assert.match(
            s.stringToSign,
            /^JDCLOUD3-HMAC-SHA256\n20190917T064708Z\n20190917\/cn-north-1\/apigatewaytestproductline\/jdcloud3_request\n[0-9a-f]{64}$/,
        );
    });

    it("signs the colon of instances:createInstanceFromBackup as %3A, whether sent raw or encoded", () => {
        assert.equal(
            canonicalPath("/v1/regions/cn-north-1/instances:createInstanceFromBackup"),
            "/v1/regions/cn-north-1/instances%3AcreateInstanceFromBackup",
        );
        const raw = signJdcloud3({
            ...EXAMPLE,
            method: "POST",
            path: "/v1/regions/cn-north-1/instances:createInstanceFromBackup",
            query: {},
            body: "{}",
        });
        const enc = signJdcloud3({
            ...EXAMPLE,
            method: "POST",
            path: "/v1/regions/cn-north-1/instances%3AcreateInstanceFromBackup",
            query: {},
            body: "{}",
        });
        assert.equal(
            raw.canonicalRequest.split("\n")[1],
            "/v1/regions/cn-north-1/instances%3AcreateInstanceFromBackup",
        );
        assert.equal(raw.signature, enc.signature);
        // A signer that left the colon literal would produce another signature.
        const literal = signJdcloud3({
            ...EXAMPLE,
            method: "POST",
            path: "/v1/regions/cn-north-1/instancesXcreateInstanceFromBackup",
            query: {},
            body: "{}",
        });
        assert.notEqual(raw.signature, literal.signature);
    });

    it("normalises the path: repeated slashes collapsed, only unreserved characters and / literal", () => {
        assert.equal(canonicalPath("//v1///regions/cn-north-1/"), "/v1/regions/cn-north-1/");
        assert.equal(canonicalPath("/a b/c~d/e%2Ff"), "/a%20b/c~d/e%2Ff");
        assert.equal(canonicalPath(""), "/");
    });

    it("sorts and encodes the query, and formats the date", () => {
        assert.equal(
            canonicalQuery({ "filters.1.values.1": "a b", "filters.1.name": "instanceName", pageSize: "100" }),
            "filters.1.name=instanceName&filters.1.values.1=a%20b&pageSize=100",
        );
        assert.equal(canonicalQuery({ b: "", a: "*" }), "a=%2A&b=");
        assert.equal(jdcloudDate(Date.UTC(2019, 8, 17, 6, 47, 8, 999)), "20190917T064708Z");
    });

    it("changes with every signed input and signs the security token when there is one", () => {
        const base = signJdcloud3({ ...EXAMPLE, path: "/", query: {} }).signature;
        for (const change of [
            { secretKey: "sk2" },
            { region: "cn-east-2" },
            { service: "rds" },
            { nonce: "n2" },
            { body: "x" },
            { method: "POST" },
            { host: "other:8000" },
        ]) {
            assert.notEqual(
                signJdcloud3({ ...EXAMPLE, path: "/", query: {}, ...change }).signature,
                base,
                JSON.stringify(change),
            );
        }
        const t = signJdcloud3({ ...EXAMPLE, path: "/", query: {}, securityToken: "tok" });
        assert.equal(t.signedHeaders, "content-type;host;x-jdcloud-date;x-jdcloud-nonce;x-jdcloud-security-token");
    });
});
