import { Clock, systemClock } from "./core/clock";
import { CLOUD_NAMES, CloudName } from "../clouds";
import { StarRocksService, StarRocksTimings } from "./alicloud/starrocks";
import { EmulatorServer } from "./core/server";
import { KOOPHONE_EMULATOR_CREDENTIALS, KooPhoneService, KooPhoneTimings } from "./huaweicloud/koophone";
import { JdcloudRdsService, RdsTimings } from "./jdcloud/rds";
import { RedisTimings, TencentRedisService } from "./tencentcloud/redis";
import { ZStackService, ZStackTimings } from "./zstack/zstack";

export { EmulatorServer } from "./core/server";
export { StarRocksService } from "./alicloud/starrocks";
export { TencentRedisService } from "./tencentcloud/redis";
export { ZStackService } from "./zstack/zstack";
export { JdcloudRdsService } from "./jdcloud/rds";
export { KooPhoneService } from "./huaweicloud/koophone";
export * from "./core/types";

/**
 * The emulated clouds: every cloud of the registry (clouds.ts, data only: the emulator shares no code with the
 * client). A cloud of the registry that has no emulator here fails to compile: {@link RunningEmulator},
 * {@link EMULATOR_CREDENTIALS} and {@link ExampleSeeds} are typed by its names.
 */
export { CLOUD_NAMES, CloudName } from "../clouds";

/** Compiles only when `T` has a key for every cloud of the registry: what each emulated cloud must provide. */
type ForEveryCloud<T extends Record<CloudName, unknown>> = T;

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
    /** The clock of the clouds' state machines (default: real time). */
    clock?: Clock;
    /** StarRocks timings (default: restore 3 s, release 1 s). */
    starrocks?: Partial<StarRocksTimings>;
    /** Tencent Redis restore task timings. */
    tencentcloud?: Partial<RedisTimings>;
    /** Tencent's per-action request limit (default 20/s, as the vendor's). */
    tencentRateLimitPerSecond?: number;
    /** ZStack job timings. */
    zstack?: Partial<ZStackTimings>;
    /** JD Cloud RDS timings. */
    jdcloud?: Partial<RdsTimings>;
    /** KooPhone backup/restore timings. */
    huaweicloud?: Partial<KooPhoneTimings>;
    /** Fixed ports per cloud (default: free ports). */
    ports?: Partial<Record<CloudName, number>>;
    /** Start only these clouds (default: all five). */
    only?: CloudName[];
}

/** One running emulated cloud. */
export interface RunningCloud<S> {
    server: EmulatorServer;
    service: S;
    url: string;
}

/** A running emulator of every cloud (startEmulator's `Pick<RunningEmulator, CloudName>` fails for a cloud not here). */
export interface RunningEmulator {
    alicloud: RunningCloud<StarRocksService>;
    tencentcloud: RunningCloud<TencentRedisService>;
    zstack: RunningCloud<ZStackService>;
    jdcloud: RunningCloud<JdcloudRdsService>;
    huaweicloud: RunningCloud<KooPhoneService>;
    /** Stack config that points this package at the emulator (credentials are the emulator's, not real ones). */
    config: Record<string, string>;
    /** The config keys above that hold secrets (to be set with `--secret`). */
    secretConfigKeys: string[];
    /** Every server that was started, for counting requests. */
    servers: EmulatorServer[];
    stop(): Promise<void>;
}

/** Credentials the emulator accepts. They open nothing anywhere else. */
export const EMULATOR_CREDENTIALS = {
    alicloud: { accessKey: "emulator-access-key", secretKey: "emulator-secret-key" },
    tencentcloud: { secretId: "emulator-secret-id", secretKey: "emulator-secret-key" },
    zstack: { accountName: "admin", accountPassword: "emulator-password" },
    jdcloud: { accessKey: "emulator-access-key", secretKey: "emulator-secret-key" },
    huaweicloud: KOOPHONE_EMULATOR_CREDENTIALS,
} satisfies Record<CloudName, unknown>;

