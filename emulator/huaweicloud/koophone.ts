import { createHash, randomBytes, randomUUID } from "crypto";
import { Clock, systemClock } from "../core/clock";
import { CloudService, EmuRequest, EmuResponse } from "../core/types";
import { verifyHw } from "./verify";

/** Timings of the KooPhone state machine and of IAM tokens, in the emulator clock's ms. */
export interface KooPhoneTimings {
    /** From BatchBackupInstances to backed up. */
    backupMs: number;
    /** From BatchPrepareInstances to running (the first 30 % reported as queued). */
    restoreMs: number;
    /** Lifetime of an IAM token (24 h on Huawei Cloud). */
    tokenTtlMs: number;
}

/** An IAM user the emulator accepts for the password method. */
export interface EmuUser {
    domain: string;
    name: string;
    password: string;
}

type Phase = "running" | "backingUp" | "backedUp" | "restoring";

interface Instance {
    id: string;
    name: string;
    region: string;
    /** Domain (account) that owns it. */
    owner: string;
    phase: Phase;
    endsAt: number;
    /** Where the current operation ends: false makes it fail. */
    succeeds: boolean;
    backupStatus?: number;
    restoreStatus?: number;
    backupTime?: number;
    restoreTime?: number;
    /** How many BatchBackupInstances calls accepted this instance (the no-duplicates tests read it). */
    backups: number;
    restores: number;
    taskId?: string;
    jobId?: string;
    errorCode?: string;
    errorMsg?: string;
    restoreStartedAt?: number;
    /**
     * A restore requested while the backup was still running: the vendor reports the instance as backing up
     * (BatchPrepareInstances status 3, ShowProgress 3) and the restore starts once the backup has ended. The value
     * says whether that restore will succeed.
     */
    queuedRestore?: { succeeds: boolean };
}

/** Actions whose reference page lists x-request-id as mandatory. */
const REQUEST_ID_REQUIRED = new Set(["BatchBackupInstances", "ListInstances", "ExecuteJob"]);

const ROUTES: [string, RegExp, string][] = [
    ["POST", /^\/v3\/auth\/tokens$/, "KeystoneCreateUserTokenByPassword"],
    ["POST", /^\/v1\/instances\/backup$/, "BatchBackupInstances"],
    ["POST", /^\/v1\/instances\/prepare$/, "BatchPrepareInstances"],
    ["POST", /^\/v1\/instances\/prepare-progress$/, "ShowProgress"],
    ["GET", /^\/v1\/instances\/batch-query$/, "ListInstances"],
    ["GET", /^\/v1\/instances\/tasks\/[^/]+$/, "ExecuteJob"],
];

/** Options of the KooPhone emulator. */
export interface KooPhoneEmulatorOptions {
    clock?: Clock;
    timings?: Partial<KooPhoneTimings>;
    /** IAM users (password method). */
    users?: EmuUser[];
    /** Access key → { secret, domain } (AK/SK signing). */
    accessKeys?: Record<string, { secretKey: string; domain: string }>;
    /** Domains that have no KooPhone tenant (their calls answer KOOPHONE.API.0000). */
    tenantless?: string[];
}

/** Credentials the emulator accepts by default. They open nothing anywhere else. */
export const KOOPHONE_EMULATOR_CREDENTIALS = {
    user: { domain: "emulator-domain", name: "emulator-user", password: "emulator-password" },
    accessKey: "EMULATORACCESSKEY0001",
    secretKey: "emulator-secret-key-koophone",
};

/**
 * Huawei Cloud KooPhone as the emulator serves it, with the IAM token endpoint under `/v3/auth/tokens`: tokens with an
 * expiry, SDK-HMAC-SHA256 verification, the five KooPhone calls, per-instance state (running → backing up → backed up
 * → restoring → running) on the configured timings, the documented error codes, and failures on request.
 */
