import { createHash } from "crypto";
import type * as pulumi from "@pulumi/pulumi";
import { ConfigSnapshot, readRateLimit } from "../core/config";
import { formatDuration } from "../core/duration";
import { errorText } from "../core/errors";
import { ApiCaller } from "../core/http";
import {
    BatchLookup,
    LookupAnswer,
    PollSchedule,
    ResourceGone,
    TimeLimit,
    effectiveSchedule,
    sharedPoller,
    waitUntil,
} from "../core/poller";
import { progress, resourceLabel } from "../core/progress";
import { sharedBucket } from "../core/rateLimit";
import { RestoreProviderBase, SelectorPreview } from "../core/restoreProvider";
import { Created, ProviderDeps, WireProps, fields, diffProps, digest, partialState } from "../core/resource";
import { UncertainOutcomeError } from "../core/settle";
import { clean, operationLimit, without } from "../core/validate";
import { ZStackApi } from "./api";
import { ZSTACK_CONFIG_KEYS, ZSTACK_SECRET_KEYS, ZSTACK_SETTINGS, zstackAuth, zstackEndpoint } from "./credentials";
import { VmInstance, ZStackVmClient } from "./vmClient";
import { restoreMark } from "./vmMark";
import {
    STRATEGY_STATE,
    Strategy,
    VmFromBackupInputs,
    VmFromBackupOutputs,
    REPLACE_KEYS,
    checkVmFromBackup,
    SECRET_INPUTS,
    zstackSelector,
} from "./vmInputs";
import { parseZStackDate, resolveBackup } from "./vmBackups";
import { utcIsoOrUndefined } from "../core/time";
import { ResolvedBackup } from "../core/backupSelection";
import { withEnvironmentCheck } from "../core/settings";
import { PLAN_KEY, Plan, PreviewChoice } from "../core/plan";
import { vmPlan } from "./vmPlan";

/** States in which a VM no longer exists for our purposes (it may still be recovered from the recycle bin). */
const GONE = new Set(["Destroyed", "Destroying", "Expunging"]);
/** States from which a VM will not reach its target state by itself. */
const FAILED = new Set(["Error", "Crashed", "Unknown", "NoState"]);
/** The state recorded for a VM found expunged while a resumed wait ran: the next `pulumi up` replaces it. */
const GONE_STATE = "Expunged";

/** Inputs consumed by CreateVmFromVmBackup (the table's `replaces`): see vmInputs.ts. */
export { REPLACE_KEYS };

/** Defaults: a VM from a backup copies its volumes from backup storage, which can take long for big disks. */
export const ZSTACK_DEFAULT_TIMEOUTS = { create: 3_600_000, update: 3_600_000, delete: 30 * 60_000 };

/** ZStack jobs on a private management node are short: poll every second at first, at most every 30 s. */
export const ZSTACK_SCHEDULE: PollSchedule = { minIntervalMs: 1000, maxIntervalMs: 30_000, fraction: 0.05 };

/**
 * The schedule of ZStack's waits: {@link ZSTACK_SCHEDULE}, with the floor taken from `PULUMI_RESTORE_POLL_MIN_MS` when
 * that is set in `env` (read at call time, checked and bounded as for every cloud: see `effectiveSchedule`). The
 * ceiling is raised to the floor when the floor is above it, so a floor is never silently cut.
 */
export function zstackSchedule(env: NodeJS.ProcessEnv): PollSchedule {
    const raw = env.PULUMI_RESTORE_POLL_MIN_MS;
    if (raw === undefined || raw === "") return ZSTACK_SCHEDULE;
    const floor = effectiveSchedule({ PULUMI_RESTORE_POLL_MIN_MS: raw }).minIntervalMs;
    return { ...ZSTACK_SCHEDULE, minIntervalMs: floor, maxIntervalMs: Math.max(ZSTACK_SCHEDULE.maxIntervalMs, floor) };
}

/** Uuids per batched QueryVmInstance: 100 uuids keep the URL near 3.4 KB, well within what servers accept. */
const UUIDS_PER_QUERY = 100;

/**
 * The batched look-up behind the ZStack waits (keys are VM uuids): one QueryVmInstance with `q=uuid?=...` per 100
 * waiting VMs. A lone wait asks for its VM by itself, as before. A uuid missing from a batched answer is asked for by
 * itself before its wait is told the VM is gone; a failed query reaches only the waits whose uuids it carried.
 */
