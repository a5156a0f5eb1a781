import { promises as fs } from "fs";
import * as path from "path";
import { Clock } from "../core/clock";
import { digest } from "../core/resource";
import { removeIfPresent, writeFileAtomic } from "../core/stateDir";

export { STATE_DIR_ENV, journalDir } from "../core/stateDir";

/** Entries older than this are ignored and removed: a crashed `up` is normally re-run within days, not weeks. */
export const JOURNAL_TTL_MS = 7 * 86_400_000;

/** What one restore means: the inputs a restore consumes. Never the password. */
export interface RestoreIntent {
    restoreToken: string;
    instanceId: string;
    backupId: string;
    /** The effective region (input, config, environment or default). */
    region: string;
    triggers?: Record<string, unknown>;
}

/**
 * The digest of an intent: instance, backup, region and triggers (the inputs whose change means "restore again"). The
 * password is left out on purpose (it changes nothing about which restore is meant, and must never be written here);
 * the triggers are only ever kept as part of this hash.
 */
export function intentDigest(i: RestoreIntent): string {
    return digest(
        {
            kind: "tencentcloud-redis",
            instanceId: i.instanceId,
            backupId: i.backupId,
            region: i.region,
            triggers: i.triggers ?? null,
        },
        24,
    );
}

/**
 * One journal entry: "this resource (restore token) was about to call RestoreInstance for this intent". Holds no
 * secret: ids, times and a digest only.
 */
export interface JournalEntry {
    v: 1;
    restoreToken: string;
    intent: string;
    instanceId: string;
    backupId: string;
    region: string;
    /** When RestoreInstance was about to be called (epoch ms, provider clock). */
    calledAt: number;
    /** The instance's restore tasks that existed just before the call: none of them can be the call's task. */
    knownTaskIds: number[];
    /** The task of this intent, once known. */
    taskId?: number;
    /** When the entry was last written (epoch ms, provider clock); expiry counts from here. */
    writtenAt: number;
}

const TOKEN = /^prt-[0-9a-f]{20}$/;
const INTENT = /^[0-9a-f]{24}$/;
const PREFIX = "tencentcloud-redis.";
/** The one prune of each directory by this process; every write waits for it, so a prune never removes a fresh entry. */
const pruned = new Map<string, Promise<void>>();

/**
 * A local, durable record of restores whose outcome has not yet been handed to the engine. One small JSON file per
 * (restore token, intent), written atomically (temporary file, fsync, rename) with mode 0600 in a 0700 directory, so
 * resources running side by side in one host never write the same file and a reader never sees half a file.
 */
export class RestoreJournal {
    constructor(
        readonly dir: string,
        private readonly clock: Clock,
        private readonly ttlMs = JOURNAL_TTL_MS,
    ) {}

    /** The file of one (token, intent). */
    file(restoreToken: string, intent: string): string {
        if (!TOKEN.test(restoreToken) || !INTENT.test(intent))
            throw new Error(`journal: malformed key ${restoreToken}/${intent}`);
        return path.join(this.dir, `${PREFIX}${restoreToken}.${intent}.json`);
    }

    /** The live entry of (token, intent), or undefined (none, expired or unreadable; expired ones are removed). */
    async get(restoreToken: string, intent: string): Promise<JournalEntry | undefined> {
        const f = this.file(restoreToken, intent);
        const e = await this.load(f);
        if (!e || e.restoreToken !== restoreToken || e.intent !== intent) return undefined;
        if (this.expired(e)) {
            await this.unlink(f);
            return undefined;
        }
        return e;
    }

    /** Live entries of a token, whatever their intent. */
    async entriesOf(restoreToken: string): Promise<JournalEntry[]> {
        if (!TOKEN.test(restoreToken)) return [];
        const out: JournalEntry[] = [];
        for (const name of await this.names()) {
            if (!name.startsWith(`${PREFIX}${restoreToken}.`) || !name.endsWith(".json")) continue;
            const e = await this.load(path.join(this.dir, name));
            if (e && e.restoreToken === restoreToken && !this.expired(e)) out.push(e);
        }
        return out;
    }

    /** Writes an entry atomically; throws when the directory is not writable. */
    async put(entry: Omit<JournalEntry, "v" | "writtenAt">): Promise<JournalEntry> {
        await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
        await this.pruneOnce();
        const full: JournalEntry = {
            v: 1,
            restoreToken: entry.restoreToken,
            intent: entry.intent,
            instanceId: entry.instanceId,
            backupId: entry.backupId,
            region: entry.region,
            calledAt: entry.calledAt,
            knownTaskIds: [...entry.knownTaskIds],
            ...(entry.taskId !== undefined ? { taskId: entry.taskId } : {}),
            writtenAt: this.clock.now(),
        };
        const target = this.file(full.restoreToken, full.intent);
        await writeFileAtomic(target, JSON.stringify(full));
        return full;
    }

    /** Removes the entry of (token, intent), if any. */
    async remove(restoreToken: string, intent: string): Promise<void> {
        await this.unlink(this.file(restoreToken, intent));
    }

