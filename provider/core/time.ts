/**
 * The one format of every time a resource outputs (selected backup times, drill reports, creation and restore times,
 * backup times from lookups): ISO 8601 in UTC to the second, `2026-11-23T04:00:00Z`, whatever the vendor answered
 * (JD Cloud `YYYY-MM-DD HH:mm:ss` in UTC+8, Tencent Beijing time, StarRocks epoch ms, ZStack's Java dates). Each
 * cloud's client parses its own form into epoch ms; this module only writes. Old state written in another form keeps
 * loading: these are outputs, which no diff compares, and every reader of a stored time parses ISO text of any zone.
 */

/** Epoch ms as `YYYY-MM-DDTHH:mm:ssZ` (milliseconds dropped); "" for a time that could not be read. */
export function utcIso(ms: number): string {
    return Number.isFinite(ms) ? new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, "Z") : "";
}

/** {@link utcIso}, or undefined for a missing or unreadable time (an output then left out). */
export function utcIsoOrUndefined(ms: number | undefined): string | undefined {
    return ms === undefined || !Number.isFinite(ms) ? undefined : utcIso(ms);
}
