import { strict as assert } from "assert";
import { createHash } from "crypto";
import { acsDate, canonicalQuery, rfc3986, signAcs3 } from "../../provider/alicloud/signer";

// The official Alibaba Cloud OpenAPI utility, used only as a test oracle.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the vendor's utility (a test oracle), untyped: it is handed a partial request, all it reads
const OpenApiUtil = require("@alicloud/openapi-util").default;

describe("alicloud ACS3-HMAC-SHA256 signer", () => {
    it("reproduces the published example exactly", () => {
        const s = signAcs3({
            method: "POST",
            pathname: "/",
            query: { ImageId: "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd", RegionId: "cn-shanghai" },
            host: "ecs.cn-shanghai.aliyuncs.com",
            action: "RunInstances",
            version: "2014-05-26",
            body: "",
            accessKeyId: "YourAccessKeyId",
            accessKeySecret: "YourAccessKeySecret",
            date: "2023-10-26T10:22:32Z",
            nonce: "3156853299f313e23d1673dc12e1703d",
        });
        assert.equal(s.hashedCanonicalRequest, "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259");
        assert.equal(s.signature, "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
        assert.equal(
            s.signedHeaders,
            "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version",
        );
        assert.equal(
            s.headers.authorization,
            "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0",
        );
    });

    it("encodes per RFC 3986 (space %20, * %2A, ~ kept) and sorts query keys", () => {
        assert.equal(rfc3986("a b*c~d!'()"), "a%20b%2Ac~d%21%27%28%29");
        assert.equal(
            canonicalQuery({ b: "2", a: "", Tag: '[{"key":"k","value":"v w"}]' }),
            "Tag=%5B%7B%22key%22%3A%22k%22%2C%22value%22%3A%22v%20w%22%7D%5D&a=&b=2",
        );
        assert.equal(acsDate(Date.UTC(2023, 9, 26, 10, 22, 32, 123)), "2023-10-26T10:22:32Z");
    });

    it("agrees with the official @alicloud/openapi-util signer on 60 generated requests", () => {
        let seed = 42;
        const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
        const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
        const reserved = [
            "a b",
            "x*y",
            "t~ilde",
            "100%",
            "a+b",
            "é中",
            "[1,2]",
            '{"k":"v"}',
            "semi;colon",
            "q?&=#",
            "",
            "plain",
        ];
        const paths = [
            "/",
            "/webapi/restore/restoreInstance",
            "/webapi/starrocks/describeInstances",
            "/webapi/cluster/release",
            "/webapi/backup/manage/describe",
            "/a b/c*d",
        ];
        let checked = 0;
        for (let i = 0; i < 60; i++) {
            const query: Record<string, string> = {};
            const n = Math.floor(rnd() * 4);
            for (let j = 0; j < n; j++)
                query[pick(["InstanceId", "RegionId", "Tag", "PageSize", "Name", "Z"])] = pick(reserved);
            const withBody = rnd() < 0.5;
            const body = withBody
                ? JSON.stringify({
                      BackupTaskId: `bk-${i}`,
                      InstanceName: pick(reserved),
                      Tags: [{ key: "k", value: pick(reserved) }],
                  })
                : "";
            const sts = rnd() < 0.3 ? `sts-token-${i}/+=` : undefined;
            const req = {
                method: "POST",
                pathname: pick(paths),
                query,
                host: pick(["starrocks.cn-hangzhou.aliyuncs.com", "127.0.0.1:8443"]),
                action: pick(["RestoreInstance", "DescribeInstances"]),
                version: "2022-10-19",
                body,
                contentType: withBody ? "application/json; charset=utf-8" : undefined,
                accessKeyId: `LTAI${i}`,
                accessKeySecret: `secret-${i}-${pick(reserved)}`,
                securityToken: sts,
                date: acsDate(Date.UTC(2026, 0, 1, 0, 0, i)),
                nonce: createHash("md5").update(String(i)).digest("hex"),
            };
            const ours = signAcs3(req);
            const headers: Record<string, string> = { ...ours.headers };
            delete headers.authorization;
            const oracle = OpenApiUtil.getAuthorization(
                { method: req.method, pathname: OpenApiUtil.getEncodePath(req.pathname), query: req.query, headers },
                "ACS3-HMAC-SHA256",
                headers["x-acs-content-sha256"],
                req.accessKeyId,
                req.accessKeySecret,
            );
            assert.equal(ours.headers.authorization, oracle, `request ${i}: ${JSON.stringify(req)}`);
            checked++;
        }
        assert.equal(checked, 60);
    });
});
