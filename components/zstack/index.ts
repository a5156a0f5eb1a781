/** ZStack Cloud resources. */
export {
    VmFromBackup,
    VmFromBackupArgs,
    VmNicParamArgs,
    NicOutput,
    VolumeOutput,
    TimeoutsArgs,
    BackupSelectorArgs,
} from "./vmFromBackup";
export {
    getBackups,
    getBackupsOutput,
    getLatestBackup,
    getLatestBackupOutput,
    GetBackupsArgs,
    GetBackupsOutputArgs,
    GetBackupsResult,
    GetLatestBackupResult,
    BackupInfo,
} from "./backups";
export { RestoreDrill, RestoreDrillArgs } from "./restoreDrill";
