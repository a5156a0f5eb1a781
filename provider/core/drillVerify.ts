import { spawn } from "child_process";

/** How much of the verify command's output the report keeps (the end: where failures are explained). */
export const VERIFY_TAIL_BYTES = 4096;

/** A verify command to run. */
export interface VerifyCommand {
    /** Shell command line (run by the platform's shell). Secrets travel in `env`, never in it. */
    command: string;
    cwd?: string;
    /** Time limit, ms: the command (and its process group) is killed when it runs out. */
    limitMs: number;
    env: Record<string, string | undefined>;
}

/** How a verify command ended. */
export interface VerifyResult {
    ok: boolean;
    exitCode?: number;
    timedOut: boolean;
    /** Could not be started (e.g. no such working directory). */
    error?: string;
    /** The last {@link VERIFY_TAIL_BYTES} bytes of stdout and stderr, interleaved as they came (not yet redacted). */
    tail: string;
}

/**
 * Runs the user's verify command on the runner with a time limit. The password and the instance's address reach it
 * in its environment only: its argument list is the command line the user wrote, so `ps` never shows a secret. On
 * POSIX the command runs in its own process group, so the time limit kills what it started too.
 */
export function runVerify(v: VerifyCommand): Promise<VerifyResult> {
    return new Promise((resolve) => {
        const group = process.platform !== "win32";
        let tail = Buffer.alloc(0);
        const keep = (b: Buffer) => {
            tail = Buffer.concat([tail, b]);
            if (tail.length > VERIFY_TAIL_BYTES) tail = tail.subarray(tail.length - VERIFY_TAIL_BYTES);
        };
        let timedOut = false;
        let settled = false;
        const env = v.env as NodeJS.ProcessEnv;
        const stdio: ["ignore", "pipe", "pipe"] = ["ignore", "pipe", "pipe"];
        const child = spawn(v.command, { shell: true, cwd: v.cwd, env, detached: group, stdio });
        const kill = () => {
            try {
                if (group && child.pid) process.kill(-child.pid, "SIGKILL");
                else child.kill("SIGKILL");
            } catch {
                /* already gone */
            }
        };
        const timer = setTimeout(() => {
            timedOut = true;
            kill();
        }, v.limitMs);
        child.stdout.on("data", keep);
        child.stderr.on("data", keep);
        const done = (r: Omit<VerifyResult, "tail">) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            resolve({ ...r, tail: tail.toString("utf8") });
        };
        child.on("error", (e) => done({ ok: false, timedOut, error: `could not be started: ${e.message}` }));
        child.on("close", (code) => {
            if (timedOut) done({ ok: false, timedOut });
            else done({ ok: code === 0, exitCode: code ?? undefined, timedOut });
        });
    });
}