export class KooPhoneService implements CloudService {
    readonly name = "huaweicloud";
    readonly instances = new Map<string, Instance>();
    readonly timings: KooPhoneTimings;
    /** Token → who and until when. */
    private readonly tokens = new Map<string, { domain: string; expiresAt: number }>();
    private readonly clock: Clock;
    private readonly users: EmuUser[];
    private readonly accessKeys: Record<string, { secretKey: string; domain: string }>;
    private readonly tenantless: Set<string>;
    private failBackups = 0;
    private failRestores = 0;
    /** Tokens issued so far (tests count renewals). */
    tokensIssued = 0;

    constructor(o: KooPhoneEmulatorOptions = {}) {
        this.clock = o.clock ?? systemClock;
        this.timings = { backupMs: 2000, restoreMs: 2000, tokenTtlMs: 24 * 3_600_000, ...o.timings };
        const c = KOOPHONE_EMULATOR_CREDENTIALS;
        this.users = o.users ?? [c.user];
        this.accessKeys = o.accessKeys ?? { [c.accessKey]: { secretKey: c.secretKey, domain: c.user.domain } };
        this.tenantless = new Set(o.tenantless ?? []);
    }

    /** The service clock: a "late" fault falls due by it. */
    now(): number {
        return this.clock.now();
    }

    actionOf(req: EmuRequest): string {
        return ROUTES.find(([m, re]) => m === req.method && re.test(req.path))?.[2] ?? "Unknown";
    }

    throttled(req: EmuRequest): EmuResponse {
        return {
            status: 429,
            headers: this.idHeader(req),
            body: {
                error_code: "APIGW.0308",
                error_msg:
                    "The throttling threshold has been reached: policy user over ratelimit, limit:20, time:1 second",
                request_id: this.requestId(req),
            },
        };
    }

    serverError(req: EmuRequest, status: number, detail?: string): EmuResponse {
        const msg = detail ? `Internal service error. ${detail}` : "Internal service error.";
        return {
            status,
            headers: this.idHeader(req),
            body: { error_code: "KOOPHONE.API.9999", error_msg: msg, request_id: this.requestId(req) },
        };
    }

    badRequest(req: EmuRequest, detail: string): EmuResponse {
        const body = {
            error_code: "KOOPHONE.API.1000",
            error_msg: `Bad parameter: ${detail}`,
            request_id: this.requestId(req),
        };
        return { status: 400, headers: this.idHeader(req), body };
    }

    /** failTask: the first instance of the next BatchBackupInstances (or BatchPrepareInstances) batch fails. */
    failNext(action: string): void {
        if (action === "BatchBackupInstances") this.failBackups++;
        if (action === "BatchPrepareInstances") this.failRestores++;
    }

    /** Seeds an instance: `{ id?, name?, region?, owner?, phase?: "running" | "backedUp" }`. */
    seed(kind: string, data: Record<string, unknown>): unknown {
        if (kind !== "instance") throw new Error(`unknown seed kind ${kind}: use "instance"`);
        const now = this.clock.now();
        const id = String(data.id ?? `i${randomBytes(6).toString("hex")}`);
        const backedUp = data.phase === "backedUp";
        const inst: Instance = {
            id,
            name: String(data.name ?? id),
            region: String(data.region ?? "cn-south-1"),
            owner: String(data.owner ?? this.users[0]?.domain ?? KOOPHONE_EMULATOR_CREDENTIALS.user.domain),
            phase: backedUp ? "backedUp" : "running",
            endsAt: now,
            succeeds: true,
            backupStatus: backedUp ? 2 : undefined,
            // Parked a minute ago, or when `backupTime` (ms) says: as another emulator run parked it.
            backupTime: backedUp ? (data.backupTime === undefined ? now - 60_000 : Number(data.backupTime)) : undefined,
            backups: 0,
            restores: 0,
        };
        this.instances.set(id, inst);
        return this.view(inst);
    }

    snapshot(): Record<string, unknown> {
        return {
            instances: [...this.instances.values()].map((i) => ({
                ...this.view(i),
                phase: this.phaseOf(i),
                backups: i.backups,
                restores: i.restores,
            })),
            tokens: this.tokens.size,
        };
    }

    /** The phase of an instance now (tests). */
    phaseOf(idOrInst: string | Instance): Phase | undefined {
        const i = typeof idOrInst === "string" ? this.instances.get(idOrInst) : idOrInst;
        if (!i) return undefined;
        this.advance(i);
        return i.phase;
    }

