import { createHash } from "crypto";
import { Clock } from "../core/clock";
import { CloudError } from "../core/errors";
import { ApiCaller, HttpResponse, parseJson } from "../core/http";
import { registerSecret } from "../core/redact";
import { PasswordAuth } from "./credentials";
import { processValue } from "../core/processSlot";

/** A token and when it stops being valid. */
export interface IamToken {
    token: string;
    /** ms since the epoch, from `token.expires_at`. */
    expiresAt: number;
    /** ms since the epoch when it was obtained. */
    obtainedAt: number;
}

const KEY = Symbol.for("pulumi-restore.huaweicloud.iamTokens");

interface Entry {
    current?: IamToken;
    inflight?: Promise<IamToken>;
}

/** The process-wide cache: every resource in one host shares a user's token, whichever copy of this module runs. */
function cache(): Map<string, Entry> {
    return processValue(KEY, () => new Map<string, Entry>());
}

/** Cache key: the user and project, and a hash of the password (a changed password must not reuse an old token). */
function keyOf(a: PasswordAuth): string {
    const pw = createHash("sha256").update(a.password).digest("hex").slice(0, 16);
    return createHash("sha256")
        .update(`${a.authUrl}\u0000${a.domainName}\u0000${a.userName}\u0000${a.projectName}\u0000${pw}`)
        .digest("hex");
}

/**
 * How long before `expires_at` a token is renewed: 5 minutes, or a tenth of its lifetime when that is shorter (a
 * token valid 24 h is renewed after 23 h 55 min; the emulator's short-lived tokens are renewed near their end too).
 */
export function renewMarginMs(t: IamToken): number {
    return Math.min(5 * 60_000, Math.max(0, (t.expiresAt - t.obtainedAt) / 10));
}

const HINTS: Record<number, string> = {
    401: "IAM rejected the user name or password: check huaweicloud:userName, huaweicloud:password and huaweicloud:domainName (or HW_USER_NAME, HW_USER_PASSWORD, HW_DOMAIN_NAME), and that the user is not locked.",
    403: "The IAM user may not obtain a token for this project: check huaweicloud:projectName (default: the region) and the user's permissions.",
    404: "The project does not exist: check huaweicloud:projectName and huaweicloud:region.",
};

/**
 * Project-scoped IAM tokens (password method): obtained once, cached until shortly before `expires_at`, shared by
 * concurrent callers, and dropped when a call answers 401 (a changed password or permission voids a token early).
 */
export class IamTokenSource {
    constructor(
        private readonly auth: PasswordAuth,
        private readonly caller: ApiCaller,
        private readonly clock: Clock,
    ) {}

    /** A valid token, from the cache or freshly obtained. */
    async get(): Promise<string> {
        const e = this.entry();
        const now = this.clock.now();
        if (e.current && now < e.current.expiresAt - renewMarginMs(e.current)) return e.current.token;
        if (!e.inflight) {
            e.inflight = this.fetch().finally(() => (e.inflight = undefined));
        }
        const t = await e.inflight;
        e.current = t;
        return t.token;
    }

    /** Forgets `token` (after a 401), so the next {@link get} obtains a new one. */
    invalidate(token: string): void {
        const e = this.entry();
        if (e.current?.token === token) e.current = undefined;
    }

    private entry(): Entry {
        const m = cache();
        const k = keyOf(this.auth);
        let e = m.get(k);
        if (!e) {
            e = {};
            m.set(k, e);
        }
        return e;
    }

    private fetch(): Promise<IamToken> {
        const a = this.auth;
        const body = JSON.stringify({
            auth: {
                identity: {
                    methods: ["password"],
                    password: { user: { name: a.userName, password: a.password, domain: { name: a.domainName } } },
                },
                scope: { project: { name: a.projectName } },
            },
        });
        return this.caller.call<IamToken>({
            cloud: "huaweicloud iam",
            action: "KeystoneCreateUserTokenByPassword",
            // Obtaining a token has no lasting effect: safe to repeat.
            idempotent: true,
            build: () => ({
                method: "POST",
                url: `${a.authUrl}/auth/tokens`,
                headers: { "Content-Type": "application/json;charset=utf8" },
                body,
            }),
            parse: (res) => this.parse(res),
        });
    }

    private parse(res: HttpResponse): IamToken {
        if (res.status !== 201) {
            let code = `HTTP${res.status}`;
            let message = "no message";
            try {
                const j = parseJson(res.body) as {
                    error?: { code?: unknown; message?: string; title?: string };
                    error_code?: string;
                    error_msg?: string;
                };
                if (j.error) {
                    code = String(j.error.title ?? j.error.code ?? code);
                    message = String(j.error.message ?? message);
                } else if (j.error_code) {
                    code = j.error_code;
                    message = String(j.error_msg ?? message);
                }
            } catch {
                /* keep the status as the code */
            }
            throw new CloudError({
                cloud: "huaweicloud iam",
                action: "KeystoneCreateUserTokenByPassword",
                httpStatus: res.status,
                code,
                message,
                requestId: res.headers["x-request-id"],
                retryable: res.status === 429 || res.status >= 500,
                hint: HINTS[res.status],
            });
        }
        const token = res.headers["x-subject-token"];
        if (!token) throw new Error("the answer has no X-Subject-Token header");
        registerSecret(token);
        const j = parseJson(res.body) as { token?: { expires_at?: string } };
        const expiresAt = Date.parse(j.token?.expires_at ?? "");
        if (Number.isNaN(expiresAt)) throw new Error("the answer has no token.expires_at");
        return { token, expiresAt, obtainedAt: this.clock.now() };
    }
}
