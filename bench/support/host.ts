import { readFileSync } from "fs";

/** Peak resident memory (VmHWM) of a process, in bytes, from /proc; undefined where /proc is not available. */
export function peakRss(pid: number | undefined): number | undefined {
    if (pid === undefined) return undefined;
    try {
        const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
        return m ? Number(m[1]) * 1024 : undefined;
    } catch {
        return undefined;
    }
}
