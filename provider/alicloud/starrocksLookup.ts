import * as pulumi from "@pulumi/pulumi";
import { BackupFilterArgs } from "../core/backupLookup";
import { ALICLOUD_CONFIG_KEYS, ALICLOUD_SECRET_KEYS, alicloudRegion } from "./credentials";
import { STARROCKS_SELECTOR, listStarRocksBackups } from "./starrocksBackups";
import { StarRocksProvider } from "./starrocksProvider";
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
    /** The StarRocks instance whose backups are listed, e.g. `c-b25e21e243889abc`. */
    instanceId: string;
    /** Region; default `alicloud:region`, then ALICLOUD_REGION (as for the resources). */
    regionId?: string;
    /** DescribeBackups' `BackupType`: `"0"` (quick backup) or `"1"` (consistent backup). */
    backupType?: string;
}

/** {@link GetBackupsArgs} as Inputs, for the Output forms. */
export type GetBackupsOutputArgs = OutputArgs<GetBackupsArgs>;

const fns = backupFunctions<GetBackupsArgs>({
    name: "alicloud.starrocks",
    spec: STARROCKS_SELECTOR,
    configKeys: ALICLOUD_CONFIG_KEYS,
    secretKeys: ALICLOUD_SECRET_KEYS,
    region(a, config) {
        const r = alicloudRegion(config, a.regionId, hostEnv());
        if (!r)
            throw new Error(
                "alicloud.starrocks: no region: set regionId, or `pulumi config set alicloud:region cn-hangzhou`, " +
                    "or ALICLOUD_REGION",
            );
        return r;
    },
    // The resource's own provider builds the client: same endpoint, credentials, rate limit and retries.
    list: (_a, source, region, config) =>
        listStarRocksBackups(new StarRocksProvider({}, config).client(region), source, region),
    where: (r) => `region ${r}`,
    source: (id) => `instance ${id}`,
});

/**
 * Lists the backups of a StarRocks instance (DescribeBackups, every page), newest first, with optional filters
 * (`backupType`, `after`, `before`, `maxAge`, `statuses` such as ["COMPLETED"], `completeOnly`). Read-only: it runs at
 * preview. Finding none is an error that says what was searched.
 */
export function getBackups(args: GetBackupsArgs): Promise<GetBackupsResult> {
    return fns.getBackups(args);
}

/** {@link getBackups} with Inputs, as an Output. */
export function getBackupsOutput(args: GetBackupsOutputArgs): pulumi.Output<GetBackupsResult> {
    return fns.getBackupsOutput(args);
}

/**
 * The latest complete (COMPLETED) backup of a StarRocks instance matching the filters: what `backupSelector` would
 * choose now. Read-only: it runs at preview. None is an error that says what was searched and why nothing matched.
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
