/** The entry module of the ZStack drill provider for the dynamic-provider host (see vmEntry.ts). */
import { ProviderMethods, providerEntry } from "../core/resource";

// eslint-disable-next-line @typescript-eslint/no-var-requires
export = providerEntry(() => (require("./vmDrill") as { provider: ProviderMethods }).provider);
