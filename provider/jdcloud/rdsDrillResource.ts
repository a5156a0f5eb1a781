import * as pulumi from "@pulumi/pulumi";
import { countRestore } from "../core/parallelism";
import { NAME_KEY, resourceProvider } from "../core/resource";
import { drillToken } from "../core/drill";
import { RDS_DRILL_SECRET_INPUTS } from "./rdsDrill";
import { withSecretInputs, withSecretOutputs } from "../core/resourceOptions";
import { DrillReportOutput } from "../core/drillArgs";
import { ArgsOf } from "../core/props";
import { RDS_DRILL_PROPS } from "./rdsProps";

const PROVIDER = resourceProvider(require.resolve("./rdsDrill"), () =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when installed: see resourceProvider
    require("./rdsDrillEntry"),
);

/**
 * Arguments of {@link RestoreDrill}: the properties of its table (provider/jdcloud/rdsProps.ts): the restore arguments
 * of `RestoredInstanceArgs` (checked by the same checker; the charge mode must be postpaid; the instance name and
 * `adoptId` are set by the drill), plus the drill's own.
 */
export type RestoreDrillArgs = ArgsOf<typeof RDS_DRILL_PROPS>;

/**
 * A restore drill for JD Cloud RDS: each run creates a scratch instance from the backup (named after the drill's
 * restore token), waits until it is RUNNING, checks it (running; its reported internal address and port accept a TCP
 * connection from the runner; the optional verify command), deletes it and waits until it is gone, and records a
 * report. `triggers` runs it again; refresh never does; destroy removes only state.
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
     * a selector: the backup it would choose as of preview), `onReplace`, `onDelete`... `pulumi preview --diff` shows it.
     * Derived: it never causes an update by itself; absent in state written before it existed until the next update.
     */
    declare readonly plan: pulumi.Output<Record<string, string> | undefined>;
    /** The drill's restore token. */
    declare readonly restoreToken: pulumi.Output<string>;

    constructor(name: string, args: RestoreDrillArgs, opts?: pulumi.CustomResourceOptions) {
        const props: Record<string, unknown> = {
            ...withSecretInputs({ ...args }, RDS_DRILL_SECRET_INPUTS),
            restoreToken: drillToken(pulumi.getProject(), pulumi.getStack(), name),
            // Names this resource in progress lines (taken off before the provider validates or compares anything).
            [NAME_KEY]: name,
            passed: undefined,
            report: undefined,
            scratchName: undefined,
            plan: undefined,
        };
        const o = withSecretOutputs(opts, [...RDS_DRILL_SECRET_INPUTS]);
        super(PROVIDER, name, props, o, "jdcloud/rds", "RestoreDrill");
        countRestore();
    }
}
