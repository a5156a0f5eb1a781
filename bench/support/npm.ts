import { execFile } from "child_process";
import { mkdirSync, readdirSync, lstatSync, writeFileSync, existsSync, readFileSync } from "fs";
import * as path from "path";

/** Runs npm with arguments; resolves with stdout, rejects with the last lines of stderr. */
export function npm(args: string[], cwd: string, timeoutMs = 240_000): Promise<string> {
    return new Promise((resolve, reject) => {
        execFile(
            "npm",
            args,
            {
                cwd,
                timeout: timeoutMs,
                maxBuffer: 64 * 1024 * 1024,
                env: { ...process.env, npm_config_update_notifier: "false" },
            },
            (err, stdout, stderr) => {
                if (err) {
                    const lines = String(stderr)
                        .split("\n")
                        .filter((l) => l && !/Unknown user config|^npm warn/.test(l));
                    const tail = (
                        lines
                            .filter((l) => /\b(E\d{3}|\d{3} Not Found|code )/.test(l))
                            .slice(0, 2)
                            .join(" | ") || lines.slice(-2).join(" | ")
                    )
                        .replace(/npm error /g, "")
                        // The registry's address is configuration, not a figure: keep it out of results and output.
                        .replace(/\b(GET|PUT|POST)\s+https?:\/\/\S+/g, "$1 <registry>")
                        .replace(/https?:\/\/\S+/g, "<url>");
                    reject(new Error(`npm ${args[0]} failed: ${tail || err.message}`));
                } else resolve(String(stdout));
            },
        );
    });
}

/** A fresh empty npm project in `dir` with `specs` installed (no audit, no funding notes, cache first, no scripts). */
export async function installInto(dir: string, specs: string[]): Promise<void> {
    mkdirSync(dir, { recursive: true });
    writeFileSync(
        path.join(dir, "package.json"),
        JSON.stringify({ name: `bench-${path.basename(dir)}`, version: "0.0.0", private: true }, null, 2),
    );
    await npm(
        ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts", "--loglevel=error", ...specs],
        dir,
    );
}

/** What a node_modules tree holds. */
export interface Footprint {
    /** Installed packages (every package.json directly under a node_modules, nested ones included). */
    packages: string[];
    /** Bytes of all files under node_modules (apparent size). */
    bytes: number;
}

function dirBytes(p: string): number {
    let total = 0;
    for (const e of readdirSync(p, { withFileTypes: true })) {
        const full = path.join(p, e.name);
        if (e.isSymbolicLink()) continue;
        if (e.isDirectory()) total += dirBytes(full);
        else total += lstatSync(full).size;
    }
    return total;
}

/** The packages under `<dir>/node_modules` and their total size. */
export function footprint(dir: string): Footprint {
    const nm = path.join(dir, "node_modules");
    const packages: string[] = [];
    const walk = (modules: string) => {
        if (!existsSync(modules)) return;
        for (const e of readdirSync(modules, { withFileTypes: true })) {
            if (e.name.startsWith(".")) continue;
            const full = path.join(modules, e.name);
            if (e.name.startsWith("@") && e.isDirectory()) {
                for (const s of readdirSync(full, { withFileTypes: true }))
                    visit(path.join(full, s.name), `${e.name}/${s.name}`);
            } else if (e.isDirectory()) visit(full, e.name);
        }
    };
    const visit = (pkgDir: string, name: string) => {
        if (!existsSync(path.join(pkgDir, "package.json"))) return;
        let version = "";
        try {
            version =
                (JSON.parse(readFileSync(path.join(pkgDir, "package.json"), "utf8")) as { version?: string }).version ??
                "";
        } catch {
            /* unreadable manifest: count the package anyway */
        }
        packages.push(`${name}@${version}`);
        walk(path.join(pkgDir, "node_modules"));
    };
    walk(nm);
    return { packages, bytes: existsSync(nm) ? dirBytes(nm) : 0 };
}
