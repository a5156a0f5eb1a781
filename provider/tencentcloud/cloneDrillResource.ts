import * as pulumi from "@pulumi/pulumi";
import { NAME_KEY, resourceProvider } from "../core/resource";
import { drillToken } from "../core/drill";
import { CLONE_DRILL_SECRET_INPUTS } from "./cloneDrill";
import { withSecretInputs, withSecretOutputs } from "../core/resourceOptions";
import { DrillArgs, DrillReportOutput } from "../core/drillArgs";
import { RestoredInstanceArgs } from "./cloneResource";

const PROVIDER = resourceProvider(require.resolve("./cloneDrill"), () =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when installed: see resourceProvider
    require("./cloneDrillEntry"),
);

/**
 * Arguments of {@link RestoreDrill}: the clone arguments of {@link RestoredInstanceArgs} (checked by the same checker;
 * billing must be postpaid; the instance name and `adoptId` are set by the drill), plus the drill's own. `password`
 * is the scratch instance's, handed to the verify command as DRILL_PASSWORD.
 */
export interface RestoreDrillArgs extends Omit<RestoredInstanceArgs, "adoptId" | "instanceName">, DrillArgs {}

/**
 * A restore drill for Tencent Cloud Redis: each run clones the backup into a scratch instance (CloneInstances, named
 * and tagged after the drill's restore token; the source instance is never touched), waits until it runs, checks it
 * (running; its reported address and port accept a TCP connection from the runner; the optional verify command),
 * releases it and waits until it is gone, and records a report. `triggers` runs it again; refresh never does;
 * destroy removes only state. A runner killed mid-drill leaves at most the scratch instance, which the next run finds
 * by its tag and releases first.
 */
export class RestoreDrill extends pulumi.dynamic.Resource {
    /** True when the last run passed. */
    declare readonly passed: pulumi.Output<boolean>;
    /** The last run's report. */
    declare readonly report: pulumi.Output<DrillReportOutput>;
    /** The scratch instance's name (`drill-<restore token>`). */
    declare readonly scratchName: pulumi.Output<string>;
    /** The drill's restore token. */
    declare readonly restoreToken: pulumi.Output<string>;

    constructor(name: string, args: RestoreDrillArgs, opts?: pulumi.CustomResourceOptions) {
        const props: Record<string, unknown> = {
            ...withSecretInputs({ ...args }, CLONE_DRILL_SECRET_INPUTS),
            restoreToken: drillToken(pulumi.getProject(), pulumi.getStack(), name),
            // Names this resource in progress lines (taken off before the provider validates or compares anything).
            [NAME_KEY]: name,
            passed: undefined,
            report: undefined,
            scratchName: undefined,
        };
        const o = withSecretOutputs(opts, [...CLONE_DRILL_SECRET_INPUTS]);
        super(PROVIDER, name, props, o, "tencentcloud/redis", "RestoreDrill");
    }
}
