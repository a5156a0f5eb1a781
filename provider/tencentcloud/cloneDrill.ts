import { ConfigSnapshot } from "../core/config";
import { secretKeys } from "../core/props";
import { CLONE_DRILL_PROPS } from "./cloneProps";
import { ChosenBackup, DrillCheckSpec, DrillCloud, ScratchRef } from "../core/drill";
import { DrillProviderBase } from "../core/drillProvider";
import { withEnvironmentCheck } from "../core/settings";
import { TENCENT_CONFIG_KEYS, TENCENT_SECRET_KEYS, tencentRegion } from "./credentials";
import { hasMark, restoreMark } from "./cloneClient";
import { CloneInputs, CloneOutputs, checkClone, cloneSelector } from "./cloneInputs";
import { cloneBackupText } from "./clonePlan";
import { CloneDeps, CloneProvider, statusText } from "./cloneProvider";
import { parseBeijingTime } from "./redisClient";
import { resolveBackup } from "./redisBackups";

/** The drill's secret inputs: the scratch instance's password (a restore input, handed to the verify command). */
export const CLONE_DRILL_SECRET_INPUTS: readonly string[] = secretKeys(CLONE_DRILL_PROPS);

/** What a Tencent Redis drill checks beyond the RestoredInstance checker; `defaultRegion` as that checker takes it. */
export function cloneDrillCheck(defaultRegion: () => string): DrillCheckSpec<CloneInputs> {
    return {
        checkRestore: (n) => checkClone(n, defaultRegion()),
        nameKey: "instanceName",
        withName: (n, name) => ({ ...n, instanceName: name }),
        forbidden: { adoptId: "on a drill: a drill clones into its own scratch instance and releases it" },
        backupText: cloneBackupText,
        refuseBilling(r, fail) {
            if (r.billingMode === "prepaid")
                fail(
                    "billingMode",
                    'must be "postpaid" on a drill: pulumi-restore does not return a prepaid instance, so the scratch instance could not be released',
                );
        },
    };
}

/**
 * The backup a drill clones: the explicit id (looked up among the source's backups, for its time) or the latest
 * normal backup the selector finds, exactly as the RestoredInstance resource resolves it.
 */
export async function chooseCloneBackup(p: CloneProvider, i: CloneInputs, now: number): Promise<ChosenBackup> {
    const r = await resolveBackup(p.client(i.region), {
        instanceId: i.sourceInstanceId,
        backupId: i.backupId,
        selector: cloneSelector(i),
        region: i.region,
        now,
    });
    const t = r.backupTime ? Date.parse(r.backupTime) : NaN;
    return { backupId: r.backupId, backupTime: Number.isNaN(t) ? undefined : t };
}

/**
 * The ResourceProvider of `tencentcloud.redis.RestoreDrill`: clones, waits and releases through {@link CloneProvider},
 * so a drill rehearses exactly what `RestoredInstance` does, and never touches the source instance.
 */
export class CloneDrillProvider extends DrillProviderBase<CloneInputs, CloneOutputs, CloneProvider> {
    protected readonly configKeys = TENCENT_CONFIG_KEYS;
    protected readonly secretConfigKeys = TENCENT_SECRET_KEYS;
    protected readonly secretInputs = CLONE_DRILL_SECRET_INPUTS;
    protected readonly checkSpec = cloneDrillCheck(() => tencentRegion(this.config, undefined, this.env));
    protected readonly kind = "Redis RestoreDrill";
    constructor(deps: Partial<CloneDeps> = {}, config?: ConfigSnapshot) {
        super(deps, new CloneProvider(deps, config), config);
    }

    protected drillCloud(): DrillCloud<CloneInputs, CloneOutputs> {
        const p = this.restorer;
        return {
            thing: "Redis instance",
            chooseBackup: (i) => chooseCloneBackup(p, i, this.clock.now()),
            restore: async (i, b) => {
                // The backup is chosen once, above: the clone gets it by id (never the selector again).
                const { backupSelector: _chosenAbove, ...byId } = i;
                const r = await p.create({ ...byId, backupId: b.backupId });
                return { id: r.id, outs: r.outs };
            },
            observe: async (ref) => {
                const r = await p.read(ref.id, ref.outs);
                const o = (r.props ?? {}) as { instanceStatus?: string; address?: string; instancePort?: number };
                return {
                    gone: !r.id,
                    status: o.instanceStatus ?? "gone",
                    running: !!r.id && o.instanceStatus === statusText(2),
                    address: o.address,
                    port: o.instancePort,
                };
            },
            remove: (ref) => p.delete(ref.id, ref.outs),
            // By the drill token's mark only (the scratch instance is cloned through the restore provider, which tags
            // it with the restore token it is given: the drill's own). Isolated ones are swept too (released for good).
            findScratch: async (i) => {
                const list = await p.client(i.region).instancesTagged(restoreMark(i.restoreToken));
                return list
                    .filter((x) => hasMark(x, i.restoreToken) && x.Status !== -3)
                    .sort((a, b) => (parseBeijingTime(a.Createtime) ?? 0) - (parseBeijingTime(b.Createtime) ?? 0))
                    .map((x): ScratchRef<CloneOutputs> => {
                        // What delete needs; a scratch instance found is one this drill cloned, not adopted.
                        const outs = {
                            ...i,
                            instanceId: x.InstanceId,
                            instanceStatus: statusText(x.Status),
                            adopted: false,
                        };
                        return { id: x.InstanceId, outs };
                    });
            },
            password: (i) => i.password,
        };
    }
}

/** The provider instance the dynamic-provider host uses. */
export const provider = withEnvironmentCheck(new CloneDrillProvider());