export function vmLookup(client: ZStackVmClient): BatchLookup<VmInstance> {
    return async (keys) => {
        const out = new Map<string, LookupAnswer<VmInstance>>();
        const byItself = async (uuid: string): Promise<void> => {
            try {
                out.set(uuid, await client.getVm(uuid));
            } catch (e) {
                out.set(uuid, e instanceof Error ? e : new Error(String(e)));
            }
        };
        if (keys.length === 1) {
            await byItself(keys[0]);
            return out;
        }
        const again: string[] = [];
        for (let i = 0; i < keys.length; i += UUIDS_PER_QUERY) {
            const chunk = keys.slice(i, i + UUIDS_PER_QUERY);
            try {
                const found = new Map((await client.getVms(chunk)).map((v) => [v.uuid, v]));
                for (const k of chunk) {
                    const v = found.get(k);
                    if (v) out.set(k, v);
                    else again.push(k);
                }
            } catch (e) {
                for (const k of chunk) out.set(k, e instanceof Error ? e : new Error(String(e)));
            }
        }
        await Promise.all(again.map(byItself));
        return out;
    };
}

/** Calls per second kept to per management node and credential (no published limit; the node is the customer's own). */
const RATE_LIMIT_PER_SECOND = 20;

/** How many destroyed-but-not-expunged VMs of the same resource are stepped over before giving up. */
const MAX_GENERATIONS = 16;

/** What the provider depends on (settleMs: how long to look for the VM of a CreateVmFromVmBackup of unknown fate). */
export interface ZStackDeps extends ProviderDeps {
    /** Session renewal margin in ms (tests make it short). */
    renewMarginMs?: number;
}

/** Digest of the inputs that define the VM, so a replacement with different inputs gets a different uuid. */
export function intentDigest(i: VmFromBackupInputs): string {
    const o: Record<string, unknown> = {};
    for (const k of REPLACE_KEYS) o[k] = fields(i)[k];
    return digest(o, 16);
}

/**
 * The VM's uuid (`resourceUuid`), derived from the restore token, the inputs and a generation number: deterministic,
 * so after any uncertain outcome the provider finds the VM by uuid instead of creating a second one. Generation n+1
 * is used only when generation n is a destroyed VM kept in the recycle bin (expungeOnDelete: false).
 */
export function vmResourceUuid(restoreToken: string, intent: string, generation: number): string {
    return createHash("sha256")
        .update(`zstack-vm\u0000${restoreToken}\u0000${intent}\u0000${generation}`)
        .digest("hex")
        .slice(0, 32);
}

/** The ResourceProvider of `zstack.VmFromBackup`. */
export class VmFromBackupProvider extends RestoreProviderBase<VmFromBackupInputs, VmFromBackupOutputs, ZStackDeps> {
    protected readonly configKeys = ZSTACK_CONFIG_KEYS;
    protected readonly secretConfigKeys = ZSTACK_SECRET_KEYS;
    protected readonly secretInputs = SECRET_INPUTS;
    protected readonly replaceKeys = REPLACE_KEYS;

    constructor(deps: Partial<ZStackDeps> = {}, config?: ConfigSnapshot) {
        super(deps, 15_000, config);
    }

    protected checkInputs(news: WireProps) {
        return checkVmFromBackup(news);
    }

    protected plan(inputs: VmFromBackupInputs, choice: PreviewChoice | undefined): Plan {
        return vmPlan(inputs, choice);
    }

    protected selectorPreview(i: VmFromBackupInputs): SelectorPreview {
        return {
            needs: [i.backupSelector],
            needsText: "the selector",
            unavailable: () => {
                try {
                    zstackEndpoint(this.config, this.deps.env);
                } catch {
                    return "no ZStack management node configured in this job";
                }
                try {
                    zstackAuth(this.config, this.deps.env);
                } catch {
                    return "no ZStack credentials in this job";
                }
                return undefined;
            },
            resolve: () =>
                resolveBackup(this.client(), {
                    selector: zstackSelector(i.backupSelector),
                    where: this.where(),
                    now: this.deps.clock.now(),
                }),
        };
    }

