export { RestoredInstance, RestoredInstanceArgs, VSwitchArgs, TimeoutsArgs } from "./restoredInstance";
export { RestoreDrill, RestoreDrillArgs } from "./restoreDrill";
