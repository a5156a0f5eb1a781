/** JD Cloud resources. */
export * as rds from "./rds";
