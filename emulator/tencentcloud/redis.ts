import { randomUUID } from "crypto";
import * as net from "net";
import { Clock, systemClock } from "../core/clock";
import { CloudService, EmuRequest, EmuResponse } from "../core/types";
import { verifyTc3 } from "./verify";

/** Timings of the restore task state machine, in the emulator clock's ms. */
export interface RedisTimings {
    /** From RestoreInstance to `running` (the task is `preparing` until then). */
    prepareMs: number;
    /** From `running` to `succeed` (or `failed`). */
    runMs: number;
    /** From CloneInstances to a running clone (Status 0 for the first quarter, then 1). */
    cloneMs: number;
    /** From DestroyPostpaidInstance to isolated (-2); Status 1 meanwhile. */
    destroyMs: number;
    /** From CleanUpInstance (Status -3, pending deletion) until the instance is no longer listed. */
    cleanUpMs: number;
}

interface Instance {
    InstanceId: string;
    InstanceName: string;
    Region: string;
    /** Status when no task holds it: 0, 2, -2, -3. */
    Status: number;
    /** undefined: password-free. */
    Password?: string;
    /** Held by another flow until then (emulator clock ms). */
    lockedUntil?: number;
    createdAt: number;
    /** Clones: set up (Status 0, then 1) until then. */
    readyAt?: number;
    /** A destroy or clean-up flow: Status 1 (or -3) until `flowUntil`, then `afterFlow` (or removal when null). */
    flowUntil?: number;
    afterFlow?: number | null;
    /** Clones: set up ends isolated instead of running (an armed failNext("CloneInstances")). */
    failsSetup?: boolean;
    ZoneId?: number;
    /** 0 postpaid (default), 1 prepaid. */
    BillingMode: number;
    Tags: { TagKey: string; TagValue: string }[];
    Port: number;
    UniqVpcId?: string;
    UniqSubnetId?: string;
}

interface Backup {
    BackupId: string;
    InstanceId: string;
    StartTime: string;
    EndTime: string;
    BackupType: string;
    /** Status when no task holds it: 2 normal, -1 expired, 3 exporting, 4 exported. */
    Status: number;
    lockedUntil?: number;
    Remark: string;
    ExpireTime: string;
}

interface Task {
    TaskId: number;
    InstanceId: string;
    BackupId: string;
    startedAt: number;
    fate: "succeed" | "failed";
    message: string;
}

/** Options of the Redis emulator. */
export interface RedisEmulatorOptions {
    clock?: Clock;
    timings?: Partial<RedisTimings>;
    /** SecretId → SecretKey. */
    credentials?: Record<string, string>;
    /** SecretId → the token its temporary credentials require (X-TC-Token). */
    tokens?: Record<string, string>;
    /** Requests per second allowed per action before RequestLimitExceeded (default 20, as documented). */
    rateLimitPerSecond?: number;
    /** How RestoreInstance answers TaskId: as the documented Integer, or as the string of the published example. */
    taskIdAs?: "number" | "string";
    /** Actions CAM denies (UnauthorizedOperation.NoCAMAuthed). */
    denied?: string[];
}

const ACTIONS = [
    "RestoreInstance",
    "CloneInstances",
    "DestroyPostpaidInstance",
    "CleanUpInstance",
    "DescribeTaskInfo",
    "DescribeTaskList",
    "DescribeInstances",
    "DescribeInstanceBackups",
];
const RESTORE_TYPE = "FLOW_RESTOREBACKUP";
/**
 * The restore's task type code. The SDK's model lists each task type as a name and a code (`FLOW_RESTOREBACKUP："010"`)
 * without saying which one TaskTypes takes; both are accepted (an assumption: unverified against the real API).
 */
const RESTORE_TYPE_CODE = "010";

/** Formats epoch ms the way the API does: `YYYY-MM-DD HH:mm:ss`, Beijing time. */
function apiTime(ms: number): string {
    return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");
}

function parseApiTime(s: unknown): number | undefined {
    const m = typeof s === "string" ? /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(s) : null;
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) - 8 * 3_600_000 : undefined;
}

/**
 * Tencent Cloud Redis (API 3.0, version 2018-04-12) as the emulator serves it: TC3-HMAC-SHA256 verification with the
 * real error codes, seedable instances and backups, RestoreInstance as a task that moves preparing → running →
 * succeed (or failed when armed with failTask), the instance in Status 1 and the backup locked while it runs, the
 * vendor page's error codes, and RequestLimitExceeded above the per-action rate limit.
 */
