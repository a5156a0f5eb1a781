import type * as pulumi from "@pulumi/pulumi";
import { ConfigSnapshot, readRateLimit } from "../core/config";
import { errorText } from "../core/errors";
import { ApiCaller } from "../core/http";
import {
    BatchLookup,
    LookupAnswer,
    ResourceGone,
    TimeLimit,
    lastStatusOf,
    sharedPoller,
    waitUntil,
} from "../core/poller";
import { scheduleOf } from "../core/poller";
import { callOnceOrFind } from "../core/settle";
import { progress, resourceLabel } from "../core/progress";
import { sharedBucket } from "../core/rateLimit";
import { RestoreProviderBase, SelectorPreview } from "../core/restoreProvider";
import { Created, ProviderDeps, WireProps, diffProps, digest, partialState } from "../core/resource";
import { clean, operationLimit } from "../core/validate";
import {
    ALICLOUD_CONFIG_KEYS,
    ALICLOUD_SECRET_KEYS,
    ALICLOUD_SETTINGS,
    alicloudCredentials,
    alicloudRegion,
    starRocksEndpoint,
} from "./credentials";
import { RestoreInstanceBody, StarRocksClient, StarRocksInstance, isInstanceNotFound } from "./starrocksClient";
import {
    RestoredInstanceInputs,
    RestoredInstanceOutputs,
    TOKEN_TAG,
    checkRestoredInstance,
    REPLACE_KEYS,
    SECRET_INPUTS,
    starRocksSelector,
} from "./starrocksInputs";
import { resolveBackup, starRocksRecord } from "./starrocksBackups";
import { ResolvedBackup, isoTime } from "../core/backupSelection";
import { withEnvironmentCheck } from "../core/settings";
import { PLAN_KEY, Plan, PreviewChoice } from "../core/plan";
import { starRocksPlan } from "./starrocksPlan";

/** Statuses in which an instance no longer exists for our purposes. */
const GONE = new Set(["deleting", "deleted", "deleted_with_error"]);
/** Statuses from which an instance will not become running by itself. */
const FAILED = new Set(["creating_failed", "deleting_failed", "actively_disabled", "disable"]);

/**
 * Every InstanceStatus value the provider matches on or records (the contract test checks each against the values the
 * vendor's SDK lists for DescribeInstances).
 */
export const STARROCKS_STATUSES: readonly string[] = ["running", "restarting", ...GONE, ...FAILED];

/** The status of an instance whose restore failed: it is replaced by the next `pulumi up`. */
const RESTORE_FAILED = "creating_failed";
/** The status recorded for an instance found gone while a resumed wait ran: it is replaced by the next `pulumi up`. */
const GONE_STATUS = "deleted";

/** Defaults: StarRocks restores of large backups take long; the Terraform provider's 20 minutes is often too short. */
export const STARROCKS_DEFAULT_TIMEOUTS = { create: 2 * 3_600_000, update: 2 * 3_600_000, delete: 3_600_000 };

/** Rate the provider keeps to per action, access key and endpoint (no limit is published; 20/s is far below the usual quotas). */
const RATE_LIMIT_PER_SECOND = 20;

/** What the provider depends on (settleMs: how long to look for the result of an uncertain RestoreInstance). */
export type StarRocksDeps = ProviderDeps;

/**
 * The tag value that marks an instance as restored for one declared resource with one set of restore inputs:
 * the restore token plus a digest of the inputs that define the restore (the password excluded). A replacement with
 * different inputs therefore never adopts the instance it replaces.
 */
export function intentTag(i: RestoredInstanceInputs, region: string): string {
    const intent = digest(
        {
            b: i.backupTaskId,
            n: i.instanceName,
            p: i.payType,
            c: i.pricingCycle,
            d: i.duration,
            a: i.autoRenew,
            r: region,
            v: i.vpcId,
            s: i.vSwitches,
            g: i.resourceGroupId,
            t: i.tags,
            // Absent for resources without them, so the tags of existing instances keep their value.
            sel: i.backupSelector,
            tr: i.triggers,
        },
        12,
    );
    return `${i.restoreToken}.${intent}`;
}

