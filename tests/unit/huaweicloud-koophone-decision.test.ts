import { strict as assert } from "assert";
import {
    DriveTally,
    PhoneDecision,
    PhoneView,
    applyDecision,
    decidePhone,
    emptyTally,
    holdingAfter,
    pendingOf,
    progressDecision,
    roundSummary,
    unusableTargets,
} from "../../provider/huaweicloud/koophoneDecision";
import { KooPhoneInstance } from "../../provider/huaweicloud/koophoneClient";
import { InstanceRecord } from "../../provider/huaweicloud/koophoneInputs";
import { PhoneClaim } from "../../provider/huaweicloud/claims";
import { BACKUP_CALL_MAX_MS, parkedProofs } from "../../provider/huaweicloud/ownership";

const ID = "phone-1";
const T0 = Date.parse("2026-01-01T00:00:00Z");
/** "now" of every row: ten minutes after T0. */
const NOW = T0 + 600_000;
const SETTLE = 30_000;
const iso = (ms: number) => new Date(ms).toISOString();
const BACKED_AT = iso(T0 + 60_000);
const BACKED_AT_OUT = "2026-01-01T00:01:00Z"; // as outputs write it (UTC, to the second)

/** Phones in each state ListInstances can show (backup_status / restore_status: 1 running, 2 success, 3 failed). */
const phone = {
    running: { instance_id: ID },
    backingUp: { instance_id: ID, backup_status: 1 },
    backingUpRestoreQueued: { instance_id: ID, backup_status: 1, restore_status: 0 },
    backedUp: { instance_id: ID, backup_status: 2, backup_time: BACKED_AT },
    backupFailed: { instance_id: ID, backup_status: 3, backup_time: BACKED_AT },
    restoring: { instance_id: ID, backup_status: 2, backup_time: BACKED_AT, restore_status: 1 },
    restoreFailed: {
        instance_id: ID,
        backup_status: 2,
        backup_time: BACKED_AT,
        restore_status: 3,
        restore_time: iso(T0 + 120_000),
    },
    /** Restored (successfully) at T0 + 5 min: runs again. */
    restoredAt5: {
        instance_id: ID,
        backup_status: 2,
        backup_time: BACKED_AT,
        restore_status: 2,
        restore_time: iso(T0 + 300_000),
    },
    /** Backed up again at T0 + 8 min, later than the record the stack holds. */
    backedUpLater: { instance_id: ID, backup_status: 2, backup_time: iso(T0 + 480_000) },
} satisfies Record<string, KooPhoneInstance>;

/** Calls of this run: certain, unclear within the settle window, unclear past it, unclear already proven. */
const call = {
    certain: { at: T0 + 240_000, uncertain: false },
    unclearFresh: { at: NOW - 10_000, uncertain: true, code: "ECONNRESET" },
    unclearOld: { at: NOW - 60_000, uncertain: true, code: "ECONNRESET" },
    unclearProven: { at: NOW - 60_000, uncertain: true, code: "ECONNRESET", proven: true },
};

/** The stack's record of a phone this resource backed up at BACKED_AT, by task t-1. */
const OLD: InstanceRecord = { instanceId: ID, backupStatus: "success", backupTime: BACKED_AT_OUT, taskId: "t-1" };
/** This run's record of a backup it started (task t-2). */
const CURRENT: InstanceRecord = { instanceId: ID, backupStatus: "backing up", taskId: "t-2", jobId: "j-2" };

type Expect = { kind: PhoneDecision["kind"]; text?: RegExp } & Record<string, unknown>;
type Row = [string, Partial<PhoneView> & Pick<PhoneView, "goal">, Expect];

