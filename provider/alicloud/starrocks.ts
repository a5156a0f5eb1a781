export {
    RestoredInstance,
    RestoredInstanceArgs,
    VSwitchArgs,
    TimeoutsArgs,
    BackupSelectorArgs,
} from "./starrocksResource";
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
} from "./starrocksLookup";
export { RestoreDrill, RestoreDrillArgs } from "./starrocksDrillResource";
