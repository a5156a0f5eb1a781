/**
 * Crash safety: the real dynamic-provider host is killed (SIGKILL) at seeded, reproducible points of create, update
 * (in place, or a replacement: create-before-delete) and delete of every resource; then the lifecycle is resumed with
 * another `up`. After each point: the resumed `up` succeeds, there is exactly one cloud resource per declared resource,
 * and the state matches the emulator (ids, status). See docs/reliability-crash.md.
 *
 * Kill points:
 *  - `before #k`: the host is killed when the k-th cloud request of the step arrives, and that request is dropped
 *    (it is not carried out);
 *  - `after #k`: the k-th request is carried out, then the host is killed before it reads the answer;
 *  - `rpc #k`: for steps that make no cloud call (Tencent's update and delete are state only), the host is killed when
 *    the engine sends it the k-th gRPC call of that resource in the step (Check, Diff, Update / Delete);
 *  - `late`: one extra create point per resource (after the seeded ones): the host is killed as the call that creates
 *    something arrives, and the cloud carries that call out later (after the host died, before the resumed `up`).
 *
 * `CRASH_SEED=<n>` picks other points; the seed and every point are printed. Every point must converge with exactly
 * one cloud resource (or restore task) per declared resource. (Tencent once restored a second time when the task had
 * finished before the next `up`; the restore journal fixed that, and such a point now fails. `CRASH_STRICT=0` still
 * reports it as PENDING instead, to count how often it would occur without the journal.)
 */
import { strict as assert } from "assert";
import { alicloud } from "../../index";
import { InstanceRestore, RestoredInstance as RedisRestoredInstance } from "../../provider/tencentcloud/redis";
import { VmFromBackup } from "../../provider/zstack";
import { RestoredInstance as RdsRestoredInstance } from "../../provider/jdcloud/rds";
import { koophone } from "../../provider/huaweicloud";
import { CloudName, EmulatorOptions, EmulatorServer, RunningEmulator } from "../../emulator";
import { Engine, RunResult } from "../../harness/engine";
import { ProviderHost } from "../../harness/host";
import { EmulatedStack, emulatedStack } from "../support/stack";
import { RestoreKey } from "../../clouds";

const SEED = Number(process.env.CRASH_SEED ?? 20261123);
const STRICT = process.env.CRASH_STRICT !== "0";
/** `CRASH_SCALE=<n>`: n times as many points (for hunting; the default run keeps to about three minutes). */
const SCALE = Math.max(1, Number(process.env.CRASH_SCALE ?? 1));

/** mulberry32: a small seeded PRNG, so the points are the same on every machine for one seed. */
function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** `update` changes an input in place; `replace` changes one that makes a new cloud resource (create-before-delete). */
type Op = "create" | "update" | "replace" | "delete";
const OPS: Op[] = ["create", "update", "replace", "delete"];
type When = "before" | "after" | "rpc" | "late";

/** How long after its arrival a `late` point's create is carried out (real ms). */
const LATE_MS = 800;

/** One kill point. `target` is the declared resource the step creates, changes or deletes. */
interface Point {
    id: string;
    op: Op;
    when: When;
    k: number;
    target: string;
}

/** What is declared of one resource; `rev` counts in-place changes, `variant` replacements. */
interface Decl {
    name: string;
    rev: number;
    variant: number;
    /** Tencent: the instance it restores. */
    instanceId?: string;
    /** Tencent: restore tasks expected on that instance (2 once a known-gap point restored twice). */
    expectedTasks?: number;
    /** Huawei: the phones it parks. */
    phones?: string[];
}

/** A resource under test: how to declare it, change it, and check the cloud against the state. */
interface Subject {
    /** Names the subject's points and resources (`<key>#3`, `<key>-0`); `CRASH_ONLY` takes these. */
    key: string;
    cloud: CloudName;
    type: string;
    /** The call that creates something (a `late` point delays it). */
    createAction: string;
    /** Points per operation. */
    counts: Record<Op, number>;
    /**
     * Highest k per operation for request kill points: a clean step on a running host makes at least this many
     * cloud requests (checked on the baseline run). 0: the step makes no cloud call; kill points are `rpc #k`
     * with k up to `rpcMax`.
     */
    maxK: Record<Op, number>;
    rpcMax?: Partial<Record<Op, number>>;
    emulator: EmulatorOptions;
    /** Makes the declaration of the i-th resource (fresh cloud objects). */
    fresh(name: string, i: number): Decl;
    /** Instantiates a declaration inside a program. */
    declare(d: Decl): void;
    /** An in-place change (rev is already incremented). */
    change?(d: Decl, emu: RunningEmulator): void;
    /** Bookkeeping of a replacement (variant is already incremented). */
    replaced?(d: Decl): void;
    /** Bookkeeping when a declaration enters or leaves the program. */
    added?(d: Decl): void;
    removed?(d: Decl): void;
    /** Exactly one cloud resource per declared resource; state matches the emulator. */
    verify(eng: Engine, emu: RunningEmulator, live: Decl[], gone: Decl[]): void;
}

