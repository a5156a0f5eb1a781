import { randomBytes } from "crypto";
import { Clock, systemClock } from "../core/clock";
import { CloudService, EmuRequest, EmuResponse } from "../core/types";
import { ACS3_SKEW_MS, verifyAcs3 } from "./verify";

/** Timings of the StarRocks state machine, in the emulator clock's ms. */
export interface StarRocksTimings {
    /** From RestoreInstance to `running`. */
    restoreMs: number;
    /** From ReleaseInstance (status `deleting`) to gone. */
    releaseMs: number;
}

interface Instance {
    InstanceId: string;
    InstanceName: string;
    PayType: string;
    RegionId: string;
    VpcId?: string;
    VSwitches: { Primary: boolean; VswId: string; ZoneId: string }[];
    /**
     * As DescribeInstances answers them: `Key`/`Value` (the vendor SDK's DescribeInstancesResponseBodyDataTags), while
     * RestoreInstance takes lower-case `key`/`value` (RestoreInstanceRequestTags).
     */
    Tags: { Key: string; Value: string }[];
    ResourceGroupId?: string;
    BeginTime: number;
    ExpireTime?: number;
    /** Where the state machine is going. */
    fate: "running" | "creating_failed";
    readyAt: number;
    releasedAt?: number;
    backupTaskId?: string;
}

interface Backup {
    BackupTaskId: string;
    InstanceId: string;
    RegionId: string;
    Status: string;
    BackupType: string;
    BackupStartTime: number;
    BackupFinishedTime: number;
    Size: number;
}

const ROUTES: Record<string, string> = {
    "/webapi/restore/restoreInstance": "RestoreInstance",
    "/webapi/starrocks/describeInstances": "DescribeInstances",
    "/webapi/cluster/release": "ReleaseInstance",
    "/webapi/backup/manage/describe": "DescribeBackups",
};

const SKEW_MS = ACS3_SKEW_MS;

/** Options of the StarRocks emulator. */
export interface StarRocksEmulatorOptions {
    clock?: Clock;
    timings?: Partial<StarRocksTimings>;
    /** Access key id → secret. */
    credentials?: Record<string, string>;
    /**
     * Access key ids of temporary (STS) credentials → the token they must send in `x-acs-security-token` and when it
     * expires (emulator clock ms). Mutable: tests let a token expire at a chosen moment.
     */
    securityTokens?: Record<string, { token: string; expiresAt: number }>;
    /**
     * Requests per second allowed per action before `Throttling.User` (with `x-acs-retry-after`). Default: no limit,
     * since none is published for this API; the benchmark sets 20/s to measure behaviour under flow control.
     */
    rateLimitPerSecond?: number;
}

/**
 * EMR Serverless StarRocks as the emulator serves it: ACS3 verification exactly as documented, the four actions,
 * instances that move `restarting` → `running` after `restoreMs`, release, tags, and seedable backups.
 */
export class StarRocksService implements CloudService {
    readonly name = "alicloud";
    readonly instances = new Map<string, Instance>();
    readonly backups = new Map<string, Backup>();
    readonly timings: StarRocksTimings;
    private readonly clock: Clock;
    private readonly credentials: Record<string, string>;
    private readonly securityTokens: Record<string, { token: string; expiresAt: number }>;
    private readonly nonces = new Map<string, number>();
    private failRestores = 0;
    /** Requests answered Throttling.User by the emulator's own limiter (not injected faults). */
    throttledCount = 0;
    private readonly limit?: number;
    private readonly recent = new Map<string, number[]>();

    constructor(o: StarRocksEmulatorOptions = {}) {
        this.clock = o.clock ?? systemClock;
        this.limit = o.rateLimitPerSecond;
        this.timings = { restoreMs: 3000, releaseMs: 1000, ...o.timings };
        this.credentials = o.credentials ?? { "emulator-access-key": "emulator-secret-key" };
        this.securityTokens = o.securityTokens ?? {};
    }

    /** The service clock: a "late" fault falls due by it. */
    now(): number {
        return this.clock.now();
    }

