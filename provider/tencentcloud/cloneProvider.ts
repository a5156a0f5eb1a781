import type * as pulumi from "@pulumi/pulumi";
import { ConfigSnapshot } from "../core/config";
import { formatDuration } from "../core/duration";
import { CloudError, errorText } from "../core/errors";
import { isUncertain } from "../core/http";
import { ResourceGone, TimeLimit, lastStatusOf, waitOutLock, waitUntil } from "../core/poller";
import { scheduleOf } from "../core/poller";
import { callOnceOrFind } from "../core/settle";
import { progress, resourceLabel } from "../core/progress";
import { RestoreProviderBase, SelectorPreview } from "../core/restoreProvider";
import { Created, ProviderDeps, WireProps, diffProps, partialState } from "../core/resource";
import { clean, operationLimit } from "../core/validate";
import { ResolvedBackup } from "../core/backupSelection";
import { withEnvironmentCheck } from "../core/settings";
import {
    TENCENT_CONFIG_KEYS,
    TENCENT_SECRET_KEYS,
    redisEndpoint,
    tencentCredentials,
    tencentRegion,
} from "./credentials";
import { REDIS_INSTANCE_STATUS, redisClientOptions } from "./redisClient";
import { LOCKED_CODES } from "./redisErrors";
import { resolveBackup } from "./redisBackups";
import {
    CloneInstance,
    CloneInstancesBody,
    LEAVING_STATUSES,
    MARK_KEY,
    RedisCloneClient,
    hasMark,
    restoreMark,
} from "./cloneClient";
import {
    BILLING_CODE,
    CloneInputs,
    CloneOutputs,
    REPLACE_KEYS,
    SECRET_INPUTS,
    checkClone,
    cloneSelector,
} from "./cloneInputs";
import { PLAN_KEY, Plan, PreviewChoice } from "../core/plan";
import { clonePlan } from "./clonePlan";

/** The password is only sent at creation: changing it later records it in state (a progress line says so). */
const UPDATE_KEYS = ["password"];

/** Defaults: a clone of a large instance takes long; `timeouts` covers the rest. */
export const CLONE_DEFAULT_TIMEOUTS = { create: 90 * 60_000, update: 90 * 60_000, delete: 30 * 60_000 };

/** The status of an instance in words (InstanceSet.Status). */
export function statusText(s: number): string {
    return REDIS_INSTANCE_STATUS[s] ?? `status ${s}`;
}
const RUNNING = 2;
const ISOLATED = -2;
const PENDING_DELETION = -3;

/** What the provider depends on (settleMs: how long to look for the clone of an uncertain CloneInstances). */
export type CloneDeps = ProviderDeps;

/** The ResourceProvider of `tencentcloud.redis.RestoredInstance`. */
export class CloneProvider extends RestoreProviderBase<CloneInputs, CloneOutputs, CloneDeps> {
    protected readonly configKeys = TENCENT_CONFIG_KEYS;
    protected readonly secretConfigKeys = TENCENT_SECRET_KEYS;
    protected readonly secretInputs = SECRET_INPUTS;
    protected readonly replaceKeys = REPLACE_KEYS;

    constructor(deps: Partial<CloneDeps> = {}, config?: ConfigSnapshot) {
        super(deps, 20_000, config);
    }

    protected checkInputs(news: WireProps) {
        return checkClone(news, tencentRegion(this.config, undefined, this.deps.env));
    }

    protected plan(inputs: CloneInputs, choice: PreviewChoice | undefined): Plan {
        return clonePlan(inputs, choice);
    }

    protected selectorPreview(i: CloneInputs): SelectorPreview {
        return {
            needs: [i.backupSelector, i.sourceInstanceId, i.region],
            needsText: "the source instance, the selector or the region",
            unavailable: () => {
                try {
                    tencentCredentials(this.config, this.deps.env);
                } catch {
                    return "no Tencent Cloud credentials in this job";
                }
                redisEndpoint(this.config, i.region, this.deps.env);
                return undefined;
            },
            resolve: () =>
                resolveBackup(this.client(i.region), {
                    instanceId: i.sourceInstanceId,
                    selector: cloneSelector(i),
                    region: i.region,
                    now: this.deps.clock.now(),
                }),
        };
    }