const ROWS: Row[] = [
    // goal "parked": the phone is to be backed up and held
    [
        "parked, gone",
        { goal: "parked", inst: undefined },
        { kind: "failed", code: "KOOPHONE.API.4001", dropRecord: false, text: /no longer exists/ },
    ],
    ["parked, running, no call yet", { goal: "parked", inst: phone.running }, { kind: "backUp" }],
    ["parked, backup failed before this run", { goal: "parked", inst: phone.backupFailed }, { kind: "backUp" }],
    [
        "parked, running, certain call, effect awaited",
        { goal: "parked", inst: phone.running, sub: call.certain },
        { kind: "wait" },
    ],
    [
        "parked, running, unclear call within the window",
        { goal: "parked", inst: phone.running, sub: call.unclearFresh },
        { kind: "wait" },
    ],
    [
        "parked, running, unclear call past the window",
        { goal: "parked", inst: phone.running, sub: call.unclearOld },
        {
            kind: "unresolved",
            dropRecord: false,
            text: /BatchBackupInstances answer was lost or unclear \(ECONNRESET\) and after 30s the instance still runs/,
        },
    ],
    [
        "parked, restored by someone since this run's certain call",
        { goal: "parked", inst: phone.restoredAt5, sub: call.certain },
        { kind: "failed", dropRecord: true, text: /restored out of band/ },
    ],
    [
        "parked, being restored by someone else",
        { goal: "parked", inst: phone.restoring },
        { kind: "failed", dropRecord: true, text: /is being restored/ },
    ],
    [
        "parked, backing up with a restore queued behind it",
        { goal: "parked", inst: phone.backingUpRestoreQueued },
        { kind: "failed", dropRecord: true, text: /KooPhone runs it once the backup ends/ },
    ],
    [
        "parked, backed up, found so (keeps the stack's task)",
        { goal: "parked", inst: phone.backedUp, old: OLD },
        {
            kind: "record",
            record: { instanceId: ID, backupStatus: "success", backupTime: BACKED_AT_OUT, taskId: "t-1" },
        },
    ],
    [
        "parked, backing up after this run's call (keeps this run's task over the stack's)",
        { goal: "parked", inst: phone.backingUp, sub: call.certain, current: CURRENT, old: OLD },
        { kind: "record", record: { instanceId: ID, backupStatus: "backing up", taskId: "t-2", jobId: "j-2" } },
    ],
    [
        "parked, backup of this run's call failed",
        { goal: "parked", inst: phone.backupFailed, sub: call.certain, current: CURRENT },
        { kind: "record", record: { instanceId: ID, backupStatus: "failed", taskId: "t-2", jobId: "j-2" } },
    ],
    [
        "parked, restore failed before this run: still parked",
        { goal: "parked", inst: phone.restoreFailed, old: OLD },
        {
            kind: "record",
            record: { instanceId: ID, backupStatus: "success", backupTime: BACKED_AT_OUT, taskId: "t-1" },
        },
    ],
    [
        "parked, unclear call, parked within the window: proven",
        { goal: "parked", inst: phone.backingUp, sub: call.unclearFresh },
        { kind: "record", proven: true, record: { instanceId: ID, backupStatus: "backing up" } },
    ],
    [
        "parked, unclear call, restore-failed within the window: proven, as backed up",
        { goal: "parked", inst: phone.restoreFailed, sub: call.unclearFresh, old: OLD },
        {
            kind: "record",
            proven: true,
            record: { instanceId: ID, backupStatus: "success", backupTime: BACKED_AT_OUT },
        },
    ],
    [
        "parked, unclear call, parked only after the window: not taken",
        { goal: "parked", inst: phone.backedUp, sub: call.unclearOld },
        { kind: "unresolved", dropRecord: true, text: /showed no change for 30s; it is backed up now/ },
    ],
    [
        "parked, unclear call proven earlier: followed like any other",
        { goal: "parked", inst: phone.backedUp, sub: call.unclearProven },
        { kind: "record", record: { instanceId: ID, backupStatus: "success", backupTime: BACKED_AT_OUT } },
    ],
    // goal "running": the phone was removed from instanceIds and is to be brought back
    ["running, gone", { goal: "running", inst: undefined }, { kind: "restored" }],
    ["running, runs", { goal: "running", inst: phone.restoredAt5, old: OLD }, { kind: "restored" }],
    [
        "running, backup failed (never left its hardware)",
        { goal: "running", inst: phone.backupFailed },
        { kind: "restored" },
    ],
    [
        "running, backed up as the stack holds it",
        { goal: "running", inst: phone.backedUp, old: OLD },
        { kind: "restore" },
    ],
    [
        "running, parked again by someone else since",
        { goal: "running", inst: phone.backedUpLater, old: OLD },
        { kind: "released", text: /parked again by someone else/ },
    ],
    [
        "running, backed up, certain call, effect awaited",
        { goal: "running", inst: phone.backedUp, sub: call.certain, old: OLD },
        { kind: "wait" },
    ],
    [
        "running, backed up, unclear call past the window",
        { goal: "running", inst: phone.backedUp, sub: call.unclearOld, old: OLD },
        {
            kind: "unresolved",
            dropRecord: false,
            text: /BatchPrepareInstances answer was lost or unclear .* is still backed up/,
        },
    ],
    [
        "running, restoring",
        { goal: "running", inst: phone.restoring, sub: call.certain, old: OLD },
        { kind: "askProgress" },
    ],
    [
        "running, a restore failed before this run: tried again",
        { goal: "running", inst: phone.restoreFailed, old: OLD },
        { kind: "restore" },
    ],
    [
        "running, this run's restore failed",
        { goal: "running", inst: phone.restoreFailed, sub: call.certain, old: OLD },
        { kind: "failed", dropRecord: false, text: /restore failed \(restore_status 3\)/ },
    ],
    ["running, still backing up", { goal: "running", inst: phone.backingUp }, { kind: "wait" }],
];