export class TencentRedisService implements CloudService {
    readonly name = "tencentcloud";
    readonly instances = new Map<string, Instance>();
    readonly backups = new Map<string, Backup>();
    readonly tasks = new Map<number, Task>();
    readonly timings: RedisTimings;
    /** Requests answered RequestLimitExceeded by the emulator's own limiter (not injected faults). */
    throttledCount = 0;
    private readonly clock: Clock;
    private readonly credentials: Record<string, string>;
    private readonly tokens: Record<string, string>;
    private readonly limit: number;
    private readonly recent = new Map<string, number[]>();
    private nextTaskId = 6954227;
    private failRestores = 0;
    private failClones = 0;
    /** Clones made so far (CloneInstances calls that created an instance), for tests. */
    clonesMade = 0;
    /**
     * When true, every clone made from now on gets a real TCP listener on 127.0.0.1 (an ephemeral port) while it
     * runs, reported as its WanIp and Port (as a NAT would map the instance's VIP), so a drill's TCP check can pass.
     */
    serveTcp = false;
    private readonly listeners = new Map<string, { server: net.Server; port?: number }>();
    private seq = 0;

    constructor(private readonly o: RedisEmulatorOptions = {}) {
        this.clock = o.clock ?? systemClock;
        this.timings = { prepareMs: 200, runMs: 800, cloneMs: 1000, destroyMs: 300, cleanUpMs: 300, ...o.timings };
        this.credentials = o.credentials ?? { "emulator-secret-id": "emulator-secret-key" };
        this.tokens = o.tokens ?? {};
        this.limit = o.rateLimitPerSecond ?? 20;
    }

    /** The service clock: a "late" fault falls due by it. */
    now(): number {
        return this.clock.now();
    }

    actionOf(req: EmuRequest): string {
        return req.headers["x-tc-action"] ?? "Unknown";
    }

    throttled(_req: EmuRequest): EmuResponse {
        return this.error(
            "RequestLimitExceeded",
            "Your current request times equals to `21` in a second, which exceeds the frequency limit `20` for a second. Please reduce the frequency of calls.",
        );
    }

    serverError(_req: EmuRequest, status: number, detail?: string): EmuResponse {
        const text =
            status === 503
                ? "Service is temporarily unavailable."
                : "An internal error has occurred. Retry your request.";
        return {
            ...this.error(status === 503 ? "ServiceUnavailable" : "InternalError", detail ? `${text} ${detail}` : text),
            status,
        };
    }

    badRequest(_req: EmuRequest, detail: string): EmuResponse {
        return this.error("InvalidParameterValue", `The parameter value is invalid: ${detail}`);
    }

    failNext(action: string): void {
        if (action === "RestoreInstance") this.failRestores++;
        if (action === "CloneInstances") this.failClones++;
    }

    seed(kind: string, data: Record<string, unknown>): unknown {
        const now = this.clock.now();
        if (kind === "instance") {
            const id = String(data.InstanceId ?? `crs-${this.randomId()}`);
            const inst: Instance = {
                InstanceId: id,
                InstanceName: String(data.InstanceName ?? id),
                Region: String(data.Region ?? "ap-guangzhou"),
                Status: data.Status === undefined ? 2 : Number(data.Status),
                Password: data.Password === undefined || data.Password === null ? undefined : String(data.Password),
                createdAt: now,
                ZoneId: data.ZoneId === undefined ? 100003 : Number(data.ZoneId),
                BillingMode: data.BillingMode === undefined ? 0 : Number(data.BillingMode),
                Tags: Array.isArray(data.Tags) ? (data.Tags as { TagKey: string; TagValue: string }[]) : [],
                Port: data.Port === undefined ? 6379 : Number(data.Port),
                UniqVpcId: data.UniqVpcId === undefined ? undefined : String(data.UniqVpcId),
                UniqSubnetId: data.UniqSubnetId === undefined ? undefined : String(data.UniqSubnetId),
            };
            this.instances.set(id, inst);
            return this.instanceView(inst);
        }
        if (kind === "backup") {
            const instanceId = String(data.InstanceId ?? "");
            if (!this.instances.has(instanceId))
                throw new Error(`seed backup: instance ${instanceId} does not exist; seed it first`);
            const b: Backup = {
                BackupId: String(data.BackupId ?? `${Date.now()}${String(++this.seq).padStart(6, "0")}`),
                InstanceId: instanceId,
                // `ageMs` before now is when it ended (it started 10 minutes earlier); default 50 minutes ago.
                StartTime: apiTime(now - Number(data.ageMs ?? 3_000_000) - 600_000),
                // `taking: true`: still being taken, no end time yet (as the API writes "not yet").
                EndTime: data.taking === true ? "0000-00-00 00:00:00" : apiTime(now - Number(data.ageMs ?? 3_000_000)),
                BackupType: String(data.BackupType ?? "0"),
                Status: data.Status === undefined ? 2 : Number(data.Status),
                Remark: String(data.Remark ?? ""),
                ExpireTime: apiTime(now + 7 * 86_400_000),
            };
            this.backups.set(b.BackupId, b);
            return this.backupView(b);
        }
        throw new Error(`unknown seed kind ${kind}: use "instance" or "backup"`);
    }

