import { ConfigSnapshot } from "../core/config";
import { ChosenBackup, DrillCheckSpec, DrillCloud, ScratchRef, scratchName } from "../core/drill";
import { DrillProviderBase } from "../core/drillProvider";
import { starRocksBackupText } from "./starrocksPlan";
import { withEnvironmentCheck } from "../core/settings";
import { ALICLOUD_CONFIG_KEYS, ALICLOUD_SECRET_KEYS, alicloudRegion } from "./credentials";
import { StarRocksClient } from "./starrocksClient";
import { resolveBackup } from "./starrocksBackups";
import {
    RestoredInstanceInputs,
    RestoredInstanceOutputs,
    SECRET_INPUTS,
    TOKEN_TAG,
    checkRestoredInstance,
    starRocksSelector,
} from "./starrocksInputs";
import { StarRocksDeps, StarRocksProvider } from "./starrocksProvider";

/** What a StarRocks drill checks beyond the restore resource's checker. */
export const STARROCKS_DRILL_CHECK: DrillCheckSpec<RestoredInstanceInputs> = {
    checkRestore: checkRestoredInstance,
    nameKey: "instanceName",
    withName: (n, name) => ({ ...n, instanceName: name }),
    forbidden: { adoptId: "on a drill: a drill restores into its own scratch instance and deletes it" },
    backupText: starRocksBackupText,
    refuseBilling(r, fail) {
        if (r.payType === "prePaid") {
            fail(
                "payType",
                'must be "postPaid" on a drill: a prePaid (subscription) instance cannot be released by API, so the ' +
                    "scratch instance could not be deleted",
            );
        }
    },
};

/** Parses a backup time as DescribeBackups reports it (ms or s since the epoch, or a date text). */
export function backupTimeMs(v: number | string | undefined): number | undefined {
    if (v === undefined || v === "") return undefined;
    const n = typeof v === "number" ? v : /^\d+$/.test(v) ? Number(v) : Date.parse(v);
    if (!Number.isFinite(n)) return undefined;
    return n < 1e12 ? n * 1000 : n;
}

/**
 * The backup a StarRocks drill restores, chosen as the restore resource chooses it (`resolveBackup`): the explicit
 * `backupTaskId`, or the latest complete backup of `backupSelector`; either must be complete. Its time gives the
 * report's recovery point.
 */
export async function chooseStarRocksBackup(
    client: StarRocksClient,
    i: RestoredInstanceInputs,
    region: string,
    now: number,
): Promise<ChosenBackup> {
    const r = await resolveBackup(client, {
        backupTaskId: i.backupTaskId,
        selector: starRocksSelector(i.backupSelector),
        region,
        now,
    });
    return { backupId: r.backupId, backupTime: r.backupTime ? Date.parse(r.backupTime) : undefined };
}

/**
 * The ResourceProvider of `alicloud.starrocks.RestoreDrill`: restores, waits and releases through
 * {@link StarRocksProvider}.
 */
export class StarRocksDrillProvider extends DrillProviderBase<
    RestoredInstanceInputs,
    RestoredInstanceOutputs,
    StarRocksProvider
> {
    protected readonly configKeys = ALICLOUD_CONFIG_KEYS;
    protected readonly secretConfigKeys = ALICLOUD_SECRET_KEYS;
    protected readonly secretInputs = SECRET_INPUTS;
    protected readonly checkSpec = STARROCKS_DRILL_CHECK;
    protected readonly kind = "StarRocks RestoreDrill";
    constructor(deps: Partial<StarRocksDeps> = {}, config?: ConfigSnapshot) {
        super(deps, new StarRocksProvider(deps, config), config);
    }

    protected drillCloud(): DrillCloud<RestoredInstanceInputs, RestoredInstanceOutputs> {
        const p = this.restorer;
        const region = (i: RestoredInstanceInputs) => {
            const r = alicloudRegion(this.config, i.regionId, this.env);
            if (!r) {
                throw new Error(
                    "no region: set regionId on the drill, or `pulumi config set alicloud:region cn-hangzhou`, or " +
                        "ALICLOUD_REGION",
                );
            }
            return r;
        };
        return {
            thing: "StarRocks instance",
            chooseBackup: (i) => chooseStarRocksBackup(p.client(region(i)), i, region(i), this.clock.now()),
            restore: async (i, b) => {
                // The backup is chosen once, above: the restore gets it by id (never the selector again).
                const { backupSelector: _chosenAbove, ...byId } = i;
                const r = await p.create({ ...byId, backupTaskId: b.backupId });
                return { id: r.id, outs: r.outs };
            },
            observe: async (ref) => {
                const r = await p.read(ref.id, ref.outs);
                const status = String(r.props?.status ?? "gone");
                const noAddress = "DescribeInstances reports no address or port for StarRocks";
                return { gone: !r.id, status, running: !!r.id && status === "running", noAddress };
            },
            remove: (ref) => p.delete(ref.id, ref.outs),
            findScratch: async (i) => {
                const rg = region(i);
                const token = i.restoreToken;
                const name = scratchName(token);
                const list = await p.client(rg).describeInstances({ RegionId: rg, InstanceName: name });
                return (
                    list
                        // The name matches fuzzily: only an instance tagged with this drill's token is its scratch.
                        .filter((x) => x.InstanceStatus !== "deleted")
                        .filter((x) =>
                            (x.Tags ?? []).some((t) => t.key === TOKEN_TAG && t.value.startsWith(`${token}.`)),
                        )
                        .map((x): ScratchRef<RestoredInstanceOutputs> => {
                            // What delete needs; a scratch instance found is one this drill restored, not adopted.
                            const outs = {
                                ...i,
                                regionId: rg,
                                instanceId: x.InstanceId,
                                status: x.InstanceStatus,
                                adopted: false,
                            };
                            return { id: x.InstanceId, outs };
                        })
                );
            },
            password: (i) => i.adminPassword,
        };
    }
}

/** The provider instance the dynamic-provider host uses. */
export const provider = withEnvironmentCheck(new StarRocksDrillProvider());
