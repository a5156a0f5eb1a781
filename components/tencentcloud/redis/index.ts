export { InstanceRestore, InstanceRestoreArgs, TimeoutsArgs, BackupSelectorArgs } from "./instanceRestore";
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
