import { CloudError } from "../core/errors";
import { RedisClient } from "./redisClient";

/**
 * The Redis API calls of `tencentcloud.redis.RestoredInstance` (API 2018-04-12): CloneInstances, DescribeInstances by
 * id and by tag, DestroyPostpaidInstance and CleanUpInstance. Field names, types and places follow the official SDK's
 * models (`redis_models.d.ts`: CloneInstancesRequest/Response, DescribeInstancesRequest/Response, InstanceSet,
 * InstanceTagInfo, ResourceTag, DestroyPostpaidInstanceRequest/Response, CleanUpInstanceRequest/Response); the
 * contract tests check them there.
 */

/** A tag as CloneInstancesRequest.ResourceTags (ResourceTag) and InstanceSet.InstanceTags (InstanceTagInfo) carry it. */
export interface CloneTag {
    TagKey: string;
    TagValue: string;
}

/** One instance as DescribeInstances lists it (InstanceSet; the fields a clone's provider reads). */
export interface CloneInstance {
    InstanceId: string;
    InstanceName?: string;
    /** 0 pending initialisation, 1 in a flow, 2 running, -2 isolated (recycle bin), -3 pending deletion. */
    Status: number;
    /** The instance's VIP (private address). */
    WanIp?: string;
    Port?: number;
    /** `YYYY-MM-DD HH:mm:ss`, Beijing time. */
    Createtime?: string;
    ZoneId?: number;
    /** 0 pay as you go (postpaid), 1 monthly subscription (prepaid). */
    BillingMode?: number;
    UniqVpcId?: string;
    UniqSubnetId?: string;
    NoAuth?: boolean;
    InstanceTags?: Array<CloneTag>;
    Region?: string;
}

/** CloneInstancesRequest, as sent (every required field of the SDK's model, and the optional ones we use). */
export interface CloneInstancesBody {
    InstanceId: string;
    GoodsNum: number;
    ZoneId: number;
    BillingMode: number;
    Period: number;
    SecurityGroupIdList: string[];
    BackupId: string;
    NoAuth?: boolean;
    VpcId?: string;
    SubnetId?: string;
    InstanceName?: string;
    Password?: string;
    VPort?: number;
    ProjectId?: number;
    ResourceTags?: CloneTag[];
    TemplateId?: string;
}

/** CloneInstancesResponse: the new instances' ids (may be absent while the order is processed) and the order. */
export interface CloneAnswer {
    InstanceIds: string[];
    DealName?: string;
    RequestId?: string;
}

/** Instance statuses (InstanceSet.Status) that mean the instance is leaving: isolated or pending deletion. */
export const LEAVING_STATUSES = [-2, -3];

/** The Redis client with the clone resource's calls. */
export class RedisCloneClient extends RedisClient {
    /** CloneInstances: not idempotent (no client token); the caller looks for an earlier attempt by tag first. */
    async cloneInstances(body: CloneInstancesBody): Promise<CloneAnswer> {
        const r = await this.call<{ InstanceIds?: unknown; DealName?: unknown; RequestId?: string }>(
            "CloneInstances",
            { ...body },
            false,
        );
        if (r.InstanceIds !== undefined && r.InstanceIds !== null && !Array.isArray(r.InstanceIds))
            throw this.malformed("CloneInstances", "InstanceIds is not a list", r.RequestId);
        const ids = ((r.InstanceIds ?? []) as unknown[]).filter((x): x is string => typeof x === "string" && !!x);
        return {
            InstanceIds: ids,
            DealName: typeof r.DealName === "string" ? r.DealName : undefined,
            RequestId: r.RequestId,
        };
    }

    /** One instance by id with every field the clone resource reads, or undefined when it does not exist. */
    async cloneInstance(instanceId: string): Promise<CloneInstance | undefined> {
        try {
            const list = await this.instancesPage({ InstanceId: instanceId, Limit: 20, Offset: 0 });
            return list.instances.find((i) => i.InstanceId === instanceId);
        } catch (e) {
            if (
                e instanceof CloudError &&
                (e.code === "ResourceNotFound.InstanceNotExists" || e.code === "ResourceNotFound")
            )
                return undefined;
            throw e;
        }
    }

    /**
     * Every instance carrying the tag (DescribeInstances' InstanceTags filter, all pages). The caller checks the tag
     * again on each answer: the server's filter is a convenience, ownership must not depend on it.
     */
    async instancesTagged(tag: CloneTag): Promise<CloneInstance[]> {
        const out: CloneInstance[] = [];
        for (let offset = 0; offset < 10_000; offset += 100) {
            const page = await this.instancesPage({ InstanceTags: [tag], Limit: 100, Offset: offset });
            out.push(...page.instances);
            if (page.count < 100 || offset + page.count >= (page.total ?? 0)) break;
        }
        return out;
    }

    /** DestroyPostpaidInstance: isolates a pay-as-you-go instance (it goes to the recycle bin); answers a TaskId. */
    async destroyPostpaidInstance(instanceId: string): Promise<{ TaskId?: number }> {
        const r = await this.call<{ TaskId?: unknown }>("DestroyPostpaidInstance", { InstanceId: instanceId }, false);
        return { TaskId: typeof r.TaskId === "number" ? r.TaskId : undefined };
    }

    /** CleanUpInstance: takes an isolated instance out of the recycle bin at once (released for good). */
    async cleanUpInstance(instanceId: string): Promise<{ TaskId?: number }> {
        const r = await this.call<{ TaskId?: unknown }>("CleanUpInstance", { InstanceId: instanceId }, false);
        return { TaskId: typeof r.TaskId === "number" ? r.TaskId : undefined };
    }

    private async instancesPage(
        body: Record<string, unknown>,
    ): Promise<{ instances: CloneInstance[]; count: number; total?: number }> {
        const r = await this.call<{ TotalCount?: number; InstanceSet?: unknown; RequestId?: string }>(
            "DescribeInstances",
            body,
            true,
        );
        if (r.InstanceSet !== undefined && r.InstanceSet !== null && !Array.isArray(r.InstanceSet))
            throw this.malformed("DescribeInstances", "InstanceSet is not a list", r.RequestId);
        const set = (r.InstanceSet ?? []) as CloneInstance[];
        const instances = set
            .filter((i) => i && typeof i.InstanceId === "string")
            .map((i) => ({ ...i, Status: Number(i.Status) }));
        return { instances, count: set.length, total: typeof r.TotalCount === "number" ? r.TotalCount : undefined };
    }
}

/** The mark's tag key: the same key every pulumi-restore resource writes. */
export const MARK_KEY = "pulumi-restore-token";

/** The tag that marks an instance as made for `restoreToken` (CloneInstances' ResourceTags). */
export function restoreMark(restoreToken: string): CloneTag {
    return { TagKey: MARK_KEY, TagValue: restoreToken };
}

/** Whether an instance carries the mark of `restoreToken`, checked on its own InstanceTags. */
export function hasMark(x: CloneInstance, restoreToken: string): boolean {
    return (x.InstanceTags ?? []).some((t) => t && t.TagKey === MARK_KEY && t.TagValue === restoreToken);
}
