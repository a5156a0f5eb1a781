/**
 * pulumi-restore: restores from backup, declared as Pulumi resources.
 *
 * ```ts
 * import { alicloud } from "pulumi-restore";
 * new alicloud.starrocks.RestoredInstance("analytics-dr", { backupTaskId: "bk-adskj23hd9s" });
 * ```
 */
export * as alicloud from "./components/alicloud";