/** DescribeInstances' largest page. */
const PAGE_SIZE = 100;
/** The most pages one look-up lists (10 000 instances); beyond that, each key is asked for by itself. */
const MAX_PAGES = 100;

/** The live instance carrying intent tag `tag`, the earliest restored if several do. */
function pickByTag(list: StarRocksInstance[], tag: string): StarRocksInstance | undefined {
    const live = list.filter(
        (i) => !GONE.has(i.InstanceStatus) && (i.Tags ?? []).some((t) => t.key === TOKEN_TAG && t.value === tag),
    );
    return live.sort((a, b) => (a.BeginTime ?? 0) - (b.BeginTime ?? 0))[0];
}

/**
 * The batched look-up behind the StarRocks waits. DescribeInstances takes one InstanceId, or lists a region's
 * instances a page (at most 100) at a time. When more keys wait than the listing has pages (its Total from the last
 * listing), one listing answers them all; otherwise each key is asked for by itself (a lone wait costs what it did).
 *
 * A listing paged by number can miss an instance when others appear or go between its pages. So an id missing from it
 * is asked for by itself before it is reported gone (a wait ends for good on "gone"), and an intent tag is answered
 * from a listing only when that listing was one page (one consistent answer); otherwise by a tag query: a missed tag
 * would restore a second instance.
 */
export function statusLookup(client: StarRocksClient, region: string): BatchLookup<StarRocksInstance> {
    return async (keys, memo) => {
        const out = new Map<string, LookupAnswer<StarRocksInstance>>();
        const byItself = async (key: string): Promise<void> => {
            try {
                if (key.startsWith("id:")) out.set(key, await client.describeInstance(key.slice(3), region));
                else {
                    const tag = key.slice(4);
                    out.set(
                        key,
                        pickByTag(
                            await client.describeInstances({ RegionId: region, Tag: [{ key: TOKEN_TAG, value: tag }] }),
                            tag,
                        ),
                    );
                }
            } catch (e) {
                out.set(key, e instanceof Error ? e : new Error(String(e)));
            }
        };
        const pages = Math.max(1, Math.ceil((memo.get("total") ?? 0) / PAGE_SIZE));
        if (keys.length <= pages || pages > MAX_PAGES) {
            await Promise.all(keys.map(byItself));
            return out;
        }
        const listing: StarRocksInstance[] = [];
        let listed = 0;
        for (let page = 1; page <= MAX_PAGES; page++) {
            const r = await client.describeInstancePage(region, page, PAGE_SIZE);
            listing.push(...r.items);
            listed = page;
            memo.set("total", r.total ?? listing.length);
            if (r.items.length < PAGE_SIZE || (r.total !== undefined && page * PAGE_SIZE >= r.total)) break;
        }
        const byId = new Map(listing.map((i) => [i.InstanceId, i]));
        const again: string[] = [];
        for (const key of keys) {
            if (key.startsWith("id:")) {
                const found = byId.get(key.slice(3));
                if (found) out.set(key, found);
                else again.push(key);
            } else if (listed === 1) out.set(key, pickByTag(listing, key.slice(4)));
            else again.push(key);
        }
        await Promise.all(again.map(byItself));
        return out;
    };
}

/** The ResourceProvider of `alicloud.starrocks.RestoredInstance`. */
export class StarRocksProvider extends RestoreProviderBase<
    RestoredInstanceInputs,
    RestoredInstanceOutputs,
    StarRocksDeps
