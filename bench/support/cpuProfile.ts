/**
 * Reading V8 CPU profiles (`node --cpu-prof` writes one `.cpuprofile` per process when it exits): where the samples
 * fell, as self time per function (the time a function was on top of the stack, not counting what it called).
 */

/** The parts of a `.cpuprofile` read here. */
export interface CpuProfile {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
    startTime: number;
    endTime: number;
    samples?: number[];
    timeDeltas?: number[];
}

/** One function's self time. */
export interface SelfTime {
    /** `name (file:line)`, the file shortened to what follows the last node_modules, or its last two segments. */
    fn: string;
    selfMs: number;
    /** Share of the profile's sampled time. */
    share: number;
}

/** A script URL shortened for a report: the part after the last `node_modules/`, else the last two segments. */
export function shortUrl(url: string): string {
    if (!url) return "";
    const u = url.replace(/^file:\/\//, "");
    const nm = u.lastIndexOf("node_modules/");
    if (nm >= 0) return u.slice(nm + "node_modules/".length);
    return u.split("/").slice(-2).join("/");
}

/**
 * Self time per function, highest first, at most `top` entries. Samples are attributed to the node they hit; each
 * sample's duration is the next sample's time delta (V8's convention: `timeDeltas[i]` is the gap before sample i).
 * Nodes of the same function (same name, file and line) are added together. `(idle)`, `(program)` and
 * `(garbage collector)` are kept: they say whether the process was busy at all. Several profiles (the chunks of one
 * process, or several processes of one role) are added together.
 */
export function topSelfTime(
    profiles: CpuProfile | readonly CpuProfile[],
    top = 10,
): { totalMs: number; entries: SelfTime[] } {
    const byFn = new Map<string, number>();
    let totalUs = 0;
    for (const p of Array.isArray(profiles) ? profiles : [profiles as CpuProfile]) {
        const samples = p.samples ?? [];
        const deltas = p.timeDeltas ?? [];
        const byNode = new Map<number, number>();
        for (let i = 0; i < samples.length; i++) {
            const us = deltas[i + 1] ?? 0;
            byNode.set(samples[i], (byNode.get(samples[i]) ?? 0) + us);
        }
        for (const n of p.nodes) {
            const us = byNode.get(n.id) ?? 0;
            if (us === 0) continue;
            totalUs += us;
            const f = n.callFrame;
            const name = f.functionName || "(anonymous)";
            const where = f.url ? ` (${shortUrl(f.url)}:${f.lineNumber + 1})` : "";
            const key = `${name}${where}`;
            byFn.set(key, (byFn.get(key) ?? 0) + us);
        }
    }
    const entries = [...byFn.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([fn, us]) => ({ fn, selfMs: us / 1000, share: totalUs > 0 ? us / totalUs : 0 }));
    return { totalMs: totalUs / 1000, entries };
}

/** Busy time: everything sampled except `(idle)`. */
export function busyMs(p: CpuProfile): number {
    const idle = new Set(p.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
    const samples = p.samples ?? [];
    const deltas = p.timeDeltas ?? [];
    let us = 0;
    for (let i = 0; i < samples.length; i++) if (!idle.has(samples[i])) us += deltas[i + 1] ?? 0;
    return us / 1000;
}
