import { createHmac } from "crypto";
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
 * The JD Cloud gateway's check of a JDCLOUD3-HMAC-SHA256 signature, written from `apis/jdcloud-rds.md` (the vendor's
 * signing description and its SDK signer's published test vectors), independently of the client's signer:
 * - CanonicalRequest = METHOD \n CanonicalPath \n CanonicalQuery \n CanonicalHeaders \n SignedHeaders \n
 *   hex(SHA256(body)). The path has repeated `/` collapsed, each segment decoded and re-encoded (RFC 3986); the query
 *   is decoded, re-encoded and sorted.
 * - Signed headers: `host` always; `content-type` and every other `x-jdcloud-*` header that is sent must be signed,
 *   except `x-jdcloud-date`, `x-jdcloud-nonce` and `x-jdcloud-content-sha256`. The vendor's official Python SDK
 *   (jdcloud_sdk/core/signer.py) signs only the headers present before it signs (`content-type`, `host`, and
 *   `x-jdcloud-security-token` for temporary credentials) and adds date, nonce and content-sha256 afterwards,
 *   unsigned; the real gateway therefore accepts them unsigned (ASSUMPTION: that is all it lets through unsigned).
 *   The date is covered anyway: it is part of the string to sign. Headers a transport adds (Accept,
 *   Accept-Encoding, Content-Length, Connection, User-Agent) are not required.
 * - StringToSign = `JDCLOUD3-HMAC-SHA256\n{date}\n{YYYYMMDD}/{region}/{service}/jdcloud3_request\n` +
 *   hex(SHA256(CanonicalRequest));
 *   kSigning = HMAC chain of "JDCLOUD3" + SK over the day, region, service and "jdcloud3_request".
 * Only version 3 is implemented: the published test vectors are version 3, and it is what clients of this package send.
 */

/** The algorithm name. */
export const JDCLOUD3 = "JDCLOUD3-HMAC-SHA256";

/**
 * How far `x-jdcloud-date` may be from the server's clock. ASSUMPTION: JD Cloud's documents give no window; 5 minutes
 * is assumed (the nonce cache is kept as long). docs/jdcloud.md says so too.
 */
export const JDCLOUD_SKEW_MS = 5 * 60_000;

const JDCLOUD3_AUTHORIZATION = new RegExp(
    "^JDCLOUD3-HMAC-SHA256 Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/jdcloud3_request," +
        "\\s*SignedHeaders=([a-z0-9;-]+),\\s*Signature=([0-9a-f]{64})$",
);

/** The parts of a JDCLOUD3 Authorization header. */
export interface Jdcloud3Authorization {
    accessKey: string;
    day: string;
    region: string;
    service: string;
    signedHeaders: string[];
    signature: string;
}

/** Splits `JDCLOUD3-HMAC-SHA256 Credential=AK/day/region/service/jdcloud3_request, SignedHeaders=.., Signature=..`. */
export function parseJdcloud3Authorization(value: string | undefined): Jdcloud3Authorization | undefined {
    const m = JDCLOUD3_AUTHORIZATION.exec((value ?? "").trim());
    if (!m) return undefined;
    return { accessKey: m[1], day: m[2], region: m[3], service: m[4], signedHeaders: m[5].split(";"), signature: m[6] };
}

/** Headers the official SDK sends without signing them (see the note at the top). */
const MAY_BE_UNSIGNED = new Set(["x-jdcloud-date", "x-jdcloud-nonce", "x-jdcloud-content-sha256"]);

/** The header names (lower-case) that must be signed: `host`, `content-type` and the `x-jdcloud-*` headers sent but those three. */
export function jdcloudCanonicalizedHeaders(headers: Record<string, string>): string[] {
    const present = Object.keys(headers).map((n) => n.toLowerCase());
    const out = new Set(
        present.filter(
            (n) => n === "host" || n === "content-type" || (n.startsWith("x-jdcloud-") && !MAY_BE_UNSIGNED.has(n)),
        ),
    );
    out.add("host");
    return [...out].sort();
}

