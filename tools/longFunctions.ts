/**
 * Lists the functions (declarations, methods, arrow functions, function expressions) of at least N lines in the given
 * folders, longest first, with the TypeScript compiler's parser. A line count runs from the function's first token
 * (after its TSDoc) to its closing brace; nested functions are listed too, named `outer > inner`.
 *
 *     npx ts-node --transpile-only tools/longFunctions.ts 80 provider plugin
 */
import * as ts from "typescript";
import * as fs from "fs";
import * as path from "path";
const min = Number(process.argv[2] ?? 80);
const roots = process.argv.slice(3);
const files: string[] = [];
const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory() && e.name !== "node_modules") walk(p);
        else if (e.isFile() && p.endsWith(".ts") && !p.endsWith(".d.ts")) files.push(p);
    }
};
roots.filter((r) => fs.existsSync(r)).forEach(walk);
const rows: [number, string][] = [];
for (const f of files) {
    const src = ts.createSourceFile(f, fs.readFileSync(f, "utf8"), ts.ScriptTarget.Latest, true);
    const name = (n: ts.Node): string => {
        const nn = (n as { name?: ts.Node }).name;
        if (nn) return nn.getText(src);
        if (ts.isVariableDeclaration(n.parent)) return n.parent.name.getText(src);
        if (ts.isPropertyAssignment(n.parent)) return n.parent.name.getText(src);
        return "<anonymous>";
    };
    const visit = (n: ts.Node, outer: string) => {
        let here = outer;
        if (ts.isFunctionLike(n) && (n as ts.FunctionLikeDeclaration).body) {
            const cls = n.parent && ts.isClassLike(n.parent) && n.parent.name ? n.parent.name.text + "." : "";
            here = (outer ? outer + " > " : "") + cls + name(n);
            const a = src.getLineAndCharacterOfPosition(n.getStart(src)).line;
            const b = src.getLineAndCharacterOfPosition(n.getEnd()).line;
            if (b - a + 1 >= min) rows.push([b - a + 1, `${f}:${a + 1} ${here}`]);
        }
        ts.forEachChild(n, (c) => visit(c, here));
    };
    visit(src, "");
}
rows.sort((x, y) => y[0] - x[0]);
for (const [n, s] of rows) console.log(String(n).padStart(4), s);
