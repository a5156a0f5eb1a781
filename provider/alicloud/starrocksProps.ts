import { RESTORE_TOKEN_PROP, omitProps, propTable } from "../core/props";
import { DRILL_PROPS } from "../core/drillProps";
import { STARROCKS_SELECTOR } from "./starrocksBackups";

/** Regions where EMR Serverless StarRocks is offered (apis/alicloud-starrocks.md). Others are accepted with a pattern check. */
export const STARROCKS_REGIONS = [
    "ap-southeast-1",
    "ap-southeast-5",
    "cn-beijing",
    "cn-hangzhou",
    "cn-hongkong",
    "cn-qingdao",
    "cn-shanghai",
    "cn-shenzhen",
    "cn-wulanchabu",
    "cn-zhangjiakou",
    "us-west-1",
    "us-east-1",
    "eu-central-1",
] as const;

/** An id with a prefix: `vpc-bp1fll2mci6d7pw8m`. */
export const ID = (prefix: string) => new RegExp(`^${prefix}-[A-Za-z0-9*]{4,64}$`);
/**
 * Printable text: no control characters (C0 and C1), no invisible formatting or bidirectional-override characters
 * (which make a name display differently from what it is), no line separators and no unpaired surrogates.
 */
export const NO_CONTROL = /^[^\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]+$/u;
export const PRINTABLE = "printable characters (no control, invisible formatting or bidirectional characters)";

/** The fields of a VSwitch entry. */
export const VSWITCH_FIELDS = propTable({
    /** Zone of the VSwitch, e.g. `cn-hangzhou-i`. */
    zoneId: {
        type: { kind: "string", pattern: /^[a-z]{2}-[a-z0-9-]{2,40}$/, format: 'a zone id such as "cn-hangzhou-i"' },
        required: true,
    },
    /** VSwitch id, e.g. `vsw-bp19mlh98tm9teyyd`. */
    vswId: {
        type: { kind: "string", pattern: ID("vsw"), format: 'a VSwitch id such as "vsw-bp19mlh98tm9teyyd"' },
        required: true,
    },
});

/** The fields of `backupSelector` (checked by the shared selector check with {@link STARROCKS_SELECTOR}). */
export const SELECTOR_FIELDS = propTable({
    /** The instance whose backups are searched (DescribeBackups), e.g. `c-b25e21e243889abc`. */
    instanceId: { type: { kind: "string" }, required: true },
    /** Only quick (`"0"`) or only consistent (`"1"`) backups: DescribeBackups' `BackupType` values. */
    backupType: { type: { kind: "enum", values: ["0", "1"] } },
    /** Only backups taken at or after this time (ISO 8601 with a zone, e.g. `2026-11-23T00:00:00Z`). */
    after: { type: { kind: "string" } },
    /** Only backups taken at or before this time (ISO 8601 with a zone). */
    before: { type: { kind: "string" } },
    /** Refuse (fail before anything is created) when the latest complete backup is older than this, e.g. "24h". */
    maxAge: { type: { kind: "string" } },
});

/** The fields of `timeouts`. */
export const TIMEOUT_FIELDS = propTable({
    /** Restore until `running`. Default "2h". */
    create: { type: { kind: "string" } },
    /** Resuming a wait after an interrupted create. Default "2h". */
    update: { type: { kind: "string" } },
    /** Release until gone. Default "1h". */
    delete: { type: { kind: "string" } },
});

/**
 * The properties of `alicloud.starrocks.RestoredInstance`. Field names follow the vendor page
 * (https://www.alibabacloud.com/help/en/emr/emr-serverless-starrocks/developer-reference/api-starrocks-2022-10-19-restoreinstance).
 */