const timeouts = (rev: number) => ({ create: "5m", update: `${5 + rev}m`, delete: "5m" });

function ids<T>(xs: T[], f: (x: T) => string): void {
    const seen = new Set(xs.map(f));
    assert.equal(seen.size, xs.length, "two declared resources point at the same cloud resource");
}

const starrocksBackup = (d: Decl) => (d.variant % 2 === 0 ? "bk-crash0001" : "bk-crash0002");
const starrocks: Subject = {
    key: "alicloud",
    cloud: "alicloud",
    type: "alicloud.starrocks.RestoredInstance",
    createAction: "RestoreInstance",
    counts: { create: 4, update: 2, replace: 1, delete: 3 },
    maxK: { create: 5, update: 1, replace: 8, delete: 3 },
    emulator: { starrocks: { restoreMs: 500, releaseMs: 250 } },
    fresh: (name) => ({ name, rev: 0, variant: 0 }),
    declare: (d) =>
        new alicloud.starrocks.RestoredInstance(d.name, {
            backupTaskId: starrocksBackup(d),
            instanceName: d.name,
            adminPassword: "Adm1n-Passw0rd!",
            timeouts: timeouts(d.rev),
        }),
    verify(eng, emu, live) {
        const cloud = emu.alicloud.service.live();
        assert.deepEqual(
            cloud.map((i) => i.InstanceStatus).filter((s) => s !== "running"),
            [],
            "every instance left is running (no half-released or stray one)",
        );
        assert.equal(
            cloud.length,
            live.length,
            `instances in the cloud: ${cloud.map((i) => i.InstanceId).join(", ")}; declared: ${live.map((d) => d.name).join(", ")}`,
        );
        const states = live.map((d) => eng.resource(d.name)!);
        ids(states, (s) => s.id);
        for (const [i, d] of live.entries()) {
            const st = states[i];
            assert.ok(st, `${d.name} is in the state`);
            const inst = cloud.find((c) => c.InstanceId === st.id);
            assert.ok(inst, `${d.name}: state id ${st.id} is an instance in the cloud`);
            assert.equal(st.outputs.instanceId, st.id);
            assert.equal(st.outputs.status, inst.InstanceStatus, `${d.name}: status in state`);
            assert.deepEqual(st.outputs.timeouts, timeouts(d.rev), `${d.name}: the latest change is in the state`);
            assert.equal(st.outputs.backupTaskId, starrocksBackup(d), `${d.name}: restored from the latest backup`);
        }
    },
};

const redisBackup = (d: Decl) => (d.variant % 2 === 0 ? `bk-${d.instanceId}` : `bk-${d.instanceId}-b`);
const tencent: Subject = {
    key: "tencentcloud",
    cloud: "tencentcloud",
    type: "tencentcloud.redis.InstanceRestore",
    createAction: "RestoreInstance",
    counts: { create: 5, update: 2, replace: 1, delete: 2 },
    maxK: { create: 6, update: 0, replace: 6, delete: 0 },
    rpcMax: { update: 3, delete: 1 },
    emulator: { tencentcloud: { prepareMs: 200, runMs: 500 } },
    fresh: (name, i) => ({
        name,
        rev: 0,
        variant: 0,
        instanceId: `crs-crash${String(i).padStart(3, "0")}`,
        expectedTasks: 1,
    }),
    replaced: (d) => void (d.expectedTasks! += 1),
    // The instance's password was changed (console); the stack follows it, as a user would.
    change: (d, emu) => void (emu.tencentcloud.service.instances.get(d.instanceId!)!.Password = `Redis-pw-rev${d.rev}`),
    declare: (d) =>
        new InstanceRestore(d.name, {
            instanceId: d.instanceId!,
            backupId: redisBackup(d),
            password: `Redis-pw-rev${d.rev}`,
            timeouts: { create: "5m" },
        }),
    verify(eng, emu, live, gone) {
        const svc = emu.tencentcloud.service;
        const all = [...live, ...gone];
        for (const d of all) {
            const tasks = svc.restoreTasks(d.instanceId);
            assert.equal(
                tasks.length,
                d.expectedTasks,
                `${d.name}: restore tasks of ${d.instanceId}: ${tasks.map((t) => `${t.TaskId} ${t.Status}`).join(", ")}`,
            );
        }
        assert.equal(
            svc.restoreTasks().length,
            all.reduce((n, d) => n + (d.expectedTasks ?? 1), 0),
            "no restore task on any other instance",
        );
        const states = live.map((d) => eng.resource(d.name)!);
        ids(states, (s) => s.id);
        for (const [i, d] of live.entries()) {
            const st = states[i];
            assert.ok(st, `${d.name} is in the state`);
            const tasks = svc.restoreTasks(d.instanceId);
            const last = tasks[tasks.length - 1];
            assert.equal(st.id, `${d.instanceId}:${last.TaskId}`, `${d.name}: id`);
            assert.equal(st.outputs.taskId, last.TaskId);
            assert.equal(st.outputs.status, last.Status, `${d.name}: status in state`);
            assert.equal(last.Status, "succeed");
            assert.equal(last.BackupId, redisBackup(d), `${d.name}: the latest task restores the latest backup`);
            assert.equal(st.outputs.password, `Redis-pw-rev${d.rev}`, `${d.name}: the latest change is in the state`);
        }
    },
};

