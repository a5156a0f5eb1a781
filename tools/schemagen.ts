/**
 * Generates the provider plugin's Pulumi package schema (plugin/schema.json) from our TypeScript source of truth:
 * each resource's table of properties (provider/core/props.ts: names, types, required, secret; the doc comment of each
 * entry), or, for a resource without one, its class's Args interface (names, types, optionality, TSDoc); the class's
 * declared outputs; and the settings the providers read (the plugin's configuration).
 *
 *   npm run schema            writes plugin/schema.json
 *   npm run schema -- --check exits 1 if plugin/schema.json differs from what the sources give
 *
 * tests/unit/plugin-schema.test.ts regenerates it and compares, so the schema and the sources cannot drift.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { CLOUD_SETTINGS, PACKAGE, keyName } from "../plugin/config";
import { PluginResource, RESOURCES, tokenOf } from "../plugin/resources";
import { FUNCTIONS, FUNCTION_NAMES, functionToken } from "../plugin/functions";
import { Prop, PropTable, PropType, TableRef } from "../provider/core/props";
import { DRILL_PROPS } from "../provider/core/drillProps";
import { docOf, memberType, tableType } from "./propDocs";

/** The repository root. */
export const ROOT = path.resolve(__dirname, "..");
/** Where the schema is written. */
export const SCHEMA_PATH = path.join(ROOT, "plugin", "schema.json");

/** A Pulumi schema type (the subset used here). */
export interface TypeSpec {
    type?: "string" | "number" | "integer" | "boolean" | "array" | "object";
    items?: TypeSpec;
    additionalProperties?: TypeSpec;
    $ref?: string;
    oneOf?: TypeSpec[];
}

/** A property of a resource or object type. */
export interface PropertySpec extends TypeSpec {
    description?: string;
    secret?: boolean;
}

interface ObjectTypeSpec {
    type: "object";
    description?: string;
    properties: Record<string, PropertySpec>;
    required?: string[];
}

interface ResourceSpec {
    description?: string;
    inputProperties: Record<string, PropertySpec>;
    requiredInputs: string[];
    properties: Record<string, PropertySpec>;
    required: string[];
}

/** The generated package schema. */
export interface PackageSchema {
    name: string;
    displayName: string;
    version: string;
    description: string;
    license: string;
    repository?: string;
    config: { variables: Record<string, PropertySpec> };
    provider: { description: string; inputProperties: Record<string, PropertySpec> };
    types: Record<string, ObjectTypeSpec>;
    resources: Record<string, ResourceSpec>;
    functions: Record<string, FunctionSpec>;
    language: Record<string, unknown>;
}

/** A function (invoke) of the package: its arguments and its result, as object types. */
interface FunctionSpec {
    description?: string;
    inputs: { properties: Record<string, PropertySpec>; required?: string[] };
    outputs: { properties: Record<string, PropertySpec>; required?: string[] };
}

const ANY: TypeSpec = { $ref: "pulumi.json#/Any" };
/** Type wrappers that only say how a value is passed (a promise, an Output), not what it is. */
const WRAPPERS = ["pulumi.Input", "pulumi.Output", "Promise"];

/** `undefined` or `null` in a union: optionality, not a type. */
function isNothing(t: ts.TypeNode): boolean {
    if (t.kind === ts.SyntaxKind.UndefinedKeyword) return true;
    return ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword;
}

const code = (s: string) => `\`${s}\``;

/** Turns TSDoc text into a schema description: one paragraph per blank line, `{@link X}` as `X`. */
function docText(node: ts.Node, checker: ts.TypeChecker): string | undefined {
    const own = (node as ts.Node & { symbol?: ts.Symbol }).symbol;
    const sym = own ?? checker.getSymbolAtLocation((node as ts.NamedDeclaration).name ?? node);
    if (!sym) return undefined;
    const raw = ts.displayPartsToString(sym.getDocumentationComment(checker));
    const text = raw.replace(/\{@link\s+([^}\s]+)\s*\}/g, "$1").trim();
    return text || undefined;
}

/** Generates the schema types of one resource: walks type nodes, naming object types after the resource's module. */
class TypeMapper {
    constructor(
        private readonly checker: ts.TypeChecker,
        private readonly module: string,
        readonly types: Record<string, ObjectTypeSpec>,
    ) {}

