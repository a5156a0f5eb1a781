import { randomBytes } from "crypto";
import { Clock } from "../core/clock";
import { CloudError, hasCode } from "../core/errors";
import { ApiCaller, HttpRequest, HttpResponse, isUncertain, parseJson } from "../core/http";
import { PollSchedule, TimeLimit, waitUntil } from "../core/poller";
import { registerSecret } from "../core/redact";
import { UncertainAdvice, UncertainOutcomeError, uncertainMessage } from "../core/settle";
import { ZStackAuth } from "./credentials";
import { Session, SessionPool, sessionKey } from "./session";
import { hashPassword, signAccessKey } from "./signer";

const CLOUD = "zstack";

/** ZStack's ErrorCode (the fields we read). */
export interface ZStackErrorCode {
    code?: string;
    description?: string;
    details?: string;
    cause?: ZStackErrorCode | null;
}

/** Error codes worth repeating the same call for: internal error, operation time-out, throttling. */
const RETRYABLE_CODES = new Set(["SYS.1000", "SYS.1001", "SYS.1006", "SYS.1012"]);

/** What to do about an error code, in words a user can act on. */
const HINTS: Record<string, string> = {
    "ID.1001":
        "The session or AccessKey was rejected: check zstack:accountName / zstack:accountPassword, or zstack:accessKeyId / zstack:accessKeySecret, and that this machine's clock is within 15 minutes of the management node's.",
    "ID.1000":
        "Login failed: check zstack:accountName and zstack:accountPassword (or ZSTACK_ACCOUNT_NAME / ZSTACK_ACCOUNT_PASSWORD).",
    "SYS.1007": "ZStack rejected a parameter: check the uuids and values named in the message.",
};

/** Turns a failed answer into a CloudError. */
export function zstackError(action: string, res: HttpResponse): CloudError {
    let err: ZStackErrorCode | undefined;
    try {
        const j = parseJson(res.body) as { error?: ZStackErrorCode };
        if (j && typeof j === "object" && j.error && typeof j.error === "object") err = j.error;
    } catch {
        /* plain-text answers: 400 "missing header 'Authorization'", 404 "no api mapping" */
    }
    const code = err?.code ?? `HTTP${res.status}`;
    const parts = [err?.description, err?.details, err?.cause?.details ?? err?.cause?.description].filter(
        (x): x is string => !!x,
    );
    const message =
        parts.length > 0 ? [...new Set(parts)].join(": ") : res.body.trim().slice(0, 200) || `HTTP ${res.status}`;
    const retryable = RETRYABLE_CODES.has(code) || res.status === 429 || (err === undefined && res.status >= 500);
    const throttled = code === "SYS.1012" || res.status === 429;
    return new CloudError({
        cloud: CLOUD,
        action,
        httpStatus: res.status,
        code,
        message,
        retryable,
        throttled,
        hint: HINTS[code],
        requestId: res.headers["x-job-uuid"],
    });
}

/** An error body inside HTTP 200: the request may have been carried out, so its outcome is unknown. */
function oddAnswer(action: string, res: HttpResponse): CloudError {
    const e = zstackError(action, res);
    return new CloudError({ ...e.toInit(), retryable: true, uncertain: true });
}

/** A new 32-hex job uuid. */
export function newUuid(): string {
    return randomBytes(16).toString("hex");
}

/** Options of {@link ZStackApi}. */
export interface ZStackApiOptions {
    /** Base URL of the management node, without `/zstack` (e.g. `http://10.0.0.5:8080`). */
    endpoint: string;
    /** Read at each call, never kept. */
    auth: () => ZStackAuth;
    caller: ApiCaller;
    /** How job waits poll (the provider's, which honours `PULUMI_RESTORE_POLL_MIN_MS`). */
    schedule: PollSchedule;
    /** Session renewal margin (tests make it short). */
    renewMarginMs?: number;
    /** Job uuid source, injectable for tests. */
    jobUuid?: () => string;
}

