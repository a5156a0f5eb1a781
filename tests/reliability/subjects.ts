/**
 * The five restore resources as the reliability suites drive them: for each, its inputs, the actions it calls, and a
 * fresh emulator with a provider pointed at it (the fault matrix and the deadline suite share them).
 */
import { StarRocksService } from "../../emulator/alicloud/starrocks";
import { EmulatorServer } from "../../emulator/core/server";
import { CloudService } from "../../emulator/core/types";
import { KOOPHONE_EMULATOR_CREDENTIALS, KooPhoneService } from "../../emulator/huaweicloud/koophone";
import { JdcloudRdsService } from "../../emulator/jdcloud/rds";
import { TencentRedisService } from "../../emulator/tencentcloud/redis";
import { ZStackService } from "../../emulator/zstack/zstack";
import { StarRocksProvider } from "../../provider/alicloud/starrocksProvider";
import { AxiosTransport, NetworkFailure, Transport } from "../../provider/core/http";
import { PollSchedule } from "../../provider/core/poller";
import { KooPhoneProvider } from "../../provider/huaweicloud/koophoneProvider";
import { RdsRestoreProvider } from "../../provider/jdcloud/rdsProvider";
import { RedisRestoreProvider } from "../../provider/tencentcloud/redisProvider";
import { CloneProvider } from "../../provider/tencentcloud/cloneProvider";
import { clearSessions } from "../../provider/zstack/session";
import { VmFromBackupProvider } from "../../provider/zstack/vmProvider";
import { EngineFacingProvider, QuiescentClock, StateEntry } from "./faultDriver";
import { perRestore } from "../support/clouds";

/** The poll schedule of every subject's provider. */
export const SCHEDULE: PollSchedule = { minIntervalMs: 1000, maxIntervalMs: 10_000, fraction: 0.05 };

export type Step = "create" | "read" | "update" | "delete";
export const STEPS: Step[] = ["create", "read", "update", "delete"];
export const STEP_TITLE: Record<Step, string> = {
    create: "up (create)",
    read: "refresh (read)",
    update: "up (update)",
    delete: "destroy (delete)",
};

/** One running world: a fresh emulator of one cloud and a provider pointed at it. */
export interface World {
    server: EmulatorServer;
    provider: EngineFacingProvider;
    /** Ids of what the cloud holds for the resource now. */
    held(): string[];
    /** Ids the cloud should hold for the engine's state (and, where delete leaves things by design, retired ids). */
    expected(state: StateEntry | undefined, retired: string[]): string[];
    /** How many cloud resources (or restores) were made so far: compared with the fault-free run. */
    creations(): number;
    /**
     * Only for subjects with `lateRefused`: what the refusal tells the user to do with what the late create left that no
     * state lists (`orphans`), done as the user would (the console). Returns how many creations it costs (counted apart
     * from the provider's).
     */
    wayOut?(orphans: string[]): number;
}

/** One resource type of the matrix. */
export interface Subject {
    resource: string;
    /** Actions that start asynchronous work (the only ones a "task fails" fault applies to). */
    asyncActions: string[];
    /** Actions that change the cloud: a later call of a read action in the same step is the "wait" path. */
    mutations: string[];
    /** Actions that create something (the late-create and odd-answer columns apply to them only). */
    creates: string[];
    /** Why a step makes no API call, when it makes none. */
    silent?: Partial<Record<Step, string>>;
    /**
     * Set when a create carried out late (after the call's window) is refused rather than followed, and why: the run
     * after it must fail naming what the late create left, and converge once the user has done what it says.
     */
    lateRefused?: string;
    v1: Record<string, unknown>;
    v2: Record<string, unknown>;
    /** `env` holds the PULUMI_RESTORE_STATE_DIR of this run (the providers' local records). */
    start(clock: QuiescentClock, transport: Transport, env: NodeJS.ProcessEnv): Promise<World>;
}

/** The provider's transport with a short time-out; counts what the client saw, to prove each fault reached it. */
export function transport(timeoutMs: number): Transport & { seen: Record<string, number> } {
    const inner = new AxiosTransport();
    const seen: Record<string, number> = {};
    return {
        seen,
        send: async (req) => {
            try {
                return await inner.send(req, timeoutMs);
            } catch (e) {
                const code = e instanceof NetworkFailure ? e.code : "other";
                seen[code] = (seen[code] ?? 0) + 1;
                throw e;
            }
        },
    };
}