    actionOf(req: EmuRequest): string {
        return ROUTES[req.path] ?? req.headers["x-acs-action"] ?? "Unknown";
    }

    throttled(_req: EmuRequest): EmuResponse {
        return {
            status: 400,
            headers: { "x-acs-retry-after": "200" },
            body: this.gatewayError("Throttling.User", "Request was denied due to user flow control."),
        };
    }

    serverError(_req: EmuRequest, status: number, detail?: string): EmuResponse {
        const d = detail ? ` ${detail}` : "";
        return status === 503
            ? {
                  status,
                  body: this.gatewayError(
                      "ServiceUnavailable",
                      `The request has failed due to a temporary failure of the server.${d}`,
                  ),
              }
            : {
                  status,
                  body: this.gatewayError(
                      "InternalError",
                      `The request processing has failed due to some unknown error.${d}`,
                  ),
              };
    }

    badRequest(_req: EmuRequest, detail: string): EmuResponse {
        return {
            status: 400,
            body: this.gatewayError("InvalidParameter", `The specified parameter is not valid: ${detail}`),
        };
    }

    failNext(action: string): void {
        if (action === "RestoreInstance") this.failRestores++;
    }

    seed(kind: string, data: Record<string, unknown>): unknown {
        const now = this.clock.now();
        if (kind === "backup") {
            const b: Backup = {
                BackupTaskId: String(data.BackupTaskId ?? `bk-${randomBytes(6).toString("hex")}`),
                InstanceId: String(data.InstanceId ?? "c-source0000000001"),
                RegionId: String(data.RegionId ?? "cn-hangzhou"),
                Status: String(data.Status ?? "COMPLETED"),
                // The vendor SDK's values: "0" quick backup, "1" consistent backup.
                BackupType: String(data.BackupType ?? "0"),
                // Times: given (ms), or `ageMs` before now (the finish; the start 10 minutes earlier), else 50 minutes ago.
                BackupStartTime: Number(data.BackupStartTime ?? now - Number(data.ageMs ?? 3_000_000) - 600_000),
                BackupFinishedTime: Number(data.BackupFinishedTime ?? now - Number(data.ageMs ?? 3_000_000)),
                Size: 1024,
            };
            this.backups.set(b.BackupTaskId, b);
            return b;
        }
        if (kind === "instance") {
            // Optionally the instance exactly as another emulator run held it (its id, VSwitches, tags, resource group,
            // start time, the backup it came from): what a state fixture says exists (tests/fixtures/state).
            const inst = this.newInstance(
                {
                    RegionId: String(data.RegionId ?? "cn-hangzhou"),
                    PayType: String(data.PayType ?? "postPaid"),
                    InstanceName: String(data.InstanceName ?? "seeded"),
                    VpcId: data.VpcId as string | undefined,
                    ResourceGroupId: data.ResourceGroupId as string | undefined,
                },
                (data.VSwitches as Instance["VSwitches"] | undefined) ?? [],
                (data.Tags as Instance["Tags"] | undefined) ?? [],
            );
            if (typeof data.InstanceId === "string") {
                this.instances.delete(inst.InstanceId);
                inst.InstanceId = data.InstanceId;
                this.instances.set(inst.InstanceId, inst);
            }
            if (typeof data.BeginTime === "number") inst.BeginTime = data.BeginTime;
            if (typeof data.BackupTaskId === "string") inst.backupTaskId = data.BackupTaskId;
            inst.readyAt = now;
            return this.view(inst);
        }
        throw new Error(`unknown seed kind ${kind}: use "backup" or "instance"`);
    }

    snapshot(): Record<string, unknown> {
        return {
            instances: [...this.instances.values()].map((i) => this.view(i)),
            backups: [...this.backups.values()],
        };
    }

    /** Instances that exist (not released), for tests. */
    live(): { InstanceId: string; InstanceStatus: string; Tags: { Key: string; Value: string }[] }[] {
        return [...this.instances.values()].map((i) => this.view(i)).filter((v) => v.InstanceStatus !== "deleted");
    }

