import * as pulumi from "@pulumi/pulumi";
import { BackupFilterArgs } from "../core/backupLookup";
import { TENCENT_CONFIG_KEYS, TENCENT_SECRET_KEYS, tencentRegion } from "./credentials";
import { REDIS_SELECTOR, listRedisBackups } from "./redisBackups";
import { RedisRestoreProvider } from "./redisProvider";
import {
    BackupFunctionsWithConfig,
    GetBackupsResult,
    GetLatestBackupResult,
    OutputArgs,
    backupFunctions,
} from "../core/lookupFunctions";
import type { ConfigSource } from "../core/config";
import { hostEnv } from "../core/environment";

export type { BackupInfo } from "../core/backupLookup";
export type { GetBackupsResult, GetLatestBackupResult } from "../core/lookupFunctions";

/** Arguments of {@link getBackups} and {@link getLatestBackup}. */
export interface GetBackupsArgs extends BackupFilterArgs {
    /** The Redis instance whose backups are listed, e.g. `crs-5a4py64p`. */
    instanceId: string;
    /** Region; default `tencentcloud:region`, then TENCENTCLOUD_REGION, then ap-guangzhou (as for the resource). */
    region?: string;
    /** `"0"` manual, `"1"` automatic (nightly) or `"2"` taken by a configuration change (DescribeInstanceBackups' BackupType). */
    backupType?: string;
}

/** {@link GetBackupsArgs} as Inputs, for the Output forms. */
export type GetBackupsOutputArgs = OutputArgs<GetBackupsArgs>;

const fns = backupFunctions<GetBackupsArgs>({
    name: "tencentcloud.redis",
    spec: REDIS_SELECTOR,
    configKeys: TENCENT_CONFIG_KEYS,
    secretKeys: TENCENT_SECRET_KEYS,
    region: (a, config) => tencentRegion(config, a.region, hostEnv()),
    // The resource's own provider builds the client: same endpoint, credentials, rate limit and retries.
    list: (_a, source, region, config) => listRedisBackups(new RedisRestoreProvider({}, config).client(region), source),
    where: (r) => `region ${r}`,
    source: (id) => `instance ${id}`,
});

/**
 * Lists the backups of a Redis instance (DescribeInstanceBackups, every page), newest first, with optional filters
 * (`backupType`, `after`, `before`, `maxAge`, `statuses` such as ["2"], `completeOnly`). Status codes are the API's:
 * 1 locked, 2 normal, -1 expired, 3 exporting, 4 exported. Read-only: it runs at preview. None is an error.
 */
export function getBackups(args: GetBackupsArgs): Promise<GetBackupsResult> {
    return fns.getBackups(args);
}

/** {@link getBackups} with Inputs, as an Output. */
export function getBackupsOutput(args: GetBackupsOutputArgs): pulumi.Output<GetBackupsResult> {
    return fns.getBackupsOutput(args);
}

/**
 * The latest complete backup of a Redis instance matching the filters: normal (2), exported (4), or held by another
 * flow once it has ended (a restore waits the hold out); what `backupSelector` would choose now. Read-only: it runs
 * at preview. None is an error that says what was searched and why nothing matched.
 */
export function getLatestBackup(args: GetBackupsArgs): Promise<GetLatestBackupResult> {
    return fns.getLatestBackup(args);
}

/** {@link getLatestBackup} with Inputs, as an Output. */
export function getLatestBackupOutput(args: GetBackupsOutputArgs): pulumi.Output<GetLatestBackupResult> {
    return fns.getLatestBackupOutput(args);
}

/**
 * The Promise forms with settings from `source` instead of the program's stack config: what the provider plugin's
 * `invoke` runs (not part of the package's public exports).
 */
export function backupsWithConfig(source: () => ConfigSource): BackupFunctionsWithConfig<GetBackupsArgs> {
    return fns.withConfig(source);
}
