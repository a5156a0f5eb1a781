/**
 * Restore a Tencent Cloud Redis instance from one of its backups.
 *
 *   pulumi config set redisInstanceId crs-5a4py64p
 *   pulumi config set redisBackupId 678362566696298532848117
 *   pulumi config set --secret redisPassword ...          (omit for a password-free instance)
 *   pulumi config set tencentcloud:region ap-guangzhou
 *   pulumi config set tencentcloud:secretId AKID...        (or TENCENTCLOUD_SECRET_ID)
 *   pulumi config set --secret tencentcloud:secretKey ...  (or TENCENTCLOUD_SECRET_KEY)
 *
 * Against the local emulator, also `pulumi config set tencentcloud:endpoint http://127.0.0.1:<port>`.
 */
import * as pulumi from "@pulumi/pulumi";
import { tencentcloud } from "pulumi-restore";

export = async () => {
    const cfg = new pulumi.Config();
    const restore = new tencentcloud.redis.InstanceRestore("cache-restore", {
        instanceId: cfg.get("redisInstanceId") ?? "crs-quick001",
        backupId: cfg.get("redisBackupId") ?? "quickstart-backup-01",
        password: cfg.getSecret("redisPassword"),
        // Change this value to run the restore again (e.g. a monthly restore drill).
        triggers: { drill: cfg.get("drill") ?? "1" },
        timeouts: { create: "1h" },
    });
    return {
        taskId: restore.taskId,
        status: restore.status,
        restoredAt: restore.restoredAt,
        backupEndTime: restore.backupEndTime,
    };
};