    /** Releases an instance behind the provider's back (out-of-band deletion). */
    releaseOutOfBand(id: string): void {
        const i = this.instances.get(id);
        if (i) i.releasedAt = this.clock.now() - this.timings.releaseMs;
    }

    async handle(req: EmuRequest): Promise<EmuResponse> {
        const action = ROUTES[req.path];
        if (!action)
            return {
                status: 404,
                body: this.gatewayError(
                    "InvalidAction.NotFound",
                    `Specified api is not found, please check your url and method.`,
                ),
            };
        if (this.overLimit(action)) {
            this.throttledCount++;
            return this.throttled(req);
        }
        const auth = this.authenticate(req, action);
        if (auth) return auth;
        switch (action) {
            case "RestoreInstance":
                return this.restore(req);
            case "DescribeInstances":
                return this.describeInstances(req);
            case "ReleaseInstance":
                return this.release(req);
            default:
                return this.describeBackups(req);
        }
    }

    /** A sliding one-second window per action, when a limit is set. */
    private overLimit(action: string): boolean {
        if (this.limit === undefined) return false;
        const now = this.clock.now();
        const list = (this.recent.get(action) ?? []).filter((t) => now - t < 1000);
        const over = list.length >= this.limit;
        if (!over) list.push(now);
        this.recent.set(action, list);
        return over;
    }

    // --- authentication -----------------------------------------------------------------------------------------

    private authenticate(req: EmuRequest, action: string): EmuResponse | undefined {
        const h = req.headers;
        const fail = (code: string, message: string, status = 400): EmuResponse => ({
            status,
            body: this.gatewayError(code, message),
        });
        const auth = verifyAcs3(req, { secretOf: (id) => this.credentials[id], now: this.clock.now() });
        if (!auth.ok) return fail(auth.code, auth.message, auth.status);
        if (h["x-acs-action"] !== action)
            return fail("InvalidAction.NotFound", `The action ${h["x-acs-action"]} does not match the path.`, 404);
        if (h["x-acs-version"] !== "2022-10-19")
            return fail("InvalidVersion", `Specified parameter Version is not valid: ${h["x-acs-version"]}.`);
        const sts = this.securityTokens[auth.accessKeyId];
        if (sts) {
            if (h["x-acs-security-token"] !== sts.token)
                return fail(
                    "InvalidSecurityToken.MismatchWithAccessKey",
                    "Specified SecurityToken mismatch with the AccessKey.",
                );
            if (this.clock.now() >= sts.expiresAt)
                return fail("InvalidSecurityToken.Expired", "Specified SecurityToken is expired.");
        }
        const now = this.clock.now();
        for (const [n, t] of this.nonces) if (now - t > SKEW_MS) this.nonces.delete(n);
        if (this.nonces.has(h["x-acs-signature-nonce"]))
            return fail("SignatureNonceUsed", "Specified signature nonce was used already.");
        this.nonces.set(h["x-acs-signature-nonce"], now);
        return undefined;
    }

    // --- actions -------------------------------------------------------------------------------------------------

