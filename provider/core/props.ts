import type * as pulumi from "@pulumi/pulumi";
import { SelectorSpec, checkBackupSelector, checkTriggers, selectorForState } from "./backupSelection";
import { Checker, isUnknownValue } from "./validate";

/**
 * One table of properties per resource: each input's name, type (nested objects included), whether it is secret,
 * required, replaces the resource when it changes, its default, and (as the doc comment on its entry) its
 * documentation. From the table come the resource class's Args ({@link ArgsOf}), the shape checks ({@link checkProps},
 * through the {@link Checker}, so failures read as they always did), the secret inputs ({@link secretKeys}), the keys
 * that replace ({@link replaceKeys}), the plugin schema (tools/schemagen.ts) and the inputs table of the reference docs
 * (tools/propsdoc.ts). A resource's `check*` function keeps only what a table cannot say: rules between fields.
 */

/** A string; `pattern`, `format` (what the pattern allows, in words) and lengths as {@link Checker.string} takes them. */
export interface StringType {
    readonly kind: "string";
    readonly pattern?: RegExp;
    readonly format?: string;
    readonly minLength?: number;
    readonly maxLength?: number;
}

/** One of a fixed set of strings. */
export interface EnumType {
    readonly kind: "enum";
    readonly values: readonly string[];
}

/**
 * A whole number in a range (`unit` names it in messages: "months"). Typed `number` in the Args and the schema; with
 * `orText`, a numeric string is declared too (the check accepts one either way: config values often arrive as text).
 */
export interface IntegerType {
    readonly kind: "integer";
    readonly min?: number;
    readonly max?: number;
    readonly unit?: string;
    readonly orText?: boolean;
}

/** true or false. */
export interface BooleanType {
    readonly kind: "boolean";
}

/** A list of items of one type. */
export interface ListType {
    readonly kind: "list";
    readonly items: PropType;
    readonly minItems?: number;
    readonly maxItems?: number;
}

/**
 * An object with fixed fields: a named type of the schema (`name`, described by `doc`). `format` is what a failure
 * says it must be ("{ zoneId, vswId }"); `unknownField` what it says of a field it does not know.
 */
export interface ObjectType {
    readonly kind: "object";
    readonly name: string;
    readonly doc: string;
    readonly fields: PropTable;
    readonly format?: string;
    readonly unknownField?: string;
    /** Other keys are allowed too (passed through unchecked by the table; a check function may look at them). */
    readonly open?: boolean;
}

/** A value given as itself or as its JSON text (the API takes text; a program may give the structure). */
export interface JsonOrType {
    readonly kind: "jsonOr";
    readonly of: PropType;
}

/** Free-form keys with values of one type (tags). */
export interface MapType {
    readonly kind: "map";
    readonly values: PropType;
}

/** `backupSelector`: checked by {@link checkBackupSelector} with the cloud's spec; `fields` document it. */
export interface SelectorType {
    readonly kind: "selector";
    readonly spec: SelectorSpec;
    readonly name: string;
    readonly doc: string;
    readonly fields: PropTable;
}

/** `triggers`: names to strings, numbers or booleans, checked by {@link checkTriggers}. */
export interface TriggersType {
    readonly kind: "triggers";
}

/** `timeouts`: `{ create?, update?, delete? }` durations, checked by {@link Checker.timeouts}; `fields` document them. */
export interface TimeoutsType {
    readonly kind: "timeouts";
    readonly name: string;
    readonly doc: string;
    readonly fields: PropTable;
}

/** The type of a property. */
export type PropType =
    | StringType
    | EnumType
    | IntegerType
    | BooleanType
    | ListType
    | ObjectType
    | MapType
    | SelectorType
    | TriggersType
    | TimeoutsType
    | JsonOrType;

/** One property. Its documentation is the doc comment on its entry in the table (hover shows it on the Args). */
export interface Prop {
    readonly type: PropType;
    /** Must be given (the Args field is not optional; check fails without it). */
    readonly required?: boolean;
    /** Holds a secret: the class wraps it with `pulumi.secret`, the provider redacts it, failures never show it. */
    readonly secret?: boolean;
    /** Consumed by the restore: a change replaces the resource. */
    readonly replaces?: boolean;
    /** The value check fills in when the property is absent (and the docs show). */
    readonly default?: string | number | boolean;
    /** A default that depends on other inputs or on the environment, in words, for the docs ("`alicloud:region`"). */
    readonly defaultText?: string;
    /** Set by the resource class, never by a user (the restore token): not in the Args, the schema or the docs. */
    readonly internal?: boolean;
}

