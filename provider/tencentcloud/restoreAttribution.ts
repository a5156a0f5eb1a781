import { formatDuration } from "../core/duration";
import { JOURNAL_TTL_MS, JournalEntry } from "./restoreJournal";
import {
    RedisTaskInfo,
    RedisTaskListItem,
    TASK_RESULT,
    TASK_STATUS,
    isRestoreTaskType,
    parseBeijingTime,
} from "./redisClient";

/**
 * Which restore task of an instance belongs to this resource, decided without I/O. Tencent Cloud's task list does not
 * say which backup a task restored nor who started it, so a task is attributed from what else is known: this
 * machine's restore journal (the call and the tasks that existed before it), the tasks the stack records, the user's
 * `adoptTaskId` and `ignoreTaskIds`, and the instance's state. `RedisRestoreProvider` reads those and calls these.
 */

/**
 * How far back, before any RestoreInstance, the instance's task list is searched for a restore that nothing in the stack
 * records (an earlier attempt killed after its call, on whatever machine): as long as the local journal keeps entries.
 * A re-run later than this after a killed attempt is not protected (documented).
 */
export const UNRECORDED_LOOKBACK_MS = JOURNAL_TTL_MS;

/**
 * How far a task's StartTime (server clock) may lie from the journal's `calledAt` (our clock) and still be the task of
 * that call: requests are only accepted within 5 minutes of the server's time, plus a minute for the call itself.
 */
export const CALL_WINDOW_MS = 6 * 60_000;

/** What DescribeTaskInfo answered for a task: its information, or the code saying Tencent Cloud does not know it. */
export type TaskAnswer = { known: true; info: RedisTaskInfo } | { known: false; code: string };

/** True when an error code of DescribeTaskInfo means "no such task" (rather than a failure to ask). */
export function isUnknownTaskCode(code: string): boolean {
    return /^(InvalidParameter|ResourceNotFound)/.test(code);
}

/** Whether a value is one of a constant list (the lists of `TASK_STATUS` and `TASK_RESULT`). */
export function isIn<T>(list: readonly T[], v: T): boolean {
    return list.includes(v);
}

// --- the journal: an earlier attempt of this very restore on this machine -----------------------------------------

/**
 * The task of a journal entry whose attempt died before learning it: the first restore task (by start, then id) that
 * was not there before the call and started within {@link CALL_WINDOW_MS} of it. `tasks` are the instance's restore
 * tasks since `calledAt - CALL_WINDOW_MS`. A task whose start is unknown counts as started at the call.
 */
export function journalTaskOf(
    entry: Pick<JournalEntry, "calledAt" | "knownTaskIds">,
    tasks: readonly RedisTaskListItem[],
): number | undefined {
    const known = new Set(entry.knownTaskIds);
    return tasks
        .filter((t) => !known.has(t.TaskId))
        .map((t) => ({ id: t.TaskId, at: parseBeijingTime(t.StartTime) ?? entry.calledAt }))
        .filter((t) => t.at <= entry.calledAt + CALL_WINDOW_MS)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0]?.id;
}

/** Whether the task a journal entry names is followed, or the entry ignored (and a restore made). */
export type JournalVerdict = { kind: "follow"; status: string } | { kind: "ignore"; why: string };

/** Checks the task a journal entry of `instanceId` names: it must exist and belong to that instance. */
export function journalVerdict(instanceId: string, taskId: number, answer: TaskAnswer): JournalVerdict {
    if (!answer.known)
        return {
            kind: "ignore",
            why: `the restore journal names task ${taskId}, which Tencent Cloud does not know (${answer.code})`,
        };
    if (answer.info.InstanceId && answer.info.InstanceId !== instanceId)
        return {
            kind: "ignore",
            why: `the restore journal names task ${taskId}, which belongs to instance ${answer.info.InstanceId}, not ${instanceId}`,
        };
    return { kind: "follow", status: answer.info.Status };
}

/** The tasks this machine's journal knows were started by this resource for other inputs (another intent). */
export function otherIntentTasks(entries: readonly JournalEntry[], intent: string): Set<number> {
    const out = new Set<number>();
    for (const e of entries) if (e.intent !== intent && e.taskId !== undefined) out.add(e.taskId);
    return out;
}

/** The journal entries a destroyed restore leaves behind: its intent's, and any naming its task. */
export function entryOfRestore(intent: string, taskId: number | undefined): (e: JournalEntry) => boolean {
    return (e) => e.intent === intent || (taskId !== undefined && e.taskId === taskId);
}

