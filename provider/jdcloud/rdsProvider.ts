import type * as pulumi from "@pulumi/pulumi";
import { utcIsoOrUndefined } from "../core/time";
import { ConfigSnapshot, readRateLimit } from "../core/config";
import { CloudError, errorText } from "../core/errors";
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
import { Created, ProviderDeps, WireProps, diffProps, partialState } from "../core/resource";
import { clean, operationLimit } from "../core/validate";
import {
    JDCLOUD_CONFIG_KEYS,
    JDCLOUD_SECRET_KEYS,
    JDCLOUD_SETTINGS,
    jdcloudCredentials,
    jdcloudRegion,
    rdsEndpoint,
} from "./credentials";
import { CreateFromBackupBody, RdsClient, RdsInstance, isNotFound } from "./rdsClient";
import { MARK_KEY, hasMark, markFilter, markOf, restoreMark } from "./rdsMark";
import { scratchName } from "../core/drill";
import { resolveBackup } from "./rdsBackups";
import { ResolvedBackup } from "../core/backupSelection";
import {
    RdsRestoreInputs,
    RdsRestoreOutputs,
    REPLACE_KEYS,
    checkRdsRestore,
    SECRET_INPUTS,
    rdsSelector,
} from "./rdsInputs";
import { withEnvironmentCheck } from "../core/settings";
import { PLAN_KEY, Plan, PreviewChoice } from "../core/plan";
import { rdsPlan } from "./rdsPlan";

/**
 * The batched look-up behind the JD Cloud RDS waits (keys are instance ids): one describeInstances filtered on up to
 * 100 instance ids answers every wait whose instance is still changing. An instance the list shows RUNNING is asked for
 * by describeInstanceAttributes (the wait returns it, and its outputs need every attribute), and so is one missing
 * from the list, before its wait is told it is gone. A lone wait asks by itself, as before.
 */
export function instanceLookup(client: RdsClient, region: string): BatchLookup<RdsInstance> {
    return async (keys) => {
        const out = new Map<string, LookupAnswer<RdsInstance>>();
        const byItself = async (id: string): Promise<void> => {
            try {
                out.set(id, await client.describeInstance(region, id));
            } catch (e) {
                out.set(id, e instanceof Error ? e : new Error(String(e)));
            }
        };
        if (keys.length === 1) {
            await byItself(keys[0]);
            return out;
        }
        const again: string[] = [];
        for (let i = 0; i < keys.length; i += 100) {
            const chunk = keys.slice(i, i + 100);
            try {
                const listed = new Map((await client.instancesById(region, chunk)).map((x) => [x.instanceId, x]));
                for (const id of chunk) {
                    const x = listed.get(id);
                    if (x && x.instanceStatus !== "RUNNING") out.set(id, x);
                    else again.push(id);
                }
            } catch (e) {
                for (const id of chunk) out.set(id, e instanceof Error ? e : new Error(String(e)));
            }
        }
        await Promise.all(again.map(byItself));
        return out;
    };
}

/** Statuses in which an instance no longer exists for our purposes. */
const GONE = new Set(["DELETING", "DELETED"]);
/** Statuses from which an instance will not become RUNNING by itself. */
function isFailed(status: string): boolean {
    return /FAIL|ERROR/i.test(status);
}

/** Defaults. Restoring a large backup into a new instance takes long; two hours covers most, `timeouts` the rest. */
export const RDS_DEFAULT_TIMEOUTS = { create: 2 * 3_600_000, update: 2 * 3_600_000, delete: 3_600_000 };

/** Calls per second kept to per access key and endpoint (no limit is published; this is far below usual quotas). */
const RATE_LIMIT_PER_SECOND = 10;

/** What the provider depends on (settleMs: how long to look for the instance of an uncertain createInstanceFromBackup). */
export type RdsDeps = ProviderDeps;

