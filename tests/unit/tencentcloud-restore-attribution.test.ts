import { strict as assert } from "assert";
import {
    AdoptionVerdict,
    CALL_WINDOW_MS,
    JournalVerdict,
    RunningVerdict,
    TaskAnswer,
    adoptionVerdict,
    entryOfRestore,
    isUnknownTaskCode,
    journalTaskOf,
    journalVerdict,
    newTaskOf,
    otherIntentTasks,
    runningVerdict,
    unattributedRefusal,
    unattributedRestores,
} from "../../provider/tencentcloud/restoreAttribution";
import { JournalEntry } from "../../provider/tencentcloud/restoreJournal";
import { RedisTaskListItem, parseBeijingTime } from "../../provider/tencentcloud/redisClient";

const INSTANCE = "crs-5a4py64p";
const OTHER = "crs-0000aaaa";
/** Beijing time (as the task list gives it) of minute `m` after 2026-05-01 10:00. */
const bj = (m: number) => `2026-05-01 10:${String(m).padStart(2, "0")}:00`;
const ms = (m: number) => parseBeijingTime(bj(m)) as number;

const info = (
    o: Partial<{ Status: string; InstanceId: string; TaskType: string; TaskMessage: string }>,
): TaskAnswer => ({
    known: true,
    info: { Status: "running", InstanceId: INSTANCE, TaskType: "FLOW_RESTOREBACKUP", ...o },
});
const unknown: TaskAnswer = { known: false, code: "ResourceNotFound.TaskNotExists" };

