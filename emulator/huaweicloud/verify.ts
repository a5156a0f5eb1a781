import {
    canonicalPathSegments,
    canonicalQueryOf,
    hmacSha256,
    parseRawQuery,
    sha256Hex,
    Verdict,
    WireRequest,
} from "../core/wire";

/**
 * The Huawei Cloud API gateway's check of an AK/SK signature (SDK-HMAC-SHA256), written from
 * `apis/huaweicloud-koophone.md`, independently of the client's signer:
 * - CanonicalRequest = METHOD \n CanonicalURI (segments RFC 3986 encoded, always ending with `/`) \n sorted encoded
 *   query \n `lower(name):trimmed value\n` per signed header \n signed names joined by `;` \n hex(SHA256(body)).
 * - StringToSign = `SDK-HMAC-SHA256\n{X-Sdk-Date}\n{hex SHA256(CanonicalRequest)}`;
 *   Signature = hex(HMAC-SHA256(SK, StringToSign)).
 * - Signed headers: `host` and `x-sdk-date` always. `content-type` and `x-security-token`, when sent, must be signed as
 *   well: ASSUMPTION, stricter than the documented minimum, matching what the official SDK does (it signs every header
 *   it sets). Failures answer HTTP 401 `APIGW.0301` ("Incorrect IAM authentication information").
 */

/** The algorithm name. */
export const SDK_HMAC_SHA256 = "SDK-HMAC-SHA256";

/**
 * How far `X-Sdk-Date` may be from the server's clock. ASSUMPTION: `apis/huaweicloud-koophone.md` gives no window;
 * 15 minutes is assumed.
 */
export const HW_SKEW_MS = 15 * 60_000;

/** The parts of an SDK-HMAC-SHA256 Authorization header. */
export interface HwAuthorization {
    accessKey: string;
    signedHeaders: string[];
    signature: string;
}

/** Splits `SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex`; undefined when it is not one. */
export function parseHwAuthorization(value: string | undefined): HwAuthorization | undefined {
    const m = /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([a-z0-9;_-]+),\s*Signature=([0-9a-f]{64})$/.exec(
        (value ?? "").trim(),
    );
    if (!m) return undefined;
    return { accessKey: m[1], signedHeaders: m[2].split(";"), signature: m[3] };
}

/** Parses `YYYYMMDDTHHMMSSZ` to ms; undefined when malformed. */
export function parseXSdkDate(s: string | undefined): number | undefined {
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s ?? "");
    if (!m) return undefined;
    return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

/** Names (lower-case) that must be signed: `host`, `x-sdk-date`; `content-type` and `x-security-token` if sent. */
export function hwCanonicalizedHeaders(headers: Record<string, string>): string[] {
    const present = new Set(Object.keys(headers).map((n) => n.toLowerCase()));
    return ["content-type", "host", "x-sdk-date", "x-security-token"].filter(
        (n) => n === "host" || n === "x-sdk-date" || present.has(n),
    );
}

/** What the signature covers, computed by the server. */
export interface HwComputation {
    canonicalRequest: string;
    hashedCanonicalRequest: string;
    stringToSign: string;
    signature: string;
}

/** Computes the signature of a request over the named headers (values as sent, trimmed). */
export function computeHw(req: WireRequest, signedHeaders: string[], secretKey: string): HwComputation | undefined {
    const segs = canonicalPathSegments(req.rawPath || "/");
    const pairs = parseRawQuery(req.rawQuery);
    if (segs === undefined || pairs === undefined) return undefined;
    const uri = segs.endsWith("/") ? segs : `${segs}/`;
    const names = signedHeaders.map((n) => n.toLowerCase()).sort();
    const canonicalHeaders = names.map((n) => `${n}:${(req.headers[n] ?? "").trim()}\n`).join("");
    const canonicalRequest = [
        req.method.toUpperCase(),
        uri,
        canonicalQueryOf(pairs),
        canonicalHeaders,
        names.join(";"),
        sha256Hex(req.body),
    ].join("\n");
    const hashedCanonicalRequest = sha256Hex(canonicalRequest);
    const stringToSign = `${SDK_HMAC_SHA256}\n${req.headers["x-sdk-date"] ?? ""}\n${hashedCanonicalRequest}`;
    const signature = hmacSha256(secretKey, stringToSign).toString("hex");
    return { canonicalRequest, hashedCanonicalRequest, stringToSign, signature };
}

/** What the gateway needs: the secret of an access key, and its own time. */
export interface HwVerifyContext {
    secretOf: (accessKey: string) => string | undefined;
    now: number;
}

/** Verifies an AK/SK-signed request; failures are HTTP 401 `APIGW.0301` with a message saying why. */
export function verifyHw(req: WireRequest, ctx: HwVerifyContext): Verdict<{ accessKey: string }> {
    const h = req.headers;
    const fail = (why: string) => ({
        ok: false as const,
        status: 401,
        code: "APIGW.0301",
        message: `Incorrect IAM authentication information: ${why}`,
    });
    const auth = parseHwAuthorization(h.authorization);
    if (!auth) return fail("Authorization header or X-Auth-Token is required.");
    const secret = ctx.secretOf(auth.accessKey);
    if (secret === undefined) return fail("the access key does not exist.");
    const date = parseXSdkDate(h["x-sdk-date"]);
    if (date === undefined) return fail("X-Sdk-Date is missing or malformed.");
    if (Math.abs(date - ctx.now) > HW_SKEW_MS) return fail("the request has expired (X-Sdk-Date).");
    const unsigned = hwCanonicalizedHeaders(h).filter((n) => !auth.signedHeaders.includes(n));
    if (unsigned.length > 0) return fail(`${unsigned.join(", ")} must be signed.`);
    const c = computeHw(req, auth.signedHeaders, secret);
    if (!c || c.signature !== auth.signature) return fail("verify aksk signature fail.");
    return { ok: true, accessKey: auth.accessKey };
}
