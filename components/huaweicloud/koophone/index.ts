export { InstanceBackup, InstanceBackupArgs, InstanceBackupRecord, InstanceBackupTimeoutsArgs } from "./instanceBackup";
