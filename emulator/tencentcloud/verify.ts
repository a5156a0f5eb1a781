import { createHmac } from "crypto";
import { canonicalQueryOf, hmacSha256, parseRawQuery, sha256Hex, Verdict, WireRequest } from "../core/wire";

/**
 * Tencent Cloud API 3.0's check of a TC3-HMAC-SHA256 signature, written from `apis/tencentcloud-redis.md` (the vendor's
 * "signature v3" page), independently of the client's signer:
 * - CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders \n
 *   hex(SHA256(payload)); for API 3.0 POST the URI is `/` and the query empty.
 * - CanonicalHeaders: at least `content-type` and `host`, names and values lower-cased and trimmed, sorted;
 *   `content-type` must be the header actually sent.
 * - StringToSign = `TC3-HMAC-SHA256\n{timestamp}\n{date}/{service}/tc3_request\n{hex SHA256(CanonicalRequest)}`;
 *   the key is derived HMAC("TC3" + key, date) → service → "tc3_request".
 */

/** The algorithm name. */
export const TC3 = "TC3-HMAC-SHA256";

/** How far `X-TC-Timestamp` may be from the server's clock: 5 minutes, as documented (else SignatureExpire). */
export const TC3_SKEW_S = 300;

const TC3_AUTHORIZATION = new RegExp(
    "^TC3-HMAC-SHA256 Credential=([^/,\\s]+)/(\\d{4}-\\d{2}-\\d{2})/([a-z0-9-]+)/tc3_request, ?" +
        "SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$",
);

/** The parts of a TC3 Authorization header. */
export interface Tc3Authorization {
    secretId: string;
    date: string;
    service: string;
    signedHeaders: string[];
    signature: string;
}

/** Splits `TC3-HMAC-SHA256 Credential=id/date/service/tc3_request, SignedHeaders=a;b, Signature=hex`. */
export function parseTc3Authorization(value: string | undefined): Tc3Authorization | undefined {
    const m = TC3_AUTHORIZATION.exec((value ?? "").trim());
    if (!m) return undefined;
    return { secretId: m[1], date: m[2], service: m[3], signedHeaders: m[4].split(";"), signature: m[5] };
}

/** The header names (lower-case) the TC3 rules require to be signed: `content-type` and `host`. */
export function tc3CanonicalizedHeaders(headers: Record<string, string>): string[] {
    return ["content-type", "host"].filter((n) => Object.keys(headers).some((k) => k.toLowerCase() === n)).sort();
}

/** `YYYY-MM-DD` of a Unix timestamp in UTC: the credential scope's date. */
export function tc3ScopeDate(timestamp: number): string {
    return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

/** What the signature covers, computed by the server. */
export interface Tc3Computation {
    canonicalRequest: string;
    hashedCanonicalRequest: string;
    stringToSign: string;
    signature: string;
}

/** Computes the TC3 signature of a request over the named headers (values as sent). Undefined for a bad query. */
export function computeTc3(
    req: WireRequest,
    signedHeaders: string[],
    service: string,
    timestamp: number,
    secretKey: string,
): Tc3Computation | undefined {
    const pairs = parseRawQuery(req.rawQuery);
    if (pairs === undefined) return undefined;
    const names = signedHeaders.map((n) => n.toLowerCase()).sort();
    const canonicalHeaders = names.map((n) => `${n}:${(req.headers[n] ?? "").trim().toLowerCase()}\n`).join("");
    const canonicalRequest = [
        req.method.toUpperCase(),
        req.rawPath || "/",
        canonicalQueryOf(pairs),
        canonicalHeaders,
        names.join(";"),
        sha256Hex(req.body),
    ].join("\n");
    const hashedCanonicalRequest = sha256Hex(canonicalRequest);
    const date = tc3ScopeDate(timestamp);
    const stringToSign = `${TC3}\n${timestamp}\n${date}/${service}/tc3_request\n${hashedCanonicalRequest}`;
    const kSigning = hmacSha256(hmacSha256(hmacSha256(`TC3${secretKey}`, date), service), "tc3_request");
    const signature = createHmac("sha256", kSigning).update(stringToSign, "utf8").digest("hex");
    return { canonicalRequest, hashedCanonicalRequest, stringToSign, signature };
}

/** What the server needs: the key of a SecretId, the service it serves (`redis`), its own time in ms. */
export interface Tc3VerifyContext {
    secretOf: (secretId: string) => string | undefined;
    service: string;
    now: number;
}

/**
 * Verifies a TC3-signed request with the API's error codes (all answered with HTTP 200, as API 3.0 does):
 * `AuthFailure.SignatureFailure` (malformed Authorization, content-type or host unsigned, wrong scope, mismatch),
 * `MissingParameter` (no timestamp), `AuthFailure.SignatureExpire`, `AuthFailure.SecretIdNotFound`.
 */
export function verifyTc3(req: WireRequest, ctx: Tc3VerifyContext): Verdict<{ secretId: string }> {
    const h = req.headers;
    const fail = (code: string, message: string) => ({ ok: false as const, status: 200, code, message });
    const auth = parseTc3Authorization(h.authorization);
    if (!auth)
        return fail(
            "AuthFailure.SignatureFailure",
            "The provided credentials could not be validated because the Authorization header is missing or malformed.",
        );
    if (!/^\d+$/.test(h["x-tc-timestamp"] ?? ""))
        return fail("MissingParameter", "The request is missing a required parameter `Timestamp`.");
    const ts = Number(h["x-tc-timestamp"]);
    if (Math.abs(ts - ctx.now / 1000) > TC3_SKEW_S)
        return fail(
            "AuthFailure.SignatureExpire",
            "Signature expired. Timestamp and server time cannot differ by more than 5 minutes.",
        );
    const secret = ctx.secretOf(auth.secretId);
    if (secret === undefined)
        return fail(
            "AuthFailure.SecretIdNotFound",
            "The SecretId is not found, please ensure that your SecretId is correct.",
        );
    const unsigned = ["content-type", "host"].filter((n) => !auth.signedHeaders.includes(n));
    if (unsigned.length > 0)
        return fail(
            "AuthFailure.SignatureFailure",
            `The signed headers must include content-type and host (missing: ${unsigned.join(", ")}).`,
        );
    if (auth.date !== tc3ScopeDate(ts) || auth.service !== ctx.service)
        return fail(
            "AuthFailure.SignatureFailure",
            "The credential scope does not match the timestamp or the service.",
        );
    const c = computeTc3(req, auth.signedHeaders, auth.service, ts, secret);
    // The official Node SDK (tencentcloud-sdk-nodejs, common/sign.js) signs `host` as the URL's hostname, without the
    // port, while its Host header carries the port. On the real endpoints (port 443) the two are the same; on an
    // emulator's port they differ, so the value without the port is accepted too (an emulator-only assumption).
    const host = req.headers.host ?? "";
    const bare = host.replace(/:\d+$/, "");
    const c2 =
        c && c.signature !== auth.signature && bare !== host
            ? computeTc3(
                  { ...req, headers: { ...req.headers, host: bare } },
                  auth.signedHeaders,
                  auth.service,
                  ts,
                  secret,
              )
            : undefined;
    if (!c || (c.signature !== auth.signature && c2?.signature !== auth.signature))
        return fail(
            "AuthFailure.SignatureFailure",
            "The provided credentials could not be validated. Please check your signature is correct.",
        );
    return { ok: true, secretId: auth.secretId };
}