/** The words of a decision (message or reason), for the rows' patterns. */
function textOf(d: PhoneDecision): string | undefined {
    return "message" in d ? d.message : "why" in d ? d.why : undefined;
}

describe("huaweicloud koophone: what drive does with each phone (decidePhone)", () => {
    for (const [name, view, expect] of ROWS) {
        it(name, () => {
            const v: PhoneView = {
                instanceId: ID,
                inst: undefined,
                sub: undefined,
                current: undefined,
                old: undefined,
                now: NOW,
                settleMs: SETTLE,
                ...view,
            };
            const d = decidePhone(v);
            const { text, ...fields } = expect;
            const got: Record<string, unknown> = { ...d };
            delete got.message;
            delete got.why;
            assert.deepEqual(got, fields);
            if (text) assert.match(textOf(d) ?? "", text);
            else assert.equal(textOf(d), undefined, "a decision without words in the row has none");
        });
    }
});

describe("huaweicloud koophone: ShowProgress, the tally and the round line", () => {
    const progressRows: [number, string][] = [
        [0, "restored"],
        [-1, "failed"],
        [1, "queued"],
        [2, "wait"],
    ];
    for (const [status, kind] of progressRows)
        it(`ShowProgress status ${status} → ${kind}`, () => assert.equal(progressDecision(status).kind, kind));

    it("applyDecision enters each settling decision; pendingOf and roundSummary read the tally", () => {
        const t = emptyTally();
        const targets = new Map([
            ["a", "parked"],
            ["b", "parked"],
            ["c", "parked"],
            ["d", "running"],
            ["e", "running"],
        ] as const);
        t.records.set("c", { instanceId: "c", backupStatus: "backing up" });
        applyDecision(t, "a", { kind: "record", record: { instanceId: "a", backupStatus: "success" } });
        applyDecision(t, "b", { kind: "wait" });
        applyDecision(t, "c", { kind: "failed", message: "restored elsewhere", dropRecord: true });
        applyDecision(t, "d", { kind: "restored" });
        assert.deepEqual(pendingOf(new Map(targets), t), ["b", "e"], "a is backed up, c failed, d restored");
        assert.equal(t.records.has("c"), false, "dropRecord removes this run's record");
        assert.deepEqual(t.failed.get("c"), { message: "restored elsewhere" }, "no code key when none is given");
        applyDecision(t, "b", { kind: "unresolved", why: "unclear", dropRecord: false });
        applyDecision(t, "e", { kind: "released", why: "parked again" });
        assert.deepEqual(pendingOf(new Map(targets), t), []);
        assert.equal(roundSummary(t, 3, 2, 0), "1/3 backed up, 1/2 restored, 1 failed");
        assert.equal(roundSummary(emptyTally(), 0, 2, 1), "0/2 restored (1 queued)");
    });
});

