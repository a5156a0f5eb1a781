import * as pulumi from "@pulumi/pulumi";

/** The optional user check of a drill, run on the runner once the scratch instance is usable. */
export interface VerifyArgs {
    /**
     * Shell command line, run by the runner's shell (`sh -c` on POSIX). It receives `DRILL_INSTANCE_ID`,
     * `DRILL_ADDRESS`, `DRILL_PORT`, `DRILL_PASSWORD` and `DRILL_BACKUP_ID` in its environment, never in its arguments.
     * Exit code 0 passes. The tail of its output (4 KB) is kept in the report with secrets redacted.
     */
    command: pulumi.Input<string>;
    /** Time limit, e.g. "5m" (default "10m"); the command and its process group are killed when it runs out. */
    timeout?: pulumi.Input<string>;
    /** Working directory (default: the program's directory). */
    workDir?: pulumi.Input<string>;
}

/** Inputs every `RestoreDrill` takes besides the restore arguments of its cloud. */
export interface DrillArgs {
    /** Optional user check (see {@link VerifyArgs}). */
    verify?: pulumi.Input<VerifyArgs>;
    /**
     * Any change runs the drill again, e.g. `{ month: "2026-12" }` for a monthly drill. Values are strings, numbers or
     * booleans.
     */
    triggers?: pulumi.Input<Record<string, pulumi.Input<string | number | boolean>>>;
    /**
     * true (default): a failed drill (restore, wait or check) fails `pulumi up`, with the report in the error.
     * false: the report is recorded (`passed: false`) and the up succeeds. A scratch instance that cannot be deleted
     * always fails the up.
     */
    failOnCheckFailure?: pulumi.Input<boolean>;
    /** Port for the TCP check, where the API reports an address but no port (or to check another port). */
    tcpPort?: pulumi.Input<number>;
}

/** One check of a drill report. */
export interface DrillCheckOutput {
    name: "running" | "tcp" | "verify";
    result: "passed" | "failed" | "skipped";
    durationMs: number;
    detail: string;
    outputTail?: string;
    exitCode?: number;
}

/** The report a drill records (see docs/drills.md). No secret is in it. */
export interface DrillReportOutput {
    result: "passed" | "failed";
    failure?: string;
    backupId?: string;
    backupTime?: string;
    startedAt: string;
    finishedAt: string;
    recoveryTimeSeconds?: number;
    recoveryPointSeconds?: number;
    scratchInstanceId?: string;
    checks: DrillCheckOutput[];
    scratchDeleted: boolean;
}
