/**
 * The shape of the bad-input corpus: each entry is a valid base with exactly one thing broken, and the property that
 * check() must name when it rejects it.
 */
export type Props = Record<string, unknown>;

/** One invalid input. */
export interface BadInput {
    /** What is wrong, in words (shown in the test title). */
    description: string;
    /** The inputs as check() receives them: a valid base with one thing broken. */
    inputs: Props;
    /** The property check() must name (`instanceSpec.chargeSpec.chargeMode`, `vSwitches[0].vswId`, ...). */
    property: string;
}

/** A resource's corpus: the valid bases it is built from, and the entries. */
export interface Corpus {
    /** Short name used in the count line ("starrocks"). */
    name: string;
    /** Valid inputs (check() must accept each with no failure): the entries are these with one thing broken. */
    bases: Props[];
    entries: BadInput[];
    /** Properties holding secrets: their failures must not show the value. */
    secretProperties: string[];
}

/** Marks a property to be removed by {@link broken}. */
export const REMOVE = Symbol("remove");

function parsePath(path: string): (string | number)[] {
    return path
        .split(/\.|\[|\]/)
        .filter(Boolean)
        .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** A deep copy of `base` with the value at `path` (`a.b[0].c`) replaced by `value` (or removed with {@link REMOVE}). */
export function broken(base: Props, path: string, value: unknown): Props {
    const copy = JSON.parse(JSON.stringify(base)) as Props;
    const parts = parsePath(path);
    let cur: Record<string | number, unknown> = copy;
    parts.slice(0, -1).forEach((p, i) => {
        if (cur[p] === undefined || cur[p] === null || typeof cur[p] !== "object")
            cur[p] = typeof parts[i + 1] === "number" ? [] : {};
        cur = cur[p] as Record<string | number, unknown>;
    });
    const last = parts[parts.length - 1];
    if (value === REMOVE) delete cur[last];
    else cur[last] = value;
    return copy;
}

/** Builds entries against one base. `property` defaults to the path that was broken. */
export class CorpusBuilder {
    readonly entries: BadInput[] = [];
    constructor(private readonly base: Props) {}

    /** Sets `path` to `value`; check must name `property` (default: `path`). */
    set(path: string, value: unknown, description: string, property = path): this {
        this.entries.push({ description, inputs: broken(this.base, path, value), property });
        return this;
    }

    /** Removes `path`; check must name `property` (default: `path`). */
    remove(path: string, description: string, property = path): this {
        return this.set(path, REMOVE, description, property);
    }

    /** Several changes at once (for entries whose single mistake spans two fields, e.g. a mode and its field). */
    with(changes: Record<string, unknown>, description: string, property: string): this {
        let inputs = this.base;
        for (const [p, v] of Object.entries(changes)) inputs = broken(inputs, p, v);
        this.entries.push({ description, inputs, property });
        return this;
    }

    /**
     * The attacks every identifier must refuse: path traversal, URL metacharacters, whitespace and control characters,
     * look-alike and invisible unicode, oversized text and wrong types. `valid` is a well-formed id of the field, used
     * as the stem so that only the attack is wrong.
     */
    idAttacks(path: string, valid: string, what: string): this {
        const attacks: [unknown, string][] = [
            ["../../../etc/passwd", "path traversal"],
            [`${valid}/../../admin`, "path traversal after a valid id"],
            [`..%2F..%2F${valid}`, "URL-encoded path traversal"],
            [`${valid}?Action=DeleteInstance`, "a query string (URL metacharacter ?)"],
            [`${valid}&x=1`, "a query parameter (URL metacharacter &)"],
            [`${valid}#fragment`, "a fragment (URL metacharacter #)"],
            [`${valid}%00`, "a percent-encoded NUL"],
            [`${valid} `, "a trailing space"],
            [`${valid}\n`, "a trailing newline (header/log injection)"],
            [`${valid}\u0000`, "a NUL character"],
            [`${valid}\u200b`, "a zero-width space (invisible unicode)"],
            [
                valid.replace(/[A-Za-z0-9]/, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0)),
                "a full-width look-alike character (unicode)",
            ],
            [`${valid}\u202e`, "a right-to-left override (unicode)"],
            [`${valid}💾`, "an emoji (unicode)"],
            [valid + "a".repeat(10_000), "oversized (10,000 more characters)"],
            [12345, "a number instead of a string"],
            [true, "a boolean instead of a string"],
            [[valid], "a list instead of a string"],
            [{ id: valid }, "an object instead of a string"],
        ];
        for (const [v, d] of attacks) this.set(path, v, `${what}: ${d}`);
        return this;
    }
}

/** A restore token as the resource classes set it (prt- and 20 hex digits). */
export const TOKEN = "prt-0123456789abcdef0123";

/**
 * A stand-in for the serialized provider the host passes in every call (check ignores it; it must not trip anything).
 */
export const PROVIDER_TEXT =
    'exports.handler = __f0;\nfunction __f0() { return (function() { const moduleId = "pulumi-restore/dist/provider/x"; return {}; }).apply(undefined, undefined).apply(this, arguments); }';
