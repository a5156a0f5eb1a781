import { createHash, createHmac } from "crypto";
import { Verdict, WireRequest } from "../core/wire";

/**
 * ZStack's checks of a caller, written from `apis/zstack.md`, independently of the client:
 * - account login: the server keeps the lower-case hex SHA-512 of the password and compares what `logInByAccount`
 *   sends with it;
 * - AccessKey: `Authorization: ZStack {AccessKeyId}:{Signature}` and a `Date` header within ±15 minutes, where
 *   Signature = Base64(HmacSHA1(secret, METHOD + "\n" + Date + "\n" + URI)) and URI is the request path after
 *   `/zstack` (it starts with `/v1`), without the query string. The Date header is the only header signed.
 */

/** How far the `Date` header may be from the server's clock: ±15 minutes, as documented. */
export const ZSTACK_SKEW_MS = 15 * 60_000;

/**
 * The error code of a failed AccessKey check. ASSUMPTION: `apis/zstack.md` names no code for it; the invalid-session
 * code `ID.1001` (HTTP 503, as ZStack answers ErrorCodes) is assumed. docs/zstack.md says so too.
 */
export const ZSTACK_ACCESS_KEY_ERROR = "ID.1001";

/** The password as the server stores and compares it: lower-case hex SHA-512 of the UTF-8 text. */
export function zstackPasswordHash(plain: string): string {
    return createHash("sha512").update(plain, "utf8").digest("hex");
}

/** Splits `ZStack {id}:{signature}`; undefined for any other shape. */
export function parseZStackAuthorization(
    value: string | undefined,
): { accessKeyId: string; signature: string } | undefined {
    const m = /^ZStack ([^:\s]+):(\S+)$/.exec((value ?? "").trim());
    return m ? { accessKeyId: m[1], signature: m[2] } : undefined;
}

/** The headers the AccessKey signature covers: only `Date`. */
export function zstackCanonicalizedHeaders(): string[] {
    return ["date"];
}

/** The URI part of the string to sign: the request path as sent (the request URI, not decoded) after `/zstack`. */
export function zstackSigningUri(rawPath: string): string {
    return rawPath.startsWith("/zstack/") ? rawPath.slice("/zstack".length) : rawPath;
}

/** Base64(HmacSHA1(secret, METHOD \n Date \n URI)). */
export function zstackAccessKeySignature(secret: string, method: string, date: string, uri: string): string {
    return createHmac("sha1", secret).update(`${method.toUpperCase()}\n${date}\n${uri}`, "utf8").digest("base64");
}

/** What the server needs: the secret of an AccessKey id, and its own time. */
export interface ZStackVerifyContext {
    secretOf: (accessKeyId: string) => string | undefined;
    now: number;
}

/** Verifies an AccessKey-signed request; failures carry {@link ZSTACK_ACCESS_KEY_ERROR} (an assumption, see there). */
export function verifyZStackAccessKey(req: WireRequest, ctx: ZStackVerifyContext): Verdict<{ accessKeyId: string }> {
    const fail = (details: string) => ({
        ok: false as const,
        status: 503,
        code: ZSTACK_ACCESS_KEY_ERROR,
        message: details,
    });
    const ak = parseZStackAuthorization(req.headers.authorization);
    if (!ak) return fail("unsupported Authorization header");
    const secret = ctx.secretOf(ak.accessKeyId);
    if (secret === undefined) return fail(`AccessKey ${ak.accessKeyId} does not exist`);
    const date = req.headers.date;
    // EEE, dd MMM yyyy HH:mm:ss zzz
    const at =
        date && /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [A-Z]{1,5}$/.test(date)
            ? Date.parse(date)
            : NaN;
    if (Number.isNaN(at) || Math.abs(at - ctx.now) > ZSTACK_SKEW_MS)
        return fail("the Date header is missing, malformed or more than 15 minutes off");
    const expected = zstackAccessKeySignature(secret, req.method, date as string, zstackSigningUri(req.rawPath));
    if (expected !== ak.signature) return fail("the AccessKey signature does not match");
    return { ok: true, accessKeyId: ak.accessKeyId };
}