/** After an unclear RestoreInstance: its task is the first listed one that was not there before the call. */
export function newTaskOf(tasks: readonly RedisTaskListItem[], known: ReadonlySet<number>): number | undefined {
    return tasks.find((t) => !known.has(t.TaskId))?.TaskId;
}

// --- a restore running while the instance is in process ---------------------------------------------------------

/**
 * What a restore task running on the instance (while the instance is "in process") means to this restore:
 * - `follow`: the backup to restore is locked by it and no other intent of this resource started it: it is the earlier,
 *   interrupted attempt of this restore (on this or another machine);
 * - `waitOwn`: this resource started it for other inputs (triggers or backup changed since): waited out, then restored
 *   over;
 * - `waitOther`: another flow holds the instance (a restore of another backup, or no restore at all).
 * `notOurs`: the task restores another backup (this one is free), so it is no unrecorded attempt of this restore.
 */
export type RunningVerdict =
    | { kind: "follow"; taskId: number; notOurs: false }
    | { kind: "waitOwn"; taskId: number; notOurs: boolean }
    | { kind: "waitOther"; taskId?: number; notOurs: boolean };

/** Attributes the restore running on an instance in process (see {@link RunningVerdict}). */
export function runningVerdict(o: {
    /** The newest unfinished restore task of the instance, if any. */
    running: number | undefined;
    /** The backup to restore is locked (status 1 or Locked 1). */
    backupLocked: boolean;
    /** {@link otherIntentTasks} of this resource's journal. */
    otherIntents: ReadonlySet<number>;
}): RunningVerdict {
    const { running, backupLocked } = o;
    if (running === undefined) return { kind: "waitOther", notOurs: false };
    const notOurs = !backupLocked;
    if (o.otherIntents.has(running)) return { kind: "waitOwn", taskId: running, notOurs };
    if (backupLocked) return { kind: "follow", taskId: running, notOurs: false };
    return { kind: "waitOther", taskId: running, notOurs };
}

// --- adoptTaskId --------------------------------------------------------------------------------------------------

/** Whether the task named by `adoptTaskId` is taken over, passed over, or refused. */
export type AdoptionVerdict =
    | { kind: "adopt"; status: string }
    /** The stack already records it for an earlier restore of this resource: this is a new restore. */
    | { kind: "skip"; why: string }
    /** Not a restore of this instance that can be taken over: the create fails, nothing restored. */
    | { kind: "refuse"; message: string };

/**
 * Checks the task named by `adoptTaskId`: a restore of this instance that did not fail. `answer` is DescribeTaskInfo's,
 * needed only when the stack does not record the task already.
 */
export function adoptionVerdict(o: {
    taskId: number;
    instanceId: string;
    /** The stack records this task (an earlier restore of this resource). */
    recorded: boolean;
    answer?: TaskAnswer;
}): AdoptionVerdict {
    const t = o.taskId;
    if (o.recorded)
        return {
            kind: "skip",
            why: `adoptTaskId ${t} is the restore the stack already records for this resource's earlier inputs; restoring for the new ones (remove adoptTaskId to silence this line)`,
        };
    if (!o.answer) throw new Error(`adoptionVerdict: task ${t} needs DescribeTaskInfo's answer`);
    if (!o.answer.known)
        return {
            kind: "refuse",
            message: `adoptTaskId: Tencent Cloud does not know task ${t} (${o.answer.code}). Nothing was restored.`,
        };
    const info = o.answer.info;
    if (info.InstanceId && info.InstanceId !== o.instanceId)
        return {
            kind: "refuse",
            message: `adoptTaskId: task ${t} belongs to instance ${info.InstanceId}, not ${o.instanceId}. Nothing was restored.`,
        };
    if (info.TaskType && !isRestoreTaskType(info.TaskType))
        return {
            kind: "refuse",
            message: `adoptTaskId: task ${t} is a ${info.TaskType} task, not a restore. Nothing was restored.`,
        };
    if (isIn(TASK_STATUS.failed, info.Status))
        return {
            kind: "refuse",
            message: `adoptTaskId: restore task ${t} ended in "${info.Status}" (${info.TaskMessage || "no message"}); a failed restore cannot be taken over. Remove adoptTaskId (and add ${t} to ignoreTaskIds if the create refuses because of it) to restore. Nothing was restored.`,
        };
    return { kind: "adopt", status: info.Status };
}