export async function serve(
    clock: QuiescentClock,
    svc: CloudService,
): Promise<{ server: EmulatorServer; url: string }> {
    const server = new EmulatorServer(svc);
    const url = await server.start();
    clock.servers.push(server);
    return { server, url };
}

const cfg = (c: Record<string, string>) => ({ config: { get: (k: string) => c[k] } });
const TOKEN = "prt-fa017fa017fa017fa017";

const starrocks: Subject = {
    resource: "alicloud.starrocks.RestoredInstance",
    asyncActions: ["RestoreInstance"],
    mutations: ["RestoreInstance", "ReleaseInstance"],
    creates: ["RestoreInstance"],
    v1: {
        restoreToken: TOKEN,
        backupTaskId: "bk-matrix0001",
        instanceName: "matrix-dr",
        adminPassword: "Matrix-Passw0rd",
    },
    v2: {
        restoreToken: TOKEN,
        backupTaskId: "bk-matrix0001",
        instanceName: "matrix-dr",
        adminPassword: "Matrix-Passw0rd",
        timeouts: { create: "3h" },
    },
    async start(clock, t, env) {
        const svc = new StarRocksService({
            clock,
            timings: { restoreMs: 20_000, releaseMs: 5000 },
            credentials: { "fm-ak": "fm-secret" },
        });
        svc.seed("backup", { BackupTaskId: "bk-matrix0001", RegionId: "cn-hangzhou" });
        const { server, url } = await serve(clock, svc);
        const provider = new StarRocksProvider({ clock, env, schedule: SCHEDULE, transport: t, random: () => 0.5 });
        await provider.configure(
            cfg({
                "alicloud:endpoint": url,
                "alicloud:region": "cn-hangzhou",
                "alicloud:accessKey": "fm-ak",
                "alicloud:secretKey": "fm-secret",
            }),
        );
        const all = () => svc.snapshot().instances as { InstanceId: string; InstanceStatus: string }[];
        return {
            server,
            provider,
            held: () =>
                all()
                    .filter((i) => i.InstanceStatus !== "deleted")
                    .map((i) => i.InstanceId),
            expected: (s) => (s ? [s.id] : []),
            creations: () => all().length,
        };
    },
};

const tencent: Subject = {
    resource: "tencentcloud.redis.InstanceRestore",
    asyncActions: ["RestoreInstance"],
    mutations: ["RestoreInstance"],
    creates: ["RestoreInstance"],
    silent: {
        update: "changing the password updates state only (the resource makes no API call)",
        delete: "delete removes the resource from the stack only (a restore cannot be undone; no API call)",
    },
    v1: { restoreToken: TOKEN, instanceId: "crs-fm000001", backupId: "fm-backup-0001", password: "Matrix-Passw0rd" },
    v2: { restoreToken: TOKEN, instanceId: "crs-fm000001", backupId: "fm-backup-0001", password: "Matrix-Passw0rd-2" },
    async start(clock, t, env) {
        const svc = new TencentRedisService({
            clock,
            credentials: { AKIDfaultmatrix0001: "fm-secret" },
            timings: { prepareMs: 2000, runMs: 8000 },
        });
        svc.seed("instance", { InstanceId: "crs-fm000001", Password: "Matrix-Passw0rd" });
        svc.seed("backup", { InstanceId: "crs-fm000001", BackupId: "fm-backup-0001" });
        const { server, url } = await serve(clock, svc);
        const deps = { clock, env, schedule: SCHEDULE, transport: t, random: () => 0.5 };
        const provider = new RedisRestoreProvider(deps);
        await provider.configure(
            cfg({
                "tencentcloud:endpoint": url,
                "tencentcloud:secretId": "AKIDfaultmatrix0001",
                "tencentcloud:secretKey": "fm-secret",
            }),
        );
        const taskOf = (id: string) => id.split(":")[1];
        return {
            server,
            provider,
            // A restore that did not fail has overwritten the instance: it is what the resource stands for.
            held: () =>
                svc
                    .restoreTasks()
                    .filter((x) => x.Status !== "failed")
                    .map((x) => String(x.TaskId)),
            // Delete leaves the restored data in place by design: retired restores stay held.
            expected: (s, retired) => [...retired.map(taskOf), ...(s ? [taskOf(s.id)] : [])],
            creations: () => svc.restoreTasks().length,
        };
    },
};

