/**
 * Mocha's configuration, as code so that:
 * - `npm test` (the default suite: everything but the CLI suites) runs the test files in parallel (one worker process per file, MOCHA_JOBS at a time, default: cores + 1,
 *   at least 3: most suites wait on emulated clouds and child processes rather than compute), the slowest files first
 *   so that they do not start last;
 * - `npm run test:quick` runs the unit, provider and contract tests (8 min on 2 busy shared cores: README);
 *   `npm run test:engine` the CLI suites through the real Pulumi engine; `npm run test:all` everything;
 * - `npx mocha tests/some/file.test.ts` runs that file alone (a spec list here would otherwise be added to it).
 */
const fs = require("fs");
const os = require("os");
const path = require("path");

const SUITES = {
    /** `npm run test:quick`: pure functions and providers against the emulator. */
    quick: ["tests/unit", "tests/provider", "tests/contracts"],
    /** `npm test`: everything but the CLI suites (those run through the real Pulumi engine and cost the most CPU). */
    default: ["tests/unit", "tests/contracts", "tests/provider", "tests/lifecycle", "tests/reliability"],
    /** `npm run test:engine`: the CLI suites, through the real Pulumi CLI and engine. */
    engine: ["tests/cli"],
    /** `npm run test:all`: both (what `.ci/run` runs, in two steps). */
    all: ["tests/unit", "tests/contracts", "tests/provider", "tests/lifecycle", "tests/reliability", "tests/cli"],
};

/** Files known to take longest (measured with `npm test`); they start first. */
const SLOWEST = [
    "tests/cli/resources.test.ts",
    "tests/cli/cross-machine.test.ts",
    "tests/cli/state-compat.test.ts",
    "tests/cli/policy.test.ts",
    "tests/reliability/crash-safety.test.ts",
    "tests/cli/examples.test.ts",
    "tests/reliability/fault-matrix.test.ts",
    "tests/cli/plugin-yaml.test.ts",
    "tests/cli/options.test.ts",
    "tests/reliability/protocol-faults.test.ts",
    "tests/reliability/secret-scan.test.ts",
    "tests/reliability/plugin-path.test.ts",
];

function testFiles(dir) {
    if (!fs.existsSync(dir)) return [];
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) =>
            e.isDirectory()
                ? testFiles(path.join(dir, e.name))
                : e.name.endsWith(".test.ts")
                  ? [path.join(dir, e.name)]
                  : [],
        )
        .sort();
}

const suite = process.env.PULUMI_RESTORE_TESTS || "default";
if (!SUITES[suite])
    throw new Error(`PULUMI_RESTORE_TESTS must be one of ${Object.keys(SUITES).join(", ")}; got "${suite}"`);
const files = SUITES[suite].flatMap(testFiles);
const ordered = [...SLOWEST.filter((f) => files.includes(f)), ...files.filter((f) => !SLOWEST.includes(f))];

// Files named on the command line: run those only.
const named = process.argv.slice(2).some((a) => /\.(test\.)?ts$/.test(a) && fs.existsSync(a));
const jobs = Number(process.env.MOCHA_JOBS || Math.max(3, os.cpus().length + 1));

module.exports = {
    require: ["ts-node/register/transpile-only", "./tests/support/setup.ts"],
    extension: ["ts"],
    spec: named ? [] : ordered,
    parallel: jobs > 1,
    jobs,
    timeout: 60000,
    exit: true,
};
