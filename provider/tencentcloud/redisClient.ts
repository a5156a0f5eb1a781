import { ConfigSnapshot, readRateLimit } from "../core/config";
import { CloudError } from "../core/errors";
import { ApiCaller, HttpRequest, HttpResponse, parseJson } from "../core/http";
import { sharedBucket } from "../core/rateLimit";
import { isCalendarTime } from "../core/validate";
import type { ProviderDeps } from "../core/resource";
import { TENCENT_SETTINGS, TencentCredentials, redisEndpoint, tencentCredentials } from "./credentials";
import { hintFor, isServerFault, isThrottle } from "./redisErrors";
import { signTc3 } from "./signer";

/** API version of Tencent Cloud Redis. */
export const REDIS_VERSION = "2018-04-12";
const CLOUD = "tencentcloud redis";

/** One instance as DescribeInstances returns it (the fields we use). */
export interface RedisInstance {
    InstanceId: string;
    InstanceName?: string;
    /** 0 pending init, 1 in process, 2 running, -2 isolated, -3 pending deletion. */
    Status: number;
    Region?: string;
    RegionId?: number;
}

/** One backup as DescribeInstanceBackups returns it. */
export interface RedisBackup {
    BackupId: string;
    InstanceId?: string;
    StartTime?: string;
    EndTime?: string;
    /** "0" manual, "1" automatic (nightly), "2" taken by a configuration change. */
    BackupType?: string;
    /** 1 locked by another flow, 2 normal, -1 expired, 3 exporting, 4 export done. */
    Status: number;
    /** 0/1. */
    Locked?: number;
    Remark?: string;
    ExpireTime?: string;
}

/** DescribeTaskInfo's answer. */
export interface RedisTaskInfo {
    /** `preparing` | `running` | `succeed` | `failed` | `error`. */
    Status: string;
    StartTime?: string;
    TaskType?: string;
    InstanceId?: string;
    TaskMessage?: string;
}

/** One task of DescribeTaskList. */
export interface RedisTaskListItem {
    TaskId: number;
    StartTime?: string;
    TaskType?: string;
    InstanceId?: string;
    /** 0 pending, 1 running, 2 success, 4 failed (the list's numeric result). */
    Result?: number;
    EndTime?: string;
    Progress?: number;
}

/** What the client needs; credentials are a function so that they are read at call time. */
export interface RedisClientOptions {
    endpoint: string;
    region: string;
    credentials: () => TencentCredentials;
    caller: ApiCaller;
}

/** RestoreInstance and DescribeTaskInfo are limited to 20 requests/second; the bucket keeps every action under it. */
export const REDIS_RATE_LIMIT_PER_SECOND = 20;

/**
 * The options of a Redis client (InstanceRestore's and RestoredInstance's alike) for `region` with this job's settings:
 * the region's endpoint, credentials read at each call and never kept, and one rate bucket per action, shared by every
 * resource in this host, so that each action stays under its 20/s limit.
 */
export function redisClientOptions(config: ConfigSnapshot, region: string, deps: ProviderDeps): RedisClientOptions {
    const endpoint = redisEndpoint(config, region, deps.env);
    const credentials = () => tencentCredentials(config, deps.env);
    const clock = deps.clock;
    const limit = readRateLimit(config, TENCENT_SETTINGS.rateLimit, REDIS_RATE_LIMIT_PER_SECOND, deps.env);
    const caller = new ApiCaller({
        transport: deps.transport,
        clock,
        random: deps.random,
        bucket: (action) =>
            sharedBucket(
                { cloud: "tencentcloud", endpoint, credential: credentials().secretId, scope: action },
                limit,
                clock,
            ),
    });
    return { endpoint, region, credentials, caller };
}

/** The restore task type in DescribeTaskList (`FLOW_RESTOREBACKUP`, "010"). */
export const RESTORE_TASK_TYPE = "FLOW_RESTOREBACKUP";
/** The restore task type's numeric code, which the API's task type list gives next to its name. */
export const RESTORE_TASK_CODE = "010";

/** Whether a task type of DescribeTaskList (name or code; absent: unknown, kept) is the restore's. */
export function isRestoreTaskType(t: string | undefined): boolean {
    return t === undefined || /RESTORE/i.test(t) || t === RESTORE_TASK_CODE;
}

/**
 * The `Status` filter sent with DescribeInstanceBackups: the SDK's model documents 1 (in a flow, i.e. locked) and 2
 * (normal), with 2 as the default, so a call without it never lists a locked backup.
 */
export const BACKUP_LIST_STATUSES: readonly number[] = [1, 2];

