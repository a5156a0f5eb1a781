/**
 * `pulumi import` of `huaweicloud.koophone.InstanceBackup`: phones already backed up (parked in OBS, hardware released)
 * recorded as held by this resource, so that later `up`s treat them as this stack's and `destroy` brings them back
 * to the user. ListInstances reports neither who parked a phone nor the user to bring it back to, so the import id
 * carries the user and the phones: `<userId>:<instanceId>[,<instanceId>...]`.
 *
 * Ownership: only phones that are backed up now are taken (one running, being backed up or being restored is refused:
 * nothing is parked to hold). KooPhone keeps nothing that says which stack parked a phone; what can be known is
 * refused: a phone that a pulumi-restore resource on this machine is backing up (its local record names it). A phone
 * another stack's state holds cannot be seen from here: import only phones that no stack declares.
 */
import { systemClock } from "../core/clock";
import { journalDir } from "../core/stateDir";
import { clean } from "../core/validate";
import { PhoneClaims } from "./claims";
import { INSTANCE_ID, MAX_INSTANCES, USER_ID } from "./koophoneInputs";
import { KooPhoneProvider } from "./koophoneProvider";
import { PHASE_TEXT, classify, vendorTime, vendorTimeText } from "./koophoneState";
import type { Importer } from "../core/importer";
import { importedInputs } from "../core/importer";
import { ImportIdError, parseImportId, quoteId } from "../core/importId";
import { hostEnv } from "../core/environment";

/** Reads parked phones (`<userId>:<instanceId>[,<instanceId>...]`). */
export const importer: Importer = async (id, ctx) => {
    const parts = parseImportId(id, [
        {
            name: "userId",
            pattern: USER_ID,
            format: 'the KooPhone user id to bring the phones back to, such as "1008600000104285462"',
        },
        {
            name: "instanceIds",
            pattern: /^[^:]+$/,
            format: "a comma-separated list of phone instance ids",
        },
    ]);
    const userId = parts.userId as string;
    const ids = (parts.instanceIds as string).split(",");
    const seen = new Set<string>();
    for (const x of ids) {
        if (!INSTANCE_ID.test(x))
            throw new ImportIdError(
                `instance id ${quoteId(x)} is not 1 to 32 letters, digits, '-', '_' or '.' starting with a letter or digit`,
            );
        if (seen.has(x)) throw new ImportIdError(`lists instance ${x} twice`);
        seen.add(x);
    }
    if (ids.length > MAX_INSTANCES) throw new ImportIdError(`lists ${ids.length} instances; at most ${MAX_INSTANCES}`);

    const p = new KooPhoneProvider();
    await p.configure({ config: ctx.config });
    const live = await p.client().instances(ids);
    if (live.size === 0) return undefined;
    const missing = ids.filter((x) => !live.has(x));
    if (missing.length > 0)
        throw new Error(`instance(s) ${missing.join(", ")} do not exist in this account and region; nothing imported`);
    const notParked = ids
        .map((x) => [x, classify(live.get(x)!)] as const)
        .filter(([, ph]) => ph !== "backedUp")
        .map(([x, ph]) => `${x} (${PHASE_TEXT[ph]})`);
    if (notParked.length > 0)
        throw new Error(
            `only phones that are backed up can be imported: ${notParked.join(", ")} ${notParked.length === 1 ? "is" : "are"} not. Declare the resource instead to back them up, or import them once their backup has finished`,
        );
    const claims = new PhoneClaims(journalDir(hostEnv()), systemClock);
    const held = await claims.holders(ids, ctx.restoreToken);
    if (held.size > 0) {
        const list = [...held].map(([x, token]) => `${x} (restore token ${token})`).join(", ");
        throw new Error(
            `${list}: another pulumi-restore resource on this machine is backing ${held.size === 1 ? "it" : "them"} up, so ${held.size === 1 ? "it is" : "they are"} that resource's; nothing imported`,
        );
    }
    const given = { instanceIds: ids, userId };
    const inputs = await importedInputs(p, "backup of", ids.join(", "), given, ctx.restoreToken);
    // The records a backup made by this resource would have: the vendor's backup time is what later runs compare to
    // tell whether someone else restored and parked the phone again since (then it is no longer this stack's).
    const instances = ids.map((x) => {
        const t = live.get(x)!.backup_time;
        return clean({
            instanceId: x,
            backupStatus: "success",
            backupTime: vendorTime(t) !== undefined ? vendorTimeText(t) : undefined,
        });
    });
    return { id: ctx.restoreToken, outs: { ...inputs.checked, instances }, inputs: given };
};
