/**
 * The YAML, Python and Go examples as a user has them after copying one out of the repository and running
 * `npm install` in it: a directory of its own whose `node_modules/pulumi-restore` is this checkout (the package npm
 * would install), so the `packages:` entry of its Pulumi.yaml (`./node_modules/pulumi-restore/plugin`) is used as is.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The repository root. */
const ROOT = path.resolve(__dirname, "..", "..");

/** What every plugin example's Pulumi.yaml names under `packages:`: the plugin inside the installed npm package. */
export const PLUGIN_PACKAGE_PATH = "./node_modules/pulumi-restore/plugin";

/** Files a run leaves in an example directory (git-ignored there), never copied. */
const LEFT_BY_RUNS = ["venv", "sdks", "__pycache__", "node_modules", ".gitignore"];

/**
 * Copies examples/<name> to a new temporary directory and links this checkout as its node_modules/pulumi-restore.
 * Returns the directory (the caller removes it).
 */
export function copyPluginExample(name: string): string {
    const src = path.join(ROOT, "examples", name);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pulumi-restore-${name}-`));
    for (const f of fs.readdirSync(src)) {
        if (LEFT_BY_RUNS.includes(f)) continue;
        fs.cpSync(path.join(src, f), path.join(dir, f), { recursive: true });
    }
    const text = fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8");
    if (!text.includes(`pulumi-restore: ${PLUGIN_PACKAGE_PATH}`)) {
        throw new Error(`examples/${name}/Pulumi.yaml no longer names ${PLUGIN_PACKAGE_PATH} under packages`);
    }
    fs.mkdirSync(path.join(dir, "node_modules"));
    fs.symlinkSync(ROOT, path.join(dir, "node_modules", "pulumi-restore"), "dir");
    return dir;
}
