/** ZStack Cloud resources. */
export { VmFromBackup, VmFromBackupArgs, VmNicParamArgs, NicOutput, VolumeOutput, TimeoutsArgs } from "./vmFromBackup";
export { RestoreDrill, RestoreDrillArgs } from "./restoreDrill";
