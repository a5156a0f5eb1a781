/**
 * P4 preview cost. What `pulumi preview` of a stack of 1 000 existing resources costs in the provider: one Check and
 * one Diff per resource through the real dynamic-provider host over gRPC (200 of each class, with the state of a real
 * create). Measured one at a time (latency) and 16 at a time (throughput), plus the cold start of a host.
 */
import { EMULATOR_SECRET_CONFIG_KEYS, seedExamples, startEmulator } from "../emulator";
import { restoreToken } from "../provider/core/resource";
import { Engine } from "../harness/engine";
import { ProviderHost } from "../harness/host";
import { FAST_TIMINGS, PackageExports, oneOfEach } from "./support/program";
import * as path from "path";
import { Packed } from "./support/packed";
import { TargetRow, fmtMs, table } from "./support/table";

export interface P4Mode {
    mode: string;
    resources: number;
    totalMs: number;
    perResourceMs: number;
    /** Diffs that reported a change: a stack at rest must diff clean. */
    unexpectedChanges: number;
    checkFailures: number;
    /** The first check failure, for the report. */
    firstFailure?: string;
    /** Requests the emulated clouds received during these checks and diffs (preview should make none). */
    apiCalls: number;
    /** A reference run: a provider that does nothing, not ours (see {@link NOOP_PROVIDER}). */
    reference?: boolean;
    /** Every pass's total (the repeated comparison passes; `totalMs` is the best). */
    passesMs: number[];
}

/**
 * A dynamic provider that does nothing: check returns the new inputs, diff says "no change". Run through the same host
 * and client as ours, it measures what the transport itself costs (the host's gRPC server, Struct conversion, the
 * client), with our properties and with none, so that what our provider adds can be told apart.
 */
export const NOOP_PROVIDER =
    "exports.handler = () => ({ check: async (olds, news) => ({ inputs: news }), diff: async () => ({ changes: false }) });";

export interface P4Result {
    /** The installed package (true) or the source checkout. */
    installed: boolean;
    hostStartMs: number;
    modes: P4Mode[];
    target: { ok: boolean; text: string };
}

type Props = Record<string, unknown>;

/**
 * Runs P4. With `packed`, on the installed package (the program and the host's working directory in the installed
 * program, so the host loads compiled JavaScript from node_modules), as users run it; without, on the source checkout.
 */
