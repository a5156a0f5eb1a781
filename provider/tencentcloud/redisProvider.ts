import type * as pulumi from "@pulumi/pulumi";
import { systemClock } from "../core/clock";
import { ConfigSnapshot } from "../core/config";
import { CloudError, errorText } from "../core/errors";
import {
    BatchLookup,
    LookupAnswer,
    TimeLimit,
    lastStatusOf,
    waitOutLock,
    sharedPoller,
    waitUntil,
} from "../core/poller";
import { scheduleOf } from "../core/poller";
import { hostEnv } from "../core/environment";
import { CallOnceResult, CertainFailure, callOnceOrFindTagged, unwrapCertain } from "../core/settle";
import { progress, resourceLabel } from "../core/progress";
import { Created, ProviderBase, ProviderDeps, fields, diffProps, partialState, withDefaults } from "../core/resource";
import { clean, operationLimit } from "../core/validate";
import {
    TENCENT_CONFIG_KEYS,
    TENCENT_SECRET_KEYS,
    redisEndpoint,
    tencentCredentials,
    tencentRegion,
} from "./credentials";
import {
    REDIS_INSTANCE_STATUS,
    RedisBackup,
    RedisClient,
    RedisTaskInfo,
    RedisTaskListItem,
    TASK_RESULT,
    TASK_STATUS,
    parseBeijingTime,
    redisClientOptions,
} from "./redisClient";
import { LOCKED_CODES, hintFor } from "./redisErrors";
import {
    InstanceRestoreInputs,
    InstanceRestoreOutputs,
    checkInstanceRestore,
    REPLACE_KEYS,
    SECRET_INPUTS,
    redisSelector,
} from "./redisInputs";
import { REDIS_BACKUP_STATUS, resolveBackup } from "./redisBackups";
import { ResolvedBackup } from "../core/backupSelection";
import { stableJson } from "../core/resource";
import {
    JournalEntry,
    RecordedTasks,
    RestoreIntent,
    RestoreJournal,
    STATE_DIR_ENV,
    intentDigest,
    journalDir,
} from "./restoreJournal";
import {
    CALL_WINDOW_MS,
    TaskAnswer,
    UNRECORDED_LOOKBACK_MS,
    adoptionVerdict,
    entryOfRestore,
    isIn,
    isUnknownTaskCode,
    journalTaskOf,
    journalVerdict,
    newTaskOf,
    otherIntentTasks,
    runningVerdict,
    unattributedList,
    unattributedRefusal,
    unattributedRestores,
} from "./restoreAttribution";
import { withEnvironmentCheck } from "../core/settings";
import { utcIso } from "../core/time";
import { PLAN_KEY, withPlan, PreviewChoice, anyUnknown, lookAtPreview, restores } from "../core/plan";
import { redisPlan } from "./redisPlan";

/**
 * Inputs applied in place: the password is only used when a restore runs; `adoptTaskId` and `ignoreTaskIds` only
 * decide what a create does (removing them once the resource exists must never restore again).
 */
const UPDATE_KEYS = ["password", "adoptTaskId", "ignoreTaskIds"];

/** Defaults: Redis restores take minutes to an hour for large instances. */
export const REDIS_DEFAULT_TIMEOUTS = { create: 60 * 60_000, update: 60 * 60_000, delete: 5 * 60_000 };

/** How far back to look for restore tasks of this instance when taking a snapshot before restoring. */
const TASK_LOOKBACK_MS = 24 * 3_600_000;

/** Which restore task belongs to this resource is decided in restoreAttribution.ts; these stay importable here. */
export { UNRECORDED_LOOKBACK_MS, unrecordedRestores } from "./restoreAttribution";

/** Instance statuses (DescribeInstances). */
const STATUS_TEXT = REDIS_INSTANCE_STATUS;
/** Backup statuses (DescribeInstanceBackups). */
const BACKUP_TEXT = REDIS_BACKUP_STATUS;

/** What the provider depends on (settleMs: how long to look for the task of an uncertain RestoreInstance). */
export type RedisDeps = ProviderDeps;

/**
 * What the journal's intent records as the backup: the explicit id, or the selector itself. With a selector, the intent
 * does not depend on which backup was chosen, so a retry after a crash follows the earlier task even if a newer backup
 * appeared meanwhile.
 */
export function intentBackup(i: { backupId?: string; backupSelector?: unknown }): string {
    return i.backupId ?? `selector:${stableJson(i.backupSelector ?? {})}`;
}

/** An API time (Beijing) as an output time (UTC, provider/core/time.ts); unreadable text is kept as it came. */
function beijingToUtc(s: string | undefined): string | undefined {
    const ms = parseBeijingTime(s);
    return ms === undefined ? s : utcIso(ms);
}

/** A backup record as the choice reported in outputs (its EndTime, Beijing time, as ISO 8601 UTC). */
function chosenOf(b: RedisBackup): ResolvedBackup {
    const t = parseBeijingTime(b.EndTime);
    return {
        backupId: b.BackupId,
        backupTime: t === undefined ? "" : utcIso(t),
        status: String(b.Status),
    };
}

/** The resource id: instance and task, so that each restore is its own resource. */
export function restoreId(instanceId: string, taskId: number): string {
    return `${instanceId}:${taskId}`;
}

/** Raised when a restore task ended in `failed` or `error`: definitive, so nothing is recorded and a new `up` may restore again. */
export class RestoreFailed extends Error {
    constructor(
        readonly taskId: number,
        readonly taskStatus: string,
        readonly taskMessage: string,
    ) {
        super(`restore task ${taskId} ended in "${taskStatus}": ${taskMessage || "no message"}`);
        this.name = "RestoreFailed";
    }
}

