import { CLOUD_NAMES, CloudName, RestoreKey, allResources } from "../../clouds";

/**
 * The entries of a table that has one for every cloud of the registry (clouds.ts), in registry order: the compiler
 * names a cloud the table lacks. A cloud may hold several entries (one per resource), or none (`[]`) where a suite
 * leaves it out on purpose, said in a comment there.
 */
export function perCloud<T>(table: Record<CloudName, T | readonly T[]>): T[] {
    return CLOUD_NAMES.flatMap((c) => {
        const v = table[c];
        return Array.isArray(v) ? [...(v as readonly T[])] : [v as T];
    });
}

/**
 * The entries of a table that has one for every restore resource of the registry (its drills aside), in registry
 * order: the compiler names a resource the table lacks.
 */
export function perRestore<T>(table: Record<RestoreKey, T>): T[] {
    return allResources()
        .filter((r) => r.kind === "restore")
        .map((r) => table[r.key as RestoreKey]);
}