export async function runP4(o: { resources?: number; packed?: Packed } = {}): Promise<P4Result> {
    const total = o.resources ?? 1000;
    const cwd = o.packed?.programDir;
    const emu = await startEmulator(FAST_TIMINGS);
    const seeds = seedExamples(emu);
    const eng = new Engine({
        project: "bench",
        stack: "p4",
        config: emu.config,
        secretConfigKeys: EMULATOR_SECRET_CONFIG_KEYS,
        cwd,
    });
    const modes: P4Mode[] = [];
    let hostStartMs = 0;
    try {
        const pr =
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- the package installed by path, or the one from source
            (cwd ? require(path.join(cwd, "node_modules", "pulumi-restore")) : require("../index")) as PackageExports;
        const up = await eng.up(() => oneOfEach(pr, seeds));
        if (up.errors.length > 0)
            throw new Error(
                `P4: creating the template resources failed: ${up.errors.map((e) => e.message).join("; ")}`,
            );
        const templates = [...eng.state.values()].filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"));
        if (templates.length !== 5) throw new Error(`P4: expected 5 template resources, found ${templates.length}`);
        // 1 000 resources as a stack would hold them: each template's state under its own name and restore token.
        const stack = Array.from({ length: total }, (_, i) => {
            const t = templates[i % templates.length];
            const name = `${t.name}-${i}`;
            const token = restoreToken(eng.project, eng.stack, name);
            // A name derived from the template's restore token (JD RDS) is derived again from this one's, as a create
            // with this token would have recorded it: a stack never holds another resource's derived name.
            const rename = (p: Props): Props => {
                const spec = p.instanceSpec as Props | undefined;
                if (!spec || typeof spec.instanceName !== "string" || !spec.instanceName.startsWith("prt-"))
                    return { ...p, restoreToken: token };
                const { instanceName: _derived, ...rest } = spec;
                return { ...p, restoreToken: token, instanceSpec: rest };
            };
            return {
                urn: eng.urn(t.type, name),
                id: t.id,
                inputs: rename(t.inputs as Props),
                outputs: rename(t.outputs as Props),
            };
        });
        // Not timed: the check a create would have made fills in each derived name, in inputs and outputs alike.
        const setup = await eng.ensureHost();
        for (const r of stack) {
            if (!(r.inputs.instanceSpec && (r.outputs.instanceSpec as Props | undefined)?.instanceName === undefined))
                continue;
            const checked = await setup.check(r.urn, r.inputs, r.inputs);
            const derived = (checked.inputs.instanceSpec as Props | undefined)?.instanceName;
            if (typeof derived !== "string") continue;
            r.inputs = { ...r.inputs, instanceSpec: { ...(r.inputs.instanceSpec as Props), instanceName: derived } };
            r.outputs = { ...r.outputs, instanceSpec: { ...(r.outputs.instanceSpec as Props), instanceName: derived } };
        }

        const t0 = Date.now();
        const fresh = await ProviderHost.start({ project: eng.project, stack: eng.stack, cwd });
        await fresh.configure(emu.config);
        // The first Check loads the provider module (ts-node compiles it here; the installed package loads .js).
        await fresh.check(stack[0].urn, stack[0].inputs, stack[0].inputs);
        hostStartMs = Date.now() - t0;
        await fresh.stop();

        const host = await eng.ensureHost();
        const one = async (r: (typeof stack)[number], m: P4Mode) => {
            const checked = await host.check(r.urn, r.inputs, r.inputs);
            if (checked.failures.length > 0) {
                m.checkFailures++;
                m.firstFailure ??= `${r.urn.split("::").pop()}: ${JSON.stringify(checked.failures).slice(0, 300)}`;
            }
            const d = await host.diff(r.id, r.urn, r.outputs, checked.inputs);
            if (d.changes !== "none" || d.replaces.length > 0) m.unexpectedChanges++;
        };
        // The reference runs: the same stack through a provider that does nothing, then no properties at all.
        const noop = (p: Props): Props => ({ ...p, __provider: NOOP_PROVIDER });
        const sameProps = stack.map((r) => ({ ...r, inputs: noop(r.inputs), outputs: noop(r.outputs) }));
        const noProps = stack.map((r) => ({ ...r, inputs: noop({}), outputs: noop({}) }));
        // What storing less would save at most (issue 17, item 3): the outputs without the inputs they repeat.
        const withoutRepeats = (outs: Props, ins: Props): Props =>
            Object.fromEntries(Object.entries(outs).filter(([k]) => k === "__provider" || !(k in ins)));
        const trimmedProps = stack.map((r) => ({
            ...r,
            inputs: noop(r.inputs),
            outputs: noop(withoutRepeats(r.outputs, r.inputs)),
        }));
        // The comparison passes run three times each, interleaved, and keep their best time: on a shared machine one
        // pass can be slowed by other work, and the split below subtracts one pass from another.
        const BEST_OF = 3;
        const compared = [
            ["sequential again, warm host (best of 3)", 1, stack],
            ["reference: no-op provider, same properties, sequential (best of 3)", 1, sameProps],
            ["reference: no-op provider, outputs without the repeated inputs, sequential (best of 3)", 1, trimmedProps],
            ["reference: no-op provider, no properties, sequential (best of 3)", 1, noProps],
        ] as const;
        for (const [mode, parallel, rs] of [
            ["sequential", 1, stack] as const,
            ["16 in flight", 16, stack] as const,
            ...Array.from({ length: BEST_OF }, () => compared).flat(),
        ]) {
            const earlier = modes.find((x) => x.mode === mode);
            const m: P4Mode = earlier ?? {
                mode,
                resources: total,
                totalMs: Infinity,
                passesMs: [],
                perResourceMs: 0,
                unexpectedChanges: 0,
                checkFailures: 0,
                apiCalls: 0,
                reference: rs !== stack,
            };
            const requests = () => emu.servers.reduce((a, srv) => a + srv.count(), 0);
            const before = requests();
            const start = Date.now();
            let next = 0;
            await Promise.all(
                Array.from({ length: parallel }, async () => {
                    while (next < rs.length) await one(rs[next++], m);
                }),
            );
            m.passesMs.push(Date.now() - start);
            m.totalMs = Math.min(...m.passesMs);
            m.perResourceMs = m.totalMs / total;
            m.apiCalls += requests() - before;
            if (!earlier) modes.push(m);
        }
    } finally {
        await eng.close();
        await emu.stop();
    }
    const clean = modes.every((m) => m.unexpectedChanges === 0 && m.checkFailures === 0);
    const seq = modes.find((m) => m.mode === "sequential");
    const same = modes.find((m) => m.mode.includes("same properties"));
    const none = modes.find((m) => m.mode.includes("no properties"));
    const warm = modes.find((m) => m.mode.includes("warm"));
    const trimmed = modes.find((m) => m.mode.includes("without the repeated inputs"));
    // How much repeated passes of one kind differed: differences between kinds below this are not measured here.
    const noise = Math.max(0, ...modes.map((m) => Math.max(...m.passesMs) - Math.min(...m.passesMs)));
    const split =
        seq && same && none && warm
            ? `\nof the first sequential pass (${fmtMs(seq.totalMs)}): the transport with no properties ${fmtMs(none.totalMs)}, our properties ${fmtMs(same.totalMs - none.totalMs)}, our provider's code ${fmtMs(warm.totalMs - same.totalMs)} (warm host), the first pass's warm-up ${fmtMs(seq.totalMs - warm.totalMs)}${trimmed ? `; outputs without the inputs they repeat: ${fmtMs(same.totalMs - trimmed.totalMs)} less (no-op provider)` : ""}. Repeated passes of one kind differed by up to ${fmtMs(noise)} in this run: smaller differences are not measured.`
            : "";
    const offline = modes.every((m) => m.apiCalls === 0);
    return {
        installed: cwd !== undefined,
        hostStartMs,
        modes,
        target: {
            ok: clean && offline,
            text: `every resource checks and diffs clean: ${clean ? "yes" : "NO"}; cloud API calls during check+diff: ${modes.reduce((a, m) => a + m.apiCalls, 0)}${split}`,
        },
    };
}

