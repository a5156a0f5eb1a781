import { randomBytes } from "crypto";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";

/** Environment variable naming the directory where providers keep local records between runs (journals, claims). */
export const STATE_DIR_ENV = "PULUMI_RESTORE_STATE_DIR";

/** The directory: `$PULUMI_RESTORE_STATE_DIR`, else `~/.pulumi-restore/journal`. Read at call time. */
export function journalDir(env: NodeJS.ProcessEnv): string {
    const d = env[STATE_DIR_ENV];
    return d && d.trim() ? path.resolve(d.trim()) : path.join(os.homedir(), ".pulumi-restore", "journal");
}

/** Removes a file; one that is already gone is fine. */
export async function removeIfPresent(f: string): Promise<void> {
    await fs.unlink(f).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== "ENOENT") throw e;
    });
}

/**
 * Writes `text` to `target` atomically and durably: a temporary file beside it (mode 0600), fsync, rename, then an
 * fsync of the directory where the platform allows opening one (not on Windows). A reader sees the old file or the
 * new one, never a part; a crash leaves at most a stray temporary file.
 */
export async function writeFileAtomic(target: string, text: string): Promise<void> {
    const dir = path.dirname(target);
    const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
    const fh = await fs.open(tmp, "wx", 0o600);
    try {
        await fh.writeFile(text, "utf8");
        await fh.sync();
    } finally {
        await fh.close();
    }
    try {
        await fs.rename(tmp, target);
    } catch (e) {
        await removeIfPresent(tmp);
        throw e;
    }
    if (process.platform === "win32") return;
    const d = await fs.open(dir, "r").catch(() => undefined);
    if (!d) return;
    await d.sync().catch(() => undefined);
    await d.close();
}