/** The journal and this create's place in it. */
interface JournalCtx {
    journal: RestoreJournal;
    intent: RestoreIntent;
    /** {@link intentDigest} of `intent`. */
    key: string;
    /** Restore tasks this create saw running while this intent's backup was not locked: another backup's restores. */
    notOurs: Set<number>;
}

/** What the checks before a restore decided. */
type Plan = { kind: "restore"; backup: RedisBackup } | { kind: "follow"; taskId: number; backup: RedisBackup };

/** Where a resource's restore task is recorded: its outputs, or what a create is about to return (checked when read). */
type RecordedRef = { instanceId?: unknown; taskId?: unknown };

/** The ResourceProvider of `tencentcloud.redis.InstanceRestore`. */
export class RedisRestoreProvider extends ProviderBase<InstanceRestoreInputs, InstanceRestoreOutputs> {
    protected readonly configKeys = TENCENT_CONFIG_KEYS;
    protected readonly secretConfigKeys = TENCENT_SECRET_KEYS;
    protected readonly secretInputs = SECRET_INPUTS;
    private readonly deps: RedisDeps;
    /**
     * Restore tasks the stack records, per instance, as this process learnt them from the engine (the old outputs given
     * to diff, read, update and delete) or handed them to it (create's results): none of them is an unrecorded earlier
     * attempt. Kept in memory only; derived again from the stack by every `pulumi up`.
     */
    private readonly recorded = new Map<string, Set<number>>();

    constructor(deps: Partial<RedisDeps> = {}, config?: ConfigSnapshot) {
        super();
        this.deps = withDefaults({ clock: systemClock, env: hostEnv(), settleMs: 20_000 }, deps) as RedisDeps;
        if (config) this.config = config;
    }

    async check(olds: object, news: object): Promise<pulumi.dynamic.CheckResult<InstanceRestoreInputs>> {
        const { inputs, failures } = checkInstanceRestore(fields(news));
        if (failures.length > 0) return { inputs, failures };
        // What the restore does, for the preview (derived; every diff ignores it).
        const region = tencentRegion(this.config, inputs.region, this.deps.env);
        const choice = await this.previewChoice(inputs, olds ?? {});
        return { inputs: withPlan(inputs, redisPlan(inputs, region, choice)), failures };
    }

    /**
     * The backup `backupSelector` would choose now (read-only, bounded in time), when this change restores and the job
     * has credentials; undefined without a selector or when nothing restores. Never throws.
     */
    private async previewChoice(i: InstanceRestoreInputs, olds: object): Promise<PreviewChoice | undefined> {
        if (!i.backupSelector || !restores(olds, i, REPLACE_KEYS)) return undefined;
        if (anyUnknown(i.backupSelector, i.instanceId, i.region))
            return { kind: "skipped", reason: "the instance, the selector or the region is known only at up" };
        const region = tencentRegion(this.config, i.region, this.deps.env);
        return lookAtPreview({
            clock: this.deps.clock,
            unavailable: () => {
                try {
                    tencentCredentials(this.config, this.deps.env);
                } catch {
                    return "no Tencent Cloud credentials in this job";
                }
                redisEndpoint(this.config, region, this.deps.env);
                return undefined;
            },
            resolve: () =>
                resolveBackup(this.client(region), {
                    instanceId: i.instanceId,
                    selector: redisSelector(i.backupSelector),
                    region,
                    now: this.deps.clock.now(),
                }),
        });
    }

