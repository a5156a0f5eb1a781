/**
 * Which of pulumi-restore's resources a resource seen by a policy is. Pure: no import of @pulumi/policy, so the unit
 * tests load it without the pack's own node_modules.
 *
 * The engine gives a policy the resource's type token and its inputs, without the internal keys (`__provider`,
 * `__resourceName`: the engine strips every key beginning with `__` before it calls an analyzer). So recognition is by
 * type token:
 * - dynamic resources (TypeScript programs): `pulumi-nodejs:dynamic/<module>:<Type>`, e.g.
 *   `pulumi-nodejs:dynamic/tencentcloud/redis:InstanceRestore`: every class of the package passes its module and type
 *   to `pulumi.dynamic.Resource`;
 * - the provider plugin (every language): `pulumi-restore:<module>:<Type>`, e.g.
 *   `pulumi-restore:tencentcloud/redis:InstanceRestore`;
 * - a dynamic resource without module and type (`pulumi-nodejs:dynamic:Resource`, as from an older release or a
 *   subclass that does not pass them): by its inputs, if it carries a restore token (`prt-` and 20 characters, which
 *   every resource of the package has) and the inputs that only one class takes.
 */

/** The kinds of resource the policies tell apart. */
export type RestoreKind =
    | "alicloud/starrocks:RestoredInstance"
    | "alicloud/starrocks:RestoreDrill"
    | "tencentcloud/redis:InstanceRestore"
    | "zstack:VmFromBackup"
    | "zstack:RestoreDrill"
    | "jdcloud/rds:RestoredInstance"
    | "jdcloud/rds:RestoreDrill"
    | "huaweicloud/koophone:InstanceBackup";

/** Every kind, for recognition by type token. */
export const KINDS: readonly RestoreKind[] = [
    "alicloud/starrocks:RestoredInstance",
    "alicloud/starrocks:RestoreDrill",
    "tencentcloud/redis:InstanceRestore",
    "zstack:VmFromBackup",
    "zstack:RestoreDrill",
    "jdcloud/rds:RestoredInstance",
    "jdcloud/rds:RestoreDrill",
    "huaweicloud/koophone:InstanceBackup",
];

/** The type prefix of the dynamic resources, and of the provider plugin's resources. */
export const DYNAMIC_PREFIX = "pulumi-nodejs:dynamic/";
export const PLUGIN_PREFIX = "pulumi-restore:";
/** The type of a dynamic resource declared without module and type. */
export const GENERIC_DYNAMIC_TYPE = "pulumi-nodejs:dynamic:Resource";

const TOKEN = /^prt-[0-9a-z]{20}$/i;

function has(props: Record<string, unknown>, ...keys: string[]): boolean {
    return keys.some((k) => props[k] !== undefined && props[k] !== null);
}

/** Recognises a generic dynamic resource by its inputs; undefined when it is not one of ours. */
function byInputs(props: Record<string, unknown>): RestoreKind | undefined {
    if (typeof props.restoreToken !== "string" || !TOKEN.test(props.restoreToken)) return undefined;
    // Only drills take these.
    const drill = has(props, "verify", "failOnCheckFailure", "tcpPort");
    if (has(props, "userId", "instanceIds", "restoreOnDelete")) return "huaweicloud/koophone:InstanceBackup";
    if (has(props, "instanceSpec", "engine"))
        return drill ? "jdcloud/rds:RestoreDrill" : "jdcloud/rds:RestoredInstance";
    if (has(props, "backupGroupUuid", "instanceOfferingUuid", "l3NetworkUuids", "userTags", "guestPassword"))
        return drill ? "zstack:RestoreDrill" : "zstack:VmFromBackup";
    if (has(props, "backupTaskId", "payType", "adminPassword", "vSwitches"))
        return drill ? "alicloud/starrocks:RestoreDrill" : "alicloud/starrocks:RestoredInstance";
    if (has(props, "instanceId") && !drill) return "tencentcloud/redis:InstanceRestore";
    return undefined;
}

/** The kind of a resource from its type token and inputs; undefined for a resource that is not pulumi-restore's. */
export function restoreKind(type: string, props: Record<string, unknown>): RestoreKind | undefined {
    for (const prefix of [DYNAMIC_PREFIX, PLUGIN_PREFIX]) {
        if (type.startsWith(prefix)) {
            const rest = type.slice(prefix.length);
            return (KINDS as readonly string[]).includes(rest) ? (rest as RestoreKind) : undefined;
        }
    }
    return type === GENERIC_DYNAMIC_TYPE ? byInputs(props) : undefined;
}

/** True for the drills (`RestoreDrill` of any cloud). */
export function isDrill(kind: RestoreKind): boolean {
    return kind.endsWith(":RestoreDrill");
}
