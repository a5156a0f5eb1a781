import { formatDuration } from "../core/duration";
import { clean } from "../core/validate";
import { KOOPHONE_HINTS, KooPhoneInstance } from "./koophoneClient";
import { InstanceRecord } from "./koophoneInputs";
import { PHASE_TEXT, Phase, classify, isParked, restoreQueued, vendorTime, vendorTimeText } from "./koophoneState";
import { reparkedSince } from "./ownership";

/**
 * What the provider does with each phone in each round of a wait, decided without I/O: from the phone as ListInstances
 * shows it, its goal, this run's batch call for it and the records. `KooPhoneProvider.drive` looks, asks
 * {@link decidePhone} for every phone, applies the answers ({@link applyDecision}) and makes the calls they ask for.
 */

/** Where a phone is to end: backed up ("parked") or running on hardware again. */
export type Goal = "parked" | "running";

/** A batch call this run made for a phone. */
export interface Submission {
    /** When its answer came, or was lost (epoch ms, provider clock). */
    at: number;
    /** The answer was lost or unclear: the call may or may not have taken effect. */
    uncertain: boolean;
    /** The error code of the unclear answer. */
    code?: string;
    /** After an unclear answer: the phone was seen parked within `settleMs` of it, which proves the call took effect. */
    proven?: boolean;
}

/** Everything one round knows about one phone. */
export interface PhoneView {
    /** The phone's id (the key it was asked for by). */
    instanceId: string;
    goal: Goal;
    /** The phone as ListInstances shows it now; undefined when it no longer exists. */
    inst: KooPhoneInstance | undefined;
    /** This run's batch call for it, if one was made. */
    sub: Submission | undefined;
    /** This run's record of it so far. */
    current: InstanceRecord | undefined;
    /** The record the stack held before this run. */
    old: InstanceRecord | undefined;
    /** Now (epoch ms, provider clock). */
    now: number;
    /** How long after an unclear answer the phone is watched for the call's effect. */
    settleMs: number;
}

/** What to do with a phone this round. */
export type PhoneDecision =
    /** Nothing yet: a call's effect is awaited. */
    | { kind: "wait" }
    /** Call BatchBackupInstances for it. */
    | { kind: "backUp" }
    /** Call BatchPrepareInstances for it. */
    | { kind: "restore" }
    /** It is restoring: ask ShowProgress (when few are). */
    | { kind: "askProgress" }
    /** It is parked (or on its way) and this resource's: keep this record. `proven`: note the proof of an unclear call. */
    | { kind: "record"; record: InstanceRecord; proven?: true }
    /** It runs again (or is gone): its restore is done. */
    | { kind: "restored" }
    /** Parked again by someone else since this resource backed it up: left alone. */
    | { kind: "released"; why: string }
    /** It failed; `dropRecord`: this run's record of it goes too (this resource does not hold it). */
    | { kind: "failed"; code?: string; message: string; dropRecord: boolean }
    /** An unclear call whose outcome cannot be told; not called again. `dropRecord` as for `failed`. */
    | { kind: "unresolved"; why: string; dropRecord: boolean };

/** The decisions that ask for a call or a question rather than settle the phone. */
export type CallKind = "backUp" | "restore" | "askProgress";

/** Decides what to do with one phone this round (see {@link PhoneDecision}). Pure. */
export function decidePhone(v: PhoneView): PhoneDecision {
    if (!v.inst) {
        return v.goal === "running"
            ? { kind: "restored" } // gone: nothing left to restore
            : {
                  kind: "failed",
                  code: "KOOPHONE.API.4001",
                  message: "the instance no longer exists",
                  dropRecord: false,
              };
    }
    return v.goal === "parked" ? decideParked(v, v.inst) : decideRunning(v, v.inst);
}

/** An uncertain call whose effect has not shown within settleMs: not repeated (the service may still carry it out late). */
function givenUp(v: PhoneView): boolean {
    return v.sub !== undefined && v.sub.uncertain && v.now - v.sub.at >= v.settleMs;
}