    /** The schema type of a TypeScript type node (Input/Output wrappers and `undefined` removed). */
    map(node: ts.TypeNode, where: string): TypeSpec {
        if (ts.isParenthesizedTypeNode(node)) return this.map(node.type, where);
        if (ts.isTypeReferenceNode(node)) {
            const name = node.typeName.getText();
            const args = node.typeArguments ?? ts.factory.createNodeArray();
            if (WRAPPERS.includes(name)) return this.map(args[0], where);
            if (name === "Record") return { type: "object", additionalProperties: this.map(args[1], where) };
            if (name === "Array") return { type: "array", items: this.map(args[0], where) };
            if (name === "Omit") return this.omitted(node, where);
            return this.named(node, where);
        }
        if (ts.isArrayTypeNode(node)) return { type: "array", items: this.map(node.elementType, where) };
        if (ts.isUnionTypeNode(node)) {
            const members = node.types.filter((t) => !isNothing(t));
            // A union of string literals is a string whose allowed values the description and check() name.
            if (members.every((t) => ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal))) {
                return { type: "string" };
            }
            const mapped = dedupe(members.map((t) => this.map(t, where)));
            if (mapped.length === 1) return mapped[0];
            // Mixed primitives (a trigger value: string, number or boolean) are any value; other unions stay unions.
            const primitive = (m: TypeSpec) => m.type === "string" || m.type === "number" || m.type === "boolean";
            if (mapped.length > 2 && mapped.every(primitive)) return ANY;
            return { oneOf: mapped };
        }
        if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal)) return { type: "string" };
        if (ts.isTypeLiteralNode(node)) return this.objectType(node.members, where, undefined);
        switch (node.kind) {
            case ts.SyntaxKind.StringKeyword:
                return { type: "string" };
            case ts.SyntaxKind.NumberKeyword:
                return { type: "number" };
            case ts.SyntaxKind.BooleanKeyword:
                return { type: "boolean" };
            case ts.SyntaxKind.UnknownKeyword:
            case ts.SyntaxKind.AnyKeyword:
                return ANY;
        }
        throw new Error(`${where}: no schema type for TypeScript type \`${node.getText()}\``);
    }

    /**
     * The schema type of a table's property type. `ts` is the TypeScript type of the same `type` object, where the
     * doc comments of nested tables' entries are found.
     */
    mapProp(t: PropType, tsType: ts.Type, where: string): TypeSpec {
        switch (t.kind) {
            case "string":
            case "enum":
                return { type: "string" };
            // Whole numbers are `number` in the Args, so they stay `number` here (the SDKs' types do not change).
            case "integer":
                return t.orText ? { oneOf: [{ type: "number" }, { type: "string" }] } : { type: "number" };
            case "boolean":
                return { type: "boolean" };
            case "list":
                return {
                    type: "array",
                    items: this.mapProp(t.items, memberType(this.checker, tsType, "items"), where),
                };
            case "map":
                return {
                    type: "object",
                    additionalProperties: this.mapProp(t.values, memberType(this.checker, tsType, "values"), where),
                };
            case "triggers":
                return { type: "object", additionalProperties: ANY };
            case "jsonOr":
                return {
                    oneOf: [{ type: "string" }, this.mapProp(t.of, memberType(this.checker, tsType, "of"), where)],
                };
            case "object":
            case "selector":
            case "timeouts":
                return this.tableObject(t.name, t.doc, t.fields, memberType(this.checker, tsType, "fields"), where);
        }
    }

    /** The properties of a table: their schema types, doc comments, secrecy, and which are required. */
    tableProperties(
        table: PropTable,
        tsType: ts.Type,
        where: string,
    ): { properties: Record<string, PropertySpec>; required: string[] } {
        const properties: Record<string, PropertySpec> = {};
        const required: string[] = [];
        for (const [key, prop] of Object.entries(table) as [string, Prop][]) {
            if (prop.internal) continue;
            const sym = tsType.getProperty(key);
            if (!sym) throw new Error(`${where}.${key}: not in the table's TypeScript type`);
            const t = memberType(this.checker, this.checker.getTypeOfSymbol(sym), "type");
            const p: PropertySpec = { ...this.mapProp(prop.type, t, `${where}.${key}`) };
            const d = docOf(sym, this.checker);
            if (d) p.description = d;
            if (prop.secret) p.secret = true;
            properties[key] = p;
            if (prop.required) required.push(key);
        }
        return { properties, required };
    }

    /** A table's nested object: a named type of this resource's module (input and output variants share it). */
    private tableObject(name: string, doc: string, fields: PropTable, tsType: ts.Type, where: string): TypeSpec {
        const token = `${PACKAGE}:${this.module}:${name}`;
        const spec: ObjectTypeSpec = { type: "object", properties: {} };
        if (doc) spec.description = doc;
        const { properties, required } = this.tableProperties(fields, tsType, where);
        spec.properties = properties;
        if (required.length > 0) spec.required = required;
        return this.register(token, spec, where);
    }

    /** Records an object type under its token; a second declaration must agree on the properties. */
    private register(token: string, spec: ObjectTypeSpec, where: string): TypeSpec {
        const existing = this.types[token];
        // The input and output variants of a type (VSwitchArgs, the vSwitches output) meet under one name: keep the
        // first (the input, with its documentation) and require that they agree on the properties.
        if (existing) {
            const a = Object.keys(existing.properties).sort().join(",");
            const b = Object.keys(spec.properties).sort().join(",");
            if (a !== b) {
                throw new Error(`${where}: type ${token} is declared twice with different properties (${a} / ${b})`);
            }
        } else {
            this.types[token] = spec;
        }
        return { $ref: `#/types/${token}` };
    }

    /** An interface or type alias by name: an object type of this resource's module. */
    private named(node: ts.TypeReferenceNode, where: string): TypeSpec {
        let sym = this.checker.getSymbolAtLocation(node.typeName);
        if (sym && sym.flags & ts.SymbolFlags.Alias) sym = this.checker.getAliasedSymbol(sym);
        const decl = sym?.declarations?.[0];
        if (!decl) throw new Error(`${where}: cannot resolve type ${node.typeName.getText()}`);
        if (ts.isTypeAliasDeclaration(decl)) return this.map(decl.type, where);
        if (!ts.isInterfaceDeclaration(decl)) {
            throw new Error(`${where}: ${node.typeName.getText()} is not an interface`);
        }
        // Input types are named without their "Args" suffix; input and output variants share the name.
        const name = decl.name.text.replace(/(Args|Output)$/, "");
        return this.objectType(decl.members, where, { name, doc: docText(decl, this.checker) });
    }

    /**
     * `Omit<SomeArgs, "a" | "b">` (a drill's scratch instance spec without the name the drill sets): an object type of
     * the interface's other members, named after the resource that uses it (`RestoreDrillInstanceSpec`), since the
     * interface's own name already stands for the full type.
     */
    private omitted(node: ts.TypeReferenceNode, where: string): TypeSpec {
        const [target, keys] = node.typeArguments ?? [];
        if (!target || !keys || !ts.isTypeReferenceNode(target)) {
            throw new Error(`${where}: Omit of something other than a named interface: ${node.getText()}`);
        }
        let sym = this.checker.getSymbolAtLocation(target.typeName);
        if (sym && sym.flags & ts.SymbolFlags.Alias) sym = this.checker.getAliasedSymbol(sym);
        const decl = sym?.declarations?.[0];
        if (!decl || !ts.isInterfaceDeclaration(decl)) {
            throw new Error(`${where}: ${target.getText()} in Omit is not an interface`);
        }
        const literals = ts.isUnionTypeNode(keys) ? [...keys.types] : [keys];
        const left = new Set(
            literals.map((t) => {
                if (!ts.isLiteralTypeNode(t) || !ts.isStringLiteral(t.literal)) {
                    throw new Error(`${where}: Omit keys must be string literals: ${keys.getText()}`);
                }
                return t.literal.text;
            }),
        );
        const members = decl.members.filter((m) => !(m.name && left.has(m.name.getText())));
        const name = `${where.split(".")[0]}${decl.name.text.replace(/(Args|Output)$/, "")}`;
        return this.objectType(ts.factory.createNodeArray(members), where, { name, doc: docText(decl, this.checker) });
    }

    /** An object type from members; anonymous ones are named after the property path that holds them. */
    private objectType(
        members: ts.NodeArray<ts.TypeElement>,
        where: string,
        named: { name: string; doc?: string } | undefined,
    ): TypeSpec {
        const name =
            named?.name ??
            where
                .split(".")
                .slice(1)
                .map((p) => p[0].toUpperCase() + p.slice(1))
                .join("");
        const token = `${PACKAGE}:${this.module}:${name}`;
        const spec: ObjectTypeSpec = { type: "object", properties: {} };
        if (named?.doc) spec.description = named.doc;
        const required: string[] = [];
        for (const m of members) {
            // An index signature (free-form extra keys, e.g. further NIC parameters) has no schema form: its keys are
            // passed through untyped by the providers, and the description says so.
            if (!ts.isPropertySignature(m) || !m.type) continue;
            const key = m.name.getText();
            const p: PropertySpec = { ...this.map(m.type, `${where}.${key}`) };
            const d = docText(m, this.checker);
            if (d) p.description = d;
            spec.properties[key] = p;
            if (!m.questionToken && !includesUndefined(m.type)) required.push(key);
        }
        if (required.length > 0) spec.required = required;
        return this.register(token, spec, where);
    }
}

