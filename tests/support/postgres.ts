/**
 * A throwaway PostgreSQL server for the team-backend suite: initdb into a temporary directory, postgres on a free
 * loopback port (its unix socket in the same directory), one database, a password-protected role; stopped and removed
 * at the end. The binaries come from Debian's packages (`scripts/install-postgres.sh`). PostgreSQL refuses to run as
 * root, so as root the server runs as the `postgres` user the package creates.
 */
import { spawnSync, SpawnSyncReturns } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { freePort } from "./ports";

/** A running server and the `postgres://` URL of its database, as `PULUMI_BACKEND_URL` takes it. */
export interface PostgresServer {
    /** `postgres://pulumi:<password>@127.0.0.1:<port>/pulumi_state?sslmode=disable` */
    url: string;
    password: string;
    /** Runs SQL in the database (psql over the unix socket) and returns its unaligned output. */
    sql(query: string): string;
    /** Stops the server and removes its directory. */
    stop(): void;
}

/**
 * The directory holding initdb, pg_ctl, postgres and psql: `$PULUMI_RESTORE_PG_BIN`, else Debian's
 * /usr/lib/postgresql/<version>/bin (newest first), else where `initdb` on PATH lives. Undefined when there is none.
 */
export function findPostgresBin(): string | undefined {
    // $PULUMI_RESTORE_PG_BIN chooses one explicitly (and, pointed at an empty directory, shows the skip).
    const candidates: string[] = [];
    const forced = process.env.PULUMI_RESTORE_PG_BIN;
    if (forced) candidates.push(forced);
    const base = "/usr/lib/postgresql";
    if (!forced && fs.existsSync(base))
        candidates.push(
            ...fs
                .readdirSync(base)
                .sort((a, b) => Number(b) - Number(a))
                .map((v) => path.join(base, v, "bin")),
        );
    const which = spawnSync("which", ["initdb"], { encoding: "utf8" });
    if (!forced && which.status === 0) candidates.push(path.dirname(fs.realpathSync(which.stdout.trim())));
    return candidates.find((d) =>
        ["initdb", "pg_ctl", "postgres", "psql"].every((b) => fs.existsSync(path.join(d, b))),
    );
}

/** The user the server runs as: the caller, or `postgres` when the caller is root. Undefined if there is none. */
function serverUser(): { name?: string; uid: number; gid: number } | undefined {
    if (process.getuid?.() !== 0) return { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
    const id = (flag: string) => spawnSync("id", [flag, "postgres"], { encoding: "utf8" });
    const u = id("-u");
    const g = id("-g");
    if (u.status !== 0 || g.status !== 0) return undefined;
    return { name: "postgres", uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/** Why no server can be started here, or undefined when one can. */
export function postgresUnavailable(): string | undefined {
    if (!findPostgresBin())
        return "no PostgreSQL server binaries (initdb, pg_ctl, postgres, psql): run scripts/install-postgres.sh";
    if (!serverUser()) return "running as root and there is no `postgres` user to run the server as";
    return undefined;
}

const running = new Set<() => void>();
// A test process that ends without its after hook (a crash, a time-out) still stops its servers.
process.on("exit", () => [...running].forEach((stop) => stop()));

/** Starts a server; throws with the server's log when it does not come up. */
export async function startPostgres(): Promise<PostgresServer> {
    const bin = findPostgresBin();
    const user = serverUser();
    if (!bin || !user) throw new Error(postgresUnavailable());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-restore-pg-"));
    fs.chownSync(dir, user.uid, user.gid);
    const run = (cmd: string, args: string[], o: { input?: string; env?: NodeJS.ProcessEnv } = {}) => {
        const [file, argv] = user.name
            ? ["runuser", ["-u", user.name, "--", path.join(bin, cmd), ...args]]
            : [path.join(bin, cmd), args];
        const r: SpawnSyncReturns<string> = spawnSync(file, argv, {
            cwd: dir,
            encoding: "utf8",
            input: o.input,
            env: { ...process.env, ...o.env },
            timeout: 120_000,
        });
        if (r.status !== 0) {
            const log = fs.existsSync(path.join(dir, "server.log"))
                ? fs.readFileSync(path.join(dir, "server.log"), "utf8")
                : "";
            throw new Error(
                `${cmd} ${args.join(" ")} failed (${r.status ?? r.signal}): ${r.stderr}${r.stdout}\n${log}`,
            );
        }
        return r.stdout;
    };
    const password = randomBytes(12).toString("hex");
    const data = path.join(dir, "data");
    const pwfile = path.join(dir, "pwfile");
    fs.writeFileSync(pwfile, password + "\n", { mode: 0o600 });
    fs.chownSync(pwfile, user.uid, user.gid);
    // Over TCP (what the CLI uses) a password is required, as on a shared server; the unix socket is for this helper.
    run("initdb", [
        "-D",
        data,
        "-U",
        "pulumi",
        `--pwfile=${pwfile}`,
        "--auth-host=scram-sha-256",
        "--auth-local=trust",
        "-E",
        "UTF8",
        "--no-sync",
    ]);
    fs.rmSync(pwfile);
    let port = 0;
    for (let attempt = 1; ; attempt++) {
        port = await freePort();
        try {
            // -F: no fsync (a throwaway server); the socket in our directory, not /var/run/postgresql.
            run("pg_ctl", [
                "-D",
                data,
                "-l",
                path.join(dir, "server.log"),
                "-w",
                "-t",
                "60",
                "-o",
                `-F -p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
                "start",
            ]);
            break;
        } catch (e) {
            // The port was taken between freePort and the start: another one.
            if (attempt >= 3) throw e;
        }
    }
    let stopped = false;
    const stop = () => {
        if (stopped) return;
        stopped = true;
        running.delete(stop);
        try {
            run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    };
    running.add(stop);
    const sql = (query: string) =>
        run("psql", [
            "-h",
            dir,
            "-p",
            String(port),
            "-U",
            "pulumi",
            "-d",
            "pulumi_state",
            "-v",
            "ON_ERROR_STOP=1",
            "-A",
            "-t",
            "-c",
            query,
        ]);
    run("psql", [
        "-h",
        dir,
        "-p",
        String(port),
        "-U",
        "pulumi",
        "-d",
        "postgres",
        "-v",
        "ON_ERROR_STOP=1",
        "-c",
        "CREATE DATABASE pulumi_state",
    ]);
    return {
        url: `postgres://pulumi:${password}@127.0.0.1:${port}/pulumi_state?sslmode=disable`,
        password,
        sql,
        stop,
    };
}

/**
 * A server for a suite, or a skip with the reason. With PULUMI_RESTORE_REQUIRE_CLI=true (CI) a missing PostgreSQL
 * fails the suite instead, as a missing CLI does.
 */
export async function postgresOrSkip(ctx: Mocha.Context): Promise<PostgresServer> {
    const why = postgresUnavailable();
    if (!why) return startPostgres();
    if (process.env.PULUMI_RESTORE_REQUIRE_CLI === "true")
        throw new Error(`PULUMI_RESTORE_REQUIRE_CLI=true, but ${why}`);
    console.log(`    (${why}: skipped)`);
    ctx.skip();
}
