/**
 * The restore resources as the CLI suite sees them: what a stack of tests/cli/project needs in its config, how many
 * cloud resources exist, which calls write, and what the documented replacement and destroy do.
 */
import * as path from "path";
import { CloudName, EmulatorOptions, RunningEmulator } from "../../emulator";

export const CLI_PROJECT = path.join(__dirname, "project");

/** Secrets set with `pulumi config set --secret` besides the emulator's credentials. */
export const CLI_ADMIN_PASSWORD = "Cli-Adm1n-Pa55word-7f3e";
export const CLI_REDIS_PASSWORD = "cli-redis-Pa55word-91ab";

export interface Subject {
    /** The program's `subject` config value (which resource tests/cli/project declares), unique per subject. */
    subject: string;
    cloud: CloudName;
    /** The resource type token after `pulumi-nodejs:dynamic/`. */
    type: string;
    /** Emulator timings: restores take about two seconds, so a create can be interrupted while it waits. */
    timings: EmulatorOptions;
    /** Seeds the emulator and returns the stack config of this subject (besides the emulator's credentials). */
    seed(emu: RunningEmulator): { config: Record<string, string>; secretKeys: string[]; secrets: string[] };
    /** A second backup (or phone list) for the replacement step. */
    nextBackup: string;
    /** Input properties `pulumi preview --diff` must show for a create. */
    previewKeys: string[];
    /** The non-idempotent call that creates (or restores). */
    createAction: string;
    /** Every action that changes something in the cloud. */
    writeActions: string[];
    /** How many cloud resources (or restores performed) exist now. */
    live(emu: RunningEmulator): number;
    /** How many of those one resource of the program makes (KooPhone parks two phones). */
    perResource: number;
    /** What a new backup does: "replace" (create-before-delete unless `deleteFirst`), or "update" in place. */
    onNewBackup: { op: "replace"; deleteFirst?: boolean; deleteAction?: string } | { op: "update" };
    /** Removes the cloud resource behind Pulumi's back (absent: the resource has nothing to delete out of band). */
    outOfBand?(emu: RunningEmulator, id: string): void;
    /** How many cloud resources remain after destroy, given how many there were. */
    afterDestroy(before: number): number;
}

/** The instance tencentcloud-clone's backups are of (CloneInstances never touches it). */
const CLONE_SOURCE = "crs-clisrc01";

const aliLive = (emu: RunningEmulator) =>
    emu.alicloud.service.live().filter((i) => i.InstanceStatus !== "deleting").length;