/** How one asynchronous API call is made. */
export interface JobSpec<T> {
    action: string;
    method: HttpRequest["method"];
    /** Path after `/zstack`, starting with `/v1`. */
    path: string;
    body?: unknown;
    /** What is being waited for, for progress lines. */
    what: string;
    deadline: number;
    /** The operation's limit the deadline comes from, for time-out messages. */
    limit?: TimeLimit;
    report: (line: string) => void;
    /**
     * Called when an earlier submission's fate is unknown (its answer was lost and the job uuid is unknown to the
     * server): returns a result if the effect is already there (e.g. the VM exists), else undefined to submit again.
     */
    recover?: () => Promise<T | undefined>;
    /**
     * For a call that creates something: never submit again after a submission whose fate is unknown. `recover` is
     * asked for `settleMs`; when it finds nothing, the call stops with an {@link UncertainOutcomeError} (the server may
     * still carry the first submission out late). Without it (destroy, expunge: repeating is harmless), a submission
     * the server does not know is made again.
     */
    once?: UncertainAdvice & { settleMs: number; notFound: string };
    /** Reads the job's 200 body. */
    result: (body: unknown) => T;
}

/** How long a session renewal's job is waited for before the pool logs in again instead. */
const RENEW_WAIT_MS = 60_000;

const LIFETIMES = Symbol.for("pulumi-restore.zstack.sessionLifetimes");

/** Session lifetime per management node (ms), learnt at login; process-wide like the session pool. */
function lifetimes(): Map<string, number> {
    const g = globalThis as unknown as Record<symbol, Map<string, number> | undefined>;
    let m = g[LIFETIMES];
    if (!m) {
        m = new Map<string, number>();
        g[LIFETIMES] = m;
    }
    return m;
}

/** Raised when the server does not know a job uuid (never received, or its result expired after 10800 s). */
export function isJobNotFound(e: unknown): boolean {
    return hasCode(e, "JobNotFound");
}

/**
 * The ZStack REST API: authentication (session login shared process-wide, or AccessKey signing), synchronous calls,
 * and the asynchronous job protocol (202 + location, poll until 200 / 503 / 404), with a job uuid chosen by us so a
 * lost answer can be followed instead of repeated.
 */
export class ZStackApi {
    readonly base: string;
    private readonly jobUuid: () => string;

    constructor(private readonly o: ZStackApiOptions) {
        this.base = `${o.endpoint}/zstack`;
        this.jobUuid = o.jobUuid ?? newUuid;
    }

    get clock(): Clock {
        return this.o.caller.clock;
    }

    /** A synchronous call (queries): retried where safe; a rejected session is replaced once. */
    async sync<T>(action: string, method: HttpRequest["method"], path: string, body?: unknown): Promise<T> {
        for (let attempt = 0; ; attempt++) {
            const auth = await this.authorizer();
            try {
                return await this.o.caller.call<T>({
                    cloud: CLOUD,
                    action,
                    idempotent: true,
                    build: () => this.request(method, path, body, auth.headers(method, path)),
                    parse: (res) => {
                        if (res.status !== 200) throw zstackError(action, res);
                        return (res.body.trim() === "" ? {} : parseJson(res.body)) as T;
                    },
                });
            } catch (e) {
                if (attempt === 0 && hasCode(e, "ID.1001") && auth.session) {
                    auth.pool!.invalidate(auth.session);
                    continue;
                }
                throw e;
            }
        }
    }

