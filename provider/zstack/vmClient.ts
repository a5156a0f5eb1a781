import { CloudError } from "../core/errors";
import { TimeLimit } from "../core/poller";
import { ZStackApi } from "./api";

/** A NIC of a VM as ZStack reports it (the fields we use). */
export interface VmNic {
    uuid?: string;
    l3NetworkUuid?: string;
    ip?: string;
    mac?: string;
    deviceId?: number;
}

/** A volume of a VM as ZStack reports it (the fields we use). */
export interface VmVolume {
    uuid: string;
    type?: string;
    size?: number;
    primaryStorageUuid?: string;
}

/** VmInstanceInventory (the fields we use). */
export interface VmInstance {
    uuid: string;
    name?: string;
    description?: string;
    state: string;
    type?: string;
    zoneUuid?: string;
    clusterUuid?: string;
    hostUuid?: string;
    instanceOfferingUuid?: string;
    defaultL3NetworkUuid?: string;
    cpuNum?: number;
    memorySize?: number;
    createDate?: string;
    vmNics?: VmNic[];
    allVolumes?: VmVolume[];
}

/** The CreateVmFromVmBackup body's `params` (field names as on the vendor page). */
export interface CreateVmFromVmBackupParams {
    name: string;
    instanceOfferingUuid?: string;
    backupStorageUuid?: string;
    /** A decimal number as text: ZStack's API catalog types it string. */
    cpuNum?: string;
    memorySize?: number;
    l3NetworkUuids?: string[];
    vmNicParams?: string;
    type?: string;
    zoneUuid?: string;
    clusterUuid?: string;
    hostUuid?: string;
    primaryStorageUuidForRootVolume?: string;
    primaryStorageUuidForDataVolume?: string;
    description?: string;
    rootVolumeSystemTags?: string[];
    dataVolumeSystemTags?: string[];
    defaultL3NetworkUuid?: string;
    resourceUuid: string;
    tagUuids?: string[];
    strategy?: string;
}

/** Options of one asynchronous VM call. */
export interface JobContext {
    deadline: number;
    /** The operation's limit the deadline comes from, for time-out messages. */
    limit?: TimeLimit;
    report: (line: string) => void;
}

/** A create's context: also how long to look for the VM of a submission whose fate is unknown (ms). */
export interface CreateContext extends JobContext {
    settleMs: number;
}

/**
 * True when an error says the VM does not exist (any more). Identity errors (`ID.*`: a deleted AccessKey reads
 * "AccessKey ... does not exist", an ended session "the session ... does not exist") say nothing about the VM: taking
 * them for "gone" would drop a running VM from state on refresh, or call destroy done while it still runs.
 */
export function isVmGone(e: unknown): boolean {
    return (
        e instanceof CloudError &&
        e.code !== "JobNotFound" &&
        !e.code.startsWith("ID.") &&
        /not (be )?found|cannot find|unable to find|does not exist|no such/i.test(e.vendorMessage)
    );
}

/** The VM calls this package makes: CreateVmFromVmBackup, query by uuid, destroy, expunge. */
/** One volume backup as QueryVolumeBackup returns it (VolumeBackupInventory; the fields used). */
export interface VolumeBackup {
    uuid: string;
    volumeUuid?: string;
    name?: string;
    /** The volume's type: Root or Data. */
    type?: string;
    state?: string;
    /** Ready when complete (others seen: Creating, Downloading, ...). */
    status?: string;
    /** The VM backup group it belongs to: the uuid CreateVmFromVmBackup takes. */
    groupUuid?: string;
    /** Full or Incremental. */
    mode?: string;
    vmInstanceUuid?: string;
    createDate?: string;
}

/** A page of QueryVolumeBackup (`limit` per page, `start` offset). */
const BACKUP_PAGE = 500;
const MAX_BACKUP_PAGES = 40;

export class ZStackVmClient {
    constructor(readonly api: ZStackApi) {}

