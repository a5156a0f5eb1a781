import type * as pulumi from "@pulumi/pulumi";
import { BackoffPolicy } from "../core/backoff";
import { systemClock } from "../core/clock";
import { ConfigSnapshot, readRateLimit } from "../core/config";
import { CloudError, errorText } from "../core/errors";
import { ApiCaller, isUncertain } from "../core/http";
import { BatchLookup, TimeLimit, WaitTimeout, sharedPoller, waitUntil } from "../core/poller";
import { scheduleOf } from "../core/poller";
import { hostEnv } from "../core/environment";
import { progress, resourceLabel } from "../core/progress";
import { sharedBucket } from "../core/rateLimit";
import { ProviderBase, ProviderDeps, partialState, stableJson, withDefaults } from "../core/resource";
import { STATE_DIR_ENV, journalDir } from "../core/stateDir";
import { clean, operationLimit } from "../core/validate";
import { PhoneClaim, PhoneClaims } from "./claims";
import { ClaimProof, parkedProofs, reparkedSince } from "./ownership";
import { HW_CONFIG_KEYS, HW_SECRET_KEYS, HW_SETTINGS, credentialKey, hwAuth, koophoneEndpoint } from "./credentials";
import { IamTokenSource } from "./iamToken";
import { KOOPHONE_BATCH_SIZE, KooPhoneClient, KooPhoneInstance } from "./koophoneClient";
import {
    CallKind,
    DriveTally,
    Goal,
    Submission,
    applyDecision,
    decidePhone,
    emptyTally,
    holdingAfter,
    pendingOf,
    phoneRecord,
    progressDecision,
    roundSummary,
    unusableTargets,
} from "./koophoneDecision";
import {
    InstanceBackupInputs,
    InstanceBackupOutputs,
    InstanceRecord,
    checkInstanceBackup,
    SECRET_INPUTS,
} from "./koophoneInputs";
import { PHASE_TEXT, chunks, classify, vendorTime, vendorTimeText } from "./koophoneState";
import { withEnvironmentCheck } from "../core/settings";
import { PLAN_KEY } from "../core/plan";
import { koophonePlan } from "./koophonePlan";

/** Defaults: backing up or restoring a batch of phones is a matter of minutes to an hour; leave room for queues. */
export const KOOPHONE_DEFAULT_TIMEOUTS = { create: 2 * 3_600_000, update: 2 * 3_600_000, delete: 2 * 3_600_000 };

/** Calls per second kept to per endpoint and credential (no limit is published; this stays well below usual quotas). */
const RATE_LIMIT_PER_SECOND = 20;
/** Up to this many instances restoring at once, each is asked with ShowProgress every round; above it ListInstances alone is used. */
const SHOW_PROGRESS_MAX = 20;

/**
 * What the provider depends on. settleMs: after an uncertain batch call, how long to look for its effect. The call is
 * never repeated in the same run: an instance still untouched then is reported, and the next `pulumi up` (or
 * `destroy`) looks again.
 */
export interface KooPhoneDeps extends ProviderDeps {
    backoff?: BackoffPolicy;
}

/** What {@link KooPhoneProvider.drive} found. */
interface DriveResult extends DriveTally {
    /** Instances still on their way when waiting stopped. */
    pending: string[];
    /** Why waiting stopped early (time-out or an error answer), if it did. */
    error?: unknown;
}

/** The ResourceProvider of `huaweicloud.koophone.InstanceBackup`. */
export class KooPhoneProvider extends ProviderBase {
    protected readonly configKeys = HW_CONFIG_KEYS;
    protected readonly secretConfigKeys = HW_SECRET_KEYS;
    protected readonly secretInputs = SECRET_INPUTS;
    private readonly deps: KooPhoneDeps;

