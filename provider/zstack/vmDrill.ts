import { ConfigSnapshot } from "../core/config";
import { ChosenBackup, DrillCheckSpec, DrillCloud, ScratchRef } from "../core/drill";
import { DrillProviderBase } from "../core/drillProvider";
import { zstackBackupText } from "./vmPlan";
import { withEnvironmentCheck } from "../core/settings";
import { clean, isUnknownValue } from "../core/validate";
import { checkProps, inputKeys, secretKeys } from "../core/props";
import { VM_DRILL_EXTRA_PROPS, VM_DRILL_PROPS } from "./vmProps";
import { ZSTACK_CONFIG_KEYS, ZSTACK_SECRET_KEYS } from "./credentials";
import { resolveBackup } from "./vmBackups";
import { ZStackVmClient } from "./vmClient";
import { restoreMark } from "./vmMark";
import { VmFromBackupInputs, VmFromBackupOutputs, checkVmFromBackup, zstackSelector } from "./vmInputs";
import { ZStackDeps, VmFromBackupProvider } from "./vmProvider";

/** The drill's secret inputs (the restore's, and the password of an account in the restored VM): the table's. */
export const VM_DRILL_SECRET_INPUTS: readonly string[] = secretKeys(VM_DRILL_PROPS);

/**
 * What a ZStack drill checks beyond the restore resource's checker. ZStack is a private cloud (no subscription to
 * refuse), but a scratch VM must be started (it is checked) and expunged (destroyed only, it stays in the recycle bin).
 */
export const VM_DRILL_CHECK: DrillCheckSpec<VmFromBackupInputs> = {
    checkRestore: checkVmFromBackup,
    nameKey: "name",
    withName: (n, name) => ({ ...n, name }),
    forbidden: { adoptId: "on a drill: a drill restores into its own scratch VM and deletes it" },
    backupText: zstackBackupText,
    refuseBilling(r, fail) {
        // Values unknown during preview are checked when known (at up).
        if (r.expungeOnDelete === false) {
            const why = "a scratch VM that is only destroyed stays in the recycle bin (and keeps its volumes)";
            fail("expungeOnDelete", `must be true on a drill: ${why}`);
        }
        if (r.strategy && !isUnknownValue(r.strategy) && r.strategy !== "InstantStart") {
            const why = `a VM that is not started cannot be checked (got "${r.strategy}")`;
            fail("strategy", `must be "InstantStart" on a drill: ${why}`);
        }
    },
    extra: {
        keys: inputKeys(VM_DRILL_EXTRA_PROPS),
        check: (c) => clean(checkProps(c, VM_DRILL_EXTRA_PROPS)),
    },
};

/**
 * The backup group a ZStack drill restores, chosen as the restore resource chooses it (`resolveBackup`): the explicit
 * `backupGroupUuid` (all its volume backups Ready), or the latest complete group of `backupSelector`'s VM. Its creation
 * time (QueryVolumeBackup) gives the report's recovery point.
 */
export async function chooseVmBackup(
    client: ZStackVmClient,
    i: VmFromBackupInputs,
    where: string,
    now: number,
): Promise<ChosenBackup> {
    const r = await resolveBackup(client, {
        backupGroupUuid: i.backupGroupUuid,
        selector: zstackSelector(i.backupSelector),
        where,
        now,
    });
    return { backupId: r.backupId, backupTime: r.backupTime ? Date.parse(r.backupTime) : undefined };
}

/**
 * The ResourceProvider of `zstack.RestoreDrill`: creates, waits, destroys and expunges through
 * {@link VmFromBackupProvider}.
 */
export class VmDrillProvider extends DrillProviderBase<VmFromBackupInputs, VmFromBackupOutputs, VmFromBackupProvider> {
    protected readonly configKeys = ZSTACK_CONFIG_KEYS;
    protected readonly secretConfigKeys = ZSTACK_SECRET_KEYS;
    protected readonly secretInputs = VM_DRILL_SECRET_INPUTS;
    protected readonly checkSpec = VM_DRILL_CHECK;
    protected readonly kind = "ZStack RestoreDrill";
    constructor(deps: Partial<ZStackDeps> = {}, config?: ConfigSnapshot) {
        super(deps, new VmFromBackupProvider(deps, config), config);
    }

    protected drillCloud(): DrillCloud<VmFromBackupInputs, VmFromBackupOutputs> {
        const p = this.restorer;
        return {
            thing: "VM",
            chooseBackup: (i) => chooseVmBackup(p.client(), i, p.where(), this.clock.now()),
            restore: async (i, b) => {
                // The backup is chosen once, above: the restore gets it by id (never the selector again).
                const { backupSelector: _chosenAbove, ...byId } = i;
                const r = await p.create({ ...byId, backupGroupUuid: b.backupId });
                return { id: r.id, outs: r.outs };
            },
            observe: async (ref) => {
                const r = await p.read(ref.id, ref.outs);
                const o = (r.props ?? {}) as Partial<VmFromBackupOutputs>;
                // The address of the default L3 network's NIC (else the first): where a client of the VM connects.
                const nic = (o.nics ?? []).find((n) => n.l3NetworkUuid === o.defaultL3NetworkUuid) ?? o.nics?.[0];
                const running = !!r.id && o.state === "Running";
                return { gone: !r.id, status: o.state ?? "gone", running, address: nic?.ip || undefined };
            },
            remove: (ref) => p.delete(ref.id, { ...ref.outs, expungeOnDelete: true }),
            // By the drill token's mark only (the scratch VM is created through the restore provider, which marks it
            // with the restore token it is given: the drill's). A VM that only has the scratch name is someone else's.
            findScratch: async (i) => {
                const list = await p.client().vmsMarked(restoreMark(i.restoreToken));
                // What delete needs; a scratch VM found is one this drill created (not adopted), its NICs unread.
                const none = { nics: [], ips: [], macs: [], volumes: [], adopted: false };
                return list.map((x): ScratchRef<VmFromBackupOutputs> => ({
                    id: x.uuid,
                    outs: { ...i, uuid: x.uuid, state: x.state, ...none },
                }));
            },
            password: (_i, extra) => (typeof extra.guestPassword === "string" ? extra.guestPassword : undefined),
        };
    }
}

/** The provider instance the dynamic-provider host uses. */
export const provider = withEnvironmentCheck(new VmDrillProvider());
