import { randomUUID } from "crypto";
import { CloudError } from "../core/errors";
import { ApiCaller, HttpRequest, HttpResponse, parseJson } from "../core/http";
import { HwAuth } from "./credentials";
import { IamTokenSource } from "./iamToken";
import { canonicalQueryString, sdkDate, signHw } from "./signer";

const CLOUD = "huaweicloud koophone";

/** Most instance ids one BatchBackupInstances / BatchPrepareInstances call accepts. */
export const KOOPHONE_BATCH_SIZE = 100;
/** Page size used for ListInstances. */
export const KOOPHONE_PAGE_SIZE = 100;

/**
 * Actions whose reference page lists `x-request-id` among the query parameters (ListInstances) rather than the
 * headers: the id goes in both places, the same value, so either reading of the page is met.
 */
const REQUEST_ID_IN_QUERY = new Set(["ListInstances"]);

/** One instance as ListInstances returns it (the fields we use). Status fields: 0 preparing, 1 running, 2 success, 3 failed, 4 other. */
export interface KooPhoneInstance {
    instance_id: string;
    instance_name?: string;
    region?: string;
    running_status?: number | string;
    backup_status?: number | string;
    restore_status?: number | string;
    backup_time?: string | number;
    restore_time?: string | number;
}

/** One job of ExecuteJob: status 1 running, 2 success, -1 failed. */
export interface KooPhoneJob {
    job_id: string;
    instance_id?: string;
    status: number;
    error_code?: string;
    error_msg?: string;
}

/** What to do about each documented error code. */
export const KOOPHONE_HINTS: Record<string, string> = {
    "KOOPHONE.API.0000":
        "The tenant does not exist: the credentials belong to an account without KooPhone. Use the account (huaweicloud:domainName / access key) that owns the cloud phones.",
    "KOOPHONE.API.1000":
        "A request parameter was rejected: check instanceIds (each at most 32 characters, instances that exist and are in a state that allows the operation) and userId (at most 32 characters).",
    "KOOPHONE.API.1001":
        "Insufficient permission on the instances: grant the IAM user KooPhone permissions (e.g. KooPhone FullAccess) in the instances' project, or use the owning account's credentials.",
    "KOOPHONE.API.1002":
        "The instances are not all in the same region: declare one InstanceBackup per region and set huaweicloud:region accordingly.",
    "KOOPHONE.API.4001":
        "An instance does not exist: remove it from instanceIds (`pulumi refresh` drops instances that are gone from the stack).",
    "KOOPHONE.API.9999":
        "KooPhone had an internal error. Reads are retried automatically; run `pulumi up` again later: it looks at each instance first and continues where it stopped.",
    "APIGW.0301":
        "Authentication failed: check huaweicloud:accessKey / huaweicloud:secretKey (or HW_ACCESS_KEY / HW_SECRET_KEY), or the IAM user settings, and that this machine's clock is correct.",
    "APIGW.0308": "The API is throttling this account; calls are spread out and retried automatically.",
};

/**
 * The hint for an error code, whatever its case: the vendor writes both `KOOPHONE.API.1001` (error tables) and
 * `KooPhone.API.1001` (examples), and either may come back.
 */
export function koophoneHint(code: string): string | undefined {
    return KOOPHONE_HINTS[code.toUpperCase()];
}

function retryable(code: string, status: number): boolean {
    const c = code.toUpperCase();
    return status === 429 || status >= 500 || c === "APIGW.0308" || c === "KOOPHONE.API.9999";
}

/** What the client needs; auth is a function so that credentials are read at call time. */
export interface KooPhoneClientOptions {
    endpoint: string;
    auth: () => HwAuth;
    caller: ApiCaller;
    /** Token source for the password method (one per user; the cache behind it is process-wide). */
    tokens: (a: Extract<HwAuth, { kind: "token" }>) => IamTokenSource;
    /** Request id source, injectable for tests (default: a random UUID per request). */
    requestId?: () => string;
}

/** The KooPhone instance API: BatchBackupInstances, BatchPrepareInstances, ShowProgress, ListInstances, ExecuteJob. */
export class KooPhoneClient {
    private readonly host: string;

    constructor(private readonly o: KooPhoneClientOptions) {
        this.host = new URL(o.endpoint).host;
    }

