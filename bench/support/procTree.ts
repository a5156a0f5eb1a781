/**
 * Peak memory of a process tree (the Pulumi CLI and everything it starts), by polling /proc: each process's VmHWM
 * (its own peak resident set, kept by the kernel) is read while it lives, and the highest value seen per process is
 * kept with what the process is (from its command line; looked at again while it is "other", since a launcher script
 * `exec`s node under the same pid, and VmHWM is reset by exec). A process that grows and exits between two polls is missed;
 * polls every 200 ms are far shorter than the lives measured here (seconds). Linux only: elsewhere nothing is reported.
 */
import { readFileSync, readdirSync } from "fs";

/** What a process in the CLI's tree is, from its command line. */
export type ProcRole = "cli" | "language host" | "program" | "provider host (dynamic)" | "provider plugin" | "other";

/** The role of a process from its argv (as /proc/<pid>/cmdline gives it, NUL-separated, already split). */
export function roleOf(argv: readonly string[]): ProcRole {
    const exe = (argv[0] ?? "").split("/").pop() ?? "";
    const joined = argv.join(" ");
    // `node -e` one-liners (the launchers resolve @pulumi/pulumi's scripts with one) are not the process they name.
    if (argv.some((a) => a === "-e" || a === "--eval" || a === "-p" || a === "--print")) return "other";
    if (exe === "pulumi") return "cli";
    if (exe.startsWith("pulumi-language-")) return "language host";
    if (/cmd[/\\]dynamic-provider/.test(joined)) return "provider host (dynamic)";
    if (/cmd[/\\]run-plugin|pulumi-restore[/\\]plugin|bench-noop-plugin|plugin[/\\]index\.js/.test(joined))
        return "provider plugin";
    if (/cmd[/\\]run\b/.test(joined)) return "program";
    return "other";
}

/** The parent pid from the text of /proc/<pid>/stat (the command name, in parentheses, may hold spaces). */
export function parentOf(stat: string): number | undefined {
    const close = stat.lastIndexOf(")");
    if (close < 0) return undefined;
    const fields = stat.slice(close + 2).split(" ");
    const ppid = Number(fields[1]);
    return Number.isInteger(ppid) ? ppid : undefined;
}

/** VmHWM in bytes from the text of /proc/<pid>/status. */
export function hwmOf(status: string): number | undefined {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) * 1024 : undefined;
}

/** One process seen in the tree: its role, command line and highest VmHWM seen. */
export interface ProcPeak {
    pid: number;
    role: ProcRole;
    argv: string[];
    peakRssBytes: number;
}

function read(p: string): string | undefined {
    try {
        return readFileSync(p, "utf8");
    } catch {
        return undefined;
    }
}

/** Polls the tree under `root` until stopped; {@link stop} returns every process seen with its peak. */
export class ProcTreeMonitor {
    private readonly seen = new Map<number, ProcPeak>();
    private readonly timer: NodeJS.Timeout;

    constructor(
        private readonly root: number,
        intervalMs = 200,
    ) {
        this.poll();
        this.timer = setInterval(() => this.poll(), intervalMs);
    }

    private poll(): void {
        let pids: number[];
        try {
            pids = readdirSync("/proc")
                .filter((d) => /^\d+$/.test(d))
                .map(Number);
        } catch {
            return;
        }
        const parent = new Map<number, number>();
        for (const pid of pids) {
            const ppid = parentOf(read(`/proc/${pid}/stat`) ?? "");
            if (ppid !== undefined) parent.set(pid, ppid);
        }
        const inTree = (pid: number): boolean => {
            for (let p: number | undefined = pid, hops = 0; p !== undefined && hops < 64; p = parent.get(p), hops++)
                if (p === this.root) return true;
            return false;
        };
        for (const pid of pids) {
            if (!inTree(pid)) continue;
            const hwm = hwmOf(read(`/proc/${pid}/status`) ?? "");
            if (hwm === undefined) continue;
            const known = this.seen.get(pid);
            if (known) {
                known.peakRssBytes = Math.max(known.peakRssBytes, hwm);
                // A launcher script `exec`s node: same pid, new command line (and a new role), so look again.
                if (known.role === "other") {
                    const argv = (read(`/proc/${pid}/cmdline`) ?? "").split("\0").filter(Boolean);
                    known.argv = argv;
                    known.role = roleOf(argv);
                    known.peakRssBytes = hwm;
                }
            } else {
                const argv = (read(`/proc/${pid}/cmdline`) ?? "").split("\0").filter(Boolean);
                this.seen.set(pid, { pid, role: roleOf(argv), argv, peakRssBytes: hwm });
            }
        }
    }

    /** Stops polling (one last poll first) and returns every process seen. */
    stop(): ProcPeak[] {
        this.poll();
        clearInterval(this.timer);
        return [...this.seen.values()];
    }
}

/** The highest peak among processes of one role (undefined when none was seen). */
export function peakOf(procs: readonly ProcPeak[], ...roles: ProcRole[]): number | undefined {
    const xs = procs.filter((p) => roles.includes(p.role)).map((p) => p.peakRssBytes);
    return xs.length ? Math.max(...xs) : undefined;
}