    async diff(_id: string, olds: CloneOutputs, news: CloneInputs): Promise<pulumi.dynamic.DiffResult> {
        const d = diffProps(olds, news, {
            replace: REPLACE_KEYS,
            update: UPDATE_KEYS,
            ignore: ["adoptId", "autoNamed", PLAN_KEY],
        });
        // An instance isolated or being deleted (out of band) will not run again by itself: replace it.
        const status = olds.instanceStatus;
        if (status === statusText(ISOLATED) || status === statusText(PENDING_DELETION)) {
            return {
                changes: true,
                replaces: [...new Set([...d.replaces, "instanceStatus"])],
                deleteBeforeReplace: true,
            };
        }
        // The clone is found again by its mark (the restore token, which a replacement keeps) and its name: one that
        // keeps the name must delete first, or the create could take the old instance for its own.
        const sameName = olds.instanceName === news.instanceName;
        return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: d.replaces.length > 0 && sameName };
    }

    async create(news: CloneInputs): Promise<Created<CloneOutputs>> {
        const inputs = news;
        const client = this.client(inputs.region);
        const label = resourceLabel(`RestoredInstance ${inputs.instanceName}`);
        const start = this.deps.clock.now();
        const limit = operationLimit(inputs.timeouts, "create", CLONE_DEFAULT_TIMEOUTS.create, start);
        const mark = `${MARK_KEY}=${inputs.restoreToken}`;

        let instanceId: string;
        let dealName: string | undefined;
        let adopted = false;
        let chosen: ResolvedBackup | undefined;
        /** Until then, an instance not listed yet is still being set up (the order is processed first). */
        let graceUntil = start;
        if (inputs.adoptId) {
            const found = await client.cloneInstance(inputs.adoptId);
            this.verifyAdoptable(inputs, found);
            instanceId = inputs.adoptId;
            adopted = true;
            progress(label, `adopting existing instance ${instanceId} (adoptId); CloneInstances is not called`);
        } else {
            // A crashed host leaves no trace in state: every create first looks for what an earlier attempt made, by
            // the mark (a tag holding this resource's restore token) and the intent's name.
            const earlier = await this.findOwn(client, inputs);
            if (earlier) {
                instanceId = earlier.InstanceId;
                adopted = true;
                progress(
                    label,
                    `found instance ${instanceId} (created ${earlier.Createtime ?? "earlier"}) named "${inputs.instanceName}" and tagged ${mark} by an earlier attempt of this resource; following it instead of cloning again`,
                );
            } else {
                // Read-only, before anything is created: a selector that finds nothing, or a backup that is not the
                // source's, fails here.
                chosen = await resolveBackup(client, {
                    instanceId: inputs.sourceInstanceId,
                    backupId: inputs.backupId,
                    selector: cloneSelector(inputs),
                    region: inputs.region,
                    now: this.deps.clock.now(),
                });
                const how = inputs.backupId ? "" : ` (latest normal backup, taken ${chosen.backupTime})`;
                progress(
                    label,
                    `cloning backup ${chosen.backupId}${how} of instance ${inputs.sourceInstanceId} into a new ${inputs.billingMode} instance "${inputs.instanceName}" in ${inputs.region} (the source is not touched)`,
                );
                const r = await this.cloneOnce(client, inputs, chosen.backupId, label, limit);
                instanceId = r.instanceId;
                dealName = r.dealName;
                adopted = r.adopted;
                graceUntil = this.deps.clock.now() + this.deps.settleMs;
                progress(
                    label,
                    `CloneInstances accepted: instance ${instanceId}${dealName ? `, order ${dealName}` : ""}`,
                );
            }
        }
        const selected = { selectedBackupId: chosen?.backupId, selectedBackupTime: chosen?.backupTime || undefined };
        const partial = (status: string): CloneOutputs =>
            clean({ ...inputs, instanceId, dealName, instanceStatus: status, adopted, ...selected });
        try {
            const inst = await this.waitRunning(client, instanceId, label, limit, graceUntil);
            progress(label, `instance ${instanceId} is running (${formatDuration(this.deps.clock.now() - start)})`);
            return { id: instanceId, outs: this.outputs(partial(statusText(inst.Status)), inst) };
        } catch (e) {
            if (e instanceof ResourceGone) {
                throw new Error(
                    `${label}: ${e.message} while the clone was being waited for. Nothing is recorded in the stack; run \`pulumi up\` again to clone again.`,
                );
            }
            throw partialState(instanceId, this.outputs(partial(lastStatusOf(e, "in process"))), news, [
                `instance ${instanceId} was created but is not running: ${errorText(e)}. It is recorded in the stack; run \`pulumi up\` to keep waiting, or \`pulumi destroy\` to release it.`,
            ]);
        }
    }

    async read(id: string, props: CloneOutputs): Promise<pulumi.dynamic.ReadResult<CloneOutputs>> {
        const olds = props;
        const region = olds.region ?? tencentRegion(this.config, undefined, this.deps.env);
        const inst = await this.client(region).cloneInstance(id);
        if (!inst || inst.Status === PENDING_DELETION) return { id: "" } as pulumi.dynamic.ReadResult;
        return { id, props: this.outputs(olds, inst) };
    }

    async update(
        id: string,
        olds: CloneOutputs,
        news: CloneInputs,
    ): Promise<pulumi.dynamic.UpdateResult<CloneOutputs>> {
        const old = olds;
        const inputs = news;
        const label = resourceLabel(`RestoredInstance ${inputs.instanceName ?? id}`);
        const base: CloneOutputs = clean({
            ...inputs,
            instanceId: id,
            dealName: old.dealName,
            instanceStatus: old.instanceStatus,
            address: old.address,
            instancePort: old.instancePort,
            createTime: old.createTime,
            adopted: old.adopted ?? false,
            // Chosen at create; an update never chooses again.
            selectedBackupId: old.selectedBackupId,
            selectedBackupTime: old.selectedBackupTime,
        });
        if ((old.password ?? "") !== (inputs.password ?? "")) {
            progress(
                label,
                "password changed: recorded in state only. CloneInstances sets the password once; the instance keeps the one it was created with (change it in the Redis console, or replace the resource).",
            );
        }
        if (old.instanceStatus === statusText(RUNNING)) return { outs: this.outputs(base) };
        // An interrupted create (partial state): keep waiting for the same instance; never clone again here.
        const limit = operationLimit(inputs.timeouts, "update", CLONE_DEFAULT_TIMEOUTS.update, this.deps.clock.now());
        try {
            const inst = await this.waitRunning(this.client(inputs.region), id, label, limit, this.deps.clock.now());
            return { outs: this.outputs(base, inst) };
        } catch (e) {
            const status = e instanceof ResourceGone ? e.lastStatus : lastStatusOf(e, "in process");
            throw partialState(id, this.outputs({ ...base, instanceStatus: status }), news, [
                `instance ${id} is not running: ${errorText(e)}. Run \`pulumi up\` to keep waiting, \`pulumi up --replace\` to clone again, or \`pulumi destroy\` to release it.`,
            ]);
        }
    }

    /**
     * Releases the clone: DestroyPostpaidInstance (the instance is isolated: billing stops, it goes to the recycle
     * bin), then CleanUpInstance (out of the recycle bin at once), waiting until it is pending deletion or gone. A
     * prepaid clone is refused: returning a subscription (DestroyPrepaidInstance) is a billing decision (refund rules,
     * a limited number of self-service returns) that pulumi-restore does not take on its own.
     */
    async delete(id: string, props: CloneOutputs): Promise<void> {
        const o = props;
        const label = resourceLabel(`RestoredInstance ${o.instanceName ?? id}`);
        const region = o.region ?? tencentRegion(this.config, undefined, this.deps.env);
        const client = this.client(region);
        const limit = operationLimit(o.timeouts, "delete", CLONE_DEFAULT_TIMEOUTS.delete, this.deps.clock.now());
        let inst = await client.cloneInstance(id);
        if (!inst || inst.Status === PENDING_DELETION) {
            progress(label, `instance ${id} is already gone`);
            return;
        }
        const prepaid = inst.BillingMode === undefined ? o.billingMode === "prepaid" : inst.BillingMode === 1;
        if (prepaid) throw prepaidError(id);
        if (inst.Status !== RUNNING && inst.Status !== ISOLATED) {
            // Still being set up, or in a flow (an earlier destroy, a change): released calls are refused until then.
            inst = await this.waitStatus(client, id, label, limit, "running or isolated", (x) => {
                return !x || x.Status === RUNNING || LEAVING_STATUSES.includes(x.Status);
            });
            if (!inst || inst.Status === PENDING_DELETION) return;
        }
        if (inst.Status !== ISOLATED) {
            progress(label, `releasing instance ${id} (DestroyPostpaidInstance, then CleanUpInstance)`);
            await this.once(
                client,
                id,
                () => client.destroyPostpaidInstance(id),
                (x) => !x || x.Status !== RUNNING,
            );
            inst = await this.waitStatus(
                client,
                id,
                label,
                limit,
                "isolated",
                (x) => !x || LEAVING_STATUSES.includes(x.Status),
            );
            if (!inst || inst.Status === PENDING_DELETION) return;
        }
        await this.once(
            client,
            id,
            () => client.cleanUpInstance(id),
            (x) => !x || x.Status !== ISOLATED,
        );
        await this.waitStatus(client, id, label, limit, "gone", (x) => !x || x.Status === PENDING_DELETION);
        progress(label, `instance ${id} released`);
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    /** A client for the region's endpoint; credentials are read at each call, never kept. */
    client(region: string): RedisCloneClient {
        return new RedisCloneClient(redisClientOptions(this.config, region, this.deps));
    }

    /**
     * The instance an earlier attempt of this very clone made, if any: tagged with this resource's mark AND named
     * for this intent (the mark alone could be an instance of an earlier intent, replaced under another name), not
     * leaving. Oldest first.
     */
    async findOwn(client: RedisCloneClient, i: CloneInputs): Promise<CloneInstance | undefined> {
        const listed = await client.instancesTagged(restoreMark(i.restoreToken));
        return listed
            .filter((x) => hasMark(x, i.restoreToken) && !LEAVING_STATUSES.includes(x.Status))
            .filter((x) => x.InstanceName === undefined || x.InstanceName === i.instanceName)
            .sort((a, b) => (a.Createtime ?? "").localeCompare(b.Createtime ?? ""))[0];
    }

    /**
     * Calls CloneInstances once for this intent, the clone tagged with the restore token. After an uncertain outcome
     * (lost answer, 5xx, time-out, an internal-error body) it looks for the tagged instance for `settleMs` and never
     * calls again in this run. An answer without InstanceIds (the order is still processed) is followed the same way.
     */
    private async cloneOnce(
        client: RedisCloneClient,
        i: CloneInputs,
        backupId: string,
        label: string,
        limit: TimeLimit,
    ): Promise<{ instanceId: string; dealName?: string; adopted: boolean }> {
        const deadline = limit.deadline;
        const body: CloneInstancesBody = clean({
            InstanceId: i.sourceInstanceId,
            GoodsNum: 1,
            ZoneId: i.zoneId,
            BillingMode: BILLING_CODE[i.billingMode],
            // The API requires Period; a pay-as-you-go clone sends 1, as documented.
            Period: i.billingMode === "prepaid" ? (i.period as number) : 1,
            SecurityGroupIdList: i.securityGroupIds,
            BackupId: backupId,
            NoAuth: i.noAuth,
            VpcId: i.vpcId,
            SubnetId: i.subnetId,
            InstanceName: i.instanceName,
            Password: i.noAuth ? undefined : i.password,
            VPort: i.port,
            ProjectId: i.projectId,
            ResourceTags: [restoreMark(i.restoreToken)],
            TemplateId: i.templateId,
        });
        const mark = `${MARK_KEY}=${i.restoreToken}`;
        const advice = {
            duplicate: "make a second instance (billed, and left behind by `pulumi destroy`)",
            check: `In a few minutes, check whether an instance named "${i.instanceName}" tagged ${mark} appears in ${i.region} (Redis console, or DescribeInstances filtered by that tag).`,
            lookup: `the instance named "${i.instanceName}" tagged ${mark} (this resource's restore token)`,
        };
        const common = {
            action: "CloneInstances",
            thing: "instance",
            find: () => this.findOwn(client, i),
            describe: (f: CloneInstance) => `instance ${f.InstanceId} (tagged ${mark})`,
            notFound: `no instance named "${i.instanceName}" tagged ${mark}`,
            clock: this.deps.clock,
            settleMs: this.deps.settleMs,
            lookEveryMs: 3000,
            deadline,
            report: (l: string) => progress(label, l),
            ...advice,
        };
        const r = await this.untilUnlocked(label, limit, () =>
            callOnceOrFind({ ...common, call: () => client.cloneInstances(body) }),
        );
        if (r.found) return { instanceId: r.found.InstanceId, adopted: true };
        const ids = r.called.InstanceIds;
        if (ids.length > 1) {
            // GoodsNum is 1: more than one is not ours to keep, but they are tagged; say so rather than guess.
            throw new Error(
                `CloneInstances answered ${ids.length} instances (${ids.join(", ")}) for GoodsNum 1; release the extra ones in the Redis console.`,
            );
        }
        if (ids.length === 1) return { instanceId: ids[0], dealName: r.called.DealName, adopted: false };
        // Accepted, but no id yet: the order is being processed. The instance carries the mark: look for it.
        const again = await callOnceOrFind({
            ...common,
            call: async () => {
                throw Object.assign(new Error("CloneInstances answered no InstanceIds yet"), { uncertainAnswer: true });
            },
            uncertain: () => true,
        });
        if (!again.found) throw new Error("CloneInstances answered no InstanceIds and no tagged instance appeared");
        return { instanceId: again.found.InstanceId, dealName: r.called.DealName, adopted: false };
    }

    /**
     * Runs `attempt` again while it fails because the backup or the source is locked by another flow (an in-place
     * restore or an export of the same backup, a change of the source): a definite "no", nothing was created, so a
     * new call cannot duplicate anything. Fails with the lock's reason once the create time-out has passed.
     */
    private async untilUnlocked<T>(label: string, limit: TimeLimit, attempt: () => Promise<T>): Promise<T> {
        const start = this.deps.clock.now();
        let lastWhy = "";
        for (;;) {
            try {
                return await attempt();
            } catch (e) {
                if (!(e instanceof CloudError && LOCKED_CODES.includes(e.code))) throw e;
                const why = `CloneInstances refused: ${e.code} (${e.vendorMessage}); nothing was created`;
                await waitOutLock(this.deps, { why, lastWhy, label, start, limit });
                lastWhy = why;
            }
        }
    }

    /**
     * A release call (DestroyPostpaidInstance, CleanUpInstance) made once. When it fails, the instance's status tells
     * whether it was carried out anyway (`started`: a flow runs, or the instance moved on): then the wait that follows
     * sees it through. Only an instance still where the call found it is called again, once, and only after an
     * uncertain outcome (releasing an instance twice is impossible, so that second call cannot do harm).
     */
    private async once(
        client: RedisCloneClient,
        id: string,
        call: () => Promise<unknown>,
        started: (x: CloneInstance | undefined) => boolean,
    ): Promise<void> {
        try {
            await call();
        } catch (e) {
            if (started(await client.cloneInstance(id))) return;
            if (!isUncertain(e)) throw e;
            await call();
        }
    }

    private verifyAdoptable(i: CloneInputs, found: CloneInstance | undefined): void {
        if (!found || LEAVING_STATUSES.includes(found.Status))
            throw new Error(
                `adoptId: instance ${i.adoptId} does not exist (or is being released) in region ${i.region}`,
            );
        const mismatch: string[] = [];
        if (found.ZoneId !== undefined && found.ZoneId !== i.zoneId)
            mismatch.push(`zoneId is ${found.ZoneId}, not ${i.zoneId}`);
        if (found.BillingMode !== undefined && found.BillingMode !== BILLING_CODE[i.billingMode])
            mismatch.push(`billing mode is ${found.BillingMode === 1 ? "prepaid" : "postpaid"}, not ${i.billingMode}`);
        if (i.vpcId && found.UniqVpcId && found.UniqVpcId !== i.vpcId)
            mismatch.push(`vpcId is ${found.UniqVpcId}, not ${i.vpcId}`);
        if (mismatch.length > 0)
            throw new Error(
                `adoptId: instance ${i.adoptId} does not match the declared inputs: ${mismatch.join("; ")}. Fix the inputs to describe it, or drop adoptId.`,
            );
    }

    /**
     * Waits until the instance runs (Status 2). Until `graceUntil`, an instance not listed yet is still being set up
     * (the order is processed before it is listed); after, a missing, isolated or pending-deletion instance is gone.
     */
    private waitRunning(
        client: RedisCloneClient,
        id: string,
        label: string,
        limit: TimeLimit,
        graceUntil: number,
    ): Promise<CloneInstance> {
        return waitUntil<CloneInstance>({
            what: `instance ${id} to be running`,
            clock: this.deps.clock,
            deadline: limit.deadline,
            limit,
            schedule: scheduleOf(this.deps),
            report: (l) => progress(label, l),
            probe: async () => {
                const inst = await client.cloneInstance(id);
                if (!inst) {
                    if (this.deps.clock.now() < graceUntil) return { done: false, status: "not listed yet" };
                    throw new ResourceGone(`instance ${id} no longer exists (released out of band)`, "deleted");
                }
                if (inst.Status === RUNNING) return { done: true, status: statusText(RUNNING), value: inst };
                if (LEAVING_STATUSES.includes(inst.Status))
                    throw new ResourceGone(
                        `instance ${id} is ${statusText(inst.Status)} (released out of band)`,
                        statusText(inst.Status),
                    );
                return { done: false, status: statusText(inst.Status) };
            },
        });
    }

    /** Waits until `done` says so of the instance (undefined: not listed). */
    private async waitStatus(
        client: RedisCloneClient,
        id: string,
        label: string,
        limit: TimeLimit,
        what: string,
        done: (x: CloneInstance | undefined) => boolean,
    ): Promise<CloneInstance | undefined> {
        let last: CloneInstance | undefined;
        await waitUntil<true>({
            what: `instance ${id} to be ${what}`,
            clock: this.deps.clock,
            deadline: limit.deadline,
            limit,
            schedule: scheduleOf(this.deps),
            report: (l) => progress(label, l),
            probe: async () => {
                last = await client.cloneInstance(id);
                if (done(last)) return { done: true, status: last ? statusText(last.Status) : "gone", value: true };
                return { done: false, status: last ? statusText(last.Status) : "gone" };
            },
        });
        return last;
    }

    private outputs(o: CloneOutputs, inst?: CloneInstance): CloneOutputs {
        return clean({
            ...o,
            instanceStatus: inst ? statusText(inst.Status) : o.instanceStatus,
            address: inst?.WanIp || o.address,
            instancePort: inst?.Port ?? o.instancePort,
            createTime: inst?.Createtime ?? o.createTime,
        });
    }
}

function prepaidError(id: string): Error {
    return new Error(
        `instance ${id} is a prepaid (monthly subscription) instance: pulumi-restore does not return subscriptions on its own ` +
            "(DestroyPrepaidInstance refunds by Tencent Cloud's rules, with a limited number of self-service returns). " +
            "Return it in the Redis console (or with DestroyPrepaidInstance) and run `pulumi refresh` to drop it from the stack; " +
            "or, to keep it and remove it from the stack now, set the `retainOnDelete: true` resource option, run `pulumi up`, then destroy.",
    );
}

/** The provider instance the dynamic-provider host uses (see `delegatingProvider`). */
export const provider = withEnvironmentCheck(new CloneProvider());