    /**
     * An asynchronous call: submits with our own `X-Job-UUID`, then polls the job until it succeeds, fails or
     * expires. After an uncertain submission (lost answer, 5xx, time-out) it follows the job by its uuid; when the
     * server does not know it, `recover` looks for the effect before anything is submitted again. A job failing with
     * `ID.1001` (session expired while queued) is submitted again once with a fresh session.
     */
    async job<T>(spec: JobSpec<T>): Promise<T> {
        let relogins = 0;
        for (let attempt = 1; ; attempt++) {
            const jobUuid = this.jobUuid();
            const auth = await this.authorizer();
            let location = `${this.base}/v1/api-jobs/${jobUuid}`;
            let uncertain = false;
            let lastUncertain: unknown;
            try {
                const r = await this.o.caller.call<{ location?: string; done?: unknown }>({
                    cloud: CLOUD,
                    action: spec.action,
                    idempotent: false,
                    build: () =>
                        this.request(spec.method, spec.path, spec.body, {
                            ...auth.headers(spec.method, spec.path),
                            "x-job-uuid": jobUuid,
                        }),
                    parse: (res) => {
                        if (res.status === 200) {
                            const done = res.body.trim() === "" ? {} : parseJson(res.body);
                            // An error body inside a 200: the server may have acted on the request all the same.
                            if (done && typeof done === "object" && (done as { error?: unknown }).error)
                                throw oddAnswer(spec.action, res);
                            return { done };
                        }
                        if (res.status !== 202) throw zstackError(spec.action, res);
                        const j = parseJson(res.body) as { location?: unknown };
                        if (!j || typeof j.location !== "string") throw new Error("202 without a location");
                        return { location: j.location };
                    },
                });
                if (r.done !== undefined) return spec.result(r.done);
                if (r.location) location = this.rewriteLocation(r.location);
            } catch (e) {
                if (hasCode(e, "ID.1001") && auth.session && relogins++ === 0) {
                    auth.pool!.invalidate(auth.session);
                    attempt--;
                    continue;
                }
                // A non-retryable ErrorCode (e.g. a 503 rejecting an argument) is a definite answer, not a lost one.
                if (!isUncertain(e) || !(e as CloudError).retryable) throw e;
                uncertain = true;
                lastUncertain = e;
                spec.report(`the ${spec.action} answer was lost (${(e as CloudError).code}); following job ${jobUuid}`);
            }
            try {
                return await this.waitJob(spec, location, jobUuid);
            } catch (e) {
                if (hasCode(e, "ID.1001") && auth.session && relogins++ === 0) {
                    // The session expired while the request was queued: nothing was done; log in and submit again.
                    auth.pool!.invalidate(auth.session);
                    attempt--;
                    continue;
                }
                if (!(uncertain && isJobNotFound(e))) throw e;
            }
            // The server never registered the job. Did the earlier attempt take effect anyway?
            if (spec.once) return this.settle(spec, spec.once, lastUncertain);
            const found = spec.recover ? await spec.recover() : undefined;
            if (found !== undefined) return found;
            if (attempt >= 3 || this.clock.now() >= spec.deadline) {
                throw new CloudError({
                    cloud: CLOUD,
                    action: spec.action,
                    code: "UncertainOutcome",
                    retryable: false,
                    message: `${attempt} submissions had no known outcome`,
                    hint: "Nothing was found for them; run `pulumi up` again: it looks for the result before submitting.",
                });
            }
            spec.report(
                `job ${jobUuid} is unknown to the server and nothing was done; submitting ${spec.action} again`,
            );
        }
    }

    /**
     * After a create whose submission's fate is unknown: looks for its effect for `settleMs`, and never submits again
     * (the server may carry the submission out late; nothing short of its effect rules that out).
     */
    private async settle<T>(spec: JobSpec<T>, once: NonNullable<JobSpec<T>["once"]>, cause: unknown): Promise<T> {
        const until = Math.min(spec.deadline, this.clock.now() + once.settleMs);
        for (;;) {
            const found = spec.recover ? await spec.recover() : undefined;
            if (found !== undefined) {
                spec.report(`found the result of the earlier ${spec.action} submission`);
                return found;
            }
            if (this.clock.now() >= until) break;
            await this.clock.sleep(Math.min(3000, Math.max(1, until - this.clock.now())));
        }
        throw new UncertainOutcomeError(
            uncertainMessage(spec.action, cause, once.notFound, once.settleMs, once),
            spec.action,
        );
    }