    /** Voids every token early, as a password change does (the next call answers 401). */
    revokeTokens(): void {
        this.tokens.clear();
    }

    /**
     * Restores an instance behind the provider's back (out-of-band change): at once, or, while its backup is still
     * running, queued behind the backup as BatchPrepareInstances does then.
     */
    restoreOutOfBand(id: string): void {
        const i = this.instances.get(id);
        if (!i) return;
        this.advance(i);
        if (i.phase === "backingUp") {
            this.queueRestore(i, true);
            return;
        }
        const now = this.clock.now();
        Object.assign(i, {
            phase: "running",
            restoreStatus: 2,
            restoreTime: Math.max(now, (i.backupTime ?? 0) + 1),
            endsAt: now,
        });
    }

    async handle(req: EmuRequest): Promise<EmuResponse> {
        const action = this.actionOf(req);
        if (action === "Unknown")
            return {
                status: 404,
                body: {
                    error_code: "APIGW.0101",
                    error_msg: "The API does not exist or has not been published in the environment",
                },
            };
        if (action === "KeystoneCreateUserTokenByPassword") return this.createToken(req);
        const who = this.authenticate(req);
        if ("status" in who) return who;
        // x-request-id is mandatory only where the action's reference page lists it: a header of BatchBackupInstances
        // and ExecuteJob, a query parameter of ListInstances (taken from either place). The pages of
        // BatchPrepareInstances and ShowProgress list X-Auth-Token alone, so a client generated from them sends none.
        if (REQUEST_ID_REQUIRED.has(action) && !this.requestIdOf(req))
            return this.err(
                req,
                400,
                "KOOPHONE.API.1000",
                "The request parameter is incorrect: x-request-id is required.",
            );
        if (this.tenantless.has(who.domain))
            return this.err(req, 400, "KOOPHONE.API.0000", "The tenant does not exist.");
        let body: Record<string, unknown> = {};
        if (req.method === "POST") {
            try {
                body = JSON.parse(req.body || "{}") as Record<string, unknown>;
            } catch {
                return this.err(
                    req,
                    400,
                    "KOOPHONE.API.1000",
                    "The request parameter is incorrect: the body is not JSON.",
                );
            }
        }
        switch (action) {
            case "BatchBackupInstances":
                return this.backup(req, body, who.domain);
            case "BatchPrepareInstances":
                return this.prepare(req, body, who.domain);
            case "ShowProgress":
                return this.progress(req, body, who.domain);
            case "ListInstances":
                return this.list(req, who.domain);
            default:
                return this.job(req, who.domain);
        }
    }

    // --- IAM and authentication ------------------------------------------------------------------------------------

    private createToken(req: EmuRequest): EmuResponse {
        type Body = {
            auth?: {
                identity?: {
                    methods?: string[];
                    password?: { user?: { name?: string; password?: string; domain?: { name?: string } } };
                };
                scope?: { project?: { name?: string } };
            };
        };
        let b: Body;
        try {
            b = JSON.parse(req.body) as Body;
        } catch {
            return {
                status: 400,
                body: { error: { code: 400, message: "The request body is invalid.", title: "Bad Request" } },
            };
        }
        const u = b.auth?.identity?.password?.user;
        const project = b.auth?.scope?.project?.name;
        if (
            !b.auth?.identity?.methods?.includes("password") ||
            !u?.name ||
            !u.password ||
            !u.domain?.name ||
            !project
        ) {
            return {
                status: 400,
                body: {
                    error: {
                        code: 400,
                        message:
                            "Request parameter error: auth.identity.password.user (name, password, domain.name) and auth.scope.project.name are required.",
                        title: "Bad Request",
                    },
                },
            };
        }
        const user = this.users.find(
            (x) => x.name === u.name && x.domain === u.domain?.name && x.password === u.password,
        );
        if (!user)
            return {
                status: 401,
                body: { error: { code: 401, message: "The username or password is wrong.", title: "Unauthorized" } },
            };
        const token = `MII${randomBytes(48).toString("base64").replace(/[+/=]/g, "x")}`;
        const now = this.clock.now();
        const expiresAt = now + this.timings.tokenTtlMs;
        this.tokens.set(token, { domain: user.domain, expiresAt });
        this.tokensIssued++;
        return {
            status: 201,
            headers: { "X-Subject-Token": token, "X-Request-Id": randomUUID() },
            body: {
                token: {
                    expires_at: new Date(expiresAt).toISOString(),
                    issued_at: new Date(now).toISOString(),
                    methods: ["password"],
                    project: { name: project, id: createHash("md5").update(project).digest("hex") },
                    user: { name: user.name, domain: { name: user.domain } },
                },
            },
        };
    }