/** A phone that is to be parked (backed up). */
function decideParked(v: PhoneView, inst: KooPhoneInstance): PhoneDecision {
    const { sub } = v;
    const ph = classify(inst);
    if (
        ph === "restoring" ||
        (ph === "backingUp" && restoreQueued(inst)) ||
        (ph === "running" && sub && !sub.uncertain && restoredSince(inst, sub.at))
    ) {
        // Someone else restores it (a restore asked for during the backup starts once the backup ends): it will not
        // stay parked, and waiting for it would last until the time-out, run after run.
        return {
            kind: "failed",
            message: `${restoredElsewhere(ph)}; this resource does not hold it. Once it is running, run \`pulumi up\` again to back it up again, or remove it from instanceIds`,
            dropRecord: true,
        };
    }
    if (isParked(inst) && sub?.uncertain && !sub.proven) {
        // After an unclear answer the change proves this call took effect only within the settle window; seen later,
        // it may as well be another stack's backup, and taking it would let this resource's destroy bring back phones
        // that stack holds.
        if (v.now - sub.at <= v.settleMs) {
            const record =
                ph === "restoreFailed"
                    ? restoreFailedRecord(v.instanceId, inst, v.current)
                    : phoneRecord(v.instanceId, inst, ph, v.current);
            return { kind: "record", record, proven: true };
        }
        return { kind: "unresolved", why: unprovenText(sub.code, v.settleMs, PHASE_TEXT[ph]), dropRecord: true };
    }
    if (ph === "backedUp" || ph === "backingUp")
        return { kind: "record", record: phoneRecord(v.instanceId, inst, ph, v.current ?? v.old) };
    if (ph === "backupFailed" && sub)
        return {
            kind: "record",
            record: { ...phoneRecord(v.instanceId, inst, ph, v.current), backupStatus: "failed" },
        };
    if ((ph === "running" || ph === "backupFailed") && !sub) return { kind: "backUp" };
    if (ph === "running" && givenUp(v))
        return {
            kind: "unresolved",
            why: unresolvedText(
                "BatchBackupInstances",
                sub?.code,
                v.settleMs,
                "still runs on its hardware",
                "it is being backed up (ListInstances backup_status). If it still runs, `pulumi up` backs it up. If it is being backed up, nothing KooPhone keeps tells that backup from another stack's: `pulumi up` refuses it; if nobody else parked it, bring it back (BatchPrepareInstances or the console) and run `pulumi up` again",
            ),
            dropRecord: false,
        };
    // A failed restore leaves the data in OBS: the instance is still parked.
    if (ph === "restoreFailed")
        return { kind: "record", record: restoreFailedRecord(v.instanceId, inst, v.current ?? v.old) };
    return { kind: "wait" };
}

/** A phone that is to run again (restored). */
function decideRunning(v: PhoneView, inst: KooPhoneInstance): PhoneDecision {
    const { sub } = v;
    const ph = classify(inst);
    if (ph === "running" || ph === "backupFailed") return { kind: "restored" };
    // Restored and parked again by someone else since this resource backed it up: theirs now.
    if (!sub && isParked(inst) && reparkedSince(inst, v.old))
        return { kind: "released", why: "parked again by someone else since this resource backed it up" };
    if (ph === "backedUp" && !sub) return { kind: "restore" };
    if (ph === "backedUp" && givenUp(v))
        return {
            kind: "unresolved",
            why: unresolvedText(
                "BatchPrepareInstances",
                sub?.code,
                v.settleMs,
                "is still backed up",
                "it is being restored (ListInstances restore_status), then run the operation again: it restores only instances still backed up",
            ),
            dropRecord: false,
        };
    if (ph === "restoring") return { kind: "askProgress" };
    // A restore that failed before this run is tried again; one this run started is reported.
    if (ph === "restoreFailed" && !sub) return { kind: "restore" };
    if (ph === "restoreFailed")
        return {
            kind: "failed",
            message:
                "the restore failed (restore_status 3); check the instance in the KooPhone console, then run the operation again",
            dropRecord: false,
        };
    return { kind: "wait" };
}

/**
 * What ShowProgress's status says of a restoring phone: 0 done, -1 failed, 1 queued (anything else: still under way).
 * Pure.
 */
export function progressDecision(
    status: number,
): { kind: "restored" } | { kind: "failed"; message: string } | { kind: "queued" } | { kind: "wait" } {
    if (status === 0) return { kind: "restored" };
    if (status === -1)
        return {
            kind: "failed",
            message:
                "ShowProgress reports the restore failed (-1); check the instance in the KooPhone console, then run the operation again",
        };
    return status === 1 ? { kind: "queued" } : { kind: "wait" };
}