/** A resource's (or a nested object's) properties, in the order the Args, the schema and the docs list them. */
export type PropTable = Readonly<Record<string, Prop>>;

/** A table and where it is declared (repository-relative file, exported const), for the generators in tools/. */
export interface TableRef {
    table: PropTable;
    file: string;
    exportName: string;
}

/**
 * Every restore resource's `restoreToken` (project, stack and resource name, `prt-` and 20 hex digits): set by the
 * resource class, never by the user (provider/core/resource.ts, `restoreToken`).
 */
export const RESTORE_TOKEN_PROP = {
    type: {
        kind: "string",
        pattern: /^prt-[0-9a-f]{20}$/,
        format: "set by the resource class (prt- and 20 hex digits)",
    },
    required: true,
    internal: true,
} as const;

/** Declares a table; the `const` type parameter keeps literal types (enum values, `required: true`). */
export function propTable<const T extends PropTable>(table: T): T {
    return table;
}

/** The TypeScript type of a value of `T`, each level wrapped in `pulumi.Input` as Args take it. */
export type InputOf<T extends PropType> = T extends EnumType
    ? T["values"][number]
    : T extends StringType
      ? string
      : T extends IntegerType
        ? T extends { orText: true }
            ? number | string
            : number
        : T extends BooleanType
          ? boolean
          : T extends ListType
            ? pulumi.Input<InputOf<T["items"]>>[]
            : T extends ObjectType & { open: true }
              ? ArgsOf<T["fields"]> & { [key: string]: unknown }
              : T extends ObjectType | SelectorType | TimeoutsType
                ? ArgsOf<T["fields"]>
                : T extends MapType
                  ? Record<string, pulumi.Input<InputOf<T["values"]>>>
                  : T extends TriggersType
                    ? Record<string, pulumi.Input<string | number | boolean>>
                    : T extends JsonOrType
                      ? string | InputOf<T["of"]>
                      : never;

type RequiredKeys<T extends PropTable> = {
    [K in keyof T]: T[K] extends { internal: true } ? never : T[K] extends { required: true } ? K : never;
}[keyof T];
type OptionalKeys<T extends PropTable> = {
    [K in keyof T]: T[K] extends { internal: true } ? never : T[K] extends { required: true } ? never : K;
}[keyof T];

/**
 * The Args of a resource (or of a nested object) from its table: every property a user sets, wrapped in
 * `pulumi.Input`, optional unless required. Homomorphic, so each field keeps the doc comment of its table entry.
 */
export type ArgsOf<T extends PropTable> = {
    [K in keyof T as K extends RequiredKeys<T> ? K : never]: pulumi.Input<InputOf<T[K]["type"]>>;
} & {
    [K in keyof T as K extends OptionalKeys<T> ? K : never]?: pulumi.Input<InputOf<T[K]["type"]>>;
};

/** The value of `T` after check (no Input wrapping): what the check function returns and state keeps. */
export type ValueOf<T extends PropType> = T extends EnumType
    ? T["values"][number]
    : T extends StringType
      ? string
      : T extends IntegerType
        ? number
        : T extends BooleanType
          ? boolean
          : T extends ListType
            ? ValueOf<T["items"]>[]
            : T extends ObjectType
              ? ValuesOf<T["fields"]>
              : T extends MapType
                ? Record<string, ValueOf<T["values"]>>
                : T extends SelectorType
                  ? Record<string, string>
                  : T extends TriggersType
                    ? Record<string, unknown>
                    : T extends TimeoutsType
                      ? { create?: string; update?: string; delete?: string }
                      : T extends JsonOrType
                        ? string
                        : never;

/** The checked values of a table: each absent (undefined) or of its type. */
export type ValuesOf<T extends PropTable> = { [K in keyof T]: ValueOf<T[K]["type"]> | undefined };

/** The names of a table's secret properties. */
export function secretKeys(table: PropTable): string[] {
    return Object.keys(table).filter((k) => table[k].secret);
}

/** The names of the properties whose change replaces the resource. */
export function replaceKeys(table: PropTable): string[] {
    return Object.keys(table).filter((k) => table[k].replaces);
}

/** The names a user (or the resource class, for internal ones) may set. */
export function inputKeys(table: PropTable): string[] {
    return Object.keys(table);
}

/** A table without some of its properties (a drill's restore arguments without those the drill sets itself). */
export function omitProps<T extends PropTable, K extends keyof T & string>(table: T, keys: readonly K[]): Omit<T, K> {
    const out: Record<string, Prop> = {};
    for (const [k, v] of Object.entries(table)) if (!(keys as readonly string[]).includes(k)) out[k] = v;
    return out as Omit<T, K>;
}

