import { promises as fs } from "fs";
import * as path from "path";
import { Clock } from "../core/clock";
import { removeIfPresent, writeFileAtomic } from "../core/stateDir";

/** Claims older than this are ignored and removed: an interrupted `up` is normally re-run within days. */
export const CLAIM_TTL_MS = 7 * 86_400_000;

const TOKEN = /^prt-[0-9a-f]{20}$/;
const PREFIX = "huaweicloud-koophone.";

/**
 * What this resource knows of its BatchBackupInstances call for one phone. The record alone is an intent, not
 * ownership: it is written before the call, so it names phones whether the call took effect or not. It counts as
 * ownership only with proof that the call took effect (see `ownership.ts`): an accepted answer, or the phone seen
 * parked within the call's window.
 */
export interface PhoneClaim {
    /** When BatchBackupInstances was about to be sent (epoch ms, provider clock). */
    at: number;
    /**
     * How the call ended: `accepted` (the service answered success), `unclear` (time-out, reset, 5xx, internal error:
     * it may or may not have taken effect). Absent: no answer was recorded (the process stopped during the call).
     */
    answer?: "accepted" | "unclear";
    /** When that answer came (epoch ms). */
    answeredAt?: number;
    /** The task of an accepted call. */
    taskId?: string;
    /** When the phone was seen parked (or being parked) within the window of an unclear call: the proof it took effect. */
    provenAt?: number;
}

/** One file: the phones one resource (restore token) called BatchBackupInstances on. No secret. */
interface ClaimFile {
    v: 1 | 2;
    restoreToken: string;
    /** Phone id → its claim (version 1 kept only the time of the call: read as a claim without an answer). */
    phones: Record<string, PhoneClaim | number>;
    writtenAt: number;
}

/**
 * A local, durable record of the phones a resource is backing up and that its stack does not hold yet: written before
 * BatchBackupInstances, completed with the call's answer, dropped once the outcome reaches the engine. KooPhone keeps
 * nothing that says who backed a phone up (ListInstances shows a status and a time, not a caller), so a phone found
 * backed up is this resource's only when its stack holds it or this record names it with proof that its call took
 * effect (`ownership.ts`); any other is another stack's (or a person's) and is refused.
 * One JSON file per restore token, written atomically (temporary file, fsync, rename), mode 0600 in a 0700 directory.
 */
export class PhoneClaims {
    constructor(
        readonly dir: string,
        private readonly clock: Clock,
        private readonly ttlMs = CLAIM_TTL_MS,
    ) {}

    /** The phones this token claims, with the time of the call. */
    async of(restoreToken: string): Promise<Map<string, number>> {
        return new Map([...(await this.entries(restoreToken))].map(([id, c]) => [id, c.at]));
    }

    /** The phones this token claims, with what is known of each call. */
    async entries(restoreToken: string): Promise<Map<string, PhoneClaim>> {
        const f = await this.load(this.file(restoreToken));
        const out = new Map<string, PhoneClaim>();
        for (const [id, c] of Object.entries(f?.phones ?? {})) {
            if (typeof c === "number") out.set(id, { at: c });
            else if (c && typeof c === "object" && typeof c.at === "number") out.set(id, c);
        }
        return out;
    }

    /** Adds phones to the token's claims (written before BatchBackupInstances; throws when it cannot be written). */
    async add(restoreToken: string, ids: string[], at: number): Promise<void> {
        const phones = Object.fromEntries(await this.entries(restoreToken));
        for (const id of ids) phones[id] = { at };
        await this.write(restoreToken, phones);
    }

    /** Records what became known of the calls for these phones (their answer, or the proof they took effect). */
    async mark(restoreToken: string, ids: string[], patch: Omit<Partial<PhoneClaim>, "at">): Promise<void> {
        const phones = Object.fromEntries(await this.entries(restoreToken));
        const held = ids.filter((id) => id in phones);
        if (held.length === 0) return;
        for (const id of held) phones[id] = JSON.parse(JSON.stringify({ ...phones[id], ...patch })) as PhoneClaim;
        await this.write(restoreToken, phones);
    }

    /** Drops phones from the token's claims (all when `ids` is absent). */
    async drop(restoreToken: string, ids?: string[]): Promise<void> {
        const f = this.file(restoreToken);
        if (!ids) return this.unlink(f);
        const phones = Object.fromEntries(await this.entries(restoreToken));
        const held = ids.filter((id) => id in phones);
        if (held.length === 0) return;
        for (const id of held) delete phones[id];
        if (Object.keys(phones).length === 0) return this.unlink(f);
        await this.write(restoreToken, phones);
    }

    /** Which other resource (restore token) on this machine claims each of `ids`, where one does. */
    async holders(ids: string[], except: string): Promise<Map<string, string>> {
        const out = new Map<string, string>();
        let names: string[];
        try {
            names = await fs.readdir(this.dir);
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code === "ENOENT") return out;
            throw e;
        }
        for (const name of names) {
            if (!name.startsWith(PREFIX) || !name.endsWith(".json")) continue;
            const f = await this.load(path.join(this.dir, name));
            if (!f || f.restoreToken === except) continue;
            for (const id of ids) if (id in f.phones && !out.has(id)) out.set(id, f.restoreToken);
        }
        return out;
    }

    private file(restoreToken: string): string {
        if (!TOKEN.test(restoreToken)) throw new Error(`claims: malformed restore token ${restoreToken}`);
        return path.join(this.dir, `${PREFIX}${restoreToken}.json`);
    }

    private async write(restoreToken: string, phones: Record<string, PhoneClaim>): Promise<void> {
        await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
        const target = this.file(restoreToken);
        const body: ClaimFile = { v: 2, restoreToken, phones, writtenAt: this.clock.now() };
        await writeFileAtomic(target, JSON.stringify(body));
    }

    /** One file; missing, malformed or expired reads as none (an expired one is removed). */
    private async load(f: string): Promise<ClaimFile | undefined> {
        let text: string;
        try {
            text = await fs.readFile(f, "utf8");
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
            throw e;
        }
        let o: ClaimFile;
        try {
            o = JSON.parse(text) as ClaimFile;
        } catch {
            return undefined;
        }
        const valid =
            o && (o.v === 1 || o.v === 2) && typeof o.restoreToken === "string" && typeof o.writtenAt === "number";
        if (!valid || !o.phones || typeof o.phones !== "object") return undefined;
        if (this.clock.now() - o.writtenAt > this.ttlMs) {
            await this.unlink(f);
            return undefined;
        }
        return o;
    }

    private async unlink(f: string): Promise<void> {
        await removeIfPresent(f);
    }
}