/** What a wait has found so far, per phone. */
export interface DriveTally {
    /** Records of phones meant to be parked (success, backing up or failed). */
    records: Map<string, InstanceRecord>;
    /** Phones meant to be running again that are. */
    restored: Set<string>;
    /** Phones whose backup or restore failed, with the vendor's code and message. */
    failed: Map<string, { code?: string; message: string }>;
    /**
     * Phones whose batch call had an unknown outcome and no visible effect within `settleMs` (not called again), or
     * whose backup showed only after that window, when nothing tells this resource's call from another caller's.
     */
    unresolved: Map<string, string>;
    /** Phones the state held that someone else parked again since (restored and backed up anew): left alone. */
    released: Map<string, string>;
}

/** A tally with nothing found yet. */
export function emptyTally(): DriveTally {
    return { records: new Map(), restored: new Set(), failed: new Map(), unresolved: new Map(), released: new Map() };
}

/** Enters a decision that settles or records a phone into the tally (calls and questions are the caller's). */
export function applyDecision(t: DriveTally, iid: string, d: Exclude<PhoneDecision, { kind: CallKind }>): void {
    switch (d.kind) {
        case "wait":
            return;
        case "record":
            t.records.set(iid, d.record);
            return;
        case "restored":
            t.restored.add(iid);
            return;
        case "released":
            t.released.set(iid, d.why);
            return;
        case "failed":
            if (d.dropRecord) t.records.delete(iid);
            t.failed.set(iid, clean({ code: d.code, message: d.message }));
            return;
        case "unresolved":
            if (d.dropRecord) t.records.delete(iid);
            t.unresolved.set(iid, d.why);
            return;
    }
}

/** True when nothing more is to be done or awaited for the phone. */
export function settled(t: DriveTally, iid: string): boolean {
    const status = t.records.get(iid)?.backupStatus;
    return (
        t.restored.has(iid) ||
        t.released.has(iid) ||
        t.failed.has(iid) ||
        t.unresolved.has(iid) ||
        status === "success" ||
        status === "failed"
    );
}

/** The phones still to be done or awaited, in the targets' order. */
export function pendingOf(targets: Map<string, Goal>, t: DriveTally): string[] {
    return [...targets.keys()].filter((k) => !settled(t, k));
}

/** The progress line of a round: "2/3 backed up, 1/1 restored (1 queued), 1 failed". */
export function roundSummary(t: DriveTally, parkedTotal: number, runningTotal: number, queued: number): string {
    const records = [...t.records.values()];
    const backedUp = records.filter((x) => x.backupStatus === "success").length;
    const parts = [];
    if (parkedTotal > 0) parts.push(`${backedUp}/${parkedTotal} backed up`);
    if (runningTotal > 0)
        parts.push(`${t.restored.size}/${runningTotal} restored${queued > 0 ? ` (${queued} queued)` : ""}`);
    const nFailed = t.failed.size + records.filter((x) => x.backupStatus === "failed").length;
    if (nFailed > 0) parts.push(`${nFailed} failed`);
    return parts.join(", ");
}

/** The output record of a phone as seen now, keeping the task that backed it up. */
export function phoneRecord(
    iid: string,
    inst: KooPhoneInstance,
    ph: Phase,
    prev: InstanceRecord | undefined,
): InstanceRecord {
    const status =
        ph === "backedUp"
            ? "success"
            : ph === "backingUp"
              ? "backing up"
              : ph === "backupFailed"
                ? "failed"
                : PHASE_TEXT[ph];
    return clean({
        instanceId: iid,
        backupStatus: status,
        backupTime:
            ph === "backedUp" && vendorTime(inst.backup_time) !== undefined
                ? vendorTimeText(inst.backup_time)
                : undefined,
        taskId: prev?.taskId,
        jobId: prev?.jobId,
    });
}

/** The record of a phone whose restore failed: its data stays in OBS, so it counts as backed up. */
function restoreFailedRecord(iid: string, inst: KooPhoneInstance, prev: InstanceRecord | undefined): InstanceRecord {
    return clean({
        ...phoneRecord(iid, inst, "backedUp", prev),
        backupTime: vendorTimeText(inst.backup_time),
    });
}

