import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..", "..");

/** The ```ts and ```typescript blocks of a Markdown text, with the line each starts on. */
export function typescriptBlocks(markdown: string): { line: number; code: string }[] {
    const out: { line: number; code: string }[] = [];
    const lines = markdown.split("\n");
    for (let i = 0; i < lines.length; i++) {
        if (!/^```(ts|typescript)\s*$/.test(lines[i])) continue;
        const start = i + 1;
        let end = start;
        while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
        out.push({ line: start + 1, code: lines.slice(start, end).join("\n") });
        i = end;
    }
    return out;
}

/** README.md and every page under docs/: the places whose examples users copy. */
function documentation(): string[] {
    const out = ["README.md"];
    const walk = (dir: string) => {
        for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
            const rel = path.join(dir, e.name);
            if (e.isDirectory()) walk(rel);
            else if (e.name.endsWith(".md")) out.push(rel);
        }
    };
    walk("docs");
    return out;
}

describe("README and docs/: the TypeScript examples compile as programs of their own", function () {
    this.timeout(120_000);

    it("finds the README's examples (the main one included)", () => {
        const blocks = typescriptBlocks(fs.readFileSync(path.join(ROOT, "README.md"), "utf8"));
        assert.ok(blocks.length >= 5, `${blocks.length} blocks`);
        assert.ok(blocks.some((b) => /new (restore|alicloud)\.starrocks\.RestoredInstance/.test(b.code)));
    });

    it("each ```ts block type-checks on its own against this package's types and @pulumi/pulumi's (strict)", () => {
        const blocks = documentation().flatMap((doc) =>
            typescriptBlocks(fs.readFileSync(path.join(ROOT, doc), "utf8")).map((b) => ({ ...b, doc })),
        );
        assert.ok(
            blocks.some((b) => b.doc.startsWith("docs")),
            "the pages under docs/ have examples too",
        );
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-restore-readme-"));
        try {
            // One file per block, each a module of its own, as a user would paste it into index.ts.
            const origin = new Map<string, { doc: string; line: number }>();
            const files = blocks.map((b, i) => {
                const f = path.join(dir, `example-${i}.ts`);
                origin.set(f, { doc: b.doc, line: b.line });
                fs.writeFileSync(f, b.code);
                return f;
            });
            const options: ts.CompilerOptions = {
                strict: true,
                noEmit: true,
                target: ts.ScriptTarget.ES2020,
                module: ts.ModuleKind.CommonJS,
                moduleResolution: ts.ModuleResolutionKind.Node10,
                esModuleInterop: true,
                skipLibCheck: true,
                types: ["node"],
                typeRoots: [path.join(ROOT, "node_modules", "@types")],
                // "pulumi-restore" is this package (its public entry, index.ts); everything else resolves from this
                // repository's node_modules, as in a program that installed it.
                baseUrl: ROOT,
                paths: { "pulumi-restore": ["index.ts"], "*": ["node_modules/*", "node_modules/@types/*"] },
            };
            const program = ts.createProgram(files, options);
            const ours = (d: ts.Diagnostic) => d.file !== undefined && files.includes(path.resolve(d.file.fileName));
            const diagnostics = ts.getPreEmitDiagnostics(program).filter(ours);
            const text = diagnostics.map((d) => {
                const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
                const from = origin.get(path.resolve(d.file!.fileName))!;
                return `${from.doc}:${from.line + line}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
            });
            assert.deepEqual(text, []);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
