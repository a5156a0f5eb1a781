import { RESTORE_TOKEN_PROP, omitProps, propTable } from "../core/props";
import { DRILL_PROPS } from "../core/drillProps";
import { REDIS_SELECTOR } from "./redisBackups";
import { BACKUP_ID, INSTANCE_ID, REDIS_SELECTOR_FIELDS, REGION } from "./redisProps";

/** Billing modes (CloneInstancesRequest.BillingMode: 0 pay as you go, 1 monthly subscription). */
export const BILLING_MODES = ["postpaid", "prepaid"] as const;
/** VPort's range (CloneInstancesRequest.VPort: default 6379, [1024, 65535]). */
export const PORT_RANGE = { min: 1024, max: 65535 } as const;

/** CloneInstancesRequest.InstanceName: under 60 Chinese or English letters, digits, '-' and '_'. */
const NAME = /^[A-Za-z0-9\u4e00-\u9fa5_-]{1,59}$/;
/** Security group ids, e.g. `sg-5fgt7a1b`. */
const SECURITY_GROUP = /^sg-[a-z0-9]{8}$/;
const VPC = /^vpc-[a-z0-9]{8}$/;
const SUBNET = /^subnet-[a-z0-9]{8}$/;

/** The fields of `timeouts`. */
export const CLONE_TIMEOUT_FIELDS = propTable({
    /** Clone until running. Default "90m". */
    create: { type: { kind: "string" } },
    /** Resuming the wait after an interrupted create. Default "90m". */
    update: { type: { kind: "string" } },
    /** Release until gone. Default "30m". */
    delete: { type: { kind: "string" } },
});

/**
 * The properties of `tencentcloud.redis.RestoredInstance`. Field names follow the vendor's CloneInstances (API
 * 2018-04-12; https://cloud.tencent.com/document/product/239/102946), in this package's casing; rules follow the SDK's
 * CloneInstancesRequest model. The password is only sent at creation: every other input replaces.
 */