/** What the signature covers, computed by the server. */
export interface Jdcloud3Computation {
    canonicalRequest: string;
    stringToSign: string;
    signature: string;
}

/** Computes the signature over the named headers (values as sent: trimmed, inner runs of spaces made one). */
export function computeJdcloud3(
    req: WireRequest,
    signedHeaders: string[],
    region: string,
    service: string,
    secretKey: string,
): Jdcloud3Computation | undefined {
    const path = canonicalPathSegments(`/${req.rawPath}`.replace(/\/+/g, "/"));
    const pairs = parseRawQuery(req.rawQuery);
    if (path === undefined || pairs === undefined) return undefined;
    const names = signedHeaders.map((n) => n.toLowerCase()).sort();
    const canonicalHeaders = names.map((n) => `${n}:${(req.headers[n] ?? "").trim().replace(/\s+/g, " ")}\n`).join("");
    const canonicalRequest = [
        req.method.toUpperCase(),
        path,
        canonicalQueryOf(pairs),
        canonicalHeaders,
        names.join(";"),
        sha256Hex(req.body),
    ].join("\n");
    const date = req.headers["x-jdcloud-date"] ?? "";
    const day = date.slice(0, 8);
    const stringToSign = [
        JDCLOUD3,
        date,
        `${day}/${region}/${service}/jdcloud3_request`,
        sha256Hex(canonicalRequest),
    ].join("\n");
    const kSigning = hmacSha256(
        hmacSha256(hmacSha256(hmacSha256(`JDCLOUD3${secretKey}`, day), region), service),
        "jdcloud3_request",
    );
    const signature = createHmac("sha256", kSigning).update(stringToSign, "utf8").digest("hex");
    return { canonicalRequest, stringToSign, signature };
}

/** What the gateway needs: the secret of an access key, the service and region the request is for, its time. */
export interface Jdcloud3VerifyContext {
    secretOf: (accessKey: string) => string | undefined;
    service: string;
    region: string;
    now: number;
}

/** Verifies a JDCLOUD3-signed request; every failure is HTTP 401 `UNAUTHENTICATED` with a message saying why. */
export function verifyJdcloud3(req: WireRequest, ctx: Jdcloud3VerifyContext): Verdict<{ accessKey: string }> {
    const h = req.headers;
    const fail = (message: string) => ({ ok: false as const, status: 401, code: "UNAUTHENTICATED", message });
    const auth = parseJdcloud3Authorization(h.authorization);
    if (!auth) return fail("missing or malformed Authorization header (JDCLOUD3-HMAC-SHA256 expected)");
    const date = h["x-jdcloud-date"];
    if (!date || !/^\d{8}T\d{6}Z$/.test(date)) return fail("x-jdcloud-date is missing or not YYYYMMDDTHHMMSSZ");
    if (!h["x-jdcloud-nonce"]) return fail("x-jdcloud-nonce is missing");
    const unsigned = jdcloudCanonicalizedHeaders(h).filter((n) => !auth.signedHeaders.includes(n));
    if (unsigned.length > 0) return fail(`the header(s) ${unsigned.join(", ")} must be signed`);
    const secret = ctx.secretOf(auth.accessKey);
    if (secret === undefined) return fail("the access key does not exist");
    const at = Date.UTC(
        +date.slice(0, 4),
        +date.slice(4, 6) - 1,
        +date.slice(6, 8),
        +date.slice(9, 11),
        +date.slice(11, 13),
        +date.slice(13, 15),
    );
    if (Math.abs(at - ctx.now) > JDCLOUD_SKEW_MS)
        return fail("the request has expired: x-jdcloud-date is too far from the server's time");
    if (auth.day !== date.slice(0, 8) || auth.service !== ctx.service || auth.region !== ctx.region)
        return fail("the credential scope does not match the request (date, region or service)");
    const c = computeJdcloud3(req, auth.signedHeaders, auth.region, auth.service, secret);
    if (!c || c.signature !== auth.signature) return fail("signature does not match");
    return { ok: true, accessKey: auth.accessKey };
}
