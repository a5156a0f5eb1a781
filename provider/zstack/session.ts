import { createHash } from "crypto";
import { Clock } from "../core/clock";
import { registerSecret } from "../core/redact";
import { processValue } from "../core/processSlot";

/** One login session of a ZStack account. */
export interface Session {
    /** The session uuid sent as `Authorization: OAuth {uuid}`. A secret. */
    uuid: string;
    /** When the session expires, in the clock's ms. */
    expiresAt: number;
}

/** What a {@link SessionPool} needs to log in and renew; implemented over HTTP by the API client. */
export interface SessionOps {
    login(): Promise<Session>;
    /** Renews; returns the new expiry, or throws (the pool then logs in again). */
    renew(uuid: string): Promise<number>;
}

interface Entry {
    session?: Session;
    /** The login or renewal in flight, shared by every concurrent caller. */
    pending?: Promise<Session>;
}

const KEY = Symbol.for("pulumi-restore.zstack.sessions");

function store(): Map<string, Entry> {
    return processValue(KEY, () => new Map<string, Entry>());
}

/** The store key of an account on a management node; the password only enters as a hash, and the key is never printed. */
export function sessionKey(endpoint: string, accountName: string, passwordHash: string): string {
    return `${endpoint}|${accountName}|${createHash("sha256").update(passwordHash).digest("hex").slice(0, 16)}`;
}

/** Forgets every cached session (tests). */
export function clearSessions(): void {
    store().clear();
}

/** Default: renew a session that expires within 5 minutes (ZStack's default lifetime is 2 hours). */
export const DEFAULT_RENEW_MARGIN_MS = 5 * 60_000;

/**
 * Sessions shared by every resource of one dynamic-provider host: the store lives on `globalThis` (like the rate
 * limiter), so twenty VMs in one `pulumi up` log in once. A session close to expiry is renewed; one the server
 * rejects (`ID.1001`) is dropped with {@link invalidate} and the next {@link get} logs in again.
 */
export class SessionPool {
    constructor(
        private readonly key: string,
        private readonly ops: SessionOps,
        private readonly clock: Clock,
        private readonly renewMarginMs = DEFAULT_RENEW_MARGIN_MS,
    ) {}

    /** A usable session uuid: cached, renewed, or from a new login. */
    async get(): Promise<string> {
        const m = store();
        let e = m.get(this.key);
        if (!e) {
            e = {};
            m.set(this.key, e);
        }
        if (e.pending) return (await e.pending).uuid;
        const now = this.clock.now();
        const s = e.session;
        if (s && s.expiresAt - now > this.renewMarginMs) return s.uuid;
        const entry = e;
        const work = (async (): Promise<Session> => {
            if (s && s.expiresAt > now) {
                try {
                    const expiresAt = await this.ops.renew(s.uuid);
                    return { uuid: s.uuid, expiresAt };
                } catch {
                    // Renewal refused (already expired server-side, clock skew): a new login is the fix.
                }
            }
            const fresh = await this.ops.login();
            registerSecret(fresh.uuid);
            return fresh;
        })();
        entry.pending = work;
        try {
            const got = await work;
            entry.session = got;
            return got.uuid;
        } finally {
            entry.pending = undefined;
        }
    }

    /** Drops a session the server rejected, unless another caller already replaced it. */
    invalidate(uuid: string): void {
        const e = store().get(this.key);
        if (e?.session?.uuid === uuid) e.session = undefined;
    }

    /** The cached session, for tests. */
    peek(): Session | undefined {
        return store().get(this.key)?.session;
    }
}