const vmName = (d: Decl) => (d.variant === 0 ? d.name : `${d.name}-v${d.variant}`);
let zstackDemo: { backupGroupUuid: string; instanceOfferingUuid: string; l3NetworkUuid: string };
const zstack: Subject = {
    key: "zstack",
    cloud: "zstack",
    type: "zstack.VmFromBackup",
    createAction: "CreateVmFromVmBackup",
    counts: { create: 4, update: 2, replace: 1, delete: 3 },
    maxK: { create: 4, update: 1, replace: 10, delete: 6 },
    emulator: { zstack: { createMs: 300, startMs: 200, destroyMs: 200, expungeMs: 200 } },
    fresh: (name) => ({ name, rev: 0, variant: 0 }),
    declare: (d) =>
        new VmFromBackup(d.name, {
            backupGroupUuid: zstackDemo.backupGroupUuid,
            name: vmName(d),
            instanceOfferingUuid: zstackDemo.instanceOfferingUuid,
            l3NetworkUuids: [zstackDemo.l3NetworkUuid],
            defaultL3NetworkUuid: zstackDemo.l3NetworkUuid,
            timeouts: timeouts(d.rev),
        }),
    verify(eng, emu, live) {
        const all = emu.zstack.service.allVms() as { uuid: string; name: string; state: string }[];
        assert.equal(
            all.length,
            live.length,
            `VMs in the cloud (any state): ${all.map((v) => `${v.name} ${v.state}`).join(", ")}; declared: ${live.map((d) => d.name).join(", ")}`,
        );
        const states = live.map((d) => eng.resource(d.name)!);
        ids(states, (s) => s.id);
        for (const [i, d] of live.entries()) {
            const st = states[i];
            assert.ok(st, `${d.name} is in the state`);
            const vm = all.find((v) => v.uuid === st.id);
            assert.ok(vm, `${d.name}: state id ${st.id} is a VM`);
            assert.equal(vm.name, vmName(d), `${d.name}: the VM of the latest declaration`);
            assert.equal(st.outputs.state, vm.state, `${d.name}: state in state`);
            assert.equal(vm.state, "Running");
            assert.deepEqual(st.outputs.timeouts, timeouts(d.rev), `${d.name}: the latest change is in the state`);
        }
    },
};

const RDS_SPEC = {
    instanceClass: "db.mysql.s1.micro",
    instanceStorageGB: 20,
    azId: ["cn-north-1a", "cn-north-1a"],
    vpcId: "vpc-crash001",
    subnetId: "subnet-crash001",
    chargeSpec: {},
};
const rdsBackup = (d: Decl) => (d.variant % 2 === 0 ? "bk-crash-0001" : "bk-crash-0002");
const jdcloud: Subject = {
    key: "jdcloud",
    cloud: "jdcloud",
    type: "jdcloud.rds.RestoredInstance",
    createAction: "createInstanceFromBackup",
    counts: { create: 4, update: 2, replace: 1, delete: 3 },
    maxK: { create: 4, update: 1, replace: 6, delete: 3 },
    emulator: { jdcloud: { buildMs: 450, deleteMs: 250 } },
    fresh: (name) => ({ name, rev: 0, variant: 0 }),
    declare: (d) =>
        new RdsRestoredInstance(d.name, {
            backupId: rdsBackup(d),
            engine: "MySQL",
            instanceSpec: RDS_SPEC,
            timeouts: timeouts(d.rev),
        }),
    verify(eng, emu, live) {
        const cloud = emu.jdcloud.service.live();
        assert.equal(
            cloud.length,
            live.length,
            `instances in the cloud: ${cloud.map((i) => `${i.instanceId} ${i.instanceStatus}`).join(", ")}; declared: ${live.map((d) => d.name).join(", ")}`,
        );
        const states = live.map((d) => eng.resource(d.name)!);
        ids(states, (s) => s.id);
        for (const [i, d] of live.entries()) {
            const st = states[i];
            assert.ok(st, `${d.name} is in the state`);
            const inst = cloud.find((c) => c.instanceId === st.id);
            assert.ok(inst, `${d.name}: state id ${st.id} is an instance in the cloud`);
            assert.equal(st.outputs.instanceStatus, inst.instanceStatus, `${d.name}: status in state`);
            assert.equal(inst.instanceStatus, "RUNNING");
            assert.equal(st.outputs.backupId, rdsBackup(d), `${d.name}: restored from the latest backup`);
            assert.deepEqual(st.outputs.timeouts, timeouts(d.rev), `${d.name}: the latest change is in the state`);
        }
    },
};

