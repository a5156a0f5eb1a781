import type * as pulumi from "@pulumi/pulumi";
import { EmulatorServer } from "../../emulator/core/server";
import { FaultKind } from "../../emulator/core/types";
import { CloudError, PartialStateError } from "../../provider/core/errors";
import { VirtualClock } from "../../harness/clock";

/**
 * A virtual clock that lets time pass only while the emulators are idle: before each sleep it waits (in real time)
 * until no request is being served. A "slow" answer that the client gave up on is therefore carried out by the server
 * before the provider's next look, the way a slow server acts within the provider's settle window in real life;
 * everything else runs at virtual speed.
 */
export class QuiescentClock extends VirtualClock {
    readonly servers: EmulatorServer[] = [];
    override async sleep(ms: number): Promise<void> {
        while (this.servers.some((s) => s.log.some((l) => l.status === 0))) await new Promise((r) => setTimeout(r, 5));
        await super.sleep(ms);
    }
}

/**
 * The provider methods the engine calls, on what the provider's own methods returned (any of the providers, each typed
 * over its own inputs and outputs).
 */
export interface EngineFacingProvider {
    check(olds: object, news: object): Promise<pulumi.dynamic.CheckResult>;
    diff(id: string, olds: object, news: object): Promise<pulumi.dynamic.DiffResult>;
    create(inputs: object): Promise<pulumi.dynamic.CreateResult>;
    read(id: string, props: object): Promise<pulumi.dynamic.ReadResult>;
    update(id: string, olds: object, news: object): Promise<pulumi.dynamic.UpdateResult>;
    delete(id: string, props: object): Promise<void>;
}

/** One resource as the engine records it. */
export interface StateEntry {
    id: string;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
    /** Set when the last create or update ended in a partial-state error (the engine's init errors). */
    initErrors: boolean;
}

/** What one `up` did. */
export type UpKind = "create" | "update" | "replace" | "same";

/** The serialized provider text stands in for `__provider`: partial state must carry it back. */
export const PROVIDER_TEXT = "fault-matrix-provider";

/** Properties as they come back from the host: JSON through google.protobuf.Struct. */
function viaStruct(o: Record<string, unknown>): Record<string, unknown> {
    return JSON.parse(JSON.stringify(o)) as Record<string, unknown>;
}

/**
 * Drives one resource the way the engine does, keeping state between steps: partial-state errors are recorded with
 * their id and properties (init errors), a resource with init errors gets an update on the next `up`, failed creates
 * and deletes are tried again by the next `up` / `destroy`, and replacements honour `deleteBeforeReplace`.
 */
export class EngineDriver {
    state?: StateEntry;
    /** Ids whose delete succeeded. */
    readonly retired: string[] = [];

    constructor(private readonly p: EngineFacingProvider) {}

    private record(e: unknown, inputs: Record<string, unknown>): never {
        const pe = e as Partial<PartialStateError>;
        if (
            e instanceof Error &&
            typeof pe.id === "string" &&
            pe.id !== "" &&
            pe.properties &&
            typeof pe.properties === "object"
        ) {
            if (pe.properties.__provider !== PROVIDER_TEXT)
                throw new Error(
                    `partial-state error without __provider (a later delete could not load the provider): ${e.message}`,
                );
            this.state = { id: pe.id, inputs, outputs: viaStruct(pe.properties), initErrors: true };
        }
        throw e;
    }

    async up(raw: Record<string, unknown>): Promise<UpKind> {
        const checked = await this.p.check(this.state?.inputs ?? {}, { ...raw, __provider: PROVIDER_TEXT });
        if (checked.failures && checked.failures.length > 0)
            throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
        const news = viaStruct({ ...(checked.inputs as Record<string, unknown>), __provider: PROVIDER_TEXT });
        const old = this.state;
        if (!old) {
            await this.create(news);
            return "create";
        }
        const d = await this.p.diff(old.id, old.outputs, news);
        if (d.replaces && d.replaces.length > 0) {
            if (d.deleteBeforeReplace) {
                await this.destroy();
                await this.create(news);
            } else {
                const before = old;
                this.state = undefined;
                try {
                    await this.create(news);
                } catch (e) {
                    // The engine keeps the old resource (and the new one, if partial) pending; here: keep the old one
                    // unless a partial new one took its place, then delete the old one on the next run.
                    if (!this.state) this.state = before;
                    throw e;
                }
                await this.p.delete(before.id, before.outputs);
                this.retired.push(before.id);
            }
            return "replace";
        }
        if (!d.changes && !old.initErrors) {
            this.state = { ...old, inputs: news };
            return "same";
        }
        try {
            const r = await this.p.update(old.id, old.outputs, news);
            this.state = {
                id: old.id,
                inputs: news,
                outputs: viaStruct({ ...(r.outs as Record<string, unknown>), __provider: PROVIDER_TEXT }),
                initErrors: false,
            };
        } catch (e) {
            this.record(e, news);
        }
        return "update";
    }

