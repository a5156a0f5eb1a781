import { ConfigSnapshot } from "../core/config";
import { ChosenBackup, DrillCheckSpec, DrillCloud, ScratchRef } from "../core/drill";
import { DrillProviderBase } from "../core/drillProvider";
import { rdsBackupText } from "./rdsPlan";
import { withEnvironmentCheck } from "../core/settings";
import { clean } from "../core/validate";
import { checkProps, inputKeys, secretKeys } from "../core/props";
import { RDS_DRILL_EXTRA_PROPS, RDS_DRILL_PROPS } from "./rdsProps";
import { JDCLOUD_CONFIG_KEYS, JDCLOUD_SECRET_KEYS, jdcloudRegion } from "./credentials";
import { RdsClient } from "./rdsClient";
import { hasMark, markFilter } from "./rdsMark";
import { resolveBackup } from "./rdsBackups";
import { RdsRestoreInputs, RdsRestoreOutputs, checkRdsRestore, rdsSelector } from "./rdsInputs";
import { RdsDeps, RdsRestoreProvider, parseCreateTime } from "./rdsProvider";

/** The drill's secret inputs (the password of an account in the restored database, from the backup): the table's. */
export const RDS_DRILL_SECRET_INPUTS: readonly string[] = secretKeys(RDS_DRILL_PROPS);

/** What a JD Cloud RDS drill checks beyond the restore resource's checker; `defaultRegion` as that checker takes it. */
export function rdsDrillCheck(defaultRegion: () => string | undefined): DrillCheckSpec<RdsRestoreInputs> {
    return {
        checkRestore: (n) => checkRdsRestore(n, defaultRegion()),
        nameKey: "instanceSpec.instanceName",
        withName: (n, name) => {
            const spec = n.instanceSpec;
            // Not an object (absent, unknown at preview, wrong): the restore checker reports it as it is.
            if (!spec || typeof spec !== "object" || Array.isArray(spec)) return n;
            return { ...n, instanceSpec: { ...(spec as object), instanceName: name } };
        },
        forbidden: { adoptId: "on a drill: a drill restores into its own scratch instance and deletes it" },
        backupText: rdsBackupText,
        refuseBilling(r, fail) {
            if (r.instanceSpec?.chargeSpec?.chargeMode === "prepaid_by_duration") {
                fail(
                    "instanceSpec.chargeSpec.chargeMode",
                    'must be "postpaid_by_duration" or "postpaid_by_usage" on a drill: a prepaid instance cannot be ' +
                        "deleted by API, so the scratch instance could not be deleted",
                );
            }
        },
        extra: {
            keys: inputKeys(RDS_DRILL_EXTRA_PROPS),
            check: (c) => clean(checkProps(c, RDS_DRILL_EXTRA_PROPS)),
        },
    };
}

/**
 * The backup a JD Cloud drill restores. With `backupSelector`, the latest COMPLETED backup of its source instance, as
 * the restore resource chooses it (`resolveBackup`), with its time. With an explicit `backupId`, its time comes from
 * describeBackups of `backupSourceInstanceId` (the API lists backups per source instance only); without that, the
 * report has no backup time and no recovery point.
 */
export async function chooseRdsBackup(
    client: RdsClient,
    i: RdsRestoreInputs,
    sourceInstanceId: string | undefined,
    now: number,
): Promise<ChosenBackup> {
    if (!i.backupId) {
        const r = await resolveBackup(client, { selector: rdsSelector(i.backupSelector), region: i.regionId, now });
        return { backupId: r.backupId, backupTime: r.backupTime ? Date.parse(r.backupTime) : undefined };
    }
    const backupId = i.backupId;
    if (!sourceInstanceId) return { backupId };
    for (let page = 1; page <= 50; page++) {
        const r = await client.describeBackups(i.regionId, sourceInstanceId, page);
        const b = r.backups.find((x) => x.backupId === backupId);
        if (b) {
            const backupTime = parseCreateTime(b.backupEndTime ?? b.backupStartTime) || undefined;
            return { backupId, backupTime };
        }
        if (page * 100 >= r.totalCount || r.backups.length === 0) break;
    }
    throw new Error(
        `backupSourceInstanceId: backup ${backupId} is not among the backups of instance ${sourceInstanceId} ` +
            `in ${i.regionId}`,
    );
}

/**
 * The ResourceProvider of `jdcloud.rds.RestoreDrill`: creates, waits and deletes through {@link RdsRestoreProvider}.
 */
export class RdsDrillProvider extends DrillProviderBase<RdsRestoreInputs, RdsRestoreOutputs, RdsRestoreProvider> {
    protected readonly configKeys = JDCLOUD_CONFIG_KEYS;
    protected readonly secretConfigKeys = JDCLOUD_SECRET_KEYS;
    protected readonly secretInputs = RDS_DRILL_SECRET_INPUTS;
    protected readonly checkSpec = rdsDrillCheck(() => jdcloudRegion(this.config, undefined, this.env));
    protected readonly kind = "RDS RestoreDrill";
    constructor(deps: Partial<RdsDeps> = {}, config?: ConfigSnapshot) {
        super(deps, new RdsRestoreProvider(deps, config), config);
    }

    protected drillCloud(): DrillCloud<RdsRestoreInputs, RdsRestoreOutputs> {
        const p = this.restorer;
        return {
            thing: "RDS instance",
            chooseBackup: (i, extra) => {
                return chooseRdsBackup(
                    p.client(),
                    i,
                    extra.backupSourceInstanceId as string | undefined,
                    this.clock.now(),
                );
            },
            restore: async (i, b) => {
                // The backup is chosen once, above: the restore gets it by id (never the selector again).
                const { backupSelector: _chosenAbove, ...byId } = i;
                const r = await p.create({ ...byId, backupId: b.backupId });
                return { id: r.id, outs: r.outs };
            },
            observe: async (ref) => {
                const r = await p.read(ref.id, ref.outs);
                type Seen = { instanceStatus?: string; internalDomainName?: string; instancePort?: string };
                const o = (r.props ?? {}) as Seen;
                const port = o.instancePort ? Number(o.instancePort) : undefined;
                const running = !!r.id && o.instanceStatus === "RUNNING";
                const status = o.instanceStatus ?? "gone";
                return { gone: !r.id, status, running, address: o.internalDomainName, port };
            },
            remove: (ref) => p.delete(ref.id, ref.outs),
            // By the drill token's mark only (the scratch instance is created through the restore provider, which tags
            // it with the restore token it is given: the drill's own). An instance that merely carries the scratch name
            // is someone else's (or a leftover of a version that wrote no tag): never deleted here.
            findScratch: async (i) => {
                const list = await p.client().instancesTagged(i.regionId, [markFilter(i.restoreToken)]);
                return list
                    .filter((x) => hasMark(x, i.restoreToken) && x.instanceStatus !== "DELETED")
                    .map((x): ScratchRef<RdsRestoreOutputs> => {
                        // What delete needs; a scratch instance found is one this drill restored, not adopted.
                        const outs = {
                            ...i,
                            instanceId: x.instanceId,
                            instanceStatus: x.instanceStatus,
                            adopted: false,
                        };
                        return { id: x.instanceId, outs };
                    });
            },
            password: (_i, extra) => (typeof extra.databasePassword === "string" ? extra.databasePassword : undefined),
        };
    }
}

/** The provider instance the dynamic-provider host uses. */
export const provider = withEnvironmentCheck(new RdsDrillProvider());
