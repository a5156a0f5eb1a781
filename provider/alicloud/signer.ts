import { createHash, createHmac } from "crypto";

/** Everything the ACS3-HMAC-SHA256 signature depends on. The clock (`date`) and the `nonce` are injected. */
export interface Acs3Request {
    method: string;
    /** ROA path (`/webapi/restore/restoreInstance`) or `/` for RPC. Not yet encoded. */
    pathname: string;
    /** Query parameters, not yet encoded. */
    query: Record<string, string>;
    /** The Host header: host, with `:port` when not the default. */
    host: string;
    action: string;
    version: string;
    /** The exact body bytes sent ("" when none). */
    body: string;
    /** Content-Type sent with a body. */
    contentType?: string;
    accessKeyId: string;
    accessKeySecret: string;
    securityToken?: string;
    /** UTC, `yyyy-MM-ddTHH:mm:ssZ`. */
    date: string;
    /** Unique per request. */
    nonce: string;
}

/** The signature and the intermediate values (tests compare each step with the published example). */
export interface Acs3Signature {
    /** Headers to send, Authorization included. */
    headers: Record<string, string>;
    canonicalRequest: string;
    hashedCanonicalRequest: string;
    signedHeaders: string;
    signature: string;
}

/** RFC 3986 percent-encoding: only `A-Z a-z 0-9 - _ . ~` stay as they are (space is `%20`, `*` is `%2A`). */
export function rfc3986(s: string): string {
    return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The canonical query string: names sorted (by code unit), names and values encoded, `key=` for empty values. */
export function canonicalQuery(query: Record<string, string>): string {
    return Object.keys(query)
        .sort()
        .map((k) => `${rfc3986(k)}=${rfc3986(query[k] ?? "")}`)
        .join("&");
}

/** The canonical URI: each path segment encoded, slashes kept. */
export function canonicalUri(pathname: string): string {
    return pathname === "" ? "/" : pathname.split("/").map(rfc3986).join("/");
}

function sha256Hex(s: string): string {
    return createHash("sha256").update(s, "utf8").digest("hex");
}

/** Formats a time the way `x-acs-date` wants it. */
export function acsDate(ms: number): string {
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * Signs a request with ACS3-HMAC-SHA256 (Alibaba Cloud signature V3). Pure: the same input gives the same output.
 * Signed headers are `host`, `content-type` when a body is sent, and every `x-acs-*` header.
 */
export function signAcs3(r: Acs3Request): Acs3Signature {
    const hashedPayload = sha256Hex(r.body);
    const headers: Record<string, string> = {
        host: r.host,
        "x-acs-action": r.action,
        "x-acs-version": r.version,
        "x-acs-date": r.date,
        "x-acs-signature-nonce": r.nonce,
        "x-acs-content-sha256": hashedPayload,
    };
    if (r.contentType) headers["content-type"] = r.contentType;
    if (r.securityToken) headers["x-acs-security-token"] = r.securityToken;
    return signWithHeaders(r.method, r.pathname, r.query, headers, hashedPayload, r.accessKeyId, r.accessKeySecret);
}

/**
 * The signing core over a given header set. Every header that the V3 rules canonicalize is signed: `host`,
 * `content-type` and `x-acs-*`. (The emulator checks signatures with code of its own, in `emulator/alicloud`.)
 */
function signWithHeaders(
    method: string,
    pathname: string,
    query: Record<string, string>,
    allHeaders: Record<string, string>,
    hashedPayload: string,
    accessKeyId: string,
    accessKeySecret: string,
): Acs3Signature {
    const signed: Record<string, string> = {};
    for (const [k, v] of Object.entries(allHeaders)) {
        const name = k.toLowerCase();
        if (name === "host" || name === "content-type" || name.startsWith("x-acs-")) signed[name] = String(v).trim();
    }
    const names = Object.keys(signed).sort();
    const canonicalHeaders = names.map((n) => `${n}:${signed[n]}\n`).join("");
    const signedHeaders = names.join(";");
    const canonicalRequest = [
        method.toUpperCase(),
        canonicalUri(pathname),
        canonicalQuery(query),
        canonicalHeaders,
        signedHeaders,
        hashedPayload,
    ].join("\n");
    const hashedCanonicalRequest = sha256Hex(canonicalRequest);
    const stringToSign = `ACS3-HMAC-SHA256\n${hashedCanonicalRequest}`;
    const signature = createHmac("sha256", accessKeySecret).update(stringToSign, "utf8").digest("hex");
    const headers = {
        ...allHeaders,
        authorization: `ACS3-HMAC-SHA256 Credential=${accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`,
    };
    return { headers, canonicalRequest, hashedCanonicalRequest, signedHeaders, signature };
}
