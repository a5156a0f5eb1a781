import { readFileSync } from "fs";

/** Peak resident memory (VmHWM) of a process, in bytes, from /proc; undefined where /proc is not available. */
export function peakRss(pid: number | undefined): number | undefined {
    if (pid === undefined) return undefined;
    try {
        const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
        return m ? Number(m[1]) * 1024 : undefined;
    } catch {
        return undefined;
    }
}

/**
 * Sets the SDK's dynamic-provider serialization cache on, as under the Pulumi CLI (`setMocks` turns it off): with it,
 * 200 resources of one class serialize their provider once, as in `pulumi up`.
 */
export function enableProviderCache(): void {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const state = require("@pulumi/pulumi/runtime/state") as { getStore(): { settings: { options: { cacheDynamicProviders?: boolean } } } };
    state.getStore().settings.options.cacheDynamicProviders = true;
}