    snapshot(): Record<string, unknown> {
        return {
            instances: [...this.instances.values()].map((i) => this.instanceView(i)),
            backups: [...this.backups.values()].map((b) => this.backupView(b)),
            tasks: [...this.tasks.values()].map((t) => ({
                ...this.taskListView(t),
                BackupId: t.BackupId,
                Status: this.taskStatus(t),
            })),
            throttled: this.throttledCount,
        };
    }

    /** Restore tasks started for an instance (any state), for tests. */
    restoreTasks(instanceId?: string): { TaskId: number; InstanceId: string; BackupId: string; Status: string }[] {
        return [...this.tasks.values()]
            .filter((t) => !instanceId || t.InstanceId === instanceId)
            .map((t) => ({
                TaskId: t.TaskId,
                InstanceId: t.InstanceId,
                BackupId: t.BackupId,
                Status: this.taskStatus(t),
            }));
    }

    /** Deletes an instance behind the provider's back (out-of-band deletion). */
    deleteInstance(id: string): void {
        this.instances.delete(id);
        this.unlisten(id);
    }

    /** Instances that exist and are not released (not isolated, not pending deletion), for tests. */
    live(): {
        InstanceId: string;
        InstanceName: string;
        Status: number;
        Tags: { TagKey: string; TagValue: string }[];
    }[] {
        return [...this.instances.values()]
            .filter((i) => this.settle(i) && this.instanceStatus(i) >= 0)
            .map((i) => ({
                InstanceId: i.InstanceId,
                InstanceName: i.InstanceName,
                Status: this.instanceStatus(i),
                Tags: i.Tags,
            }));
    }

    /** Closes every instance listener (the emulator stops). */
    close(): void {
        for (const l of this.listeners.values()) l.server.close();
        this.listeners.clear();
    }

    /** Holds an instance or a backup by "another flow" for `ms`. */
    lock(kind: "instance" | "backup", id: string, ms: number): void {
        const target = kind === "instance" ? this.instances.get(id) : this.backups.get(id);
        if (!target) throw new Error(`no ${kind} ${id}`);
        target.lockedUntil = this.clock.now() + ms;
    }

    /** Changes a backup's own status (e.g. -1 expired). */
    setBackupStatus(id: string, status: number): void {
        const b = this.backups.get(id);
        if (!b) throw new Error(`no backup ${id}`);
        b.Status = status;
    }

