import { strict as assert } from "assert";
import { signTc3 } from "../../provider/tencentcloud/signer";

// The official Tencent Cloud Node SDK's signer, used only as a test oracle.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a deep path of the vendor SDK (a test oracle), typed here by what the test uses
const Sign = require("tencentcloud-sdk-nodejs-common/tencentcloud/common/sign").default as {
    sign3(o: {
        method: string;
        url: string;
        payload: unknown;
        timestamp: number;
        service: string;
        secretId: string;
        secretKey: string;
        multipart: boolean;
        boundary?: string;
        headers: Record<string, string>;
    }): string;
};

const EXAMPLE_PAYLOAD = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}';

describe("tencentcloud TC3-HMAC-SHA256 signer", () => {
    it("reproduces the published example exactly", () => {
        const s = signTc3({
            host: "cvm.tencentcloudapi.com",
            service: "cvm",
            action: "DescribeInstances",
            version: "2017-03-12",
            region: "ap-guangzhou",
            timestamp: 1551113065,
            payload: EXAMPLE_PAYLOAD,
            contentType: "application/json; charset=utf-8",
            secretId: "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
            secretKey: "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        });
        assert.equal(s.hashedPayload, "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
        assert.equal(s.hashedCanonicalRequest, "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
        assert.equal(s.signature, "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168");
        assert.equal(s.signedHeaders, "content-type;host");
        assert.equal(
            s.canonicalRequest,
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064",
        );
        assert.equal(
            s.headers.Authorization,
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168",
        );
        assert.equal(s.headers["X-TC-Timestamp"], "1551113065");
        assert.equal(s.headers["X-TC-Region"], "ap-guangzhou");
        assert.equal(s.headers["X-TC-Token"], undefined);
    });

    it("uses the UTC date of the timestamp in the scope", () => {
        const scope = (timestamp: number) =>
            /Credential=[^/]+\/([^/]+)\//.exec(
                signTc3({
                    host: "redis.tencentcloudapi.com",
                    service: "redis",
                    action: "DescribeInstances",
                    version: "2018-04-12",
                    timestamp,
                    payload: "{}",
                    secretId: "AKIDx",
                    secretKey: "k",
                }).authorization,
            )![1];
        assert.equal(scope(1551113065), "2019-02-25");
        // 2019-02-25 23:59:59 UTC and one second later.
        assert.equal(scope(1551139199), "2019-02-25");
        assert.equal(scope(1551139200), "2019-02-26");
    });

    it("carries a temporary token in X-TC-Token without changing the signature", () => {
        const base = {
            host: "redis.tencentcloudapi.com",
            service: "redis",
            action: "DescribeInstances",
            version: "2018-04-12",
            timestamp: 1700000000,
            payload: '{"InstanceId":"crs-abcd1234"}',
            secretId: "AKIDx",
            secretKey: "k",
        };
        const a = signTc3(base);
        const b = signTc3({ ...base, token: "tok-123456" });
        assert.equal(b.headers["X-TC-Token"], "tok-123456");
        assert.equal(a.signature, b.signature);
    });

    it("agrees with the official tencentcloud-sdk-nodejs-common signer on 64 generated requests", () => {
        let seed = 7;
        const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
        const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
        const hosts = [
            "redis.tencentcloudapi.com",
            "redis.intl.tencentcloudapi.com",
            "redis.ap-shanghai-fsi.tencentcloudapi.com",
            "cvm.tencentcloudapi.com",
        ];
        const actions = [
            "RestoreInstance",
            "DescribeTaskInfo",
            "DescribeInstances",
            "DescribeInstanceBackups",
            "DescribeTaskList",
        ];
        const values = [
            "crs-5a4py64p",
            "678362566696298532848117",
            "pa ss wörd",
            "\u672a\u547d\u540d",
            'q"uote\\',
            "",
            "a+b=c&d",
            "中文密码",
            "😀",
        ];
        const keys = ["AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "AKID" + "x".repeat(32)];
        const secrets = ["Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "s3cr3t/+=", "ключ"];
        const cts = ["application/json; charset=utf-8", "application/json"];
        for (let i = 0; i < 64; i++) {
            const host = pick(hosts);
            const service = host.split(".")[0];
            const body: Record<string, unknown> = {};
            const n = Math.floor(rnd() * 4);
            for (let j = 0; j < n; j++)
                body[pick(["InstanceId", "BackupId", "Password", "TaskId", "Limit", "Status"])] =
                    rnd() < 0.3 ? Math.floor(rnd() * 1e6) : pick(values);
            const payload = rnd() < 0.2 ? "{}" : JSON.stringify(body);
            const timestamp = 1_500_000_000 + Math.floor(rnd() * 300_000_000);
            const secretId = pick(keys);
            const secretKey = pick(secrets);
            const contentType = pick(cts);
            const ours = signTc3({
                host,
                service,
                action: pick(actions),
                version: "2018-04-12",
                region: "ap-guangzhou",
                timestamp,
                payload,
                contentType,
                secretId,
                secretKey,
            });
            const theirs = Sign.sign3({
                method: "POST",
                url: `https://${host}/`,
                payload: Buffer.from(payload, "utf8"),
                timestamp,
                service,
                secretId,
                secretKey,
                multipart: false,
                headers: { "Content-Type": contentType },
            });
            assert.equal(ours.authorization, theirs, `request ${i}: ${host} ${payload}`);
        }
    });
});
