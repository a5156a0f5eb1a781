import * as pulumi from "@pulumi/pulumi";
import { countRestore } from "../core/parallelism";
import { NAME_KEY, resourceProvider } from "../core/resource";
import { drillToken } from "../core/drill";
import { SECRET_INPUTS } from "./starrocksInputs";
import { withSecretInputs, withSecretOutputs } from "../core/resourceOptions";
import { DrillReportOutput } from "../core/drillArgs";
import { ArgsOf } from "../core/props";
import { RESTORE_DRILL_PROPS } from "./starrocksProps";

const PROVIDER = resourceProvider(require.resolve("./starrocksDrill"), () =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when installed: see resourceProvider
    require("./starrocksDrillEntry"),
);

/**
 * Arguments of {@link RestoreDrill}: the properties of its table (provider/alicloud/starrocksProps.ts): the restore
 * arguments of `RestoredInstanceArgs` (checked by the same checker; `payType` must stay postPaid; `instanceName`
 * and `adoptId` are set by the drill), plus the drill's own.
 */
export type RestoreDrillArgs = ArgsOf<typeof RESTORE_DRILL_PROPS>;

/**
 * A restore drill for Alibaba Cloud EMR Serverless StarRocks: each run restores the backup into a scratch instance
 * (named and tagged with the drill's restore token), waits until it is running, runs the checks, releases it and waits
 * until it is gone, and records a report. `triggers` runs it again; refresh never does; destroy removes only state.
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
    /** The drill's restore token, on the scratch instance's tag. */
    declare readonly restoreToken: pulumi.Output<string>;

    constructor(name: string, args: RestoreDrillArgs, opts?: pulumi.CustomResourceOptions) {
        const props: Record<string, unknown> = {
            ...withSecretInputs({ ...args }, SECRET_INPUTS),
            restoreToken: drillToken(pulumi.getProject(), pulumi.getStack(), name),
            // Names this resource in progress lines (taken off before the provider validates or compares anything).
            [NAME_KEY]: name,
            passed: undefined,
            report: undefined,
            scratchName: undefined,
            plan: undefined,
        };
        super(PROVIDER, name, props, withSecretOutputs(opts, [...SECRET_INPUTS]), "alicloud/starrocks", "RestoreDrill");
        countRestore();
    }
}
