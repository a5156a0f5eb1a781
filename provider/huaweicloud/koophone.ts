export {
    InstanceBackup,
    InstanceBackupArgs,
    InstanceBackupRecord,
    InstanceBackupTimeoutsArgs,
} from "./koophoneResource";
