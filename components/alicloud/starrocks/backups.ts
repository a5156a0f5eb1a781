import * as pulumi from "@pulumi/pulumi";
import { BackupFilterArgs, BackupInfo, BackupLister, lookupBackups, lookupLatestBackup } from "../../../provider/core/backupLookup";
import { snapshotConfig } from "../../../provider/core/config";
import { ALICLOUD_CONFIG_KEYS, ALICLOUD_SECRET_KEYS, alicloudRegion } from "../../../provider/alicloud/credentials";
import { STARROCKS_SELECTOR, listStarRocksBackups } from "../../../provider/alicloud/starrocksBackups";
import { StarRocksProvider } from "../../../provider/alicloud/starrocksProvider";
import { outputOf, stackConfig } from "../../lookup";

export type { BackupInfo } from "../../../provider/core/backupLookup";

/** Arguments of {@link getBackups} and {@link getLatestBackup}. */
export interface GetBackupsArgs extends BackupFilterArgs {
    /** The StarRocks instance whose backups are listed, e.g. `c-b25e21e243889abc`. */
    instanceId: string;
    /** Region; default `alicloud:region`, then ALICLOUD_REGION (as for the resources). */
    regionId?: string;
    /** `FULL` or `INCREMENTAL`. */
    backupType?: string;
}

/** {@link GetBackupsArgs} as Inputs, for the Output forms. */
export type GetBackupsOutputArgs = { [K in keyof GetBackupsArgs]: pulumi.Input<GetBackupsArgs[K]> };

/** Result of {@link getBackups}. */
export interface GetBackupsResult {
    sourceId: string;
    regionId: string;
    /** Newest first. Status words as DescribeBackups reports them (COMPLETED, RUNNING, FAILED, ...). */
    backups: BackupInfo[];
}

/** Result of {@link getLatestBackup}: the backup a `backupSelector` with the same filters would choose now. */
export interface GetLatestBackupResult {
    sourceId: string;
    regionId: string;
    backupId: string;
    backupTime: string;
    status: string;
    backupType?: string;
}

function lister(): BackupLister<GetBackupsArgs> & { region(a: GetBackupsArgs, c: Record<string, string>): string } {
    return {
        name: "alicloud.starrocks",
        spec: STARROCKS_SELECTOR,
        now: () => Date.now(),
        region(a, config) {
            const r = alicloudRegion(config, a.regionId);
            if (!r) throw new Error("alicloud.starrocks: no region: set regionId, or `pulumi config set alicloud:region cn-hangzhou`, or ALICLOUD_REGION");
            return r;
        },
        async list(a, source, config) {
            const region = this.region(a, config);
            // The resource's own provider builds the client: same endpoint, credentials, rate limit and retries.
            const client = new StarRocksProvider({}, config).client(region);
            return { records: await listStarRocksBackups(client, source, region), search: { source: `instance ${source}`, where: `region ${region}` } };
        },
    };
}

function config() {
    return snapshotConfig(stackConfig(), ALICLOUD_CONFIG_KEYS, ALICLOUD_SECRET_KEYS);
}

/**
 * Lists the backups of a StarRocks instance (DescribeBackups, every page), newest first, with optional filters.
 * Read-only: it runs at preview. Finding none is an error that says what was searched.
 */
export async function getBackups(args: GetBackupsArgs): Promise<GetBackupsResult> {
    const l = lister();
    const c = config();
    const r = await lookupBackups(l, args, c);
    return { ...r, regionId: l.region(args, c) };
}

/** {@link getBackups} with Inputs, as an Output. */
export function getBackupsOutput(args: GetBackupsOutputArgs): pulumi.Output<GetBackupsResult> {
    return outputOf<GetBackupsArgs, GetBackupsResult>(args, getBackups);
}

/**
 * The latest complete backup of a StarRocks instance matching the filters: what `backupSelector` would choose now.
 * Read-only: it runs at preview. None is an error that says what was searched and why nothing matched.
 */
export async function getLatestBackup(args: GetBackupsArgs): Promise<GetLatestBackupResult> {
    const l = lister();
    const c = config();
    const r = await lookupLatestBackup(l, args, c);
    return { ...r, regionId: l.region(args, c) };
}

/** {@link getLatestBackup} with Inputs, as an Output. */
export function getLatestBackupOutput(args: GetBackupsOutputArgs): pulumi.Output<GetLatestBackupResult> {
    return outputOf<GetBackupsArgs, GetLatestBackupResult>(args, getLatestBackup);
}
