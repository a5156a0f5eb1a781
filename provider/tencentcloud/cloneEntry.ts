/**
 * The entry module of the `tencentcloud.redis.RestoredInstance` provider for the dynamic-provider host (see
 * redisEntry.ts): its exports are the provider methods, and the provider module is loaded on the first call.
 */
import { ProviderMethods, providerEntry } from "../core/resource";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the provider module loads on the first call, inside the host, not when a program loads this entry
export = providerEntry(() => (require("./cloneProvider") as { provider: ProviderMethods }).provider);