describe("huaweicloud koophone: before and after a wait", () => {
    it("unusableTargets: missing phones, then phones being restored, else none", () => {
        const live = new Map<string, KooPhoneInstance>([
            ["a", { instance_id: "a" }],
            ["r", { ...phone.restoring, instance_id: "r" }],
        ]);
        assert.match(
            unusableTargets(["a", "x", "r"], live) ?? "",
            /instance\(s\) x do not exist .*KOOPHONE\.API\.4001/,
        );
        assert.match(unusableTargets(["a", "r"], live) ?? "", /instance\(s\) r are being restored/);
        assert.equal(unusableTargets(["a"], live), undefined);
    });

    it("holdingAfter: held phones, removed ones not yet restored, failed records last", () => {
        const t: DriveTally = emptyTally();
        t.records.set("a", { instanceId: "a", backupStatus: "success" });
        t.records.set("b", { instanceId: "b", backupStatus: "backing up" });
        t.records.set("f", { instanceId: "f", backupStatus: "failed" });
        t.restored.add("r1");
        t.released.set("r2", "parked again");
        const oldRecs = new Map([["r3", { instanceId: "r3", backupStatus: "success", taskId: "t-9" }]]);
        const h = holdingAfter(["a", "b", "f", "u"], ["r1", "r2", "r3", "r4"], true, oldRecs, t);
        assert.deepEqual(h.held, ["a", "b"]);
        assert.deepEqual(h.notRestored, ["r3", "r4"]);
        assert.deepEqual(h.instanceIds, ["a", "b", "r3", "r4"]);
        assert.deepEqual(
            h.instances.map((r) => [r.instanceId, r.backupStatus, r.taskId]),
            [
                ["a", "success", undefined],
                ["b", "backing up", undefined],
                ["r3", "success", "t-9"],
                ["r4", "success", undefined],
                ["f", "failed", undefined],
            ],
        );
        assert.deepEqual(h.succeeded, ["a"]);
        assert.deepEqual(
            holdingAfter(["a"], ["r3"], false, oldRecs, t).notRestored,
            [],
            "restoreOnDelete false drops them",
        );
    });

    it("parkedProofs: held phones need none unless re-parked; others need a claim with proof", () => {
        const at = (id: string, i: KooPhoneInstance) => [id, { ...i, instance_id: id }] as const;
        const live = new Map<string, KooPhoneInstance>([
            at("run", phone.running),
            at("held", phone.backedUp),
            at("reparked", phone.backedUpLater),
            at("accepted", phone.backedUp),
            at("none", phone.backedUp),
            at("late", phone.backedUp),
        ]);
        const claim = (c: Partial<PhoneClaim>): PhoneClaim => ({ at: T0, ...c });
        const proofs = parkedProofs({
            desired: [...live.keys()],
            live,
            held: ["held", "reparked"],
            heldRecords: new Map([
                ["held", { ...OLD, instanceId: "held" }],
                ["reparked", { ...OLD, instanceId: "reparked" }],
            ]),
            claims: new Map([
                ["accepted", claim({ answer: "accepted", answeredAt: T0 + 1000 })],
                ["late", claim({ answer: "unclear", answeredAt: T0 + 1000 })],
            ]),
            now: T0 + 1000 + BACKUP_CALL_MAX_MS + SETTLE + 1,
            settleMs: SETTLE,
        });
        assert.deepEqual(
            [...proofs].map(([id, p]) => [id, p.owned]),
            [
                ["reparked", false],
                ["accepted", true],
                ["none", false],
                ["late", false],
            ],
            "a running phone and a held one nobody touched are not asked about",
        );
        assert.match(proofs.get("reparked")?.why ?? "", /parked again by someone else/);
    });
});
