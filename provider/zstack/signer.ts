import { createHash, createHmac } from "crypto";

/**
 * ZStack authentication helpers. Pure functions: no clock, no I/O. Formulas from apis/zstack.md:
 * - account login sends the lower-case hex SHA-512 of the plain password;
 * - AccessKey requests carry `Authorization: ZStack {AccessKeyId}:{Signature}` and a `Date` header, where
 *   Signature = Base64(HmacSHA1(secret, METHOD + "\n" + Date + "\n" + URI)) and URI is the path after `/zstack`
 *   (it starts with `/v1`), without the query string.
 */

/** The password as `logInByAccount` wants it: lower-case hex SHA-512 of the UTF-8 text. */
export function hashPassword(plain: string): string {
    return createHash("sha512").update(plain, "utf8").digest("hex");
}

/** The `Date` header value (`EEE, dd MMM yyyy HH:mm:ss zzz`, in GMT) for a time in ms. */
export function zstackDate(ms: number): string {
    return new Date(ms).toUTCString();
}

/**
 * The URI part of the string to sign: the request path after `/zstack`, without query string or fragment.
 * Accepts a full URL, a path starting with `/zstack/v1` or one already starting with `/v1`.
 */
function signingUri(urlOrPath: string): string {
    let p = urlOrPath;
    if (/^https?:\/\//i.test(p)) p = new URL(p).pathname;
    p = p.split("?")[0].split("#")[0];
    const i = p.indexOf("/zstack/v1");
    if (i >= 0) return p.slice(i + "/zstack".length);
    return p;
}

/** The string to sign: METHOD, Date and URI joined by newlines. */
function stringToSign(method: string, date: string, uri: string): string {
    return `${method.toUpperCase()}\n${date}\n${uri}`;
}

/** Base64(HmacSHA1(secret, stringToSign)). */
function zstackSignature(secret: string, method: string, date: string, uri: string): string {
    return createHmac("sha1", secret)
        .update(stringToSign(method, date, uri), "utf8")
        .digest("base64");
}

/** The headers of an AccessKey-signed request. */
export function signAccessKey(o: {
    accessKeyId: string;
    accessKeySecret: string;
    method: string;
    url: string;
    nowMs: number;
}): { authorization: string; date: string } {
    const date = zstackDate(o.nowMs);
    const sig = zstackSignature(o.accessKeySecret, o.method, date, signingUri(o.url));
    return { authorization: `ZStack ${o.accessKeyId}:${sig}`, date };
}