    private authenticate(req: EmuRequest): { domain: string } | EmuResponse {
        const h = req.headers;
        const token = h["x-auth-token"];
        if (token) {
            const t = this.tokens.get(token);
            if (!t || t.expiresAt <= this.clock.now())
                return this.err(
                    req,
                    401,
                    "APIGW.0301",
                    "Incorrect IAM authentication information: the token is invalid or has expired.",
                );
            return { domain: t.domain };
        }
        const v = verifyHw(req, { secretOf: (ak) => this.accessKeys[ak]?.secretKey, now: this.clock.now() });
        if (!v.ok) return this.err(req, v.status, v.code, v.message);
        const key = this.accessKeys[v.accessKey];
        return { domain: key.domain };
    }

    // --- KooPhone -----------------------------------------------------------------------------------------------------

    /** Checks an instance id list: 1 to 100 strings of at most 32 characters, all existing, owned, in one region. */
    private checkIds(req: EmuRequest, v: unknown, domain: string): Instance[] | EmuResponse {
        if (
            !Array.isArray(v) ||
            v.length === 0 ||
            v.length > 100 ||
            v.some((x) => typeof x !== "string" || x.length === 0 || x.length > 32)
        ) {
            return this.err(
                req,
                400,
                "KOOPHONE.API.1000",
                "The request parameter is incorrect: instance_ids must hold 1 to 100 ids of at most 32 characters.",
            );
        }
        const list: Instance[] = [];
        for (const id of v as string[]) {
            const i = this.instances.get(id);
            if (!i) return this.err(req, 400, "KOOPHONE.API.4001", `The instance does not exist: ${id}.`);
            if (i.owner !== domain)
                return this.err(req, 403, "KOOPHONE.API.1001", `Insufficient instance permissions: ${id}.`);
            list.push(i);
        }
        if (new Set(list.map((i) => i.region)).size > 1)
            return this.err(req, 400, "KOOPHONE.API.1002", "The instances are not in the same region.");
        return list;
    }

    private backup(req: EmuRequest, body: Record<string, unknown>, domain: string): EmuResponse {
        // ASSUMPTION: the reference page's own example request is {"user_id", "instance_id": "<one id>"}, against its
        // parameter table ({"instance_ids": [...]}). Both are accepted: a single instance_id is a list of one, and
        // user_id is ignored (the table has none).
        const ids =
            body.instance_ids === undefined && typeof body.instance_id === "string"
                ? [body.instance_id]
                : body.instance_ids;
        const list = this.checkIds(req, ids, domain);
        if (!Array.isArray(list)) return list;
        for (const i of list) {
            this.advance(i);
            if (i.phase !== "running")
                return this.err(
                    req,
                    400,
                    "KOOPHONE.API.1000",
                    `The request parameter is incorrect: instance ${i.id} is ${i.phase === "backedUp" ? "already backed up" : i.phase === "backingUp" ? "being backed up" : "being restored"}; only instances on a physical machine can be backed up.`,
                );
        }
        const now = this.clock.now();
        const taskId = randomUUID();
        const jobs = list.map((i, n) => {
            const jobId = randomUUID();
            const fail = n === 0 && this.failBackups > 0;
            if (fail) this.failBackups--;
            Object.assign(i, {
                phase: "backingUp",
                endsAt: now + this.timings.backupMs,
                succeeds: !fail,
                backupStatus: 1,
                taskId,
                jobId,
                errorCode: undefined,
                errorMsg: undefined,
            });
            i.backups++;
            return { instance_id: i.id, job_id: jobId };
        });
        return this.ok(req, { task_id: taskId, cmd_jobs: jobs });
    }

