import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * Every relative link (with its #anchor) and every backticked repository path in README.md and docs/**\/*.md names
 * something that exists, so that a moved or renamed file cannot leave the documentation pointing at nothing.
 */

const ROOT = path.resolve(__dirname, "..", "..");

/** The Markdown files checked: README.md and everything under docs/. */
export function documentationFiles(root: string): string[] {
    const out = [path.join(root, "README.md")];
    const walk = (dir: string) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
            const p = path.join(dir, e.name);
            if (e.isDirectory()) walk(p);
            else if (e.name.endsWith(".md")) out.push(p);
        }
    };
    if (fs.existsSync(path.join(root, "docs"))) walk(path.join(root, "docs"));
    return out.filter((f) => fs.existsSync(f));
}

/** The text outside fenced code blocks (their lines become empty, so line numbers stay right). */
function prose(markdown: string): string {
    let fenced = false;
    return markdown
        .split("\n")
        .map((line) => {
            if (/^\s*(```|~~~)/.test(line)) {
                fenced = !fenced;
                return "";
            }
            return fenced ? "" : line;
        })
        .join("\n");
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
    return heading
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, "")
        .replace(/\s/g, "-");
}

function anchors(file: string): Set<string> {
    const seen = new Map<string, number>();
    const out = new Set<string>();
    for (const line of prose(fs.readFileSync(file, "utf8")).split("\n")) {
        const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
        if (!m) continue;
        const base = slug(m[1]);
        const n = seen.get(base) ?? 0;
        seen.set(base, n + 1);
        out.add(n === 0 ? base : `${base}-${n}`);
    }
    return out;
}

/** Patterns of .gitignore (files the repository does not hold: a path into them names something made locally). */
function ignoredBy(root: string): (rel: string) => boolean {
    const file = path.join(root, ".gitignore");
    const patterns = fs.existsSync(file)
        ? fs
              .readFileSync(file, "utf8")
              .split("\n")
              .map((l) => l.trim())
              .filter((l) => l && !l.startsWith("#") && !l.startsWith("!"))
        : [];
    const glob = (p: string) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}$`);
    const rules = patterns.map((p) => {
        const bare = p.replace(/\/$/, "");
        if (bare.includes("/")) {
            const re = glob(bare.replace(/^\//, ""));
            return (rel: string) => {
                const segs = rel.split("/");
                return segs.some((_, i) => re.test(segs.slice(0, i + 1).join("/")));
            };
        }
        const re = glob(bare);
        return (rel: string) => rel.split("/").some((s) => re.test(s));
    });
    return (rel) => rules.some((r) => r(rel));
}

/** `{a,b}` alternatives, expanded. */
function expandBraces(p: string): string[] {
    const m = /\{([^{}]*)\}/.exec(p);
    if (!m) return [p];
    return m[1].split(",").flatMap((alt) => expandBraces(p.slice(0, m.index) + alt + p.slice(m.index + m[0].length)));
}

/**
 * Whether a repository path exists: each `{a,b}` alternative must; `<placeholder>` and `*` stand for any name within one
 * segment (at least one must match).
 */
function pathExists(root: string, rel: string): boolean {
    return expandBraces(rel).every((candidate) => {
        let dirs = [root];
        for (const seg of candidate.split("/").filter(Boolean)) {
            if (!/[<*]/.test(seg)) {
                dirs = dirs.map((d) => path.join(d, seg)).filter((p) => fs.existsSync(p));
                continue;
            }
            const re = new RegExp(
                `^${seg
                    .split(/(<[^>]*>|\*)/)
                    .map((part) =>
                        part.startsWith("<") || part === "*" ? ".+" : part.replace(/[.+^${}()|[\]\\?]/g, "\\$&"),
                    )
                    .join("")}$`,
            );
            dirs = dirs.flatMap((d) =>
                fs.existsSync(d) && fs.statSync(d).isDirectory()
                    ? fs
                          .readdirSync(d)
                          .filter((n) => re.test(n))
                          .map((n) => path.join(d, n))
                    : [],
            );
        }
        return dirs.length > 0;
    });
}

/** The top-level folders a backticked `folder/...` must start with to count as a path into this repository. */
function repositoryFolders(root: string, ignored: (rel: string) => boolean): Set<string> {
    return new Set(
        fs
            .readdirSync(root)
            .filter((n) => n !== ".git" && !ignored(n) && fs.statSync(path.join(root, n)).isDirectory()),
    );
}

/** Every broken link or path of the given Markdown files, as `file:line: what`. */
export function brokenReferences(root: string, files: string[]): string[] {
    const ignored = ignoredBy(root);
    const folders = repositoryFolders(root, ignored);
    const anchorCache = new Map<string, Set<string>>();
    const anchorsOf = (f: string) => {
        if (!anchorCache.has(f)) anchorCache.set(f, anchors(f));
        return anchorCache.get(f)!;
    };
    const problems: string[] = [];
    for (const file of files) {
        const rel = path.relative(root, file);
        const text = prose(fs.readFileSync(file, "utf8"));
        const lineOf = (index: number) => text.slice(0, index).split("\n").length;

        // Links: [text](target), the target without a title.
        for (const m of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
            const target = m[1];
            if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, ...
            const [p, anchor] = target.split("#", 2);
            const dest = p === "" ? file : path.resolve(path.dirname(file), decodeURIComponent(p));
            const where = `${rel}:${lineOf(m.index!)}`;
            if (!fs.existsSync(dest)) {
                problems.push(`${where}: link to ${target}: ${path.relative(root, dest)} does not exist`);
                continue;
            }
            if (anchor && dest.endsWith(".md") && !anchorsOf(dest).has(decodeURIComponent(anchor))) {
                problems.push(`${where}: link to ${target}: no heading with the anchor #${anchor}`);
            }
        }

        // Backticked repository paths: `folder/...` where folder is a top-level folder of the repository.
        for (const m of text.matchAll(/`([^`]+)`/g)) {
            const raw = m[1].replace(/\n\s*/g, "").replace(/:\d+$/, "");
            if (!/^[\w.@-]+\/[\w.@<>{},*/-]*$/.test(raw)) continue;
            const first = raw.split("/")[0];
            if (!folders.has(first)) continue;
            if (ignored(raw.replace(/\/$/, ""))) continue;
            if (!pathExists(root, raw)) problems.push(`${rel}:${lineOf(m.index!)}: \`${raw}\` does not exist`);
        }
    }
    return problems;
}

describe("docs: links and repository paths in README.md and docs/ point to what exists", function () {
    this.timeout(60_000);

    it("finds README.md and the pages under docs/", () => {
        const files = documentationFiles(ROOT).map((f) => path.relative(ROOT, f));
        assert.ok(files.includes("README.md"));
        assert.ok(files.includes(path.join("docs", "README.md")), files.join(", "));
    });

    it("every relative link, every #anchor and every backticked repository path exists", () => {
        assert.deepEqual(brokenReferences(ROOT, documentationFiles(ROOT)), []);
    });

    it("README.md stays short: at most 270 lines besides the bench figures (issue 26: the reference lives in docs/)", () => {
        const lines = fs.readFileSync(path.join(ROOT, "README.md"), "utf8").split("\n");
        const start = lines.findIndex((l) => l.startsWith("<!-- bench:start"));
        const end = lines.findIndex((l) => l.startsWith("<!-- bench:end"));
        assert.ok(start >= 0 && end > start, "README.md keeps its bench:start and bench:end markers");
        const own = lines.length - (end - start + 1);
        assert.ok(own <= 270, `README.md has ${own} lines outside the bench markers (at most 270)`);
    });

    it("names a broken link, a missing anchor and a missing path (the checker itself)", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "docs-links-"));
        try {
            fs.mkdirSync(path.join(dir, "docs", "guides"), { recursive: true });
            fs.mkdirSync(path.join(dir, "provider", "alicloud"), { recursive: true });
            fs.writeFileSync(path.join(dir, "provider", "alicloud", "signer.ts"), "");
            fs.writeFileSync(path.join(dir, ".gitignore"), "dist/\nbench/results.json\n");
            fs.writeFileSync(
                path.join(dir, "README.md"),
                [
                    "# Top",
                    "[ok](docs/guides/a.md#the-section-b) [gone](docs/gone.md) [bad anchor](docs/guides/a.md#nope)",
                    "`provider/alicloud/signer.ts` `provider/<cloud>/signer.ts` `provider/{alicloud,zstack}/signer.ts`",
                    "`dist/plugin` `bench/results.json` `~/.pulumi-restore/journal` `a sentence / not a path`",
                    "```",
                    "[in a code block](nowhere.md) `provider/nowhere.ts`",
                    "```",
                    "[self](#top) [self missing](#bottom)",
                ].join("\n"),
            );
            fs.writeFileSync(path.join(dir, "docs", "guides", "a.md"), "## The section: `b`\n[up](../../README.md)\n");
            assert.deepEqual(brokenReferences(dir, documentationFiles(dir)), [
                "README.md:2: link to docs/gone.md: docs/gone.md does not exist",
                "README.md:2: link to docs/guides/a.md#nope: no heading with the anchor #nope",
                "README.md:8: link to #bottom: no heading with the anchor #bottom",
                "README.md:3: `provider/{alicloud,zstack}/signer.ts` does not exist",
            ]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
