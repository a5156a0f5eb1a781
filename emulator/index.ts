import { Clock, systemClock } from "../provider/core/clock";
import { StarRocksService, StarRocksTimings } from "./alicloud/starrocks";
import { EmulatorServer } from "./core/server";

export { EmulatorServer } from "./core/server";
export { StarRocksService } from "./alicloud/starrocks";
export * from "./core/types";

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
    /** The clock of the clouds' state machines (default: real time). */
    clock?: Clock;
    /** StarRocks timings (default: restore 3 s, release 1 s). */
    starrocks?: Partial<StarRocksTimings>;
    /** Fixed ports per cloud (default: free ports). */
    ports?: { alicloud?: number };
}

/** A running emulator of every cloud. */
export interface RunningEmulator {
    alicloud: { server: EmulatorServer; service: StarRocksService; url: string };
    /** Stack config that points this package at the emulator (credentials are the emulator's, not real ones). */
    config: Record<string, string>;
    /** Every server, for counting requests. */
    servers: EmulatorServer[];
    stop(): Promise<void>;
}

/** Credentials the emulator accepts. They open nothing anywhere else. */
export const EMULATOR_CREDENTIALS = {
    alicloud: { accessKey: "emulator-access-key", secretKey: "emulator-secret-key" },
};

/** Starts every emulated cloud on 127.0.0.1. */
export async function startEmulator(o: EmulatorOptions = {}): Promise<RunningEmulator> {
    const clock = o.clock ?? systemClock;
    const sr = new StarRocksService({
        clock,
        timings: o.starrocks,
        credentials: { [EMULATOR_CREDENTIALS.alicloud.accessKey]: EMULATOR_CREDENTIALS.alicloud.secretKey },
    });
    const srServer = new EmulatorServer(sr);
    const srUrl = await srServer.start(o.ports?.alicloud ?? 0);
    const servers = [srServer];
    return {
        alicloud: { server: srServer, service: sr, url: srUrl },
        servers,
        config: {
            "alicloud:endpoint": srUrl,
            "alicloud:region": "cn-hangzhou",
            "alicloud:accessKey": EMULATOR_CREDENTIALS.alicloud.accessKey,
            "alicloud:secretKey": EMULATOR_CREDENTIALS.alicloud.secretKey,
        },
        stop: async () => {
            await Promise.all(servers.map((s) => s.stop()));
        },
    };
}