    private async create(news: Record<string, unknown>): Promise<void> {
        try {
            const r = await this.p.create(news);
            if (!r.id) throw new Error("create returned an empty id");
            this.state = {
                id: r.id,
                inputs: news,
                outputs: viaStruct({ ...(r.outs as Record<string, unknown>), __provider: PROVIDER_TEXT }),
                initErrors: false,
            };
        } catch (e) {
            this.record(e, news);
        }
    }

    async refresh(): Promise<void> {
        const s = this.state;
        if (!s) return;
        const r = await this.p.read(s.id, s.outputs);
        if (!r.id) {
            this.state = undefined;
            return;
        }
        this.state = {
            ...s,
            id: r.id,
            outputs: viaStruct({ ...(r.props as Record<string, unknown>), __provider: PROVIDER_TEXT }),
        };
    }

    async destroy(): Promise<void> {
        const s = this.state;
        if (!s) return;
        await this.p.delete(s.id, s.outputs);
        this.state = undefined;
        this.retired.push(s.id);
    }
}

/**
 * Why an error is not clear to a user, or undefined when it is: a clear error is an Error (not a programming error
 * such as a TypeError), says which call or resource failed, and carries no `undefined` or `[object Object]`.
 */
export function unclear(e: unknown, names: readonly string[]): string | undefined {
    if (!(e instanceof Error)) return `not an Error: ${String(e)}`;
    if (e instanceof TypeError || e instanceof ReferenceError || e instanceof SyntaxError || e instanceof RangeError)
        return `programming error ${e.name}: ${e.message}`;
    const m = e.message;
    if (m.length < 25) return `too short: "${m}"`;
    if (/\bundefined\b|\[object Object\]|\bNaN\b/.test(m)) return `message carries undefined/[object Object]/NaN: ${m}`;
    if (e instanceof CloudError) return undefined;
    if (names.some((n) => m.includes(n)) || /pulumi (up|destroy|refresh)/.test(m)) return undefined;
    return `says neither which call failed nor what to do: ${m}`;
}

/** The fault kinds of the matrix, in column order, with their column titles. */
export const FAULTS: { kind: FaultKind; title: string }[] = [
    { kind: "error500", title: "500" },
    { kind: "error503", title: "503" },
    { kind: "throttle", title: "throttle" },
    { kind: "dropBefore", title: "drop-before" },
    { kind: "dropAfter", title: "drop-after" },
    { kind: "slow", title: "slow" },
    { kind: "malformed", title: "malformed" },
    { kind: "failTask", title: "task-fails" },
    { kind: "late", title: "late-create" },
    { kind: "odd", title: "200+error" },
];

/** One cell's result. */
export type Cell = { result: "pass" } | { result: "fail"; why: string } | { result: "n/a"; why: string };

/** One row of the printed matrix. */
export interface Row {
    resource: string;
    label: string;
    cells: Cell[];
}

/** The matrix as text: rows resource × step/action, columns fault kinds, then the n/a reasons and the failures. */
export function formatMatrix(rows: Row[]): string {
    const head = ["resource", "step: action", ...FAULTS.map((f) => f.title)];
    const mark = (c: Cell) => (c.result === "pass" ? "✓" : c.result === "fail" ? "✗" : "n/a");
    const table = rows.map((r) => [r.resource, r.label, ...r.cells.map(mark)]);
    const widths = head.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
    const line = (cols: string[]) => cols.map((c, i) => c.padEnd(widths[i])).join("  ");
    const out = [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...table.map(line)];
    const reasons = new Map<string, string[]>();
    const failures: string[] = [];
    for (const r of rows) {
        r.cells.forEach((c, i) => {
            if (c.result === "n/a") {
                const k = c.why;
                reasons.set(k, [...(reasons.get(k) ?? []), `${r.resource} ${r.label} × ${FAULTS[i].title}`]);
            } else if (c.result === "fail") failures.push(`✗ ${r.resource} ${r.label} × ${FAULTS[i].title}: ${c.why}`);
        });
    }
    out.push("", "n/a cells and why:");
    for (const [why, cells] of reasons) out.push(`  - ${why} (${cells.length} cells)`);
    if (failures.length > 0) out.push("", "failed cells:", ...failures.map((f) => `  ${f}`));
    const applicable = rows.flatMap((r) => r.cells).filter((c) => c.result !== "n/a");
    const passed = applicable.filter((c) => c.result === "pass").length;
    const na = rows.flatMap((r) => r.cells).length - applicable.length;
    out.push("", `fault matrix: ${passed}/${applicable.length} cells passed (${na} cells n/a, listed above)`);
    return out.join("\n");
}
