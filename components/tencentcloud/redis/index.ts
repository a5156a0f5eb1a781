export { InstanceRestore, InstanceRestoreArgs, TimeoutsArgs, BackupSelectorArgs } from "./instanceRestore";
export { RestoredInstance, RestoredInstanceArgs, RestoredInstanceTimeoutsArgs } from "./restoredInstance";
export { RestoreDrill, RestoreDrillArgs } from "./restoreDrill";
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
