import type * as pulumi from "@pulumi/pulumi";
import { Clock, systemClock } from "./clock";
import { ConfigSnapshot, ConfigSource } from "./config";
import { CheckFailure, isUnknownValue } from "./validate";
import { PLAN_KEY, PreviewChoice } from "./plan";
import { DrillCheckSpec, DrillCloud, DrillOptions, checkDrill, diffDrill, drillOutputs } from "./drill";
import { drillPlan, formatReport, runDrill, scratchName } from "./drill";
import { ProviderBase, ProviderDeps } from "./resource";
import { resourceLabel } from "./progress";
import { hostEnv } from "./environment";

/**
 * The ResourceProvider of every `RestoreDrill`: check with the restore resource's checker, a run per create, nothing
 * in the cloud on read, update or delete. A cloud supplies its {@link DrillCloud} (built on its restore provider) and
 * its {@link DrillCheckSpec}.
 */
export abstract class DrillProviderBase<
    R,
    P extends {
        configure(req: { config: ConfigSource }): Promise<void>;
        /** The restore provider's look-up at preview (the backup its selector would choose now). */
        previewChoice?(i: R, olds: Record<string, unknown>): Promise<PreviewChoice | undefined>;
    },
> extends ProviderBase {
    protected abstract readonly checkSpec: DrillCheckSpec<R>;
    /** The cloud's part, built on the restore provider configured like this one. */
    protected abstract drillCloud(): DrillCloud<R>;
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

    async check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
        const { inputs, failures } = checkDrill(news, this.checkSpec);
        if (failures.length > 0) return { inputs, failures: failures as CheckFailure[] };
        // What a run does, for the preview (derived; the diff ignores it). The selector is looked up only when the
        // drill runs in this update (a create, or a change that runs it again).
        const runs = !olds || Object.keys(olds).length === 0 || (diffDrill(olds, inputs).replaces ?? []).length > 0;
        const restore = inputs as unknown as R;
        const choice = runs ? await this.restorer.previewChoice?.(restore, {}) : undefined;
        const token = inputs.restoreToken;
        const plan = drillPlan({
            thing: this.drillCloud().thing,
            scratch: typeof token === "string" && !isUnknownValue(token) ? scratchName(token) : undefined,
            backup: this.checkSpec.backupText(restore),
            options: inputs as unknown as DrillOptions,
            choice,
        });
        return { inputs: { ...inputs, [PLAN_KEY]: plan }, failures: failures as CheckFailure[] };
    }

    async diff(
        _id: string,
        olds: Record<string, unknown>,
        news: Record<string, unknown>,
    ): Promise<pulumi.dynamic.DiffResult> {
        return diffDrill(olds, news);
    }

    /**
     * Runs the drill. A failed drill fails the create with the report in the error (nothing is recorded, so the next
     * `up` runs it again) unless `failOnCheckFailure` is false: then it is recorded with `passed: false`.
     */
    async create(news: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
        const drill = news as Record<string, unknown> & DrillOptions;
        const { verify, triggers, failOnCheckFailure, tcpPort, ...rest } = drill;
        const extraKeys: readonly string[] = this.checkSpec.extra?.keys ?? [];
        const restore = Object.fromEntries(Object.entries(rest).filter(([k]) => !extraKeys.includes(k)));
        const extra = Object.fromEntries(Object.entries(rest).filter(([k]) => extraKeys.includes(k)));
        const token = String(news.restoreToken);
        const label = resourceLabel(`${this.kind} ${scratchName(token)}`, "RestoreDrill");
        const report = await runDrill(this.drillCloud(), {
            label,
            restore: restore as unknown as R,
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
    async read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
        return { id, props };
    }

    /** Only `timeouts` changes in place: the recorded report stays. */
    async update(
        _id: string,
        olds: Record<string, unknown>,
        news: Record<string, unknown>,
    ): Promise<pulumi.dynamic.UpdateResult> {
        return { outs: { ...olds, ...news } };
    }

    /** Destroy removes only state: every drill deleted its scratch instance before it was recorded. */
    async delete(_id: string, _props: Record<string, unknown>): Promise<void> {
        return;
    }
}
