import { createHash, createHmac } from "crypto";

/** The signing algorithm name, as it appears in the string to sign and the Authorization header. */
export const HW_ALGORITHM = "SDK-HMAC-SHA256";

/** What one SDK-HMAC-SHA256 signature covers. */
export interface HwSignInput {
    method: string;
    /** The URI path, e.g. `/v1/instances/backup` (a trailing `/` is added in the canonical form, not on the wire). */
    path: string;
    /** Query parameters, not yet encoded. A list value gives one `k=v` pair per item, sorted. */
    query: Record<string, string | string[]>;
    /** Headers to sign (any case). Must include `host` and `x-sdk-date`. Values are signed trimmed. */
    headers: Record<string, string>;
    /** The exact body text sent ("" for none). */
    body: string;
    accessKey: string;
    secretKey: string;
}

/** The intermediate values and the result, so that tests can compare each step with the published example. */
export interface HwSignature {
    canonicalRequest: string;
    hashedCanonicalRequest: string;
    stringToSign: string;
    signedHeaders: string;
    signature: string;
    authorization: string;
}

const hex = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

/** Percent-encodes everything but the RFC 3986 unreserved characters (`A-Z a-z 0-9 - _ . ~`), upper-case hex. */
export function hwEncode(s: string): string {
    return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The canonical URI: each path segment encoded, always ending with `/`. */
export function canonicalUri(path: string): string {
    const p = path.split("/").map(hwEncode).join("/");
    return p.endsWith("/") ? p : `${p}/`;
}

/** The canonical query: keys sorted (by their raw text), `key=value` encoded, list values sorted, joined by `&`. */
export function canonicalQueryString(query: Record<string, string | string[]>): string {
    const out: string[] = [];
    for (const k of Object.keys(query).sort()) {
        const v = query[k];
        const values = Array.isArray(v) ? [...v].sort() : [v];
        for (const x of values) out.push(`${hwEncode(k)}=${hwEncode(x)}`);
    }
    return out.join("&");
}

/** `X-Sdk-Date` for a time: `YYYYMMDDTHHMMSSZ` in UTC. */
export function sdkDate(ms: number): string {
    return new Date(ms)
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d{3}/, "");
}

/**
 * Signs a request with SDK-HMAC-SHA256 (Huawei Cloud AK/SK signing). Pure: the date is one of the signed headers,
 * chosen by the caller.
 */
export function signHw(i: HwSignInput): HwSignature {
    const lower: Record<string, string> = {};
    for (const [k, v] of Object.entries(i.headers)) lower[k.toLowerCase()] = String(v).trim();
    const names = Object.keys(lower).sort();
    const date = lower["x-sdk-date"];
    if (!date) throw new Error("x-sdk-date must be among the signed headers");
    if (!lower.host) throw new Error("host must be among the signed headers");
    const signedHeaders = names.join(";");
    const canonicalHeaders = names.map((n) => `${n}:${lower[n]}\n`).join("");
    const canonicalRequest = [
        i.method.toUpperCase(),
        canonicalUri(i.path),
        canonicalQueryString(i.query),
        canonicalHeaders,
        signedHeaders,
        hex(i.body),
    ].join("\n");
    const hashedCanonicalRequest = hex(canonicalRequest);
    const stringToSign = `${HW_ALGORITHM}\n${date}\n${hashedCanonicalRequest}`;
    const signature = createHmac("sha256", i.secretKey).update(stringToSign, "utf8").digest("hex");
    return {
        canonicalRequest,
        hashedCanonicalRequest,
        stringToSign,
        signedHeaders,
        signature,
        authorization: `${HW_ALGORITHM} Access=${i.accessKey}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    };
}