    private prepare(req: EmuRequest, body: Record<string, unknown>, domain: string): EmuResponse {
        if (typeof body.user_id !== "string" || body.user_id.length === 0 || body.user_id.length > 32)
            return this.err(
                req,
                400,
                "KOOPHONE.API.1000",
                "The request parameter is incorrect: user_id is required (at most 32 characters).",
            );
        const list = this.checkIds(req, body.instance_ids, domain);
        if (!Array.isArray(list)) return list;
        const now = this.clock.now();
        const status_list = list.map((i, n) => {
            this.advance(i);
            if (i.phase === "backedUp" || (i.phase === "backingUp" && !i.queuedRestore)) {
                const fail = n === 0 && this.failRestores > 0;
                if (fail) this.failRestores--;
                if (i.phase === "backingUp") {
                    // Accepted, and reported as backing up: it runs once the backup has ended.
                    this.queueRestore(i, !fail);
                    return { instance_id: i.id, status: 3 };
                }
                Object.assign(i, {
                    phase: "restoring",
                    endsAt: now + this.timings.restoreMs,
                    succeeds: !fail,
                    restoreStatus: 1,
                    restoreStartedAt: now,
                });
                i.restores++;
                return { instance_id: i.id, status: 1 };
            }
            return { instance_id: i.id, status: i.phase === "running" ? 0 : i.phase === "backingUp" ? 3 : 1 };
        });
        return this.ok(req, { status_list });
    }

    private progress(req: EmuRequest, body: Record<string, unknown>, domain: string): EmuResponse {
        if (typeof body.user_id !== "string" || !body.user_id)
            return this.err(req, 400, "KOOPHONE.API.1000", "The request parameter is incorrect: user_id is required.");
        const list = this.checkIds(req, [body.instance_id], domain);
        if (!Array.isArray(list)) return list;
        const i = list[0];
        this.advance(i);
        const now = this.clock.now();
        let status: number;
        if (i.phase === "restoring") status = now - (i.restoreStartedAt ?? now) < this.timings.restoreMs * 0.3 ? 1 : 2;
        else if (i.phase === "backingUp") status = 3;
        else if (i.phase === "running") status = i.restoreStatus === 3 ? -1 : 0;
        else status = i.restoreStatus === 3 ? -1 : 1;
        const waitingCount =
            status === 1
                ? [...this.instances.values()].filter(
                      (x) => x.phase === "restoring" && (x.restoreStartedAt ?? 0) < (i.restoreStartedAt ?? 0),
                  ).length
                : 0;
        return this.ok(req, { status, waitingCount });
    }

    private list(req: EmuRequest, domain: string): EmuResponse {
        const q = req.query;
        const pageNo = Number(q.page_no);
        const pageSize = Number(q.page_size);
        if (!Number.isInteger(pageNo) || pageNo < 1 || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
            return this.err(
                req,
                400,
                "KOOPHONE.API.1000",
                "The request parameter is incorrect: page_no (>= 1) and page_size (1 to 100) are required.",
            );
        }
        let all = [...this.instances.values()].filter((i) => i.owner === domain);
        if (q.instance_id) all = all.filter((i) => i.id === q.instance_id);
        if (q.instance_name) all = all.filter((i) => i.name.includes(q.instance_name));
        const page = all.slice((pageNo - 1) * pageSize, pageNo * pageSize).map((i) => this.view(i));
        return this.ok(req, { result: page, page_no: pageNo, page_size: pageSize, total_count: all.length });
    }

