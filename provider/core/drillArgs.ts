import { ArgsOf } from "./props";
import { DRILL_PROPS, VERIFY_FIELDS } from "./drillProps";

/** The optional user check of a drill, run on the runner once the scratch instance is usable. */
export type VerifyArgs = ArgsOf<typeof VERIFY_FIELDS>;

/**
 * Inputs every `RestoreDrill` takes besides the restore arguments of its cloud: the properties of the drills' table
 * (provider/core/drillProps.ts).
 */
export type DrillArgs = ArgsOf<typeof DRILL_PROPS>;

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
