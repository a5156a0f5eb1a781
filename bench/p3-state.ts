/**
 * P3 state size. The package as users get it (`npm pack`, installed into a temporary program), one resource of each
 * class created through the lifecycle harness (the real dynamic-provider host, its working directory in that
 * program), and the state measured: `__provider` bytes and the resource's whole state entry. The same five resources
 * created from the source checkout are measured alongside: there `__provider` captures an absolute path instead of
 * the package-relative module id.
 */
import * as path from "path";
import { EMULATOR_SECRET_CONFIG_KEYS, seedExamples, startEmulator } from "../emulator";
import { Engine } from "../harness/engine";
import { Packed } from "./support/packed";
import { FAST_TIMINGS, PackageExports, oneOfEach } from "./support/program";
import { fmtBytes, table } from "./support/table";

export interface StateEntrySize {
    type: string;
    name: string;
    /** UTF-8 bytes of one `__provider` text. */
    providerBytes: number;
    /** How many copies the entry holds (inputs and outputs each carry one). */
    providerCopies: number;
    /** UTF-8 bytes of the entry as compact JSON (urn, type, id, inputs, outputs with secrets encrypted). */
    entryBytes: number;
    /** The module id the `__provider` text loads. */
    moduleId: string;
}

export interface P3Variant {
    variant: string;
    resources: StateEntrySize[];
    providerBytesMax: number;
    entryBytesMean: number;
    stateBytes: number;
    errors: string[];
    /** One `__provider` text, for inspection in results.json. */
    providerSample?: string;
    /** Bytes of that text that are the code and data of the shim (function bodies, module id), not the serializer's wrapping. */
    providerPayloadBytes?: number;
}

export interface P3Result {
    tgzBytes: number;
    variants: P3Variant[];
    target: { ok: boolean; text: string };
}

/**
 * The part of a serialized provider that is ours: each captured function's own source line(s) and the captured
 * values' names and texts. The rest (function headers, `with(...)` scopes, `.apply(...)` trampolines, the exports
 * preamble) is what @pulumi/pulumi's closure serializer adds around every function.
 */
export function payloadBytes(text: string): number {
    let n = 0;
    for (const m of text.matchAll(
        /with\(\{ ([^\n]*?), this: undefined, arguments: undefined \}\) \{\n\n([\s\S]*?)\n\n {4}\}/g,
    ))
        n += Buffer.byteLength(m[1]) + Buffer.byteLength(m[2]);
    return n;
}

function measure(eng: Engine, variant: string, errors: string[]): P3Variant {
    const state = JSON.parse(eng.serializedState()) as {
        deployment: {
            resources: {
                type: string;
                urn: string;
                inputs: Record<string, unknown>;
                outputs: Record<string, unknown>;
            }[];
        };
    };
    const dyn = state.deployment.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"));
    const resources = dyn.map((r) => {
        const text = String(r.outputs.__provider ?? r.inputs.__provider ?? "");
        const copies = (r.inputs.__provider !== undefined ? 1 : 0) + (r.outputs.__provider !== undefined ? 1 : 0);
        const mod =
            /(?:pulumi-restore\/dist\/provider\/[\w/]+|\/[\w./-]+\/provider\/[\w/]+\.ts)/.exec(text)?.[0] ?? "?";
        return {
            type: r.type,
            name: r.urn.split("::").pop() ?? "",
            providerBytes: Buffer.byteLength(text),
            providerCopies: copies,
            entryBytes: Buffer.byteLength(JSON.stringify(r)),
            moduleId: mod,
        };
    });
    const sample = dyn.length ? String(dyn[0].outputs.__provider ?? "") : undefined;
    return {
        variant,
        providerSample: sample,
        providerPayloadBytes: sample === undefined ? undefined : payloadBytes(sample),
        resources,
        providerBytesMax: Math.max(0, ...resources.map((r) => r.providerBytes)),
        entryBytesMean: resources.length ? resources.reduce((a, r) => a + r.entryBytes, 0) / resources.length : 0,
        stateBytes: Buffer.byteLength(JSON.stringify(state)),
        errors,
    };
}

async function createOneOfEach(pr: PackageExports, variant: string, cwd: string | undefined): Promise<P3Variant> {
    const emu = await startEmulator(FAST_TIMINGS);
    const seeds = seedExamples(emu);
    const eng = new Engine({
        project: "bench",
        stack: "p3",
        config: emu.config,
        secretConfigKeys: EMULATOR_SECRET_CONFIG_KEYS,
        cwd,
    });
    try {
        const up = await eng.up(() => oneOfEach(pr, seeds));
        const errors = up.errors.map((e) => e.message);
        const v = measure(eng, variant, errors);
        if (v.resources.length !== 5 && errors.length === 0)
            errors.push(`expected 5 resources in state, found ${v.resources.length}`);
        return v;
    } finally {
        await eng.close();
        await emu.stop();
    }
}

export async function runP3(packed: Packed): Promise<P3Result> {
    // The package exactly as a user's program loads it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the installed package, loaded by path
    const installed = require(path.join(packed.programDir, "node_modules", "pulumi-restore")) as PackageExports;
    const fromPackage = await createOneOfEach(installed, "installed package (npm pack)", packed.programDir);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the package from source, loaded when this measure runs
    const source = require("../index") as PackageExports;
    const fromSource = await createOneOfEach(source, "source checkout", undefined);
    const ok =
        fromPackage.errors.length === 0 && fromPackage.resources.length === 5 && fromPackage.providerBytesMax <= 2048;
    return {
        tgzBytes: packed.tgzBytes,
        variants: [fromPackage, fromSource],
        target: {
            ok,
            text: `__provider <= 2 KB per resource (installed package): ${ok ? "met" : "MISSED"} (largest ${fromPackage.providerBytesMax} B)`,
        },
    };
}

export function printP3(r: P3Result): string {
    const rows: (string | number)[][] = [];
    for (const v of r.variants) {
        for (const x of v.resources)
            rows.push([
                v.variant,
                x.type.replace("pulumi-nodejs:dynamic:", ""),
                x.name,
                x.providerBytes,
                x.providerCopies,
                x.entryBytes,
                x.moduleId,
            ]);
    }
    const t = table(
        ["variant", "type", "resource", "__provider B", "copies", "state entry B", "module loaded by __provider"],
        rows,
    );
    const sums = table(
        [
            "variant",
            "largest __provider",
            "of which shim code and data",
            "state bytes per resource (mean)",
            "whole state",
            "errors",
        ],
        r.variants.map((v) => [
            v.variant,
            fmtBytes(v.providerBytesMax),
            v.providerPayloadBytes === undefined ? "-" : `${v.providerPayloadBytes} B`,
            fmtBytes(Math.round(v.entryBytesMean)),
            fmtBytes(v.stateBytes),
            v.errors.length ? v.errors.join("; ").slice(0, 200) : "0",
        ]),
    );
    return `P3 state size: one resource of each class, created through the real host (tarball ${fmtBytes(r.tgzBytes)})\n${t}\n${sums}\ntarget: ${r.target.text}`;
}
