import * as os from "os";
import * as path from "path";

/** Environment variable naming the directory where providers keep local records between runs (journals, claims). */
export const STATE_DIR_ENV = "PULUMI_RESTORE_STATE_DIR";

/** The directory: `$PULUMI_RESTORE_STATE_DIR`, else `~/.pulumi-restore/journal`. Read at call time. */
export function journalDir(env: NodeJS.ProcessEnv): string {
    const d = env[STATE_DIR_ENV];
    return d && d.trim() ? path.resolve(d.trim()) : path.join(os.homedir(), ".pulumi-restore", "journal");
}
