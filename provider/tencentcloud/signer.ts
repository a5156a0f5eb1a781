import { createHash, createHmac } from "crypto";

/** The signature algorithm name of Tencent Cloud API 3.0. */
export const TC3 = "TC3-HMAC-SHA256";

/** Everything a TC3-HMAC-SHA256 signature depends on. The time is injected, so the signer is pure. */
export interface Tc3Request {
    /** The Host header as sent: host, with `:port` when not the default. */
    host: string;
    /** Service name: the first label of the API host (`redis`). */
    service: string;
    action: string;
    version: string;
    /** Region header; omitted when empty (a few actions take none). */
    region?: string;
    /** Unix seconds. */
    timestamp: number;
    /** The exact body bytes sent. */
    payload: string;
    /** Content-Type sent (signed as is, lower-cased). Default `application/json; charset=utf-8`. */
    contentType?: string;
    secretId: string;
    secretKey: string;
    /** Temporary credentials' token (`X-TC-Token`); not signed, as in the official SDKs. */
    token?: string;
}

/** The signature and the intermediate values (tests compare each step with the published example). */
export interface Tc3Signature {
    /** Headers to send, Authorization included (Host excluded: the transport sets it). */
    headers: Record<string, string>;
    canonicalRequest: string;
    hashedPayload: string;
    hashedCanonicalRequest: string;
    stringToSign: string;
    signedHeaders: string;
    signature: string;
    authorization: string;
}

/** Default Content-Type of API 3.0 POST requests. */
export const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

function sha256Hex(s: string): string {
    return createHash("sha256").update(s, "utf8").digest("hex");
}

function hmac(key: string | Buffer, s: string): Buffer {
    return createHmac("sha256", key).update(s, "utf8").digest();
}

/** `YYYY-MM-DD` of a Unix timestamp, in UTC (the credential scope date). */
function tc3Date(timestamp: number): string {
    return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

/** The signing core over an explicit set of signed headers (name → value as sent). */
function tc3Core(p: {
    signed: Record<string, string>;
    hashedPayload: string;
    service: string;
    timestamp: number;
    secretId: string;
    secretKey: string;
}): Omit<Tc3Signature, "headers" | "hashedPayload"> {
    const canon: Record<string, string> = {};
    for (const [k, v] of Object.entries(p.signed)) canon[k.trim().toLowerCase()] = String(v).trim().toLowerCase();
    const names = Object.keys(canon).sort();
    const canonicalHeaders = names.map((n) => `${n}:${canon[n]}\n`).join("");
    const signedHeaders = names.join(";");
    // POST, path "/", empty query string: API 3.0 carries everything in headers and body.
    const canonicalRequest = `POST\n/\n\n${canonicalHeaders}\n${signedHeaders}\n${p.hashedPayload}`;
    const hashedCanonicalRequest = sha256Hex(canonicalRequest);
    const date = tc3Date(p.timestamp);
    const scope = `${date}/${p.service}/tc3_request`;
    const stringToSign = `${TC3}\n${p.timestamp}\n${scope}\n${hashedCanonicalRequest}`;
    const kDate = hmac(`TC3${p.secretKey}`, date);
    const kService = hmac(kDate, p.service);
    const kSigning = hmac(kService, "tc3_request");
    const signature = createHmac("sha256", kSigning).update(stringToSign, "utf8").digest("hex");
    const authorization = `${TC3} Credential=${p.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
    return { canonicalRequest, hashedCanonicalRequest, stringToSign, signedHeaders, signature, authorization };
}

/**
 * Signs an API 3.0 request with TC3-HMAC-SHA256. Pure: the same input gives the same output. Signed headers are
 * `content-type` and `host`, as in the published example and the official SDKs.
 */
export function signTc3(r: Tc3Request): Tc3Signature {
    const contentType = r.contentType ?? JSON_CONTENT_TYPE;
    const hashedPayload = sha256Hex(r.payload);
    const core = tc3Core({
        signed: { "content-type": contentType, host: r.host },
        hashedPayload,
        service: r.service,
        timestamp: r.timestamp,
        secretId: r.secretId,
        secretKey: r.secretKey,
    });
    const headers: Record<string, string> = {
        "Content-Type": contentType,
        "X-TC-Action": r.action,
        "X-TC-Timestamp": String(r.timestamp),
        "X-TC-Version": r.version,
        Authorization: core.authorization,
    };
    if (r.region) headers["X-TC-Region"] = r.region;
    if (r.token) headers["X-TC-Token"] = r.token;
    return { headers, hashedPayload, ...core };
}