export const SUBJECTS: Subject[] = [
    {
        subject: "alicloud",
        cloud: "alicloud",
        type: "alicloud/starrocks:RestoredInstance",
        timings: { starrocks: { restoreMs: 2000, releaseMs: 300 } },
        seed: (emu) => {
            emu.alicloud.service.seed("backup", { BackupTaskId: "bk-cli00000001", RegionId: "cn-hangzhou" });
            emu.alicloud.service.seed("backup", { BackupTaskId: "bk-cli00000002", RegionId: "cn-hangzhou" });
            return {
                config: { backup: "bk-cli00000001", adminPassword: CLI_ADMIN_PASSWORD },
                secretKeys: ["adminPassword"],
                secrets: [CLI_ADMIN_PASSWORD],
            };
        },
        nextBackup: "bk-cli00000002",
        previewKeys: ["backupTaskId", "instanceName", "adminPassword", "restoreToken"],
        createAction: "RestoreInstance",
        writeActions: ["RestoreInstance", "ReleaseInstance"],
        live: aliLive,
        perResource: 1,
        onNewBackup: { op: "replace", deleteAction: "ReleaseInstance" },
        outOfBand: (emu, id) => emu.alicloud.service.releaseOutOfBand(id),
        afterDestroy: () => 0,
    },
    {
        subject: "tencentcloud",
        cloud: "tencentcloud",
        type: "tencentcloud/redis:InstanceRestore",
        timings: { tencentcloud: { prepareMs: 700, runMs: 1300 } },
        seed: (emu) => {
            emu.tencentcloud.service.seed("instance", { InstanceId: "crs-cli00001", Password: CLI_REDIS_PASSWORD });
            emu.tencentcloud.service.seed("backup", { InstanceId: "crs-cli00001", BackupId: "cli-backup-01" });
            emu.tencentcloud.service.seed("backup", { InstanceId: "crs-cli00001", BackupId: "cli-backup-02" });
            return {
                config: { backup: "cli-backup-01", instanceId: "crs-cli00001", redisPassword: CLI_REDIS_PASSWORD },
                secretKeys: ["redisPassword"],
                secrets: [CLI_REDIS_PASSWORD],
            };
        },
        nextBackup: "cli-backup-02",
        previewKeys: ["instanceId", "backupId", "password", "restoreToken"],
        createAction: "RestoreInstance",
        writeActions: ["RestoreInstance"],
        // An in-place restore leaves nothing to delete: what counts is how many restores ran.
        live: (emu) => emu.tencentcloud.service.restoreTasks().length,
        perResource: 1,
        onNewBackup: { op: "replace" },
        afterDestroy: (before) => before,
    },
    {
        subject: "tencentcloud-clone",
        cloud: "tencentcloud",
        type: "tencentcloud/redis:RestoredInstance",
        timings: { tencentcloud: { cloneMs: 2000, destroyMs: 300, cleanUpMs: 300 } },
        seed: (emu) => {
            emu.tencentcloud.service.seed("instance", { InstanceId: CLONE_SOURCE, Password: "Cli-Source-Pa55word" });
            for (const id of ["cli-clone-backup-01", "cli-clone-backup-02"])
                emu.tencentcloud.service.seed("backup", { InstanceId: CLONE_SOURCE, BackupId: id });
            return {
                config: {
                    backup: "cli-clone-backup-01",
                    sourceInstanceId: CLONE_SOURCE,
                    redisPassword: CLI_REDIS_PASSWORD,
                },
                secretKeys: ["redisPassword"],
                secrets: [CLI_REDIS_PASSWORD],
            };
        },
        nextBackup: "cli-clone-backup-02",
        previewKeys: ["sourceInstanceId", "backupId", "zoneId", "securityGroupIds", "password", "restoreToken"],
        createAction: "CloneInstances",
        writeActions: ["CloneInstances", "DestroyPostpaidInstance", "CleanUpInstance"],
        // Clones not released: instances tagged with a restore token (the source and other instances are not).
        live: (emu) =>
            emu.tencentcloud.service.live().filter((i) => i.Tags.some((t) => t.TagKey === "pulumi-restore-token"))
                .length,
        perResource: 1,
        // A new backup is a new intent, hence a new derived name: the new clone is made before the old is released.
        onNewBackup: { op: "replace", deleteAction: "DestroyPostpaidInstance" },
        outOfBand: (emu, id) => emu.tencentcloud.service.deleteInstance(id),
        afterDestroy: () => 0,
    },
    {
        subject: "zstack",
        cloud: "zstack",
        type: "zstack:VmFromBackup",
        timings: { zstack: { createMs: 1200, startMs: 800, destroyMs: 300, expungeMs: 300 } },
        seed: (emu) => {
            const a = emu.zstack.service.seed("demo", {
                backupGroupUuid: "0c11aaaa0000000000000000000000a1",
                instanceOfferingUuid: "0c11aaaa0000000000000000000000b1",
                l3NetworkUuid: "0c11aaaa0000000000000000000000c1",
            }) as { backupGroupUuid: string; instanceOfferingUuid: string; l3NetworkUuid: string };
            emu.zstack.service.seed("backupGroup", {
                uuid: "0c11aaaa0000000000000000000000a2",
                l3NetworkUuids: [a.l3NetworkUuid],
            });
            return {
                config: {
                    backup: a.backupGroupUuid,
                    instanceOfferingUuid: a.instanceOfferingUuid,
                    l3NetworkUuid: a.l3NetworkUuid,
                },
                secretKeys: [],
                secrets: [],
            };
        },
        nextBackup: "0c11aaaa0000000000000000000000a2",
        previewKeys: ["backupGroupUuid", "name", "instanceOfferingUuid", "l3NetworkUuids", "restoreToken"],
        createAction: "CreateVmFromVmBackup",
        writeActions: ["CreateVmFromVmBackup", "DestroyVmInstance", "ExpungeVmInstance"],
        live: (emu) => emu.zstack.service.liveVms().length,
        perResource: 1,
        onNewBackup: { op: "replace", deleteAction: "DestroyVmInstance" },
        outOfBand: (emu, id) => emu.zstack.service.destroyOutOfBand(id),
        afterDestroy: () => 0,
    },
    {
        subject: "jdcloud",
        cloud: "jdcloud",
        type: "jdcloud/rds:RestoredInstance",
        timings: { jdcloud: { buildMs: 2000, deleteMs: 300 } },
        seed: (emu) => {
            emu.jdcloud.service.seed("backup", { backupId: "bk-cli-nightly", engine: "MySQL" });
            emu.jdcloud.service.seed("backup", { backupId: "bk-cli-weekly", engine: "MySQL" });
            return { config: { backup: "bk-cli-nightly" }, secretKeys: [], secrets: [] };
        },
        nextBackup: "bk-cli-weekly",
        previewKeys: ["backupId", "engine", "instanceSpec", "restoreToken"],
        createAction: "createInstanceFromBackup",
        writeActions: ["createInstanceFromBackup", "deleteInstance"],
        live: (emu) => emu.jdcloud.service.live().length,
        perResource: 1,
        onNewBackup: { op: "replace", deleteAction: "deleteInstance" },
        outOfBand: (emu, id) => emu.jdcloud.service.deleteOutOfBand(id),
        afterDestroy: () => 0,
    },
    {
        subject: "huaweicloud",
        cloud: "huaweicloud",
        type: "huaweicloud/koophone:InstanceBackup",
        timings: { huaweicloud: { backupMs: 2000, restoreMs: 500 } },
        seed: (emu) => {
            for (const id of ["cliP001", "cliP002", "cliP003"]) emu.huaweicloud.service.seed("instance", { id });
            return { config: { backup: "cliP001,cliP002" }, secretKeys: [], secrets: [] };
        },
        nextBackup: "cliP002,cliP003",
        previewKeys: ["instanceIds", "userId", "restoreToken"],
        createAction: "BatchBackupInstances",
        writeActions: ["BatchBackupInstances", "BatchPrepareInstances"],
        // Phones parked in OBS by this stack.
        live: (emu) =>
            ["cliP001", "cliP002", "cliP003"].filter((id) => emu.huaweicloud.service.phaseOf(id) === "backedUp").length,
        perResource: 2,
        onNewBackup: { op: "update" },
        afterDestroy: () => 0,
    },
];