/** Huawei: what each phone should have seen (backups and restores), kept by the test as the program changes. */
const phoneLog = new Map<string, { backups: number; restores: number }>();
let nextPhone = 0;
const phone = () => {
    const id = `cp${String(nextPhone++).padStart(4, "0")}`;
    phoneLog.set(id, { backups: 0, restores: 0 });
    return id;
};
const USER = "1008600000104285462";
const huawei: Subject = {
    key: "huaweicloud",
    cloud: "huaweicloud",
    type: "huaweicloud.koophone.InstanceBackup",
    createAction: "BatchBackupInstances",
    counts: { create: 4, update: 3, replace: 0, delete: 3 },
    maxK: { create: 5, update: 7, replace: 0, delete: 6 },
    emulator: { huaweicloud: { backupMs: 400, restoreMs: 400 } },
    fresh: (name) => ({ name, rev: 0, variant: 0, phones: [phone(), phone()] }),
    declare: (d) =>
        new koophone.InstanceBackup(d.name, {
            instanceIds: d.phones!,
            userId: USER,
            timeouts: { create: "5m", update: "5m", delete: "5m" },
        }),
    added: (d) => d.phones!.forEach((p) => phoneLog.get(p)!.backups++),
    removed: (d) => d.phones!.forEach((p) => phoneLog.get(p)!.restores++),
    change(d) {
        // One phone goes back onto hardware, a new one is parked.
        const [out, keep] = d.phones!;
        const added = phone();
        phoneLog.get(out)!.restores++;
        phoneLog.get(added)!.backups++;
        d.phones = [keep, added];
    },
    verify(eng, emu, live) {
        const parked = new Set(live.flatMap((d) => d.phones!));
        const snap = emu.huaweicloud.service.snapshot().instances as {
            instance_id: string;
            phase: string;
            backups: number;
            restores: number;
        }[];
        for (const [id, want] of phoneLog) {
            const p = snap.find((s) => s.instance_id === id);
            assert.ok(p, `phone ${id} exists`);
            assert.deepEqual(
                { phase: p.phase, backups: p.backups, restores: p.restores },
                { phase: parked.has(id) ? "backedUp" : "running", ...want },
                `phone ${id}`,
            );
        }
        const states = live.map((d) => eng.resource(d.name)!);
        ids(states, (s) => s.id);
        for (const [i, d] of live.entries()) {
            const st = states[i];
            assert.ok(st, `${d.name} is in the state`);
            assert.equal(st.id, st.outputs.restoreToken);
            assert.deepEqual(st.outputs.instanceIds, d.phones, `${d.name}: phones in state`);
            const recs = st.outputs.instances as { instanceId: string; backupStatus: string }[];
            assert.deepEqual(
                recs.map((r) => [r.instanceId, r.backupStatus]),
                d.phones!.map((p) => [p, "success"]),
                `${d.name}: per-phone status in state`,
            );
        }
    },
};

const CLONE_SOURCE = "crs-crshsrc1";
/** The backup of the source a clone is made from: a replacement switches between the two. */
const cloneBackup = (d: Decl) => (d.variant % 2 === 0 ? "bk-clone-0001" : "bk-clone-0002");
const clonePassword = (d: Decl) => `Clone-pw-rev${d.rev}`;
const MARK = "pulumi-restore-token";
const tencentClone: Subject = {
    key: "tencentcloud-clone",
    cloud: "tencentcloud",
    type: "tencentcloud.redis.RestoredInstance",
    createAction: "CloneInstances",
    counts: { create: 4, update: 2, replace: 1, delete: 3 },
    // Create: look for an earlier attempt's clone, the backup, CloneInstances, then polls. Update (the password, the
    // time-outs) is state only: rpc points. Delete: look, DestroyPostpaidInstance, a poll, CleanUpInstance, polls.
    maxK: { create: 4, update: 0, replace: 6, delete: 4 },
    rpcMax: { update: 3 },
    emulator: { tencentcloud: { cloneMs: 500, destroyMs: 250, cleanUpMs: 250 } },
    fresh: (name) => ({ name, rev: 0, variant: 0 }),
    declare: (d) =>
        new RedisRestoredInstance(d.name, {
            sourceInstanceId: CLONE_SOURCE,
            backupId: cloneBackup(d),
            zoneId: 100003,
            securityGroupIds: ["sg-crash001"],
            password: clonePassword(d),
            timeouts: timeouts(d.rev),
        }),
    verify(eng, emu, live) {
        const svc = emu.tencentcloud.service;
        type Seen = { InstanceId: string; Status: number; InstanceTags: { TagKey: string }[] };
        const tagged = (svc.snapshot().instances as Seen[]).filter((i) =>
            i.InstanceTags.some((t) => t.TagKey === MARK),
        );
        // Released clones are pending deletion (-3); anything else tagged is a clone the cloud still holds.
        const held = tagged.filter((i) => i.Status !== -3);
        assert.deepEqual(
            held.filter((i) => i.Status !== 2).map((i) => `${i.InstanceId} ${i.Status}`),
            [],
            "every clone left is running (none half-released, none isolated in the recycle bin)",
        );
        assert.equal(
            held.length,
            live.length,
            `clones in the cloud: ${held.map((i) => i.InstanceId).join(", ")}; declared: ${live.map((d) => d.name).join(", ")}`,
        );
        assert.equal(emu.tencentcloud.server.count("RestoreInstance"), 0, "the source was restored over");
        assert.ok(
            svc.live().some((i) => i.InstanceId === CLONE_SOURCE),
            "the source instance is gone",
        );
        const states = live.map((d) => eng.resource(d.name)!);
        ids(states, (s) => s.id);
        for (const [i, d] of live.entries()) {
            const st = states[i];
            assert.ok(st, `${d.name} is in the state`);
            assert.ok(
                held.some((c) => c.InstanceId === st.id),
                `${d.name}: state id ${st.id} is a clone in the cloud`,
            );
            assert.equal(st.outputs.instanceId, st.id);
            assert.equal(st.outputs.instanceStatus, "running", `${d.name}: status in state`);
            assert.equal(st.outputs.backupId, cloneBackup(d), `${d.name}: cloned from the latest backup`);
            assert.equal(st.outputs.password, clonePassword(d), `${d.name}: the latest change is in the state`);
            assert.deepEqual(st.outputs.timeouts, timeouts(d.rev), `${d.name}: the latest change is in the state`);
        }
    },
};