/** The ResourceProvider of `jdcloud.rds.RestoredInstance`. */
export class RdsRestoreProvider extends RestoreProviderBase<RdsRestoreInputs, RdsRestoreOutputs, RdsDeps> {
    protected readonly configKeys = JDCLOUD_CONFIG_KEYS;
    protected readonly secretConfigKeys = JDCLOUD_SECRET_KEYS;
    protected readonly secretInputs = SECRET_INPUTS;
    protected readonly replaceKeys = REPLACE_KEYS;

    constructor(deps: Partial<RdsDeps> = {}, config?: ConfigSnapshot) {
        super(deps, 15_000, config);
    }

    protected checkInputs(news: WireProps) {
        return checkRdsRestore(news, jdcloudRegion(this.config, undefined, this.deps.env));
    }

    protected plan(inputs: RdsRestoreInputs, choice: PreviewChoice | undefined): Plan {
        return rdsPlan(inputs, choice);
    }

    protected selectorPreview(i: RdsRestoreInputs): SelectorPreview {
        return {
            needs: [i.backupSelector, i.regionId],
            needsText: "the selector or the region",
            unavailable: () => {
                try {
                    jdcloudCredentials(this.config, this.deps.env);
                } catch {
                    return "no JD Cloud credentials in this job";
                }
                rdsEndpoint(this.config, this.deps.env);
                return undefined;
            },
            resolve: () =>
                resolveBackup(this.client(), {
                    selector: rdsSelector(i.backupSelector),
                    region: i.regionId,
                    now: this.deps.clock.now(),
                }),
        };
    }

    async diff(_id: string, olds: RdsRestoreOutputs, news: RdsRestoreInputs): Promise<pulumi.dynamic.DiffResult> {
        const d = diffProps(olds, news, {
            replace: REPLACE_KEYS,
            update: [],
            ignore: ["adoptId", "autoNamed", PLAN_KEY],
        });
        // The instance is found again by its name and its mark (the restore token, which a replacement keeps). A
        // replacement that keeps the name (an explicit instanceName, or a forced replace with unchanged inputs) must
        // delete first, so that the create cannot take the old one for its own.
        const oldName = (olds.instanceSpec as { instanceName?: string } | undefined)?.instanceName;
        const newName = (news.instanceSpec as { instanceName?: string } | undefined)?.instanceName;
        // An instance that failed to build never becomes RUNNING: waiting again (update) would fail on every `pulumi up`.
        // Replace it instead, deleting the failed one first (it carries the name the create looks for).
        // Likewise an instance deleted out of band while a resumed wait ran.
        if (
            typeof olds.instanceStatus === "string" &&
            (isFailed(olds.instanceStatus) || GONE.has(olds.instanceStatus))
        ) {
            return {
                changes: true,
                replaces: [...new Set([...d.replaces, "instanceStatus"])],
                deleteBeforeReplace: true,
            };
        }
        return {
            changes: d.changes,
            replaces: d.replaces,
            deleteBeforeReplace: d.replaces.length > 0 && oldName === newName,
        };
    }