    /** BatchBackupInstances (at most 100 ids). Not idempotent: the caller checks instance states after an uncertain outcome. */
    async batchBackup(instanceIds: string[]): Promise<{ taskId?: string; jobs: Record<string, string> }> {
        if (instanceIds.length === 0 || instanceIds.length > KOOPHONE_BATCH_SIZE)
            throw new Error(`batchBackup: 1 to ${KOOPHONE_BATCH_SIZE} ids, got ${instanceIds.length}`);
        const data =
            (await this.call<{ task_id?: string; cmd_jobs?: { instance_id?: string; job_id?: string }[] }>(
                "BatchBackupInstances",
                "POST",
                "/v1/instances/backup",
                {},
                { instance_ids: instanceIds },
                false,
            )) ?? {};
        const jobs: Record<string, string> = {};
        for (const j of data.cmd_jobs ?? []) if (j.instance_id && j.job_id) jobs[j.instance_id] = j.job_id;
        return { taskId: data.task_id, jobs };
    }

    /** BatchPrepareInstances (the restore; at most 100 ids). Returns the per-instance status list. */
    async batchPrepare(userId: string, instanceIds: string[]): Promise<{ instance_id: string; status: number }[]> {
        if (instanceIds.length === 0 || instanceIds.length > KOOPHONE_BATCH_SIZE)
            throw new Error(`batchPrepare: 1 to ${KOOPHONE_BATCH_SIZE} ids, got ${instanceIds.length}`);
        const data = await this.call<{ status_list?: { instance_id: string; status: number }[] }>(
            "BatchPrepareInstances",
            "POST",
            "/v1/instances/prepare",
            {},
            { user_id: userId, instance_ids: instanceIds },
            false,
        );
        return (data?.status_list ?? []).map((s) => ({ instance_id: String(s.instance_id), status: Number(s.status) }));
    }

    /** ShowProgress: 0 normal (done), 1 queued, 2 restoring, -1 failed, 3 backing up. */
    async showProgress(userId: string, instanceId: string): Promise<{ status: number; waitingCount?: number }> {
        const data = await this.call<{ status?: number | string; waitingCount?: number }>(
            "ShowProgress",
            "POST",
            "/v1/instances/prepare-progress",
            {},
            { user_id: userId, instance_id: instanceId },
            true,
        );
        if (!data || data.status === undefined)
            throw new CloudError({
                cloud: CLOUD,
                action: "ShowProgress",
                code: "MalformedResponse",
                message: "the answer has no data.status",
                retryable: true,
            });
        return { status: Number(data.status), waitingCount: data.waitingCount };
    }

    /** One page of ListInstances; `total` is the reference's `data.total_count`. */
    async listInstances(
        pageNo: number,
        pageSize = KOOPHONE_PAGE_SIZE,
        instanceId?: string,
    ): Promise<{ result: KooPhoneInstance[]; total?: number }> {
        const q: Record<string, string> = { page_no: String(pageNo), page_size: String(pageSize) };
        if (instanceId) q.instance_id = instanceId;
        const data = await this.call<{ result?: KooPhoneInstance[]; total_count?: number | string }>(
            "ListInstances",
            "GET",
            "/v1/instances/batch-query",
            q,
            undefined,
            true,
        );
        const result = data?.result ?? [];
        if (!Array.isArray(result))
            throw new CloudError({
                cloud: CLOUD,
                action: "ListInstances",
                code: "MalformedResponse",
                message: "data.result is not a list",
                retryable: true,
            });
        const total =
            data?.total_count === undefined || data.total_count === null ? undefined : Number(data.total_count);
        return { result, total: Number.isFinite(total) ? total : undefined };
    }

    /** The instances with the given ids, by id (absent ones are missing). One query per id for a few, else every page. */
    async instances(ids: string[]): Promise<Map<string, KooPhoneInstance>> {
        const wanted = new Set(ids);
        const out = new Map<string, KooPhoneInstance>();
        if (ids.length <= 5) {
            for (const id of ids) {
                const r = await this.listInstances(1, 10, id);
                const hit = r.result.find((i) => i.instance_id === id);
                if (hit) out.set(id, hit);
            }
            return out;
        }
        for (let page = 1; page <= 10_000; page++) {
            const r = await this.listInstances(page);
            for (const i of r.result) if (wanted.has(i.instance_id)) out.set(i.instance_id, i);
            if (
                r.result.length < KOOPHONE_PAGE_SIZE ||
                (r.total !== undefined && page * KOOPHONE_PAGE_SIZE >= r.total) ||
                out.size === wanted.size
            )
                break;
        }
        return out;
    }

