/** The entry module of the StarRocks drill provider for the dynamic-provider host (see starrocksEntry.ts). */
import { ProviderMethods, providerEntry } from "../core/resource";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the provider module loads on the first call, inside the host, not when a program loads this entry
export = providerEntry(() => (require("./starrocksDrill") as { provider: ProviderMethods }).provider);
