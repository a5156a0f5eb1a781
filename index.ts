/**
 * pulumi-restore: restores from backup, declared as Pulumi resources.
 *
 * ```ts
 * import { alicloud } from "pulumi-restore";
 * new alicloud.starrocks.RestoredInstance("analytics-dr", { backupTaskId: "bk-adskj23hd9s" });
 * ```
 */
export * as alicloud from "./provider/alicloud";
export * as tencentcloud from "./provider/tencentcloud";
export * as zstack from "./provider/zstack";
export * as jdcloud from "./provider/jdcloud";
export * as huaweicloud from "./provider/huaweicloud";
