/**
 * The import id of `pulumi import`, parsed: parts separated by ":" (lists by ","), each checked against a pattern. A
 * malformed id is an {@link ImportIdError}; the plugin adds the resource's documented format and an example to its
 * message (plugin/resources.ts), so every refusal of an id says how a good one looks.
 */
import type { ConfigSource } from "./config";

/** A malformed import id: the message says which part is wrong and why (the plugin adds the format). */
export class ImportIdError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ImportIdError";
    }
}

/** One part of an import id: its name in the format (`taskId`), its pattern, and what it must look like. */
export interface IdPart {
    name: string;
    pattern: RegExp;
    format: string;
    optional?: boolean;
}

/** At most this much of a bad id is quoted back. */
const QUOTE_MAX = 80;

/** The text quoted in a message: short, and only printable ASCII (an id is never a secret, but may be anything). */
export function quoteId(s: string): string {
    const printable = s.replace(/[^\x20-\x7e]/g, "?");
    return JSON.stringify(printable.length > QUOTE_MAX ? `${printable.slice(0, QUOTE_MAX)}...` : printable);
}

/**
 * Splits `id` at ":" into `parts` (optional ones last) and checks each; returns them by name. Throws an
 * {@link ImportIdError} naming the first part that is missing, extra or malformed.
 */
export function parseImportId(id: string, parts: IdPart[]): Record<string, string | undefined> {
    const given = id.split(":");
    const required = parts.filter((p) => !p.optional).length;
    if (given.length < required || given.length > parts.length) {
        const n = (k: number) => `${k} part${k === 1 ? "" : "s"}`;
        const want = required === parts.length ? n(required) : `${required} to ${parts.length} parts`;
        throw new ImportIdError(`has ${n(given.length)} separated by ":"; it takes ${want}`);
    }
    const out: Record<string, string | undefined> = {};
    parts.forEach((p, i) => {
        const v = given[i];
        if (v === undefined) return;
        if (v === "") throw new ImportIdError(`has an empty ${p.name}`);
        if (!p.pattern.test(v)) throw new ImportIdError(`${p.name} ${quoteId(v)} is not ${p.format}`);
        out[p.name] = v;
    });
    return out;
}

/** The plugin's configuration as a provider's `configure` takes it. */
export function configRequest(config: ConfigSource): { config: ConfigSource } {
    return { config };
}