/**
 * Every restore resource of the registry (clouds.ts) is a subject here: the compiler names one that is missing. The
 * suite runs them in this order (kept from before the registry).
 */
const BY_RESOURCE: Record<RestoreKey, Subject> = {
    "alicloud/starrocks:RestoredInstance": starrocks,
    "tencentcloud/redis:InstanceRestore": tencent,
    "zstack:VmFromBackup": zstack,
    "jdcloud/rds:RestoredInstance": jdcloud,
    "huaweicloud/koophone:InstanceBackup": huawei,
    "tencentcloud/redis:RestoredInstance": tencentClone,
};
const SUBJECTS: Subject[] = Object.values(BY_RESOURCE);

/** The points of one subject, from the seed: creates first, then changes and deletes of resources created before. */
function pointsFor(s: Subject, rnd: () => number): Point[] {
    const out: Point[] = [];
    const alive: string[] = [];
    const pick = (op: Op): { when: When; k: number } => {
        if (s.maxK[op] === 0) return { when: "rpc", k: 1 + Math.floor(rnd() * (s.rpcMax?.[op] ?? 1)) };
        return { when: rnd() < 0.5 ? "before" : "after", k: 1 + Math.floor(rnd() * s.maxK[op]) };
    };
    const n = (op: Op) => s.counts[op] * SCALE;
    for (let i = 0; i < n("create"); i++) {
        const target = `${s.key}-${i}`;
        alive.push(target);
        out.push({ id: `${s.key}#${out.length + 1}`, op: "create", target, ...pick("create") });
    }
    // Changes and deletes interleaved; a change never targets a resource already deleted.
    const rest: Op[] = [
        ...Array(n("update")).fill("update"),
        ...Array(n("replace")).fill("replace"),
        ...Array(n("delete")).fill("delete"),
    ];
    for (let i = rest.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [rest[i], rest[j]] = [rest[j], rest[i]];
    }
    for (const op of rest) {
        const idx = Math.floor(rnd() * alive.length);
        const target = alive[idx];
        if (op === "delete") alive.splice(idx, 1);
        out.push({ id: `${s.key}#${out.length + 1}`, op, target, ...pick(op) });
    }
    // Not drawn from the seed (the seeded points stay as they were): a create the cloud carries out late.
    out.push({ id: `${s.key}#late`, op: "create", target: `${s.key}-late`, when: "late", k: 1 });
    return out;
}

function describePoint(p: Point): string {
    return `${p.id.padEnd(15)} ${p.op.padEnd(7)} ${p.target.padEnd(15)} ${p.when === "rpc" ? `rpc #${p.k}` : p.when === "late" ? "late create" : `${p.when} #${p.k}`}`;
}

interface Outcome {
    point: Point;
    at: string;
    result: "converged" | "pending";
    note?: string;
}

const outcomes: Outcome[] = [];
const baselines: string[] = [];
const elapsed = new Map<string, number>();

/**
 * A host started ahead of need: while a point's step runs (and dies), the host that resumes it is already up,
 * configured, and has loaded the provider module (one offline Check), so the suite does not wait for ts-node each time.
 * It is the same dynamic-provider host the engine would start; the engine gets it only when its own host is dead.
 */
class SpareHost {
    private next?: Promise<ProviderHost>;
    constructor(
        private readonly eng: Engine,
        private readonly warm: () => { urn: string; inputs: Record<string, unknown> } | undefined,
    ) {}

