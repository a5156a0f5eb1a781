/**
 * Writes each resource's inputs table into its cloud's reference page (docs/<cloud>.md), from the resource's table of
 * properties (provider/core/props.ts), between markers that name the resource:
 *
 *   <!-- props:alicloud.starrocks.RestoredInstance:start -->
 *   ...generated...
 *   <!-- props:alicloud.starrocks.RestoredInstance:end -->
 *
 *   npm run docs:props             rewrites what is between the markers
 *   npm run docs:props -- --check  exits 1 if a page is stale or lacks its markers
 *
 * tests/unit/props-docs.test.ts runs the check, so the reference and the tables cannot drift.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { Prop, PropTable, PropType, TableRef } from "../provider/core/props";
import { DRILL_PROPS } from "../provider/core/drillProps";
import { RESOURCES } from "../plugin/resources";
import { PropDoc, tableDocs } from "./propDocs";

const ROOT = path.resolve(__dirname, "..");

/** One generated inputs table: its marker name, the page it goes into, and the table it documents. */
export interface DocTable {
    name: string;
    page: string;
    ref: TableRef;
}

/**
 * Every inputs table of the docs: each restore resource's (in its cloud's page), and the drills' own inputs (in
 * docs/drills.md; a drill's restore arguments are its restore resource's).
 */
export function docTables(): DocTable[] {
    const out: DocTable[] = [];
    for (const r of RESOURCES) {
        if (!r.props || r.type === "RestoreDrill") continue;
        const cloud = r.module.split("/")[0];
        out.push({ name: `${r.module.replace(/\//g, ".")}.${r.type}`, page: `docs/${cloud}.md`, ref: r.props });
    }
    out.push({
        name: "RestoreDrill",
        page: "docs/drills.md",
        ref: { table: DRILL_PROPS, file: "provider/core/drillProps.ts", exportName: "DRILL_PROPS" },
    });
    return out;
}

/** The markers around a table. */
export function markers(name: string): { start: string; end: string } {
    return { start: `<!-- props:${name}:start -->`, end: `<!-- props:${name}:end -->` };
}

const code = (s: string) => `\`${s}\``;
/** Text fit for one table cell: one line, pipes escaped. */
const cell = (s: string) => s.replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|");

function range(min: number | undefined, max: number | undefined): string {
    if (min !== undefined && max !== undefined) return `${min} to ${max}`;
    if (min !== undefined) return `at least ${min}`;
    if (max !== undefined) return `at most ${max}`;
    return "";
}

function typeText(t: PropType): string {
    switch (t.kind) {
        case "string": {
            const r = range(t.minLength, t.maxLength);
            return r ? `string (${r} characters)` : "string";
        }
        case "enum":
            return t.values.map((v) => code(JSON.stringify(v))).join(" | ");
        case "integer": {
            const r = range(t.min, t.max);
            return `integer${r ? ` ${r}` : ""}${t.unit ? ` ${t.unit}` : ""}${t.orText ? " (or its text)" : ""}`;
        }
        case "boolean":
            return "boolean";
        case "list": {
            const r = range(t.minItems, t.maxItems);
            return `list of ${typeText(t.items)}${r ? ` (${r} items)` : ""}`;
        }
        case "map":
            return `map of ${typeText(t.values)}`;
        case "triggers":
            return "map of string, number or boolean";
        case "jsonOr":
            return `${typeText(t.of)}, or its JSON text`;
        case "object":
        case "selector":
        case "timeouts":
            return `object ${code(t.name)}`;
    }
}

function defaultText(p: Prop): string {
    if (p.defaultText) return p.defaultText;
    if (p.default !== undefined) return code(JSON.stringify(p.default));
    return "";
}

function rows(table: PropTable, docs: Record<string, PropDoc>, prefix: string, replaceCol: boolean): string[] {
    const out: string[] = [];
    for (const [key, p] of Object.entries(table)) {
        if (p.internal) continue;
        const name = `${prefix}${key}`;
        const cols = [
            code(name),
            typeText(p.type),
            p.required ? "yes" : "",
            p.secret ? "yes" : "",
            ...(replaceCol ? [p.replaces ? "yes" : ""] : []),
            defaultText(p),
            docs[key]?.doc ?? "",
        ];
        out.push(`| ${cols.map(cell).join(" | ")} |`);
        const fields = docs[key]?.fields;
        let t = p.type.kind === "jsonOr" ? p.type.of : p.type;
        const list = t.kind === "list";
        if (t.kind === "list") t = t.items;
        if (fields && (t.kind === "object" || t.kind === "selector" || t.kind === "timeouts")) {
            const sub = list ? `${name}[].` : `${name}.`;
            out.push(...rows(t.fields, fields, sub, replaceCol));
        }
    }
    return out;
}

/** The generated text of one table (what goes between its markers). */
export function tableText(t: DocTable, program: ts.Program): string {
    const docs = tableDocs(program, t.ref);
    // A drill runs again on any change of its inputs: no input replaces anything, so the column is left out.
    const replaceCol = Object.values(t.ref.table).some((p) => p.replaces);
    const head = ["input", "type", "required", "secret", ...(replaceCol ? ["replaces"] : []), "default", "description"];
    return [
        `<!-- generated by tools/propsdoc.ts from ${t.ref.file} (${t.ref.exportName}): run \`npm run docs:props\` -->`,
        `| ${head.join(" | ")} |`,
        `|${head.map(() => "---").join("|")}|`,
        ...rows(t.ref.table, docs, "", replaceCol),
    ].join("\n");
}

/** A program holding every table's file, for reading their doc comments. */
export function tablesProgram(tables: DocTable[]): ts.Program {
    return ts.createProgram([...new Set(tables.map((t) => path.join(ROOT, t.ref.file)))], {
        target: ts.ScriptTarget.ES2020,
        module: ts.ModuleKind.CommonJS,
        strict: true,
        skipLibCheck: true,
        noEmit: true,
    });
}

/** A page with its tables regenerated; throws when a page lacks a table's markers. */
export function regenerate(page: string, text: string, tables: DocTable[], program: ts.Program): string {
    let out = text;
    for (const t of tables.filter((x) => x.page === page)) {
        const { start, end } = markers(t.name);
        const a = out.indexOf(start);
        const b = out.indexOf(end);
        if (a < 0 || b < a) throw new Error(`${page}: no markers ${start} ... ${end} for the inputs of ${t.name}`);
        out = `${out.slice(0, a + start.length)}\n${tableText(t, program)}\n${out.slice(b)}`;
    }
    return out;
}

/** Each page with tables: its current text and what the tables give. */
export function pages(
    tables: DocTable[] = docTables(),
    program: ts.Program = tablesProgram(tables),
): { page: string; current: string; generated: string }[] {
    return [...new Set(tables.map((t) => t.page))].map((page) => {
        const current = fs.readFileSync(path.join(ROOT, page), "utf8");
        return { page, current, generated: regenerate(page, current, tables, program) };
    });
}

if (require.main === module) {
    let stale = 0;
    for (const p of pages()) {
        if (p.current === p.generated) continue;
        if (process.argv.includes("--check")) {
            console.error(
                `${p.page}: the inputs tables are out of date with the tables of properties: run \`npm run docs:props\``,
            );
            stale++;
        } else {
            fs.writeFileSync(path.join(ROOT, p.page), p.generated);
            console.log(`wrote ${p.page}`);
        }
    }
    process.exit(stale ? 1 : 0);
}
