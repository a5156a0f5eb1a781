/** Tencent Cloud resources. */
export * as redis from "./redis";
