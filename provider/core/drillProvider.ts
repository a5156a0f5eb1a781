import type * as pulumi from "@pulumi/pulumi";
import { Clock, systemClock } from "./clock";
import { ConfigSnapshot, ConfigSource } from "./config";
import { CheckFailure, isUnknownValue, without } from "./validate";
import { PLAN_KEY, PreviewChoice } from "./plan";
import { DrillCheckSpec, DrillCloud, DrillInputs, DrillOutputs, checkDrill, diffDrill, drillOutputs } from "./drill";
import { DRILL_KEYS, drillPlan, formatReport, runDrill, scratchName } from "./drill";
import { Created, ProviderBase, ProviderDeps, TypedProvider, fields } from "./resource";
import { resourceLabel } from "./progress";
import { hostEnv } from "./environment";

/**
 * The ResourceProvider of every `RestoreDrill`: check with the restore resource's checker, a run per create, nothing
 * in the cloud on read, update or delete. A cloud supplies its {@link DrillCloud} (built on its restore provider) and
 * its {@link DrillCheckSpec}. `R` and `O` are the restore resource's checked inputs and outputs, `P` its provider.
 */
export abstract class DrillProviderBase<
    R extends object,
    O extends object,
    P extends TypedProvider<R, O> & {
        /** The restore provider's look-up at preview (the backup its selector would choose now). */
        previewChoice?(i: R, olds: object): Promise<PreviewChoice | undefined>;
    },
> extends ProviderBase<DrillInputs<R>, DrillOutputs<R>> {
    protected abstract readonly checkSpec: DrillCheckSpec<R>;
    /** The cloud's part, built on the restore provider configured like this one. */
    protected abstract drillCloud(): DrillCloud<R, O>;
    protected readonly clock: Clock;
    protected readonly env: NodeJS.ProcessEnv;
    /** The restore resource's provider: every cloud call of a drill goes through it. */
    readonly restorer: P;
    /** "StarRocks RestoreDrill", for progress lines. */
    protected abstract readonly kind: string;
    /** Longest silence between progress lines while a verify command runs (ms; default 60 s; tests shorten it). */
    verifyHeartbeatMs?: number;

    /** @param restorer the restore resource's provider, built with the same `deps` and `config` */
    constructor(deps: Partial<ProviderDeps>, restorer: P, config?: ConfigSnapshot) {
        super();
        this.clock = deps.clock ?? systemClock;
        this.env = deps.env ?? hostEnv();
        this.restorer = restorer;
        if (config) this.config = config;
    }

    /** The stack config reaches the restore provider too. */
    override async configure(req: { config: ConfigSource }): Promise<void> {
        await super.configure(req);
        await this.restorer.configure(req);
    }

    async check(olds: object, news: object): Promise<pulumi.dynamic.CheckResult<DrillInputs<R>>> {
        const { inputs, failures } = checkDrill(fields(news), this.checkSpec);
        if (failures.length > 0) return { inputs, failures: failures as CheckFailure[] };
        // What a run does, for the preview (derived; the diff ignores it). The selector is looked up only when the
        // drill runs in this update (a create, or a change that runs it again).
        const runs = !olds || Object.keys(olds).length === 0 || (diffDrill(olds, inputs).replaces ?? []).length > 0;
        const choice = runs ? await this.restorer.previewChoice?.(inputs, {}) : undefined;
        const token = fields(inputs).restoreToken;
        const plan = drillPlan({
            thing: this.drillCloud().thing,
            scratch: typeof token === "string" && !isUnknownValue(token) ? scratchName(token) : undefined,
            backup: this.checkSpec.backupText(inputs),
            options: inputs,
            choice,
        });
        return { inputs: { ...inputs, [PLAN_KEY]: plan }, failures: failures as CheckFailure[] };
    }

    async diff(_id: string, olds: DrillOutputs<R>, news: DrillInputs<R>): Promise<pulumi.dynamic.DiffResult> {
        return diffDrill(olds, news);
    }

    /**
     * Runs the drill. A failed drill fails the create with the report in the error (nothing is recorded, so the next
     * `up` runs it again) unless `failOnCheckFailure` is false: then it is recorded with `passed: false`.
     */
    async create(news: DrillInputs<R>): Promise<Created<DrillOutputs<R>>> {
        const { verify, triggers, failOnCheckFailure, tcpPort } = news;
        const extraKeys: readonly string[] = this.checkSpec.extra?.keys ?? [];
        // The restore resource's inputs: the drill's own and the cloud's drill-only inputs taken off.
        const restore = without<R>(news, [...DRILL_KEYS, ...extraKeys]);
        const extra = Object.fromEntries(Object.entries(news).filter(([k]) => extraKeys.includes(k)));
        const token = String(fields(news).restoreToken);
        const label = resourceLabel(`${this.kind} ${scratchName(token)}`, "RestoreDrill");
        const report = await runDrill(this.drillCloud(), {
            label,
            restore,
            extra,
            options: { verify, triggers, failOnCheckFailure: failOnCheckFailure !== false, tcpPort },
            clock: this.clock,
            env: this.env,
            heartbeatMs: this.verifyHeartbeatMs,
        });
        if (report.result === "failed" && failOnCheckFailure !== false) {
            const why = `the restore drill failed: ${report.failure}. The scratch instance is deleted.`;
            throw new Error(`${label}: ${why} ${formatReport(report)}`);
        }
        return { id: `${token}@${report.startedAt}`, outs: drillOutputs(news, report, scratchName(token)) };
    }

    /** Refresh never runs a drill again: the recorded report is the resource. */
    async read(id: string, props: DrillOutputs<R>): Promise<pulumi.dynamic.ReadResult<DrillOutputs<R>>> {
        return { id, props };
    }

    /** Only `timeouts` changes in place: the recorded report stays. */
    async update(
        _id: string,
        olds: DrillOutputs<R>,
        news: DrillInputs<R>,
    ): Promise<pulumi.dynamic.UpdateResult<DrillOutputs<R>>> {
        return { outs: { ...olds, ...news } };
    }

    /** Destroy removes only state: every drill deleted its scratch instance before it was recorded. */
    async delete(_id: string, _props: DrillOutputs<R>): Promise<void> {
        return;
    }
}
