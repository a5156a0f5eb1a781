/**
 * The lookup functions the plugin serves through `invoke` (every language's `getBackups` / `getLatestBackup`): the
 * same code as the TypeScript functions of provider/<cloud>/<x>Lookup.ts, with the settings of the plugin's configuration.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- each lookup module is required on first use (see `load`), so
   that the plugin loads only what a call needs */
import type { ConfigSource } from "../provider/core/config";
import type { BackupFunctionsWithConfig } from "../provider/core/lookupFunctions";
import { PACKAGE } from "./config";

/** One cloud's pair of functions. */
export interface PluginFunctions {
    /** The module of the tokens: `alicloud/starrocks` → `pulumi-restore:alicloud/starrocks:getBackups`. */
    module: string;
    /** Where the Args interface is (repository-relative), for the schema generator. */
    file: string;
    load: () => (source: () => ConfigSource) => BackupFunctionsWithConfig<never>;
}

type Loader = { backupsWithConfig: (source: () => ConfigSource) => BackupFunctionsWithConfig<never> };
const load = (m: () => unknown) => () => (m() as Loader).backupsWithConfig;

/** The function names, each with the result interface (provider/core/lookupFunctions.ts) it returns. */
export const FUNCTION_NAMES = { getBackups: "GetBackupsResult", getLatestBackup: "GetLatestBackupResult" } as const;

/** Every cloud with lookup functions (Huawei KooPhone backs up, it does not choose a backup). */
export const FUNCTIONS: readonly PluginFunctions[] = [
    {
        module: "alicloud/starrocks",
        file: "provider/alicloud/starrocksLookup.ts",
        load: load(() => require("../provider/alicloud/starrocksLookup")),
    },
    {
        module: "tencentcloud/redis",
        file: "provider/tencentcloud/redisLookup.ts",
        load: load(() => require("../provider/tencentcloud/redisLookup")),
    },
    {
        module: "zstack",
        file: "provider/zstack/vmLookup.ts",
        load: load(() => require("../provider/zstack/vmLookup")),
    },
    {
        module: "jdcloud/rds",
        file: "provider/jdcloud/rdsLookup.ts",
        load: load(() => require("../provider/jdcloud/rdsLookup")),
    },
];

/** A function's token: `pulumi-restore:alicloud/starrocks:getBackups`. */
export function functionToken(module: string, name: keyof typeof FUNCTION_NAMES): string {
    return `${PACKAGE}:${module}:${name}`;
}

/** Runs the function a token names with `args`, reading settings from `source`; throws for an unknown token. */
export async function invokeFunction(
    token: string,
    args: Record<string, unknown>,
    source: () => ConfigSource,
): Promise<unknown> {
    for (const f of FUNCTIONS) {
        for (const name of Object.keys(FUNCTION_NAMES) as (keyof typeof FUNCTION_NAMES)[]) {
            if (functionToken(f.module, name) !== token) continue;
            const fns = f.load()(source);
            return fns[name](args as never);
        }
    }
    const known = FUNCTIONS.flatMap((f) =>
        Object.keys(FUNCTION_NAMES).map((n) => functionToken(f.module, n as keyof typeof FUNCTION_NAMES)),
    );
    throw new Error(`${token} is not a function of this provider; use one of ${known.join(", ")}`);
}
