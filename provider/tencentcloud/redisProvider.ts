import type * as pulumi from "@pulumi/pulumi";
import { Clock, systemClock } from "../core/clock";
import { ConfigSnapshot } from "../core/config";
import { formatDuration } from "../core/duration";
import { CloudError, errorText } from "../core/errors";
import { ApiCaller, Transport, isUncertain } from "../core/http";
import { PollSchedule, WaitTimeout, pollInterval, waitUntil } from "../core/poller";
import { progress } from "../core/progress";
import { sharedBucket } from "../core/rateLimit";
import { registerSecret } from "../core/redact";
import { ProviderBase, diffProps, partialState } from "../core/resource";
import { clean, timeoutMs } from "../core/validate";
import { TENCENT_CONFIG_KEYS, TENCENT_SECRET_KEYS, redisEndpoint, tencentCredentials, tencentRegion } from "./credentials";
import { RedisBackup, RedisClient, RedisTaskInfo } from "./redisClient";
import { LOCKED_CODES, hintFor, isServerFault } from "./redisErrors";
import { InstanceRestoreInputs, InstanceRestoreOutputs, checkInstanceRestore } from "./redisInputs";

/** Inputs whose change means "restore again". */
const REPLACE_KEYS = ["instanceId", "backupId", "triggers", "region"];
/** Inputs applied in place: the password is only used when a restore runs. */
const UPDATE_KEYS = ["password"];

/** Defaults: Redis restores take minutes to an hour for large instances. */
export const REDIS_DEFAULT_TIMEOUTS = { create: 60 * 60_000, update: 60 * 60_000, delete: 5 * 60_000 };

/** RestoreInstance and DescribeTaskInfo are limited to 20 requests/second; the bucket keeps every action under it. */
export const REDIS_RATE_LIMIT_PER_SECOND = 20;

/** How far back to look for restore tasks of this instance when taking a snapshot before restoring. */
const TASK_LOOKBACK_MS = 24 * 3_600_000;

/** Instance statuses (DescribeInstances). */
const STATUS_TEXT: Record<number, string> = { 0: "pending initialisation", 1: "in process", 2: "running", [-2]: "isolated", [-3]: "pending deletion" };
/** Backup statuses (DescribeInstanceBackups). */
const BACKUP_TEXT: Record<number, string> = { 1: "locked by another flow", 2: "normal", [-1]: "expired", 3: "being exported", 4: "exported" };

/** What the provider depends on; tests inject a transport, a clock and an environment. */
export interface RedisDeps {
    clock: Clock;
    transport?: Transport;
    env: NodeJS.ProcessEnv;
    schedule?: PollSchedule;
    /** How long to keep looking for the task of an uncertain RestoreInstance before calling it again (ms). */
    settleMs: number;
    random?: () => number;
}

/** The resource id: instance and task, so that each restore is its own resource. */
export function restoreId(instanceId: string, taskId: number): string {
    return `${instanceId}:${taskId}`;
}

/** Raised when a restore task ended in `failed` or `error`: definitive, so nothing is recorded and a new `up` may restore again. */
export class RestoreFailed extends Error {
    constructor(readonly taskId: number, readonly taskStatus: string, readonly taskMessage: string) {
        super(`restore task ${taskId} ended in "${taskStatus}": ${taskMessage || "no message"}`);
        this.name = "RestoreFailed";
    }
}

/** What the checks before a restore decided. */
type Plan = { kind: "restore"; backup: RedisBackup } | { kind: "follow"; taskId: number; backup: RedisBackup };

/** The ResourceProvider of `tencentcloud.redis.InstanceRestore`. */
export class RedisRestoreProvider extends ProviderBase {
    protected readonly configKeys = TENCENT_CONFIG_KEYS;
    protected readonly secretConfigKeys = TENCENT_SECRET_KEYS;
    private readonly deps: RedisDeps;

    constructor(deps: Partial<RedisDeps> = {}, config?: ConfigSnapshot) {
        super();
        this.deps = { clock: deps.clock ?? systemClock, env: deps.env ?? process.env, settleMs: deps.settleMs ?? 20_000, ...deps } as RedisDeps;
        if (config) this.config = config;
    }