    prepare(): void {
        if (this.next) return;
        const eng = this.eng;
        this.next = (async () => {
            const h = await ProviderHost.start(eng.hostOptions());
            await h.configure(eng.opts.config ?? {});
            const w = this.warm();
            if (w) await h.check(w.urn, {}, w.inputs);
            return h;
        })();
        this.next.catch(() => undefined);
    }

    /** Hands the spare to the engine if the engine's host is dead. */
    async install(): Promise<void> {
        if (this.eng.host?.alive || !this.next) return;
        const h = await this.next;
        this.next = undefined;
        this.eng.hosts.push(h);
        this.eng.host = h;
    }

    async close(): Promise<void> {
        const n = this.next;
        this.next = undefined;
        if (n) await (await n.catch(() => undefined))?.stop();
    }
}

/** Runs `step` with the host armed to be killed at the point; returns what the step returned and where it died. */
async function killedStep(
    eng: Engine,
    server: EmulatorServer,
    p: Point,
    urn: string,
    step: () => Promise<RunResult>,
    createAction = "",
): Promise<{ run: RunResult; at: string }> {
    const host = await eng.ensureHost();
    let at: string | undefined;
    const kill = (where: string) => {
        if (at) return;
        at = where;
        host.kill();
    };
    let arrived = 0;
    let handled = 0;
    let calls = 0;
    if (p.when === "late") {
        server.onRequest = (action) => {
            if (at || action !== createAction) return;
            server.inject({ action, kind: "late", delayMs: LATE_MS });
            kill(`killed as ${action} arrived; the cloud carries it out ${LATE_MS} ms later`);
        };
    } else if (p.when === "rpc") {
        host.onCall = (method, u) => {
            if (u !== urn || at) return;
            if (++calls === p.k) kill(`killed as the engine sent ${method}`);
        };
    } else {
        server.onRequest = (action) => {
            if (at) return;
            if (++arrived === p.k && p.when === "before") {
                server.inject({ action, kind: "dropBefore" });
                kill(`killed as request #${p.k} ${action} arrived (not carried out)`);
            }
        };
        server.onHandled = (action) => {
            if (at) return;
            if (++handled === p.k && p.when === "after") kill(`killed after request #${p.k} ${action} was carried out`);
        };
    }
    let run: RunResult;
    try {
        run = await step();
    } finally {
        host.onCall = undefined;
        server.onRequest = undefined;
        server.onHandled = undefined;
    }
    assert.ok(
        at,
        `${p.id}: the kill point was not reached (the step made ${arrived} requests, ${calls} calls): lower maxK for ${p.op}`,
    );
    await host.ended();
    assert.ok(run.errors.length > 0, `${p.id}: the step with the killed host fails`);
    return { run, at };
}