/** DescribeTaskInfo's `Status` values (lower-cased), by what they mean to a wait. */
export const TASK_STATUS = {
    pending: ["preparing", "running"],
    succeeded: ["succeed"],
    failed: ["failed", "error"],
} as const;

/** DescribeTaskList's numeric `Result` of a task, by what it means to a wait. */
export const TASK_RESULT = { pending: [0, 1], succeeded: [2], failed: [4] } as const;

/** Instance statuses (DescribeInstances' `Status`). */
export const REDIS_INSTANCE_STATUS: Record<number, string> = {
    0: "pending initialisation",
    1: "in process",
    2: "running",
    [-2]: "isolated",
    [-3]: "pending deletion",
};

/** Parses a task id that the API documents as Integer but has been seen as a string ("6954227"). */
export function parseTaskId(v: unknown): number | undefined {
    if (typeof v === "number" && Number.isSafeInteger(v) && v > 0) return v;
    if (typeof v === "string" && /^\s*\d{1,15}\s*$/.test(v) && Number(v) > 0) return Number(v);
    return undefined;
}

/**
 * Formats a time the way the Redis API does (`YYYY-MM-DD HH:mm:ss`, Beijing time, UTC+8): its task and backup times
 * carry no zone.
 */
export function beijingTime(ms: number): string {
    return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");
}

/** Parses an API time (`YYYY-MM-DD HH:mm:ss`, Beijing time) into epoch ms; undefined when unreadable. */
export function parseBeijingTime(s: string | undefined): number | undefined {
    if (!s) return undefined;
    const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/.exec(s.trim());
    if (!m) return undefined;
    // "0000-00-00 00:00:00" is how the API writes "not yet" (a task or backup still running): no time at all.
    const iso = `${m[1]}T${m[2]}+08:00`;
    return isCalendarTime(iso) ? Date.parse(iso) : undefined;
}

/** The Redis API: RestoreInstance, DescribeTaskInfo, DescribeTaskList, DescribeInstances, DescribeInstanceBackups. */
export class RedisClient {
    private readonly host: string;

    constructor(private readonly o: RedisClientOptions) {
        this.host = new URL(o.endpoint).host;
    }

    /** The region this client calls. */
    get region(): string {
        return this.o.region;
    }

    /** RestoreInstance: not idempotent (no client token); the caller looks for an earlier attempt first. */
    async restoreInstance(p: {
        InstanceId: string;
        BackupId: string;
        Password?: string;
    }): Promise<{ TaskId: number; RequestId?: string }> {
        const body: Record<string, string> = { InstanceId: p.InstanceId, BackupId: p.BackupId };
        if (p.Password !== undefined && p.Password !== "") body.Password = p.Password;
        const r = await this.call<{ TaskId?: unknown; RequestId?: string }>("RestoreInstance", body, false);
        const taskId = parseTaskId(r.TaskId);
        if (taskId === undefined)
            throw this.malformed("RestoreInstance", "the answer has no usable TaskId", r.RequestId);
        return { TaskId: taskId, RequestId: r.RequestId };
    }

    /** DescribeTaskInfo for one task. */
    async describeTaskInfo(taskId: number): Promise<RedisTaskInfo> {
        const r = await this.call<RedisTaskInfo & { RequestId?: string }>("DescribeTaskInfo", { TaskId: taskId }, true);
        if (typeof r.Status !== "string")
            throw this.malformed("DescribeTaskInfo", "the answer has no Status", r.RequestId);
        return {
            Status: r.Status.toLowerCase(),
            StartTime: r.StartTime,
            TaskType: r.TaskType,
            InstanceId: r.InstanceId,
            TaskMessage: r.TaskMessage,
        };
    }