    async diff(_id: string, olds: VmFromBackupOutputs, news: VmFromBackupInputs): Promise<pulumi.dynamic.DiffResult> {
        const d = diffProps(comparable(olds), news, {
            replace: REPLACE_KEYS,
            update: ["expungeOnDelete"],
            ignore: ["adoptId", PLAN_KEY],
        });
        // A replacement with the same defining inputs (`--replace`) would derive the old VM's uuid and adopt it: delete first.
        const sameIntent = intentDigest(comparable(olds)) === intentDigest(news);
        // A VM destroyed or expunged out of band while a wait ran can never become ready: waiting again (update) would
        // fail on every `pulumi up`. Replace it instead, removing what is left of it first.
        if (typeof olds.state === "string" && (GONE.has(olds.state) || olds.state === GONE_STATE)) {
            return { changes: true, replaces: [...new Set([...d.replaces, "state"])], deleteBeforeReplace: true };
        }
        return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: sameIntent };
    }

    async create(news: VmFromBackupInputs): Promise<Created<VmFromBackupOutputs>> {
        let inputs = news;
        const client = this.client();
        const label = resourceLabel(`VmFromBackup ${inputs.name}`);
        const report = (l: string) => progress(label, l);
        const start = this.deps.clock.now();
        const limit = operationLimit(inputs.timeouts, "create", ZSTACK_DEFAULT_TIMEOUTS.create, start);

        let uuid: string;
        let adopted = false;
        let picked: ResolvedBackup | undefined;
        if (inputs.adoptId) {
            const vm = await client.getVm(inputs.adoptId);
            verifyAdoptable(inputs, vm);
            uuid = inputs.adoptId;
            adopted = true;
            report(`adopting existing VM ${uuid} (adoptId); CreateVmFromVmBackup is not called`);
        } else {
            const mark = restoreMark(inputs.restoreToken);
            const chosen = await this.chooseUuid(client, inputs, mark, report);
            uuid = chosen.uuid;
            if (chosen.existing) {
                adopted = true;
                report(
                    `found VM ${uuid} (${chosen.existing.state}) created by an earlier attempt of this resource; following it instead of creating another`,
                );
            } else {
                picked = await this.createFromBackup(client, inputs, uuid, mark, limit, report, news);
            }
        }

        // The choice is an output; an explicit uuid is reported as given even when an earlier attempt is followed.
        if (!picked && inputs.backupGroupUuid && !inputs.adoptId) {
            picked = { backupId: inputs.backupGroupUuid, backupTime: "", status: "" };
        }
        const sel = { selectedBackupId: picked?.backupId, selectedBackupTime: picked?.backupTime || undefined };
        inputs = clean({ ...inputs, ...sel }) as VmFromBackupInputs;
        return this.waitCreated(client, inputs, { uuid, adopted, label, limit, start }, news);
    }

    /**
     * The uuid of this resource's VM: the first of its derived uuids ({@link vmResourceUuid}, one per generation) that
     * holds a live VM with its mark (an earlier attempt: `existing`, followed), or that nothing holds. What this
     * resource made earlier carries its mark: only such a VM is followed. A VM that merely has a derived uuid (made by
     * someone else, or by a version of this package that wrote no mark) is left alone, and the next generation's uuid
     * is used.
     */
    private async chooseUuid(
        client: ZStackVmClient,
        inputs: VmFromBackupInputs,
        mark: string,
        report: (l: string) => void,
    ): Promise<{ uuid: string; existing?: VmInstance }> {
        const intent = intentDigest(inputs);
        const ours = new Map((await client.vmsMarked(mark)).map((v) => [v.uuid, v]));
        for (let g = 0; g < MAX_GENERATIONS; g++) {
            const u = vmResourceUuid(inputs.restoreToken, intent, g);
            const mine = ours.get(u);
            if (mine) {
                if (!GONE.has(mine.state)) return { uuid: u, existing: mine };
                continue;
            }
            const other = await client.getVm(u);
            if (!other) return { uuid: u };
            if (!GONE.has(other.state))
                report(
                    `VM ${u} (${other.state}, "${other.name ?? ""}") has this resource's derived uuid but not its mark (user tag ${mark}): it was not made by this resource, so it is neither followed nor deleted; the next uuid is used`,
                );
        }
        throw new Error(
            `${MAX_GENERATIONS} uuids derived for this resource are taken (destroyed VMs of this resource still in the recycle bin, or VMs without its mark); expunge the destroyed ones (or recover one and use adoptId) and run \`pulumi up\` again`,
        );
    }

    /**
     * Chooses the backup group (read-only, before anything is created: a selector that finds nothing, or a group that
     * is not complete, fails here) and creates the VM from it under `uuid`. A failure that left a VM with this
     * resource's mark is thrown as partial state; otherwise as a plain error (nothing was created). Returns the choice.
     */
    private async createFromBackup(
        client: ZStackVmClient,
        inputs: VmFromBackupInputs,
        uuid: string,
        mark: string,
        limit: TimeLimit,
        report: (l: string) => void,
        news: object,
    ): Promise<ResolvedBackup> {
        const picked = await resolveBackup(client, {
            backupGroupUuid: inputs.backupGroupUuid,
            selector: zstackSelector(inputs.backupSelector),
            where: this.where(),
            now: this.deps.clock.now(),
        });
        const how = inputs.backupGroupUuid
            ? ""
            : ` (latest complete backup group of VM ${inputs.backupSelector?.vmUuid}, taken ${picked.backupTime})`;
        report(`creating VM ${uuid} from backup group ${picked.backupId}${how} (strategy ${inputs.strategy})`);
        try {
            await client.createVmFromVmBackup(
                picked.backupId,
                createParams(inputs, uuid),
                { systemTags: inputs.systemTags, userTags: inputs.userTags, mark },
                { deadline: limit.deadline, limit, report, settleMs: this.deps.settleMs },
            );
        } catch (e) {
            // Its message says what to check; the next `up` looks for the VM by its uuid first.
            if (e instanceof UncertainOutcomeError) throw e;
            // A failed or unfinished job may still have left the VM (e.g. an earlier submission is still running).
            // Only a VM with our mark is ours: one that took the uuid meanwhile is not recorded (nor deleted).
            const vm = await client.markedVm(uuid, mark).catch(() => undefined);
            if (!vm || GONE.has(vm.state))
                throw new Error(
                    `CreateVmFromVmBackup failed: ${errorText(e)}. No VM was created; fix the cause and run \`pulumi up\` again.`,
                );
            throw partialState(uuid, this.outputs(inputs, vm, false), news, [
                `VM ${uuid} exists but its creation did not finish: ${errorText(e)}. It is recorded in the stack; run \`pulumi up\` to keep waiting, or \`pulumi destroy\` to remove it.`,
            ]);
        }
        return picked;
    }

    /**
     * Waits until the VM reaches the strategy's state and returns create's result; a VM gone meanwhile, or one that
     * does not get there, is thrown as an error or as partial state (see the messages).
     */
    private async waitCreated(
        client: ZStackVmClient,
        inputs: VmFromBackupInputs,
        w: { uuid: string; adopted: boolean; label: string; limit: TimeLimit; start: number },
        news: object,
    ): Promise<Created<VmFromBackupOutputs>> {
        const { uuid, adopted, label } = w;
        const target = STRATEGY_STATE[inputs.strategy ?? "InstantStart"];
        let last: VmInstance | undefined;
        try {
            const vm = await this.waitState(client, uuid, target, label, w.limit, (v) => (last = v));
            progress(label, `VM ${uuid} is ${vm.state} (${formatDuration(this.deps.clock.now() - w.start)})`);
            return { id: uuid, outs: this.outputs(inputs, vm, adopted) };
        } catch (e) {
            const outs = last
                ? this.outputs(inputs, last, adopted)
                : clean({
                      ...inputs,
                      requestedHostUuid: inputs.hostUuid,
                      uuid,
                      state: "Unknown",
                      nics: [],
                      ips: [],
                      macs: [],
                      volumes: [],
                      adopted,
                  });
            if (e instanceof ResourceGone) {
                // Gone entirely: nothing to record (recorded, it would be waited for by every later `up` in vain).
                if (e.lastStatus === GONE_STATE)
                    throw new Error(
                        `${label}: ${e.message} while its creation was being waited for. Nothing is recorded in the stack; run \`pulumi up\` again to create it again.`,
                    );
                // Destroyed but still in the recycle bin: record it as such, so that the next `up` replaces it.
                throw partialState(uuid, { ...outs, state: e.lastStatus }, news, [
                    `${e.message} while its creation was being waited for. It is recorded as ${e.lastStatus}: the next \`pulumi up\` replaces it (expunging this one first), \`pulumi destroy\` removes it.`,
                ]);
            }
            throw partialState(uuid, outs, news, [
                `VM ${uuid} was created but did not become ${target}: ${errorText(e)}. It is recorded in the stack; run \`pulumi up\` to keep waiting, or \`pulumi destroy\` to remove it.`,
            ]);
        }
    }

    async read(id: string, props: VmFromBackupOutputs): Promise<pulumi.dynamic.ReadResult<VmFromBackupOutputs>> {
        return this.refresh(id, props);
    }

    /**
     * {@link read} for `pulumi import` (provider/zstack/vmImport.ts), from checked inputs and `adopted` instead of old
     * outputs: everything else is read from the VM.
     */
    readImported(
        id: string,
        inputs: VmFromBackupInputs & { adopted: boolean; selectedBackupId?: string },
    ): Promise<pulumi.dynamic.ReadResult<VmFromBackupOutputs>> {
        return this.refresh(id, inputs);
    }

    /** The VM's outputs now from `olds` (old outputs, or inputs: see `outputs`); an empty id when it is gone. */
    private async refresh(
        id: string,
        olds: VmFromBackupInputs & { adopted?: boolean },
    ): Promise<pulumi.dynamic.ReadResult<VmFromBackupOutputs>> {
        const vm = await this.client().getVm(id);
        if (!vm || GONE.has(vm.state)) return { id: "" } as pulumi.dynamic.ReadResult;
        return { id, props: this.outputs(olds, vm, olds.adopted ?? false) };
    }

    async update(
        id: string,
        olds: VmFromBackupOutputs,
        news: VmFromBackupInputs,
    ): Promise<pulumi.dynamic.UpdateResult<VmFromBackupOutputs>> {
        // Only expungeOnDelete and time-outs change in place; an update also resumes waiting after an interrupted create.
        const old = olds;
        // The backup chosen at create stays; an update never chooses again.
        const chosen = { selectedBackupId: old.selectedBackupId, selectedBackupTime: old.selectedBackupTime };
        const inputs = clean({ ...news, ...chosen }) as VmFromBackupInputs;
        const label = resourceLabel(`VmFromBackup ${inputs.name}`);
        const limit = operationLimit(inputs.timeouts, "update", ZSTACK_DEFAULT_TIMEOUTS.update, this.deps.clock.now());
        let last: VmInstance | undefined;
        try {
            const vm = await this.waitState(
                this.client(),
                id,
                STRATEGY_STATE[inputs.strategy ?? "InstantStart"],
                label,
                limit,
                (v) => (last = v),
                true,
            );
            return { outs: this.outputs(inputs, vm, old.adopted ?? false) };
        } catch (e) {
            const outs = last ? this.outputs(inputs, last, old.adopted ?? false) : { ...old, ...inputs };
            if (e instanceof ResourceGone) {
                throw partialState(id, { ...outs, state: e.lastStatus }, news, [
                    `${e.message}: it can no longer become ready. It is recorded as ${e.lastStatus}; the next \`pulumi up\` replaces it (a new VM), or \`pulumi refresh\` drops it from the stack.`,
                ]);
            }
            throw partialState(id, outs, news, [`VM ${id} is not ready: ${errorText(e)}`]);
        }
    }

    async delete(id: string, props: VmFromBackupOutputs): Promise<void> {
        const o = props;
        const label = resourceLabel(`VmFromBackup ${o.name ?? id}`);
        const report = (l: string) => progress(label, l);
        const client = this.client();
        const limit = operationLimit(o.timeouts, "delete", ZSTACK_DEFAULT_TIMEOUTS.delete, this.deps.clock.now());
        const deadline = limit.deadline;
        const vm = await client.getVm(id);
        if (!vm) {
            report(`VM ${id} is already gone`);
            return;
        }
        if (vm.state !== "Destroyed" && vm.state !== "Expunging") {
            report(`destroying VM ${id}`);
            await client.destroyVm(id, { deadline, limit, report });
        }
        if (o.expungeOnDelete === false) {
            report(
                `VM ${id} is destroyed and stays in the recycle bin (expungeOnDelete: false); ZStack expunges it per its deletion policy`,
            );
            return;
        }
        const now = await client.getVm(id);
        if (now && now.state !== "Expunging") {
            report(`expunging VM ${id} (its volumes are deleted)`);
            await client.expungeVm(id, { deadline, limit, report });
        }
        await waitUntil({
            what: `VM ${id} to be expunged`,
            clock: this.deps.clock,
            deadline,
            limit,
            schedule: this.schedule(),
            report,
            probe: async () => {
                const v = await this.vmStatus(client, id);
                return v ? { done: false, status: v.state } : { done: true, status: "expunged" };
            },
        });
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    /** How waits poll: the injected schedule, else {@link zstackSchedule} of the environment, read now. */
    private schedule(): PollSchedule {
        return this.deps.schedule ?? zstackSchedule(this.deps.env);
    }

    /** The management node, for messages: its host and port (no credentials). */
    where(): string {
        return `management node ${new URL(zstackEndpoint(this.config, this.deps.env)).host}`;
    }

    /** A client for the configured management node; credentials are read at each call, never kept. */
    client(): ZStackVmClient {
        const endpoint = zstackEndpoint(this.config, this.deps.env);
        const auth = () => zstackAuth(this.config, this.deps.env);
        const clock = this.deps.clock;
        const limit = readRateLimit(this.config, ZSTACK_SETTINGS.rateLimit, RATE_LIMIT_PER_SECOND, this.deps.env);
        const caller = new ApiCaller({
            transport: this.deps.transport,
            clock,
            random: this.deps.random,
            // ZStack management nodes are commonly served over plain HTTP on private networks (zstack:scheme).
            allowPlainHttp: true,
            bucket: () => {
                const a = auth();
                return sharedBucket(
                    { cloud: "zstack", endpoint, credential: a.kind === "accessKey" ? a.accessKeyId : a.accountName },
                    limit,
                    clock,
                );
            },
        });
        return new ZStackVmClient(
            new ZStackApi({
                endpoint,
                auth,
                caller,
                schedule: this.schedule(),
                renewMarginMs: this.deps.renewMarginMs,
            }),
        );
    }

    private async waitState(
        client: ZStackVmClient,
        uuid: string,
        target: string,
        label: string,
        limit: TimeLimit,
        seen: (v: VmInstance) => void,
        acceptAnyLive = false,
    ): Promise<VmInstance> {
        return waitUntil<VmInstance>({
            what: `VM ${uuid} to be ${target}`,
            clock: this.deps.clock,
            deadline: limit.deadline,
            limit,
            schedule: this.schedule(),
            report: (l) => progress(label, l),
            probe: async () => {
                const vm = await this.vmStatus(client, uuid);
                if (!vm) throw new ResourceGone(`VM ${uuid} no longer exists (expunged out of band)`, GONE_STATE);
                seen(vm);
                if (vm.state === target) return { done: true, status: vm.state, value: vm };
                if (GONE.has(vm.state))
                    throw new ResourceGone(`VM ${uuid} is ${vm.state} (destroyed out of band)`, vm.state);
                if (FAILED.has(vm.state)) throw new Error(`VM ${uuid} is ${vm.state}`);
                // After creation a user may start or stop the VM; update only needs it to be a settled, live VM.
                if (acceptAnyLive && (vm.state === "Running" || vm.state === "Stopped" || vm.state === "Paused"))
                    return { done: true, status: vm.state, value: vm };
                return { done: false, status: vm.state };
            },
        });
    }

    /**
     * A VM's inventory through the host's shared poller for this management node and credential: the waits that ask in
     * the same turn, or while a look-up is under way, share one QueryVmInstance (see {@link vmLookup}).
     */
    private vmStatus(client: ZStackVmClient, uuid: string): Promise<VmInstance | undefined> {
        const endpoint = zstackEndpoint(this.config, this.deps.env);
        const a = zstackAuth(this.config, this.deps.env);
        const credential = a.kind === "accessKey" ? a.accessKeyId : a.accountName;
        return sharedPoller<VmInstance>(this, { cloud: "zstack", endpoint, credential }).get(uuid, vmLookup(client));
    }

    private outputs(inputs: VmFromBackupInputs, vm: VmInstance, adopted: boolean): VmFromBackupOutputs {
        const nics = (vm.vmNics ?? []).map((n) => ({
            l3NetworkUuid: n.l3NetworkUuid ?? "",
            ip: n.ip ?? "",
            mac: n.mac ?? "",
        }));
        const base = without(inputs, [...OUTPUT_ONLY]);
        // `hostUuid` is both an input (where to place the VM) and an output (where it runs): state keeps the request
        // apart, so that diff compares the user's input with the user's input.
        // Old outputs (read) are recognised by `uuid`, as in `comparable`: `requestedHostUuid` is absent from them when no
        // host was requested, and taking `hostUuid` (where the VM runs) then would make every refresh followed by an
        // up replace the VM (and the replacement, deriving the same uuid, adopted the VM that the engine then deleted).
        const requested = "uuid" in inputs ? (inputs as VmFromBackupOutputs).requestedHostUuid : inputs.hostUuid;
        return clean({
            ...base,
            requestedHostUuid: requested,
            uuid: vm.uuid,
            state: vm.state,
            hostUuid: vm.hostUuid ?? requested,
            nics,
            ips: nics.map((n) => n.ip).filter((x) => x !== ""),
            macs: nics.map((n) => n.mac).filter((x) => x !== ""),
            volumes: (vm.allVolumes ?? []).map((v) => ({ uuid: v.uuid, type: v.type ?? "", size: v.size ?? 0 })),
            // ZStack answers its node's local time as a Java date; outputs say UTC (provider/core/time.ts).
            createDate: utcIsoOrUndefined(parseZStackDate(vm.createDate)) ?? vm.createDate,
            adopted,
        });
    }
}