    async diff(
        _id: string,
        olds: InstanceRestoreOutputs,
        news: InstanceRestoreInputs,
    ): Promise<pulumi.dynamic.DiffResult> {
        this.noteRecorded(olds);
        // State keeps the effective region; an input left empty means "from config", so compare with that.
        const effective = {
            ...news,
            region: tencentRegion(this.config, news.region as string | undefined, this.deps.env),
        };
        const d = diffProps(olds, effective, { replace: REPLACE_KEYS, update: UPDATE_KEYS, ignore: [PLAN_KEY] });
        return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: false };
    }

    async create(news: InstanceRestoreInputs): Promise<Created<InstanceRestoreOutputs>> {
        const inputs = news;
        const region = tencentRegion(this.config, inputs.region, this.deps.env);
        const client = this.client(region);
        const label = resourceLabel(`InstanceRestore ${inputs.instanceId}`);
        const clock = this.deps.clock;
        const start = clock.now();
        const limit = operationLimit(inputs.timeouts, "create", REDIS_DEFAULT_TIMEOUTS.create, start);

        const intent: RestoreIntent = {
            restoreToken: inputs.restoreToken,
            instanceId: inputs.instanceId,
            backupId: intentBackup(inputs),
            region,
            triggers: inputs.triggers,
        };
        const jc: JournalCtx = { journal: this.journal(), intent, key: intentDigest(intent), notOurs: new Set() };

        let taskId: number | undefined;
        let adopted = false;
        /** When the task started at the earliest (server clock), when this create called RestoreInstance itself. */
        let startedAfter: number | undefined;
        let backup: RedisBackup | undefined;
        let chosen: ResolvedBackup | undefined;
        // An earlier attempt of this very intent that never reported back (host killed, machine crashed): follow its
        // task, finished or not, instead of restoring a second time.
        const earlier = (await this.fromJournal(client, jc, label)) ?? (await this.fromAdoption(client, inputs, label));
        if (earlier !== undefined) {
            taskId = earlier;
            adopted = true;
            // With a selector the backup that attempt chose is not known again (a newer one may exist by now).
            if (inputs.backupId) backup = await client.findBackup(inputs.instanceId, inputs.backupId);
            if (backup) chosen = chosenOf(backup);
        } else if (!inputs.backupId) {
            // Read-only, before any restore: a selector that finds nothing fails here. (An explicit id is checked by
            // prepare, which also waits out locks.)
            const selector = redisSelector(inputs.backupSelector);
            chosen = await resolveBackup(client, { instanceId: inputs.instanceId, selector, region, now: clock.now() });
        }
        const what =
            chosen && !inputs.backupId
                ? `${chosen.backupId} (latest normal backup, taken ${chosen.backupTime})`
                : (inputs.backupId ?? "(the one an earlier attempt chose)");
        const overwritten = "the instance's data will be overwritten";
        progress(label, `restoring backup ${what} into instance ${inputs.instanceId} in ${region}: ${overwritten}`);
        // The restore runs with the chosen id; the outputs keep the inputs as given (a selector stays a selector).
        const effective: InstanceRestoreInputs = { ...inputs, backupId: chosen?.backupId ?? inputs.backupId };
        while (taskId === undefined) {
            const plan = await this.prepare(client, effective, label, limit, jc);
            backup = plan.backup;
            if (plan.kind === "follow") {
                taskId = plan.taskId;
                adopted = true;
                await this.noteTask(jc, { calledAt: clock.now(), knownTaskIds: [] }, taskId, false, label);
                break;
            }
            const r = await this.restoreOnce(client, effective, plan.backup, label, limit, jc);
            if (r === "locked") continue;
            taskId = r.taskId;
            adopted = r.adopted;
            startedAfter = r.startedAfter;
        }

        if (!chosen && backup) chosen = chosenOf(backup);
        const base: InstanceRestoreOutputs = clean({
            ...inputs,
            region,
            taskId,
            status: "running",
            // The API answers Beijing time without a zone; outputs say UTC (provider/core/time.ts).
            backupStartTime: beijingToUtc(backup?.StartTime),
            backupEndTime: beijingToUtc(backup?.EndTime),
            adopted,
            selectedBackupId: chosen?.backupId,
            selectedBackupTime: chosen?.backupTime || undefined,
        });
        return this.waitRestored(client, jc, base, { taskId, label, limit, startedAfter }, news);
    }

    /**
     * Waits for the restore task of a create and returns create's result. From the start the engine records the task
     * (outputs or partial state), unless the task fails: then nothing is recorded and a new `up` restores again.
     */
    private async waitRestored(
        client: RedisClient,
        jc: JournalCtx,
        base: InstanceRestoreOutputs,
        w: { taskId: number; label: string; limit: TimeLimit; startedAfter?: number },
        news: object,
    ): Promise<Created<InstanceRestoreOutputs>> {
        const { taskId, label } = w;
        const id = restoreId(base.instanceId, taskId);
        await this.remember({ instanceId: base.instanceId, taskId }, label);
        try {
            const info = await this.waitTask(client, taskId, label, w.limit, w.startedAfter);
            await this.forget(jc, label);
            return {
                id,
                outs: this.outputs({ ...base, status: info.Status, restoredAt: utcIso(this.deps.clock.now()) }),
            };
        } catch (e) {
            // Either way the outcome now reaches the engine (an error, or partial state it records): the journal entry
            // has done its job. Left behind, it would make a later `pulumi up --replace` follow this task again.
            await this.forget(jc, label);
            if (e instanceof RestoreFailed) {
                throw new Error(
                    `${label}: ${e.message}. Nothing is recorded in the stack; fix the cause (see the message) and run \`pulumi up\` again to restore again.`,
                );
            }
            throw partialState(id, this.outputs({ ...base, status: lastStatusOf(e, "running") }), news, [
                `restore task ${taskId} was started but not seen to finish: ${errorText(e)}. It is recorded in the stack; run \`pulumi up\` to keep waiting for it (no second restore is started).`,
            ]);
        }
    }

    async read(id: string, props: InstanceRestoreOutputs): Promise<pulumi.dynamic.ReadResult<InstanceRestoreOutputs>> {
        this.noteRecorded(props);
        const olds = props;
        const region = olds.region ?? tencentRegion(this.config, undefined, this.deps.env);
        const instanceId = olds.instanceId ?? id.split(":")[0];
        const inst = await this.client(region).describeInstance(instanceId);
        if (!inst) return { id: "" } as pulumi.dynamic.ReadResult;
        return { id, props: this.outputs(olds) };
    }

    async update(
        id: string,
        olds: InstanceRestoreOutputs,
        news: InstanceRestoreInputs,
    ): Promise<pulumi.dynamic.UpdateResult<InstanceRestoreOutputs>> {
        this.noteRecorded(olds);
        const old = olds;
        const inputs = news;
        const label = resourceLabel(`InstanceRestore ${inputs.instanceId}`);
        const region = old.region;
        const base: InstanceRestoreOutputs = clean({
            ...inputs,
            region,
            taskId: old.taskId,
            status: old.status,
            backupStartTime: old.backupStartTime,
            backupEndTime: old.backupEndTime,
            restoredAt: old.restoredAt,
            adopted: old.adopted ?? false,
            // Chosen at create; an update never chooses again.
            selectedBackupId: old.selectedBackupId,
            selectedBackupTime: old.selectedBackupTime,
        });
        if ((old.password ?? "") !== (inputs.password ?? "")) {
            progress(
                label,
                "password changed: recorded in state only. The password is used only when a restore runs (on create, or when instanceId, backupId or triggers change); the instance's password is not changed.",
            );
        }
        if (old.status === "succeed") return { outs: this.outputs(base) };
        // An interrupted create (partial state): keep waiting for the same task; never start a second restore here.
        const limit = operationLimit(inputs.timeouts, "update", REDIS_DEFAULT_TIMEOUTS.update, this.deps.clock.now());
        progress(label, `resuming the wait for restore task ${old.taskId} started earlier`);
        const client = this.client(region);
        try {
            const info = await this.waitTask(client, old.taskId, label, limit);
            return {
                outs: this.outputs({
                    ...base,
                    status: info.Status,
                    restoredAt: utcIso(this.deps.clock.now()),
                }),
            };
        } catch (e) {
            if (e instanceof RestoreFailed) {
                throw partialState(id, this.outputs({ ...base, status: e.taskStatus }), news, [
                    `${e.message}. The instance may hold partly restored data. To restore again, change \`triggers\` (or run \`pulumi up --replace\` on this resource).`,
                ]);
            }
            throw partialState(id, this.outputs({ ...base, status: lastStatusOf(e, "running") }), news, [
                `restore task ${old.taskId} not seen to finish: ${errorText(e)}. Run \`pulumi up\` to keep waiting.`,
            ]);
        }
    }

    async delete(id: string, props: InstanceRestoreOutputs): Promise<void> {
        const o = props;
        const label = resourceLabel(`InstanceRestore ${o.instanceId ?? id}`);
        // Once it leaves the stack, only this machine's cache still knows the task was recorded.
        await this.remember(props, label);
        progress(
            label,
            `removed from the stack only: the restore of backup ${o.selectedBackupId ?? o.backupId} into instance ${o.instanceId} is NOT rolled back (Tencent Cloud cannot undo a restore); the instance keeps the restored data.`,
        );
        // Whatever the journal still holds for this restore goes too: declaring the same restore again after a destroy
        // is a new intent and must restore again. Entries of other intents of the token (a replacement being created)
        // stay.
        if (o.restoreToken && o.instanceId && (o.backupId || o.backupSelector) && o.region) {
            const intent = {
                instanceId: o.instanceId,
                backupId: intentBackup(o),
                region: o.region,
                triggers: o.triggers,
            };
            const key = intentDigest({ restoreToken: o.restoreToken, ...intent });
            try {
                await this.journal().removeWhere(o.restoreToken, entryOfRestore(key, o.taskId));
            } catch (e) {
                progress(
                    label,
                    `could not clean the restore journal (${errorText(e)}); its entries expire on their own`,
                );
            }
        }
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    /** A client for the region's endpoint; credentials are read at each call, never kept. */
    client(region: string): RedisClient {
        return new RedisClient(redisClientOptions(this.config, region, this.deps));
    }

    /**
     * Checks before restoring: the instance exists and runs (Status 2), the backup exists among the instance's own
     * backups, is normal and unlocked. Locks (instance in process, backup locked or exporting) are waited out until the
     * deadline. When the instance is already being restored from this very backup (instance in process, a restore task
     * running, our backup locked), that task is followed instead of starting another: it is the earlier attempt of this
     * resource, interrupted by a crash (on this or another machine) — unless the journal says this resource started it
     * for other inputs (triggers or backupId changed since), which is waited out and then restored over.
     */
    private async prepare(
        client: RedisClient,
        i: InstanceRestoreInputs,
        label: string,
        limit: TimeLimit,
        jc: JournalCtx,
    ): Promise<Plan> {
        const clock = this.deps.clock;
        const start = clock.now();
        let lastWhy = "";
        for (;;) {
            const inst = await client.describeInstance(i.instanceId);
            if (!inst)
                throw new Error(
                    `instanceId: ${withHint("ResourceNotFound.InstanceNotExists", `Redis instance ${i.instanceId} does not exist`)}`,
                );
            const backup = await client.findBackup(i.instanceId, i.backupId as string);
            if (!backup)
                throw new Error(
                    `backupId: ${withHint("InvalidParameterValue.BackupNotExists", `backup ${i.backupId} is not among the backups of instance ${i.instanceId} (backups can only restore the instance they were taken from)`)}`,
                );
            if (backup.InstanceId && backup.InstanceId !== i.instanceId)
                throw new Error(
                    `backupId: backup ${i.backupId} belongs to instance ${backup.InstanceId}, not ${i.instanceId}; an instance can only be restored from its own backups`,
                );
            if (backup.Status === -1)
                throw new Error(
                    `backupId: ${withHint("ResourceUnavailable.BackupStatusAbnormal", `backup ${i.backupId} has expired (status -1)`)}`,
                );
            const backupLocked = backup.Status === 1 || backup.Locked === 1;

            let why: string;
            if (inst.Status === 1) {
                const running = await this.runningRestore(client, i.instanceId);
                // The journal may know better: a task started by this resource for other inputs (triggers or backup
                // changed since) is not this intent's restore, even when it restores the same backup.
                const otherIntents =
                    running === undefined
                        ? new Set<number>()
                        : otherIntentTasks(await jc.journal.entriesOf(i.restoreToken).catch(() => []), jc.key);
                const v = runningVerdict({ running, backupLocked, otherIntents });
                // A restore running while this backup is free restores another backup: not this intent's.
                if (v.notOurs && v.taskId !== undefined) jc.notOurs.add(v.taskId);
                if (v.kind === "follow") {
                    progress(
                        label,
                        `instance ${i.instanceId} is already being restored from backup ${i.backupId} by task ${v.taskId} (an earlier, interrupted attempt); following it instead of restoring again`,
                    );
                    return { kind: "follow", taskId: v.taskId, backup };
                }
                why =
                    v.kind === "waitOwn"
                        ? `instance ${i.instanceId} is being restored by task ${v.taskId}, started by an earlier attempt of this resource with other inputs (backupId or triggers changed since); waiting for it to finish before restoring`
                        : `instance ${i.instanceId} is in process (another flow holds it${v.taskId !== undefined ? `: restore task ${v.taskId} of another backup` : ""})`;
            } else if (inst.Status === 0) {
                why = `instance ${i.instanceId} is still being initialised`;
            } else if (inst.Status !== 2) {
                throw new Error(
                    `instanceId: ${withHint("ResourceUnavailable.InstanceStatusAbnormal", `instance ${i.instanceId} is ${STATUS_TEXT[inst.Status] ?? `in status ${inst.Status}`}`)}`,
                );
            } else if (backupLocked || backup.Status === 3) {
                why = `backup ${i.backupId} is ${BACKUP_TEXT[backup.Status] ?? `in status ${backup.Status}`}${backup.Locked === 1 ? " (locked)" : ""}`;
            } else if (backup.Status !== 2 && backup.Status !== 4) {
                throw new Error(
                    `backupId: ${withHint("ResourceUnavailable.BackupStatusAbnormal", `backup ${i.backupId} is in status ${backup.Status}; only a normal (2) or exported (4) backup can be restored`)}`,
                );
            } else {
                return { kind: "restore", backup };
            }
            await this.waitOut(why, lastWhy, label, start, limit);
            lastWhy = why;
        }
    }

    /** Sleeps before checking a lock again, or fails when the deadline has passed ({@link waitOutLock}). */
    private async waitOut(why: string, lastWhy: string, label: string, start: number, limit: TimeLimit): Promise<void> {
        await waitOutLock(this.deps, { why, lastWhy, label, start, limit });
    }

    /** The newest restore task of the instance that is not finished, if any. */
    private async runningRestore(client: RedisClient, instanceId: string): Promise<number | undefined> {
        const tasks = await client.restoreTasksSince(instanceId, this.deps.clock.now() - TASK_LOOKBACK_MS);
        for (const t of tasks) {
            if (t.Result !== undefined && !isIn(TASK_RESULT.pending, t.Result)) continue;
            const info = await client.describeTaskInfo(t.TaskId);
            if (isIn(TASK_STATUS.pending, info.Status)) return t.TaskId;
        }
        return undefined;
    }

    /**
     * Calls RestoreInstance once for this intent. Before the call it notes the instance's known restore tasks and
     * writes them, with the time, to the journal (no journal, no call); once the task is known, the journal gets it. After an
     * uncertain outcome (lost answer, 5xx, internal error) it looks for a restore task of this instance that is not in
     * that list, for `settleMs`, and never calls again in this run (the journal entry stays, so the next `up` follows
     * the task of a late restore). Returns "locked" when the instance or backup turned out
     * to be locked (the caller waits and checks again).
     */
    private async restoreOnce(
        client: RedisClient,
        i: InstanceRestoreInputs,
        backup: RedisBackup,
        label: string,
        limit: TimeLimit,
        jc: JournalCtx,
    ): Promise<{ taskId: number; adopted: boolean; startedAfter: number } | "locked"> {
        const clock = this.deps.clock;
        const since = clock.now() - UNRECORDED_LOOKBACK_MS;
        const tasks = await client.restoreTasksSince(i.instanceId, since);
        // The cloud-side record, which every machine sees: a restore of this instance that nothing in the stack
        // records may be an earlier attempt of this very restore, killed after its call on another machine. It
        // cannot be told apart from a restore started by hand, so refuse instead of restoring a second time.
        await this.refuseUnrecorded(tasks, i, i.backupSelector ? undefined : backup, jc, label);
        const known = new Set(tasks.map((t) => t.TaskId));
        // The local marker of this intent, written before the call: if the host dies from here on and the next create
        // runs on this machine, it finds it and follows the task automatically (elsewhere, the check above refuses).
        const marker = { calledAt: clock.now(), knownTaskIds: [...known] };
        try {
            await jc.journal.put({ ...this.entryBase(jc), ...marker });
        } catch (e) {
            progress(
                label,
                `could not write the restore journal in ${jc.journal.dir} (${errorText(e)}); it is only a cache: if this run is killed from here on, the next \`pulumi up\` finds the restore task in the instance's task list and refuses to restore again instead of following it by itself`,
            );
        }
        let r: CallOnceResult<{ TaskId: number } | { locked: CloudError }, number>;
        try {
            r = await callOnceOrFindTagged({
                action: "RestoreInstance",
                thing: "restore task",
                call: async () => {
                    try {
                        return await client.restoreInstance({
                            InstanceId: i.instanceId,
                            BackupId: i.backupId as string,
                            Password: i.password,
                        });
                    } catch (e) {
                        if (e instanceof CloudError && LOCKED_CODES.includes(e.code)) return { locked: e };
                        throw e;
                    }
                },
                find: async () => {
                    try {
                        return newTaskOf(await client.restoreTasksSince(i.instanceId, since), known);
                    } catch (le) {
                        if (!(le instanceof CloudError && le.retryable)) throw le;
                        return undefined;
                    }
                },
                describe: (t) => `restore task ${t}`,
                notFound: `no new restore task of instance ${i.instanceId}`,
                duplicate:
                    "restore the instance a second time (a second interruption of service, and writes made after the first restore are overwritten)",
                check: `In a few minutes, check whether a restore task of instance ${i.instanceId} started after ${new Date(marker.calledAt).toISOString()} (the console's task list, or DescribeTaskList of the instance, type FLOW_RESTOREBACKUP).`,
                lookup: "the restore task of that call (the restore journal on this machine keeps the call, then the instance's task list shows the task)",
                clock,
                settleMs: this.deps.settleMs,
                lookEveryMs: 2000,
                deadline: limit.deadline,
                report: (l) => progress(label, l),
            });
        } catch (e) {
            // The call certainly did nothing: the marker must not make a later create adopt someone else's task.
            if (e instanceof CertainFailure && e.cause instanceof CloudError) await this.forget(jc, label);
            throw unwrapCertain(e);
        }
        if (r.found !== undefined) {
            await this.noteTask(jc, marker, r.found, true, label);
            return { taskId: r.found, adopted: true, startedAfter: marker.calledAt - CALL_WINDOW_MS };
        }
        if ("locked" in r.called) {
            // A definite "no": nothing was started, so the marker must not make a later create adopt the lock
            // holder's task.
            await this.forget(jc, label);
            await this.waitOut(
                `${r.called.locked.code}: ${r.called.locked.vendorMessage}`,
                "",
                label,
                clock.now(),
                limit,
            );
            return "locked";
        }
        progress(label, `RestoreInstance accepted: task ${r.called.TaskId}`);
        await this.noteTask(jc, marker, r.called.TaskId, true, label);
        // The task started after the call, by the server's clock, which is within CALL_WINDOW_MS of ours.
        return { taskId: r.called.TaskId, adopted: false, startedAfter: marker.calledAt - CALL_WINDOW_MS };
    }

    /** Notes the task of a resource the engine holds (old outputs), or is about to hold (create's result). */
    private noteRecorded(o: RecordedRef): void {
        const instanceId = typeof o.instanceId === "string" ? o.instanceId : undefined;
        const taskId = typeof o.taskId === "number" ? o.taskId : Number(o.taskId);
        if (!instanceId || !Number.isSafeInteger(taskId) || taskId < 1) return;
        let set = this.recorded.get(instanceId);
        if (!set) this.recorded.set(instanceId, (set = new Set()));
        set.add(taskId);
    }

    /** {@link noteRecorded}, and the same in this machine's cache (best effort: it is only a cache). */
    private async remember(o: RecordedRef, label: string): Promise<void> {
        this.noteRecorded(o);
        const taskId = Number(o.taskId);
        if (typeof o.instanceId !== "string" || !Number.isSafeInteger(taskId) || taskId < 1) return;
        try {
            await new RecordedTasks(journalDir(this.deps.env), this.deps.clock).add(o.instanceId, taskId);
        } catch (e) {
            progress(label, `could not note task ${taskId} in the local cache of recorded restores (${errorText(e)})`);
        }
    }

    /**
     * Refuses, before RestoreInstance, when the instance's task list shows a restore that may be an earlier attempt of
     * this restore (see {@link unrecordedRestores}). Nothing has been called yet, so nothing is left behind.
     */
    private async refuseUnrecorded(
        tasks: RedisTaskListItem[],
        i: InstanceRestoreInputs,
        /** The explicit backup (none with a selector: an earlier attempt may have chosen an older one). */
        backup: RedisBackup | undefined,
        jc: JournalCtx,
        label: string,
    ): Promise<void> {
        const cached = await new RecordedTasks(journalDir(this.deps.env), this.deps.clock)
            .get(i.instanceId)
            .catch(() => []);
        const found = unattributedRestores({
            tasks,
            recorded: [...(this.recorded.get(i.instanceId) ?? []), ...cached],
            notOurs: jc.notOurs,
            ignoreTaskIds: i.ignoreTaskIds,
            otherIntents: otherIntentTasks(await jc.journal.entriesOf(i.restoreToken).catch(() => []), jc.key),
            backupEnd: backup?.EndTime,
        });
        if (found.length === 0) return;
        progress(
            label,
            `refusing to restore: instance ${i.instanceId} has restore tasks nothing in the stack records: ${unattributedList(found)}`,
        );
        throw new Error(unattributedRefusal(label, i.instanceId, found));
    }

    /**
     * The restore task named by `adoptTaskId`, checked (a restore of this instance that did not fail), to be followed
     * instead of restoring; undefined when there is none, or when the stack already records it for an earlier restore
     * of this resource (changed triggers or backup: that is a new restore).
     */
    private async fromAdoption(
        client: RedisClient,
        i: InstanceRestoreInputs,
        label: string,
    ): Promise<number | undefined> {
        const t = i.adoptTaskId;
        if (t === undefined) return undefined;
        const recorded = this.recorded.get(i.instanceId)?.has(t) ?? false;
        const v = adoptionVerdict({
            taskId: t,
            instanceId: i.instanceId,
            recorded,
            answer: recorded ? undefined : await taskAnswer(client, t),
        });
        if (v.kind === "skip") {
            progress(label, v.why);
            return undefined;
        }
        if (v.kind === "refuse") throw new Error(v.message);
        progress(
            label,
            `taking over restore task ${t}, now "${v.status}", as this resource's restore (adoptTaskId); RestoreInstance is not called`,
        );
        return t;
    }

    /** The journal, in the directory the environment names now (read at call time). */
    private journal(): RestoreJournal {
        return new RestoreJournal(journalDir(this.deps.env), this.deps.clock);
    }

    private entryBase(
        jc: JournalCtx,
    ): Pick<JournalEntry, "restoreToken" | "intent" | "instanceId" | "backupId" | "region"> {
        return {
            restoreToken: jc.intent.restoreToken,
            intent: jc.key,
            instanceId: jc.intent.instanceId,
            backupId: jc.intent.backupId,
            region: jc.intent.region,
        };
    }

    /**
     * Records the task of this intent. With `supersede`, entries of the token's other intents go: this restore
     * overwrites whatever their tasks restored, so going back to those inputs later is a new restore. A failure here
     * only warns: the task is running and the entry written before the call still leads a later create to it.
     */
    private async noteTask(
        jc: JournalCtx,
        marker: Pick<JournalEntry, "calledAt" | "knownTaskIds">,
        taskId: number,
        supersede: boolean,
        label: string,
    ): Promise<void> {
        try {
            await jc.journal.put({ ...this.entryBase(jc), ...marker, taskId });
            if (supersede) await jc.journal.removeWhere(jc.intent.restoreToken, (e) => e.intent !== jc.key);
        } catch (e) {
            progress(label, `could not record task ${taskId} in the restore journal (${errorText(e)})`);
        }
    }

    /** Drops this intent's journal entry: its outcome has reached the engine, or nothing was started. */
    private async forget(jc: JournalCtx, label: string): Promise<void> {
        try {
            await jc.journal.remove(jc.intent.restoreToken, jc.key);
        } catch (e) {
            progress(
                label,
                `could not remove the restore journal entry in ${jc.journal.dir} (${errorText(e)}); remove it by hand before \`pulumi up --replace\` of this resource`,
            );
        }
    }

    /**
     * The task of an earlier attempt of this intent that never reported back, from the journal: its recorded task id,
     * or, when the attempt died before learning it, the first restore task of the instance that appeared after its
     * call and was not there before. The task is checked (it exists and belongs to this instance) before it is
     * followed; undefined means "nothing to follow, restore".
     */
    private async fromJournal(client: RedisClient, jc: JournalCtx, label: string): Promise<number | undefined> {
        let e: JournalEntry | undefined;
        try {
            e = await jc.journal.get(jc.intent.restoreToken, jc.key);
        } catch (err) {
            // Only a cache: the instance's task list, checked before any RestoreInstance, is the record that counts.
            progress(
                label,
                `could not read the restore journal in ${jc.journal.dir} (${errorText(err)}; ${STATE_DIR_ENV} names another directory); going by the instance's task list`,
            );
            return undefined;
        }
        if (!e) return undefined;
        const when = new Date(e.calledAt).toISOString();
        let taskId = e.taskId;
        if (taskId === undefined) {
            progress(
                label,
                `an earlier attempt of this restore called RestoreInstance at ${when} and was cut off before it learnt the task; looking for that task`,
            );
            const entry = e;
            const look = async () =>
                journalTaskOf(entry, await client.restoreTasksSince(entry.instanceId, entry.calledAt - CALL_WINDOW_MS));
            let found = await look();
            // A task may take a moment to be listed: give a very recent call the same grace as a lost answer.
            while (found === undefined && this.deps.clock.now() < e.calledAt + this.deps.settleMs) {
                await this.deps.clock.sleep(Math.min(2000, e.calledAt + this.deps.settleMs - this.deps.clock.now()));
                found = await look();
            }
            if (found === undefined) {
                progress(
                    label,
                    `no restore task of instance ${e.instanceId} appeared after that call (${when}); restoring`,
                );
                await this.forget(jc, label);
                return undefined;
            }
            taskId = found;
            await this.noteTask(jc, e, taskId, false, label);
        }
        const v = journalVerdict(e.instanceId, taskId, await taskAnswer(client, taskId));
        if (v.kind === "ignore") {
            progress(label, `${v.why}; ignoring the entry and restoring`);
            await this.forget(jc, label);
            return undefined;
        }
        progress(
            label,
            `an earlier attempt of this restore (${when}) started task ${taskId}, now "${v.status}", and was cut off before it reported back; following that task instead of restoring again`,
        );
        return taskId;
    }

    /**
     * Waits on the task until `succeed`; `failed`/`error` raise {@link RestoreFailed} with the task's message.
     * `startedAfter` (epoch ms), when known, lets the first looks come from the shared task listing (see
     * {@link taskLookup}) instead of a DescribeTaskInfo of this task alone.
     */
    private async waitTask(
        client: RedisClient,
        taskId: number,
        label: string,
        limit: TimeLimit,
        startedAfter?: number,
    ): Promise<RedisTaskInfo> {
        return waitUntil<RedisTaskInfo>({
            what: `restore task ${taskId} to succeed`,
            doneText: `restore task ${taskId} succeeded`,
            clock: this.deps.clock,
            deadline: limit.deadline,
            limit,
            schedule: scheduleOf(this.deps),
            report: (l) => progress(label, l),
            probe: async () => {
                const info = await this.taskStatus(client, taskId, startedAfter);
                if (isIn(TASK_STATUS.succeeded, info.Status)) return { done: true, status: "succeed", value: info };
                if (isIn(TASK_STATUS.failed, info.Status))
                    throw Object.assign(new RestoreFailed(taskId, info.Status, info.TaskMessage ?? ""), {
                        lastStatus: info.Status,
                    });
                return { done: false, status: info.Status };
            },
        });
    }

    /**
     * A task's status. Through the process's shared poller for this endpoint, key and region first: the waits that
     * ask in the same turn, or while a look-up is under way, share the next DescribeTaskList (see {@link taskLookup}).
     * A task the listing cannot answer for (not shown pending or running, or its start unknown) is then asked for by
     * itself with DescribeTaskInfo, outside the shared look-up, so that the final looks of many tasks ending together
     * do not hold up the next listing.
     */
    private async taskStatus(client: RedisClient, taskId: number, startedAfter?: number): Promise<RedisTaskInfo> {
        const region = client.region;
        const endpoint = redisEndpoint(this.config, region, this.deps.env);
        const credential = tencentCredentials(this.config, this.deps.env).secretId;
        const poller = sharedPoller<TaskLook>(this, { cloud: "tencentcloud", endpoint, credential, scope: region });
        const memoKey = `start:${taskId}`;
        if (startedAfter !== undefined && !poller.memo.has(memoKey)) poller.memo.set(memoKey, startedAfter);
        const look = await poller.get(String(taskId), taskLookup(client));
        if (look !== undefined && look !== ASK_ALONE) return look;
        const info = await client.describeTaskInfo(taskId);
        const started = parseBeijingTime(info.StartTime);
        if (started !== undefined) poller.memo.set(memoKey, started);
        return info;
    }

    private outputs(o: InstanceRestoreOutputs): InstanceRestoreOutputs {
        return clean(o);
    }
}