    /** Restore tasks of one instance submitted at or after `since` (epoch ms), newest first. */
    async restoreTasksSince(instanceId: string, since: number): Promise<RedisTaskListItem[]> {
        const out: RedisTaskListItem[] = [];
        for (let offset = 0; offset < 1000; offset += 100) {
            const r = await this.call<{ TotalCount?: number; Tasks?: unknown[]; RequestId?: string }>(
                "DescribeTaskList",
                {
                    InstanceId: instanceId,
                    TaskTypes: [RESTORE_TASK_TYPE],
                    BeginTime: beijingTime(since),
                    Limit: 100,
                    Offset: offset,
                },
                true,
            );
            const tasks = Array.isArray(r.Tasks) ? r.Tasks : [];
            for (const t of tasks) {
                const o = t as Record<string, unknown>;
                const id = parseTaskId(o.TaskId);
                if (id === undefined) continue;
                out.push({
                    TaskId: id,
                    StartTime: o.StartTime as string | undefined,
                    TaskType: o.TaskType as string | undefined,
                    InstanceId: o.InstanceId as string | undefined,
                    Result: typeof o.Result === "number" ? o.Result : undefined,
                    EndTime: o.EndTime as string | undefined,
                });
            }
            if (tasks.length < 100 || out.length >= (r.TotalCount ?? 0)) break;
        }
        // Filter again on our side: the server's filters are a convenience, the rule must not depend on them.
        return out
            .filter((t) => (t.InstanceId === undefined || t.InstanceId === instanceId) && isRestoreTaskType(t.TaskType))
            .filter(
                (t) => (parseBeijingTime(t.StartTime) ?? Number.MAX_SAFE_INTEGER) >= Math.floor(since / 1000) * 1000,
            )
            .sort(
                (a, b) =>
                    (parseBeijingTime(b.StartTime) ?? 0) - (parseBeijingTime(a.StartTime) ?? 0) || b.TaskId - a.TaskId,
            );
    }

    /**
     * One page (at most 100) of the region's restore tasks submitted at or after `since` (epoch ms, to the second), all
     * instances, for the shared status poller: one call tells which of up to 100 waited-for tasks are still pending or
     * running. `TotalCount` is the number of matching tasks.
     */
    async restoreTaskPage(since: number, offset: number): Promise<{ tasks: RedisTaskListItem[]; total?: number }> {
        const r = await this.call<{ TotalCount?: number; Tasks?: unknown[]; RequestId?: string }>(
            "DescribeTaskList",
            { TaskTypes: [RESTORE_TASK_TYPE], BeginTime: beijingTime(since), Limit: 100, Offset: offset },
            true,
        );
        if (r.Tasks !== undefined && r.Tasks !== null && !Array.isArray(r.Tasks))
            throw this.malformed("DescribeTaskList", "Tasks is not a list", r.RequestId);
        const tasks: RedisTaskListItem[] = [];
        for (const t of r.Tasks ?? []) {
            const o = (t ?? {}) as Record<string, unknown>;
            const id = parseTaskId(o.TaskId);
            if (id === undefined) continue;
            tasks.push({
                TaskId: id,
                StartTime: o.StartTime as string | undefined,
                TaskType: o.TaskType as string | undefined,
                InstanceId: o.InstanceId as string | undefined,
                Result: typeof o.Result === "number" ? o.Result : undefined,
            });
        }
        return { tasks, total: typeof r.TotalCount === "number" ? r.TotalCount : undefined };
    }

    /** One instance by id, or undefined when it does not exist. */
    async describeInstance(instanceId: string): Promise<RedisInstance | undefined> {
        try {
            const r = await this.call<{ TotalCount?: number; InstanceSet?: unknown; RequestId?: string }>(
                "DescribeInstances",
                { InstanceId: instanceId, Limit: 20, Offset: 0 },
                true,
            );
            if (r.InstanceSet !== undefined && r.InstanceSet !== null && !Array.isArray(r.InstanceSet))
                throw this.malformed("DescribeInstances", "InstanceSet is not a list", r.RequestId);
            const list = (r.InstanceSet ?? []) as RedisInstance[];
            return list.find((i) => i && i.InstanceId === instanceId);
        } catch (e) {
            if (
                e instanceof CloudError &&
                (e.code === "ResourceNotFound.InstanceNotExists" || e.code === "ResourceNotFound")
            )
                return undefined;
            throw e;
        }
    }

    /** One backup of an instance by id (pages through DescribeInstanceBackups), or undefined. */
    async findBackup(instanceId: string, backupId: string): Promise<RedisBackup | undefined> {
        for (let offset = 0; offset < 10_000; offset += 100) {
            const r = await this.call<{ TotalCount?: number; BackupSet?: unknown; RequestId?: string }>(
                "DescribeInstanceBackups",
                { InstanceId: instanceId, Limit: 100, Offset: offset, Status: BACKUP_LIST_STATUSES },
                true,
            );
            if (r.BackupSet !== undefined && r.BackupSet !== null && !Array.isArray(r.BackupSet))
                throw this.malformed("DescribeInstanceBackups", "BackupSet is not a list", r.RequestId);
            const set = (r.BackupSet ?? []) as RedisBackup[];
            const found = set.find((b) => b && b.BackupId === backupId);
            if (found)
                return {
                    ...found,
                    Status: Number(found.Status),
                    Locked: found.Locked === undefined ? undefined : Number(found.Locked),
                };
            if (set.length < 100 || offset + set.length >= (r.TotalCount ?? 0)) return undefined;
        }
        return undefined;
    }