/** Keys that exist only in outputs. */
const OUTPUT_ONLY = new Set([
    "uuid",
    "state",
    "nics",
    "ips",
    "macs",
    "volumes",
    "createDate",
    "adopted",
    "hostUuid",
    "requestedHostUuid",
]);

/** Old outputs as inputs again: the requested host in `hostUuid`, not the host the VM runs on. */
function comparable(olds: VmFromBackupOutputs): VmFromBackupInputs {
    if (!("uuid" in olds)) return olds;
    return { ...olds, hostUuid: olds.requestedHostUuid };
}

/** The CreateVmFromVmBackup `params` for these inputs and the derived uuid. */
export function createParams(i: VmFromBackupInputs, resourceUuid: string) {
    return clean({
        name: i.name,
        instanceOfferingUuid: i.instanceOfferingUuid,
        backupStorageUuid: i.backupStorageUuid,
        // ZStack's API catalog types cpuNum as a string (memorySize as an integer); the number is sent as its text.
        cpuNum: i.cpuNum === undefined ? undefined : String(i.cpuNum),
        memorySize: i.memorySize,
        l3NetworkUuids: i.l3NetworkUuids,
        vmNicParams: i.vmNicParams,
        type: i.type,
        zoneUuid: i.zoneUuid,
        clusterUuid: i.clusterUuid,
        hostUuid: i.hostUuid,
        primaryStorageUuidForRootVolume: i.primaryStorageUuidForRootVolume,
        primaryStorageUuidForDataVolume: i.primaryStorageUuidForDataVolume,
        description: i.description,
        rootVolumeSystemTags: i.rootVolumeSystemTags,
        dataVolumeSystemTags: i.dataVolumeSystemTags,
        defaultL3NetworkUuid: i.defaultL3NetworkUuid,
        resourceUuid,
        tagUuids: i.tagUuids,
        strategy: i.strategy as Strategy,
    });
}