    constructor(deps: Partial<KooPhoneDeps> = {}, config?: ConfigSnapshot) {
        super();
        this.deps = withDefaults({ clock: systemClock, env: hostEnv(), settleMs: 30_000 }, deps) as KooPhoneDeps;
        if (config) this.config = config;
    }

    async check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
        const { inputs, failures } = checkInstanceBackup(news);
        if (failures.length > 0) return { inputs: inputs as unknown as Record<string, unknown>, failures };
        // What the operation does, for the preview (derived; the diff compares only the inputs it names).
        return { inputs: { ...inputs, [PLAN_KEY]: koophonePlan(inputs, olds ?? {}) }, failures };
    }

    async diff(
        _id: string,
        olds: Record<string, unknown>,
        news: Record<string, unknown>,
    ): Promise<pulumi.dynamic.DiffResult> {
        // Everything changes in place: the list parks or restores only the difference; the rest is kept in state.
        const changed: string[] = [];
        for (const k of ["instanceIds", "userId", "restoreOnDelete", "timeouts"]) {
            const o = k === "restoreOnDelete" ? (olds[k] ?? true) : olds[k];
            const n = k === "restoreOnDelete" ? (news[k] ?? true) : news[k];
            if (stableJson(o ?? null) !== stableJson(n ?? null)) changed.push(k);
        }
        // A triggers change backs up anew: the instances are brought back first (delete), then parked again (create);
        // both hold the same instances, so the old one must go before the new one is made.
        const emptyToNull = (v: unknown) => (v && typeof v === "object" && Object.keys(v).length > 0 ? v : null);
        if (stableJson(emptyToNull(olds.triggers)) !== stableJson(emptyToNull(news.triggers))) {
            return { changes: true, replaces: ["triggers"], deleteBeforeReplace: true };
        }
        return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false };
    }

    async create(news: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
        const inputs = news as unknown as InstanceBackupInputs;
        const outs = await this.reconcile(inputs.restoreToken, inputs, undefined, news);
        return { id: inputs.restoreToken, outs };
    }

    async update(
        id: string,
        olds: Record<string, unknown>,
        news: Record<string, unknown>,
    ): Promise<pulumi.dynamic.UpdateResult> {
        const outs = await this.reconcile(
            id,
            news as unknown as InstanceBackupInputs,
            olds as unknown as InstanceBackupOutputs,
            news,
        );
        return { outs };
    }

    async read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
        const olds = props as unknown as InstanceBackupOutputs;
        const ids = olds.instanceIds ?? [];
        const live = ids.length > 0 ? await this.client().instances(ids) : new Map<string, KooPhoneInstance>();
        const oldRecs = new Map((olds.instances ?? []).map((r) => [r.instanceId, r]));
        const kept: string[] = [];
        const records: InstanceRecord[] = [];
        for (const iid of ids) {
            const inst = live.get(iid);
            const ph = inst ? classify(inst) : undefined;
            // Instances restored or deleted out of band are no longer parked by this resource: they drop out, so the
            // next `pulumi up` sees them as added and backs them up again.
            if (!inst || (ph !== "backedUp" && ph !== "backingUp")) continue;
            // Parked again by someone else since (restored, then backed up anew): no longer this resource's.
            if (reparkedSince(inst, oldRecs.get(iid))) continue;
            kept.push(iid);
            records.push(phoneRecord(iid, inst, ph, oldRecs.get(iid)));
        }
        if (kept.length === 0) return { id: "" } as pulumi.dynamic.ReadResult;
        return {
            id,
            props: clean({ ...olds, instanceIds: kept, instances: records }) as unknown as Record<string, unknown>,
        };
    }

    async delete(id: string, props: Record<string, unknown>): Promise<void> {
        const o = props as unknown as InstanceBackupOutputs;
        const label = resourceLabel(`InstanceBackup ${id}`);
        const ids = o.instanceIds ?? [];
        if (o.restoreOnDelete === false) {
            progress(
                label,
                `restoreOnDelete is false: leaving ${ids.length} instance(s) backed up in OBS (${ids.join(", ")}); only the stack forgets them`,
            );
            return;
        }
        if (ids.length === 0) return;
        if (!o.userId)
            throw new Error(
                `cannot restore instances ${ids.join(", ")}: userId is not set. Set userId (the user to restore them to) and run \`pulumi up\`, then destroy again; or set restoreOnDelete: false to leave them backed up`,
            );
        const client = this.client();
        const limit = operationLimit(o.timeouts, "delete", KOOPHONE_DEFAULT_TIMEOUTS.delete, this.deps.clock.now());
        progress(
            label,
            `restoring ${ids.length} instance(s) onto hardware (BatchPrepareInstances for user ${o.userId})`,
        );
        const live = await client.instances(ids);
        const targets = new Map(ids.map((i) => [i, "running" as const]));
        const recs = new Map((o.instances ?? []).map((r) => [r.instanceId, r]));
        const r = await this.drive(client, targets, o.userId, live, recs, limit, label);
        const problems = this.problems(r);
        if (problems.length > 0) {
            throw new Error(
                `${problems.join("; ")}. The resource stays in the stack; run \`pulumi destroy\` again to continue (instances already restored are skipped)`,
            );
        }
        const mine = ids.length - r.released.size;
        progress(
            label,
            `${mine} instance(s) restored and running${r.released.size > 0 ? `; ${r.released.size} left parked (${[...r.released.keys()].join(", ")}): parked again by someone else since this resource backed them up` : ""}`,
        );
        await this.dropClaims(o.restoreToken ?? id, undefined, label);
    }

    // --- create and update ---------------------------------------------------------------------------------------

    /**
     * Brings the cloud to the declared state: every instance in `instanceIds` backed up, every instance this
     * resource held before but no longer lists restored (when restoreOnDelete). Each instance's state is looked at
     * first, so instances that an interrupted earlier attempt already backed up (or is backing up) are followed, never
     * backed up twice.
     */
    private async reconcile(
        id: string,
        inputs: InstanceBackupInputs,
        olds: InstanceBackupOutputs | undefined,
        news: Record<string, unknown>,
    ): Promise<Record<string, unknown>> {
        const label = resourceLabel(`InstanceBackup ${id}`);
        const op = olds ? "update" : "create";
        const limit = operationLimit(inputs.timeouts, op, KOOPHONE_DEFAULT_TIMEOUTS[op], this.deps.clock.now());
        const client = this.client();
        const desired = inputs.instanceIds;
        const oldIds = olds?.instanceIds ?? [];
        const oldRecs = new Map((olds?.instances ?? []).map((r) => [r.instanceId, r]));
        const removed = oldIds.filter((x) => !desired.includes(x));
        const live = await client.instances([...desired, ...removed]);
        const unusable = unusableTargets(desired, live);
        if (unusable) throw new Error(unusable);
        await this.proveOwnership(inputs, oldIds, oldRecs, live, label);
        const targets = this.targetsOf(inputs, removed, label);
        const parked = desired.filter((x) => classify(live.get(x) as KooPhoneInstance) === "backedUp").length;
        progress(
            label,
            `${desired.length} instance(s) to keep backed up (${parked} already are)${removed.length > 0 && inputs.restoreOnDelete ? `, ${removed.length} to restore` : ""}`,
        );

        const claims = this.claimStore();
        const claim = async (ids: string[]): Promise<void> => {
            try {
                await claims.add(inputs.restoreToken, ids, this.deps.clock.now());
            } catch (e) {
                throw new Error(
                    `cannot write this resource's backup record in ${claims.dir} (${errorText(e)}). It is written before BatchBackupInstances so that an interrupted \`pulumi up\` can recognise its own backups; make that directory writable or set ${STATE_DIR_ENV}, then run \`pulumi up\` again. ${ids.join(", ")} were not backed up.`,
                );
            }
        };
        const note = (ids: string[], patch: Omit<Partial<PhoneClaim>, "at">) =>
            this.noteClaims(inputs.restoreToken, ids, patch, label);
        const r = await this.drive(client, targets, inputs.userId, live, oldRecs, limit, label, claim, note);
        // The outcome now reaches the engine (outputs or partial state): the stack holds what the records named, except
        // instances whose backup call stayed unresolved: their record (answer unclear, no proof) lets the next `up` name
        // the call when it refuses a backup that shows late (nothing tells it from another stack's).
        await this.dropClaims(
            inputs.restoreToken,
            desired.filter((x) => !r.unresolved.has(x)),
            label,
        );
        if (r.released.size > 0)
            progress(
                label,
                `${[...r.released.keys()].join(", ")} left parked and dropped from the stack: parked again by someone else since this resource backed them up`,
            );
        const h = holdingAfter(desired, removed, inputs.restoreOnDelete, oldRecs, r);
        const outs = clean({ ...inputs, instanceIds: h.instanceIds, instances: h.instances }) as unknown as Record<
            string,
            unknown
        >;
        const problems = this.problems(r);
        if (problems.length === 0) {
            progress(
                label,
                `${h.held.length} instance(s) backed up${removed.length > 0 && inputs.restoreOnDelete ? `, ${r.restored.size} restored` : ""}`,
            );
            return outs;
        }
        const summary = `backed up: ${h.succeeded.length > 0 ? h.succeeded.join(", ") : "none"}; ${problems.join("; ")}`;
        if (h.instanceIds.length === 0 && !olds) {
            // Nothing is held: there is nothing to record (and nothing a destroy would have to restore).
            throw new Error(`${summary}. Nothing is recorded in the stack; fix the cause and run \`pulumi up\` again`);
        }
        throw partialState(id, outs, news, [
            `${summary}. The instances listed as backed up are recorded in the stack; run \`pulumi up\` again to retry the others and keep waiting`,
        ]);
    }

    /**
     * Ownership: KooPhone does not say who backed a phone up. A phone already parked (or being parked) is this
     * resource's only when its stack holds it (and nobody restored and parked it again since), or this resource's
     * record of its own call names it with proof that the call took effect (see claimProof): a record written before a
     * call whose answer was unclear, or never came, names the phone whether the call parked it or not, and another
     * stack may have parked it since. Taken without proof, this resource's destroy would bring back phones another
     * stack holds. Throws, before anything is called, when a phone is not shown to be this resource's; notes new proofs.
     */
    private async proveOwnership(
        inputs: InstanceBackupInputs,
        oldIds: string[],
        oldRecs: Map<string, InstanceRecord>,
        live: Map<string, KooPhoneInstance>,
        label: string,
    ): Promise<void> {
        const claims = this.claimStore();
        let claimed: Map<string, PhoneClaim>;
        try {
            claimed = await claims.entries(inputs.restoreToken);
        } catch (e) {
            throw new Error(
                `cannot read this resource's backup records in ${claims.dir} (${errorText(e)}); make it readable or set ${STATE_DIR_ENV}. Nothing was backed up or restored.`,
            );
        }
        const now = this.deps.clock.now();
        const proofs = parkedProofs({
            desired: inputs.instanceIds,
            live,
            held: oldIds,
            heldRecords: oldRecs,
            claims: claimed,
            now,
            settleMs: this.deps.settleMs,
        });
        const foreign = [...proofs].filter(([, p]) => !p.owned).map(([x]) => x);
        if (foreign.length > 0)
            throw new Error(await foreignMessage(foreign, live, claims, inputs.restoreToken, proofs));
        const proven = [...proofs].filter(([, p]) => p.provenAt !== undefined).map(([x]) => x);
        if (proven.length > 0) await this.noteClaims(inputs.restoreToken, proven, { provenAt: now }, label);
    }

    /** Each phone's goal: the declared ones parked, the removed ones running again (when restoreOnDelete). */
    private targetsOf(inputs: InstanceBackupInputs, removed: string[], label: string): Map<string, Goal> {
        const targets = new Map<string, Goal>(inputs.instanceIds.map((x) => [x, "parked"]));
        if (removed.length === 0) return targets;
        if (!inputs.restoreOnDelete) {
            progress(
                label,
                `restoreOnDelete is false: ${removed.join(", ")} stay backed up and are only dropped from the stack`,
            );
            return targets;
        }
        if (!inputs.userId)
            throw new Error(
                `userId: required to restore the instances removed from instanceIds (${removed.join(", ")})`,
            );
        for (const x of removed) targets.set(x, "running");
        return targets;
    }

    /** Human-readable problems of a drive: failures with the vendor's message, instances still pending, the stop reason. */
    private problems(r: DriveResult): string[] {
        const out: string[] = [];
        for (const [iid, f] of r.failed) out.push(`${iid} failed${f.code ? ` (${f.code})` : ""}: ${f.message}`);
        for (const [iid, why] of r.unresolved) out.push(`${iid}: ${why}`);
        // After a refusal (e.g. an authentication error) the pending instances were not started: say so, not "in progress".
        const stopped = r.error !== undefined && !(r.error instanceof WaitTimeout);
        if (r.pending.length > 0) out.push(`${stopped ? "not done" : "still in progress"}: ${r.pending.join(", ")}`);
        if (r.error) out.push(errorText(r.error));
        return out;
    }

    /**
     * Moves every target to its goal ("parked": backed up; "running": restored), issuing BatchBackupInstances and
     * BatchPrepareInstances in batches of at most 100 for the instances that need it, and waits. Each round looks at
     * the instances first and decides per phone ({@link decidePhone}); a batch call is never repeated after an
     * uncertain outcome: an instance still untouched after `settleMs` is reported.
     */
    private async drive(
        client: KooPhoneClient,
        targets: Map<string, Goal>,
        userId: string | undefined,
        firstLook: Map<string, KooPhoneInstance>,
        oldRecs: Map<string, InstanceRecord>,
        limit: TimeLimit,
        label: string,
        claim: (ids: string[]) => Promise<void> = async () => undefined,
        note: (ids: string[], patch: Omit<Partial<PhoneClaim>, "at">) => Promise<void> = async () => undefined,
    ): Promise<DriveResult> {
        const tally = emptyTally();
        const submitted = new Map<string, Submission>();
        const pending = () => pendingOf(targets, tally);
        const parkedTotal = [...targets.values()].filter((g) => g === "parked").length;
        const runningTotal = targets.size - parkedTotal;
        let live: Map<string, KooPhoneInstance> | undefined = firstLook;
        let error: unknown;

        const round = async (): Promise<string> => {
            const todo = pending();
            const look = live ?? (await this.sharedInstances(client, todo));
            live = undefined;
            const calls = await this.decideRound({ todo, look, targets, submitted, tally, oldRecs, note });
            const queued = await this.askProgress(client, userId, calls.askProgress, tally);
            await this.backUp(client, calls.backUp, submitted, tally, label, claim, note);
            await this.restore(client, userId as string, calls.restore, submitted, label);
            return roundSummary(tally, parkedTotal, runningTotal, queued);
        };

        try {
            await waitUntil<void>({
                what: `${targets.size} instance(s) to be ${runningTotal === 0 ? "backed up" : parkedTotal === 0 ? "restored" : "backed up or restored"}`,
                clock: this.deps.clock,
                deadline: limit.deadline,
                limit,
                schedule: scheduleOf(this.deps),
                report: (l) => progress(label, l),
                probe: async () => {
                    const status = await round();
                    return { done: pending().length === 0, status };
                },
            });
        } catch (e) {
            error = e;
        }
        await this.explainFailures(client, tally.records, tally.failed);
        const left = pending();
        return {
            ...tally,
            pending: left,
            error: error instanceof WaitTimeout || !error ? (left.length > 0 ? error : undefined) : error,
        };
    }

    /**
     * One round's decisions ({@link decidePhone}) entered in the tally; returns the phones that need a call or a
     * question. A proof seen for an unclear call is noted on the submission and in this resource's records.
     */
    private async decideRound(o: {
        todo: string[];
        look: Map<string, KooPhoneInstance>;
        targets: Map<string, Goal>;
        submitted: Map<string, Submission>;
        tally: DriveTally;
        oldRecs: Map<string, InstanceRecord>;
        note: (ids: string[], patch: Omit<Partial<PhoneClaim>, "at">) => Promise<void>;
    }): Promise<Record<CallKind, string[]>> {
        const now = this.deps.clock.now();
        const calls: Record<CallKind, string[]> = { backUp: [], restore: [], askProgress: [] };
        for (const iid of o.todo) {
            const sub = o.submitted.get(iid);
            const d = decidePhone({
                instanceId: iid,
                goal: o.targets.get(iid) as Goal,
                inst: o.look.get(iid),
                sub,
                current: o.tally.records.get(iid),
                old: o.oldRecs.get(iid),
                now,
                settleMs: this.deps.settleMs,
            });
            if (d.kind === "backUp" || d.kind === "restore" || d.kind === "askProgress") {
                calls[d.kind].push(iid);
                continue;
            }
            if (d.kind === "record" && d.proven && sub) {
                sub.proven = true;
                await o.note([iid], { provenAt: now });
            }
            applyDecision(o.tally, iid, d);
        }
        return calls;
    }

    /**
     * A few restoring instances: asks ShowProgress, which says "done" first and tells the queue position. Returns how
     * many are queued.
     */
    private async askProgress(
        client: KooPhoneClient,
        userId: string | undefined,
        restoring: string[],
        tally: DriveTally,
    ): Promise<number> {
        let queued = 0;
        if (restoring.length > SHOW_PROGRESS_MAX || !userId) return queued;
        for (const iid of restoring) {
            const d = progressDecision((await client.showProgress(userId, iid)).status);
            if (d.kind === "restored") tally.restored.add(iid);
            else if (d.kind === "failed") tally.failed.set(iid, { message: d.message });
            else if (d.kind === "queued") queued++;
        }
        return queued;
    }

    /** BatchBackupInstances in batches, each claimed first; an unclear answer is noted and never repeated. */
    private async backUp(
        client: KooPhoneClient,
        ids: string[],
        submitted: Map<string, Submission>,
        tally: DriveTally,
        label: string,
        claim: (ids: string[]) => Promise<void>,
        note: (ids: string[], patch: Omit<Partial<PhoneClaim>, "at">) => Promise<void>,
    ): Promise<void> {
        const clock = this.deps.clock;
        for (const batch of chunks(ids, KOOPHONE_BATCH_SIZE)) {
            progress(label, `backing up ${batch.length} instance(s): ${batch.join(", ")}`);
            // The record comes first: if this process dies from here on, the next `up` knows these are its own.
            await claim(batch);
            try {
                const r = await client.batchBackup(batch);
                await note(batch, { answer: "accepted", answeredAt: clock.now(), taskId: r.taskId });
                for (const iid of batch) {
                    submitted.set(iid, { at: clock.now(), uncertain: false });
                    tally.records.set(
                        iid,
                        clean({ instanceId: iid, backupStatus: "backing up", taskId: r.taskId, jobId: r.jobs[iid] }),
                    );
                }
            } catch (e) {
                if (!isUncertain(e)) throw e;
                const code = (e as CloudError).code;
                progress(
                    label,
                    `the BatchBackupInstances answer was lost or unclear (${code}); looking at the instances (it is not called again)`,
                );
                for (const iid of batch) submitted.set(iid, { at: clock.now(), uncertain: true, code });
                await note(batch, { answer: "unclear", answeredAt: clock.now() });
            }
        }
    }

    /** BatchPrepareInstances in batches; an unclear answer is noted and never repeated. */
    private async restore(
        client: KooPhoneClient,
        userId: string,
        ids: string[],
        submitted: Map<string, Submission>,
        label: string,
    ): Promise<void> {
        const clock = this.deps.clock;
        for (const batch of chunks(ids, KOOPHONE_BATCH_SIZE)) {
            progress(label, `restoring ${batch.length} instance(s): ${batch.join(", ")}`);
            try {
                await client.batchPrepare(userId, batch);
                for (const iid of batch) submitted.set(iid, { at: clock.now(), uncertain: false });
            } catch (e) {
                if (!isUncertain(e)) throw e;
                const code = (e as CloudError).code;
                progress(
                    label,
                    `the BatchPrepareInstances answer was lost or unclear (${code}); looking at the instances (it is not called again)`,
                );
                for (const iid of batch) submitted.set(iid, { at: clock.now(), uncertain: true, code });
            }
        }
    }

    /** Fills in the vendor's message for failed backups from ExecuteJob (ListInstances only says "failed"). */
    private async explainFailures(
        client: KooPhoneClient,
        records: Map<string, InstanceRecord>,
        failed: Map<string, { code?: string; message: string }>,
    ): Promise<void> {
        const byTask = new Map<string, InstanceRecord[]>();
        for (const r of records.values()) {
            if (r.backupStatus !== "failed") continue;
            if (r.taskId) byTask.set(r.taskId, [...(byTask.get(r.taskId) ?? []), r]);
            else failed.set(r.instanceId, { message: "backup_status is failed (3); ListInstances gives no reason" });
        }
        for (const [taskId, recs] of byTask) {
            let jobs: Awaited<ReturnType<KooPhoneClient["executeJob"]>> = [];
            try {
                jobs = await client.executeJob(taskId);
            } catch {
                // ExecuteJob is not documented to accept backup task ids; without it the status alone is reported.
            }
            for (const r of recs) {
                const j = jobs.find((x) => (r.jobId && x.job_id === r.jobId) || x.instance_id === r.instanceId);
                const code = j?.error_code || undefined;
                const message = j?.error_msg || "backup_status is failed (3); the task gives no reason";
                records.set(r.instanceId, clean({ ...r, errorCode: code, errorMessage: message }));
                failed.set(r.instanceId, { code, message: `backup task ${taskId}: ${message}` });
            }
        }
    }

    /** This machine's records of the phones each resource is backing up (in the directory the environment names now). */
    private claimStore(): PhoneClaims {
        return new PhoneClaims(journalDir(this.deps.env), this.deps.clock);
    }

    /** Drops records whose outcome has reached the engine; a failure only warns (records expire on their own). */
    private async dropClaims(token: string, ids: string[] | undefined, label: string): Promise<void> {
        const claims = this.claimStore();
        try {
            await claims.drop(token, ids);
        } catch (e) {
            progress(
                label,
                `could not update this resource's backup records in ${claims.dir} (${errorText(e)}); they expire on their own`,
            );
        }
    }

    /**
     * Records what became known of this resource's calls (answer, proof). A failure only warns: without it the record
     * proves less, so a later run refuses rather than claims.
     */
    private async noteClaims(
        token: string,
        ids: string[],
        patch: Omit<Partial<PhoneClaim>, "at">,
        label: string,
    ): Promise<void> {
        const claims = this.claimStore();
        try {
            await claims.mark(token, ids, patch);
        } catch (e) {
            progress(label, `could not update this resource's backup records in ${claims.dir} (${errorText(e)})`);
        }
    }

    /** A client for the configured endpoint; credentials are read at each call, never kept. */
    /**
     * The instances with these ids through the host's shared poller for this endpoint and credential: the waits of
     * several resources that look in the same turn, or while a look-up is under way, share one ListInstances look-up
     * (one query per id for a few ids, else the pages; see {@link KooPhoneClient.instances}). Absent ids are missing.
     */
    private async sharedInstances(client: KooPhoneClient, ids: string[]): Promise<Map<string, KooPhoneInstance>> {
        const endpoint = koophoneEndpoint(this.config, this.deps.env);
        const poller = sharedPoller<KooPhoneInstance>(this, {
            cloud: "huaweicloud",
            endpoint,
            credential: credentialKey(hwAuth(this.config, this.deps.env)),
        });
        const lookup: BatchLookup<KooPhoneInstance> = async (keys) => {
            const found = await client.instances(keys);
            return new Map(keys.map((k) => [k, found.get(k)]));
        };
        const answers = await Promise.all(ids.map((id) => poller.get(id, lookup)));
        const out = new Map<string, KooPhoneInstance>();
        ids.forEach((id, i) => {
            const a = answers[i];
            if (a) out.set(id, a);
        });
        return out;
    }

    client(): KooPhoneClient {
        const endpoint = koophoneEndpoint(this.config, this.deps.env);
        const auth = () => hwAuth(this.config, this.deps.env);
        const clock = this.deps.clock;
        const limit = readRateLimit(this.config, HW_SETTINGS.rateLimit, RATE_LIMIT_PER_SECOND, this.deps.env);
        const caller = new ApiCaller({
            transport: this.deps.transport,
            clock,
            random: this.deps.random,
            backoff: this.deps.backoff,
            bucket: () =>
                sharedBucket({ cloud: "huaweicloud", endpoint, credential: credentialKey(auth()) }, limit, clock),
        });
        return new KooPhoneClient({ endpoint, auth, caller, tokens: (a) => new IamTokenSource(a, caller, clock) });
    }
}