    private restore(req: EmuRequest): EmuResponse {
        let body: Record<string, unknown>;
        try {
            body = JSON.parse(req.body || "{}") as Record<string, unknown>;
        } catch {
            return this.apiError("InvalidParams", "Invalid params: [request body is not JSON].");
        }
        const backupId = body.BackupTaskId;
        if (typeof backupId !== "string" || !backupId)
            return this.apiError("InvalidParams", "Invalid params: [BackupTaskId is required].");
        const backup = this.backups.get(backupId);
        if (!backup) return this.apiError("InvalidParams", "Invalid params: [backup not exists].");
        if (backup.Status !== "COMPLETED")
            return this.apiError("InvalidParams", `Invalid params: [backup status is ${backup.Status}].`);
        const payType = (body.PayType as string | undefined) ?? "postPaid";
        if (payType !== "prePaid" && payType !== "postPaid")
            return this.apiError("InvalidParams", "Invalid params: [PayType].");
        if (payType === "prePaid") {
            if (body.PricingCycle !== "Month" && body.PricingCycle !== "Year")
                return this.apiError("InvalidParams", "Invalid params: [PricingCycle].");
            if (!Number.isInteger(body.Duration) || (body.Duration as number) < 1)
                return this.apiError("InvalidParams", "Invalid params: [Duration].");
        }
        const region = (body.RegionId as string | undefined) ?? backup.RegionId;
        if (region !== backup.RegionId)
            return this.apiError("InvalidParams", `Invalid params: [backup not exists in region ${region}].`);
        const vsw = (body.VSwitches as { VswId?: string; ZoneId?: string }[] | undefined) ?? [];
        if ((body.VpcId && vsw.length === 0) || vsw.some((v) => !v.VswId || !v.ZoneId))
            return this.apiError("InvalidParams", "Invalid params: [VSwitches].");
        // RestoreInstance's tags are lower-case key/value (the SDK's RestoreInstanceRequestTags); stored, and answered by
        // DescribeInstances, as Key/Value.
        const tags = ((body.Tags as { key?: string; value?: string }[] | null | undefined) ?? [])
            .filter((t) => t && typeof t.key === "string")
            .map((t) => ({ Key: String(t.key), Value: String(t.value ?? "") }));
        const inst = this.newInstance(
            {
                RegionId: region,
                PayType: payType,
                InstanceName: (body.InstanceName as string | undefined) ?? `restore-${backupId}`,
                VpcId: body.VpcId as string | undefined,
                ResourceGroupId: body.ResourceGroupId as string | undefined,
            },
            vsw.map((v, i) => ({ Primary: i === 0, VswId: String(v.VswId), ZoneId: String(v.ZoneId) })),
            tags,
        );
        inst.backupTaskId = backupId;
        if (this.failRestores > 0) {
            this.failRestores--;
            inst.fate = "creating_failed";
        }
        return this.ok({ InstanceId: inst.InstanceId, OrderId: Math.floor(Math.random() * 1e14) });
    }

    private describeInstances(req: EmuRequest): EmuResponse {
        const q = req.query;
        let list = [...this.instances.values()].map((i) => this.view(i)).filter((v) => v.InstanceStatus !== "deleted");
        if (q.InstanceId) list = list.filter((i) => i.InstanceId === q.InstanceId);
        if (q.InstanceName) list = list.filter((i) => i.InstanceName.includes(q.InstanceName));
        if (q.RegionId) list = list.filter((i) => i.RegionId === q.RegionId);
        if (q.InstanceStatus) list = list.filter((i) => q.InstanceStatus.split(",").includes(i.InstanceStatus));
        if (q.Tag) {
            // The filter is a JSON string of [{Key, Value}] (the SDK's DescribeInstancesRequestTag, shrunk to JSON). An
            // entry without `Key` (e.g. lower-case key/value) names no tag, so it matches nothing (assumption: the
            // service does not fold case; a client sending key/value must not get the instance it looks for).
            let wanted: { Key?: string; Value?: string }[];
            try {
                wanted = JSON.parse(q.Tag) as { Key?: string; Value?: string }[];
                if (!Array.isArray(wanted)) throw new Error("not a list");
            } catch {
                return this.apiError("InvalidParams", "Invalid params: [Tag is not a JSON list].");
            }
            list = list.filter((i) =>
                wanted.every(
                    (w) =>
                        typeof w?.Key === "string" &&
                        i.Tags.some((t) => t.Key === w.Key && (w.Value === undefined || t.Value === w.Value)),
                ),
            );
        }
        const size = Math.min(100, Number(q.PageSize ?? 10) || 10);
        const page = Math.max(1, Number(q.PageNumber ?? 1) || 1);
        // The envelope of the SDK's DescribeXxxResponseBody: Data and Total (no PageNumber/PageSize in the answer).
        return this.ok(list.slice((page - 1) * size, page * size), { Total: list.length });
    }