/** Overrides of a property's rule for one check (a bound that depends on another field, required in one mode). */
export interface RuleOverride {
    required?: boolean;
    default?: string | number | boolean;
    min?: number;
    max?: number;
    unit?: string;
}

/**
 * Checks one property at `path` (a nested path such as `vSwitches[0].zoneId` works) by its table entry, through the
 * {@link Checker}, and returns the normalised value; an unknown value (preview) is returned as it is.
 */
export function checkProp(c: Checker, path: string, prop: Prop, over: RuleOverride = {}): unknown {
    const required = over.required ?? prop.required ?? false;
    const dflt = "default" in over ? over.default : prop.default;
    const t = prop.type;
    switch (t.kind) {
        case "string": {
            const rule = {
                required,
                pattern: t.pattern,
                format: t.format,
                minLength: t.minLength,
                maxLength: t.maxLength,
            };
            return (prop.secret ? c.secret(path, rule) : c.string(path, rule)) ?? (dflt as string | undefined);
        }
        case "enum":
            return c.oneOf(path, t.values, { required, default: dflt as string | undefined });
        case "integer":
            return c.integer(path, {
                required,
                min: over.min ?? t.min,
                max: over.max ?? t.max,
                unit: over.unit ?? t.unit,
                default: dflt as number | undefined,
            });
        case "boolean":
            return c.boolean(path, { default: dflt as boolean | undefined });
        case "list":
            return c.list(path, (itemPath, v) => listItem(c, itemPath, v, t.items), {
                required,
                minItems: t.minItems,
                maxItems: t.maxItems,
            });
        case "object":
            return checkObject(c, path, t, required);
        case "map": {
            const o = c.object(path, { required });
            if (!o || isUnknownValue(o)) return o;
            const out: Record<string, unknown> = {};
            for (const k of Object.keys(o)) {
                const v = checkProp(c, `${path}.${k}`, { type: t.values });
                if (v !== undefined) out[k] = v;
            }
            return out;
        }
        case "selector":
            return selectorForState(checkBackupSelector(c, t.spec, path), t.spec);
        case "triggers":
            return checkTriggers(c, path);
        case "timeouts":
            return c.timeouts(path);
        case "jsonOr": {
            // The text is checked as text here; what it holds, by the resource's check function.
            const v = c.inputs[path];
            if (typeof v === "string" || v === undefined || v === null) return c.string(path, { required });
            return checkProp(c, path, { type: t.of, required });
        }
    }
}

function listItem(c: Checker, path: string, v: unknown, items: PropType): unknown {
    // An item that is not an object is named with what an item must be, as the checks always said it.
    if (items.kind === "object" && (!v || typeof v !== "object" || Array.isArray(v))) {
        c.fail(path, `must be an object ${items.format ?? `{ ${Object.keys(items.fields).join(", ")} }`}`);
        return undefined;
    }
    return checkProp(c, path, { type: items, required: true });
}

function checkObject(c: Checker, path: string, t: ObjectType, required: boolean): unknown {
    const o = c.object(path, { required, format: t.format });
    if (!o || isUnknownValue(o)) return o;
    const names = Object.keys(t.fields);
    for (const k of Object.keys(o))
        if (!t.open && !names.includes(k))
            c.fail(`${path}.${k}`, t.unknownField ?? `is not a field; use ${names.join(", ")}`);
    const out: Record<string, unknown> = {};
    let complete = true;
    for (const k of names) {
        const v = checkProp(c, `${path}.${k}`, t.fields[k]);
        if (v !== undefined) out[k] = v;
        else if (t.fields[k].required) complete = false;
    }
    // An object missing a required field is left out (its failure is recorded), as the checks always did.
    return complete ? out : undefined;
}

/** What a check function does itself for some properties (modes, bounds that depend on another field). */
export type PropHandlers<T extends PropTable> = {
    [K in keyof T]?: (values: Partial<ValuesOf<T>>) => ValueOf<T[K]["type"]> | undefined;
};

/**
 * Checks every property of a table in its order: by the table, or by the handler the check function gives for it (a
 * handler sees the values checked before it). Returns the normalised values.
 */
export function checkProps<T extends PropTable>(
    c: Checker,
    table: T,
    handlers: PropHandlers<NoInfer<T>> = {},
): ValuesOf<T> {
    const values: Partial<ValuesOf<T>> = {};
    for (const k of Object.keys(table) as (keyof T & string)[]) {
        const h = handlers[k];
        values[k] = (h ? h(values) : checkProp(c, k, table[k])) as ValuesOf<T>[typeof k];
    }
    return values as ValuesOf<T>;
}
