/** The entry module of the StarRocks drill provider for the dynamic-provider host (see starrocksEntry.ts). */
import { ProviderMethods, providerEntry } from "../core/resource";

// eslint-disable-next-line @typescript-eslint/no-var-requires
export = providerEntry(() => (require("./starrocksDrill") as { provider: ProviderMethods }).provider);
