import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

// Comments that send the reader to another file ("see provider/core/resource.ts") must name a file that exists: files
// move (one folder per cloud), and a comment pointing at the old place misleads. This reads every comment of every
// TypeScript source and checks each repository path in it: repository-relative (its first folder is one at the root
// of this repository) or relative to the file (`./<file>`, `../<file>`).

const ROOT = path.resolve(__dirname, "../..");

/** Folders that are built or installed, not kept in the repository: paths into them are not checked. */
const NOT_SOURCES = new Set(["node_modules", "dist", ".git", ".pulumi-cli", ".contract-sdks", ".pulumi-local"]);

/** Files a command writes (git-ignored), named by the comments of the code that writes or reads them. */
const GENERATED = new Set(["bench/results.json"]);

/** The folders at the root a repository-relative path begins with (`provider`, `tests`, `.ci`, ...). */
function rootFolders(): Set<string> {
    return new Set(
        fs
            .readdirSync(ROOT, { withFileTypes: true })
            .filter((e) => e.isDirectory() && !NOT_SOURCES.has(e.name))
            .map((e) => e.name),
    );
}

/** The text of every comment of a TypeScript source (each once). */
export function comments(file: string, source: string): { line: number; text: string }[] {
    const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
    const seen = new Set<number>();
    const out: { line: number; text: string }[] = [];
    const take = (ranges: readonly ts.CommentRange[] | undefined) => {
        for (const r of ranges ?? []) {
            if (seen.has(r.pos)) continue;
            seen.add(r.pos);
            out.push({ line: sf.getLineAndCharacterOfPosition(r.pos).line + 1, text: source.slice(r.pos, r.end) });
        }
    };
    const visit = (n: ts.Node): void => {
        take(ts.getLeadingCommentRanges(source, n.getFullStart()));
        take(ts.getTrailingCommentRanges(source, n.getEnd()));
        ts.forEachChild(n, visit);
    };
    visit(sf);
    return out.sort((a, b) => a.line - b.line);
}

/**
 * The repository paths a comment names: words that begin with one of `roots` and a slash, or with `./` / `../`.
 * A path with a placeholder (`provider/<cloud>/`, `tests/*.ts`, `${dir}/x`) names no one file and is skipped, as is
 * a path inside a URL.
 */
export function pathsIn(text: string, roots: Set<string>): string[] {
    const out: string[] = [];
    for (const m of text.matchAll(/(^|[\s(`[,])((?:\.\.?\/)+[\w.-]+(?:\/[\w.-]+)*\/?|[\w.-]+(?:\/[\w.-]+)+\/?)/g)) {
        const p = m[2].replace(/[.,:;]+$/, "");
        const after = text[(m.index ?? 0) + m[0].length] ?? "";
        if (/[<{*$…[\w]/.test(after)) continue;
        const relative = p.startsWith("./") || p.startsWith("../");
        if (!relative && !roots.has(p.split("/")[0])) continue;
        if (p.split("/").some((s) => NOT_SOURCES.has(s)) || GENERATED.has(p)) continue;
        out.push(p);
    }
    return out;
}

/** Whether `p` (named in `file`) exists: as written, or as a module path (`x` for `x.ts`, `x/index.ts`). */
export function exists(p: string, file: string): boolean {
    const base = p.startsWith(".") ? path.resolve(path.dirname(file), p) : path.join(ROOT, p);
    return ["", ".ts", ".js", "/index.ts"].some((ext) => fs.existsSync(base + ext));
}

function tsFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) return NOT_SOURCES.has(e.name) || e.name === "sdks" ? [] : tsFiles(p);
        return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [p] : [];
    });
}

describe("paths named in comments exist", () => {
    const roots = rootFolders();

    it("finds repository paths in comment text, skipping placeholders, URLs and names that are not paths", () => {
        const text =
            "// see provider/core/resource.ts, docs/x.md. and `tests/unit/a.test.ts`'s case; ./sibling and ../up/one;" +
            " provider/<cloud>/x.ts, tests/*.ts, https://example.com/provider/core/x.ts, and/or, @pulumi/pulumi/cmd," +
            ' a value such as "../../etc/passwd", .pulumi-cli/bin (built), tests/node_modules/x, bench/results.json';
        assert.deepEqual(pathsIn(text, new Set(["provider", "docs", "tests", "bench"])), [
            "provider/core/resource.ts",
            "docs/x.md",
            "tests/unit/a.test.ts",
            "./sibling",
            "../up/one",
        ]);
    });

    it("reads comments, not strings", () => {
        const src = 'const u = "docs/gone.md"; // docs/here.md\n/** provider/a.ts */\nfunction f() {}\n';
        assert.deepEqual(
            comments("x.ts", src).map((c) => c.text),
            ["// docs/here.md", "/** provider/a.ts */"],
        );
    });

    it("every path a comment of a .ts file names exists in this repository", () => {
        const files = tsFiles(ROOT);
        assert.ok(files.length > 300, `the sources were found (${files.length})`);
        const missing: string[] = [];
        let checked = 0;
        for (const f of files) {
            const rel = path.relative(ROOT, f).split(path.sep).join("/");
            for (const c of comments(rel, fs.readFileSync(f, "utf8"))) {
                for (const p of pathsIn(c.text, roots)) {
                    checked++;
                    const line = c.line + c.text.slice(0, c.text.indexOf(p)).split("\n").length - 1;
                    if (!exists(p, f)) missing.push(`${rel}:${line}: ${p}`);
                }
            }
        }
        assert.ok(checked > 100, `comments name paths (${checked} checked)`);
        assert.deepEqual(missing, [], "comments that name a file that does not exist (moved? renamed?)");
    });
});
