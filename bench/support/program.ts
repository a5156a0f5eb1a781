import * as pulumi from "@pulumi/pulumi";
import { CLOUD_NAMES, CloudName } from "../../clouds";
import { ExampleSeeds } from "../../emulator";

/** The shape of this package's public exports (`import * as pr from "pulumi-restore"`), from source or installed. */
export type PackageExports = typeof import("../../index");

/** How the bench declares one resource of a cloud: `pr` is the package as a user imports it, `seeds` the emulator's. */
type Declare = (pr: PackageExports, seeds: ExampleSeeds, suffix: string) => [string, pulumi.Output<unknown>];

/**
 * One restore resource per cloud of the registry (clouds.ts), with the ids {@link seedExamples} put into the emulator.
 * A cloud of the registry missing here fails to compile.
 */
const ONE_OF_EACH: Record<CloudName, Declare> = {
    alicloud: (pr, seeds, suffix) => {
        const sr = new pr.alicloud.starrocks.RestoredInstance(`analytics-dr${suffix}`, {
            backupTaskId: seeds.alicloud!.backupTaskId,
            instanceName: `analytics-dr${suffix}`,
            adminPassword: "Bench-Adm1n-pw",
            tags: { team: "data-platform" },
            timeouts: { create: "30m" },
        });
        return ["sr", sr.status];
    },
    tencentcloud: (pr, seeds, suffix) => {
        const tc = new pr.tencentcloud.redis.InstanceRestore(`cache-restore${suffix}`, {
            instanceId: seeds.tencentcloud!.instanceId,
            backupId: seeds.tencentcloud!.backupId,
            password: seeds.tencentcloud!.password,
            timeouts: { create: "1h" },
        });
        return ["tc", tc.status];
    },
    zstack: (pr, seeds, suffix) => {
        const l3 = seeds.zstack!.l3NetworkUuid;
        const vm = new pr.zstack.VmFromBackup(`web-dr${suffix}`, {
            backupGroupUuid: seeds.zstack!.backupGroupUuid,
            name: `web-dr${suffix}`,
            instanceOfferingUuid: seeds.zstack!.instanceOfferingUuid,
            l3NetworkUuids: [l3],
            defaultL3NetworkUuid: l3,
            expungeOnDelete: true,
            timeouts: { create: "45m" },
        });
        return ["vm", vm.uuid];
    },
    jdcloud: (pr, seeds, suffix) => {
        const rds = new pr.jdcloud.rds.RestoredInstance(`orders-dr${suffix}`, {
            backupId: seeds.jdcloud!.backupId,
            engine: "MySQL",
            instanceSpec: {
                instanceClass: "db.mysql.s1.micro",
                instanceStorageGB: 20,
                azId: ["cn-north-1a", "cn-north-1a"],
                vpcId: "vpc-orders0001",
                subnetId: "subnet-orders0001",
                chargeSpec: { chargeMode: "postpaid_by_duration" },
                instancePort: 3306,
            },
            timeouts: { create: "3h" },
        });
        return ["rds", rds.instanceId];
    },
    huaweicloud: (pr, seeds, suffix) => {
        const phones = new pr.huaweicloud.koophone.InstanceBackup(`parked-phones${suffix}`, {
            instanceIds: seeds.huaweicloud!.instanceIds,
            userId: "1008600000104285462",
            restoreOnDelete: true,
            timeouts: { create: "1h" },
        });
        return ["phones", phones.instanceIds];
    },
};

/**
 * One resource of each cloud, in registry order, with the ids {@link seedExamples} put into the emulator. `pr` is the
 * package as a user imports it: the source checkout, or the tarball installed into a program.
 */
export function oneOfEach(
    pr: PackageExports,
    seeds: ExampleSeeds,
    suffix = "",
): Record<string, pulumi.Output<unknown>> {
    return Object.fromEntries(CLOUD_NAMES.map((c) => ONE_OF_EACH[c](pr, seeds, suffix)));
}

/** Short emulator timings: P3 and P4 measure state and CPU, not waiting. */
export const FAST_TIMINGS = {
    starrocks: { restoreMs: 300, releaseMs: 100 },
    tencentcloud: { prepareMs: 100, runMs: 200 },
    zstack: { createMs: 300, startMs: 100, destroyMs: 100, expungeMs: 100 },
    jdcloud: { buildMs: 300, deleteMs: 100 },
    huaweicloud: { backupMs: 300, restoreMs: 300 },
};
