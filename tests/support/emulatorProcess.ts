/**
 * The emulator as a user starts it (`npm run emulator`, or `pulumi-restore-emulator` from an installed package): a
 * child process whose printed output is read back, the way a person pastes its `pulumi config set` lines.
 */
import { ChildProcess, spawn } from "child_process";

/** One example's group in the emulator's output. */
export interface PrintedExample {
    /** `examples/zstack` */
    example: string;
    /** The project name the group names. */
    project: string;
    /** The `pulumi config set ...` lines of the group, as printed (without the indentation). */
    lines: string[];
}

/** The line the emulator prints last, once everything else is printed. */
export const READY_LINE = /^The emulator is running: Ctrl-C to stop\.$/m;

/** The per-example groups of the emulator's output: a header `examples/<dir> (project <name>):` and its indented lines. */
export function parseEmulatorOutput(text: string): PrintedExample[] {
    const out: PrintedExample[] = [];
    let cur: PrintedExample | undefined;
    for (const raw of text.split(/\r?\n/)) {
        const head = /^(examples\/\S+) \(project ([^)\s]+)\):$/.exec(raw);
        if (head) {
            cur = { example: head[1], project: head[2], lines: [] };
            out.push(cur);
        } else if (cur && /^\s+pulumi config set /.test(raw)) cur.lines.push(raw.trim());
        else if (raw.trim() === "" || !/^\s/.test(raw)) cur = undefined;
    }
    return out;
}

/** A running emulator process and what it printed. */
export interface EmulatorProcess {
    proc: ChildProcess;
    stdout: string;
    examples: PrintedExample[];
    /** Base URL of each cloud, from the endpoint lines. */
    urls: Record<string, string>;
    stop(): Promise<void>;
}

/** Starts `command args` (the emulator's bin), waits for its last line, and parses what it printed. */
export async function startEmulatorProcess(
    command: string,
    args: string[],
    o: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<EmulatorProcess> {
    const env = { ...process.env, ...o.env };
    const proc = spawn(command, args, { cwd: o.cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    await new Promise<void>((resolve, reject) => {
        const fail = () => reject(new Error(`the emulator printed no ready line in 60 s:\n${stdout}\n${stderr}`));
        const timer = setTimeout(fail, 60_000);
        proc.stdout!.on("data", (d: Buffer) => {
            stdout += d.toString();
            if (READY_LINE.test(stdout)) {
                clearTimeout(timer);
                resolve();
            }
        });
        proc.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
        proc.on("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`the emulator exited with ${code}:\n${stdout}\n${stderr}`));
        });
    });
    proc.removeAllListeners("exit");
    const urls: Record<string, string> = {};
    for (const m of stdout.matchAll(/^ {2}(\w+)\s+(http:\/\/127\.0\.0\.1:\d+)\s/gm)) urls[m[1]] = m[2];
    return {
        proc,
        stdout,
        examples: parseEmulatorOutput(stdout),
        urls,
        stop: () =>
            new Promise<void>((resolve) => {
                if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
                proc.once("exit", () => resolve());
                proc.kill("SIGTERM");
            }),
    };
}