    /**
     * CreateVmFromVmBackup with a caller-chosen `resourceUuid`, the VM marked with `tags.mark` (a user tag, see
     * `vmMark.ts`) besides the user's own tags. When a submission's fate is unknown the VM is looked up by that uuid
     * and that mark for `settleMs` (a VM with the uuid but without the mark is not ours: it is not taken); nothing is
     * submitted again (the next `pulumi up` looks again), so at most one VM is ever created for it.
     */
    async createVmFromVmBackup(
        groupUuid: string,
        params: CreateVmFromVmBackupParams,
        tags: { systemTags?: string[]; userTags?: string[]; mark: string },
        ctx: CreateContext,
    ): Promise<VmInstance> {
        const body: Record<string, unknown> = { params };
        if (tags.systemTags && tags.systemTags.length > 0) body.systemTags = tags.systemTags;
        body.userTags = [...(tags.userTags ?? []), tags.mark];
        return this.api.job<VmInstance>({
            action: "CreateVmFromVmBackup",
            method: "POST",
            path: `/v1/vm-instances/from/vm-backups/${groupUuid}`,
            body,
            what: `VM ${params.resourceUuid} to be created from backup group ${groupUuid}`,
            deadline: ctx.deadline,
            limit: ctx.limit,
            report: ctx.report,
            recover: async () => this.markedVm(params.resourceUuid, tags.mark),
            once: {
                settleMs: ctx.settleMs,
                notFound: `no VM ${params.resourceUuid}`,
                duplicate:
                    "create the VM again after it was removed (a late first submission would then make a VM no state knows)",
                check: `In a few minutes, check whether VM ${params.resourceUuid} appears (QueryVmInstance with that uuid, or the UI).`,
                lookup: `VM ${params.resourceUuid} marked with the user tag ${tags.mark} (its uuid is derived from this resource's restore token)`,
            },
            result: (b) => inventory(b, "CreateVmFromVmBackup"),
        });
    }

    /**
     * Several VMs in one QueryVmInstance, with ZStack's "in" condition (`q=uuid?=a,b,...`). A uuid missing from the
     * answer is not proof that its VM is gone: ask {@link getVm} before concluding that.
     */
    async getVms(uuids: string[]): Promise<VmInstance[]> {
        const q = encodeURIComponent(`uuid?=${uuids.join(",")}`);
        const j = await this.api.sync<{ inventories?: VmInstance[] }>(
            "QueryVmInstance",
            "GET",
            `/v1/vm-instances?q=${q}`,
        );
        if (!j || (j.inventories !== undefined && !Array.isArray(j.inventories))) {
            throw new CloudError({
                cloud: "zstack",
                action: "QueryVmInstance",
                code: "MalformedResponse",
                message: "inventories is not a list",
                retryable: true,
            });
        }
        const wanted = new Set(uuids);
        return (j.inventories ?? []).filter((v) => v && wanted.has(v.uuid));
    }

    /**
     * QueryVolumeBackup with one condition (`vmInstanceUuid=...` or `groupUuid=...`), every page (`limit`/`start`),
     * until a page comes back short. `replyWithCount` is not sent: ZStack's API catalog types it integer while calling
     * it a flag, and the REST examples send `true`; a total is only an early stop, so the ambiguity is avoided.
     */
    async queryVolumeBackups(condition: string): Promise<VolumeBackup[]> {
        const out: VolumeBackup[] = [];
        for (let page = 0; page < MAX_BACKUP_PAGES; page++) {
            const qs = `q=${encodeURIComponent(condition)}&limit=${BACKUP_PAGE}&start=${page * BACKUP_PAGE}`;
            const j = await this.api.sync<{ inventories?: VolumeBackup[]; total?: number }>(
                "QueryVolumeBackup",
                "GET",
                `/v1/volume-backups?${qs}`,
            );
            if (!j || (j.inventories !== undefined && !Array.isArray(j.inventories))) {
                throw new CloudError({
                    cloud: "zstack",
                    action: "QueryVolumeBackup",
                    code: "MalformedResponse",
                    message: "inventories is not a list",
                    retryable: true,
                });
            }
            const list = j.inventories ?? [];
            out.push(...list);
            if (list.length < BACKUP_PAGE || (typeof j.total === "number" && out.length >= j.total)) break;
        }
        return out;
    }

