import { createHash, createHmac } from "crypto";

/** The algorithm name of JD Cloud's signature version 3. */
export const JDCLOUD3 = "JDCLOUD3-HMAC-SHA256";

/** Everything a JDCLOUD3-HMAC-SHA256 signature depends on. The time (`date`) and the `nonce` are injected. */
export interface Jdcloud3Request {
    method: string;
    /** The request path, not yet encoded (`/v1/regions/cn-north-1/instances:createInstanceFromBackup`). */
    path: string;
    /** Query parameters, not yet encoded. */
    query: Record<string, string>;
    /** The Host header: host, with `:port` when not the default. */
    host: string;
    /** The exact body bytes sent ("" when none). */
    body: string;
    /** Content-Type; JD Cloud signs it on every request, GET included. */
    contentType: string;
    /** Service name in the credential scope (`rds`). */
    service: string;
    /** Region in the credential scope (`cn-north-1`). */
    region: string;
    accessKey: string;
    secretKey: string;
    /** Temporary credentials only. */
    securityToken?: string;
    /** UTC, `YYYYMMDDTHHMMSSZ`. */
    date: string;
    /** Unique per request. */
    nonce: string;
}

/** The signature and its intermediate values (tests compare them with the published examples). */
export interface Jdcloud3Signature {
    /** Headers to send, Authorization included (names lower-case). */
    headers: Record<string, string>;
    canonicalRequest: string;
    stringToSign: string;
    signedHeaders: string;
    signature: string;
}

/** Percent-encoding of RFC 3986: only `A-Z a-z 0-9 - _ . ~` stay literal. */
export function rfc3986(s: string): string {
    return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(s: string): string {
    try {
        return decodeURIComponent(s);
    } catch {
        return s;
    }
}

/**
 * The canonical path of version 3: repeated `/` collapsed, each segment decoded and re-encoded so that only unreserved
 * characters (and the `/` separators) stay literal. `instances:createInstanceFromBackup` is therefore signed as
 * `instances%3AcreateInstanceFromBackup`, whether the client sent the colon raw or encoded.
 */
export function canonicalPath(path: string): string {
    const collapsed = `/${path}`.replace(/\/+/g, "/");
    return collapsed
        .split("/")
        .map((seg) => rfc3986(safeDecode(seg)))
        .join("/");
}

/** The canonical query: names sorted, names and values encoded, `name=` for empty values. */
export function canonicalQuery(query: Record<string, string>): string {
    return Object.keys(query)
        .map((k) => [rfc3986(k), rfc3986(query[k] ?? "")] as const)
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
        .map(([k, v]) => `${k}=${v}`)
        .join("&");
}

/** Formats a time the way `x-jdcloud-date` wants it: `20190917T064708Z`. */
export function jdcloudDate(ms: number): string {
    return new Date(ms)
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d{3}Z$/, "Z");
}

function sha256Hex(s: string): string {
    return createHash("sha256").update(s, "utf8").digest("hex");
}

function hmac(key: string | Buffer, data: string): Buffer {
    return createHmac("sha256", key).update(data, "utf8").digest();
}

/**
 * Signs a request with JDCLOUD3-HMAC-SHA256. Pure: the same input gives the same output. Signed headers are
 * `content-type`, `host`, `x-jdcloud-date`, `x-jdcloud-nonce` and, for temporary credentials, `x-jdcloud-security-token`.
 */
export function signJdcloud3(r: Jdcloud3Request): Jdcloud3Signature {
    const headers: Record<string, string> = {
        "content-type": r.contentType,
        host: r.host,
        "x-jdcloud-date": r.date,
        "x-jdcloud-nonce": r.nonce,
    };
    if (r.securityToken) headers["x-jdcloud-security-token"] = r.securityToken;
    return signWithHeaders({
        method: r.method,
        path: r.path,
        query: r.query,
        headers,
        body: r.body,
        service: r.service,
        region: r.region,
        accessKey: r.accessKey,
        secretKey: r.secretKey,
    });
}

/** The signing core over a given header set: every header given is signed (Authorization and User-Agent never are). */
function signWithHeaders(r: {
    method: string;
    path: string;
    query: Record<string, string>;
    headers: Record<string, string>;
    body: string;
    service: string;
    region: string;
    accessKey: string;
    secretKey: string;
}): Jdcloud3Signature {
    const signed: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers)) {
        const name = k.toLowerCase();
        if (name === "authorization" || name === "user-agent") continue;
        signed[name] = String(v).trim().replace(/\s+/g, " ");
    }
    const date = signed["x-jdcloud-date"] ?? "";
    const day = date.slice(0, 8);
    const names = Object.keys(signed).sort();
    const canonicalHeaders = names.map((n) => `${n}:${signed[n]}\n`).join("");
    const signedHeaders = names.join(";");
    const canonicalRequest = [
        r.method.toUpperCase(),
        canonicalPath(r.path),
        canonicalQuery(r.query),
        canonicalHeaders,
        signedHeaders,
        sha256Hex(r.body),
    ].join("\n");
    const scope = `${day}/${r.region}/${r.service}/jdcloud3_request`;
    const stringToSign = [JDCLOUD3, date, scope, sha256Hex(canonicalRequest)].join("\n");
    const kDate = hmac(`JDCLOUD3${r.secretKey}`, day);
    const kRegion = hmac(kDate, r.region);
    const kService = hmac(kRegion, r.service);
    const kSigning = hmac(kService, "jdcloud3_request");
    const signature = createHmac("sha256", kSigning).update(stringToSign, "utf8").digest("hex");
    const authorization = `${JDCLOUD3} Credential=${r.accessKey}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
    return { headers: { ...signed, authorization }, canonicalRequest, stringToSign, signedHeaders, signature };
}