function dedupe(specs: TypeSpec[]): TypeSpec[] {
    const seen = new Set<string>();
    return specs.filter((s) => {
        const k = JSON.stringify(s);
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
    });
}

function includesUndefined(node: ts.TypeNode): boolean {
    if (ts.isTypeReferenceNode(node) && WRAPPERS.includes(node.typeName.getText())) {
        return node.typeArguments ? includesUndefined(node.typeArguments[0]) : false;
    }
    return ts.isUnionTypeNode(node) && node.types.some((t) => t.kind === ts.SyntaxKind.UndefinedKeyword);
}

function findDecl<T extends ts.InterfaceDeclaration | ts.ClassDeclaration | ts.FunctionDeclaration>(
    sf: ts.SourceFile,
    test: (n: ts.Node) => n is T,
    name: string,
): T {
    let found: T | undefined;
    sf.forEachChild((n) => {
        if (test(n) && n.name?.text === name) found = n;
    });
    if (!found) throw new Error(`${sf.fileName}: ${name} not found`);
    return found;
}

function resourceSpec(r: PluginResource, program: ts.Program, types: Record<string, ObjectTypeSpec>): ResourceSpec {
    const checker = program.getTypeChecker();
    const sf = program.getSourceFile(path.join(ROOT, r.component.file));
    if (!sf) throw new Error(`${r.component.file} is not in the program`);
    const cls = findDecl(sf, ts.isClassDeclaration, r.component.className);
    const mapper = new TypeMapper(checker, r.module, types);
    const secret = new Set(r.secretInputs);
    const at = `${r.component.file}:${r.component.className}`;

    let inputProperties: Record<string, PropertySpec> = {};
    let requiredInputs: string[] = [];
    if (r.props) {
        // The resource's table of properties.
        const t = tableProperties(r.props, program, mapper, r.type);
        inputProperties = t.properties;
        requiredInputs = t.required;
    } else {
        const args = findDecl(sf, ts.isInterfaceDeclaration, r.component.argsName);
        for (const m of argMembers(args, checker)) {
            const key = m.kind === "table" ? m.key : m.decl.name.getText();
            const p: PropertySpec =
                m.kind === "table"
                    ? { ...tableProperties(m.ref, program, mapper, r.type, [key]).properties[key] }
                    : { ...mapper.map(m.decl.type, `${r.type}.${key}`) };
            const d = m.kind === "table" ? p.description : docText(m.decl, checker);
            if (d) p.description = d;
            if (secret.has(key)) p.secret = true;
            inputProperties[key] = p;
            if (m.kind === "args" && !m.decl.questionToken) requiredInputs.push(key);
            if (m.kind === "table" && m.ref.table[key].required) requiredInputs.push(key);
        }
    }

    // Outputs: every input is echoed in state (the effective inputs), plus what the class declares.
    const properties: Record<string, PropertySpec> = {};
    const required: string[] = [];
    for (const [k, v] of Object.entries(inputProperties)) properties[k] = { ...v };
    for (const m of cls.members) {
        if (!ts.isPropertyDeclaration(m) || !m.type) continue;
        if (!m.modifiers?.some((x) => x.kind === ts.SyntaxKind.DeclareKeyword)) continue;
        const key = m.name.getText();
        const d = docText(m, checker);
        // A property both input and output keeps the input's type (the input's named object type, not an inline one).
        const p: PropertySpec = { ...(inputProperties[key] ?? mapper.map(m.type, `${r.type}.${key}`)) };
        if (d) p.description = d;
        if (secret.has(key)) p.secret = true;
        properties[key] = p;
        if (!includesUndefined(m.type)) required.push(key);
    }
    for (const k of r.secretInputs) {
        if (!inputProperties[k]) throw new Error(`${at}: secret input ${k} is not in ${r.component.argsName}`);
    }
    return { description: docText(cls, checker), inputProperties, requiredInputs, properties, required };
}