/** Config keys of {@link RunningEmulator.config} that hold secrets. */
export const EMULATOR_SECRET_CONFIG_KEYS = [
    "alicloud:secretKey",
    "tencentcloud:secretKey",
    "zstack:accountPassword",
    "jdcloud:secretKey",
    "huaweicloud:password",
];

/** Starts the emulated clouds on 127.0.0.1 (all five unless `only` says otherwise). */
export async function startEmulator(o: EmulatorOptions = {}): Promise<RunningEmulator> {
    const clock = o.clock ?? systemClock;
    const wanted = new Set<CloudName>(o.only ?? CLOUD_NAMES);
    const servers: EmulatorServer[] = [];
    const config: Record<string, string> = {};
    const out: Partial<RunningEmulator> = {};
    const C = EMULATOR_CREDENTIALS;

    async function run<S>(
        name: CloudName,
        service: S & ConstructorParameters<typeof EmulatorServer>[0],
    ): Promise<RunningCloud<S> | undefined> {
        if (!wanted.has(name)) return undefined;
        const server = new EmulatorServer(service);
        servers.push(server);
        const url = await server.start(o.ports?.[name] ?? 0);
        return { server, service, url };
    }

    try {
        const ali = await run(
            "alicloud",
            new StarRocksService({
                clock,
                timings: o.starrocks,
                credentials: { [C.alicloud.accessKey]: C.alicloud.secretKey },
            }),
        );
        if (ali) {
            out.alicloud = ali;
            Object.assign(config, {
                "alicloud:endpoint": ali.url,
                "alicloud:region": "cn-hangzhou",
                "alicloud:accessKey": C.alicloud.accessKey,
                "alicloud:secretKey": C.alicloud.secretKey,
            });
        }
        const tc = await run(
            "tencentcloud",
            new TencentRedisService({
                clock,
                timings: o.tencentcloud,
                credentials: { [C.tencentcloud.secretId]: C.tencentcloud.secretKey },
                rateLimitPerSecond: o.tencentRateLimitPerSecond,
            }),
        );
        if (tc) {
            out.tencentcloud = tc;
            Object.assign(config, {
                "tencentcloud:endpoint": tc.url,
                "tencentcloud:region": "ap-guangzhou",
                "tencentcloud:secretId": C.tencentcloud.secretId,
                "tencentcloud:secretKey": C.tencentcloud.secretKey,
            });
        }
        const zs = await run(
            "zstack",
            new ZStackService({
                clock,
                timings: o.zstack,
                accounts: { [C.zstack.accountName]: C.zstack.accountPassword },
            }),
        );
        if (zs) {
            out.zstack = zs;
            Object.assign(config, {
                "zstack:endpoint": zs.url,
                "zstack:accountName": C.zstack.accountName,
                "zstack:accountPassword": C.zstack.accountPassword,
            });
        }
        const jd = await run(
            "jdcloud",
            new JdcloudRdsService({
                clock,
                timings: o.jdcloud,
                credentials: { [C.jdcloud.accessKey]: C.jdcloud.secretKey },
            }),
        );
        if (jd) {
            out.jdcloud = jd;
            Object.assign(config, {
                "jdcloud:endpoint": jd.url,
                "jdcloud:region": "cn-north-1",
                "jdcloud:accessKey": C.jdcloud.accessKey,
                "jdcloud:secretKey": C.jdcloud.secretKey,
            });
        }
        const hw = await run("huaweicloud", new KooPhoneService({ clock, timings: o.huaweicloud }));
        if (hw) {
            out.huaweicloud = hw;
            Object.assign(config, {
                "huaweicloud:endpoint": hw.url,
                "huaweicloud:authUrl": `${hw.url}/v3`,
                "huaweicloud:region": "cn-south-1",
                "huaweicloud:domainName": C.huaweicloud.user.domain,
                "huaweicloud:userName": C.huaweicloud.user.name,
                "huaweicloud:password": C.huaweicloud.user.password,
            });
        }
    } catch (e) {
        await Promise.all(servers.map((s) => s.stop()));
        throw e;
    }
    return {
        ...(out as Pick<RunningEmulator, CloudName>),
        servers,
        config,
        secretConfigKeys: EMULATOR_SECRET_CONFIG_KEYS.filter((k) => k in config),
        stop: async () => {
            await Promise.all(servers.map((s) => s.stop()));
        },
    };
}

