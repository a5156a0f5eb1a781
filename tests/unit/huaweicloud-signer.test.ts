import { strict as assert } from "assert";
import { canonicalQueryString, canonicalUri, hwEncode, sdkDate, signHw } from "../../provider/huaweicloud/signer";

// The official Huawei Cloud SDK signer, used only as a test oracle.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the vendor SDK's signer (a test oracle), untyped: it is handed a partial credential, all it reads
const { AKSKSigner } = require("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner");

const EXAMPLE = {
    method: "GET",
    path: "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/",
    query: { limit: "2", marker: "13551d6b-755d-4757-b956-536f674975c0" },
    headers: {
        "content-type": "application/json",
        host: "service.region.example.com",
        "x-sdk-date": "20191115T033655Z",
    },
    body: "",
    accessKey: "QTWAOYTTINDUT2QVKYUC",
    secretKey: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
};

describe("huaweicloud SDK-HMAC-SHA256 signer", () => {
    it("reproduces the published example exactly", () => {
        const s = signHw(EXAMPLE);
        assert.equal(s.hashedCanonicalRequest, "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a");
        assert.equal(s.signature, "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe");
        assert.equal(s.signedHeaders, "content-type;host;x-sdk-date");
        assert.equal(
            s.authorization,
            "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
        );
        assert.equal(
            s.stringToSign,
            "SDK-HMAC-SHA256\n20191115T033655Z\nb25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a",
        );
    });

    it("encodes, orders and formats like the specification", () => {
        assert.equal(hwEncode("a b*c~d!'()/"), "a%20b%2Ac~d%21%27%28%29%2F");
        assert.equal(canonicalUri("/v1/instances/backup"), "/v1/instances/backup/");
        assert.equal(canonicalUri("/v1/a b/"), "/v1/a%20b/");
        assert.equal(canonicalQueryString({ b: "2", a: ["z", "y"], c: "" }), "a=y&a=z&b=2&c=");
        assert.equal(sdkDate(Date.UTC(2019, 10, 15, 3, 36, 55, 999)), "20191115T033655Z");
    });

    it("changes the signature when any signed part changes", () => {
        const base = signHw(EXAMPLE).signature;
        assert.notEqual(signHw({ ...EXAMPLE, body: "{}" }).signature, base);
        assert.notEqual(signHw({ ...EXAMPLE, query: { limit: "3", marker: EXAMPLE.query.marker } }).signature, base);
        assert.notEqual(signHw({ ...EXAMPLE, secretKey: "x" + EXAMPLE.secretKey }).signature, base);
        assert.notEqual(
            signHw({ ...EXAMPLE, headers: { ...EXAMPLE.headers, "x-sdk-date": "20191115T033656Z" } }).signature,
            base,
        );
    });

    it("agrees with the official @huaweicloud/huaweicloud-sdk-core signer on 60 generated requests", () => {
        let seed = 20191115;
        const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
        const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
        const word = (alphabet: string, min: number, max: number) => {
            const n = min + Math.floor(rnd() * (max - min + 1));
            let s = "";
            for (let i = 0; i < n; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
            return s;
        };
        const KEYS = "abcdefghijklmnopqrstuvwxyz_0123456789";
        const VALUES = "abcXYZ019-_.~ !*'()/:;=&?#%+,@[]中文é";
        let compared = 0;
        for (let n = 0; n < 60; n++) {
            const method = pick(["GET", "POST", "PUT", "DELETE"]);
            const path =
                "/" +
                Array.from({ length: 1 + Math.floor(rnd() * 4) }, () =>
                    word("abcdefghijklmnopqrstuvwxyz0123456789-_.~", 1, 12),
                ).join("/") +
                (rnd() < 0.3 ? "/" : "");
            const query: Record<string, string> = {};
            const nq = Math.floor(rnd() * 5);
            for (let i = 0; i < nq; i++) query[word(KEYS, 1, 8)] = word(VALUES, 0, 16);
            const date = sdkDate(
                Date.UTC(
                    2019 + Math.floor(rnd() * 8),
                    Math.floor(rnd() * 12),
                    1 + Math.floor(rnd() * 28),
                    Math.floor(rnd() * 24),
                    Math.floor(rnd() * 60),
                    Math.floor(rnd() * 60),
                ),
            );
            const host = `${word("abcdefghij", 3, 10)}.example.com${rnd() < 0.3 ? ":8443" : ""}`;
            const headers: Record<string, string> = { "content-type": "application/json", "x-sdk-date": date };
            if (rnd() < 0.5) headers["x-request-id"] = word("0123456789abcdef-", 8, 36);
            if (rnd() < 0.3) headers["x-security-token"] = word("ABCDEFabcdef0123456789+/=", 16, 64);
            if (rnd() < 0.3) headers["x-project-id"] = word("0123456789abcdef", 32, 32);
            const data =
                method === "GET" || rnd() < 0.2
                    ? undefined
                    : {
                          instance_ids: Array.from({ length: 1 + Math.floor(rnd() * 5) }, () =>
                              word("abcdef0123456789", 4, 32),
                          ),
                          user_id: word("0123456789", 5, 19),
                      };
            const body = data === undefined ? "" : JSON.stringify(data);
            const ak = word("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 20, 20);
            const sk = word("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 40, 40);

            const ours = signHw({
                method,
                path,
                query,
                headers: { ...headers, host },
                body,
                accessKey: ak,
                secretKey: sk,
            });
            const { "x-sdk-date": _d, ...rest } = headers;
            // The SDK reads the date from X-Sdk-Date (its spelling) and signs every header it is given.
            const sdkHeaders = AKSKSigner.sign(
                {
                    method,
                    endpoint: `https://${host}${path}`,
                    queryParams: query,
                    headers: { ...rest, "X-Sdk-Date": date, host },
                    data,
                },
                { getAk: () => ak, getSk: () => sk },
            ) as Record<string, string>;
            assert.equal(
                ours.authorization,
                sdkHeaders.Authorization,
                `request ${n}: ${method} ${path} ${JSON.stringify(query)}`,
            );
            compared++;
        }
        assert.equal(compared, 60);
    });
});