    private release(req: EmuRequest): EmuResponse {
        const id = req.query.InstanceId;
        if (!id) return this.apiError("InvalidParams", "Invalid params: [InstanceId is required].");
        const inst = this.instances.get(id);
        if (!inst || this.status(inst) === "deleted")
            return this.apiError("InvalidParams", "Invalid params: [instance not exists].");
        if (inst.PayType === "prePaid")
            return this.apiError(
                "InvalidParams",
                "Invalid params: [prePaid instance can not be released, please unsubscribe it].",
            );
        if (inst.releasedAt === undefined) inst.releasedAt = this.clock.now();
        return this.ok(true);
    }

    private describeBackups(req: EmuRequest): EmuResponse {
        const q = req.query;
        let list = [...this.backups.values()];
        if (q.BackupTaskId) list = list.filter((b) => b.BackupTaskId === q.BackupTaskId);
        if (q.InstanceId) list = list.filter((b) => b.InstanceId === q.InstanceId);
        if (q.RegionId) list = list.filter((b) => b.RegionId === q.RegionId);
        // Newest first, a page at a time (PageNumber from 1, PageSize up to 100), as the console lists them.
        list.sort((a, b) => b.BackupStartTime - a.BackupStartTime);
        const size = Math.min(Math.max(Number(q.PageSize ?? 10) || 10, 1), 100);
        const page = Math.max(Number(q.PageNumber ?? 1) || 1, 1);
        // The envelope of the SDK's DescribeXxxResponseBody: Data and Total (no PageNumber/PageSize in the answer).
        return this.ok(list.slice((page - 1) * size, page * size), { Total: list.length });
    }

    // --- state ---------------------------------------------------------------------------------------------------

    private newInstance(
        p: { RegionId: string; PayType: string; InstanceName: string; VpcId?: string; ResourceGroupId?: string },
        vsw: Instance["VSwitches"],
        tags: Instance["Tags"] = [],
    ): Instance {
        const now = this.clock.now();
        const inst: Instance = {
            InstanceId: `c-${randomBytes(8).toString("hex")}`,
            InstanceName: p.InstanceName,
            PayType: p.PayType,
            RegionId: p.RegionId,
            VpcId: p.VpcId,
            VSwitches: vsw,
            Tags: tags,
            ResourceGroupId: p.ResourceGroupId,
            BeginTime: now,
            fate: "running",
            readyAt: now + this.timings.restoreMs,
        };
        this.instances.set(inst.InstanceId, inst);
        return inst;
    }

    private status(i: Instance): string {
        const now = this.clock.now();
        if (i.releasedAt !== undefined) return now >= i.releasedAt + this.timings.releaseMs ? "deleted" : "deleting";
        if (now < i.readyAt) return "restarting";
        return i.fate;
    }

    private view(i: Instance) {
        return {
            InstanceId: i.InstanceId,
            InstanceName: i.InstanceName,
            InstanceStatus: this.status(i),
            PayType: i.PayType,
            RegionId: i.RegionId,
            VpcId: i.VpcId,
            VSwitches: i.VSwitches,
            Tags: i.Tags,
            ResourceGroupId: i.ResourceGroupId,
            Version: "3.2",
            RunMode: "shared_data",
            BeginTime: i.BeginTime,
            ExpireTime: i.ExpireTime,
        };
    }

    private requestId(): string {
        return randomBytes(16)
            .toString("hex")
            .toUpperCase()
            .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");
    }

    private ok(data: unknown, extra: Record<string, unknown> = {}): EmuResponse {
        return {
            status: 200,
            headers: {},
            body: { HttpStatusCode: 200, RequestId: this.requestId(), Success: true, Data: data, ...extra },
        };
    }

    private apiError(code: string, message: string): EmuResponse {
        return {
            status: 400,
            body: {
                HttpStatusCode: 400,
                RequestId: this.requestId(),
                Success: false,
                ErrCode: code,
                ErrMessage: message,
            },
        };
    }

    private gatewayError(code: string, message: string): Record<string, unknown> {
        return {
            RequestId: this.requestId(),
            HostId: "starrocks.emulator",
            Code: code,
            Message: message,
            Recommend: "https://api.aliyun.com/troubleshoot",
        };
    }
}