/** The most DescribeTaskList pages one look-up reads (1 000 tasks); beyond that, each task is asked for by itself. */
const MAX_TASK_PAGES = 10;

/** What the shared look-up answers for a task it cannot answer for: ask DescribeTaskInfo for it alone. */
export const ASK_ALONE = Symbol("ask DescribeTaskInfo alone");

/** The shared look-up's answer for one task: its status from the listing, or {@link ASK_ALONE}. */
export type TaskLook = RedisTaskInfo | typeof ASK_ALONE;

/**
 * The batched look-up behind the Tencent waits (keys are task ids). DescribeTaskInfo takes one TaskId;
 * DescribeTaskList lists the region's restore tasks since a time, 100 a page, each with a numeric Result (0 pending,
 * 1 running). When the waited-for tasks have a known earliest start (learned from an earlier DescribeTaskInfo, or the
 * time of the wait's own RestoreInstance call less the clock window, both kept in the poller's memo), one listing
 * since the earliest of them answers every one it shows pending or running: while restores run, the calls per poll
 * no longer grow with their number (and a lone task costs one call a look either way). Every other task is answered {@link ASK_ALONE}:
 * its wait asks DescribeTaskInfo, which also gives the final status and the failure message. The first page tells the
 * total; the further pages are read together.
 */
