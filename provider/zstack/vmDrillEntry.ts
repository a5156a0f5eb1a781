/** The entry module of the ZStack drill provider for the dynamic-provider host (see vmEntry.ts). */
import { ProviderMethods, providerEntry } from "../core/resource";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the provider module loads on the first call, inside the host, not when a program loads this entry
export = providerEntry(() => (require("./vmDrill") as { provider: ProviderMethods }).provider);