// --- unattributed restores: refused before any RestoreInstance -------------------------------------------------------

/**
 * The restore tasks (DescribeTaskList, newest first) that may be an unrecorded earlier attempt of a restore: not failed
 * (a failed task restored nothing: restoring again is what the user wants), not `accounted` for (recorded in the stack,
 * listed in `ignoreTaskIds`, seen restoring another backup, or this machine's journal knows them as another intent's),
 * and not started before `after` (the end of the backup to restore, which no restore of it can precede, or the start of
 * the newest restore the stack records, which overwrote everything restored before it). A task whose start is unknown
 * counts.
 */
export function unrecordedRestores(
    tasks: readonly RedisTaskListItem[],
    o: { accounted: ReadonlySet<number>; after?: number },
): RedisTaskListItem[] {
    return tasks.filter((t) => {
        if (t.Result !== undefined && isIn(TASK_RESULT.failed, t.Result)) return false;
        if (o.accounted.has(t.TaskId)) return false;
        const at = parseBeijingTime(t.StartTime);
        return !(o.after !== undefined && at !== undefined && at < o.after);
    });
}

/**
 * The instance's restore tasks that nothing attributes (see {@link unrecordedRestores}), from everything known: the
 * tasks the stack records (in this process, and in this machine's cache), the tasks seen restoring another backup, the
 * user's `ignoreTaskIds`, the journal's tasks of other intents, and the end of the explicit backup (none with a
 * selector: an earlier attempt may have chosen an older one).
 */
export function unattributedRestores(o: {
    tasks: readonly RedisTaskListItem[];
    recorded: Iterable<number>;
    notOurs: Iterable<number>;
    ignoreTaskIds?: readonly number[];
    otherIntents: Iterable<number>;
    /** The explicit backup's EndTime (Beijing time). */
    backupEnd?: string;
}): RedisTaskListItem[] {
    const recorded = new Set(o.recorded);
    const accounted = new Set<number>([...recorded, ...o.notOurs, ...(o.ignoreTaskIds ?? []), ...o.otherIntents]);
    // A restore the stack records overwrote whatever restores ran before it: those no longer matter.
    const bounds = [
        parseBeijingTime(o.backupEnd),
        ...o.tasks.filter((t) => recorded.has(t.TaskId)).map((t) => parseBeijingTime(t.StartTime)),
    ].filter((t): t is number => t !== undefined);
    return unrecordedRestores(o.tasks, { accounted, after: bounds.length ? Math.max(...bounds) : undefined });
}

/** The tasks of a refusal, for progress lines and errors. */
export function unattributedList(found: readonly RedisTaskListItem[]): string {
    return found
        .map(
            (t) =>
                `task ${t.TaskId} (started ${t.StartTime ?? "at an unknown time"} Beijing time, ${taskResultText(t.Result)})`,
        )
        .join(", ");
}

/** Why a restore is refused when the instance has restores nothing attributes, and the two ways on. */
export function unattributedRefusal(label: string, instanceId: string, found: readonly RedisTaskListItem[]): string {
    const list = unattributedList(found);
    const ids = found.map((t) => t.TaskId);
    return (
        `${label}: instance ${instanceId} was restored by ${list} in the last ${formatDuration(UNRECORDED_LOOKBACK_MS)}, and nothing in this stack records ${ids.length === 1 ? "that task" : "those tasks"}. ` +
        `It may be this very restore, started by an earlier \`pulumi up\` that was killed after calling RestoreInstance (a CI job cancelled or timed out, on this or another machine), or a restore started by someone else: ` +
        `Tencent Cloud's task list does not say which backup a task restored nor who started it. Restoring again would interrupt service again and overwrite everything written since, so nothing was restored. ` +
        `If ${ids.length === 1 ? "it is" : `one of them is`} this resource's restore (the log of the interrupted run shows "RestoreInstance accepted: task N", or the time matches), set \`adoptTaskId: ${ids[0]}\` on this resource: the next \`pulumi up\` takes it over without restoring. ` +
        `If not, set \`ignoreTaskIds: [${ids.join(", ")}]\` and run \`pulumi up\` again to restore.`
    );
}

/** DescribeTaskList's numeric result in words. */
function taskResultText(r: number | undefined): string {
    if (r === undefined) return "status unknown";
    if (isIn(TASK_RESULT.succeeded, r)) return "finished";
    return isIn(TASK_RESULT.pending, r) ? "not finished" : `result ${r}`;
}