    async create(news: RdsRestoreInputs): Promise<Created<RdsRestoreOutputs>> {
        const inputs = news;
        const region = inputs.regionId;
        const client = this.client();
        const name = inputs.instanceSpec.instanceName;
        const label = resourceLabel(`RestoredInstance ${name}`);
        const start = this.deps.clock.now();
        const limit = operationLimit(inputs.timeouts, "create", RDS_DEFAULT_TIMEOUTS.create, start);
        const deadline = limit.deadline;

        let instanceId: string;
        let orderId: string | undefined;
        let adopted = false;
        let chosen: ResolvedBackup | undefined;
        if (inputs.adoptId) {
            const found = await client.describeInstance(region, inputs.adoptId);
            this.verifyAdoptable(inputs, found);
            instanceId = inputs.adoptId;
            adopted = true;
            progress(
                label,
                `adopting existing instance ${instanceId} (adoptId); createInstanceFromBackup is not called`,
            );
        } else {
            // A crashed host leaves no trace in state: every create first looks for what an earlier attempt made. Only
            // the mark proves that (a tag holding this resource's restore token); a name, even the derived one, does not.
            const earlier = await this.findOwn(client, inputs);
            if (earlier) {
                instanceId = earlier.instanceId;
                adopted = true;
                progress(
                    label,
                    `found instance ${instanceId} (created ${earlier.createTime ?? "earlier"}) named "${name}" and tagged ${MARK_KEY}=${inputs.restoreToken} by an earlier attempt of this resource; following it instead of restoring again`,
                );
            } else {
                // Anything else of that name is not ours: neither taken over nor deleted, and no second one is made.
                const taken = await this.sameNamed(client, inputs);
                if (taken.length > 0) throw new Error(notOursMessage(inputs, taken));
                // Read-only, before anything is created: a selector that finds nothing fails here.
                chosen = await resolveBackup(client, {
                    backupId: inputs.backupId,
                    selector: rdsSelector(inputs.backupSelector),
                    region,
                    now: this.deps.clock.now(),
                });
                const source = inputs.backupSelector?.instanceId;
                const how = inputs.backupId
                    ? ""
                    : ` (latest completed backup of instance ${source}, taken ${chosen.backupTime})`;
                progress(
                    label,
                    `restoring backup ${chosen.backupId}${how} into a new ${inputs.engine} instance "${name}" in ${region}`,
                );
                const r = await this.createOnce(client, { ...inputs, backupId: chosen.backupId }, label, deadline);
                instanceId = r.instanceId;
                orderId = r.orderId;
                adopted = r.adopted;
                progress(
                    label,
                    `createInstanceFromBackup accepted: instance ${instanceId}${orderId ? `, order ${orderId}` : ""}`,
                );
            }
        }

        // An explicit id cannot be looked up (describeBackups needs the source): it is reported as given.
        if (!chosen && inputs.backupId && !inputs.adoptId)
            chosen = { backupId: inputs.backupId, backupTime: "", status: "" };
        const selected = { selectedBackupId: chosen?.backupId, selectedBackupTime: chosen?.backupTime || undefined };
        const partial = (status: string): RdsRestoreOutputs =>
            clean({ ...inputs, instanceId, orderId, instanceStatus: status, adopted, ...selected });
        try {
            const inst = await this.waitRunning(client, region, instanceId, label, limit);
            return { id: instanceId, outs: this.outputs(partial(inst.instanceStatus), inst) };
        } catch (e) {
            if (e instanceof ResourceGone) {
                // Nothing is left to record: recorded, it would be waited for by every later `pulumi up` in vain.
                throw new Error(
                    `${label}: ${e.message} while the restore was being waited for. Nothing is recorded in the stack; run \`pulumi up\` again to restore again.`,
                );
            }
            const status = lastStatusOf(e, "BUILDING");
            const next = isFailed(status)
                ? "It failed to build and is recorded in the stack: the next `pulumi up` deletes it and restores again; `pulumi destroy` deletes it."
                : "It is recorded in the stack; run `pulumi up` to keep waiting, or `pulumi destroy` to delete it.";
            throw partialState(instanceId, partial(status), news, [
                `instance ${instanceId} was created but did not become RUNNING: ${errorText(e)}. ${next}`,
            ]);
        }
    }

    async read(id: string, props: RdsRestoreOutputs): Promise<pulumi.dynamic.ReadResult<RdsRestoreOutputs>> {
        const olds = props;
        const region = olds.regionId ?? jdcloudRegion(this.config, undefined, this.deps.env);
        if (!region) throw new Error("no region in state: set jdcloud:region and run `pulumi refresh` again");
        const inst = await this.client().describeInstance(region, id);
        if (!inst || GONE.has(inst.instanceStatus)) return { id: "" } as pulumi.dynamic.ReadResult;
        return { id, props: this.outputs(olds, inst) };
    }

