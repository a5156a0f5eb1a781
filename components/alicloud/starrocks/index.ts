export { RestoredInstance, RestoredInstanceArgs, VSwitchArgs, TimeoutsArgs } from "./restoredInstance";