    /** Polls one job until done. 503 → the job's error; 404 → JobNotFound. */
    private async waitJob<T>(spec: JobSpec<T>, location: string, jobUuid: string): Promise<T> {
        return waitUntil<T>({
            what: `${spec.what} (job ${jobUuid})`,
            clock: this.clock,
            deadline: spec.deadline,
            limit: spec.limit,
            schedule: this.o.schedule,
            report: spec.report,
            probe: async () => {
                const r = await this.o.caller.call<{ state: "running" | "done"; body?: unknown }>({
                    cloud: CLOUD,
                    action: `${spec.action} job`,
                    idempotent: true,
                    build: () => ({ method: "GET", url: location, headers: { accept: "application/json" } }),
                    parse: (res) => {
                        if (res.status === 202) return { state: "running" };
                        if (res.status === 200)
                            return { state: "done", body: res.body.trim() === "" ? {} : parseJson(res.body) };
                        if (res.status === 404) {
                            throw new CloudError({
                                cloud: CLOUD,
                                action: spec.action,
                                httpStatus: 404,
                                code: "JobNotFound",
                                retryable: false,
                                message: `job ${jobUuid} is unknown to the server (never received, or its result expired)`,
                            });
                        }
                        const err = zstackError(spec.action, res);
                        // A job's 503 is its final answer: repeating the poll will not change it.
                        if (res.status === 503) throw new CloudError({ ...err.toInit(), retryable: false });
                        throw err;
                    },
                });
                return r.state === "done"
                    ? { done: true, status: "job done", value: spec.result(r.body) }
                    : { done: false, status: "job running" };
            },
        });
    }

    /** The `location` is the server's own view of its address: keep its path, use our scheme, host and port. */
    rewriteLocation(location: string): string {
        let p: string;
        try {
            const u = new URL(location, this.base);
            p = u.pathname + u.search;
        } catch {
            p = location;
        }
        const i = p.indexOf("/v1/");
        return i >= 0 ? `${this.base}${p.slice(i)}` : `${this.o.endpoint}${p.startsWith("/") ? "" : "/"}${p}`;
    }

    private request(
        method: HttpRequest["method"],
        path: string,
        body: unknown,
        headers: Record<string, string>,
    ): HttpRequest {
        const h: Record<string, string> = { accept: "application/json", ...headers };
        if (body !== undefined) h["content-type"] = "application/json;charset=UTF-8";
        return {
            method,
            url: `${this.base}${path}`,
            headers: h,
            body: body === undefined ? undefined : JSON.stringify(body),
        };
    }

    /** Authorization for one call: a session (fetched now) or a signer (signing each attempt with a fresh Date). */
    private async authorizer(): Promise<{
        headers: (method?: string, path?: string) => Record<string, string>;
        session?: string;
        pool?: SessionPool;
    }> {
        const a = this.o.auth();
        if (a.kind === "accessKey") {
            registerSecret(a.accessKeySecret);
            return {
                headers: (method = "GET", path = "/v1") => {
                    const s = signAccessKey({
                        accessKeyId: a.accessKeyId,
                        accessKeySecret: a.accessKeySecret,
                        method,
                        url: `${this.base}${path.split("?")[0]}`,
                        nowMs: this.clock.now(),
                    });
                    return { authorization: s.authorization, date: s.date };
                },
            };
        }
        const pool = this.sessions(a);
        const session = await pool.get();
        return { headers: () => ({ authorization: `OAuth ${session}` }), session, pool };
    }

    /** The process-wide session pool of this account on this management node. */
    sessions(a: Extract<ZStackAuth, { kind: "account" }>): SessionPool {
        const hash = hashPassword(a.accountPassword);
        registerSecret(a.accountPassword);
        registerSecret(hash);
        return new SessionPool(
            sessionKey(this.o.endpoint, a.accountName, hash),
            {
                login: () => this.login(a.accountName, hash),
                renew: (uuid) => this.renew(uuid),
            },
            this.clock,
            this.o.renewMarginMs,
        );
    }

