/**
 * `pulumi import` of `tencentcloud.redis.RestoredInstance`: an existing Redis instance recorded as adopted (as
 * `adoptId` adopts it), with what DescribeInstances reports (name, zone, billing mode, network, port, password-free).
 * DescribeInstances does not say which instance or backup an instance was cloned from, nor its security groups
 * (InstanceSet has no such fields), and the resource's inputs need them: the import id carries them,
 * `<instanceId>:<sourceInstanceId>:<securityGroupId>[,<securityGroupId>...][:<backupId>]`. A backup given is checked
 * to be one of the source's (DescribeInstanceBackups) and recorded. An instance tagged by another pulumi-restore
 * resource (its restore token) belongs to that resource's stack and is refused.
 */
import { snapshotConfig } from "../core/config";
import { clean } from "../core/validate";
import { hostEnv } from "../core/environment";
import { TENCENT_CONFIG_KEYS, TENCENT_SECRET_KEYS, tencentRegion } from "./credentials";
import { LEAVING_STATUSES, MARK_KEY } from "./cloneClient";
import { CloneProvider } from "./cloneProvider";
import { parseBeijingTime } from "./redisClient";
import { BACKUP_ID, INSTANCE_ID } from "./redisInputs";
import type { Importer } from "../core/importer";
import { importedInputs } from "../core/importer";
import { ImportIdError, parseImportId } from "../core/importId";

/** One to ten security group ids, comma-separated (CloneInstances' SecurityGroupIdList). */
const SECURITY_GROUPS = /^sg-[a-z0-9]{8}(,sg-[a-z0-9]{8}){0,9}$/;
/** The port CloneInstances gives a clone when VPort is not set: left out of the imported inputs. */
const DEFAULT_PORT = 6379;

/** Reads an existing Redis instance (`<instanceId>:<sourceInstanceId>:<securityGroupIds>[:<backupId>]`). */
export const importer: Importer = async (id, ctx) => {
    const parts = parseImportId(id, [
        { name: "instanceId", pattern: INSTANCE_ID, format: 'a Redis instance id such as "crs-5a4py64p"' },
        {
            name: "sourceInstanceId",
            pattern: INSTANCE_ID,
            format: 'the id of the Redis instance it was cloned from, such as "crs-0b1c2d3e"',
        },
        {
            name: "securityGroupIds",
            pattern: SECURITY_GROUPS,
            format: 'its security group ids, comma-separated, such as "sg-5fgt7a1b" or "sg-5fgt7a1b,sg-0a1b2c3d"',
        },
        {
            name: "backupId",
            pattern: BACKUP_ID,
            format: 'the id of the source\'s backup it was cloned from, such as "678362566696298532848117"',
            optional: true,
        },
    ]);
    const instanceId = parts.instanceId as string;
    const sourceInstanceId = parts.sourceInstanceId as string;
    const securityGroupIds = (parts.securityGroupIds as string).split(",");
    const backupId = parts.backupId;
    if (sourceInstanceId === instanceId)
        throw new ImportIdError("names the instance twice: the second part is the instance it was cloned from");
    if (new Set(securityGroupIds).size !== securityGroupIds.length)
        throw new ImportIdError("lists a security group twice");
    const region = tencentRegion(
        snapshotConfig(ctx.config, TENCENT_CONFIG_KEYS, TENCENT_SECRET_KEYS),
        undefined,
        hostEnv(),
    );
    const p = new CloneProvider();
    await p.configure({ config: ctx.config });
    const client = p.client(region);
    const inst = await client.cloneInstance(instanceId);
    if (!inst || LEAVING_STATUSES.includes(inst.Status)) return undefined;
    const mark = (inst.InstanceTags ?? []).find((t) => t && t.TagKey === MARK_KEY)?.TagValue;
    if (mark !== undefined && mark !== ctx.restoreToken)
        throw new Error(
            `instance ${instanceId} is tagged ${MARK_KEY}=${mark}: another pulumi-restore resource made it, and its stack holds it. Import it into that stack, or remove the tag if that resource is gone`,
        );
    if (inst.BillingMode === 1)
        throw new Error(
            `instance ${instanceId} is prepaid (a monthly subscription): DescribeInstances does not report the subscription's period, which a prepaid RestoredInstance declares; declare it with adoptId, billingMode "prepaid" and its period instead of importing it`,
        );
    let backupTime: string | undefined;
    if (backupId) {
        // Recorded, it is what a later replacement clones: it must be a backup of the source.
        const b = await client.findBackup(sourceInstanceId, backupId);
        if (!b)
            throw new Error(
                `backup ${backupId} is not among the backups of instance ${sourceInstanceId} (DescribeInstanceBackups): give the id of the source's backup ${instanceId} was cloned from, or leave it out`,
            );
        const end = parseBeijingTime(b.EndTime);
        backupTime = end === undefined ? undefined : new Date(end).toISOString();
    }
    const given = clean({
        adoptId: instanceId,
        sourceInstanceId,
        backupId,
        zoneId: inst.ZoneId,
        billingMode: inst.BillingMode === 0 ? "postpaid" : undefined,
        securityGroupIds,
        vpcId: inst.UniqVpcId || undefined,
        subnetId: inst.UniqSubnetId || undefined,
        instanceName: inst.InstanceName || undefined,
        noAuth: inst.NoAuth === true ? true : undefined,
        port: inst.Port !== undefined && inst.Port !== DEFAULT_PORT ? inst.Port : undefined,
    });
    const inputs = await importedInputs(p, "instance", instanceId, given, ctx.restoreToken);
    const read = await p.read(instanceId, {
        ...inputs.checked,
        instanceId,
        instanceStatus: "",
        adopted: true,
        selectedBackupId: backupId,
        selectedBackupTime: backupTime,
    });
    if (!read.id) return undefined;
    return { id: instanceId, outs: read.props as Record<string, unknown>, inputs: inputs.given };
};