export function taskLookup(client: RedisClient): BatchLookup<TaskLook> {
    return async (keys, memo) => {
        const out = new Map<string, LookupAnswer<TaskLook>>();
        const known = keys.filter((k) => memo.has(`start:${k}`));
        if (known.length >= 1) {
            const since = Math.min(...known.map((k) => memo.get(`start:${k}`) as number));
            const unfinished = new Map<number, number>();
            const take = (tasks: { TaskId: number; Result?: number }[]) => {
                for (const t of tasks)
                    if (t.Result !== undefined && isIn(TASK_RESULT.pending, t.Result))
                        unfinished.set(t.TaskId, t.Result);
            };
            const first = await client.restoreTaskPage(since, 0);
            take(first.tasks);
            if (first.tasks.length >= 100) {
                // Without a total, one page at a time until a short one; with it, the remaining pages at once.
                if (first.total === undefined) {
                    for (let page = 1; page < MAX_TASK_PAGES; page++) {
                        const r = await client.restoreTaskPage(since, page * 100);
                        take(r.tasks);
                        if (r.tasks.length < 100) break;
                    }
                } else {
                    const pages = Math.min(MAX_TASK_PAGES, Math.ceil(first.total / 100));
                    const rest = await Promise.all(
                        Array.from({ length: Math.max(0, pages - 1) }, (_, i) =>
                            client.restoreTaskPage(since, (i + 1) * 100),
                        ),
                    );
                    for (const r of rest) take(r.tasks);
                }
            }
            for (const k of known) {
                const result = unfinished.get(Number(k));
                if (result !== undefined) out.set(k, { Status: result === 0 ? "preparing" : "running" });
            }
        }
        for (const k of keys) if (!out.has(k)) out.set(k, ASK_ALONE);
        return out;
    };
}

/** DescribeTaskInfo's answer for a task, or the code saying Tencent Cloud does not know it (other errors are thrown). */
async function taskAnswer(client: RedisClient, taskId: number): Promise<TaskAnswer> {
    try {
        return { known: true, info: await client.describeTaskInfo(taskId) };
    } catch (err) {
        if (err instanceof CloudError && isUnknownTaskCode(err.code)) return { known: false, code: err.code };
        throw err;
    }
}

function withHint(code: string, what: string): string {
    const hint = hintFor(code);
    return hint ? `${what}. ${hint}` : what;
}

/** The provider instance the dynamic-provider host uses (see `delegatingProvider`). */
export const provider = withEnvironmentCheck(new RedisRestoreProvider());