function verifyAdoptable(i: VmFromBackupInputs, vm: VmInstance | undefined): void {
    if (!vm || GONE.has(vm.state)) throw new Error(`adoptId: VM ${i.adoptId} does not exist (or is destroyed)`);
    const mismatch: string[] = [];
    if (vm.name !== undefined && vm.name !== i.name) mismatch.push(`name is "${vm.name}", not "${i.name}"`);
    if (i.zoneUuid && vm.zoneUuid && vm.zoneUuid !== i.zoneUuid)
        mismatch.push(`zoneUuid is ${vm.zoneUuid}, not ${i.zoneUuid}`);
    if (i.clusterUuid && vm.clusterUuid && vm.clusterUuid !== i.clusterUuid)
        mismatch.push(`clusterUuid is ${vm.clusterUuid}, not ${i.clusterUuid}`);
    if (mismatch.length > 0)
        throw new Error(
            `adoptId: VM ${i.adoptId} does not match the declared inputs: ${mismatch.join("; ")}. Fix the inputs to describe it, or drop adoptId.`,
        );
    if (FAILED.has(vm.state)) throw new Error(`adoptId: VM ${i.adoptId} is in state ${vm.state}`);
}

/** The provider instance the dynamic-provider host uses (see `delegatingProvider`). */
export const provider = withEnvironmentCheck(new VmFromBackupProvider());