describe("crash safety: the dynamic-provider host is killed at seeded points of create, update and delete (real host)", function () {
    // A bound on a hung run, not a speed target: one subject takes 60-120 s on 2 idle cores and over 200 s under load.
    this.timeout(600_000 * SCALE);
    const rnd = prng(SEED);
    const plan = new Map(SUBJECTS.map((s) => [s.key, pointsFor(s, rnd)]));

    before(() => {
        console.log(`crash safety: seed ${SEED} (set CRASH_SEED to choose other points); points:`);
        for (const s of SUBJECTS) for (const p of plan.get(s.key)!) console.log(`  ${describePoint(p)}`);
    });

    after(() => {
        for (const b of baselines) console.log(b);
        const conv = outcomes.filter((o) => o.result === "converged");
        const pending = outcomes.filter((o) => o.result === "pending");
        for (const s of SUBJECTS) {
            const mine = outcomes.filter((o) => o.point.id.startsWith(`${s.key}#`));
            if (mine.length === 0) continue;
            const by = (op: Op) =>
                mine.filter((o) => o.point.op === op || (op === "update" && o.point.op === "replace")).length;
            const nconv = mine.filter((o) => o.result === "converged").length;
            const secs = elapsed.has(s.key) ? ` in ${(elapsed.get(s.key)! / 1000).toFixed(1)} s` : "";
            const reps = mine.filter((o) => o.point.op === "replace").length;
            console.log(
                `  ${s.type}: ${mine.length} points (create ${by("create")}, update ${by("update")}${reps ? ` of which ${reps} replace` : ""}, delete ${by("delete")}), ${nconv === mine.length ? "all converged" : `${nconv} converged, ${mine.length - nconv} PENDING`}${secs}`,
            );
        }
        const by = (op: Op) =>
            outcomes.filter((o) => o.point.op === op || (op === "update" && o.point.op === "replace")).length;
        const reps = outcomes.filter((o) => o.point.op === "replace").length;
        console.log(
            `crash safety: ${outcomes.length} points (create ${by("create")}, update ${by("update")}${reps ? ` of which ${reps} replace` : ""}, delete ${by("delete")}) over ${new Set(outcomes.map((o) => o.point.id.split("#")[0])).size} resources, ` +
                (pending.length === 0 ? "all converged" : `${conv.length} converged, ${pending.length} PENDING`),
        );
        if (pending.length > 0) {
            console.log(
                "crash safety: PENDING (known gap: the Tencent restore task finished before the next up, which restored again; fix in provider/tencentcloud):",
            );
            for (const o of pending) console.log(`  ${describePoint(o.point)}: ${o.at}; ${o.note}`);
        }
    });

    it("runs every restore resource of the registry, each once, as the subject of its own type", () => {
        for (const [key, s] of Object.entries(BY_RESOURCE))
            assert.equal(
                key.replace(/\//g, ".").replace(":", "."),
                s.type,
                `${key}: the subject declares another type`,
            );
    });

    for (const s of SUBJECTS) {
        if (process.env.CRASH_ONLY && !process.env.CRASH_ONLY.split(",").includes(s.key)) continue;
        it(`${s.type}: ${(s.counts.create + s.counts.update + s.counts.replace + s.counts.delete) * SCALE + 1} points; exactly one cloud resource per declared resource after each`, async () => {
            const started = Date.now();
            const stack: EmulatedStack = await emulatedStack({ only: [s.cloud], ...s.emulator });
            const emu = stack.emu;
            const server = emu[s.cloud].server;
            let spare: SpareHost | undefined;
            try {
                seed(s, emu);
                // Anything a provider keeps on local disk between runs stays in the engine's own directory.
                const eng = stack.engine();
                const live: Decl[] = [];
                const gone: Decl[] = [];
                const program = () => () => {
                    for (const d of live) s.declare(d);
                };
                const up = async (what: string) => {
                    const r = await eng.up(program());
                    assert.deepEqual(
                        r.errors.map((e) => e.message),
                        [],
                        what,
                    );
                    for (const st of eng.state.values())
                        assert.equal(st.initErrors, undefined, `${what}: ${st.name} has init errors`);
                    assert.deepEqual(
                        [...eng.state.keys()].filter((k) => k.endsWith("#pending-delete")),
                        [],
                        `${what}: a replaced resource is still pending deletion`,
                    );
                };

                // Baseline on the host the points start from: a clean create, change and delete, with their request counts.
                const base = s.fresh(`${s.key}-base`, 99);
                const counts: Record<Op, number> = { create: 0, update: 0, replace: 0, delete: 0 };
                const measure = async (op: Op, f: () => Promise<void>) => {
                    const before = server.count();
                    await f();
                    counts[op] = server.count() - before;
                };
                await eng.ensureHost();
                await measure("create", async () => {
                    live.push(base);
                    s.added?.(base);
                    await up("baseline create");
                });
                const dynType = eng.resource(base.name)!.type;
                const warmInputs = { urn: eng.resource(base.name)!.urn, inputs: eng.resource(base.name)!.inputs };
                spare = new SpareHost(eng, () => warmInputs);
                // The first step also signed in (ZStack, Huawei IAM); count a second create on the warm host instead.
                const base2 = s.fresh(`${s.key}-base2`, 98);
                await measure("create", async () => {
                    live.push(base2);
                    s.added?.(base2);
                    await up("baseline create (warm host)");
                });
                await measure("update", async () => {
                    base.rev++;
                    s.change?.(base, emu);
                    await up("baseline update");
                });
                if (s.counts.replace > 0) {
                    await measure("replace", async () => {
                        base.variant++;
                        s.replaced?.(base);
                        await up("baseline replace");
                    });
                }
                s.verify(eng, emu, live, gone);
                await measure("delete", async () => {
                    live.splice(0, 2);
                    s.removed?.(base);
                    s.removed?.(base2);
                    gone.push(base, base2);
                    await up("baseline delete (two resources)");
                });
                counts.delete = Math.floor(counts.delete / 2);
                s.verify(eng, emu, live, gone);
                baselines.push(
                    `  baseline ${s.type}: cloud requests per clean step on a running host: ${OPS.filter(
                        (op) => s.counts[op] > 0,
                    )
                        .map((op) => `${op} ${counts[op]}`)
                        .join(", ")}`,
                );
                // Kill points go up to maxK; a point that is not reached fails below, so say it here first.
                for (const op of OPS)
                    if (s.counts[op] > 0 && counts[op] < s.maxK[op])
                        console.log(
                            `  note: ${s.type}: this clean ${op} made ${counts[op]} requests, fewer than the highest kill point (${s.maxK[op]})`,
                        );

                let created = 0;
                for (const p of plan.get(s.key)!) {
                    let d: Decl;
                    if (p.op === "create") {
                        d = s.fresh(p.target, created++);
                        live.push(d);
                        s.added?.(d);
                    } else if (p.op === "update") {
                        d = live.find((x) => x.name === p.target)!;
                        d.rev++;
                        s.change?.(d, emu);
                    } else if (p.op === "replace") {
                        d = live.find((x) => x.name === p.target)!;
                        d.variant++;
                        s.replaced?.(d);
                    } else {
                        const i = live.findIndex((x) => x.name === p.target);
                        d = live.splice(i, 1)[0];
                        s.removed?.(d);
                        gone.push(d);
                    }
                    const urn = eng.urn(dynType, d.name);
                    const tasksBefore =
                        s.key === "tencentcloud" ? emu.tencentcloud.service.restoreTasks(d.instanceId) : [];
                    spare.prepare();
                    const { at } = await killedStep(eng, server, p, urn, () => eng.up(program()), s.createAction);
                    await spare.install();
                    if (p.when === "late") {
                        // The resumed `up` comes after the cloud carried the create out: it must follow it, not create again.
                        await new Promise((r) => setTimeout(r, LATE_MS + 50));
                        await server.runDue();
                        assert.equal(server.lateCount, 0, `${p.id}: the late create was carried out`);
                    }
                    // The resumed `up`. Tencent: note whether the task of the killed attempt had finished by now.
                    const finishedBeforeResume =
                        s.key === "tencentcloud" &&
                        emu.tencentcloud.service
                            .restoreTasks(d.instanceId)
                            .filter((t) => !tasksBefore.some((b) => b.TaskId === t.TaskId))
                            .some((t) => t.Status === "succeed");
                    await up(`${p.id}: the resumed up`);
                    let result: Outcome["result"] = "converged";
                    let note: string | undefined;
                    if (
                        s.key === "tencentcloud" &&
                        (p.op === "create" || p.op === "replace") &&
                        finishedBeforeResume &&
                        emu.tencentcloud.service.restoreTasks(d.instanceId).length === d.expectedTasks! + 1 &&
                        !STRICT
                    ) {
                        // Exactly the known gap: count the extra task, and check everything else as usual.
                        d.expectedTasks! += 1;
                        result = "pending";
                        note = "the resumed up started a second restore task";
                    }
                    try {
                        s.verify(eng, emu, live, gone);
                    } catch (e) {
                        (e as Error).message = `${p.id} (${p.op} ${p.target}, ${at}): ${(e as Error).message}`;
                        throw e;
                    }
                    outcomes.push({ point: p, at, result, note });
                    console.log(
                        `  ${describePoint(p)}: ${at}; resumed: ${result === "converged" ? "converged" : `PENDING (${note})`}`,
                    );
                }

                // Everything declared is destroyed cleanly at the end: nothing is left in the cloud.
                const ds = await eng.destroy();
                assert.deepEqual(
                    ds.errors.map((e) => e.message),
                    [],
                );
                for (const d of live.splice(0)) {
                    s.removed?.(d);
                    gone.push(d);
                }
                s.verify(eng, emu, live, gone);
                assert.equal(eng.state.size, 0);
                elapsed.set(s.key, Date.now() - started);
            } finally {
                await spare?.close();
                await stack.close();
            }
        });
    }
});

/** Test data: backups, instances and phones the points use. */
function seed(s: Subject, emu: RunningEmulator): void {
    switch (s.key) {
        case "alicloud":
            emu.alicloud.service.seed("backup", { BackupTaskId: "bk-crash0001", RegionId: "cn-hangzhou" });
            emu.alicloud.service.seed("backup", { BackupTaskId: "bk-crash0002", RegionId: "cn-hangzhou" });
            break;
        case "tencentcloud":
            // One more instance than create points: the late point's.
            for (const i of [...Array(s.counts.create * SCALE + 1).keys(), 98, 99]) {
                const id = `crs-crash${String(i).padStart(3, "0")}`;
                emu.tencentcloud.service.seed("instance", { InstanceId: id, Password: "Redis-pw-rev0" });
                emu.tencentcloud.service.seed("backup", { InstanceId: id, BackupId: `bk-${id}` });
                emu.tencentcloud.service.seed("backup", { InstanceId: id, BackupId: `bk-${id}-b` });
            }
            break;
        case "zstack":
            zstackDemo = emu.zstack.service.seed("demo", {}) as typeof zstackDemo;
            break;
        case "jdcloud":
            emu.jdcloud.service.seed("backup", { backupId: "bk-crash-0001", engine: "MySQL" });
            emu.jdcloud.service.seed("backup", { backupId: "bk-crash-0002", engine: "MySQL" });
            break;
        case "huaweicloud":
            // Phones are made as the program asks for them; seed the ones the next declarations will take.
            // Two more for the late point's resource.
            for (let i = 0; i < 8 + (2 * s.counts.create + s.counts.update) * SCALE; i++)
                emu.huaweicloud.service.seed("instance", { id: `cp${String(i).padStart(4, "0")}` });
            break;
        case "tencentcloud-clone":
            // One source for every clone (CloneInstances never touches it), with the two backups replacements alternate.
            emu.tencentcloud.service.seed("instance", { InstanceId: CLONE_SOURCE, Password: "Source-pw-0001" });
            for (const id of ["bk-clone-0001", "bk-clone-0002"])
                emu.tencentcloud.service.seed("backup", { InstanceId: CLONE_SOURCE, BackupId: id });
            break;
    }
}