/**
 * The property signatures of an Args interface, inherited ones included: a drill's Args extend its restore resource's
 * (through `Omit<...>`, which keeps each property's own declaration) and the drills' common `DrillArgs`. Own members
 * come first, in their order; an own member overrides an inherited one of the same name.
 */
type TypedProperty = ts.PropertySignature & { type: ts.TypeNode };

/** An Args member: a property signature, or an entry of a shared table (a drill's own inputs, {@link DRILL_PROPS}). */
type ArgMember = { kind: "args"; decl: TypedProperty } | { kind: "table"; key: string; ref: TableRef };

/** Tables whose entries Args interfaces without a table of their own inherit (through `ArgsOf`). */
const SHARED_TABLES: readonly TableRef[] = [
    { table: DRILL_PROPS, file: "provider/core/drillProps.ts", exportName: "DRILL_PROPS" },
];

function argMembers(decl: ts.InterfaceDeclaration, checker: ts.TypeChecker): ArgMember[] {
    const own: ArgMember[] = decl.members
        .filter((m): m is TypedProperty => ts.isPropertySignature(m) && !!m.type)
        .map((m) => ({ kind: "args", decl: m }));
    if (!decl.heritageClauses?.length) return own;
    const names = new Set(own.map((m) => (m.kind === "args" ? m.decl.name.getText() : m.key)));
    const inherited: ArgMember[] = [];
    for (const sym of checker.getTypeAtLocation(decl.name).getProperties()) {
        if (names.has(sym.name)) continue;
        const m = sym.valueDeclaration ?? sym.declarations?.[0];
        if (m && ts.isPropertySignature(m) && m.type) {
            inherited.push({ kind: "args", decl: m as TypedProperty });
            continue;
        }
        const file = m ? path.relative(ROOT, m.getSourceFile().fileName) : "";
        const ref = SHARED_TABLES.find((t) => t.file === file && sym.name in t.table);
        if (!ref) throw new Error(`${decl.name.text}.${sym.name}: an inherited property without a property signature`);
        inherited.push({ kind: "table", key: sym.name, ref });
    }
    return [...own, ...inherited];
}

