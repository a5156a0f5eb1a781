import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");

/** The files `npm pack` would put in the tarball, from what is built in dist/ now (no prepack build). */
function packedFiles(): string[] {
    // npm's cache and logs of this call go to a directory of the test, not to the home directory.
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-restore-npm-"));
    try {
        const args = [
            "pack",
            "--dry-run",
            "--json",
            "--ignore-scripts",
            "--loglevel=error",
            "--cache",
            cache,
            "--logs-max=0",
        ];
        const env = { ...process.env, npm_config_update_notifier: "false" };
        const out = execFileSync("npm", args, { cwd: ROOT, encoding: "utf8", env });
        return (JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
    } finally {
        fs.rmSync(cache, { recursive: true, force: true });
    }
}

describe("the npm package's contents", function () {
    this.timeout(120_000);

    it("the build emits no source maps: they would point at TypeScript sources the package does not ship", () => {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-restore-build-"));
        try {
            // The package's own build, into a directory of this test (dist/ is left as it is).
            const tsc = require.resolve("typescript/bin/tsc");
            execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json", "--outDir", out], { cwd: ROOT });
            const files: string[] = [];
            const walk = (d: string) => {
                for (const e of fs.readdirSync(d, { withFileTypes: true })) {
                    const p = path.join(d, e.name);
                    if (e.isDirectory()) walk(p);
                    else files.push(p);
                }
            };
            walk(out);
            assert.ok(
                files.some((f) => f.endsWith(path.join("provider", "core", "poller.js"))),
                "the build ran",
            );
            assert.deepEqual(
                files.filter((f) => f.endsWith(".map")),
                [],
            );
            const refersToMap = (f: string) => /sourceMappingURL/.test(fs.readFileSync(f, "utf8"));
            const mapped = files.filter((f) => f.endsWith(".js") && refersToMap(f));
            assert.deepEqual(mapped, [], "no .js refers to a map");
        } finally {
            fs.rmSync(out, { recursive: true, force: true });
        }
    });

    it("npm pack ships no .map file, even from a dist/ an older build left maps in", () => {
        // A map as an older build wrote them, where "files" would otherwise take it (dist/index.*).
        const stale = path.join(ROOT, "dist", "index.stale-build-check.js.map");
        fs.mkdirSync(path.dirname(stale), { recursive: true });
        const map = { version: 3, file: "index.js", sources: ["../index.ts"], mappings: "" };
        fs.writeFileSync(stale, JSON.stringify(map));
        let files: string[];
        const unshipped: string[] = [];
        try {
            files = packedFiles();
            // A shipped map must come with its sources (the package ships none, so there should be nothing to check).
            for (const f of files.filter((x) => x.endsWith(".map"))) {
                const map = JSON.parse(fs.readFileSync(path.join(ROOT, f), "utf8")) as { sources: string[] };
                for (const src of map.sources) {
                    const shipped = path.posix.normalize(path.posix.join(path.posix.dirname(f), src));
                    if (!files.includes(shipped)) unshipped.push(`${f} -> ${shipped}`);
                }
            }
        } finally {
            fs.rmSync(stale, { force: true });
        }
        assert.ok(files.includes("package.json"));
        assert.deepEqual(unshipped, [], "maps pointing at files the package does not ship");
        assert.deepEqual(
            files.filter((x) => x.endsWith(".map")),
            [],
        );
    });
});