    private async login(accountName: string, passwordHash: string): Promise<Session> {
        const j = await this.o.caller.call<{
            inventory?: { uuid?: string; expiredDate?: string; createDate?: string };
        }>({
            cloud: CLOUD,
            action: "LogInByAccount",
            idempotent: true,
            build: () =>
                this.request(
                    "PUT",
                    "/v1/accounts/login",
                    { logInByAccount: { accountName, password: passwordHash } },
                    {},
                ),
            parse: (res) => {
                if (res.status !== 200) throw zstackError("LogInByAccount", res);
                return parseJson(res.body) as {
                    inventory?: { uuid?: string; expiredDate?: string; createDate?: string };
                };
            },
        });
        const created = Date.parse(j.inventory?.createDate ?? "");
        const expires = Date.parse(j.inventory?.expiredDate ?? "");
        if (!Number.isNaN(created) && !Number.isNaN(expires) && expires > created)
            lifetimes().set(this.o.endpoint, expires - created);
        const uuid = j.inventory?.uuid;
        if (!uuid)
            throw new CloudError({
                cloud: CLOUD,
                action: "LogInByAccount",
                code: "MalformedResponse",
                message: "the answer has no session uuid",
                retryable: false,
            });
        registerSecret(uuid);
        return { uuid, expiresAt: this.expiry(j.inventory?.expiredDate) };
    }

    /**
     * RenewSession is asynchronous (ZStack's API catalog: callType async, APIRenewSessionEvent): the server answers 202
     * with a job location, and the job's 200 body holds the renewed session. A 200 at once is read as the result too.
     * It cannot go through {@link job}: that asks the session pool, which is what is renewing.
     */
    private async renew(uuid: string): Promise<number> {
        const jobUuid = this.jobUuid();
        const path = `/v1/accounts/sessions/${uuid}/renew`;
        const r = await this.o.caller.call<{ location?: string; done?: unknown }>({
            cloud: CLOUD,
            action: "RenewSession",
            // Renewing twice is harmless, and the same job uuid is sent again.
            idempotent: true,
            build: () =>
                this.request(
                    "PUT",
                    path,
                    { renewSession: {} },
                    { authorization: `OAuth ${uuid}`, "x-job-uuid": jobUuid },
                ),
            parse: (res) => {
                if (res.status === 200) return { done: res.body.trim() === "" ? {} : parseJson(res.body) };
                if (res.status !== 202) throw zstackError("RenewSession", res);
                const j = parseJson(res.body) as { location?: unknown };
                if (!j || typeof j.location !== "string") throw new Error("202 without a location");
                return { location: j.location };
            },
        });
        const body =
            r.done ??
            (await this.waitJob<unknown>(
                {
                    action: "RenewSession",
                    method: "PUT",
                    path,
                    what: "the session renewal",
                    deadline: this.clock.now() + RENEW_WAIT_MS,
                    report: () => undefined,
                    result: (b) => b,
                },
                this.rewriteLocation(r.location ?? `${this.base}/v1/api-jobs/${jobUuid}`),
                jobUuid,
            ));
        return this.expiry((body as { inventory?: { expiredDate?: string } } | undefined)?.inventory?.expiredDate);
    }

    /**
     * When a session expires, in our clock. ZStack writes dates like "Nov 14, 2017 10:20:57 PM": the server's clock and
     * time zone, no zone given. An absolute reading is therefore hours off when this machine is in another zone or its
     * clock is skewed (a session seen as expired at once meant a new login on every call). The session lifetime learnt
     * at login (expiredDate - createDate, both the server's) counted from our own clock is not; renewals restart the same
     * lifetime. Without it the date is read as is, and unreadable ones count as 30 minutes (ID.1001 corrects us).
     */
    private expiry(text: string | undefined): number {
        const lifetime = lifetimes().get(this.o.endpoint);
        if (lifetime !== undefined) return this.clock.now() + lifetime;
        const t = text ? Date.parse(text) : NaN;
        return Number.isNaN(t) ? this.clock.now() + 30 * 60_000 : t;
    }
}
