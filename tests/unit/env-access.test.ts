import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

// Providers read the environment only through the `deps.env` they were built with, so that tests inject one and a
// provider never sees a variable its caller did not give it. provider/core/environment.ts is the one file under
// provider/ that names `process.env` (the default of `deps.env` when a provider is built); this scans the others.

const ROOT = path.resolve(__dirname, "../..");
const DESIGNATED = "provider/core/environment.ts";

/** Where `source` reads `process.env` in code (comments do not count): `process.env`, `process["env"]`, `{ env } = process`. */
export function processEnvReads(file: string, source: string): string[] {
    const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
    const found: string[] = [];
    const isProcess = (e: ts.Node): boolean =>
        (ts.isIdentifier(e) && e.text === "process") || (ts.isPropertyAccessExpression(e) && e.name.text === "process");
    const at = (n: ts.Node) => `${file}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
    const visit = (n: ts.Node): void => {
        if (ts.isPropertyAccessExpression(n) && n.name.text === "env" && isProcess(n.expression)) found.push(at(n));
        else if (
            ts.isElementAccessExpression(n) &&
            isProcess(n.expression) &&
            ts.isStringLiteralLike(n.argumentExpression) &&
            n.argumentExpression.text === "env"
        )
            found.push(at(n));
        else if (ts.isVariableDeclaration(n) && n.initializer && isProcess(n.initializer) && !ts.isIdentifier(n.name))
            found.push(at(n));
        ts.forEachChild(n, visit);
    };
    visit(sf);
    return found;
}

function tsFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) return tsFiles(p);
        return e.name.endsWith(".ts") ? [p] : [];
    });
}

describe("providers read the environment only through deps.env", () => {
    it("finds process.env in its forms and ignores it in comments and strings", () => {
        const src = [
            "// process.env in a comment",
            'const a = "process.env";',
            "const b = process.env.HOME;",
            'const c = process["env"];',
            "const { env } = process;",
            "const d = globalThis.process.env;",
        ].join("\n");
        assert.deepEqual(processEnvReads("x.ts", src), ["x.ts:3", "x.ts:4", "x.ts:5", "x.ts:6"]);
    });

    it(`no file under provider/ but ${DESIGNATED} names process.env`, () => {
        const files = tsFiles(path.join(ROOT, "provider"));
        assert.ok(files.length > 50, `provider/ has its sources (${files.length} found)`);
        const rel = (f: string) => path.relative(ROOT, f).split(path.sep).join("/");
        assert.ok(files.map(rel).includes(DESIGNATED), `${DESIGNATED} exists`);
        const reads = files
            .filter((f) => rel(f) !== DESIGNATED)
            .flatMap((f) => processEnvReads(rel(f), fs.readFileSync(f, "utf8")));
        assert.deepEqual(
            reads,
            [],
            "read the environment from the provider's deps.env (or an `env` argument); only " +
                `${DESIGNATED} supplies the host's`,
        );
    });
});
