/** ZStack Cloud resources. */
export {
    VmFromBackup,
    VmFromBackupArgs,
    VmNicParamArgs,
    NicOutput,
    VolumeOutput,
    TimeoutsArgs,
    BackupSelectorArgs,
} from "./vmResource";
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
} from "./vmLookup";
export { RestoreDrill, RestoreDrillArgs } from "./vmDrillResource";
