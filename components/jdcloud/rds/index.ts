export { RestoredInstance, RestoredInstanceArgs, InstanceSpecArgs, ChargeSpecArgs, TimeoutsArgs } from "./restoredInstance";