    async handle(req: EmuRequest): Promise<EmuResponse> {
        const action = this.actionOf(req);
        if (req.method !== "POST" || req.path !== "/")
            return this.error("InvalidParameter", "API 3.0 requests are POST /.");
        if (this.overLimit(action)) {
            this.throttledCount++;
            return this.throttled(req);
        }
        const auth = this.authenticate(req);
        if (auth) return auth;
        if (!ACTIONS.includes(action)) return this.error("InvalidAction", `The action \`${action}\` does not exist.`);
        if (req.headers["x-tc-version"] !== "2018-04-12")
            return this.error(
                "NoSuchVersion",
                `The requested version \`${req.headers["x-tc-version"]}\` of API \`${action}\` does not exist.`,
            );
        if (!req.headers["x-tc-region"])
            return this.error("MissingParameter", "The request is missing a required parameter `Region`.");
        if ((this.o.denied ?? []).includes(action))
            return this.error(
                "UnauthorizedOperation.NoCAMAuthed",
                `You are not authorized to perform operation (redis:${action}).`,
            );
        let body: Record<string, unknown>;
        try {
            body = JSON.parse(req.body || "{}") as Record<string, unknown>;
        } catch {
            return this.error("InvalidParameter", "The request body is not valid JSON.");
        }
        const region = req.headers["x-tc-region"];
        switch (action) {
            case "RestoreInstance":
                return this.restore(body, region);
            case "DescribeTaskInfo":
                return this.describeTaskInfo(body);
            case "DescribeTaskList":
                return this.describeTaskList(body);
            case "DescribeInstances":
                return this.describeInstances(body, region);
            case "CloneInstances":
                return this.clone(body, region);
            case "DestroyPostpaidInstance":
                return this.destroyPostpaid(body, region);
            case "CleanUpInstance":
                return this.cleanUp(body, region);
            default:
                return this.describeBackups(body, region);
        }
    }

    // --- authentication and limits -------------------------------------------------------------------------------

    private overLimit(action: string): boolean {
        const now = this.clock.now();
        const list = (this.recent.get(action) ?? []).filter((t) => now - t < 1000);
        const over = list.length >= this.limit;
        if (!over) list.push(now);
        this.recent.set(action, list);
        return over;
    }

    private authenticate(req: EmuRequest): EmuResponse | undefined {
        const v = verifyTc3(req, { secretOf: (id) => this.credentials[id], service: "redis", now: this.clock.now() });
        if (!v.ok) return this.error(v.code, v.message);
        const wantToken = this.tokens[v.secretId];
        if (wantToken !== undefined && req.headers["x-tc-token"] !== wantToken) {
            return this.error("AuthFailure.TokenFailure", "Token verification failed.");
        }
        return undefined;
    }

    // --- actions -------------------------------------------------------------------------------------------------

    private restore(body: Record<string, unknown>, region: string): EmuResponse {
        const instanceId = body.InstanceId;
        const backupId = body.BackupId;
        if (typeof instanceId !== "string" || !instanceId || typeof backupId !== "string" || !backupId)
            return this.error("InvalidParameter.InvalidParameter", "InstanceId and BackupId are required.");
        const inst = this.instances.get(instanceId);
        if (!inst || inst.Region !== region)
            return this.error(
                "ResourceNotFound.InstanceNotExists",
                `No Redis instance found by the specified serialId ${instanceId}.`,
            );
        const backup = this.backups.get(backupId);
        if (!backup || backup.InstanceId !== instanceId)
            return this.error("InvalidParameterValue.BackupNotExists", "The backup does not exist.");
        if (inst.Password !== undefined) {
            if (body.Password === undefined || body.Password === "")
                return this.error("InvalidParameterValue.PasswordEmpty", "The password is empty.");
            if (body.Password !== inst.Password)
                return this.error("InvalidParameterValue.PasswordError", "Wrong password.");
        }
        const status = this.instanceStatus(inst);
        if (this.busy(inst))
            return this.error("ResourceUnavailable.InstanceLockedError", "Redis has been locked by another process.");
        if (status !== 2)
            return this.error(
                "ResourceUnavailable.InstanceStatusAbnormal",
                "The Redis status is abnormal, and the corresponding process cannot be executed.",
            );
        const bs = this.backupStatus(backup);
        if (bs === 1)
            return this.error(
                "ResourceUnavailable.BackupLockedError",
                "The backup has been locked by another task, and the action cannot be performed temporarily.",
            );
        if (bs !== 2 && bs !== 4)
            return this.error(
                "ResourceUnavailable.BackupStatusAbnormal",
                "The backup status is abnormal. The backup may have expired or been deleted.",
            );
        const fail = this.failRestores > 0;
        if (fail) this.failRestores--;
        const task: Task = {
            TaskId: this.nextTaskId++,
            InstanceId: instanceId,
            BackupId: backupId,
            startedAt: this.clock.now(),
            fate: fail ? "failed" : "succeed",
            message: fail ? "restore failed: the backup file could not be loaded (injected failure)" : "",
        };
        this.tasks.set(task.TaskId, task);
        return this.ok({ TaskId: this.o.taskIdAs === "string" ? String(task.TaskId) : task.TaskId });
    }