/** The schema properties of a table (or of some of its keys), with the doc comments of its entries. */
function tableProperties(
    ref: TableRef,
    program: ts.Program,
    mapper: TypeMapper,
    where: string,
    keys?: string[],
): { properties: Record<string, PropertySpec>; required: string[] } {
    const table = keys ? Object.fromEntries(keys.map((k) => [k, ref.table[k]])) : ref.table;
    return mapper.tableProperties(table, tableType(program, ref), where);
}

/** The properties of an interface, inherited ones included (`GetBackupsArgs extends BackupFilterArgs`). */
function interfaceProperties(
    decl: ts.InterfaceDeclaration,
    checker: ts.TypeChecker,
    mapper: TypeMapper,
    where: string,
): { properties: Record<string, PropertySpec>; required?: string[] } {
    const type = checker.getTypeAtLocation(decl.name);
    const properties: Record<string, PropertySpec> = {};
    const required: string[] = [];
    for (const sym of type.getProperties()) {
        const m = sym.valueDeclaration;
        if (!m || !ts.isPropertySignature(m) || !m.type) continue;
        const p: PropertySpec = { ...mapper.map(m.type, `${where}.${sym.name}`) };
        const d = docText(m, checker);
        if (d) p.description = d;
        properties[sym.name] = p;
        if (!m.questionToken) required.push(sym.name);
    }
    return required.length > 0 ? { properties, required } : { properties };
}

/** The lookup functions (plugin/functions.ts): arguments from each cloud's GetBackupsArgs, results from lookup.ts. */
function functionSpecs(program: ts.Program, types: Record<string, ObjectTypeSpec>): Record<string, FunctionSpec> {
    const checker = program.getTypeChecker();
    const lookup = program.getSourceFile(path.join(ROOT, "provider/core/lookupFunctions.ts"));
    if (!lookup) throw new Error("provider/core/lookupFunctions.ts is not in the program");
    const out: Record<string, FunctionSpec> = {};
    for (const f of FUNCTIONS) {
        const sf = program.getSourceFile(path.join(ROOT, f.file));
        if (!sf) throw new Error(`${f.file} is not in the program`);
        const mapper = new TypeMapper(checker, f.module, types);
        const args = findDecl(sf, ts.isInterfaceDeclaration, "GetBackupsArgs");
        for (const [name, result] of Object.entries(FUNCTION_NAMES) as [keyof typeof FUNCTION_NAMES, string][]) {
            const fn = findDecl(sf, ts.isFunctionDeclaration, name);
            const res = findDecl(lookup, ts.isInterfaceDeclaration, result);
            const spec: FunctionSpec = {
                inputs: interfaceProperties(args, checker, mapper, name),
                outputs: interfaceProperties(res, checker, mapper, name),
            };
            const d = docText(fn, checker);
            if (d) spec.description = d;
            out[functionToken(f.module, name)] = spec;
        }
    }
    return out;
}