    /** Every backup of an instance (DescribeInstanceBackups, all pages of 100). */
    async listBackups(instanceId: string): Promise<RedisBackup[]> {
        const out: RedisBackup[] = [];
        for (let offset = 0; offset < 10_000; offset += 100) {
            const r = await this.call<{ TotalCount?: number; BackupSet?: unknown; RequestId?: string }>(
                "DescribeInstanceBackups",
                { InstanceId: instanceId, Limit: 100, Offset: offset, Status: BACKUP_LIST_STATUSES },
                true,
            );
            if (r.BackupSet !== undefined && r.BackupSet !== null && !Array.isArray(r.BackupSet))
                throw this.malformed("DescribeInstanceBackups", "BackupSet is not a list", r.RequestId);
            const set = ((r.BackupSet ?? []) as RedisBackup[]).filter((b) => b && typeof b.BackupId === "string");
            out.push(
                ...set.map((b) => ({
                    ...b,
                    Status: Number(b.Status),
                    Locked: b.Locked === undefined ? undefined : Number(b.Locked),
                })),
            );
            if (set.length < 100 || offset + set.length >= (r.TotalCount ?? 0)) break;
        }
        return out;
    }

    protected malformed(action: string, why: string, requestId?: string): CloudError {
        return new CloudError({
            cloud: CLOUD,
            action,
            code: "MalformedResponse",
            message: why,
            requestId,
            retryable: true,
        });
    }

    protected call<T>(action: string, body: Record<string, unknown>, idempotent: boolean): Promise<T> {
        return this.o.caller.call<T>({
            cloud: CLOUD,
            action,
            idempotent,
            build: () => this.build(action, body),
            parse: (res) => this.parse<T>(action, res, idempotent),
        });
    }

    private build(action: string, body: Record<string, unknown>): HttpRequest {
        const creds = this.o.credentials();
        const payload = JSON.stringify(body);
        const signed = signTc3({
            host: this.host,
            service: "redis",
            action,
            version: REDIS_VERSION,
            region: this.o.region,
            timestamp: Math.floor(this.o.caller.clock.now() / 1000),
            payload,
            secretId: creds.secretId,
            secretKey: creds.secretKey,
            token: creds.token,
        });
        return { method: "POST", url: `${this.o.endpoint}/`, headers: signed.headers, body: payload };
    }

    /**
     * Unwraps `{Response: {...}}`. Errors come with HTTP 200 as `{Response: {Error: {Code, Message}, RequestId}}`.
     * Throttling is always retryable (nothing was done); internal errors are retryable only for calls that are safe to
     * repeat: for RestoreInstance they leave the outcome unknown, and the provider looks for the task instead.
     */
    private parse<T>(action: string, res: HttpResponse, idempotent: boolean): T {
        let json: Record<string, unknown> | undefined;
        try {
            json = parseJson(res.body) as Record<string, unknown>;
        } catch (e) {
            if (res.status >= 400) json = undefined;
            else throw e;
        }
        const response =
            json && typeof json === "object" ? (json.Response as Record<string, unknown> | undefined) : undefined;
        if (!response || typeof response !== "object") {
            if (res.status >= 400) {
                throw new CloudError({
                    cloud: CLOUD,
                    action,
                    httpStatus: res.status,
                    code: `HTTP${res.status}`,
                    message: "the gateway answered without an API envelope",
                    retryable: res.status >= 500 || res.status === 429,
                });
            }
            throw new Error("the answer has no Response object");
        }
        const requestId = typeof response.RequestId === "string" ? response.RequestId : undefined;
        const err = response.Error as { Code?: unknown; Message?: unknown } | undefined;
        if (err && typeof err === "object") {
            const code = String(err.Code ?? `HTTP${res.status}`);
            const retryable = isThrottle(code) || (idempotent && isServerFault(code)) || res.status >= 500;
            // An internal-fault code (sent with HTTP 200) leaves it open whether the server acted.
            const uncertain = isServerFault(code) || undefined;
            throw new CloudError({
                cloud: CLOUD,
                action,
                httpStatus: res.status,
                code,
                message: String(err.Message ?? "no message"),
                requestId,
                retryable,
                hint: hintFor(code),
                uncertain,
                throttled: isThrottle(code),
            });
        }
        if (res.status >= 400) {
            throw new CloudError({
                cloud: CLOUD,
                action,
                httpStatus: res.status,
                code: `HTTP${res.status}`,
                message: "error status without an error object",
                requestId,
                retryable: res.status >= 500,
            });
        }
        return response as T;
    }
}
