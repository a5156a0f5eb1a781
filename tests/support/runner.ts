/**
 * Machines of a team for the CLI suites on a shared state backend: each runner has a home of its own (HOME,
 * PULUMI_HOME, PULUMI_RESTORE_STATE_DIR) and a working copy of tests/cli/project, and shares only the backend with the
 * others. Also the means to kill a runner's `pulumi` with everything it started, as a cancelled CI job or a lost
 * machine does, and to see what a killed CLI left running.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CliStack, FoundCli } from "../../harness/pulumiCli";
import { CLI_PROJECT } from "../cli/subjects";

/** Waits until `cond` holds (polling), or fails after `ms`. */
export async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
    const end = Date.now() + ms;
    while (!cond()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
    }
}

/** Dynamic-provider hosts left by a killed CLI (their parent is gone) that run in `dir` or the CLI project. */
export function orphanedHosts(dir: string): number[] {
    const pids: number[] = [];
    for (const e of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(e)) continue;
        try {
            if (!fs.readFileSync(`/proc/${e}/cmdline`, "utf8").includes("dynamic-provider")) continue;
            const ppid = /^PPid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${e}/status`, "utf8"))?.[1];
            const cwd = fs.readlinkSync(`/proc/${e}/cwd`);
            if (ppid === "1" && (cwd === CLI_PROJECT || cwd.startsWith(dir))) pids.push(Number(e));
        } catch {
            /* the process ended meanwhile */
        }
    }
    return pids;
}

/** Whether every one of `pids` has ended (a zombie, dead and waiting for its parent to reap it, counts as ended). */
export function allEnded(pids: number[]): boolean {
    return pids.every((p) => {
        try {
            return /^State:\s+Z/m.test(fs.readFileSync(`/proc/${p}/status`, "utf8"));
        } catch {
            return true;
        }
    });
}

/** `pid` and every process descended from it (Linux: read from /proc). */
export function processTree(pid: number): number[] {
    const children = new Map<number, number[]>();
    for (const e of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(e)) continue;
        try {
            const ppid = Number(/^PPid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${e}/status`, "utf8"))?.[1]);
            children.set(ppid, [...(children.get(ppid) ?? []), Number(e)]);
        } catch {
            /* the process ended meanwhile */
        }
    }
    const out: number[] = [];
    const walk = (p: number) => {
        out.push(p);
        for (const c of children.get(p) ?? []) walk(c);
    };
    walk(pid);
    return out;
}

/**
 * SIGKILLs `pid` (a `pulumi` started in a process group of its own), its process group and every process descended
 * from it, synchronously: the engine starts the dynamic-provider host in a group of its own, so killing the CLI's group
 * alone would leave the host running its create to the end. Returns the pids it signalled.
 */
export function killTree(pid: number): number[] {
    const tree = processTree(pid);
    try {
        process.kill(-pid, "SIGKILL");
    } catch {
        /* the group is gone already */
    }
    for (const p of tree)
        try {
            process.kill(p, "SIGKILL");
        } catch {
            /* ended meanwhile */
        }
    return tree;
}

/**
 * One machine of the team (a CI runner or a laptop): a home of its own, and a working copy of tests/cli/project
 * (a Pulumi.yaml whose `main` is that program; the stack config files live here).
 */
export class Runner {
    readonly dir: string;
    readonly home: string;
    readonly work: string;

    constructor(
        readonly name: string,
        private readonly cli: FoundCli,
        private readonly backendUrl: string,
    ) {
        this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `pulumi-restore-runner-${name}-`));
        this.home = path.join(this.dir, "home");
        this.work = path.join(this.dir, "work");
        fs.mkdirSync(this.home);
        fs.mkdirSync(this.work);
        fs.writeFileSync(
            path.join(this.work, "Pulumi.yaml"),
            [
                "name: pulumi-restore-cli-tests",
                "runtime:",
                "  name: nodejs",
                "  options:",
                "    typescript: true",
                `main: ${path.relative(this.work, CLI_PROJECT)}/`,
                "",
            ].join("\n"),
        );
    }

    /** A stack as this runner sees it: its home, the shared backend, its working copy (or `cwd`). */
    stack(name: string, o: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliStack {
        return new CliStack(this.cli.path, name, {
            cwd: o.cwd ?? this.work,
            backendDir: this.home,
            env: {
                HOME: this.home,
                PULUMI_HOME: path.join(this.home, ".pulumi"),
                PULUMI_BACKEND_URL: this.backendUrl,
                // Provider state (the Tencent restore journal, KooPhone's records) in this machine's home.
                PULUMI_RESTORE_STATE_DIR: path.join(this.home, ".pulumi-restore"),
                ...o.env,
            },
        });
    }

    /** Brings another runner's `Pulumi.<stack>.yaml` (committed, secrets encrypted) into this working copy. */
    checkout(from: Runner, stack: string): void {
        const f = `Pulumi.${stack}.yaml`;
        fs.copyFileSync(path.join(from.work, f), path.join(this.work, f));
    }

    remove(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}
