import type * as pulumi from "@pulumi/pulumi";
import type { ResolvedBackup } from "./backupSelection";
import { systemClock } from "./clock";
import { hostEnv } from "./environment";
import type { ConfigSnapshot } from "./config";
import { Plan, PreviewChoice, anyUnknown, lookAtPreview, restores, withPlan } from "./plan";
import { ProviderBase, ProviderDeps, WireProps, fields, withDefaults } from "./resource";
import type { CheckFailure } from "./validate";

/** The inputs every restore-into-a-new-resource has: a backup chosen by id or by selector, or a resource adopted. */
export interface RestoreIntoNewInputs {
    restoreToken: string;
    backupSelector?: object;
    adoptId?: string;
}

/** How a provider looks its selector up at preview (see {@link RestoreProviderBase.previewChoice}). */
export interface SelectorPreview {
    /** Inputs the look-up needs, any of which may be known only at `up`. */
    needs: unknown[];
    /** Those inputs in words, for the preview when one is not known yet: "the selector or the region". */
    needsText: string;
    /** Why the look-up cannot be made in this job (no credentials, no region), or undefined when it can. */
    unavailable(): string | undefined;
    /** The selector's choice now, read-only (the same resolution as create's). */
    resolve(): Promise<ResolvedBackup>;
}

/**
 * Base of the providers that restore into a new cloud resource (StarRocks, ZStack, JD Cloud RDS, Tencent Redis
 * RestoredInstance): their dependencies with defaults, and what their `check` shares: the resource's checker, then
 * the plan for the preview with the backup the selector would choose now.
 */
export abstract class RestoreProviderBase<
    I extends RestoreIntoNewInputs,
    O extends object,
    D extends ProviderDeps = ProviderDeps,
> extends ProviderBase<I, O> {
    protected readonly deps: D;
    /** Inputs consumed by the restore call: changing any of them means a new resource (and a new look-up). */
    protected abstract readonly replaceKeys: readonly string[];

    /**
     * @param settleMs default of `deps.settleMs`: how long to look for the result of a restore call of unknown outcome
     * @param config the stack config (tests; the host gives it to `configure`)
     */
    constructor(deps: Partial<D>, settleMs: number, config?: ConfigSnapshot) {
        super();
        this.deps = withDefaults({ clock: systemClock, env: hostEnv(), settleMs }, deps) as D;
        if (config) this.config = config;
    }

    /** The resource's checker (offline: required fields, formats, ranges), with the defaults this job's config gives. */
    protected abstract checkInputs(news: WireProps): { inputs: I; failures: CheckFailure[] };
    /** What the operation does, in plain words, for the preview (see ./plan). */
    protected abstract plan(inputs: I, choice: PreviewChoice | undefined): Plan;
    /** The selector's look-up at preview, for inputs that have a selector. */
    protected abstract selectorPreview(i: I): SelectorPreview;

    async check(olds: object, news: object): Promise<pulumi.dynamic.CheckResult<I>> {
        const { inputs, failures } = this.checkInputs(fields(news));
        if (failures.length > 0) return { inputs, failures };
        // What the operation does, for the preview (derived; every diff ignores it).
        const choice = await this.previewChoice(inputs, olds ?? {});
        return { inputs: withPlan(inputs, this.plan(inputs, choice)), failures };
    }

    /**
     * The backup `backupSelector` would choose now, looked up read-only and bounded in time, when this change restores
     * (a create or a replacement) and the job can look (credentials, region); undefined without a selector, when
     * adopting, or when nothing restores. Never throws: a preview does not fail on a look-up. A drill asks it too.
     */
    async previewChoice(i: I, olds: object): Promise<PreviewChoice | undefined> {
        if (!i.backupSelector || i.adoptId) return undefined;
        if (!restores(olds, i, this.replaceKeys)) return undefined;
        const p = this.selectorPreview(i);
        if (anyUnknown(...p.needs)) return { kind: "skipped", reason: `${p.needsText} is known only at up` };
        return lookAtPreview({ clock: this.deps.clock, unavailable: p.unavailable, resolve: p.resolve });
    }
}