    async check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
        if (typeof news.password === "string") registerSecret(news.password);
        const { inputs, failures } = checkInstanceRestore(news);
        return { inputs: inputs as unknown as Record<string, unknown>, failures };
    }

    async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.DiffResult> {
        // State keeps the effective region; an input left empty means "from config", so compare with that.
        const effective = { ...news, region: tencentRegion(this.config, news.region as string | undefined, this.deps.env) };
        const d = diffProps(olds, effective, { replace: REPLACE_KEYS, update: UPDATE_KEYS });
        return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: false };
    }

    async create(news: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
        const inputs = news as unknown as InstanceRestoreInputs;
        registerSecret(inputs.password);
        const region = tencentRegion(this.config, inputs.region, this.deps.env);
        const client = this.client(region);
        const label = `InstanceRestore ${inputs.instanceId}`;
        const clock = this.deps.clock;
        const start = clock.now();
        const deadline = start + timeoutMs(inputs.timeouts, "create", REDIS_DEFAULT_TIMEOUTS.create);

        progress(label, `restoring backup ${inputs.backupId} into instance ${inputs.instanceId} in ${region}: the instance's data will be overwritten`);
        let taskId: number | undefined;
        let adopted = false;
        let backup: RedisBackup | undefined;
        while (taskId === undefined) {
            const plan = await this.prepare(client, inputs, label, deadline);
            backup = plan.backup;
            if (plan.kind === "follow") {
                taskId = plan.taskId;
                adopted = true;
                break;
            }
            const r = await this.restoreOnce(client, inputs, label, deadline);
            if (r === "locked") continue;
            taskId = r.taskId;
            adopted = r.adopted;
        }

        const base: InstanceRestoreOutputs = clean({
            ...inputs,
            region,
            taskId,
            status: "running",
            backupStartTime: backup?.StartTime,
            backupEndTime: backup?.EndTime,
            adopted,
        });
        const id = restoreId(inputs.instanceId, taskId);
        try {
            const info = await this.waitTask(client, taskId, label, deadline);
            progress(label, `restore task ${taskId} succeeded after ${formatDuration(clock.now() - start)}`);
            return { id, outs: this.outputs({ ...base, status: info.Status, restoredAt: new Date(clock.now()).toISOString() }) };
        } catch (e) {
            if (e instanceof RestoreFailed) {
                throw new Error(`${label}: ${e.message}. Nothing is recorded in the stack; fix the cause (see the message) and run \`pulumi up\` again to restore again.`);
            }
            throw partialState(id, this.outputs({ ...base, status: lastStatus(e) }), news, [
                `restore task ${taskId} was started but not seen to finish: ${errorText(e)}. It is recorded in the stack; run \`pulumi up\` to keep waiting for it (no second restore is started).`,
            ]);
        }
    }

    async read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
        const olds = props as unknown as InstanceRestoreOutputs;
        const region = olds.region ?? tencentRegion(this.config, undefined, this.deps.env);
        const instanceId = olds.instanceId ?? id.split(":")[0];
        const inst = await this.client(region).describeInstance(instanceId);
        if (!inst) return { id: "" } as pulumi.dynamic.ReadResult;
        return { id, props: this.outputs(olds) };
    }

    async update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.UpdateResult> {
        const old = olds as unknown as InstanceRestoreOutputs;
        const inputs = news as unknown as InstanceRestoreInputs;
        registerSecret(inputs.password);
        const label = `InstanceRestore ${inputs.instanceId}`;
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
        });
        if ((old.password ?? "") !== (inputs.password ?? "")) {
            progress(label, "password changed: recorded in state only. The password is used only when a restore runs (on create, or when instanceId, backupId or triggers change); the instance's password is not changed.");
        }
        if (old.status === "succeed") return { outs: this.outputs(base) };
        // An interrupted create (partial state): keep waiting for the same task; never start a second restore here.
        const deadline = this.deps.clock.now() + timeoutMs(inputs.timeouts, "update", REDIS_DEFAULT_TIMEOUTS.update);
        progress(label, `resuming the wait for restore task ${old.taskId} started earlier`);
        const client = this.client(region);
        try {
            const info = await this.waitTask(client, old.taskId, label, deadline);
            return { outs: this.outputs({ ...base, status: info.Status, restoredAt: new Date(this.deps.clock.now()).toISOString() }) };
        } catch (e) {
            if (e instanceof RestoreFailed) {
                throw partialState(id, this.outputs({ ...base, status: e.taskStatus }), news, [
                    `${e.message}. The instance may hold partly restored data. To restore again, change \`triggers\` (or run \`pulumi up --replace\` on this resource).`,
                ]);
            }
            throw partialState(id, this.outputs({ ...base, status: lastStatus(e) }), news, [`restore task ${old.taskId} not seen to finish: ${errorText(e)}. Run \`pulumi up\` to keep waiting.`]);
        }
    }

    async delete(id: string, props: Record<string, unknown>): Promise<void> {
        const o = props as unknown as InstanceRestoreOutputs;
        const label = `InstanceRestore ${o.instanceId ?? id}`;
        progress(
            label,
            `removed from the stack only: the restore of backup ${o.backupId} into instance ${o.instanceId} is NOT rolled back (Tencent Cloud cannot undo a restore); the instance keeps the restored data.`,
        );
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    /** A client for the region's endpoint; credentials are read at each call, never kept. */
    client(region: string): RedisClient {
        const endpoint = redisEndpoint(this.config, region, this.deps.env);
        const credentials = () => tencentCredentials(this.config, this.deps.env);
        const clock = this.deps.clock;
        const caller = new ApiCaller({
            transport: this.deps.transport,
            clock,
            random: this.deps.random,
            // One bucket per action, shared by every resource in this host: each action stays under its 20/s limit.
            bucket: (action) => sharedBucket({ cloud: "tencentcloud", endpoint, credential: credentials().secretId, scope: action }, REDIS_RATE_LIMIT_PER_SECOND, clock),
        });
        return new RedisClient({ endpoint, region, credentials, caller });
    }

    /**
     * Checks before restoring: the instance exists and runs (Status 2), the backup exists among the instance's own
     * backups, is normal and unlocked. Locks (instance in process, backup locked or exporting) are waited out until the
     * deadline. When the instance is already being restored from this very backup (instance in process, a restore task
     * running, our backup locked), that task is followed instead of starting another: it is the earlier attempt of this
     * resource, interrupted by a crash.
     */
    private async prepare(client: RedisClient, i: InstanceRestoreInputs, label: string, deadline: number): Promise<Plan> {
        const clock = this.deps.clock;
        const start = clock.now();
        let lastWhy = "";
        for (;;) {
            const inst = await client.describeInstance(i.instanceId);
            if (!inst) throw new Error(`instanceId: ${withHint("ResourceNotFound.InstanceNotExists", `Redis instance ${i.instanceId} does not exist`)}`);
            const backup = await client.findBackup(i.instanceId, i.backupId);
            if (!backup) throw new Error(`backupId: ${withHint("InvalidParameterValue.BackupNotExists", `backup ${i.backupId} is not among the backups of instance ${i.instanceId} (backups can only restore the instance they were taken from)`)}`);
            if (backup.InstanceId && backup.InstanceId !== i.instanceId) throw new Error(`backupId: backup ${i.backupId} belongs to instance ${backup.InstanceId}, not ${i.instanceId}; an instance can only be restored from its own backups`);
            if (backup.Status === -1) throw new Error(`backupId: ${withHint("ResourceUnavailable.BackupStatusAbnormal", `backup ${i.backupId} has expired`)}`);
            const backupLocked = backup.Status === 1 || backup.Locked === 1;

            let why: string;
            if (inst.Status === 1) {
                const running = await this.runningRestore(client, i.instanceId);
                if (running !== undefined && backupLocked) {
                    progress(label, `instance ${i.instanceId} is already being restored from backup ${i.backupId} by task ${running} (an earlier, interrupted attempt); following it instead of restoring again`);
                    return { kind: "follow", taskId: running, backup };
                }
                why = `instance ${i.instanceId} is in process (another flow holds it${running !== undefined ? `: restore task ${running} of another backup` : ""})`;
            } else if (inst.Status === 0) {
                why = `instance ${i.instanceId} is still being initialised`;
            } else if (inst.Status !== 2) {
                throw new Error(`instanceId: ${withHint("ResourceUnavailable.InstanceStatusAbnormal", `instance ${i.instanceId} is ${STATUS_TEXT[inst.Status] ?? `in status ${inst.Status}`}`)}`);
            } else if (backupLocked || backup.Status === 3) {
                why = `backup ${i.backupId} is ${BACKUP_TEXT[backup.Status] ?? `in status ${backup.Status}`}${backup.Locked === 1 ? " (locked)" : ""}`;
            } else if (backup.Status !== 2 && backup.Status !== 4) {
                throw new Error(`backupId: ${withHint("ResourceUnavailable.BackupStatusAbnormal", `backup ${i.backupId} is in status ${backup.Status}`)}`);
            } else {
                return { kind: "restore", backup };
            }
            await this.waitOut(why, lastWhy, label, start, deadline);
            lastWhy = why;
        }
    }

    /** Sleeps before checking a lock again, or fails when the deadline has passed. */
    private async waitOut(why: string, lastWhy: string, label: string, start: number, deadline: number): Promise<void> {
        const clock = this.deps.clock;
        const now = clock.now();
        if (now >= deadline) throw new Error(`gave up after ${formatDuration(now - start)} (create time-out): ${why}. Wait until it is free, or raise timeouts.create, and run \`pulumi up\` again`);
        if (why !== lastWhy) progress(label, `${why}; waiting and trying again`);
        await clock.sleep(Math.min(pollInterval(now - start, this.deps.schedule), deadline - now));
    }

    /** The newest restore task of the instance that is not finished, if any. */
    private async runningRestore(client: RedisClient, instanceId: string): Promise<number | undefined> {
        const tasks = await client.restoreTasksSince(instanceId, this.deps.clock.now() - TASK_LOOKBACK_MS);
        for (const t of tasks) {
            if (t.Result !== undefined && t.Result !== 0 && t.Result !== 1) continue;
            const info = await client.describeTaskInfo(t.TaskId);
            if (info.Status === "preparing" || info.Status === "running") return t.TaskId;
        }
        return undefined;
    }

    /**
     * Calls RestoreInstance once for this intent. Before the call it notes the instance's known restore tasks; after an
     * uncertain outcome (lost answer, 5xx, internal error) it looks for a restore task of this instance that is not in
     * that list, for `settleMs`, before it ever calls again. Returns "locked" when the instance or backup turned out
     * to be locked (the caller waits and checks again).
     */
    private async restoreOnce(client: RedisClient, i: InstanceRestoreInputs, label: string, deadline: number): Promise<{ taskId: number; adopted: boolean } | "locked"> {
        const clock = this.deps.clock;
        const since = clock.now() - TASK_LOOKBACK_MS;
        const known = new Set((await client.restoreTasksSince(i.instanceId, since)).map((t) => t.TaskId));
        for (let attempt = 1; ; attempt++) {
            try {
                const r = await client.restoreInstance({ InstanceId: i.instanceId, BackupId: i.backupId, Password: i.password });
                progress(label, `RestoreInstance accepted: task ${r.TaskId}`);
                return { taskId: r.TaskId, adopted: false };
            } catch (e) {
                if (e instanceof CloudError && LOCKED_CODES.includes(e.code)) {
                    const start = clock.now();
                    await this.waitOut(`${e.code}: ${e.vendorMessage}`, "", label, start, deadline);
                    return "locked";
                }
                if (!(isUncertain(e) || (e instanceof CloudError && isServerFault(e.code)))) throw e;
                progress(label, `the RestoreInstance outcome is unknown (${(e as CloudError).code}); looking for the task it may have started`);
                const settleUntil = Math.min(deadline, clock.now() + this.deps.settleMs);
                for (;;) {
                    let fresh: number | undefined;
                    try {
                        fresh = (await client.restoreTasksSince(i.instanceId, since)).find((t) => !known.has(t.TaskId))?.TaskId;
                    } catch (le) {
                        if (!(le instanceof CloudError && le.retryable)) throw le;
                    }
                    if (fresh !== undefined) {
                        progress(label, `found restore task ${fresh} started by the interrupted call; following it`);
                        return { taskId: fresh, adopted: true };
                    }
                    if (clock.now() >= settleUntil) break;
                    await clock.sleep(Math.min(2000, Math.max(1, settleUntil - clock.now())));
                }
                if (attempt >= 3 || clock.now() >= deadline) {
                    throw new Error(`RestoreInstance failed ${attempt} times with unknown outcomes (last: ${errorText(e)}) and no new restore task of instance ${i.instanceId} appeared. Nothing is recorded; run \`pulumi up\` again: it checks the instance's tasks before restoring.`);
                }
                progress(label, `no restore task appeared; calling RestoreInstance again (attempt ${attempt + 1})`);
            }
        }
    }

    /** Waits on DescribeTaskInfo until `succeed`; `failed`/`error` raise {@link RestoreFailed} with the task's message. */
    private async waitTask(client: RedisClient, taskId: number, label: string, deadline: number): Promise<RedisTaskInfo> {
        let last = "unknown";
        try {
            return await waitUntil<RedisTaskInfo>({
                what: `restore task ${taskId} to succeed`,
                clock: this.deps.clock,
                deadline,
                schedule: this.deps.schedule,
                report: (l) => progress(label, l),
                probe: async () => {
                    const info = await client.describeTaskInfo(taskId);
                    last = info.Status;
                    if (info.Status === "succeed") return { done: true, status: "succeed", value: info };
                    if (info.Status === "failed" || info.Status === "error") throw new RestoreFailed(taskId, info.Status, info.TaskMessage ?? "");
                    return { done: false, status: info.Status };
                },
            });
        } catch (e) {
            throw Object.assign(e instanceof Error ? e : new Error(String(e)), { lastStatus: last });
        }
    }

    private outputs(o: InstanceRestoreOutputs): Record<string, unknown> {
        return clean(o) as unknown as Record<string, unknown>;
    }
}

function withHint(code: string, what: string): string {
    const hint = hintFor(code);
    return hint ? `${what}. ${hint}` : what;
}

function lastStatus(e: unknown): string {
    if (e instanceof WaitTimeout) return e.lastStatus === "unknown" ? "running" : e.lastStatus;
    const s = (e as { lastStatus?: string })?.lastStatus;
    return s && s !== "unknown" ? s : "running";
}

/** The provider instance the dynamic-provider host uses (see `delegatingProvider`). */
export const provider = new RedisRestoreProvider();