    async update(
        id: string,
        olds: RdsRestoreOutputs,
        news: RdsRestoreInputs,
    ): Promise<pulumi.dynamic.UpdateResult<RdsRestoreOutputs>> {
        // Only time-outs change in place; an update also resumes waiting after an interrupted create (init errors).
        const old = olds;
        const inputs = news;
        const client = this.client();
        const label = resourceLabel(`RestoredInstance ${inputs.instanceSpec?.instanceName ?? id}`);
        const limit = operationLimit(inputs.timeouts, "update", RDS_DEFAULT_TIMEOUTS.update, this.deps.clock.now());
        const base: RdsRestoreOutputs = clean({
            ...inputs,
            instanceId: id,
            orderId: old.orderId,
            instanceStatus: old.instanceStatus,
            adopted: old.adopted ?? false,
            // Chosen at create; an update never chooses again.
            selectedBackupId: old.selectedBackupId,
            selectedBackupTime: old.selectedBackupTime,
        });
        try {
            const inst = await this.waitRunning(client, inputs.regionId, id, label, limit);
            return { outs: this.outputs(base, inst) };
        } catch (e) {
            if (e instanceof ResourceGone) {
                throw partialState(id, { ...base, instanceStatus: e.lastStatus }, news, [
                    `${e.message}: it can no longer become RUNNING. It is recorded as ${e.lastStatus}; the next \`pulumi up\` restores it again (a replacement), or \`pulumi refresh\` drops it from the stack.`,
                ]);
            }
            throw partialState(id, { ...base, instanceStatus: lastStatusOf(e, "BUILDING") }, news, [
                `instance ${id} is not RUNNING: ${errorText(e)}. Run \`pulumi up --replace\` to restore it again, or \`pulumi destroy\` to delete it.`,
            ]);
        }
    }