> {
    protected readonly configKeys = ALICLOUD_CONFIG_KEYS;
    protected readonly secretConfigKeys = ALICLOUD_SECRET_KEYS;
    protected readonly secretInputs = SECRET_INPUTS;
    protected readonly replaceKeys = REPLACE_KEYS;

    constructor(deps: Partial<StarRocksDeps> = {}, config?: ConfigSnapshot) {
        super(deps, 15_000, config);
    }

    protected checkInputs(news: WireProps) {
        // Outputs that came back as inputs (e.g. after `pulumi refresh`) are dropped, not failed.
        return checkRestoredInstance(news);
    }

    protected plan(inputs: RestoredInstanceInputs, choice: PreviewChoice | undefined): Plan {
        return starRocksPlan(inputs, this.regionOrUndefined(inputs), choice);
    }

    protected selectorPreview(i: RestoredInstanceInputs): SelectorPreview {
        const region = this.regionOrUndefined(i);
        return {
            needs: [i.backupSelector, i.regionId],
            needsText: "the selector or the region",
            unavailable: () => {
                if (!region) return "no region configured";
                try {
                    alicloudCredentials(this.config, this.deps.env);
                } catch {
                    return "no Alibaba Cloud credentials in this job";
                }
                starRocksEndpoint(this.config, region, this.deps.env);
                return undefined;
            },
            resolve: () =>
                resolveBackup(this.client(region as string), {
                    selector: starRocksSelector(i.backupSelector),
                    region: region as string,
                    now: this.deps.clock.now(),
                }),
        };
    }

    async diff(
        _id: string,
        olds: RestoredInstanceOutputs,
        news: RestoredInstanceInputs,
    ): Promise<pulumi.dynamic.DiffResult> {
        // State keeps the effective region; an input left empty means "from config", so compare with that.
        const effective = {
            ...news,
            regionId: news.regionId ?? alicloudRegion(this.config, undefined, this.deps.env) ?? olds.regionId,
        };
        const d = diffProps(olds, effective, { replace: REPLACE_KEYS, update: [], ignore: ["adoptId", PLAN_KEY] });
        // Replacing without a change to what defines the restore (only the password changed, or `--replace`) would give
        // the new instance the old one's token tag: delete first, so that the create cannot adopt the old instance.
        const sameIntent = intentTag(olds, String(olds.regionId)) === intentTag(effective, String(effective.regionId));
        // A restore that ended in creating_failed never becomes running: waiting again (update) would fail on every
        // `pulumi up`. Replace it instead: release the failed instance first, then restore again.
        // Likewise an instance released out of band while a resumed wait ran: restore again.
        if (olds.status === RESTORE_FAILED || GONE.has(String(olds.status)))
            return { changes: true, replaces: [...new Set([...d.replaces, "status"])], deleteBeforeReplace: true };
        return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: sameIntent };
    }

    async create(news: RestoredInstanceInputs): Promise<Created<RestoredInstanceOutputs>> {
        const inputs = news;
        const region = this.region(inputs);
        const client = this.client(region);
        const label = resourceLabel(`RestoredInstance ${inputs.instanceName ?? inputs.backupTaskId ?? inputs.adoptId}`);
        const start = this.deps.clock.now();
        const limit = operationLimit(inputs.timeouts, "create", STARROCKS_DEFAULT_TIMEOUTS.create, start);
        const deadline = limit.deadline;
        const tag = intentTag(inputs, region);

        let instanceId: string;
        let orderId: string | undefined;
        let adopted = false;
        let chosen: ResolvedBackup | undefined;
        if (inputs.adoptId) {
            const found = await client.describeInstance(inputs.adoptId, region);
            this.verifyAdoptable(inputs, region, found);
            instanceId = inputs.adoptId;
            adopted = true;
            progress(label, `adopting existing instance ${instanceId} (adoptId); RestoreInstance is not called`);
        } else {
            const earlier = await this.findByTag(client, region, tag);
            if (earlier) {
                instanceId = earlier.InstanceId;
                adopted = true;
                progress(
                    label,
                    `found instance ${instanceId} restored by an earlier attempt of this resource (restore token ${inputs.restoreToken}); following it instead of restoring again`,
                );
                // An explicit id is what that attempt restored; its record gives the time (best effort: the backup
                // may have expired since, which must not fail following the instance). With a selector, the backup
                // the earlier attempt chose is not known again (a newer one may exist by now): left out.
                if (inputs.backupTaskId) {
                    const b = await client
                        .describeBackups({ BackupTaskId: inputs.backupTaskId, RegionId: region })
                        .catch(() => []);
                    const rec = b.find((x) => x.BackupTaskId === inputs.backupTaskId);
                    const time = rec ? starRocksRecord(rec).time : NaN;
                    chosen = { backupId: inputs.backupTaskId, backupTime: isoTime(time), status: rec?.Status ?? "" };
                }
            } else {
                // check() requires one of them unless adopting; a caller that skipped check gets the same message.
                if (!inputs.backupTaskId && !inputs.backupSelector) {
                    throw new Error(
                        "backupTaskId: required (the backup task to restore) unless backupSelector or adoptId is set",
                    );
                }
                // Read-only and before anything is created: a selector that finds nothing, or a backup that is not
                // complete, fails here with nothing to clean up.
                chosen = await resolveBackup(client, {
                    backupTaskId: inputs.backupTaskId,
                    selector: starRocksSelector(inputs.backupSelector),
                    region,
                    now: this.deps.clock.now(),
                });
                const source = inputs.backupSelector?.instanceId;
                const how = inputs.backupTaskId
                    ? ""
                    : ` (latest complete backup of instance ${source}, taken ${chosen.backupTime})`;
                progress(label, `restoring backup ${chosen.backupId}${how} into a new instance in ${region}`);
                const r = await this.restoreOnce(client, inputs, chosen.backupId, region, tag, label, deadline);
                instanceId = r.instanceId;
                orderId = r.orderId;
                adopted = r.adopted;
            }
        }

        const selected = chosen
            ? { selectedBackupId: chosen.backupId, selectedBackupTime: chosen.backupTime || undefined }
            : {};
        const outs = (status: string): RestoredInstanceOutputs =>
            clean({ ...inputs, regionId: region, instanceId, orderId, status, adopted, ...selected });
        try {
            const inst = await this.waitRunning(client, instanceId, region, label, limit);
            return { id: instanceId, outs: this.outputs(outs(inst.InstanceStatus), inst) };
        } catch (e) {
            if (e instanceof ResourceGone) {
                // Nothing is left to record: recorded, it would be waited for by every later `pulumi up` in vain.
                throw new Error(
                    `${label}: ${e.message} while the restore was being waited for. Nothing is recorded in the stack; run \`pulumi up\` again to restore again.`,
                );
            }
            const status = lastStatusOf(e, "restarting");
            throw partialState(instanceId, outs(status), news, [
                status === RESTORE_FAILED
                    ? `the restore into instance ${instanceId} failed (status ${status}). It is recorded in the stack: the next \`pulumi up\` releases it and restores again; \`pulumi destroy\` releases it.`
                    : `instance ${instanceId} was created but did not become running: ${errorText(e)}. It is recorded in the stack; run \`pulumi up\` to keep waiting, or \`pulumi destroy\` to release it.`,
            ]);
        }
    }

    async read(
        id: string,
        props: RestoredInstanceOutputs,
    ): Promise<pulumi.dynamic.ReadResult<RestoredInstanceOutputs>> {
        const olds = props;
        const region = olds.regionId ?? this.region(olds);
        const inst = await this.client(region).describeInstance(id, region);
        if (!inst || GONE.has(inst.InstanceStatus)) return { id: "" } as pulumi.dynamic.ReadResult;
        return {
            id,
            props: this.outputs({ ...olds, status: inst.InstanceStatus }, inst),
        };
    }

    /**
     * Reads an existing instance for `pulumi import` (provider plugin only: dynamic resources cannot be imported). The
     * instance is recorded as adopted: its inputs carry `adoptId` (so that a later `pulumi up` never restores it
     * again) and what DescribeInstances reports (name, pay type, region, VPC, VSwitches, resource group, tags without
     * the restore-token tag). The backup it was restored from and the admin password are not reported by the API.
     * The region is the configured one (`alicloud:region` or ALICLOUD_REGION).
     */
    async importRead(
        id: string,
    ): Promise<{ id: string; outs: Record<string, unknown>; inputs: Record<string, unknown> } | undefined> {
        const region = this.region({});
        const inst = await this.client(region).describeInstance(id, region);
        if (!inst || GONE.has(inst.InstanceStatus)) return undefined;
        const tags = Object.fromEntries(
            (inst.Tags ?? []).filter((t) => t.key !== TOKEN_TAG).map((t) => [t.key, t.value]),
        );
        const inputs = clean({
            adoptId: id,
            instanceName: inst.InstanceName,
            payType: inst.PayType === "prePaid" ? "prePaid" : "postPaid",
            regionId: inst.RegionId ?? region,
            vpcId: inst.VpcId || undefined,
            vSwitches: inst.VSwitches?.length
                ? inst.VSwitches.map((v) => ({ zoneId: v.ZoneId, vswId: v.VswId }))
                : undefined,
            resourceGroupId: inst.ResourceGroupId || undefined,
            tags: Object.keys(tags).length > 0 ? tags : undefined,
        });
        const outs = clean({ ...inputs, instanceId: id, status: inst.InstanceStatus, adopted: true });
        return { id, outs, inputs };
    }

    async update(
        id: string,
        olds: RestoredInstanceOutputs,
        news: RestoredInstanceInputs,
    ): Promise<pulumi.dynamic.UpdateResult<RestoredInstanceOutputs>> {
        // Only time-outs change in place; an update also resumes waiting after an interrupted create (init errors).
        const old = olds;
        const inputs = news;
        const region = old.regionId;
        const client = this.client(region);
        const label = resourceLabel(`RestoredInstance ${inputs.instanceName ?? inputs.backupTaskId ?? inputs.adoptId}`);
        const now = this.deps.clock.now();
        const limit = operationLimit(inputs.timeouts, "update", STARROCKS_DEFAULT_TIMEOUTS.update, now);
        const base: RestoredInstanceOutputs = clean({
            ...inputs,
            regionId: region,
            instanceId: id,
            orderId: old.orderId,
            status: old.status,
            adopted: old.adopted ?? false,
            // Chosen at create; an update never chooses again (only a replacement does).
            selectedBackupId: old.selectedBackupId,
            selectedBackupTime: old.selectedBackupTime,
        });
        try {
            const inst = await this.waitRunning(client, id, region, label, limit);
            return { outs: this.outputs({ ...base, status: inst.InstanceStatus }, inst) };
        } catch (e) {
            if (e instanceof ResourceGone) {
                throw partialState(id, { ...base, status: GONE_STATUS }, news, [
                    `${e.message}: it can no longer become running. It is recorded as ${GONE_STATUS}; the next \`pulumi up\` restores it again (a replacement), or \`pulumi refresh\` drops it from the stack.`,
                ]);
            }
            throw partialState(id, { ...base, status: lastStatusOf(e, "restarting") }, news, [
                `instance ${id} is not running: ${errorText(e)}`,
            ]);
        }
    }

    async delete(id: string, props: RestoredInstanceOutputs): Promise<void> {
        const o = props;
        const label = resourceLabel(`RestoredInstance ${o.instanceName ?? o.backupTaskId ?? id}`);
        const region = o.regionId ?? this.region(o);
        const client = this.client(region);
        const inst = await client.describeInstance(id, region);
        if (!inst || (GONE.has(inst.InstanceStatus) && inst.InstanceStatus !== "deleting")) {
            progress(label, `instance ${id} is already gone`);
            return;
        }
        if ((inst.PayType ?? o.payType) === "prePaid") {
            throw new Error(
                `instance ${id} is a subscription (prePaid) instance, which cannot be released by API. Unsubscribe it in the ` +
                    "Alibaba Cloud billing console (Expenses > Renewal and Unsubscription), then run `pulumi refresh` to drop it from the stack; " +
                    "or, to keep it and remove it from the stack now, set the `retainOnDelete: true` resource option, run `pulumi up`, then destroy.",
            );
        }
        const limit = operationLimit(o.timeouts, "delete", STARROCKS_DEFAULT_TIMEOUTS.delete, this.deps.clock.now());
        if (inst.InstanceStatus !== "deleting") {
            progress(label, `releasing instance ${id} (its data is erased)`);
            try {
                await client.releaseInstance(id);
            } catch (e) {
                if (!isInstanceNotFound(e)) throw e;
            }
        }
        await waitUntil({
            what: `instance ${id} to be released`,
            clock: this.deps.clock,
            deadline: limit.deadline,
            limit,
            schedule: scheduleOf(this.deps),
            report: (l) => progress(label, l),
            probe: async () => {
                const now = await this.status(client, region, `id:${id}`);
                if (!now || now.InstanceStatus === "deleted") return { done: true, status: "released" };
                if (now.InstanceStatus === "deleting_failed" || now.InstanceStatus === "deleted_with_error") {
                    throw new Error(
                        `releasing instance ${id} ended in status ${now.InstanceStatus}; check the instance in the console and run \`pulumi destroy\` again`,
                    );
                }
                return { done: false, status: now.InstanceStatus };
            },
        });
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private regionOrUndefined(i: { regionId?: string }): string | undefined {
        return alicloudRegion(this.config, i.regionId, this.deps.env);
    }

    private region(i: { regionId?: string }): string {
        const r = alicloudRegion(this.config, i.regionId, this.deps.env);
        if (!r)
            throw new Error(
                "no region: set regionId on the resource, or `pulumi config set alicloud:region cn-hangzhou`, or ALICLOUD_REGION",
            );
        return r;
    }

    /** A client for the region's endpoint; credentials are read at each call, never kept. */
    client(region: string): StarRocksClient {
        const endpoint = starRocksEndpoint(this.config, region, this.deps.env);
        const credentials = () => alicloudCredentials(this.config, this.deps.env);
        const clock = this.deps.clock;
        const limit = readRateLimit(this.config, ALICLOUD_SETTINGS.rateLimit, RATE_LIMIT_PER_SECOND, this.deps.env);
        const caller = new ApiCaller({
            transport: this.deps.transport,
            clock,
            random: this.deps.random,
            // Alibaba Cloud's flow control counts each API separately: one bucket per action.
            bucket: (action) =>
                sharedBucket(
                    { cloud: "alicloud", endpoint, credential: credentials().accessKeyId, scope: action },
                    limit,
                    clock,
                ),
        });
        return new StarRocksClient({ endpoint, credentials, caller });
    }

    /** The instance an earlier attempt restored for this intent, through the shared poller (batched with the waits). */
    private findByTag(client: StarRocksClient, region: string, tag: string): Promise<StarRocksInstance | undefined> {
        return this.status(client, region, `tag:${tag}`);
    }

    /**
     * `id:<InstanceId>` (that instance) or `tag:<intent tag>` (the instance an earlier attempt restored), answered by
     * the process's shared poller for this endpoint, access key and region: every wait and adoption lookup that asks
     * in the same turn, or while a call is under way, shares the next look-up (see {@link statusLookup}).
     */
    private status(client: StarRocksClient, region: string, key: string): Promise<StarRocksInstance | undefined> {
        const endpoint = starRocksEndpoint(this.config, region, this.deps.env);
        const credential = alicloudCredentials(this.config, this.deps.env).accessKeyId;
        return sharedPoller<StarRocksInstance>(this, { cloud: "alicloud", endpoint, credential, scope: region }).get(
            key,
            statusLookup(client, region),
        );
    }

    private verifyAdoptable(i: RestoredInstanceInputs, region: string, found: StarRocksInstance | undefined): void {
        if (!found || GONE.has(found.InstanceStatus))
            throw new Error(`adoptId: instance ${i.adoptId} does not exist in region ${region}`);
        const mismatch: string[] = [];
        if (found.RegionId && found.RegionId !== region) mismatch.push(`regionId is ${found.RegionId}, not ${region}`);
        if (i.vpcId && found.VpcId && found.VpcId !== i.vpcId) mismatch.push(`vpcId is ${found.VpcId}, not ${i.vpcId}`);
        if (found.PayType && found.PayType !== i.payType)
            mismatch.push(`payType is ${found.PayType}, not ${i.payType}`);
        if (i.instanceName && found.InstanceName && found.InstanceName !== i.instanceName)
            mismatch.push(`instanceName is "${found.InstanceName}", not "${i.instanceName}"`);
        if (mismatch.length > 0)
            throw new Error(
                `adoptId: instance ${i.adoptId} does not match the declared inputs: ${mismatch.join("; ")}. Fix the inputs to describe it, or drop adoptId.`,
            );
        if (FAILED.has(found.InstanceStatus))
            throw new Error(
                `adoptId: instance ${i.adoptId} is in status ${found.InstanceStatus} and cannot become running`,
            );
    }

    /**
     * Calls RestoreInstance once for this intent. After an uncertain outcome (lost answer, 5xx, time-out, an internal
     * error body) it looks for the instance by its token tag for `settleMs`, and never calls again in this run.
     */
    private async restoreOnce(
        client: StarRocksClient,
        i: RestoredInstanceInputs,
        backupTaskId: string,
        region: string,
        tag: string,
        label: string,
        deadline: number,
    ): Promise<{ instanceId: string; orderId?: string; adopted: boolean }> {
        const body: RestoreInstanceBody = clean({
            BackupTaskId: backupTaskId,
            AdminPassword: i.adminPassword,
            InstanceName: i.instanceName,
            PayType: i.payType,
            PricingCycle: i.pricingCycle,
            Duration: i.duration,
            AutoRenew: i.payType === "prePaid" ? (i.autoRenew ?? false) : undefined,
            RegionId: region,
            VpcId: i.vpcId,
            VSwitches: i.vSwitches?.map((v) => ({ VswId: v.vswId, ZoneId: v.zoneId })),
            ResourceGroupId: i.resourceGroupId,
            Tags: [
                ...Object.entries(i.tags ?? {}).map(([key, value]) => ({ key, value })),
                { key: TOKEN_TAG, value: tag },
            ],
        });
        const r = await callOnceOrFind({
            action: "RestoreInstance",
            thing: "instance",
            call: () => client.restoreInstance(body),
            find: () => this.findByTag(client, region, tag),
            describe: (f) => `instance ${f.InstanceId}`,
            notFound: `no instance tagged with restore token ${i.restoreToken}`,
            duplicate: "restore into a second instance (billed, and left behind by `pulumi destroy`)",
            check: `In a few minutes, check whether an instance tagged ${TOKEN_TAG}=${tag} appears in region ${region} (StarRocks console, or DescribeInstances with that tag).`,
            lookup: `the instance tagged ${TOKEN_TAG}=${tag}`,
            clock: this.deps.clock,
            settleMs: this.deps.settleMs,
            lookEveryMs: 5000,
            deadline,
            report: (l) => progress(label, l),
        });
        if (r.found) return { instanceId: r.found.InstanceId, adopted: true };
        return {
            instanceId: r.called.InstanceId,
            orderId: r.called.OrderId === undefined ? undefined : String(r.called.OrderId),
            adopted: false,
        };
    }

    private async waitRunning(
        client: StarRocksClient,
        id: string,
        region: string,
        label: string,
        limit: TimeLimit,
    ): Promise<StarRocksInstance> {
        return waitUntil<StarRocksInstance>({
            what: `instance ${id} to be running`,
            doneText: `instance ${id} is running`,
            clock: this.deps.clock,
            deadline: limit.deadline,
            limit,
            schedule: scheduleOf(this.deps),
            report: (l) => progress(label, l),
            probe: async () => {
                const inst = await this.status(client, region, `id:${id}`);
                if (!inst)
                    throw new ResourceGone(`instance ${id} no longer exists (released out of band)`, GONE_STATUS);
                if (inst.InstanceStatus === "running") return { done: true, status: "running", value: inst };
                if (GONE.has(inst.InstanceStatus))
                    throw new ResourceGone(
                        `instance ${id} is ${inst.InstanceStatus} (released out of band)`,
                        inst.InstanceStatus,
                    );
                if (FAILED.has(inst.InstanceStatus))
                    return {
                        done: false,
                        status: inst.InstanceStatus,
                        failed: `instance ${id} is ${inst.InstanceStatus}`,
                    };
                // StarRocks reports a restoring instance as `restarting`: the line says what is happening.
                const shown = inst.InstanceStatus === "restarting" ? "restoring" : undefined;
                return { done: false, status: inst.InstanceStatus, shown };
            },
        });
    }

    private outputs(o: RestoredInstanceOutputs, inst: StarRocksInstance): RestoredInstanceOutputs {
        return clean({ ...o, status: inst.InstanceStatus });
    }
}

/** The provider instance the dynamic-provider host uses (see `delegatingProvider`). */
export const provider = withEnvironmentCheck(new StarRocksProvider());