/** The P4 target: check + diff of 1 000 resources, one at a time, within 1 s (installed package). */
export function p4Targets(r: P4Result): TargetRow[] {
    const seq = r.modes.find((m) => m.mode === "sequential");
    const par = r.modes.find((m) => m.mode !== "sequential" && !m.reference);
    const none = r.modes.find((m) => m.reference && m.mode.includes("no properties"));
    return [
        {
            id: "P4",
            target: `check + diff of ${seq?.resources ?? "?"} resources <= 1 s, one at a time (${r.installed ? "installed package" : "SOURCE CHECKOUT"})`,
            measured: `${seq ? fmtMs(seq.totalMs) : "?"} (${par ? `${fmtMs(par.totalMs)} ${par.mode}` : ""}); a no-op provider with no properties: ${none ? fmtMs(none.totalMs) : "?"}; clean diffs: ${r.target.ok ? "yes" : "NO"}`,
            met: r.installed && seq !== undefined && seq.totalMs <= 1000 && r.target.ok,
        },
    ];
}

export function printP4(r: P4Result): string {
    const t = table(
        [
            "mode",
            "resources",
            "check+diff total",
            "passes",
            "per resource",
            "unexpected diffs",
            "check failures",
            "cloud API calls",
        ],
        r.modes.map((m) => [
            m.mode,
            m.resources,
            fmtMs(m.totalMs),
            m.passesMs.map(fmtMs).join(" / "),
            fmtMs(m.perResourceMs),
            m.unexpectedChanges,
            m.checkFailures,
            m.apiCalls,
        ]),
    );
    const failed = r.modes.find((m) => m.firstFailure)?.firstFailure;
    return `${failed ? `first check failure: ${failed}\n` : ""}P4 preview cost: Check + Diff through the host over gRPC, 200 resources of each class (${r.installed ? "installed package" : "source checkout, ts-node"})\n${t}\ncold host (start, Configure, first Check): ${fmtMs(r.hostStartMs)}\n${r.target.text}`;
}
