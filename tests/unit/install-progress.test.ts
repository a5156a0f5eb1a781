import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as path from "path";

/**
 * scripts/lib/progress.sh, which keeps `npm run pulumi:install` from being silent for ten minutes: while a step runs
 * it prints a line every PULUMI_CLI_PROGRESS_SECONDS with the time elapsed and what the step's log says; the step's
 * exit status and output (in its log) are kept.
 */
const LIB = path.resolve(__dirname, "../../scripts/lib/progress.sh");

function run(step: string, seconds: number): { status: number | null; stdout: string } {
    const script = `. "$LIB"; log=$(mktemp); run_with_progress "compiling things" "packages compiled" "$log" sh -c '${step}'; code=$?; echo "log: $(tr '\\n' ' ' <"$log")"; rm -f "$log"; exit $code`;
    const r = spawnSync("bash", ["-c", script], {
        encoding: "utf8",
        env: { ...process.env, LIB, PULUMI_CLI_PROGRESS_SECONDS: String(seconds) },
        timeout: 20_000,
    });
    return { status: r.status, stdout: r.stdout };
}

describe("install-pulumi-cli.sh: progress while a step runs (scripts/lib/progress.sh)", function () {
    this.timeout(30_000);

    it("prints the elapsed time and the count and last line of the step's log, and returns its status", () => {
        const r = run("echo github.com/a/one; echo github.com/a/two; sleep 3; exit 3", 1);
        assert.equal(r.status, 3, r.stdout);
        const lines = r.stdout.split("\n").filter((l) => l.startsWith("[pulumi-cli] compiling things: "));
        assert.ok(lines.length >= 1, r.stdout);
        assert.match(
            lines[0],
            /^\[pulumi-cli\] compiling things: 0m0[1-9]s elapsed, 2 packages compiled so far \(last: github\.com\/a\/two\)$/,
        );
        assert.match(r.stdout, /log: github\.com\/a\/one github\.com\/a\/two/);
    });

    it("says when the log is still empty, and prints nothing for a step shorter than the interval", () => {
        assert.match(run("sleep 2", 1).stdout, /compiling things: 0m0[1-9]s elapsed, no packages compiled yet/);
        const quick = run("echo done", 30);
        assert.equal(quick.status, 0);
        assert.doesNotMatch(quick.stdout, /elapsed/);
    });
});
