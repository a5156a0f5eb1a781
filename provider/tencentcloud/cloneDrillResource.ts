import * as pulumi from "@pulumi/pulumi";
import { NAME_KEY, resourceProvider } from "../core/resource";
import { drillToken } from "../core/drill";
import { CLONE_DRILL_SECRET_INPUTS } from "./cloneDrill";
import { withSecretInputs, withSecretOutputs } from "../core/resourceOptions";
import { DrillReportOutput } from "../core/drillArgs";
import { ArgsOf } from "../core/props";
import { CLONE_DRILL_PROPS } from "./cloneProps";

const PROVIDER = resourceProvider(require.resolve("./cloneDrill"), () =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when installed: see resourceProvider
    require("./cloneDrillEntry"),
);

/**
 * Arguments of {@link RestoreDrill} (the table in provider/tencentcloud/cloneProps.ts): the clone arguments of
 * `RestoredInstanceArgs` (checked by the same checker; billing must be postpaid; the instance name and `adoptId` are
 * set by the drill), plus the drill's own. `password` is the scratch instance's, handed to the verify command as
 * DRILL_PASSWORD.
 */
export type RestoreDrillArgs = ArgsOf<typeof CLONE_DRILL_PROPS>;

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
    /**
     * What the operation does, in plain words, computed by check from the inputs: `does`, `backup`, `asOfPreview` (with
     * a selector: the backup it would choose as of preview), `checks`, `onDelete`... `pulumi preview --diff` shows it.
     * Derived: it never causes an update by itself; absent in state written before it existed until the next update.
     */
    declare readonly plan: pulumi.Output<Record<string, string> | undefined>;
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
            plan: undefined,
        };
        const o = withSecretOutputs(opts, [...CLONE_DRILL_SECRET_INPUTS]);
        super(PROVIDER, name, props, o, "tencentcloud/redis", "RestoreDrill");
    }
}
