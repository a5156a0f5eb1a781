import * as pulumi from "@pulumi/pulumi";
import { hostEnv } from "./environment";

/**
 * The engine runs at most `--parallel` resource operations at once (default 4 x the CPUs of the machine running
 * `pulumi`, PULUMI_PARALLEL when set), and a create of ours holds one of those places for the whole restore. A stack
 * that declares more restores than that starts them in batches: 100 restores of 5 s took 71 s at the default of 8
 * and 12.5 s with `--parallel 1000` (docs/performance.md). The program knows both numbers: the resources it declares,
 * and the engine's parallelism, which the engine passes to the language host (RunRequest.parallel) and
 * @pulumi/pulumi's `run` puts in PULUMI_NODEJS_PARALLEL. So the resource classes count themselves and warn once,
 * when one more is declared than the engine will run at once, in preview and in up.
 */
let declared = 0;
let warned = false;

/** The engine's parallelism for this run, from PULUMI_NODEJS_PARALLEL; undefined outside the engine (mocks, tests). */
export function engineParallelism(env: NodeJS.ProcessEnv = hostEnv()): number | undefined {
    const v = Number(env.PULUMI_NODEJS_PARALLEL);
    return Number.isInteger(v) && v > 0 ? v : undefined;
}

/** The warning for a program that declares more than `parallel` restores (the count known so far: `declared`). */
export function parallelismWarning(declaredSoFar: number, parallel: number): string {
    const suggest = Math.max(1000, 2 ** Math.ceil(Math.log2(declaredSoFar * 2)));
    return (
        `this program declares more restores than the engine runs at once (at least ${declaredSoFar}; ` +
        `--parallel is ${parallel} here): \`pulumi up\` will start them in batches of ${parallel}, each waiting for ` +
        `earlier restores to finish. Run \`pulumi up --parallel ${suggest}\` (or set PULUMI_PARALLEL=${suggest}) to ` +
        `start them together; pulumi-restore keeps its API calls under each cloud's rate limit either way.`
    );
}

/**
 * Called by every resource class of this package as it is declared: warns once (pulumi.log.warn, shown by preview
 * and up) when the program has declared more of them than the engine's parallelism.
 */
export function countRestore(env: NodeJS.ProcessEnv = hostEnv()): void {
    declared++;
    if (warned) return;
    const p = engineParallelism(env);
    if (p === undefined || declared <= p) return;
    warned = true;
    void pulumi.log.warn(parallelismWarning(declared, p));
}

/** For tests: forget what was counted. */
export function resetRestoreCount(): void {
    declared = 0;
    warned = false;
}
