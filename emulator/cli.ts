/**
 * The command line of `pulumi-restore-emulator` (`npm run emulator -- ...`): parsing and usage text, kept apart from
 * bin.ts so that they are tested without starting anything.
 */
import { CLOUD_NAMES, CloudName } from "./index";

/** Default duration of an emulated restore, in seconds. */
export const DEFAULT_RESTORE_SECONDS = 5;

/** What the command line asks for: the usage text, or a run with these settings. */
export type EmulatorCommand =
    { kind: "help" } | { kind: "run"; restoreSeconds: number; ports: Partial<Record<CloudName, number>> };

/** A command-line mistake; its message names the argument and what is allowed. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

/** The text `--help` prints. */
export function usage(program = "pulumi-restore-emulator"): string {
    return [
        `Usage: ${program} [--restore-seconds N] [--port-<cloud> PORT ...]`,
        ``,
        `Starts local emulators of the five clouds on 127.0.0.1, seeds the backups and instances the programs`,
        `under examples/ use, and prints the endpoints and, for each example, the \`pulumi config set\` lines its`,
        `stack needs. Runs until Ctrl-C.`,
        ``,
        `Options:`,
        `  --restore-seconds N    how long an emulated restore takes, in seconds`,
        `                         (N >= 0, default ${DEFAULT_RESTORE_SECONDS})`,
        `  --port-<cloud> PORT    listen on this port (1-65535; 0 or absent: a free port). <cloud> is one of:`,
        `                         ${CLOUD_NAMES.join(", ")}`,
        `  -h, --help             print this text and exit`,
        ``,
        `From the repository: npm run emulator -- [options]`,
    ].join("\n");
}

/**
 * Parses the arguments after the program name. Values follow their flag (`--port-zstack 8080`) or an equals sign
 * (`--port-zstack=8080`). Throws {@link UsageError} naming the argument for anything unknown, missing or malformed.
 */
export function parseEmulatorArgs(argv: readonly string[]): EmulatorCommand {
    let restoreSeconds = DEFAULT_RESTORE_SECONDS;
    const ports: Partial<Record<CloudName, number>> = {};
    const portFlags = new Map<number, string>();
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "-h" || arg === "--help") return { kind: "help" };
        const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
        const flag = eq > 0 ? arg.slice(0, eq) : arg;
        const value = (): string => {
            const v = eq > 0 ? arg.slice(eq + 1) : argv[++i];
            // A flag where a value belongs means the value was left out (`--port-alicloud --restore-seconds 3`).
            if (v === undefined || v === "" || (eq < 0 && v.startsWith("--"))) {
                throw new UsageError(`${flag} needs a value`);
            }
            return v;
        };
        if (flag === "--restore-seconds") {
            const v = value();
            const n = /^\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
            if (!Number.isFinite(n)) {
                const allowed = "a number of seconds >= 0, such as 5 or 0.5";
                throw new UsageError(`--restore-seconds must be ${allowed} (got "${v}")`);
            }
            restoreSeconds = n;
        } else if (flag.startsWith("--port-")) {
            const cloud = flag.slice("--port-".length) as CloudName;
            if (!CLOUD_NAMES.includes(cloud)) {
                const clouds = CLOUD_NAMES.join(", ");
                throw new UsageError(`unknown option ${flag}: the clouds are ${clouds} (--port-alicloud, ...)`);
            }
            const v = value();
            const n = /^\d+$/.test(v) ? Number(v) : NaN;
            if (!(n >= 0 && n <= 65535)) {
                const allowed = "a port number from 1 to 65535, or 0 for a free port";
                throw new UsageError(`${flag} must be ${allowed} (got "${v}")`);
            }
            const other = portFlags.get(n);
            if (n !== 0 && other !== undefined && other !== flag) {
                throw new UsageError(`${flag} and ${other} both ask for port ${n}: give each cloud its own port`);
            }
            if (n !== 0) portFlags.set(n, flag);
            ports[cloud] = n;
        } else {
            throw new UsageError(`unknown ${arg.startsWith("-") ? "option" : "argument"} ${arg}`);
        }
    }
    return { kind: "run", restoreSeconds, ports };
}
