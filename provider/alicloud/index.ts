/** Alibaba Cloud resources. */
export * as starrocks from "./starrocks";
