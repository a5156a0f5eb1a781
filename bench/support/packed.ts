import { mkdtempSync, readdirSync } from "fs";
import * as os from "os";
import * as path from "path";
import { installInto, npm } from "./npm";

/** The package packed with `npm pack` (which builds it: prepack) and installed into a fresh program directory. */
export interface Packed {
    /** Scratch directory of this run; removed by the caller. */
    root: string;
    tgz: string;
    tgzBytes: number;
    /** A program directory with only the tarball installed. */
    programDir: string;
    packMs: number;
    installMs: number;
}

const REPO = path.resolve(__dirname, "..", "..");

export async function packAndInstall(): Promise<Packed> {
    const root = mkdtempSync(path.join(os.tmpdir(), "pulumi-restore-bench-"));
    const t0 = Date.now();
    await npm(["pack", "--pack-destination", root, "--loglevel=error"], REPO, 300_000);
    const packMs = Date.now() - t0;
    const name = readdirSync(root).find((f) => f.endsWith(".tgz"));
    if (!name) throw new Error(`npm pack left no tarball in ${root}`);
    const tgz = path.join(root, name);
    const programDir = path.join(root, "program");
    const t1 = Date.now();
    await installInto(programDir, [tgz]);
    const { size } = await import("fs").then((fs) => fs.statSync(tgz));
    return { root, tgz, tgzBytes: size, programDir, packMs, installMs: Date.now() - t1 };
}