    /** Removes the entries of a token that match `pred`; returns how many. */
    async removeWhere(restoreToken: string, pred: (e: JournalEntry) => boolean): Promise<number> {
        let n = 0;
        for (const e of await this.entriesOf(restoreToken)) {
            if (!pred(e)) continue;
            await this.remove(e.restoreToken, e.intent);
            n++;
        }
        return n;
    }

    /** Removes expired entries and stale temporary files of the whole directory. */
    async prune(): Promise<void> {
        for (const name of await this.names()) {
            const f = path.join(this.dir, name);
            if (name.startsWith(PREFIX) && name.endsWith(".json")) {
                const e = await this.load(f);
                if (e && this.expired(e)) await this.unlink(f);
            } else if (name.startsWith(`.${PREFIX}`) && name.endsWith(".tmp")) {
                // A temporary file left by a process killed between open and rename (file times are wall-clock).
                const st = await fs.stat(f).catch(() => undefined);
                if (st && Date.now() - st.mtimeMs > 3_600_000) await this.unlink(f);
            }
        }
    }

    private expired(e: JournalEntry): boolean {
        return this.clock.now() - e.writtenAt > this.ttlMs;
    }

    private pruneOnce(): Promise<void> {
        let p = pruned.get(this.dir);
        if (!p) {
            p = this.prune().catch(() => undefined);
            pruned.set(this.dir, p);
        }
        return p;
    }

    private async names(): Promise<string[]> {
        try {
            return await fs.readdir(this.dir);
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
            throw e;
        }
    }

    /** Reads one entry; a missing file is undefined, a malformed one too (it was not written by us: rename is atomic). */
    private async load(f: string): Promise<JournalEntry | undefined> {
        let text: string;
        try {
            text = await fs.readFile(f, "utf8");
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
            throw e;
        }
        try {
            const o = JSON.parse(text) as JournalEntry;
            if (
                o &&
                o.v === 1 &&
                typeof o.restoreToken === "string" &&
                typeof o.intent === "string" &&
                typeof o.calledAt === "number" &&
                typeof o.writtenAt === "number" &&
                Array.isArray(o.knownTaskIds)
            ) {
                return o;
            }
        } catch {
            // fall through
        }
        return undefined;
    }

    private async unlink(f: string): Promise<void> {
        await removeIfPresent(f);
    }
}

const INSTANCE = /^crs-[a-z0-9]{8}$/;
/** The most task ids kept per instance (the newest). */
const MAX_RECORDED = 500;
/** Writes of one file in this process, one after the other (two resources of one instance finishing together). */
const recordedWrites = new Map<string, Promise<void>>();

/**
 * A local cache of the restore tasks this machine saw the stack record (a create's result, a deleted resource's
 * outputs), per instance: none of them is an unrecorded earlier attempt, even after the resource left the stack
 * (destroy, then a new restore of the same instance; `pulumi up --replace`, which gives the provider no Diff). One file
 * per instance under `<journal>/recorded/`, ids and times only. Only a cache: a fresh machine does without it.
 */
export class RecordedTasks {
    constructor(
        readonly dir: string,
        private readonly clock: Clock,
        private readonly ttlMs = JOURNAL_TTL_MS,
    ) {}

    private file(instanceId: string): string {
        if (!INSTANCE.test(instanceId)) throw new Error(`recorded tasks: malformed instance id ${instanceId}`);
        return path.join(this.dir, "recorded", `${PREFIX}${instanceId}.json`);
    }

    /** The task ids recorded for an instance within the time to live (none when the file is missing or unreadable). */
    async get(instanceId: string): Promise<number[]> {
        return (await this.load(instanceId)).map((t) => t.id);
    }

    /** Adds a task id (written atomically, mode 0600). */
    add(instanceId: string, taskId: number): Promise<void> {
        const f = this.file(instanceId);
        const next = (recordedWrites.get(f) ?? Promise.resolve()).then(async () => {
            const kept = (await this.load(instanceId)).filter((t) => t.id !== taskId);
            kept.push({ id: taskId, at: this.clock.now() });
            await fs.mkdir(path.dirname(f), { recursive: true, mode: 0o700 });
            await writeFileAtomic(f, JSON.stringify({ v: 1, tasks: kept.slice(-MAX_RECORDED) }));
        });
        const settled = next.catch(() => undefined);
        recordedWrites.set(f, settled);
        return next;
    }

    private async load(instanceId: string): Promise<{ id: number; at: number }[]> {
        let text: string;
        try {
            text = await fs.readFile(this.file(instanceId), "utf8");
        } catch {
            return [];
        }
        try {
            const o = JSON.parse(text) as { v?: number; tasks?: unknown };
            if (o?.v !== 1 || !Array.isArray(o.tasks)) return [];
            return (o.tasks as { id: unknown; at: unknown }[])
                .filter((t) => typeof t?.id === "number" && typeof t?.at === "number")
                .map((t) => ({ id: t.id as number, at: t.at as number }))
                .filter((t) => this.clock.now() - t.at <= this.ttlMs);
        } catch {
            return [];
        }
    }
}
