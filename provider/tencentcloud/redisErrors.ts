/**
 * What to do about each error code of Tencent Cloud Redis RestoreInstance (vendor page 003) and the API 3.0 common
 * codes, in words a user can act on. Kept apart from the client so the table can be read and tested as a whole.
 */
export const REDIS_HINTS: Record<string, string> = {
    // RestoreInstance's own codes (seeds/003).
    "InternalError.InternalError":
        "Tencent Cloud reported an internal error. Whether the restore started is unknown: pulumi-restore looks for the restore task before calling again; if this persists, run `pulumi up` later or open a ticket with the request id.",
    "InvalidParameter.InvalidParameter":
        "A parameter was rejected: check instanceId (crs-xxxxxxxx) and backupId against the Redis console (Backup and Restore).",
    "InvalidParameter.PermissionDenied":
        "The API is not permitted for this account: grant the CAM policy QcloudRedisFullAccess (or redis:RestoreInstance on the instance) to the user of tencentcloud:secretId.",
    "InvalidParameterValue.BackupNotExists":
        "The backup does not exist (or has expired): list the instance's backups in the Redis console or with DescribeInstanceBackups and set backupId to one of them.",
    "InvalidParameterValue.PasswordError":
        "The password is wrong: set `password` to the instance's current password (pulumi config set --secret ...), then run `pulumi up` again.",
    "InvalidParameterValue.PasswordEmpty":
        "The instance requires a password for restores: set the `password` argument (as a secret).",
    "ResourceNotFound.InstanceNotExists":
        "No Redis instance has this id in this region: check instanceId and region (the resource's `region`, tencentcloud:region or TENCENTCLOUD_REGION).",
    "ResourceUnavailable.BackupLockedError":
        "The backup is locked by another task (e.g. an export); pulumi-restore waits and retries until the create time-out.",
    "ResourceUnavailable.BackupStatusAbnormal":
        "The backup is not usable (expired, deleted or failed): choose another backupId with status normal.",
    "ResourceUnavailable.InstanceLockedError":
        "The instance is locked by another process (a change, a backup or another restore); pulumi-restore waits and retries until the create time-out.",
    "ResourceUnavailable.InstanceStatusAbnormal":
        "The instance is not in a state that allows a restore (it must be running, not isolated or being deleted): check it in the Redis console.",
    "UnauthorizedOperation.NoCAMAuthed":
        "CAM does not authorise this operation: grant redis:RestoreInstance, redis:DescribeInstances, redis:DescribeInstanceBackups, redis:DescribeTaskInfo and redis:DescribeTaskList to the user of tencentcloud:secretId.",
    // API 3.0 common codes.
    "AuthFailure.SignatureExpire":
        "The request time is more than 5 minutes off Tencent Cloud's clock: synchronise this machine's clock (NTP) and run again.",
    "AuthFailure.SignatureFailure":
        "The signature was rejected: check that tencentcloud:secretKey (or TENCENTCLOUD_SECRET_KEY) belongs to tencentcloud:secretId, and that no proxy rewrites the request.",
    "AuthFailure.SecretIdNotFound":
        "The SecretId does not exist or is disabled: check tencentcloud:secretId (or TENCENTCLOUD_SECRET_ID) in the CAM console (API keys).",
    "AuthFailure.TokenFailure":
        "The temporary token is invalid or expired: obtain new temporary credentials (tencentcloud:securityToken / TENCENTCLOUD_SECURITY_TOKEN).",
    "AuthFailure.InvalidSecretId":
        "The SecretId is malformed: check tencentcloud:secretId (or TENCENTCLOUD_SECRET_ID).",
    RequestLimitExceeded: "The API is throttling this account; calls are spread out and retried automatically.",
    "RequestLimitExceeded.UinLimitExceeded":
        "The account's request quota is exceeded; calls are spread out and retried automatically.",
    "RequestLimitExceeded.IPLimitExceeded":
        "This IP's request quota is exceeded; calls are spread out and retried automatically.",
    MissingParameter: "A required parameter is missing; this is a bug in pulumi-restore, please report it.",
    UnsupportedOperation: "The operation is not supported for this instance (type or state): check the message.",
    UnauthorizedOperation: "CAM does not authorise this operation: grant the redis:* actions named in the message.",
    ServiceUnavailable: "The Redis API is temporarily unavailable; run `pulumi up` again later.",
};

/** Codes that mean "nothing was done, try again later" (throttling). */
export function isThrottle(code: string): boolean {
    return code === "RequestLimitExceeded" || code.startsWith("RequestLimitExceeded.");
}

/** Codes after which the effect of a write is unknown: the server may have acted before failing. */
export function isServerFault(code: string): boolean {
    return (
        code === "InternalError" ||
        code.startsWith("InternalError.") ||
        code === "ServiceUnavailable" ||
        code.startsWith("FailedOperation.SystemError")
    );
}

/** Codes that a wait may clear: another flow holds the instance or the backup. */
export const LOCKED_CODES = ["ResourceUnavailable.BackupLockedError", "ResourceUnavailable.InstanceLockedError"];

/** The hint for a code, or for its family (`AuthFailure.X` → `AuthFailure...`). */
export function hintFor(code: string): string | undefined {
    if (REDIS_HINTS[code]) return REDIS_HINTS[code];
    if (isThrottle(code)) return REDIS_HINTS.RequestLimitExceeded;
    const family = code.split(".")[0];
    return REDIS_HINTS[family];
}