function configTypes(types: Record<string, ObjectTypeSpec>): Record<string, PropertySpec> {
    const vars: Record<string, PropertySpec> = {};
    for (const c of CLOUD_SETTINGS) {
        const ns = c.namespace;
        const token = `${PACKAGE}:index:${c.namespace[0].toUpperCase()}${c.namespace.slice(1)}Settings`;
        const spec: ObjectTypeSpec = { type: "object", properties: {} };
        for (const s of Object.values(c.settings)) {
            const envs = s.env.map(code).join(", ");
            for (const key of s.config) {
                const p: PropertySpec = {
                    type: "string",
                    description: `The dynamic resources' ${code(key)}. Else the environment: ${envs}.`,
                };
                if (c.secretKeys.includes(key)) p.secret = true;
                spec.properties[keyName(key)] = p;
            }
        }
        spec.description = `Settings of the ${c.namespace} resources: the keys the dynamic resources read as ${code(`${ns}:<key>`)}.`;
        types[token] = spec;
        vars[c.namespace] = {
            $ref: `#/types/${token}`,
            description:
                `${ns} settings; set one with ${code(`pulumi config set --path ${PACKAGE}:${ns}.<key> <value>`)}` +
                " (`--secret` for secrets).",
        };
    }
    return vars;
}

/** Builds the schema from the sources. */
export function generateSchema(): PackageSchema {
    const files = [
        ...RESOURCES.map((r) => path.join(ROOT, r.component.file)),
        ...RESOURCES.flatMap((r) => (r.props ? [path.join(ROOT, r.props.file)] : [])),
        ...SHARED_TABLES.map((t) => path.join(ROOT, t.file)),
        ...FUNCTIONS.map((f) => path.join(ROOT, f.file)),
    ];
    const program = ts.createProgram(files, {
        target: ts.ScriptTarget.ES2020,
        module: ts.ModuleKind.CommonJS,
        strict: true,
        skipLibCheck: true,
        noEmit: true,
    });
    const types: Record<string, ObjectTypeSpec> = {};
    const variables = configTypes(types);
    const resources: Record<string, ResourceSpec> = {};
    for (const r of RESOURCES) resources[tokenOf(r)] = resourceSpec(r, program, types);
    const functions = functionSpecs(program, types);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
        version: string;
        description: string;
        license: string;
    };
    const sorted = (o: Record<string, ObjectTypeSpec>) =>
        Object.fromEntries(
            Object.keys(o)
                .sort()
                .map((k) => [k, o[k]]),
        );
    return {
        name: PACKAGE,
        displayName: "pulumi-restore",
        version: pkg.version,
        description: pkg.description,
        license: pkg.license,
        config: { variables },
        provider: {
            description:
                "The pulumi-restore provider: one settings object per cloud " +
                "(the same keys as the dynamic resources read).",
            inputProperties: variables,
        },
        types: sorted(types),
        resources,
        functions,
        language: { nodejs: { respectSchemaVersion: true } },
    };
}

/** The schema as written to plugin/schema.json. */
export function schemaJson(): string {
    return `${JSON.stringify(generateSchema(), null, 2)}\n`;
}

if (require.main === module) {
    const text = schemaJson();
    if (process.argv.includes("--check")) {
        const current = fs.existsSync(SCHEMA_PATH) ? fs.readFileSync(SCHEMA_PATH, "utf8") : "";
        if (current !== text) {
            console.error("plugin/schema.json is out of date with the sources: run `npm run schema`");
            process.exit(1);
        }
        console.log("plugin/schema.json matches the sources");
    } else {
        fs.writeFileSync(SCHEMA_PATH, text);
        const count = Object.keys(generateSchema().resources).length;
        console.log(`wrote ${path.relative(process.cwd(), SCHEMA_PATH)} (${count} resources)`);
    }
}
