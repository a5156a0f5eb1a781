/**
 * pulumi-restore's policy pack (Pulumi CrossGuard): rules platform teams ask of restores, each configurable through the
 * policy config (`pulumi preview --policy-pack policy --policy-pack-config <file>`). See docs/policy.md.
 *
 * The rules themselves are pure functions (rules.ts); which resource is ours is decided by its type token
 * (resources.ts). This file only wires them into @pulumi/policy.
 */
import { EnforcementLevel, PolicyPack, ResourceValidationPolicy } from "@pulumi/policy";
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import {
    checkBackupAge,
    checkBackupAgeUnknown,
    checkDrillScheduled,
    checkInPlace,
    checkPrepaidRetained,
    checkProduction,
    DEFAULT_MAX_AGE_DAYS,
    DEFAULT_PRODUCTION_TAGS,
    Subject,
} from "./rules";
import { restoreKind } from "./resources";

const NAMES: PolicyConfigJSONSchema = {
    type: "array",
    items: { type: "string" },
    default: [],
    description: "Resource names (the constructor's first argument) or URNs.",
};

/** A policy over pulumi-restore's resources: `check` gives the violations of one resource under the policy's config. */
function policy<C extends object>(
    name: string,
    description: string,
    enforcementLevel: EnforcementLevel,
    properties: Record<string, PolicyConfigJSONSchema>,
    check: (s: Subject, config: C) => string[],
): ResourceValidationPolicy {
    return {
        name,
        description,
        enforcementLevel,
        configSchema: { properties },
        validateResource: (args, reportViolation) => {
            const kind = restoreKind(args.type, args.props);
            if (!kind) return;
            const s: Subject = {
                kind,
                name: args.name,
                urn: args.urn,
                props: args.props,
                protect: args.opts.protect,
            };
            for (const message of check(s, args.getConfig<C>())) reportViolation(message);
        },
    };
}

new PolicyPack("pulumi-restore", {
    description:
        "Rules for pulumi-restore's restores: acknowledged in-place restores, backup age, production targets, scheduled drills, retained prePaid instances.",
    policies: [
        policy(
            "in-place-restore-acknowledged",
            "An in-place restore (tencentcloud.redis.InstanceRestore overwrites a live instance) needs an acknowledgement in the policy config.",
            "mandatory",
            {
                allowedResources: NAMES,
                allowedInstanceIds: { ...NAMES, description: "Instances that any restore may overwrite." },
            },
            checkInPlace,
        ),
        policy(
            "backup-max-age",
            `Backups older than maxAgeDays (default ${DEFAULT_MAX_AGE_DAYS}) are refused where the age is bounded at preview: backupSelector.maxAge, backupSelector.before.`,
            "mandatory",
            { maxAgeDays: { type: "number", exclusiveMinimum: 0, default: DEFAULT_MAX_AGE_DAYS } },
            (s, c) => checkBackupAge(s, c),
        ),
        policy(
            "backup-age-unknown",
            "An explicit backup id's time is not known at preview, so its age cannot be checked.",
            "advisory",
            { allowedBackupIds: { ...NAMES, description: "Backup ids a reviewer checked to be recent enough." } },
            checkBackupAgeUnknown,
        ),
        policy(
            "production-target",
            "Restores into a production-tagged target (e.g. env=prod) are refused unless the resource is allowed.",
            "mandatory",
            {
                productionTags: {
                    type: "object",
                    additionalProperties: { type: "array", items: { type: "string" } },
                    default: DEFAULT_PRODUCTION_TAGS,
                    description: "Tag keys and the values (any case) that mark production.",
                },
                productionInstanceIds: { ...NAMES, description: "Existing instances that are production." },
                allowedResources: NAMES,
            },
            checkProduction,
        ),
        policy(
            "drill-scheduled",
            "A restore drill must have triggers (its schedule): without them it runs once and never again.",
            "mandatory",
            { requiredTriggerKeys: { ...NAMES, description: "Keys triggers must have, e.g. month." } },
            checkDrillScheduled,
        ),
        policy(
            "prepaid-retained",
            "A restore into a prePaid (subscription) instance must be kept out of destroy: retainOnDelete (acknowledged in the config) or protect.",
            "mandatory",
            {
                retainedResources: { ...NAMES, description: "Resources whose program sets retainOnDelete." },
                acceptProtect: { type: "boolean", default: true },
            },
            checkPrepaidRetained,
        ),
    ],
});