export const CLONE_PROPS = propTable({
    /** The restore token (project, stack and resource name), set by the resource class and tagged on the clone. */
    restoreToken: RESTORE_TOKEN_PROP,
    /** The instance whose backup is cloned, e.g. `crs-5a4py64p` (CloneInstances' InstanceId). It is not touched. Required. */
    sourceInstanceId: {
        type: {
            kind: "string",
            pattern: INSTANCE_ID,
            format: 'the Redis instance whose backup is cloned, such as "crs-5a4py64p"',
        },
        required: true,
        replaces: true,
    },
    /** One of the source instance's backups (DescribeInstanceBackups). Set this or `backupSelector`. Changing it clones again (replace). */
    backupId: {
        type: {
            kind: "string",
            maxLength: 128,
            pattern: BACKUP_ID,
            format: 'a backup id of the source instance, such as "678362566696298532848117" (DescribeInstanceBackups)',
        },
        replaces: true,
    },
    /**
     * Instead of `backupId`: the source's latest normal backup (held by another flow counts: it is waited for), chosen
     * at create (output `selectedBackupId`). A newer backup later changes nothing; change `triggers` to clone again
     * from the newest. `instanceId` may be left out.
     */
    backupSelector: {
        type: {
            kind: "selector",
            spec: REDIS_SELECTOR,
            name: "BackupSelector",
            doc: '"The latest normal backup of the instance", resolved once at create.',
            fields: REDIS_SELECTOR_FIELDS,
        },
        replaces: true,
    },
    /** Any change of these values clones again into a new instance (replace), e.g. `{ drill: "2026-12" }`. */
    triggers: { type: { kind: "triggers" }, replaces: true },
    /** Region, e.g. `ap-guangzhou`. Default: `tencentcloud:region`, then TENCENTCLOUD_REGION, then `ap-guangzhou`. */
    region: {
        type: {
            kind: "string",
            maxLength: 32,
            pattern: REGION,
            format: 'a region id such as "ap-guangzhou" or "ap-shanghai-fsi"',
        },
        defaultText: "`tencentcloud:region`, then `TENCENTCLOUD_REGION`, then `ap-guangzhou`",
        replaces: true,
    },
    /** Zone of the new instance, e.g. `100003` (ap-guangzhou-3). Required. */
    zoneId: { type: { kind: "integer", min: 1, max: 999_999 }, required: true, replaces: true },
    /** `postpaid` (pay as you go, the default: destroy releases it) or `prepaid` (monthly subscription: destroy refuses). */
    billingMode: { type: { kind: "enum", values: BILLING_MODES }, default: "postpaid", replaces: true },
    /** prepaid only, required there: months, one of 1-12, 24, 36, 48, 60. */
    period: { type: { kind: "integer", min: 1, max: 60, unit: "months" }, replaces: true },
    /** Security groups of the new instance, e.g. `["sg-5fgt7a1b"]` (at least one). Required. */
    securityGroupIds: {
        type: {
            kind: "list",
            items: { kind: "string", pattern: SECURITY_GROUP, format: 'a security group id such as "sg-5fgt7a1b"' },
            minItems: 1,
            maxItems: 10,
        },
        required: true,
        replaces: true,
    },
    /** VPC of the new instance, e.g. `vpc-mjwornzj` (with `subnetId`); default the basic network. */
    vpcId: { type: { kind: "string", pattern: VPC, format: 'a VPC id such as "vpc-mjwornzj"' }, replaces: true },
    /** Subnet in that VPC, e.g. `subnet-3lzrkspo`. */
    subnetId: {
        type: { kind: "string", pattern: SUBNET, format: 'a subnet id such as "subnet-3lzrkspo"' },
        replaces: true,
    },
    /**
     * Name of the new instance: under 60 letters, digits, Chinese characters, '-' or '_'. Default: derived from the
     * restore token and the intent (`prt-...`).
     */
    instanceName: {
        type: { kind: "string", pattern: NAME, format: "under 60 letters, digits, Chinese characters, '-' or '_'" },
        defaultText: "derived from the restore token and the intent",
        replaces: true,
    },
    /**
     * Password of the new instance: 8 to 30 characters mixing at least two of lower-case, upper-case, digits and
     * symbols, not starting with "/". Required unless `noAuth`. Secret in state. Only sent at creation.
     */
    password: { type: { kind: "string", maxLength: 64, format: "8 to 30 characters" }, secret: true },
    /** A password-free instance (no `password`). Default false. */
    noAuth: { type: { kind: "boolean" }, defaultText: "false", replaces: true },
    /** Port, 1024 to 65535 (default 6379). */
    port: { type: { kind: "integer", ...PORT_RANGE }, defaultText: "6379", replaces: true },
    /** Project id (default 0, the default project). */
    projectId: { type: { kind: "integer", min: 0, max: 2_000_000_000 }, defaultText: "0", replaces: true },
    /** Parameter template id, e.g. `crs-cfg-7d2nbjmk`; default: the version's default template. */
    templateId: {
        type: {
            kind: "string",
            pattern: /^crs-cfg-[a-z0-9]{8}$/,
            format: 'a parameter template id such as "crs-cfg-7d2nbjmk" (DescribeParamTemplates)',
        },
        replaces: true,
    },
    /** Time-outs; defaults create "90m", update "90m", delete "30m". */
    timeouts: {
        type: {
            kind: "timeouts",
            name: "RestoredInstanceTimeouts",
            doc:
                'Per-operation time-outs, as durations such as "90m" or "2h" (the dynamic-provider host ignores ' +
                "`customTimeouts`).",
            fields: CLONE_TIMEOUT_FIELDS,
        },
        defaultText: 'create "90m", update "90m", delete "30m"',
    },
    /**
     * Take over an existing instance instead of cloning (dynamic resources cannot be `pulumi import`ed). Create checks
     * that it exists and matches the zone and billing mode, and never calls CloneInstances. Destroy then releases it.
     */
    adoptId: {
        type: {
            kind: "string",
            pattern: INSTANCE_ID,
            format: 'an existing Redis instance id such as "crs-5a4py64p" to take over',
        },
    },
});

/**
 * The properties of `tencentcloud.redis.RestoreDrill`: the clone arguments (checked by the same checker; billing must
 * be postpaid; the instance name and `adoptId` are set by the drill), plus the drills' own. `password` is the scratch
 * instance's, handed to the verify command as DRILL_PASSWORD.
 */
export const CLONE_DRILL_PROPS = propTable({
    ...omitProps(CLONE_PROPS, ["adoptId", "instanceName"]),
    ...DRILL_PROPS,
});
