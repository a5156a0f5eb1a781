/**
 * The vendors' official Python SDKs as test oracles (tests/contracts). They live in .contract-sdks/venv, installed by
 * `scripts/install-contract-sdks.sh` from tests/contracts/oracles/requirements.txt; the package never imports them.
 *
 * A suite calls `pythonOracle(this)` in its `before`: without the venv the suite is pending with the reason, except
 * with PULUMI_RESTORE_REQUIRE_CLI=true (CI), where a missing oracle fails instead of skipping.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
/** The venv's interpreter. */
export const ORACLE_PYTHON = path.join(ROOT, ".contract-sdks", "venv", "bin", "python");
/** Where the oracle scripts live. */
export const ORACLE_DIR = path.join(ROOT, "tests", "contracts", "oracles");

/** Skips (or, in CI, fails) the calling suite when the oracle venv is missing. */
export function pythonOracle(ctx: Mocha.Context): void {
    if (fs.existsSync(ORACLE_PYTHON)) return;
    const why = `the vendors' Python SDKs are not installed (${ORACLE_PYTHON}); run: npm run contracts:install`;
    if (process.env.PULUMI_RESTORE_REQUIRE_CLI === "true")
        throw new Error(`PULUMI_RESTORE_REQUIRE_CLI=true, but ${why}`);
    console.log(`      skipped: ${why}`);
    ctx.skip();
}

/** What one oracle run printed. */
export interface OracleRun {
    code: number | null;
    stdout: string;
    stderr: string;
}

/**
 * Runs `tests/contracts/oracles/<script>` with the venv's Python; `input` (JSON) goes to its standard input. Rejects on
 * a non-zero exit with the script's stderr; resolves to its stdout parsed as JSON.
 */
export async function runOracle<T = unknown>(
    script: string,
    input: unknown = {},
    env: NodeJS.ProcessEnv = {},
    timeoutMs = 60_000,
): Promise<T> {
    const run = await runOracleRaw(script, input, env, timeoutMs);
    if (run.code !== 0)
        throw new Error(`oracle ${script} exited ${run.code}:\n${run.stderr.slice(-4000)}\n${run.stdout.slice(-2000)}`);
    try {
        return JSON.parse(run.stdout) as T;
    } catch {
        throw new Error(`oracle ${script} printed no JSON:\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`);
    }
}

/** Like runOracle, but resolves with the exit code and both streams whatever happened. */
export function runOracleRaw(
    script: string,
    input: unknown = {},
    env: NodeJS.ProcessEnv = {},
    timeoutMs = 60_000,
): Promise<OracleRun> {
    return new Promise((resolve, reject) => {
        const child = spawn(ORACLE_PYTHON, [path.join(ORACLE_DIR, script)], {
            // Nothing of the runner's own environment (no proxies, no credentials) but PATH and HOME.
            env: { PATH: process.env.PATH, HOME: process.env.HOME, PYTHONDONTWRITEBYTECODE: "1", ...env },
            stdio: ["pipe", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", (e) => {
            clearTimeout(timer);
            reject(e);
        });
        child.on("close", (code) => {
            clearTimeout(timer);
            resolve({ code, stdout, stderr });
        });
        child.stdin.end(JSON.stringify(input));
    });
}
