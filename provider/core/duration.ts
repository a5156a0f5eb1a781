const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a duration such as "90m", "2h", "1h30m", "45s" or "1d" into milliseconds. Returns undefined for anything else
 * (callers turn that into a check failure naming the property).
 */
export function parseDuration(text: string): number | undefined {
    const t = text.trim();
    if (!/^(\d+(\.\d+)?(ms|s|m|h|d))+$/.test(t)) return undefined;
    let total = 0;
    for (const m of t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) total += Number(m[1]) * UNIT_MS[m[2]];
    return total > 0 ? Math.round(total) : undefined;
}

/** Formats milliseconds for a progress line: "45s", "12m05s", "2h03m". */
export function formatDuration(ms: number): string {
    const s = Math.floor(ms / 1000);
    if (s < 60) return `${s}s`;
    const m = Math.floor(s / 60);
    if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
    return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

/**
 * Formats a time that passed, for messages where rounding down would mislead ("timed out after 1s" for 1.9 s): tenths
 * of a second under a minute ("1.9s", "45.0s"), then {@link formatDuration}.
 */
export function formatElapsed(ms: number): string {
    return ms < 60_000 ? `${(Math.floor(ms / 100) / 10).toFixed(1)}s` : formatDuration(ms);
}

/** Formats a configured duration exactly, as it could be written: "2s", "1.5s", "1m30s", "2h", "1h30m", "250ms". */
export function formatExact(ms: number): string {
    if (ms < 1000) return `${ms}ms`;
    const h = Math.floor(ms / 3_600_000);
    const m = Math.floor((ms % 3_600_000) / 60_000);
    const s = (ms % 60_000) / 1000;
    return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${s ? `${Number(s.toFixed(3))}s` : ""}`;
}
