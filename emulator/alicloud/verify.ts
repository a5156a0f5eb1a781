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
 * The Alibaba Cloud gateway's check of a V3 signature (ACS3-HMAC-SHA256), written from `apis/alicloud-starrocks.md`
 * (the vendor's "request syntax and signature method V3"), independently of the client's signer:
 * - CanonicalRequest = METHOD \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders \n
 *   HashedPayload; CanonicalURI and the query are RFC 3986 encoded, query pairs sorted.
 * - CanonicalHeaders are `host`, `content-type` and every `x-acs-*` header; the vendor adds that every common request
 *   header except Authorization must be signed when present. A request carrying one of them unsigned is rejected.
 * - StringToSign = `ACS3-HMAC-SHA256\n` + hex(SHA256(CanonicalRequest)); Signature = hex(HMAC-SHA256(secret, it)).
 */

/** The algorithm name. */
export const ACS3 = "ACS3-HMAC-SHA256";

/** How far `x-acs-date` may be from the server's clock: 15 minutes, as documented (`InvalidTimeStamp.Expired`). */
export const ACS3_SKEW_MS = 15 * 60_000;

/** Headers every V3 request carries (`MissingParameter` otherwise). */
export const ACS3_REQUIRED_HEADERS = [
    "x-acs-action",
    "x-acs-version",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-content-sha256",
];

/** The parts of an ACS3 Authorization header. */
export interface Acs3Authorization {
    accessKeyId: string;
    signedHeaders: string[];
    signature: string;
}

/** Splits `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<a;b>,Signature=<hex>`; undefined when it is not one. */
export function parseAcs3Authorization(value: string | undefined): Acs3Authorization | undefined {
    const m = /^ACS3-HMAC-SHA256 Credential=([^,\s]+),SignedHeaders=([a-z0-9;-]+),Signature=([0-9a-f]{64})$/.exec(
        (value ?? "").trim(),
    );
    if (!m) return undefined;
    return { accessKeyId: m[1], signedHeaders: m[2].split(";"), signature: m[3] };
}

/** The header names (lower-case) of a request that the V3 rules canonicalize: `host`, `content-type`, `x-acs-*`. */
export function acs3CanonicalizedHeaders(headers: Record<string, string>): string[] {
    return Object.keys(headers)
        .map((n) => n.toLowerCase())
        .filter((n) => n === "host" || n === "content-type" || n.startsWith("x-acs-"))
        .sort();
}

/** What the signature covers, computed by the server from the request as it arrived. */
export interface Acs3Computation {
    canonicalRequest: string;
    hashedCanonicalRequest: string;
    stringToSign: string;
    signature: string;
}

/**
 * Computes the signature of a request over the headers named in `signedHeaders` (values as sent, trimmed), with the
 * payload hash the client declared in `x-acs-content-sha256` (checked against the body separately). Undefined when
 * the path or query cannot be decoded.
 */
export function computeAcs3(req: WireRequest, signedHeaders: string[], secret: string): Acs3Computation | undefined {
    const uri = canonicalPathSegments(req.rawPath === "" ? "/" : req.rawPath);
    const pairs = parseRawQuery(req.rawQuery);
    if (uri === undefined || pairs === undefined) return undefined;
    const names = [...signedHeaders].map((n) => n.toLowerCase()).sort();
    const canonicalHeaders = names.map((n) => `${n}:${(req.headers[n] ?? "").trim()}\n`).join("");
    const hashedPayload = req.headers["x-acs-content-sha256"] ?? sha256Hex(req.body);
    const canonicalRequest = [
        req.method.toUpperCase(),
        uri,
        canonicalQueryOf(pairs),
        canonicalHeaders,
        names.join(";"),
        hashedPayload,
    ].join("\n");
    const hashedCanonicalRequest = sha256Hex(canonicalRequest);
    const stringToSign = `${ACS3}\n${hashedCanonicalRequest}`;
    const signature = hmacSha256(secret, stringToSign).toString("hex");
    return { canonicalRequest, hashedCanonicalRequest, stringToSign, signature };
}

/** What the gateway needs to know to verify: the secret of an access key id, and its own time. */
export interface Acs3VerifyContext {
    secretOf: (accessKeyId: string) => string | undefined;
    now: number;
}

/**
 * Verifies a V3-signed request as the gateway does, with its error codes (HTTP 400 unless noted):
 * `MissingAuthorization`, `MissingParameter`, `InvalidAccessKeyId.NotFound` (404), `InvalidTimeStamp.Format`,
 * `InvalidTimeStamp.Expired`, and `SignatureDoesNotMatch` for a body hash that differs, a canonicalized header left out
 * of SignedHeaders (`content-type`, any `x-acs-*` such as `x-acs-version`), or a signature that differs.
 */
export function verifyAcs3(req: WireRequest, ctx: Acs3VerifyContext): Verdict<{ accessKeyId: string }> {
    const h = req.headers;
    const fail = (code: string, message: string, status = 400) => ({ ok: false as const, status, code, message });
    const auth = parseAcs3Authorization(h.authorization);
    if (!auth) return fail("MissingAuthorization", "Authorization is mandatory for this action.");
    for (const name of ACS3_REQUIRED_HEADERS) {
        if (!h[name])
            return fail(
                "MissingParameter",
                `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
            );
    }
    const secret = ctx.secretOf(auth.accessKeyId);
    if (secret === undefined) return fail("InvalidAccessKeyId.NotFound", "Specified access key is not found.", 404);
    const date = h["x-acs-date"];
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(date))
        return fail("InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.");
    if (Math.abs(Date.parse(date) - ctx.now) > ACS3_SKEW_MS)
        return fail("InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.");
    if (sha256Hex(req.body) !== h["x-acs-content-sha256"])
        return fail("SignatureDoesNotMatch", "The request body hash does not match x-acs-content-sha256.");
    const signed = new Set(auth.signedHeaders);
    // An unsigned canonical header makes the gateway's canonical request differ from the client's: the answer is the
    // signature mismatch (the code in the vendor's list of gateway errors), with the header named to help.
    const unsigned = acs3CanonicalizedHeaders(h).filter((n) => !signed.has(n));
    if (unsigned.length > 0) {
        return fail(
            "SignatureDoesNotMatch",
            "Specified signature does not match our calculation: " +
                `the header(s) ${unsigned.join(", ")} must be in SignedHeaders.`,
        );
    }
    const c = computeAcs3(req, auth.signedHeaders, secret);
    if (!c || c.signature !== auth.signature) {
        return fail("SignatureDoesNotMatch", "Specified signature does not match our calculation.");
    }
    return { ok: true, accessKeyId: auth.accessKeyId };
}
