/**
 * Reads the documentation of a table of properties (provider/core/props.ts): the doc comment on each entry, nested
 * tables included. The comments are the documentation (hover shows them on the Args), so the schema generator and the
 * docs generator read them with the TypeScript compiler, from the table's type: that follows spreads (`...DRILL_PROPS`)
 * and `omitProps` to the entry where each comment is written.
 */
import * as path from "path";
import * as ts from "typescript";
import { PropTable, PropType, TableRef } from "../provider/core/props";

/** The repository root. */
const ROOT = path.resolve(__dirname, "..");

/** The TypeScript type of an exported table. */
export function tableType(program: ts.Program, ref: TableRef): ts.Type {
    const sf = program.getSourceFile(path.join(ROOT, ref.file));
    if (!sf) throw new Error(`${ref.file} is not in the program`);
    const checker = program.getTypeChecker();
    let found: ts.VariableDeclaration | undefined;
    sf.forEachChild((n) => {
        if (!ts.isVariableStatement(n)) return;
        for (const d of n.declarationList.declarations)
            if (ts.isIdentifier(d.name) && d.name.text === ref.exportName) found = d;
    });
    if (!found) throw new Error(`${ref.file}: ${ref.exportName} not found`);
    return checker.getTypeAtLocation(found.name);
}

/** The type of a member of an object type (`type`, `fields`, `items`). */
export function memberType(checker: ts.TypeChecker, t: ts.Type, name: string): ts.Type {
    const sym = t.getProperty(name);
    if (!sym) throw new Error(`no member ${name} in ${checker.typeToString(t)}`);
    return checker.getTypeOfSymbol(sym);
}

/** A symbol's doc comment as text: one paragraph per blank line, `{@link X}` as `X`. */
export function docOf(sym: ts.Symbol, checker: ts.TypeChecker): string | undefined {
    const raw = ts.displayPartsToString(sym.getDocumentationComment(checker));
    const text = raw.replace(/\{@link\s+([^}\s]+)\s*\}/g, "$1").trim();
    return text || undefined;
}

/** The documentation of one property and, for an object, of its fields. */
export interface PropDoc {
    doc?: string;
    fields?: Record<string, PropDoc>;
}

/** The doc comments of a table's entries, nested tables included. */
export function tableDocs(program: ts.Program, ref: TableRef): Record<string, PropDoc> {
    return docsOf(program.getTypeChecker(), ref.table, tableType(program, ref));
}

function docsOf(checker: ts.TypeChecker, table: PropTable, t: ts.Type): Record<string, PropDoc> {
    const out: Record<string, PropDoc> = {};
    for (const [key, prop] of Object.entries(table)) {
        const sym = t.getProperty(key);
        if (!sym) throw new Error(`${key}: not in the table's TypeScript type`);
        const d: PropDoc = { doc: docOf(sym, checker) };
        const fields = nested(checker, prop.type, memberType(checker, checker.getTypeOfSymbol(sym), "type"));
        if (fields) d.fields = fields;
        out[key] = d;
    }
    return out;
}

function nested(checker: ts.TypeChecker, p: PropType, t: ts.Type): Record<string, PropDoc> | undefined {
    if (p.kind === "list") return nested(checker, p.items, memberType(checker, t, "items"));
    if (p.kind === "jsonOr") return nested(checker, p.of, memberType(checker, t, "of"));
    if (p.kind === "object" || p.kind === "selector" || p.kind === "timeouts")
        return docsOf(checker, p.fields, memberType(checker, t, "fields"));
    return undefined;
}
