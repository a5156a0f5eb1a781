/**
 * `pulumi import` of `jdcloud.rds.RestoredInstance`: an existing instance recorded as adopted (as `adoptId` adopts
 * it), with the spec describeInstanceAttributes reports. No RDS API says which backup an instance was created from;
 * the import id may add it, and it is recorded: `<instanceId>[:<backupId>]` (the region is the configured one).
 * An instance tagged by another pulumi-restore resource (its restore token) belongs to that resource's stack and is
 * refused.
 */
import { snapshotConfig } from "../core/config";
import { clean } from "../core/validate";
import { JDCLOUD_CONFIG_KEYS, JDCLOUD_SECRET_KEYS, jdcloudRegion } from "./credentials";
import { Engine, ENGINES, ONLY_FOR } from "./rdsInputs";
import { MARK_KEY, markOf } from "./rdsMark";
import { RdsRestoreProvider } from "./rdsProvider";
import type { Importer } from "../core/importer";
import { importedInputs } from "../core/importer";
import { parseImportId } from "../core/importId";
import { hostEnv } from "../core/environment";

/** Instance statuses that mean gone (as the provider's refresh takes them). */
const GONE = new Set(["DELETING", "DELETED"]);

/** Reads an existing RDS instance (`<instanceId>[:<backupId>]`). */
export const importer: Importer = async (id, ctx) => {
    const parts = parseImportId(id, [
        {
            name: "instanceId",
            pattern: /^[a-z]+-[a-z0-9]{4,40}$/,
            format: 'an RDS instance id such as "mysql-k2x7ab9q0w"',
        },
        {
            name: "backupId",
            pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{2,127}$/,
            format: "the id of the backup it was created from (letters, digits, '-', '_' and '.', 3 to 128 characters)",
            optional: true,
        },
    ]);
    const instanceId = parts.instanceId as string;
    const backupId = parts.backupId;
    const region = jdcloudRegion(
        snapshotConfig(ctx.config, JDCLOUD_CONFIG_KEYS, JDCLOUD_SECRET_KEYS),
        undefined,
        hostEnv(),
    );
    if (!region)
        throw new Error(
            "no region to look the instance up in: `pulumi config set --path pulumi-restore:jdcloud.region cn-north-1` (or JDCLOUD_REGION)",
        );
    const p = new RdsRestoreProvider();
    await p.configure({ config: ctx.config });
    const inst = await p.client().describeInstance(region, instanceId);
    if (!inst || GONE.has(inst.instanceStatus)) return undefined;
    const mark = markOf(inst);
    if (mark !== undefined && mark !== ctx.restoreToken)
        throw new Error(
            `instance ${instanceId} is tagged ${MARK_KEY}=${mark}: another pulumi-restore resource made it, and its stack holds it. Import it into that stack, or remove the tag if that resource is gone`,
        );
    const engine = ENGINES.find((e) => e === inst.engine) as Engine | undefined;
    const allows = (field: string) => engine !== undefined && ONLY_FOR[field].includes(engine);
    const port = inst.instancePort === undefined || inst.instancePort === null ? undefined : Number(inst.instancePort);
    const given = clean({
        adoptId: instanceId,
        regionId: region,
        backupId,
        engine: inst.engine,
        instanceSpec: clean({
            instanceName: inst.instanceName,
            instanceClass: inst.instanceClass,
            instanceStorageGB: inst.instanceStorageGB === undefined ? undefined : Number(inst.instanceStorageGB),
            azId: inst.azId,
            vpcId: inst.vpcId,
            subnetId: inst.subnetId,
            chargeSpec: { chargeMode: inst.charge?.chargeMode || "postpaid_by_duration" },
            instanceStorageType: allows("instanceStorageType") ? inst.instanceStorageType || undefined : undefined,
            instancePort: allows("instancePort") && port !== undefined && Number.isFinite(port) ? port : undefined,
            instanceType: allows("instanceType") ? inst.instanceType || undefined : undefined,
        }),
    });
    const inputs = await importedInputs(p, "instance", instanceId, given, ctx.restoreToken);
    const read = await p.read(instanceId, {
        ...inputs.checked,
        instanceId,
        instanceStatus: inst.instanceStatus,
        adopted: true,
        selectedBackupId: backupId,
    });
    if (!read.id) return undefined;
    return { id: instanceId, outs: read.props as Record<string, unknown>, inputs: inputs.given };
};