/** The prod instance of examples/refresh-staging (its default `prodInstanceId`), whose backups the emulator seeds. */
export const REFRESH_SOURCE = "c-prod000000000001";

/** What {@link seedExamples} put into the emulator: the ids the programs under examples/ use by default. */
export type ExampleSeeds = Partial<
    ForEveryCloud<{
        alicloud: { backupTaskId: string; regionId: string; prodInstanceId: string };
        tencentcloud: { instanceId: string; backupId: string; password: string };
        zstack: { backupGroupUuid: string; instanceOfferingUuid: string; l3NetworkUuid: string };
        jdcloud: { backupId: string };
        huaweicloud: { instanceIds: string[] };
    }>
>;

/** Seeds every running cloud with the backups and instances that the programs under examples/ expect. */
export function seedExamples(emu: RunningEmulator): ExampleSeeds {
    const s: ExampleSeeds = {};
    if (emu.alicloud) {
        emu.alicloud.service.seed("backup", { BackupTaskId: "bk-quickstart01", RegionId: "cn-hangzhou" });
        // examples/refresh-staging: prod's backups, the latest good one two hours old, a newer one still running.
        emu.alicloud.service.seed("backup", {
            BackupTaskId: "bk-prod-daily01",
            InstanceId: REFRESH_SOURCE,
            RegionId: "cn-hangzhou",
            ageMs: 26 * 3_600_000,
        });
        emu.alicloud.service.seed("backup", {
            BackupTaskId: "bk-prod-daily02",
            InstanceId: REFRESH_SOURCE,
            RegionId: "cn-hangzhou",
            ageMs: 2 * 3_600_000,
        });
        emu.alicloud.service.seed("backup", {
            BackupTaskId: "bk-prod-running",
            InstanceId: REFRESH_SOURCE,
            RegionId: "cn-hangzhou",
            ageMs: 0,
            Status: "RUNNING",
        });
        s.alicloud = { backupTaskId: "bk-quickstart01", regionId: "cn-hangzhou", prodInstanceId: REFRESH_SOURCE };
    }
    if (emu.tencentcloud) {
        const password = "emulator-redis-password";
        emu.tencentcloud.service.seed("instance", { InstanceId: "crs-quick001", Password: password });
        emu.tencentcloud.service.seed("backup", { InstanceId: "crs-quick001", BackupId: "quickstart-backup-01" });
        s.tencentcloud = { instanceId: "crs-quick001", backupId: "quickstart-backup-01", password };
    }
    if (emu.zstack) {
        s.zstack = emu.zstack.service.seed("demo", {
            backupGroupUuid: "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
            instanceOfferingUuid: "1b2c3d4e5f60718293a4b5c6d7e8f90a",
            l3NetworkUuid: "2c3d4e5f60718293a4b5c6d7e8f90a1b",
        }) as ExampleSeeds["zstack"];
    }
    if (emu.jdcloud) {
        emu.jdcloud.service.seed("backup", { backupId: "bk-orders-nightly", engine: "MySQL" });
        s.jdcloud = { backupId: "bk-orders-nightly" };
    }
    if (emu.huaweicloud) {
        const instanceIds = ["iRJEVP9", "iRJEVQ1", "iRJEVQ2"];
        for (const id of instanceIds) emu.huaweicloud.service.seed("instance", { id });
        s.huaweicloud = { instanceIds };
    }
    return s;
}

export { ExampleStackConfig, configSetLines, exampleConfigs } from "./examples";
