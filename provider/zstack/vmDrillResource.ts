import * as pulumi from "@pulumi/pulumi";
import { countRestore } from "../core/parallelism";
import { NAME_KEY, resourceProvider } from "../core/resource";
import { drillToken } from "../core/drill";
import { VM_DRILL_SECRET_INPUTS } from "./vmDrill";
import { withSecretInputs, withSecretOutputs } from "../core/resourceOptions";
import { DrillReportOutput } from "../core/drillArgs";
import { ArgsOf } from "../core/props";
import { VM_DRILL_PROPS } from "./vmProps";

const PROVIDER = resourceProvider(require.resolve("./vmDrill"), () =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when installed: see resourceProvider
    require("./vmDrillEntry"),
);

/**
 * Arguments of {@link RestoreDrill}: the properties of its table (provider/zstack/vmProps.ts): the arguments of
 * `VmFromBackupArgs` (checked by the same checker; the name is set by the drill, `strategy` must stay InstantStart and
 * `expungeOnDelete` true), plus the drill's own. Set `tcpPort` to check a port of the VM (ZStack reports its
 * addresses, not its services).
 */
export type RestoreDrillArgs = ArgsOf<typeof VM_DRILL_PROPS>;

/**
 * A restore drill for ZStack Cloud: each run creates a scratch VM from the VM backup group (named after the drill's
 * restore token), waits until it is Running, checks it (Running; with `tcpPort`, that port of its default NIC's
 * address accepts a TCP connection from the runner; the optional verify command), destroys and expunges it and waits
 * until it is gone, and records a report. `triggers` runs it again; refresh never does; destroy removes only state.
 */
export class RestoreDrill extends pulumi.dynamic.Resource {
    /** True when the last run passed. */
    declare readonly passed: pulumi.Output<boolean>;
    /** The last run's report. */
    declare readonly report: pulumi.Output<DrillReportOutput>;
    /** The scratch VM's name (`drill-<restore token>`). */
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
            ...withSecretInputs({ ...args }, VM_DRILL_SECRET_INPUTS),
            restoreToken: drillToken(pulumi.getProject(), pulumi.getStack(), name),
            // Names this resource in progress lines (taken off before the provider validates or compares anything).
            [NAME_KEY]: name,
            passed: undefined,
            report: undefined,
            scratchName: undefined,
            plan: undefined,
        };
        super(PROVIDER, name, props, withSecretOutputs(opts, [...VM_DRILL_SECRET_INPUTS]), "zstack", "RestoreDrill");
        countRestore();
    }
}
