/**
 * The entry module of this provider for the dynamic-provider host: its exports are the provider methods, and the
 * provider module itself is loaded on the first call, inside the host. Installed from node_modules, `__provider` is
 * just `require` of this module (see `resourceProvider` in provider/core/resource.ts).
 */
import { ProviderMethods, providerEntry } from "../core/resource";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the provider module loads on the first call, inside the host, not when a program loads this entry
export = providerEntry(() => (require("./starrocksProvider") as { provider: ProviderMethods }).provider);
