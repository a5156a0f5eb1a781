import * as pulumi from "@pulumi/pulumi";
import { BackupFilterArgs } from "../core/backupLookup";
import { ZSTACK_CONFIG_KEYS, ZSTACK_SECRET_KEYS, zstackEndpoint } from "./credentials";
import { ZSTACK_SELECTOR, listZStackBackups } from "./vmBackups";
import { VmFromBackupProvider } from "./vmProvider";
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
    /** The VM whose backup groups are listed (32 lower-case hex). */
    vmUuid: string;
    /** `Full` or `Incremental` (the volume backups' mode). */
    backupType?: string;
}

/** {@link GetBackupsArgs} as Inputs, for the Output forms. */
export type GetBackupsOutputArgs = OutputArgs<GetBackupsArgs>;

const fns = backupFunctions<GetBackupsArgs>({
    name: "zstack",
    spec: ZSTACK_SELECTOR,
    configKeys: ZSTACK_CONFIG_KEYS,
    secretKeys: ZSTACK_SECRET_KEYS,
    // ZStack has no regions: the management node (its host and port, never credentials) is where it looked.
    region: (_a, config) => new URL(zstackEndpoint(config, hostEnv())).host,
    // The resource's own provider builds the client: same endpoint, session or AccessKey, rate limit and retries.
    list: (_a, source, _r, config) => listZStackBackups(new VmFromBackupProvider({}, config).client(), source),
    where: (r) => `management node ${r}`,
    source: (id) => `VM ${id}`,
});

/**
 * Lists the backup groups of a ZStack VM (QueryVolumeBackup by vmInstanceUuid, every page, grouped by groupUuid),
 * newest first, with optional filters (`backupType`, `after`, `before`, `maxAge`, `statuses` such as ["Ready"],
 * `completeOnly`). A group's status is Ready when every volume backup in it is. Read-only: it runs at preview.
 * Finding none is an error that says what was searched. `backupId` is the group uuid `VmFromBackup` takes.
 */
export function getBackups(args: GetBackupsArgs): Promise<GetBackupsResult> {
    return fns.getBackups(args);
}

/** {@link getBackups} with Inputs, as an Output. */
export function getBackupsOutput(args: GetBackupsOutputArgs): pulumi.Output<GetBackupsResult> {
    return fns.getBackupsOutput(args);
}

/**
 * The latest complete backup group of a VM matching the filters: what `backupSelector` would choose now. Read-only:
 * it runs at preview. None is an error that says what was searched and why nothing matched.
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
