export { RestoredInstance, RestoredInstanceArgs, InstanceSpecArgs, ChargeSpecArgs, TimeoutsArgs } from "./restoredInstance";
export { RestoreDrill, RestoreDrillArgs } from "./restoreDrill";