/**
 * Why phones already parked are refused: nothing shows this resource parked them. Names them, what holds them when
 * this machine knows (another resource's record), and the ways out.
 */
async function foreignMessage(
    ids: string[],
    live: Map<string, KooPhoneInstance>,
    claims: PhoneClaims,
    token: string,
    proofs: Map<string, ClaimProof>,
): Promise<string> {
    const holders = await claims.holders(ids, token).catch(() => new Map<string, string>());
    const list = ids.map((x) => {
        const inst = live.get(x) as KooPhoneInstance;
        const ph = classify(inst);
        const when =
            ph === "backedUp" && vendorTime(inst.backup_time) !== undefined
                ? ` since ${vendorTimeText(inst.backup_time)}`
                : "";
        const who = holders.has(x)
            ? `, named in the backup record of restore token ${holders.get(x)} on this machine`
            : "";
        const why = proofs.get(x)?.why ?? "this resource has no record of backing it up";
        return `${x} (${PHASE_TEXT[ph]}${when}${who}; ${why})`;
    });
    return (
        `instanceIds: ${list.join(", ")} ${ids.length === 1 ? "is" : "are"} already parked in OBS, and nothing shows that this resource parked ${ids.length === 1 ? "it" : "them"} ` +
        "(KooPhone does not say who backed a phone up). Another stack " +
        "(for example another stack of this program) or a person may have parked them; taken over, they would be brought back by this resource's destroy while " +
        "the other still counts them as parked. Nothing was backed up or restored. Remove them from instanceIds; or, if an interrupted `pulumi up` of " +
        `this very resource parked them on another machine, run \`pulumi up\` where that machine's ${STATE_DIR_ENV} is; or, if you know nobody else holds them, bring them back (BatchPrepareInstances or the console) and run \`pulumi up\` again: it parks them anew.`
    );
}

/** The provider instance the dynamic-provider host uses (see `delegatingProvider`). */
export const provider = withEnvironmentCheck(new KooPhoneProvider());