const tencentClone: Subject = {
    resource: "tencentcloud.redis.RestoredInstance",
    asyncActions: ["CloneInstances"],
    mutations: ["CloneInstances", "DestroyPostpaidInstance", "CleanUpInstance"],
    creates: ["CloneInstances"],
    silent: { update: "changing the password updates state only (the resource makes no API call)" },
    v1: {
        restoreToken: TOKEN,
        region: "ap-guangzhou",
        sourceInstanceId: "crs-fmsrc001",
        backupId: "fm-backup-0001",
        zoneId: 100003,
        billingMode: "postpaid",
        securityGroupIds: ["sg-fm000001"],
        password: "Matrix-Passw0rd",
    },
    v2: {
        restoreToken: TOKEN,
        region: "ap-guangzhou",
        sourceInstanceId: "crs-fmsrc001",
        backupId: "fm-backup-0001",
        zoneId: 100003,
        billingMode: "postpaid",
        securityGroupIds: ["sg-fm000001"],
        password: "Matrix-Passw0rd-2",
    },
    async start(clock, t, env) {
        const svc = new TencentRedisService({
            clock,
            credentials: { AKIDfaultmatrix0001: "fm-secret" },
            timings: { cloneMs: 20_000, destroyMs: 3000, cleanUpMs: 3000 },
        });
        svc.seed("instance", { InstanceId: "crs-fmsrc001" });
        svc.seed("backup", { InstanceId: "crs-fmsrc001", BackupId: "fm-backup-0001" });
        const { server, url } = await serve(clock, svc);
        const provider = new CloneProvider({ clock, env, schedule: SCHEDULE, transport: t, random: () => 0.5 });
        await provider.configure(
            cfg({
                "tencentcloud:endpoint": url,
                "tencentcloud:secretId": "AKIDfaultmatrix0001",
                "tencentcloud:secretKey": "fm-secret",
            }),
        );
        return {
            server,
            provider,
            // Clones not released (an isolated one, whose set-up failed, is in the recycle bin and no longer billed).
            held: () =>
                svc
                    .live()
                    .filter((i) => i.InstanceId !== "crs-fmsrc001")
                    .map((i) => i.InstanceId),
            expected: (s) => (s ? [s.id] : []),
            creations: () => svc.clonesMade,
        };
    },
};

const zstack: Subject = {
    resource: "zstack.VmFromBackup",
    asyncActions: ["CreateVmFromVmBackup", "DestroyVmInstance", "ExpungeVmInstance"],
    mutations: ["CreateVmFromVmBackup", "DestroyVmInstance", "ExpungeVmInstance"],
    creates: ["CreateVmFromVmBackup"],
    v1: {},
    v2: {},
    async start(clock, t, env) {
        clearSessions();
        const svc = new ZStackService({
            clock,
            timings: { createMs: 20_000, startMs: 5000, destroyMs: 3000, expungeMs: 3000 },
        });
        const demo = svc.seed("demo", {}) as {
            backupGroupUuid: string;
            instanceOfferingUuid: string;
            l3NetworkUuid: string;
        };
        Object.assign(zstack.v1, {
            restoreToken: TOKEN,
            backupGroupUuid: demo.backupGroupUuid,
            name: "matrix-vm",
            instanceOfferingUuid: demo.instanceOfferingUuid,
            l3NetworkUuids: [demo.l3NetworkUuid],
            defaultL3NetworkUuid: demo.l3NetworkUuid,
        });
        Object.assign(zstack.v2, zstack.v1, { timeouts: { create: "3h" } });
        const { server, url } = await serve(clock, svc);
        const provider = new VmFromBackupProvider({
            clock,
            env,
            schedule: SCHEDULE,
            transport: t,
            random: () => 0.5,
            renewMarginMs: 1000,
        });
        await provider.configure(
            cfg({
                "zstack:endpoint": url,
                "zstack:accountName": "admin",
                "zstack:accountPassword": "emulator-password",
            }),
        );
        return {
            server,
            provider,
            // Any VM the cloud still has, destroyed ones in the recycle bin included (they hold storage).
            held: () => svc.allVms().map((v) => String(v.uuid)),
            expected: (s) => (s ? [s.id] : []),
            creations: () => svc.createdVms,
        };
    },
};