describe("tencentcloud redis: which restore task belongs to this resource", () => {
    describe("a restore running while the instance is in process (runningVerdict)", () => {
        const rows: [string, Parameters<typeof runningVerdict>[0], RunningVerdict][] = [
            [
                "nothing restoring: another flow holds it",
                { running: undefined, backupLocked: true, otherIntents: new Set() },
                { kind: "waitOther", notOurs: false },
            ],
            [
                "our backup locked by a restore no other intent started: the interrupted attempt, followed",
                { running: 7, backupLocked: true, otherIntents: new Set([3]) },
                { kind: "follow", taskId: 7, notOurs: false },
            ],
            [
                "our backup free: a restore of another backup, not ours",
                { running: 7, backupLocked: false, otherIntents: new Set() },
                { kind: "waitOther", taskId: 7, notOurs: true },
            ],
            [
                "our backup locked, but the journal knows the task as another intent's: waited out",
                { running: 7, backupLocked: true, otherIntents: new Set([7]) },
                { kind: "waitOwn", taskId: 7, notOurs: false },
            ],
            [
                "another intent's task restoring another backup: waited out, and not ours",
                { running: 7, backupLocked: false, otherIntents: new Set([7]) },
                { kind: "waitOwn", taskId: 7, notOurs: true },
            ],
        ];
        for (const [name, input, want] of rows) it(name, () => assert.deepEqual(runningVerdict(input), want));
    });

    describe("adoptTaskId (adoptionVerdict)", () => {
        const rows: [string, Parameters<typeof adoptionVerdict>[0], AdoptionVerdict["kind"], RegExp?][] = [
            [
                "recorded by the stack for earlier inputs: skipped, without asking",
                { taskId: 7, instanceId: INSTANCE, recorded: true },
                "skip",
                /already records .* restoring for the new ones/,
            ],
            [
                "unknown to Tencent Cloud: refused",
                { taskId: 7, instanceId: INSTANCE, recorded: false, answer: unknown },
                "refuse",
                /^adoptTaskId: Tencent Cloud does not know task 7 \(ResourceNotFound\.TaskNotExists\)/,
            ],
            [
                "another instance's: refused",
                { taskId: 7, instanceId: INSTANCE, recorded: false, answer: info({ InstanceId: OTHER }) },
                "refuse",
                /belongs to instance crs-0000aaaa, not crs-5a4py64p/,
            ],
            [
                "not a restore: refused",
                { taskId: 7, instanceId: INSTANCE, recorded: false, answer: info({ TaskType: "FLOW_BACKUPINSTANCE" }) },
                "refuse",
                /is a FLOW_BACKUPINSTANCE task, not a restore/,
            ],
            [
                "a failed restore: refused, with its message",
                {
                    taskId: 7,
                    instanceId: INSTANCE,
                    recorded: false,
                    answer: info({ Status: "failed", TaskMessage: "disk full" }),
                },
                "refuse",
                /ended in "failed" \(disk full\); a failed restore cannot be taken over/,
            ],
            [
                "a running restore of this instance: adopted",
                { taskId: 7, instanceId: INSTANCE, recorded: false, answer: info({ Status: "running" }) },
                "adopt",
            ],
            [
                "a finished restore of this instance: adopted",
                { taskId: 7, instanceId: INSTANCE, recorded: false, answer: info({ Status: "succeed" }) },
                "adopt",
            ],
            [
                "task without instance or type (the API may leave them out): adopted",
                {
                    taskId: 7,
                    instanceId: INSTANCE,
                    recorded: false,
                    answer: { known: true, info: { Status: "succeed" } },
                },
                "adopt",
            ],
        ];
        for (const [name, input, kind, text] of rows)
            it(name, () => {
                const v = adoptionVerdict(input);
                assert.equal(v.kind, kind);
                const words = v.kind === "skip" ? v.why : v.kind === "refuse" ? v.message : v.status;
                if (text) assert.match(words, text);
                else assert.equal(words, input.answer?.known ? input.answer.info.Status : undefined);
            });
        it("an unrecorded task without DescribeTaskInfo's answer is a programming error", () =>
            assert.throws(() => adoptionVerdict({ taskId: 7, instanceId: INSTANCE, recorded: false }), /needs/));
    });

    describe("the journal of an interrupted attempt on this machine", () => {
        const entry = { calledAt: ms(10), knownTaskIds: [1, 2] };
        const task = (TaskId: number, m?: number): RedisTaskListItem => ({
            TaskId,
            StartTime: m === undefined ? undefined : bj(m),
        });
        const window = CALL_WINDOW_MS / 60_000;
        const rows: [string, RedisTaskListItem[], number | undefined][] = [
            ["only tasks known before the call: none", [task(1, 11), task(2, 12)], undefined],
            ["a new task after the call: it", [task(2, 9), task(3, 11)], 3],
            ["the earliest new task, whatever the list's order", [task(5, 13), task(4, 11)], 4],
            ["two new tasks at the same start: the lower id", [task(6, 11), task(4, 11)], 4],
            ["a new task later than the call's window: none", [task(3, 10 + window + 1)], undefined],
            ["a new task at the window's end: it", [task(3, 10 + window)], 3],
            ["a new task of unknown start counts as started at the call", [task(3)], 3],
            ["a new task before the call (within the listing's lookback) counts: clocks differ", [task(3, 5)], 3],
        ];
        for (const [name, tasks, want] of rows)
            it(`journalTaskOf: ${name}`, () => assert.equal(journalTaskOf(entry, tasks), want));

        const verdicts: [string, TaskAnswer, JournalVerdict["kind"], RegExp][] = [
            ["an unknown task: ignored", unknown, "ignore", /names task 7, which Tencent Cloud does not know/],
            [
                "another instance's task: ignored",
                info({ InstanceId: OTHER }),
                "ignore",
                /belongs to instance crs-0000aaaa/,
            ],
            ["this instance's task: followed, finished or not", info({ Status: "succeed" }), "follow", /^succeed$/],
            ["even a failed one (its wait reports the failure)", info({ Status: "failed" }), "follow", /^failed$/],
        ];
        for (const [name, answer, kind, text] of verdicts)
            it(`journalVerdict: ${name}`, () => {
                const v = journalVerdict(INSTANCE, 7, answer);
                assert.equal(v.kind, kind);
                assert.match(v.kind === "ignore" ? v.why : v.status, text);
            });

        it("otherIntentTasks and entryOfRestore pick entries by intent and task", () => {
            const e = (intent: string, taskId?: number) => ({ intent, taskId }) as JournalEntry;
            const entries = [e("mine", 1), e("old", 2), e("older"), e("old2", 3)];
            assert.deepEqual([...otherIntentTasks(entries, "mine")], [2, 3]);
            assert.deepEqual(
                entries.filter(entryOfRestore("mine", 3)).map((x) => x.intent),
                ["mine", "old2"],
            );
            assert.deepEqual(
                entries.filter(entryOfRestore("older", undefined)).map((x) => x.intent),
                ["older"],
            );
        });

        it("newTaskOf: after an unclear RestoreInstance, the first listed task not there before", () => {
            assert.equal(newTaskOf([task(9), task(8), task(1)], new Set([1, 8])), 9);
            assert.equal(newTaskOf([task(1)], new Set([1])), undefined);
        });
    });

    describe("restores nothing attributes are refused (unattributedRestores)", () => {
        const t = (TaskId: number, m: number | undefined, Result = 2): RedisTaskListItem => ({
            TaskId,
            StartTime: m === undefined ? undefined : bj(m),
            Result,
        });
        // Newest first, as DescribeTaskList answers.
        const tasks = [t(9, 50), t(8, 40, 4), t(7, 30), t(6, 20, 1), t(5, undefined), t(4, 10)];
        const none = { recorded: [], notOurs: [], otherIntents: [] };
        const rows: [string, Partial<Parameters<typeof unattributedRestores>[0]>, number[]][] = [
            ["nothing known: every task but the failed one", {}, [9, 7, 6, 5, 4]],
            ["recorded by the stack: it and every earlier one no longer matter", { recorded: [7] }, [9, 5]],
            ["seen restoring another backup", { notOurs: [9, 6] }, [7, 5, 4]],
            ["listed in ignoreTaskIds", { ignoreTaskIds: [9, 4] }, [7, 6, 5]],
            ["started by this resource for other inputs (journal)", { otherIntents: [7] }, [9, 6, 5, 4]],
            ["before the explicit backup ended", { backupEnd: bj(25) }, [9, 7, 5]],
            [
                "the later of the backup's end and the newest recorded start bounds",
                { backupEnd: bj(45), recorded: [6] },
                [9, 5],
            ],
        ];
        for (const [name, o, want] of rows)
            it(name, () =>
                assert.deepEqual(
                    unattributedRestores({ tasks, ...none, ...o }).map((x) => x.TaskId),
                    want,
                ),
            );

        it("the refusal names the tasks and both ways on", () => {
            const one = unattributedRefusal("[r]", INSTANCE, [t(7, 30)]);
            assert.match(
                one,
                /^\[r\]: instance crs-5a4py64p was restored by task 7 \(started 2026-05-01 10:30:00 Beijing time, finished\)/,
            );
            assert.match(one, /that task/);
            assert.match(one, /set `adoptTaskId: 7`/);
            assert.match(one, /set `ignoreTaskIds: \[7\]`/);
            const two = unattributedRefusal("[r]", INSTANCE, [t(9, 50, 1), t(5, undefined, 0)]);
            assert.match(two, /task 9 \(.*not finished\), task 5 \(started at an unknown time/);
            assert.match(two, /those tasks.*one of them is.*adoptTaskId: 9.*ignoreTaskIds: \[9, 5\]/);
        });
    });

    it("isUnknownTaskCode: only the codes that say there is no such task", () => {
        for (const c of ["InvalidParameter.TaskNotExists", "ResourceNotFound", "InvalidParameterValue"])
            assert.equal(isUnknownTaskCode(c), true, c);
        for (const c of ["InternalError", "RequestLimitExceeded", "AuthFailure"])
            assert.equal(isUnknownTaskCode(c), false, c);
    });
});
