/**
 * P4 preview cost. What `pulumi preview` of a stack of 1 000 existing resources costs in the provider: one Check and
 * one Diff per resource through the real dynamic-provider host over gRPC (200 of each class, with the state of a real
 * create). Measured one at a time (latency) and 16 at a time (throughput), plus the cold start of a host.
 */
import { EMULATOR_SECRET_CONFIG_KEYS, seedExamples, startEmulator } from "../emulator";
import { restoreToken } from "../provider/core/resource";
import { Engine } from "../tests/harness/engine";
import { ProviderHost } from "../tests/harness/host";
import { FAST_TIMINGS, PackageExports, oneOfEach } from "./support/program";
import { fmtMs, table } from "./support/table";

export interface P4Mode {
    mode: string;
    resources: number;
    totalMs: number;
    perResourceMs: number;
    /** Diffs that reported a change: a stack at rest must diff clean. */
    unexpectedChanges: number;
    checkFailures: number;
    /** Requests the emulated clouds received during these checks and diffs (preview should make none). */
    apiCalls: number;
}

export interface P4Result {
    hostStartMs: number;
    modes: P4Mode[];
    target: { ok: boolean; text: string };
}

type Props = Record<string, unknown>;

export async function runP4(o: { resources?: number } = {}): Promise<P4Result> {
    const total = o.resources ?? 1000;
    const emu = await startEmulator(FAST_TIMINGS);
    const seeds = seedExamples(emu);
    const eng = new Engine({ project: "bench", stack: "p4", config: emu.config, secretConfigKeys: EMULATOR_SECRET_CONFIG_KEYS });
    const modes: P4Mode[] = [];
    let hostStartMs = 0;
    try {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const pr = require("../index") as PackageExports;
        const up = await eng.up(() => oneOfEach(pr, seeds));
        if (up.errors.length > 0) throw new Error(`P4: creating the template resources failed: ${up.errors.map((e) => e.message).join("; ")}`);
        const templates = [...eng.state.values()].filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"));
        if (templates.length !== 5) throw new Error(`P4: expected 5 template resources, found ${templates.length}`);
        // 1 000 resources as a stack would hold them: each template's state under its own name and restore token.
        const stack = Array.from({ length: total }, (_, i) => {
            const t = templates[i % templates.length];
            const name = `${t.name}-${i}`;
            const token = restoreToken(eng.project, eng.stack, name);
            return { urn: eng.urn(t.type, name), id: t.id, inputs: { ...t.inputs, restoreToken: token } as Props, outputs: { ...t.outputs, restoreToken: token } as Props };
        });

        const t0 = Date.now();
        const fresh = await ProviderHost.start({ project: eng.project, stack: eng.stack });
        await fresh.configure(emu.config);
        // The first Check loads the provider module (ts-node compiles it here; the installed package loads .js).
        await fresh.check(stack[0].urn, stack[0].inputs, stack[0].inputs);
        hostStartMs = Date.now() - t0;
        await fresh.stop();

        const host = await eng.ensureHost();
        const one = async (r: (typeof stack)[number], m: P4Mode) => {
            const checked = await host.check(r.urn, r.inputs, r.inputs);
            if (checked.failures.length > 0) m.checkFailures++;
            const d = await host.diff(r.id, r.urn, r.outputs, checked.inputs);
            if (d.changes !== "none" || d.replaces.length > 0) m.unexpectedChanges++;
        };
        for (const [mode, parallel] of [["sequential", 1], ["16 in flight", 16]] as const) {
            const m: P4Mode = { mode, resources: total, totalMs: 0, perResourceMs: 0, unexpectedChanges: 0, checkFailures: 0, apiCalls: 0 };
            const requests = () => emu.servers.reduce((a, srv) => a + srv.count(), 0);
            const before = requests();
            const start = Date.now();
            let next = 0;
            await Promise.all(
                Array.from({ length: parallel }, async () => {
                    while (next < stack.length) await one(stack[next++], m);
                }),
            );
            m.totalMs = Date.now() - start;
            m.perResourceMs = m.totalMs / total;
            m.apiCalls = requests() - before;
            modes.push(m);
        }
    } finally {
        await eng.close();
        await emu.stop();
    }
    const clean = modes.every((m) => m.unexpectedChanges === 0 && m.checkFailures === 0);
    const offline = modes.every((m) => m.apiCalls === 0);
    return { hostStartMs, modes, target: { ok: clean && offline, text: `no target on time; every resource checks and diffs clean: ${clean ? "yes" : "NO"}; cloud API calls during check+diff: ${modes.reduce((a, m) => a + m.apiCalls, 0)}` } };
}

export function printP4(r: P4Result): string {
    const t = table(
        ["mode", "resources", "check+diff total", "per resource", "unexpected diffs", "check failures", "cloud API calls"],
        r.modes.map((m) => [m.mode, m.resources, fmtMs(m.totalMs), fmtMs(m.perResourceMs), m.unexpectedChanges, m.checkFailures, m.apiCalls]),
    );
    return `P4 preview cost: Check + Diff through the host over gRPC, 200 resources of each class (source checkout, ts-node)\n${t}\ncold host (start, Configure, first Check): ${fmtMs(r.hostStartMs)}\n${r.target.text}`;
}
