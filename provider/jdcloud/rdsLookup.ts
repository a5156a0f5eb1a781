import * as pulumi from "@pulumi/pulumi";
import { BackupFilterArgs } from "../core/backupLookup";
import { JDCLOUD_CONFIG_KEYS, JDCLOUD_SECRET_KEYS, jdcloudRegion } from "./credentials";
import { RDS_SELECTOR, listRdsBackups } from "./rdsBackups";
import { RdsRestoreProvider } from "./rdsProvider";
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
    /** The source RDS instance whose backups are listed, e.g. `mysql-k2x7ab9q0w`. */
    instanceId: string;
    /** Region, e.g. `cn-north-1`; default `jdcloud:region`, then JDCLOUD_REGION (as for the resource). */
    regionId?: string;
    /** `auto` or `manual` (describeBackups' backupMode). */
    backupType?: string;
}

/** {@link GetBackupsArgs} as Inputs, for the Output forms. */
export type GetBackupsOutputArgs = OutputArgs<GetBackupsArgs>;

const fns = backupFunctions<GetBackupsArgs>({
    name: "jdcloud.rds",
    spec: RDS_SELECTOR,
    configKeys: JDCLOUD_CONFIG_KEYS,
    secretKeys: JDCLOUD_SECRET_KEYS,
    region(a, config) {
        const r = jdcloudRegion(config, a.regionId, hostEnv());
        if (!r)
            throw new Error(
                "jdcloud.rds: no region: set regionId, or `pulumi config set jdcloud:region cn-north-1`, " +
                    "or JDCLOUD_REGION",
            );
        return r;
    },
    // The resource's own provider builds the client: same endpoint, credentials, rate limit and retries.
    list: (_a, source, region, config) => listRdsBackups(new RdsRestoreProvider({}, config).client(), region, source),
    where: (r) => `region ${r}`,
    source: (id) => `instance ${id}`,
});

/**
 * Lists the backups of a JD Cloud RDS instance (describeBackups, every page), newest first, with optional filters
 * (`backupType` auto/manual, `after`, `before`, `maxAge`, `statuses` such as ["COMPLETED"], `completeOnly`).
 * Read-only: it runs at preview. Finding none is an error that says what was searched.
 */
export function getBackups(args: GetBackupsArgs): Promise<GetBackupsResult> {
    return fns.getBackups(args);
}

/** {@link getBackups} with Inputs, as an Output. */
export function getBackupsOutput(args: GetBackupsOutputArgs): pulumi.Output<GetBackupsResult> {
    return fns.getBackupsOutput(args);
}

/**
 * The latest COMPLETED backup of a JD Cloud RDS instance matching the filters: what `backupSelector` would choose now.
 * Read-only: it runs at preview. None is an error that says what was searched and why nothing matched.
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