    async delete(id: string, props: RdsRestoreOutputs): Promise<void> {
        const o = props;
        const label = resourceLabel(`RestoredInstance ${o.instanceSpec?.instanceName ?? id}`);
        const region = o.regionId ?? jdcloudRegion(this.config, undefined, this.deps.env);
        if (!region) throw new Error("no region in state: set jdcloud:region and run `pulumi destroy` again");
        const client = this.client();
        const inst = await client.describeInstance(region, id);
        if (!inst || inst.instanceStatus === "DELETED") {
            progress(label, `instance ${id} is already gone`);
            return;
        }
        const mode = inst.charge?.chargeMode ?? o.instanceSpec?.chargeSpec?.chargeMode;
        if (mode === "prepaid_by_duration") throw prepaidError(id);
        const limit = operationLimit(o.timeouts, "delete", RDS_DEFAULT_TIMEOUTS.delete, this.deps.clock.now());
        if (inst.instanceStatus !== "DELETING") {
            progress(label, `deleting instance ${id} (its data is erased)`);
            try {
                await client.deleteInstance(region, id);
            } catch (e) {
                if (isNotFound(e)) return;
                if (e instanceof CloudError && /prepaid|包年包月/i.test(e.vendorMessage)) throw prepaidError(id);
                throw e;
            }
        }
        await waitUntil({
            what: `instance ${id} to be deleted`,
            clock: this.deps.clock,
            deadline: limit.deadline,
            limit,
            schedule: scheduleOf(this.deps),
            report: (l) => progress(label, l),
            probe: async () => {
                const now = await this.status(client, region, id);
                if (!now || now.instanceStatus === "DELETED") return { done: true, status: "deleted" };
                return { done: false, status: now.instanceStatus };
            },
        });
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    /**
     * An instance's status through the host's shared poller for this endpoint, key and region: the waits that ask in the
     * same turn, or while a look-up is under way, share one describeInstances (see {@link instanceLookup}).
     */
    private status(client: RdsClient, region: string, id: string): Promise<RdsInstance | undefined> {
        const endpoint = rdsEndpoint(this.config, this.deps.env);
        const credential = jdcloudCredentials(this.config, this.deps.env).accessKey;
        return sharedPoller<RdsInstance>(this, { cloud: "jdcloud", endpoint, credential, scope: region }).get(
            id,
            instanceLookup(client, region),
        );
    }

    /** A client for the configured endpoint; credentials are read at each call, never kept. */
    client(): RdsClient {
        const endpoint = rdsEndpoint(this.config, this.deps.env);
        const credentials = () => jdcloudCredentials(this.config, this.deps.env);
        const clock = this.deps.clock;
        const limit = readRateLimit(this.config, JDCLOUD_SETTINGS.rateLimit, RATE_LIMIT_PER_SECOND, this.deps.env);
        const caller = new ApiCaller({
            transport: this.deps.transport,
            clock,
            random: this.deps.random,
            bucket: () =>
                sharedBucket({ cloud: "jdcloud", endpoint, credential: credentials().accessKey }, limit, clock),
        });
        return new RdsClient({ endpoint, credentials, caller });
    }

    /**
     * The instance an earlier attempt of this very restore made, if any: one that carries the declared name AND this
     * resource's mark (tag {@link MARK_KEY} = the restore token, written by createInstanceFromBackup's tagSpec) and
     * matches the declared spec. The name alone proves nothing (names are not unique, and anyone may choose one); the
     * mark alone could be an instance of an earlier intent of this resource (replaced under another name).
     */
    private async findOwn(client: RdsClient, i: RdsRestoreInputs): Promise<RdsInstance | undefined> {
        const listed = await client.instancesNamed(i.regionId, i.instanceSpec.instanceName, [
            markFilter(i.restoreToken),
        ]);
        const own = listed.filter(
            (x) => !GONE.has(x.instanceStatus) && hasMark(x, i.restoreToken) && specMismatch(i, x).length === 0,
        );
        return own.sort((a, b) => (parseCreateTime(a.createTime) || 0) - (parseCreateTime(b.createTime) || 0))[0];
    }

    /** Live instances carrying the declared name. */
    private async sameNamed(client: RdsClient, i: RdsRestoreInputs): Promise<RdsInstance[]> {
        return (await client.instancesNamed(i.regionId, i.instanceSpec.instanceName)).filter(
            (x) => !GONE.has(x.instanceStatus),
        );
    }

    /**
     * Calls createInstanceFromBackup once for this intent, the new instance marked with the restore token. After an
     * uncertain outcome (lost answer, 5xx, time-out, an `INTERNAL` error body) it looks for the instance for `settleMs`
     * and never calls again in this run: only an instance of that name carrying the mark is followed; one of that name
     * without it is someone else's and is left alone.
     */
    private async createOnce(
        client: RdsClient,
        i: RdsRestoreInputs,
        label: string,
        deadline: number,
    ): Promise<{ instanceId: string; orderId?: string; adopted: boolean }> {
        const body: CreateFromBackupBody = {
            backupId: i.backupId as string,
            engine: i.engine,
            instanceSpec: clean({
                ...i.instanceSpec,
                chargeSpec: clean({ ...i.instanceSpec.chargeSpec }),
                tagSpec: [restoreMark(i.restoreToken)],
            }),
        };
        const name = i.instanceSpec.instanceName;
        const mark = `${MARK_KEY}=${i.restoreToken}`;
        const r = await callOnceOrFind({
            action: "createInstanceFromBackup",
            thing: "instance",
            call: () => client.createInstanceFromBackup(i.regionId, body),
            find: () => this.findOwn(client, i),
            describe: (f) => `instance ${f.instanceId} (tagged ${mark})`,
            notFound: `no instance named "${name}" tagged ${mark}`,
            duplicate: "make a second instance (billed, and left behind by `pulumi destroy`)",
            check: `In a few minutes, check whether an instance named "${name}" tagged ${mark} appears in ${i.regionId} (RDS console, or describeInstances filtered by instanceName).`,
            lookup: `the instance named "${name}" tagged ${mark} (this resource's restore token; an instance of that name without that tag is never followed)`,
            clock: this.deps.clock,
            settleMs: this.deps.settleMs,
            lookEveryMs: 3000,
            deadline,
            report: (l) => progress(label, l),
        });
        if (r.found) return { instanceId: r.found.instanceId, adopted: true };
        return { ...r.called, adopted: false };
    }

    private verifyAdoptable(i: RdsRestoreInputs, found: RdsInstance | undefined): void {
        if (!found || GONE.has(found.instanceStatus))
            throw new Error(`adoptId: instance ${i.adoptId} does not exist in region ${i.regionId}`);
        const mismatch = specMismatch(i, found);
        if (!i.autoNamed && found.instanceName && found.instanceName !== i.instanceSpec.instanceName)
            mismatch.push(`instanceName is "${found.instanceName}", not "${i.instanceSpec.instanceName}"`);
        if (mismatch.length > 0)
            throw new Error(
                `adoptId: instance ${i.adoptId} does not match the declared inputs: ${mismatch.join("; ")}. Fix the inputs to describe it, or drop adoptId.`,
            );
        if (isFailed(found.instanceStatus))
            throw new Error(
                `adoptId: instance ${i.adoptId} is in status ${found.instanceStatus} and cannot become RUNNING`,
            );
    }

    private async waitRunning(
        client: RdsClient,
        region: string,
        id: string,
        label: string,
        limit: TimeLimit,
    ): Promise<RdsInstance> {
        return waitUntil<RdsInstance>({
            what: `instance ${id} to be RUNNING`,
            doneText: `instance ${id} is RUNNING`,
            clock: this.deps.clock,
            deadline: limit.deadline,
            limit,
            schedule: scheduleOf(this.deps),
            report: (l) => progress(label, l),
            probe: async () => {
                const inst = await this.status(client, region, id);
                if (!inst) throw new ResourceGone(`instance ${id} no longer exists (deleted out of band)`, "DELETED");
                if (inst.instanceStatus === "RUNNING") return { done: true, status: "RUNNING", value: inst };
                if (GONE.has(inst.instanceStatus))
                    throw new ResourceGone(
                        `instance ${id} is ${inst.instanceStatus} (deleted out of band)`,
                        inst.instanceStatus,
                    );
                if (isFailed(inst.instanceStatus))
                    return {
                        done: false,
                        status: inst.instanceStatus,
                        failed: `instance ${id} is ${inst.instanceStatus}`,
                    };
                return { done: false, status: inst.instanceStatus };
            },
        });
    }

    private outputs(o: RdsRestoreOutputs, inst: RdsInstance): RdsRestoreOutputs {
        return clean({
            ...o,
            instanceStatus: inst.instanceStatus,
            internalDomainName: inst.internalDomainName ?? o.internalDomainName,
            instancePort:
                inst.instancePort !== undefined && inst.instancePort !== null
                    ? String(inst.instancePort)
                    : (o.instancePort ?? o.instanceSpec?.instancePort),
            engineVersion: inst.engineVersion ?? o.engineVersion,
            // JD answers its own local time (UTC+8, no zone); outputs say UTC (provider/core/time.ts).
            createTime: utcIsoOrUndefined(parseCreateTime(inst.createTime)) ?? inst.createTime ?? o.createTime,
        });
    }
}

/** Differences between the declared inputs and an existing instance (fields the instance reports). */
function specMismatch(i: RdsRestoreInputs, x: RdsInstance): string[] {
    const s = i.instanceSpec;
    const out: string[] = [];
    if (x.engine && x.engine !== i.engine) out.push(`engine is "${x.engine}", not "${i.engine}"`);
    if (x.instanceClass && x.instanceClass !== s.instanceClass)
        out.push(`instanceClass is "${x.instanceClass}", not "${s.instanceClass}"`);
    if (x.instanceStorageGB !== undefined && Number(x.instanceStorageGB) !== s.instanceStorageGB)
        out.push(`instanceStorageGB is ${x.instanceStorageGB}, not ${s.instanceStorageGB}`);
    if (x.vpcId && x.vpcId !== s.vpcId) out.push(`vpcId is ${x.vpcId}, not ${s.vpcId}`);
    if (x.subnetId && x.subnetId !== s.subnetId) out.push(`subnetId is ${x.subnetId}, not ${s.subnetId}`);
    if (x.azId && x.azId.length > 0 && x.azId[0] !== s.azId[0])
        out.push(`primary zone is ${x.azId[0]}, not ${s.azId[0]}`);
    return out;
}

/**
 * A `createTime` in ms. JD Cloud answers ISO 8601 times, with or without a zone; a time without a zone is taken as
 * China Standard Time (+08:00), where JD Cloud runs, so that a local-time answer is never read as hours in the future.
 */
export function parseCreateTime(s: string | undefined): number {
    if (!s) return NaN;
    const t = s.trim().replace(" ", "T");
    return /(Z|[+-]\d\d:?\d\d)$/.test(t) ? Date.parse(t) : Date.parse(`${t}+08:00`);
}

/**
 * Why the live instances carrying the declared name are neither taken over, nor deleted, nor restored beside: none of
 * them carries this resource's mark with the declared spec, so nothing proves this resource made it (another stack, a
 * person, or a version of this package that wrote no tag may have). Says, per instance, why it is not ours, and the
 * ways out.
 */
function notOursMessage(i: RdsRestoreInputs, found: RdsInstance[]): string {
    const name = i.instanceSpec.instanceName;
    const why = (x: RdsInstance): string => {
        const mark = markOf(x);
        if (mark === undefined) return `no ${MARK_KEY} tag`;
        if (mark !== i.restoreToken) return `tagged ${MARK_KEY}=${mark}: another resource's or stack's`;
        return `tagged for this resource, but ${specMismatch(i, x).join("; ") || "not listed as its own"}`;
    };
    const list = found
        .map((x) => `${x.instanceId} (${x.instanceStatus}, created ${x.createTime ?? "at an unknown time"}, ${why(x)})`)
        .join(", ");
    const first = found[0].instanceId;
    const head =
        `instanceSpec.instanceName: an instance named "${name}" already exists in ${i.regionId} and is not this ` +
        `resource's: ${list}. Only an instance tagged ${MARK_KEY}=${i.restoreToken} (what this resource writes at ` +
        "creation) with the declared spec is taken for its own. It is not taken over (a later `pulumi destroy` would " +
        "delete it), not deleted, and no second instance of that name is made (two instances of one name are easily " +
        "mistaken for each other). ";
    if (name === scratchName(i.restoreToken)) {
        return (
            head +
            `"${name}" is this restore drill's scratch name: if ${first} is a scratch instance left by an earlier ` +
            "version of pulumi-restore (which wrote no tag), delete it yourself (RDS console or deleteInstance) and run " +
            "`pulumi up` again; if it is someone else's, rename it or rename the drill resource."
        );
    }
    return (
        head +
        `If ${first} is the instance an interrupted \`pulumi up\` of this very resource made with an earlier version ` +
        `of pulumi-restore (which wrote no tag), set \`adoptId: "${first}"\` and run \`pulumi up\` again; otherwise ` +
        (i.autoNamed
            ? "rename or delete that instance (its name is this resource's derived name), or set instanceSpec.instanceName."
            : "choose another instanceSpec.instanceName, or leave it unset to get a name derived from this resource's restore token.")
    );
}

function prepaidError(id: string): Error {
    return new Error(
        `instance ${id} is a prepaid (prepaid_by_duration) instance, which JD Cloud does not let the API delete before it expires. ` +
            "Unsubscribe it in the JD Cloud console (Billing > Orders, or the RDS console's Unsubscribe action) and then run `pulumi refresh` to drop it from the stack; " +
            "or, to keep it and remove it from the stack now, set the `retainOnDelete: true` resource option, run `pulumi up`, then destroy.",
    );
}

/** The provider instance the dynamic-provider host uses (see `delegatingProvider`). */
export const provider = withEnvironmentCheck(new RdsRestoreProvider());
