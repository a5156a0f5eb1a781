/**
 * The environment of the process that hosts a provider (the dynamic-provider host, the provider plugin, or the program
 * for lookups): the one file under provider/ that names `process.env`. A provider takes it once, as its `deps.env`
 * when it is built, and everything below reads that (or an `env` argument), so tests inject an environment instead of
 * changing the process's. tests/unit/env-access.test.ts fails when another file under provider/ names it.
 */
export function hostEnv(): NodeJS.ProcessEnv {
    return process.env;
}
