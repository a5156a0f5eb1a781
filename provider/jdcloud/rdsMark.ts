import { RdsInstance, RdsTag, RdsTagFilter } from "./rdsClient";

/**
 * The mark pulumi-restore puts on every JD Cloud RDS instance it creates: a tag (the SDK's Tag `{key, value}`, sent in
 * createInstanceFromBackup's `instanceSpec.tagSpec`) whose value is the restore token: the resource's, or a drill's
 * own scratch token. Instances answer with their `tags`, and describeInstances filters on them (`tagFilters`). Every
 * look-up that is not by an instance id the stack's state names requires this mark: an instance that only carries the
 * right name is never adopted nor deleted.
 */

/** The tag key of the mark. */
export const MARK_KEY = "pulumi-restore-token";

/** The tag that marks an instance as made for `restoreToken`. */
export function restoreMark(restoreToken: string): RdsTag {
    return { key: MARK_KEY, value: restoreToken };
}

/** The describeInstances tag filter that lists only instances marked for `restoreToken`. */
export function markFilter(restoreToken: string): RdsTagFilter {
    return { key: MARK_KEY, values: [restoreToken] };
}

/**
 * Whether an instance carries the mark of `restoreToken`, checked on its own `tags` (the server-side tag filter is
 * not relied on alone: how JD Cloud combines tag filters is not documented).
 */
export function hasMark(x: RdsInstance, restoreToken: string): boolean {
    return (x.tags ?? []).some((t) => t && t.key === MARK_KEY && t.value === restoreToken);
}

/** The restore token an instance's mark names, if it carries one (for messages about instances that are not ours). */
export function markOf(x: RdsInstance): string | undefined {
    return (x.tags ?? []).find((t) => t && t.key === MARK_KEY)?.value;
}
