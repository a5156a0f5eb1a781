import { KooPhoneInstance } from "./koophoneClient";
import { utcIso } from "../core/time";

/**
 * Where an instance is, from ListInstances: `running` (on hardware), `backingUp`, `backedUp` (data in OBS, hardware
 * released), `restoring`, or the failed ends of either operation.
 */
export type Phase = "running" | "backingUp" | "backedUp" | "restoring" | "backupFailed" | "restoreFailed";

/** A vendor time (ISO text or epoch ms/s) as ms, or undefined. */
export function vendorTime(t: string | number | undefined): number | undefined {
    if (t === undefined || t === null || t === "") return undefined;
    if (typeof t === "number" || /^\d+$/.test(String(t))) {
        const n = Number(t);
        return n < 1e12 ? n * 1000 : n;
    }
    const ms = Date.parse(String(t));
    return Number.isNaN(ms) ? undefined : ms;
}

/** A vendor time as ISO text for outputs. */
export function vendorTimeText(t: string | number | undefined): string | undefined {
    const ms = vendorTime(t);
    return ms === undefined ? (t === undefined ? undefined : String(t)) : utcIso(ms);
}

/**
 * Classifies an instance. `backup_status`/`restore_status` are 0 preparing, 1 running, 2 success, 3 failed, 4 other;
 * an operation in progress wins, otherwise the later of the last backup and the last restore says where the data is.
 */
export function classify(i: KooPhoneInstance): Phase {
    const b =
        i.backup_status === undefined || i.backup_status === null || i.backup_status === ""
            ? undefined
            : Number(i.backup_status);
    const r =
        i.restore_status === undefined || i.restore_status === null || i.restore_status === ""
            ? undefined
            : Number(i.restore_status);
    if (b === 0 || b === 1) return "backingUp";
    if (r === 0 || r === 1) return "restoring";
    const bt = vendorTime(i.backup_time);
    const rt = vendorTime(i.restore_time);
    const backupIsLatest = b !== undefined && (rt === undefined || r === undefined || (bt !== undefined && bt >= rt));
    if (backupIsLatest) return b === 2 ? "backedUp" : b === 3 ? "backupFailed" : "running";
    if (r === 3) return "restoreFailed";
    return "running";
}

/** Parked, or on its way there: its data is (or goes) to OBS and its hardware is released. */
export function isParked(i: KooPhoneInstance): boolean {
    const ph = classify(i);
    return ph === "backedUp" || ph === "backingUp" || ph === "restoreFailed";
}

/**
 * True when a restore was asked for while the backup still runs (restore_status preparing or running during the
 * backup): KooPhone reports such an instance as backing up and restores it once the backup has ended.
 */
export function restoreQueued(i: KooPhoneInstance): boolean {
    const b = statusOf(i.backup_status);
    const r = statusOf(i.restore_status);
    return (b === 0 || b === 1) && (r === 0 || r === 1);
}

function statusOf(v: string | number | undefined | null): number | undefined {
    return v === undefined || v === null || v === "" ? undefined : Number(v);
}

/** Words for a phase, for progress lines and errors. */
export const PHASE_TEXT: Record<Phase, string> = {
    running: "running on hardware",
    backingUp: "backing up",
    backedUp: "backed up",
    restoring: "restoring",
    backupFailed: "backup failed",
    restoreFailed: "restore failed",
};

/** Splits a list into chunks of at most `size`. */
export function chunks<T>(list: T[], size: number): T[][] {
    const out: T[][] = [];
    for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
    return out;
}
