/**
 * pulumi-restore: restores from backup, declared as Pulumi resources.
 *
 * ```ts
 * import { alicloud } from "pulumi-restore";
 * new alicloud.starrocks.RestoredInstance("analytics-dr", { backupTaskId: "bk-adskj23hd9s" });
 * ```
 */
export * as alicloud from "./components/alicloud";
export * as tencentcloud from "./components/tencentcloud";
export * as zstack from "./components/zstack";
export * as jdcloud from "./components/jdcloud";
export * as huaweicloud from "./components/huaweicloud";