    /**
     * ExecuteJob: the jobs of a task, with each job's error (reference: `data.jobs[{job_id, status, error_code,
     * error_msg}]`, no instance id: match jobs by the job ids BatchBackupInstances returned). Used to explain failed
     * backups. A top-level `jobs` is read too (apis/huaweicloud-koophone.md did not place it).
     */
    async executeJob(taskId: string): Promise<KooPhoneJob[]> {
        const data = await this.call<{ jobs?: KooPhoneJob[] }>(
            "ExecuteJob",
            "GET",
            `/v1/instances/tasks/${encodeURIComponent(taskId)}`,
            {},
            undefined,
            true,
            true,
        );
        return data?.jobs ?? [];
    }

    private async call<T>(
        action: string,
        method: "GET" | "POST",
        path: string,
        query: Record<string, string>,
        body: unknown,
        idempotent: boolean,
        topLevel = false,
    ): Promise<T | undefined> {
        const auth = this.o.auth();
        const text = body === undefined ? "" : JSON.stringify(body);
        if (auth.kind === "aksk") {
            return this.o.caller.call<T | undefined>({
                cloud: CLOUD,
                action,
                idempotent,
                build: () => this.build(action, auth, undefined, method, path, query, text),
                parse: (r) => this.parse<T>(action, r, topLevel),
            });
        }
        const tokens = this.o.tokens(auth);
        // A 401 means the call was refused at the gateway (nothing was done): renew the token and repeat once.
        for (let attempt = 0; ; attempt++) {
            const token = await tokens.get();
            try {
                return await this.o.caller.call<T | undefined>({
                    cloud: CLOUD,
                    action,
                    idempotent,
                    build: () => this.build(action, auth, token, method, path, query, text),
                    parse: (r) => this.parse<T>(action, r, topLevel),
                });
            } catch (e) {
                if (attempt === 0 && e instanceof CloudError && e.httpStatus === 401) {
                    tokens.invalidate(token);
                    continue;
                }
                throw e;
            }
        }
    }

    private build(
        action: string,
        auth: HwAuth,
        token: string | undefined,
        method: "GET" | "POST",
        path: string,
        baseQuery: Record<string, string>,
        text: string,
    ): HttpRequest {
        const requestId = (this.o.requestId ?? randomUUID)();
        const query = REQUEST_ID_IN_QUERY.has(action) ? { ...baseQuery, "x-request-id": requestId } : baseQuery;
        // The query goes out exactly as it is signed (RFC 3986), not form-encoded (a space as `+`, `~` escaped).
        const qs = Object.keys(query).length > 0 ? `?${canonicalQueryString(query)}` : "";
        const headers: Record<string, string> = {
            "Content-Type": "application/json;charset=UTF-8",
            "X-Request-Id": requestId,
        };
        if (auth.kind === "token") {
            headers["X-Auth-Token"] = token as string;
        } else {
            headers["X-Sdk-Date"] = sdkDate(this.o.caller.clock.now());
            if (auth.securityToken) headers["X-Security-Token"] = auth.securityToken;
            const s = signHw({
                method,
                path,
                query,
                headers: { ...headers, host: this.host },
                body: text,
                accessKey: auth.accessKey,
                secretKey: auth.secretKey,
            });
            headers.Authorization = s.authorization;
        }
        return { method, url: `${this.o.endpoint}${path}${qs}`, headers, body: method === "GET" ? undefined : text };
    }

    private parse<T>(action: string, res: HttpResponse, topLevel: boolean): T | undefined {
        const json = parseJson(res.body) as Record<string, unknown>;
        if (!json || typeof json !== "object") throw new Error("not a JSON object");
        const requestId = res.headers["x-request-id"] ?? (json.request_id as string | undefined);
        const code = json.error_code === undefined || json.error_code === null ? undefined : String(json.error_code);
        const failed = res.status >= 400 || (code !== undefined && code !== "0" && code !== "OK");
        if (failed) {
            const c = code ?? `HTTP${res.status}`;
            throw new CloudError({
                cloud: CLOUD,
                action,
                httpStatus: res.status,
                code: c,
                message: String(json.error_msg ?? "no message"),
                requestId,
                retryable: retryable(c, res.status),
                throttled: c.toUpperCase() === "APIGW.0308" || res.status === 429,
                // An internal error may come after the service acted (even inside a 200): its outcome is unknown.
                uncertain: res.status >= 500 || c.toUpperCase() === "KOOPHONE.API.9999" || undefined,
                hint: koophoneHint(c) ?? (res.status === 401 ? KOOPHONE_HINTS["APIGW.0301"] : undefined),
            });
        }
        return (topLevel && json.data === undefined ? json : json.data) as T | undefined;
    }
}
