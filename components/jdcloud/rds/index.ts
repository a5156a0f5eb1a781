export {
    RestoredInstance,
    RestoredInstanceArgs,
    InstanceSpecArgs,
    ChargeSpecArgs,
    TimeoutsArgs,
    BackupSelectorArgs,
} from "./restoredInstance";
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
