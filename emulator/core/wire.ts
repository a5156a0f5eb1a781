import { createHash, createHmac } from "crypto";

/**
 * Server-side helpers shared by the emulator's signature verifiers. Written from the vendor documents
 * (`apis/*.md`), not from the client's signers: a server reads what arrived on the wire, so everything here starts
 * from raw text (the request target as sent), never from values a client handed over.
 */

/** Hex SHA-256 of UTF-8 text. */
export function sha256Hex(s: string): string {
    return createHash("sha256").update(s, "utf8").digest("hex");
}

/** HMAC-SHA256 of UTF-8 text. */
export function hmacSha256(key: string | Buffer, s: string): Buffer {
    return createHmac("sha256", key).update(s, "utf8").digest();
}

const UNRESERVED = /[A-Za-z0-9\-_.~]/;

/**
 * RFC 3986 percent-encoding of the UTF-8 bytes of `s`: only `A-Z a-z 0-9 - _ . ~` stay literal, hex upper-case. This is
 * the encoding every signature here canonicalizes to (space `%20`, `*` `%2A`, `~` kept, `+` `%2B`, `/` `%2F`).
 */
export function encodeRfc3986(s: string): string {
    let out = "";
    for (const ch of s) {
        if (UNRESERVED.test(ch)) {
            out += ch;
            continue;
        }
        for (const b of Buffer.from(ch, "utf8")) out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
    }
    return out;
}

/**
 * Percent-decoding as RFC 3986 defines it: `%XX` sequences become bytes, read as UTF-8; every other character, `+`
 * included, is itself (`+` means space only in HTML form encoding, which no signature here uses). Undefined when a
 * `%` is not followed by two hex digits or the bytes are not UTF-8.
 */
export function decodeRfc3986(s: string): string | undefined {
    if (/%(?![0-9A-Fa-f]{2})/.test(s)) return undefined;
    try {
        return decodeURIComponent(s);
    } catch {
        return undefined;
    }
}

/** One query parameter as it arrived, and decoded. */
export interface QueryPair {
    rawName: string;
    rawValue: string;
    name: string;
    value: string;
}

/**
 * Splits a raw query string (without `?`) into parameters, decoding each name and value per RFC 3986. Undefined when
 * any part cannot be decoded. `a` (no `=`) is the parameter `a` with an empty value.
 */
export function parseRawQuery(raw: string): QueryPair[] | undefined {
    if (raw === "") return [];
    const out: QueryPair[] = [];
    for (const part of raw.split("&")) {
        if (part === "") continue;
        const i = part.indexOf("=");
        const rawName = i < 0 ? part : part.slice(0, i);
        const rawValue = i < 0 ? "" : part.slice(i + 1);
        const name = decodeRfc3986(rawName);
        const value = decodeRfc3986(rawValue);
        if (name === undefined || value === undefined) return undefined;
        out.push({ rawName, rawValue, name, value });
    }
    return out;
}

/**
 * The canonical query string the Alibaba, JD Cloud and Huawei signatures share: each decoded name and value
 * re-encoded per RFC 3986, pairs sorted by encoded name then encoded value (byte order), `name=value` joined by `&`,
 * `name=` for an empty value.
 */
export function canonicalQueryOf(pairs: QueryPair[]): string {
    return pairs
        .map((p) => [encodeRfc3986(p.name), encodeRfc3986(p.value)] as const)
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
        .map(([k, v]) => `${k}=${v}`)
        .join("&");
}

/**
 * True when a raw query string is already in the canonical encoding: every character unreserved or a `%XX` escape
 * of a character that must be escaped, plus the `=` and `&` separators. A client that sends this form sends exactly
 * what it signed, whatever decoding the server applies.
 */
export function isRfc3986Query(raw: string): boolean {
    if (raw === "") return true;
    return raw.split("&").every(
        (part) =>
            part.split("=").length <= 2 &&
            part.split("=").every((x) => {
                const d = decodeRfc3986(x);
                return d !== undefined && encodeRfc3986(d) === x;
            }),
    );
}

/** Each path segment decoded and re-encoded per RFC 3986 (`/` separators kept); undefined when undecodable. */
export function canonicalPathSegments(path: string): string | undefined {
    const segs: string[] = [];
    for (const seg of path.split("/")) {
        const d = decodeRfc3986(seg);
        if (d === undefined) return undefined;
        segs.push(encodeRfc3986(d));
    }
    return segs.join("/");
}

/** The first value of each header, names lower-cased: how a server looks a header up. */
export type HeaderMap = Record<string, string>;

/** A request as it arrived: enough for every verifier here. */
export interface WireRequest {
    method: string;
    /** The path of the request target exactly as sent (still percent-encoded), without the query. */
    rawPath: string;
    /** The query of the request target exactly as sent, without `?` ("" when none). */
    rawQuery: string;
    /** Header names lower-cased. */
    headers: HeaderMap;
    /** The body bytes as UTF-8 text ("" when none). */
    body: string;
}

/** The outcome of a signature check: who signed, or the cloud's own error answer. */
export type Verdict<T> = ({ ok: true } & T) | { ok: false; status: number; code: string; message: string };