    private describeTaskInfo(body: Record<string, unknown>): EmuResponse {
        const id = typeof body.TaskId === "string" ? Number(body.TaskId) : body.TaskId;
        const task = typeof id === "number" ? this.tasks.get(id) : undefined;
        if (!task)
            return this.error("InvalidParameter.InvalidParameter", `Task ${String(body.TaskId)} does not exist.`);
        const status = this.taskStatus(task);
        return this.ok({
            Status: status,
            StartTime: apiTime(task.startedAt),
            TaskType: RESTORE_TYPE,
            InstanceId: task.InstanceId,
            TaskMessage: status === "failed" ? task.message : "",
        });
    }

    private describeTaskList(body: Record<string, unknown>): EmuResponse {
        const limit = body.Limit === undefined ? 20 : Number(body.Limit);
        const offset = body.Offset === undefined ? 0 : Number(body.Offset);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100 || !Number.isInteger(offset) || offset < 0)
            return this.error("InvalidParameter.InvalidParameter", "Limit must be 1 to 100 and Offset at least 0.");
        const begin = body.BeginTime === undefined ? undefined : parseApiTime(body.BeginTime);
        if (body.BeginTime !== undefined && begin === undefined)
            return this.error("InvalidParameter.InvalidParameter", "BeginTime must be formatted YYYY-MM-DD HH:mm:ss.");
        const types = Array.isArray(body.TaskTypes) ? (body.TaskTypes as unknown[]).map(String) : undefined;
        let list = [...this.tasks.values()];
        if (typeof body.InstanceId === "string" && body.InstanceId)
            list = list.filter((t) => t.InstanceId === body.InstanceId);
        if (types && types.length > 0)
            list = list.filter(() => types.includes(RESTORE_TYPE) || types.includes(RESTORE_TYPE_CODE));
        // Task times have one-second precision, as the API's.
        if (begin !== undefined) list = list.filter((t) => Math.floor(t.startedAt / 1000) * 1000 >= begin);
        list.sort((a, b) => b.startedAt - a.startedAt || b.TaskId - a.TaskId);
        return this.ok({
            TotalCount: list.length,
            Tasks: list.slice(offset, offset + limit).map((t) => this.taskListView(t)),
        });
    }

    private describeInstances(body: Record<string, unknown>, region: string): EmuResponse {
        const limit = body.Limit === undefined ? 20 : Number(body.Limit);
        const offset = body.Offset === undefined ? 0 : Number(body.Offset);
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
            return this.error("InvalidParameter.InvalidParameter", "Limit must be 1 to 1000.");
        let list = [...this.instances.values()].filter((i) => this.settle(i) && i.Region === region);
        if (typeof body.InstanceId === "string" && body.InstanceId)
            list = list.filter((i) => i.InstanceId === body.InstanceId);
        // InstanceTags (InstanceTagInfo: TagKey, TagValue): an instance must carry every tag given (how the real API
        // combines several is not documented; the provider gives one and checks it again on the answer).
        if (Array.isArray(body.InstanceTags) && body.InstanceTags.length > 0) {
            const want = body.InstanceTags as { TagKey?: unknown; TagValue?: unknown }[];
            list = list.filter((i) =>
                want.every((w) => i.Tags.some((t) => t.TagKey === w.TagKey && t.TagValue === w.TagValue)),
            );
        }
        return this.ok({
            TotalCount: list.length,
            InstanceSet: list.slice(offset, offset + limit).map((i) => this.instanceView(i)),
        });
    }

    private describeBackups(body: Record<string, unknown>, region: string): EmuResponse {
        const limit = body.Limit === undefined ? 20 : Number(body.Limit);
        const offset = body.Offset === undefined ? 0 : Number(body.Offset);
        if (!Number.isInteger(limit) || limit < 1 || limit > 100)
            return this.error("InvalidParameter.InvalidParameter", "Limit must be 1 to 100.");
        // InstanceId is optional in the SDK's model: without it, the region's backups (an assumption of the emulator).
        const named = body.InstanceId !== undefined && body.InstanceId !== "";
        const inst = typeof body.InstanceId === "string" ? this.instances.get(body.InstanceId) : undefined;
        if (named && (!inst || inst.Region !== region))
            return this.error(
                "ResourceNotFound.InstanceNotExists",
                `No Redis instance found by the specified serialId ${String(body.InstanceId)}.`,
            );
        let list = [...this.backups.values()].filter((b) =>
            inst ? b.InstanceId === inst.InstanceId : this.instances.get(b.InstanceId)?.Region === region,
        );
        // Status filters on the backup's status; the SDK's model gives 2 (normal) as its default, so a request without
        // it lists no locked (1) backup. Values are matched as given (how the real API treats 3, 4 and -1 here is not
        // documented).
        const wanted = Array.isArray(body.Status) ? (body.Status as unknown[]).map(Number) : [2];
        list = list.filter((b) => wanted.includes(this.backupStatus(b)));
        return this.ok({
            TotalCount: list.length,
            BackupSet: list.slice(offset, offset + limit).map((b) => this.backupView(b)),
        });
    }

    // --- state ---------------------------------------------------------------------------------------------------

    private taskStatus(t: Task): "preparing" | "running" | "succeed" | "failed" {
        const age = this.clock.now() - t.startedAt;
        if (age < this.timings.prepareMs) return "preparing";
        if (age < this.timings.prepareMs + this.timings.runMs) return "running";
        return t.fate;
    }

    private activeTask(pred: (t: Task) => boolean): Task | undefined {
        return [...this.tasks.values()].find(
            (t) => pred(t) && (this.taskStatus(t) === "preparing" || this.taskStatus(t) === "running"),
        );
    }

    private busy(i: Instance): boolean {
        return (
            (i.lockedUntil !== undefined && this.clock.now() < i.lockedUntil) ||
            this.activeTask((t) => t.InstanceId === i.InstanceId) !== undefined
        );
    }

    private instanceStatus(i: Instance): number {
        const now = this.clock.now();
        if (i.readyAt !== undefined && now < i.readyAt)
            return now < i.createdAt + (i.readyAt - i.createdAt) / 4 ? 0 : 1;
        if (i.flowUntil !== undefined && now < i.flowUntil) return i.afterFlow === null ? -3 : 1;
        return this.busy(i) && i.Status === 2 ? 1 : i.Status;
    }

    /**
     * Applies the time-based transitions of an instance (set up done, destroy or clean-up flow over); false when the
     * instance no longer exists.
     */
    private settle(i: Instance): boolean {
        const now = this.clock.now();
        if (i.readyAt !== undefined && now >= i.readyAt) {
            i.readyAt = undefined;
            if (i.failsSetup) i.Status = -2;
            else if (this.serveTcp) this.listen(i.InstanceId);
        }
        if (i.flowUntil !== undefined && now >= i.flowUntil) {
            const after = i.afterFlow;
            i.flowUntil = undefined;
            i.afterFlow = undefined;
            if (after === null || after === undefined) {
                this.instances.delete(i.InstanceId);
                this.unlisten(i.InstanceId);
                return false;
            }
            i.Status = after;
            if (after < 0) this.unlisten(i.InstanceId);
        }
        return true;
    }

    private listen(id: string): void {
        if (this.listeners.has(id)) return;
        const server = net.createServer((s) => s.end());
        const entry: { server: net.Server; port?: number } = { server };
        server.listen(0, "127.0.0.1", () => (entry.port = (server.address() as net.AddressInfo).port));
        this.listeners.set(id, entry);
    }

    private unlisten(id: string): void {
        const l = this.listeners.get(id);
        if (!l) return;
        if (l.port === undefined) l.server.once("listening", () => l.server.close());
        else l.server.close();
        this.listeners.delete(id);
    }

    // --- clones and their release (CloneInstances, DestroyPostpaidInstance, CleanUpInstance) --------------------

    private clone(body: Record<string, unknown>, region: string): EmuResponse {
        const bad = (m: string) => this.error("InvalidParameter.InvalidParameter", m);
        for (const k of ["InstanceId", "BackupId"])
            if (typeof body[k] !== "string" || !body[k])
                return this.error("MissingParameter", `The request is missing a required parameter \`${k}\`.`);
        for (const k of ["GoodsNum", "ZoneId", "BillingMode", "Period"])
            if (typeof body[k] !== "number" || !Number.isInteger(body[k]))
                return this.error(
                    "MissingParameter",
                    `The request is missing a required parameter \`${k}\` (an Integer).`,
                );
        if (!Array.isArray(body.SecurityGroupIdList) || body.SecurityGroupIdList.length === 0)
            return this.error("MissingParameter", "The request is missing a required parameter `SecurityGroupIdList`.");
        const billing = body.BillingMode as number;
        if (billing !== 0 && billing !== 1) return bad("BillingMode must be 0 (postpaid) or 1 (prepaid).");
        const goods = body.GoodsNum as number;
        if (goods < 1 || goods > (billing === 1 ? 100 : 30)) return bad("GoodsNum is out of range.");
        const period = body.Period as number;
        if (billing === 0 ? period !== 1 : ![1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 24, 36, 48, 60].includes(period))
            return bad("Period is out of range.");
        if (
            body.InstanceName !== undefined &&
            (typeof body.InstanceName !== "string" || !/^[A-Za-z0-9\u4e00-\u9fa5_-]{1,59}$/.test(body.InstanceName))
        )
            return bad("InstanceName must be under 60 letters, digits, '-' or '_'.");
        if (body.VPort !== undefined && (typeof body.VPort !== "number" || body.VPort < 1024 || body.VPort > 65535))
            return bad("VPort must be within [1024, 65535].");
        const tags = body.ResourceTags === undefined ? [] : body.ResourceTags;
        if (
            !Array.isArray(tags) ||
            tags.some((t) => !t || typeof t.TagKey !== "string" || typeof t.TagValue !== "string")
        )
            return bad("ResourceTags must be a list of {TagKey, TagValue}.");
        const source = this.instances.get(body.InstanceId as string);
        if (!source || !this.settle(source) || source.Region !== region)
            return this.error(
                "ResourceNotFound.InstanceNotExists",
                `No Redis instance found by the specified serialId ${String(body.InstanceId)}.`,
            );
        const backup = this.backups.get(body.BackupId as string);
        if (!backup || backup.InstanceId !== source.InstanceId)
            return this.error("InvalidParameterValue.BackupNotExists", "The backup does not exist.");
        const bs = this.backupStatus(backup);
        if (bs === 1)
            return this.error(
                "ResourceUnavailable.BackupLockedError",
                "The backup has been locked by another task, and the action cannot be performed temporarily.",
            );
        if (bs !== 2 && bs !== 4)
            return this.error(
                "ResourceUnavailable.BackupStatusAbnormal",
                "The backup status is abnormal. The backup may have expired or been deleted.",
            );
        const noAuth = body.NoAuth === true;
        if (!noAuth && (typeof body.Password !== "string" || body.Password === ""))
            return this.error("InvalidParameterValue.PasswordEmpty", "The password is empty.");
        const now = this.clock.now();
        const ids: string[] = [];
        for (let n = 0; n < goods; n++) {
            const id = `crs-${this.randomId()}`;
            const fail = this.failClones > 0;
            if (fail) this.failClones--;
            this.instances.set(id, {
                InstanceId: id,
                InstanceName: typeof body.InstanceName === "string" ? body.InstanceName : id,
                Region: region,
                Status: 2,
                Password: noAuth ? undefined : (body.Password as string),
                createdAt: now,
                readyAt: now + this.timings.cloneMs,
                failsSetup: fail || undefined,
                ZoneId: body.ZoneId as number,
                BillingMode: billing,
                Tags: (tags as { TagKey: string; TagValue: string }[]).map((t) => ({
                    TagKey: t.TagKey,
                    TagValue: t.TagValue,
                })),
                Port: typeof body.VPort === "number" ? body.VPort : 6379,
                UniqVpcId: typeof body.VpcId === "string" ? body.VpcId : undefined,
                UniqSubnetId: typeof body.SubnetId === "string" ? body.SubnetId : undefined,
            });
            this.clonesMade++;
            ids.push(id);
        }
        return this.ok({ DealName: `2026${String(++this.seq).padStart(14, "0")}`, InstanceIds: ids });
    }

    private destroyPostpaid(body: Record<string, unknown>, region: string): EmuResponse {
        const inst = this.released(body, region);
        if ("status" in inst) return inst;
        // The real code for a prepaid instance is not documented in the SDK; this one is an assumption.
        if (inst.BillingMode !== 0)
            return this.error(
                "UnsupportedOperation",
                "DestroyPostpaidInstance only destroys pay-as-you-go instances; use DestroyPrepaidInstance.",
            );
        const status = this.instanceStatus(inst);
        if (status === 1 || status === 0 || this.busy(inst))
            return this.error("ResourceUnavailable.InstanceLockedError", "Redis has been locked by another process.");
        if (status !== 2)
            return this.error(
                "ResourceUnavailable.InstanceStatusAbnormal",
                "The Redis status is abnormal, and the corresponding process cannot be executed.",
            );
        inst.flowUntil = this.clock.now() + this.timings.destroyMs;
        inst.afterFlow = -2;
        return this.ok({ TaskId: this.nextTaskId++ });
    }

    private cleanUp(body: Record<string, unknown>, region: string): EmuResponse {
        const inst = this.released(body, region);
        if ("status" in inst) return inst;
        if (this.instanceStatus(inst) !== -2)
            return this.error(
                "ResourceUnavailable.InstanceStatusAbnormal",
                "Only an isolated instance (in the recycle bin) can be cleaned up.",
            );
        inst.Status = -3;
        inst.flowUntil = this.clock.now() + this.timings.cleanUpMs;
        inst.afterFlow = null;
        return this.ok({ TaskId: this.nextTaskId++ });
    }

    /** The instance a release call names, or the error answer. */
    private released(body: Record<string, unknown>, region: string): Instance | EmuResponse {
        if (typeof body.InstanceId !== "string" || !body.InstanceId)
            return this.error("MissingParameter", "The request is missing a required parameter `InstanceId`.");
        const inst = this.instances.get(body.InstanceId);
        if (!inst || !this.settle(inst) || inst.Region !== region)
            return this.error(
                "ResourceNotFound.InstanceNotExists",
                `No Redis instance found by the specified serialId ${body.InstanceId}.`,
            );
        return inst;
    }

    private backupStatus(b: Backup): number {
        if (
            (b.lockedUntil !== undefined && this.clock.now() < b.lockedUntil) ||
            this.activeTask((t) => t.BackupId === b.BackupId)
        )
            return 1;
        return b.Status;
    }

    private instanceView(i: Instance) {
        const l = this.listeners.get(i.InstanceId);
        return {
            InstanceId: i.InstanceId,
            InstanceName: i.InstanceName,
            Status: this.instanceStatus(i),
            Region: i.Region,
            NoAuth: i.Password === undefined,
            Createtime: apiTime(i.createdAt),
            ZoneId: i.ZoneId,
            BillingMode: i.BillingMode,
            WanIp: l?.port !== undefined ? "127.0.0.1" : "10.0.0.12",
            Port: l?.port ?? i.Port,
            UniqVpcId: i.UniqVpcId ?? "",
            UniqSubnetId: i.UniqSubnetId ?? "",
            InstanceTags: i.Tags.map((t) => ({ TagKey: t.TagKey, TagValue: t.TagValue })),
        };
    }

    private backupView(b: Backup) {
        const status = this.backupStatus(b);
        return {
            BackupId: b.BackupId,
            InstanceId: b.InstanceId,
            StartTime: b.StartTime,
            EndTime: b.EndTime,
            BackupType: b.BackupType,
            Status: status,
            Locked: status === 1 ? 1 : 0,
            Remark: b.Remark,
            ExpireTime: b.ExpireTime,
            BackupSize: 1024,
        };
    }

    private taskListView(t: Task) {
        const s = this.taskStatus(t);
        const result = s === "preparing" ? 0 : s === "running" ? 1 : s === "succeed" ? 2 : 4;
        const inst = this.instances.get(t.InstanceId);
        const end = t.startedAt + this.timings.prepareMs + this.timings.runMs;
        return {
            TaskId: t.TaskId,
            StartTime: apiTime(t.startedAt),
            TaskType: RESTORE_TYPE,
            InstanceName: inst?.InstanceName ?? "",
            InstanceId: t.InstanceId,
            ProjectId: 0,
            Progress: result >= 2 ? 100 : result === 1 ? 50 : 0,
            EndTime: result >= 2 ? apiTime(end) : "0000-00-00 00:00:00",
            Result: result,
        };
    }

    private randomId(): string {
        return randomUUID().replace(/-/g, "").slice(0, 8).toLowerCase();
    }

    private ok(data: Record<string, unknown>): EmuResponse {
        return { status: 200, body: { Response: { ...data, RequestId: randomUUID() } } };
    }

    private error(code: string, message: string): EmuResponse {
        return {
            status: 200,
            body: { Response: { Error: { Code: code, Message: message }, RequestId: randomUUID() } },
        };
    }
}