export const RESTORED_INSTANCE_PROPS = propTable({
    /** The restore token (project, stack and resource name), set by the resource class and tagged on the instance. */
    restoreToken: RESTORE_TOKEN_PROP,
    /**
     * Backup task to restore, e.g. `bk-adskj23hd9s`. Required unless `adoptId` is set. Changing it restores into a new
     * instance (replace).
     */
    backupTaskId: {
        type: {
            kind: "string",
            pattern: /^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$/,
            format: "a backup task id such as \"bk-adskj23hd9s\" (letters, digits, '-' and '_', 3 to 64 characters)",
        },
        replaces: true,
    },
    /**
     * Instead of `backupTaskId`: restore the latest complete backup of an instance (set exactly one of the two). Chosen
     * at create; the choice is the output `selectedBackupId`. Changing the selector restores into a new instance.
     */
    backupSelector: {
        type: {
            kind: "selector",
            spec: STARROCKS_SELECTOR,
            name: "BackupSelector",
            doc:
                '"The latest complete backup of this instance": resolved once, when the resource is created. A newer ' +
                "backup later\nchanges nothing; change `triggers` to restore again from the then-latest one.",
            fields: SELECTOR_FIELDS,
        },
        replaces: true,
    },
    /**
     * Any change of these values restores again into a new instance (replace), from the then-latest backup when
     * `backupSelector` is used: `{ week: "2026-11-23" }` refreshes weekly. Strings, numbers and booleans.
     */
    triggers: { type: { kind: "triggers" }, replaces: true },
    /** Name of the new instance (1 to 64 characters). */
    instanceName: {
        type: { kind: "string", minLength: 1, maxLength: 64, pattern: NO_CONTROL, format: `1 to 64 ${PRINTABLE}` },
        replaces: true,
    },
    /** Administrator password of the new instance (8 to 32 printable ASCII characters). Secret in state. */
    adminPassword: {
        type: {
            kind: "string",
            minLength: 8,
            maxLength: 32,
            pattern: /^[\x21-\x7e]+$/,
            format: "8 to 32 printable ASCII characters without spaces",
        },
        secret: true,
        replaces: true,
    },
    /** `postPaid` (pay-as-you-go, default) or `prePaid` (subscription). */
    payType: { type: { kind: "enum", values: ["postPaid", "prePaid"] }, default: "postPaid", replaces: true },
    /** prePaid only, required there (unless adopting): `Month` or `Year`. */
    pricingCycle: { type: { kind: "enum", values: ["Month", "Year"] }, replaces: true },
    /** prePaid only, required there (unless adopting): 1 to 12 months, or 1 to 5 years. */
    duration: { type: { kind: "integer", min: 1, max: 12, unit: "months" }, replaces: true },
    /** prePaid only: renew automatically. Default false. */
    autoRenew: { type: { kind: "boolean" }, defaultText: "false (prePaid)", replaces: true },
    /** Region, e.g. `cn-hangzhou`. Default: `alicloud:region`, then ALICLOUD_REGION. */
    regionId: {
        type: {
            kind: "string",
            pattern: /^[a-z]{2}-[a-z0-9-]{2,30}$/,
            format: `a region id such as "cn-hangzhou" (offered in ${STARROCKS_REGIONS.join(", ")})`,
        },
        defaultText: "`alicloud:region`, then `ALICLOUD_REGION`",
        replaces: true,
    },
    /** VPC of the new instance; requires `vSwitches`. */
    vpcId: {
        type: { kind: "string", pattern: ID("vpc"), format: 'a VPC id such as "vpc-bp1fll2mci6d7pw8m"' },
        replaces: true,
    },
    /** VSwitches (and zones) of the new instance, in `vpcId`. */
    vSwitches: {
        type: {
            kind: "list",
            items: {
                kind: "object",
                name: "VSwitch",
                doc: "A VSwitch (and its zone) for the restored instance.",
                fields: VSWITCH_FIELDS,
                format: "{ zoneId, vswId }",
                unknownField: "is not a VSwitch field; use zoneId and vswId",
            },
            minItems: 1,
            maxItems: 10,
        },
        replaces: true,
    },
    /** Resource group, e.g. `rg-aekzllkih7jqxxx`. */
    resourceGroupId: {
        type: { kind: "string", pattern: ID("rg"), format: 'a resource group id such as "rg-aekzllkih7jqxxx"' },
        replaces: true,
    },
    /** Tags of the new instance (at most 19; the key `pulumi-restore-token` is reserved). */
    tags: { type: { kind: "map", values: { kind: "string", maxLength: 128 } }, replaces: true },
    /** Time-outs; defaults create "2h", update "2h", delete "1h". */
    timeouts: {
        type: {
            kind: "timeouts",
            name: "Timeouts",
            doc:
                'Per-operation time-outs, as durations such as "90m" or "2h" (the dynamic-provider host ignores ' +
                "`customTimeouts`).",
            fields: TIMEOUT_FIELDS,
        },
        defaultText: 'create "2h", update "2h", delete "1h"',
    },
    /**
     * Take over an existing instance instead of restoring (dynamic resources cannot be `pulumi import`ed; through the
     * provider plugin, `pulumi import` sets this). Create checks that it exists and matches the inputs, and never calls
     * RestoreInstance. Destroy then releases it like any other.
     */
    adoptId: {
        type: { kind: "string", pattern: ID("c"), format: 'an instance id such as "c-b25e21e243889abc"' },
    },
});

/** Restore arguments a drill sets itself (the name) or refuses (adoption, the subscription terms). */
export const NOT_ON_A_DRILL = ["instanceName", "adoptId", "payType", "pricingCycle", "duration", "autoRenew"] as const;

/**
 * The properties of `alicloud.starrocks.RestoreDrill`: the restore arguments (checked by the restore's own checker;
 * `payType` must stay postPaid; `instanceName` and `adoptId` are set by the drill), plus the drill's own.
 */
export const RESTORE_DRILL_PROPS = propTable({
    /** Only `postPaid`: a subscription instance cannot be released by API. */
    payType: { type: { kind: "enum", values: ["postPaid"] } },
    ...omitProps(RESTORED_INSTANCE_PROPS, NOT_ON_A_DRILL),
    ...DRILL_PROPS,
});
