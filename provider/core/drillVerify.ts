import { spawn } from "child_process";

/** How much of the verify command's output the report keeps (the end: where failures are explained). */
export const VERIFY_TAIL_BYTES = 4096;

/**
 * How much more than the tail is read: removing secrets shortens the text (a secret becomes `***`), and the report
 * should still hold about {@link VERIFY_TAIL_BYTES} of output after that.
 */
export const SECRET_MARGIN_BYTES = 8192;

/** A verify command to run. */
export interface VerifyCommand {
    /** Shell command line (run by the platform's shell). Secrets travel in `env`, never in it. */
    command: string;
    cwd?: string;
    /** Time limit, ms: the command (and its process group) is killed when it runs out. */
    limitMs: number;
    env: Record<string, string | undefined>;
    /** Removes secrets from the output; applied before the output is cut to its tail. */
    redact: (text: string) => string;
    /** The length of the remainder of a secret at the start of a text that was cut inside it (see redact.ts). */
    leadingPiece: (text: string) => number;
}

/** How a verify command ended. */
export interface VerifyResult {
    ok: boolean;
    exitCode?: number;
    timedOut: boolean;
    /** Could not be started (e.g. no such working directory). */
    error?: string;
    /** The last {@link VERIFY_TAIL_BYTES} bytes of stdout and stderr, interleaved as they came, secrets removed. */
    tail: string;
}

/**
 * The report's tail of an output of which `kept` is the end (`cut`: something before it was not kept). What remains of
 * a secret that the window's start cut in two is dropped (`leadingPiece` says how long it is), the rest is redacted,
 * and only then is the text cut to its tail: cutting first could split a secret and keep its second half, which no
 * longer matches the secret.
 */
export function redactedTail(
    kept: Buffer,
    cut: boolean,
    redact: (text: string) => string,
    leadingPiece: (text: string) => number,
): string {
    let text = kept.toString("utf8");
    if (cut) {
        // The window may start inside a character: its undecodable bytes first, then any remainder of a secret.
        text = text.replace(/^\uFFFD+/, "");
        text = text.slice(leadingPiece(text));
    }
    const clean = Buffer.from(redact(text), "utf8");
    if (clean.length <= VERIFY_TAIL_BYTES) return clean.toString("utf8");
    return clean
        .subarray(clean.length - VERIFY_TAIL_BYTES)
        .toString("utf8")
        .replace(/^\uFFFD+/, "");
}

/**
 * The shell program that runs the user's command (`$2`) and watches the provider host (`$1`): if the host goes (killed,
 * crashed), the whole process group goes with it, so nothing that holds the password in its environment outlives the
 * `pulumi up` that started it. The watcher's own output goes nowhere, so it never holds the output pipes open.
 */
const WATCHED = [
    'host="$1"',
    '( while kill -0 "$host" 2>/dev/null; do sleep 0.25; done; kill -KILL 0 ) </dev/null >/dev/null 2>&1 &',
    "watcher=$!",
    '/bin/sh -c "$2" </dev/null',
    "status=$?",
    'kill "$watcher" 2>/dev/null',
    'exit "$status"',
].join("\n");

/**
 * Runs the user's verify command on the runner with a time limit. The password and the instance's address reach it
 * in its environment only: its argument list is the command line the user wrote, so `ps` never shows a secret. On
 * POSIX the command runs in its own process group, so the time limit kills what it started too, and so does the end of
 * the provider host (see {@link WATCHED}).
 */
export function runVerify(v: VerifyCommand): Promise<VerifyResult> {
    return new Promise((resolve) => {
        const group = process.platform !== "win32";
        const keepBytes = VERIFY_TAIL_BYTES + SECRET_MARGIN_BYTES;
        let kept = Buffer.alloc(0);
        let cut = false;
        const keep = (b: Buffer) => {
            kept = Buffer.concat([kept, b]);
            if (kept.length > keepBytes) {
                kept = kept.subarray(kept.length - keepBytes);
                cut = true;
            }
        };
        let timedOut = false;
        let settled = false;
        const env = v.env as NodeJS.ProcessEnv;
        const stdio: ["ignore", "pipe", "pipe"] = ["ignore", "pipe", "pipe"];
        const child = group
            ? spawn("/bin/sh", ["-c", WATCHED, "pulumi-restore-verify", String(process.pid), v.command], {
                  cwd: v.cwd,
                  env,
                  detached: true,
                  stdio,
              })
            : spawn(v.command, { shell: true, cwd: v.cwd, env, stdio });
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
            resolve({ ...r, tail: redactedTail(kept, cut, v.redact, v.leadingPiece) });
        };
        child.on("error", (e) => done({ ok: false, timedOut, error: `could not be started: ${e.message}` }));
        child.on("close", (code) => {
            if (timedOut) done({ ok: false, timedOut });
            else done({ ok: code === 0, exitCode: code ?? undefined, timedOut });
        });
    });
}