const jdcloud: Subject = {
    resource: "jdcloud.rds.RestoredInstance",
    asyncActions: ["createInstanceFromBackup"],
    mutations: ["createInstanceFromBackup", "deleteInstance"],
    creates: ["createInstanceFromBackup"],
    v1: {
        restoreToken: TOKEN,
        regionId: "cn-north-1",
        backupId: "bk-fm-0001",
        engine: "MySQL",
        instanceSpec: {
            instanceClass: "db.mysql.s1.micro",
            instanceStorageGB: 20,
            azId: ["cn-north-1a", "cn-north-1a"],
            vpcId: "vpc-fm000001",
            subnetId: "subnet-fm000001",
            chargeSpec: {},
        },
    },
    v2: {},
    async start(clock, t, env) {
        Object.assign(jdcloud.v2, jdcloud.v1, { timeouts: { create: "3h" } });
        const svc = new JdcloudRdsService({
            clock,
            credentials: { "fm-ak": "fm-secret" },
            timings: { buildMs: 20_000, deleteMs: 5000 },
        });
        svc.seed("backup", { backupId: "bk-fm-0001", engine: "MySQL", instanceId: "mysql-src00001" });
        const { server, url } = await serve(clock, svc);
        const provider = new RdsRestoreProvider({ clock, env, schedule: SCHEDULE, transport: t, random: () => 0.5 });
        await provider.configure(
            cfg({ "jdcloud:endpoint": url, "jdcloud:accessKey": "fm-ak", "jdcloud:secretKey": "fm-secret" }),
        );
        return {
            server,
            provider,
            held: () => svc.live().map((i) => i.instanceId),
            expected: (s) => (s ? [s.id] : []),
            creations: () => (svc.snapshot().instances as unknown[]).length,
        };
    },
};

const huawei: Subject = {
    resource: "huaweicloud.koophone.InstanceBackup",
    asyncActions: ["BatchBackupInstances", "BatchPrepareInstances"],
    mutations: ["BatchBackupInstances", "BatchPrepareInstances"],
    creates: ["BatchBackupInstances"],
    lateRefused:
        "KooPhone does not say who backed a phone up: a backup that shows after the call's window cannot be told from another stack's, so it is refused (docs/huaweicloud.md, residual window)",
    v1: {
        restoreToken: TOKEN,
        instanceIds: ["phfm0001", "phfm0002"],
        userId: "1008600000104285462",
        restoreOnDelete: true,
    },
    v2: {
        restoreToken: TOKEN,
        instanceIds: ["phfm0002", "phfm0003"],
        userId: "1008600000104285462",
        restoreOnDelete: true,
    },
    async start(clock, t, env) {
        const svc = new KooPhoneService({
            clock,
            timings: { backupMs: 10_000, restoreMs: 10_000, tokenTtlMs: 24 * 3_600_000 },
        });
        for (const id of ["phfm0001", "phfm0002", "phfm0003"]) svc.seed("instance", { id });
        const { server, url } = await serve(clock, svc);
        const provider = new KooPhoneProvider({ clock, env, schedule: SCHEDULE, transport: t, random: () => 0.5 });
        await provider.configure(
            cfg({
                "huaweicloud:endpoint": url,
                "huaweicloud:region": "cn-south-1",
                "huaweicloud:accessKey": KOOPHONE_EMULATOR_CREDENTIALS.accessKey,
                "huaweicloud:secretKey": KOOPHONE_EMULATOR_CREDENTIALS.secretKey,
            }),
        );
        const phones = () =>
            svc.snapshot().instances as { instance_id: string; phase: string; backups: number; restores: number }[];
        return {
            server,
            provider,
            // A phone the resource parks is off its hardware (backing up or backed up); any other phase is a leftover.
            held: () =>
                phones()
                    .filter((p) => p.phase !== "running")
                    .map((p) => p.instance_id),
            expected: (s) => ((s?.outputs.instanceIds as string[] | undefined) ?? []).slice(),
            creations: () => phones().reduce((n, p) => n + p.backups + p.restores, 0),
            // The way out the refusal names: bring the phones back (the console); the next up parks them anew.
            wayOut: (orphans) => {
                const count = () => phones().reduce((n, p) => n + p.backups + p.restores, 0);
                const before = count();
                for (const id of orphans) svc.restoreOutOfBand(id);
                // The restores it asked for, and the new backup of each phone that the next up makes.
                return count() - before + orphans.length;
            },
        };
    },
};

/** One subject per restore resource of the registry (clouds.ts): a resource missing here fails to compile. */
export const SUBJECTS = perRestore({
    "alicloud/starrocks:RestoredInstance": starrocks,
    "tencentcloud/redis:InstanceRestore": tencent,
    "tencentcloud/redis:RestoredInstance": tencentClone,
    "zstack:VmFromBackup": zstack,
    "jdcloud/rds:RestoredInstance": jdcloud,
    "huaweicloud/koophone:InstanceBackup": huawei,
});
