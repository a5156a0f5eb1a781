/** Plain-text tables for the benchmark's stdout. */

let style: "text" | "md" = "text";

/** Renders every following {@link table} as plain text (stdout) or Markdown (the README fragment). */
export function setTableStyle(s: "text" | "md"): void {
    style = s;
}

/** Renders rows under a header, columns padded; numbers right-aligned (a Markdown table in "md" style). */
export function table(header: string[], rows: (string | number)[][]): string {
    if (style === "md") return `\n${mdTable(header, rows)}\n`;
    const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === "number" ? fmtNum(c) : c)))];
    const widths = header.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? "").length)));
    const line = (r: (string | number)[], isHeader = false) =>
        r
            .map((c, i) => {
                const s = String(c ?? "");
                const numeric = !isHeader && typeof rows[0]?.[i] === "number";
                return numeric ? s.padStart(widths[i]) : s.padEnd(widths[i]);
            })
            .join("  ")
            .trimEnd();
    return [
        line(header, true),
        widths.map((w) => "-".repeat(w)).join("  "),
        ...cells.slice(1).map((r) => line(r)),
    ].join("\n");
}

/** A number with at most 3 significant decimals, thousands not separated (stable across locales). */
export function fmtNum(n: number): string {
    if (!Number.isFinite(n)) return String(n);
    if (Number.isInteger(n)) return String(n);
    const a = Math.abs(n);
    return a >= 100 ? n.toFixed(0) : a >= 10 ? n.toFixed(1) : a >= 1 ? n.toFixed(2) : n.toFixed(3);
}

/** Milliseconds as seconds ("12.3 s") or ms below one second. */
export function fmtMs(ms: number): string {
    if (!Number.isFinite(ms)) return String(ms);
    return Math.abs(ms) >= 1000 ? `${fmtNum(ms / 1000)} s` : `${fmtNum(ms)} ms`;
}

/** A duration in restore terms: "30 s", "12.5 min", "4.00 h". */
export function fmtDuration(ms: number): string {
    const s = ms / 1000;
    if (s < 120) return `${fmtNum(s)} s`;
    if (s < 7200) return `${fmtNum(s / 60)} min`;
    return `${fmtNum(s / 3600)} h`;
}

/** Bytes as B, KB (1024) or MB. */
export function fmtBytes(b: number): string {
    if (b < 1024) return `${b} B`;
    if (b < 1024 * 1024) return `${fmtNum(b / 1024)} KB`;
    return `${fmtNum(b / 1024 / 1024)} MB`;
}

/** One line of the summary: a target the issue sets, what this run measured, and whether it is met. */
export interface TargetRow {
    id: string;
    target: string;
    measured: string;
    met: boolean;
}

/** The summary table (plain text): every target with its measurement and "met" or "MISSED". */
export function summaryTable(rows: TargetRow[]): string {
    return table(
        ["", "target", "measured", "met?"],
        rows.map((r) => [r.id, r.target, r.measured, r.met ? "met" : "MISSED"]),
    );
}

/** A Markdown table; `|` in cells is escaped. */
export function mdTable(header: string[], rows: (string | number)[][]): string {
    const cell = (c: string | number) => (typeof c === "number" ? fmtNum(c) : c).replace(/\|/g, "\\|");
    return [
        header.map(cell).join(" | "),
        header.map(() => "---").join(" | "),
        ...rows.map((r) => r.map(cell).join(" | ")),
    ]
        .map((l) => `| ${l} |`)
        .join("\n");
}
