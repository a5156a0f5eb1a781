export { InstanceRestore, InstanceRestoreArgs, TimeoutsArgs } from "./instanceRestore";