    /** The VM with this uuid, or undefined when it does not exist. */
    async getVm(uuid: string): Promise<VmInstance | undefined> {
        let j: { inventories?: VmInstance[] };
        try {
            j = await this.api.sync<{ inventories?: VmInstance[] }>(
                "QueryVmInstance",
                "GET",
                `/v1/vm-instances/${uuid}`,
            );
        } catch (e) {
            if (isVmGone(e)) return undefined;
            throw e;
        }
        if (!j || (j.inventories !== undefined && !Array.isArray(j.inventories))) {
            throw new CloudError({
                cloud: "zstack",
                action: "QueryVmInstance",
                code: "MalformedResponse",
                message: "inventories is not a list",
                retryable: true,
            });
        }
        return (j.inventories ?? []).find((v) => v.uuid === uuid);
    }

    /**
     * The VMs that carry the user tag `mark` (QueryVmInstance with `q=__userTag__=...`), destroyed ones included: what
     * this package made for one restore token, whatever their names. Nothing else is ever found by it.
     */
    async vmsMarked(mark: string): Promise<VmInstance[]> {
        const path = `/v1/vm-instances?q=${encodeURIComponent(`__userTag__=${mark}`)}`;
        const j = await this.api.sync<{ inventories?: VmInstance[] }>("QueryVmInstance", "GET", path);
        if (!j || (j.inventories !== undefined && !Array.isArray(j.inventories))) {
            const message = "inventories is not a list";
            throw new CloudError({
                cloud: "zstack",
                action: "QueryVmInstance",
                code: "MalformedResponse",
                message,
                retryable: true,
            });
        }
        return (j.inventories ?? []).filter((v) => v && typeof v.uuid === "string");
    }

    /** The VM with this uuid if it carries the user tag `mark`; undefined when it does not exist or is not marked. */
    async markedVm(uuid: string, mark: string): Promise<VmInstance | undefined> {
        return (await this.vmsMarked(mark)).find((v) => v.uuid === uuid);
    }

    /** DestroyVmInstance; a VM already gone counts as destroyed. */
    async destroyVm(uuid: string, ctx: JobContext): Promise<void> {
        try {
            await this.api.job<unknown>({
                action: "DestroyVmInstance",
                method: "DELETE",
                path: `/v1/vm-instances/${uuid}?deleteMode=Permissive`,
                what: `VM ${uuid} to be destroyed`,
                deadline: ctx.deadline,
                limit: ctx.limit,
                report: ctx.report,
                recover: async () => {
                    const v = await this.getVm(uuid);
                    return !v || v.state === "Destroyed" || v.state === "Expunging" ? true : undefined;
                },
                result: () => true,
            });
        } catch (e) {
            if (!isVmGone(e)) throw e;
        }
    }

    /** ExpungeVmInstance; a VM already gone counts as expunged. */
    async expungeVm(uuid: string, ctx: JobContext): Promise<void> {
        try {
            await this.api.job<unknown>({
                action: "ExpungeVmInstance",
                method: "PUT",
                path: `/v1/vm-instances/${uuid}/actions`,
                body: { expungeVmInstance: {} },
                what: `VM ${uuid} to be expunged`,
                deadline: ctx.deadline,
                limit: ctx.limit,
                report: ctx.report,
                recover: async () => ((await this.getVm(uuid)) ? undefined : true),
                result: () => true,
            });
        } catch (e) {
            if (!isVmGone(e)) throw e;
        }
    }
}

function inventory(body: unknown, action: string): VmInstance {
    const inv = (body as { inventory?: VmInstance } | undefined)?.inventory;
    if (!inv || typeof inv.uuid !== "string")
        throw new CloudError({
            cloud: "zstack",
            action,
            code: "MalformedResponse",
            message: "the job result has no inventory.uuid",
            retryable: false,
        });
    return inv;
}