    private job(req: EmuRequest, domain: string): EmuResponse {
        const taskId = decodeURIComponent(req.path.split("/").pop() ?? "");
        const insts = [...this.instances.values()].filter((i) => i.taskId === taskId && i.owner === domain);
        if (insts.length === 0)
            return this.err(
                req,
                400,
                "KOOPHONE.API.1000",
                `The request parameter is incorrect: task ${taskId} does not exist.`,
            );
        // The reference's JobDetail: job_id, status, error_code, error_msg, execute_msg; no instance id.
        const jobs = insts.map((i) => {
            this.advance(i);
            const status = i.phase === "backingUp" ? 1 : i.backupStatus === 3 ? -1 : 2;
            return {
                job_id: i.jobId,
                status,
                error_code: status === -1 ? i.errorCode : undefined,
                error_msg: status === -1 ? i.errorMsg : undefined,
            };
        });
        return this.ok(req, { jobs });
    }

    // --- state -----------------------------------------------------------------------------------------------------------

    /** A restore asked for while the backup runs: ListInstances shows it preparing (restore_status 0) until then. */
    private queueRestore(i: Instance, succeeds: boolean): void {
        i.queuedRestore = { succeeds };
        i.restoreStatus = 0;
        i.restores++;
    }

    /** Moves an instance along its state machine up to now. */
    private advance(i: Instance): void {
        const now = this.clock.now();
        if (now < i.endsAt) return;
        if (i.phase === "backingUp") {
            const backedUp = i.succeeds;
            if (backedUp) Object.assign(i, { phase: "backedUp", backupStatus: 2, backupTime: i.endsAt });
            else
                Object.assign(i, {
                    phase: "running",
                    backupStatus: 3,
                    backupTime: i.endsAt,
                    errorCode: "KOOPHONE.JOB.0001",
                    errorMsg: "Failed to upload the instance data to OBS.",
                });
            const q = i.queuedRestore;
            if (q) {
                i.queuedRestore = undefined;
                // The queued restore starts as the backup ends; after a failed backup the data never left the hardware.
                if (backedUp)
                    Object.assign(i, {
                        phase: "restoring",
                        restoreStatus: 1,
                        restoreStartedAt: i.endsAt,
                        endsAt: i.endsAt + this.timings.restoreMs,
                        succeeds: q.succeeds,
                    });
                else Object.assign(i, { restoreStatus: 2, restoreTime: i.endsAt });
                this.advance(i);
            }
        } else if (i.phase === "restoring") {
            if (i.succeeds) Object.assign(i, { phase: "running", restoreStatus: 2, restoreTime: i.endsAt });
            else Object.assign(i, { phase: "backedUp", restoreStatus: 3, restoreTime: i.endsAt });
        }
    }

    private view(i: Instance): Record<string, unknown> {
        this.advance(i);
        const iso = (t?: number) => (t === undefined ? undefined : new Date(t).toISOString());
        // running_status per the ListInstances reference: 0 unknown, 1 stopped, 2 running, 3 being brought offline,
        // 4 starting (the last two as the batch status page words them: ASSUMPTION that both pages share the enum).
        const running = { running: 2, backedUp: 1, restoring: 4, backingUp: 3 }[i.phase];
        return JSON.parse(
            JSON.stringify({
                instance_id: i.id,
                instance_name: i.name,
                region: i.region,
                running_status: running,
                backup_status: i.backupStatus,
                restore_status: i.restoreStatus,
                backup_time: iso(i.backupTime),
                restore_time: iso(i.restoreTime),
            }),
        ) as Record<string, unknown>;
    }

    /** The request id the caller sent: the x-request-id header, or the query parameter (ListInstances). */
    private requestIdOf(req: EmuRequest): string | undefined {
        return req.headers["x-request-id"] || req.query["x-request-id"] || undefined;
    }

    private requestId(req: EmuRequest): string {
        return this.requestIdOf(req) ?? randomUUID();
    }

    private idHeader(req: EmuRequest): Record<string, string> {
        return { "X-Request-Id": this.requestId(req) };
    }

    private ok(req: EmuRequest, data: unknown): EmuResponse {
        return { status: 200, headers: this.idHeader(req), body: { error_code: "0", error_msg: "OK", data } };
    }

    private err(req: EmuRequest, status: number, code: string, msg: string): EmuResponse {
        return { status, headers: this.idHeader(req), body: { error_code: code, error_msg: msg } };
    }
}
