export {
    RestoredInstance,
    RestoredInstanceArgs,
    InstanceSpecArgs,
    ChargeSpecArgs,
    TimeoutsArgs,
    BackupSelectorArgs,
} from "./rdsResource";
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
} from "./rdsLookup";
export { RestoreDrill, RestoreDrillArgs } from "./rdsDrillResource";
