/**
 * The official Tencent Cloud Node SDK (tencentcloud-sdk-nodejs, a devDependency) as the oracle of the Redis API
 * 2018-04-12: its model file `redis_models.d.ts` is read with the TypeScript compiler API (each interface's fields,
 * whether they are optional, their declared type and their doc comment), and values are checked against it. Nothing
 * here is copied from the SDK: the facts come out of its files when the tests run.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..", "..");
/** The SDK package folder. */
export const SDK_DIR = path.join(ROOT, "node_modules", "tencentcloud-sdk-nodejs");
/** The Redis service folder inside the SDK package. */
export const REDIS_SDK_DIR = path.join(SDK_DIR, "tencentcloud", "services", "redis", "v20180412");
/** The model file, relative to the package (for messages and docs). */
export const MODELS_FILE = "tencentcloud/services/redis/v20180412/redis_models.d.ts";

/** One field of a model interface. */
export interface ModelField {
    name: string;
    optional: boolean;
    /** The declared type as written, e.g. `string`, `number`, `Array<number | bigint>`, `Array<RedisBackupSet>`. */
    type: string;
    /** The doc comment's text (the SDK's prose: enums, defaults, formats). */
    doc: string;
}

/** An interface of a `.d.ts` file: field name → field. */
export type Model = Map<string, ModelField>;

function docOf(node: ts.Node, sf: ts.SourceFile): string {
    const ranges = ts.getLeadingCommentRanges(sf.text, node.getFullStart()) ?? [];
    return ranges
        .map((r) => sf.text.slice(r.pos, r.end))
        .join("\n")
        .replace(/^\s*\/\*\*|\*\/\s*$/g, "")
        .split("\n")
        .map((l) => l.replace(/^\s*\*\s?/, ""))
        .join("\n")
        .trim();
}

/** Every exported interface of a `.d.ts` (or `.ts`) file with its fields. */
export function interfacesOf(file: string): Map<string, Model> {
    const sf = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const out = new Map<string, Model>();
    const visit = (n: ts.Node) => {
        if (ts.isInterfaceDeclaration(n)) {
            const fields: Model = new Map();
            for (const m of n.members) {
                if (!ts.isPropertySignature(m) || !m.type) continue;
                const name = m.name.getText(sf);
                fields.set(name, { name, optional: !!m.questionToken, type: m.type.getText(sf), doc: docOf(m, sf) });
            }
            out.set(n.name.text, fields);
        }
        ts.forEachChild(n, visit);
    };
    visit(sf);
    return out;
}

let cached: Map<string, Model> | undefined;

/** The Redis models of the SDK. */
export function redisModels(): Map<string, Model> {
    cached ??= interfacesOf(path.join(SDK_DIR, MODELS_FILE));
    return cached;
}

/** One interface of the SDK's Redis models; throws when the SDK has none of that name. */
export function model(name: string): Model {
    const m = redisModels().get(name);
    if (!m) throw new Error(`the SDK's ${MODELS_FILE} has no interface ${name}`);
    return m;
}

/** One field of a model; throws when it does not exist. */
export function field(iface: string, name: string): ModelField {
    const f = model(iface).get(name);
    if (!f) throw new Error(`${iface} has no field ${name} in the SDK's ${MODELS_FILE}`);
    return f;
}

/**
 * Checks a JSON value against a declared SDK type; returns the problems found, each with its path. Objects must not
 * carry fields the model does not have (catches casing), and null is accepted only where the SDK's doc says the field
 * may be null.
 */
export function checkValue(type: string, value: unknown, at: string, nullable = false): string[] {
    type = type.trim();
    if (value === null)
        return nullable ? [] : [`${at}: null, but the SDK types it ${type} and does not say it may be null`];
    const arr = /^Array<(.*)>$/.exec(type);
    if (arr) {
        if (!Array.isArray(value)) return [`${at}: expected ${type}, got ${JSON.stringify(value)}`];
        return value.flatMap((v, i) => checkValue(arr[1], v, `${at}[${i}]`));
    }
    if (type === "string" || type === "boolean")
        return typeof value === type ? [] : [`${at}: expected ${type}, got ${JSON.stringify(value)}`];
    if (type === "number" || type === "number | bigint")
        return typeof value === "number" && Number.isFinite(value)
            ? []
            : [`${at}: expected a JSON number (${type}), got ${JSON.stringify(value)}`];
    const m = redisModels().get(type);
    if (!m) return [`${at}: the SDK's type ${type} is not one the contract tests know how to check`];
    return checkObject(type, value, at);
}

/** Checks an object against a model interface (unknown fields, types, required fields). */
export function checkObject(iface: string, value: unknown, at = iface): string[] {
    if (typeof value !== "object" || value === null || Array.isArray(value))
        return [`${at}: expected an object (${iface}), got ${JSON.stringify(value)}`];
    const m = model(iface);
    const problems: string[] = [];
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const f = m.get(k);
        if (!f) {
            const near = [...m.keys()].find((n) => n.toLowerCase() === k.toLowerCase());
            problems.push(`${at}.${k}: not a field of ${iface}${near ? ` (the SDK spells it ${near})` : ""}`);
            continue;
        }
        problems.push(...checkValue(f.type, v, `${at}.${k}`, /null/i.test(f.doc)));
    }
    for (const f of m.values())
        if (!f.optional && !(f.name in (value as Record<string, unknown>)))
            problems.push(`${at}.${f.name}: required by ${iface}, missing`);
    return problems;
}

/**
 * The enum values a field's doc lists in prose. The SDK's models carry enums only in their comments, in two layouts:
 * `- value：text` lines (DescribeTaskInfo's Status) and `<li>value：text</li>` items; the list ends at the first line
 * of another shape. Values are returned as written.
 */
export function proseEnum(iface: string, name: string): string[] {
    const doc = field(iface, name)
        .doc.replace(/<\/li>/g, "\n")
        .replace(/<li>/g, "\n- ");
    const out: string[] = [];
    for (const line of doc.split("\n")) {
        const m = /^\s*-?\s*([A-Za-z_]+|-?\d+)\s*[：:]/.exec(line);
        if (m) out.push(m[1]);
    }
    return out;
}

/** The task types the doc of a field lists as `NAME: "code"` pairs (DescribeTaskList's TaskTypes, TaskInfoDetail). */
export function taskTypePairs(iface: string, name: string): { name: string; code: string }[] {
    const out: { name: string; code: string }[] = [];
    const re = /(FLOW_[A-Za-z_]+)\s*[：:]\s*"(\d{3})"/g;
    for (let m = re.exec(field(iface, name).doc); m; m = re.exec(field(iface, name).doc))
        out.push({ name: m[1], code: m[2] });
    return out;
}

/** A value of a declared type, for answers generated from the model: strings are their field's name. */
export function sampleOf(type: string, name: string): unknown {
    type = type.trim();
    const arr = /^Array<(.*)>$/.exec(type);
    if (arr) return [sampleOf(arr[1], name)];
    if (type === "string") return name;
    if (type === "boolean") return true;
    if (type === "number" || type === "number | bigint") return 1;
    const m = redisModels().get(type);
    if (!m) throw new Error(`no sample for the SDK type ${type}`);
    return Object.fromEntries([...m.values()].map((f) => [f.name, sampleOf(f.type, f.name)]));
}
