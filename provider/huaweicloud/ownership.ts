import { DEFAULT_REQUEST_TIMEOUT_MS } from "../core/http";
import { PhoneClaim } from "./claims";
import { InstanceRecord } from "./koophoneInputs";
import { KooPhoneInstance } from "./koophoneClient";
import { isParked, vendorTime } from "./koophoneState";

/**
 * How long a BatchBackupInstances call can be under way when no answer was recorded (the process stopped during the
 * call): the caller's per-request time-out. Past it the client gives up, so an effect of the call shows by then, unless
 * the service carries it out late, which nothing can tell apart from another caller's backup.
 */
export const BACKUP_CALL_MAX_MS = DEFAULT_REQUEST_TIMEOUT_MS;

/** Whether a claim proves that this resource's call parked a phone, and why (for progress lines and errors). */
export interface ClaimProof {
    owned: boolean;
    /** Set when the proof is new: the time the phone was seen parked within the call's window (to be recorded). */
    provenAt?: number;
    why: string;
}

/**
 * The window in which an effect of this resource's call shows: from the call to its answer (or the longest the call can
 * be under way, when no answer was recorded), plus `settleMs` for the service to report it.
 */
export function proofWindowEnd(c: PhoneClaim, settleMs: number): number {
    return (c.answeredAt ?? c.at + BACKUP_CALL_MAX_MS) + settleMs;
}

/**
 * Decides whether a phone found parked (or being parked) belongs to this resource by its record of the call. KooPhone
 * does not say who backed a phone up, and after an unclear answer (or none) the record names the phone whether the
 * call took effect or not: another stack may have parked the phone since. So the record counts only with proof:
 * - the phone was restored (successfully) after the call: whatever parks it now is not that call;
 * - the call was answered with success (`accepted`), or the phone was already seen parked within the call's window
 *   (`provenAt`): owned;
 * - otherwise the phone must be seen parked now, within the call's window (see {@link proofWindowEnd}); seen later,
 *   nothing tells this resource's late effect from another caller's backup, and it is refused.
 * The residual: another caller's BatchBackupInstances on the same phone within that window is taken for this one's.
 */
export function claimProof(
    c: PhoneClaim | undefined,
    inst: KooPhoneInstance,
    now: number,
    settleMs: number,
): ClaimProof {
    if (!c) return { owned: false, why: "this resource has no record of backing it up" };
    const restoredAt = restoredAtOf(inst);
    if (restoredAt !== undefined && restoredAt > c.at)
        return {
            owned: false,
            why: `it was restored at ${new Date(restoredAt).toISOString()}, after this resource's BatchBackupInstances of ${new Date(c.at).toISOString()}: whoever parks it now, it is not that call`,
        };
    if (c.answer === "accepted") return { owned: true, why: "its BatchBackupInstances was accepted" };
    if (c.provenAt !== undefined)
        return { owned: true, why: "it was seen parked within the window of this resource's call" };
    const end = proofWindowEnd(c, settleMs);
    if (now <= end)
        return { owned: true, provenAt: now, why: "it is parked within the window of this resource's call" };
    const answer =
        c.answer === "unclear"
            ? `had an unclear answer at ${new Date(c.answeredAt ?? c.at).toISOString()}`
            : "got no answer (the run stopped during the call)";
    return {
        owned: false,
        why:
            `this resource's BatchBackupInstances of ${new Date(c.at).toISOString()} ${answer}, and the phone was not seen parked ` +
            `until after that call's window (${new Date(end).toISOString()}): KooPhone keeps nothing that tells whether that call parked it ` +
            "or another stack (or a person) did since",
    };
}

/**
 * The phones of instanceIds found parked (or being parked) whose ownership must be shown, each with its proof (see
 * {@link claimProof}). A phone the stack already holds needs none, unless someone restored and parked it again since
 * ({@link reparkedSince}): then it is not this resource's. Pure.
 */
export function parkedProofs(o: {
    desired: string[];
    live: Map<string, KooPhoneInstance>;
    /** The phones the stack holds (old instanceIds) and their records. */
    held: string[];
    heldRecords: Map<string, InstanceRecord>;
    /** This resource's records of its own BatchBackupInstances calls. */
    claims: Map<string, PhoneClaim>;
    now: number;
    settleMs: number;
}): Map<string, ClaimProof> {
    const proofs = new Map<string, ClaimProof>();
    for (const x of o.desired) {
        const inst = o.live.get(x) as KooPhoneInstance;
        if (!isParked(inst)) continue;
        const isHeld = o.held.includes(x);
        if (isHeld && !reparkedSince(inst, o.heldRecords.get(x))) continue;
        proofs.set(
            x,
            isHeld
                ? {
                      owned: false,
                      why: "this resource held it, but it was restored and parked again by someone else since",
                  }
                : claimProof(o.claims.get(x), inst, o.now, o.settleMs),
        );
    }
    return proofs;
}

/**
 * True when a phone this resource's state holds was parked again by someone else since: it was restored (successfully)
 * after this resource's backup, or backed up later than it (vendor times compared with vendor times, so no clock skew enters).
 * Bringing it back would take it from whoever parked it since.
 */
export function reparkedSince(inst: KooPhoneInstance, rec: InstanceRecord | undefined): boolean {
    // Compared to the second: state keeps the backup time as an output, in UTC to the second (provider/core/time.ts),
    // while the vendor may answer milliseconds; state written before kept them.
    const seconds = (ms: number | undefined) => (ms === undefined ? undefined : Math.floor(ms / 1000));
    const mine = seconds(vendorTime(rec?.backupTime));
    if (mine === undefined) return false;
    const restoredAt = seconds(restoredAtOf(inst));
    const backedUpAt = seconds(vendorTime(inst.backup_time));
    return (restoredAt !== undefined && restoredAt >= mine) || (backedUpAt !== undefined && backedUpAt > mine);
}

/** When the instance was last restored, if that restore succeeded (a failed one leaves the data where it was). */
function restoredAtOf(inst: KooPhoneInstance): number | undefined {
    const status = inst.restore_status;
    if (status === undefined || status === null || status === "" || Number(status) !== 2) return undefined;
    return vendorTime(inst.restore_time);
}
