export { InstanceRestore, InstanceRestoreArgs, TimeoutsArgs, BackupSelectorArgs } from "./redisResource";
export { RestoredInstance, RestoredInstanceArgs, RestoredInstanceTimeoutsArgs } from "./cloneResource";
export { RestoreDrill, RestoreDrillArgs } from "./cloneDrillResource";
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
} from "./redisLookup";