/** True when the instance was restored after `at` (epoch ms). */
function restoredSince(i: KooPhoneInstance, at: number): boolean {
    const t = vendorTime(i.restore_time);
    return t !== undefined && t >= at;
}

function restoredElsewhere(ph: Phase): string {
    if (ph === "restoring")
        return "it is being restored (BatchPrepareInstances by someone else, or the console) while this resource parks it";
    if (ph === "running")
        return "it was restored out of band after this resource backed it up, and runs on its hardware again";
    return "a restore of it was requested (by someone else, or the console) while it was being backed up: KooPhone runs it once the backup ends";
}

function unresolvedText(
    action: string,
    code: string | undefined,
    settleMs: number,
    still: string,
    check: string,
): string {
    return (
        `the ${action} answer was lost or unclear (${code ?? "unknown"}) and after ${formatDuration(settleMs)} the instance ${still}. ` +
        `${action} is not called again now: the service may still carry out that call late, and a second call could act twice. In a few minutes check whether ${check}`
    );
}

/** Why a phone whose backup showed only after the settle window of an unclear call is not taken. */
function unprovenText(code: string | undefined, settleMs: number, phase: string): string {
    return (
        `the BatchBackupInstances answer was lost or unclear (${code ?? "unknown"}) and the instance showed no change for ${formatDuration(settleMs)}; ` +
        `it is ${phase} now, but KooPhone keeps nothing that tells whether this resource's call did that or another stack (or a person) did since, ` +
        "so this resource does not take it (its destroy would bring back phones another stack holds). If nobody else parked it, bring it back " +
        "(BatchPrepareInstances or the console) and run `pulumi up` again, which parks it anew; otherwise remove it from instanceIds"
    );
}

// --- before and after a wait (reconcile) ------------------------------------------------------------------------

/**
 * Why phones in instanceIds cannot be backed up at all (they do not exist, or are being restored), as the error to
 * throw before anything is called; undefined when all can. Pure.
 */
export function unusableTargets(desired: string[], live: Map<string, KooPhoneInstance>): string | undefined {
    const missing = desired.filter((x) => !live.has(x));
    if (missing.length > 0)
        return `instanceIds: instance(s) ${missing.join(", ")} do not exist in this account and region (KOOPHONE.API.4001). ${KOOPHONE_HINTS["KOOPHONE.API.4001"]} Nothing was backed up.`;
    const restoring = desired.filter((x) => classify(live.get(x) as KooPhoneInstance) === "restoring");
    if (restoring.length > 0)
        return `instanceIds: instance(s) ${restoring.join(", ")} are being restored and cannot be backed up now; wait until they are running and run \`pulumi up\` again. Nothing was backed up.`;
    return undefined;
}

/** What the stack holds after a wait of create or update, and the records it keeps of them. */
export interface Holding {
    /** Phones of instanceIds this resource holds parked (backed up, or still backing up). */
    held: string[];
    /** Phones removed from instanceIds that were to be restored but are not (yet): still held. */
    notRestored: string[];
    /** The output instanceIds: held, then not restored. */
    instanceIds: string[];
    /** The output records: held, not restored, then failed backups (which are not in instanceIds). */
    instances: InstanceRecord[];
    /** Held phones whose backup has finished. */
    succeeded: string[];
}

/** What the stack holds after a wait (see {@link Holding}). Pure. */
export function holdingAfter(
    desired: string[],
    removed: string[],
    restoreOnDelete: boolean | undefined,
    oldRecs: Map<string, InstanceRecord>,
    t: DriveTally,
): Holding {
    const held = desired.filter((x) => {
        const rec = t.records.get(x);
        return rec !== undefined && rec.backupStatus !== "failed";
    });
    const notRestored = restoreOnDelete ? removed.filter((x) => !t.restored.has(x) && !t.released.has(x)) : [];
    const failedRecs = desired
        .filter((x) => t.records.get(x)?.backupStatus === "failed")
        .map((x) => t.records.get(x) as InstanceRecord);
    const instances = [
        ...held.map((x) => t.records.get(x) as InstanceRecord),
        ...notRestored.map((x) => oldRecs.get(x) ?? { instanceId: x, backupStatus: "success" }),
        ...failedRecs,
    ];
    const succeeded = held.filter((x) => t.records.get(x)?.backupStatus === "success");
    return { held, notRestored, instanceIds: [...held, ...notRestored], instances, succeeded };
}
