/**
 * The mark pulumi-restore puts on every ZStack VM it creates: a user tag carrying the restore token (the resource's,
 * or a drill's scratch token). ZStack keeps user tags with the VM (also while it is Destroyed in the recycle bin) and
 * QueryVmInstance filters on them (`q=__userTag__=<tag>`: `__userTag__` is a queryable field of VmInstanceInventory in
 * ZStack's API catalog). Every look-up that is not by a uuid the stack's state names requires this mark: a VM that only
 * has the right name, or the uuid this package would derive, is never adopted nor deleted.
 */

/** What every mark begins with; users may not put user tags with this prefix on a VM (check refuses them). */
export const MARK_PREFIX = "pulumi-restore-token::";

/** The user tag that marks a VM as made for `restoreToken`. */
export function restoreMark(restoreToken: string): string {
    return `${MARK_PREFIX}${restoreToken}`;
}
