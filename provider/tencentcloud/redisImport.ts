/**
 * `pulumi import` of `tencentcloud.redis.InstanceRestore`: a restore that already ran (from the console, another tool,
 * or a stack that lost its state) recorded as this resource, so that the next `up` does not restore again. The
 * resource's own id is `<instanceId>:<taskId>`; the import id adds the backup restored, which no Redis API reports for
 * a restore task: `<instanceId>:<taskId>:<backupId>`. The task must be a finished, successful restore task of that
 * instance, and the backup one of its backups.
 */
import { snapshotConfig } from "../core/config";
import { clean } from "../core/validate";
import { TENCENT_CONFIG_KEYS, TENCENT_SECRET_KEYS, tencentRegion } from "./credentials";
import { TASK_STATUS, isRestoreTaskType, parseBeijingTime } from "./redisClient";
import { BACKUP_ID, INSTANCE_ID } from "./redisInputs";
import { RedisRestoreProvider, restoreId } from "./redisProvider";
import type { Importer } from "../core/importer";
import { parseImportId } from "../core/importId";
import { hostEnv } from "../core/environment";

/** Reads a finished restore (`<instanceId>:<taskId>:<backupId>`). */
export const importer: Importer = async (id, ctx) => {
    const parts = parseImportId(id, [
        { name: "instanceId", pattern: INSTANCE_ID, format: 'a Redis instance id such as "crs-5a4py64p"' },
        { name: "taskId", pattern: /^[1-9]\d{0,14}$/, format: "the restore task's id (a whole number)" },
        {
            name: "backupId",
            pattern: BACKUP_ID,
            format: 'the id of the backup restored, such as "678362566696298532848117"',
        },
    ]);
    const instanceId = parts.instanceId as string;
    const taskId = Number(parts.taskId);
    const backupId = parts.backupId as string;
    const p = new RedisRestoreProvider();
    await p.configure({ config: ctx.config });
    const region = tencentRegion(
        snapshotConfig(ctx.config, TENCENT_CONFIG_KEYS, TENCENT_SECRET_KEYS),
        undefined,
        hostEnv(),
    );
    const client = p.client(region);
    const inst = await client.describeInstance(instanceId);
    if (!inst) return undefined;
    const task = await client.describeTaskInfo(taskId);
    if (task.InstanceId && task.InstanceId !== instanceId)
        throw new Error(`task ${taskId} is a task of instance ${task.InstanceId}, not of ${instanceId}`);
    if (!isRestoreTaskType(task.TaskType))
        throw new Error(`task ${taskId} is not a restore task (its type is ${task.TaskType}): nothing to import`);
    const status = task.Status;
    if ((TASK_STATUS.pending as readonly string[]).includes(status))
        throw new Error(`restore task ${taskId} of ${instanceId} is still ${status}: import it once it has succeeded`);
    if (!(TASK_STATUS.succeeded as readonly string[]).includes(status))
        throw new Error(
            `restore task ${taskId} of ${instanceId} ended in "${status}"${task.TaskMessage ? ` (${task.TaskMessage})` : ""}: a failed restore is not imported; declare the resource to restore again`,
        );
    const backup = await client.findBackup(instanceId, backupId);
    if (!backup)
        throw new Error(
            `backup ${backupId} is not among the backups of instance ${instanceId} (DescribeInstanceBackups): give the id of the backup task ${taskId} restored`,
        );
    const end = parseBeijingTime(backup.EndTime);
    const inputs = { instanceId, backupId };
    const outs = clean({
        ...inputs,
        region,
        taskId,
        status,
        backupStartTime: backup.StartTime,
        backupEndTime: backup.EndTime,
        // Not started by this resource: taken over, as an earlier attempt's task would be.
        adopted: true,
        selectedBackupId: backupId,
        selectedBackupTime: end === undefined ? undefined : new Date(end).toISOString(),
    });
    return { id: restoreId(instanceId, taskId), outs, inputs };
};
