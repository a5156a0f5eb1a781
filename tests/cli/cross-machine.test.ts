import { strict as assert } from "assert";
import { ChildProcess } from "child_process";
import { RunningEmulator, startEmulator } from "../../emulator";
import { EmulatorServer } from "../../emulator/core/server";
import { CliResult, CliStack, FoundCli, cliOrSkip, describeResult } from "../../harness/pulumiCli";
import { PostgresServer, postgresOrSkip } from "../support/postgres";
import { Runner, killTree, orphanedHosts, until } from "../support/runner";
import { SUBJECTS, Subject } from "./subjects";

/**
 * Moving between machines (DESIGN.md, "Nothing that matters lives on one machine"), through the real Pulumi CLI and
 * engine on a shared PostgreSQL backend: runner A's `pulumi up` is killed (SIGKILL of the whole process tree: the CLI,
 * the language host, the program and the dynamic-provider host) at the moment the emulator has carried out the call
 * that creates (StarRocks RestoreInstance, Tencent RestoreInstance, ZStack CreateVmFromVmBackup, JD
 * createInstanceFromBackup, KooPhone BatchBackupInstances), before its answer is written: the provider never learns
 * the outcome, and nothing of it reaches the stack. Runner B (another working copy, HOME, PULUMI_HOME and
 * PULUMI_RESTORE_STATE_DIR: nothing of A's local records) then runs `pulumi cancel`, `up` and `refresh
 * --clear-pending-creates`. Each ends with exactly one restore (instance, restore task, backup per phone) and the
 * stack's state naming it. Where the guarantee on another machine is "refuse and ask" (Tencent once the task has
 * finished, KooPhone after a crash during the call), B's `up` must refuse, naming what it found and the way out; the
 * test then does what the message says and requires exactly one restore in the end.
 */
const out = describeResult;
const subject = (cloud: string) => SUBJECTS.find((s) => s.cloud === cloud)!;
const UP = (stack: string) => ["up", "--stack", stack, "--yes", "--skip-preview", "--non-interactive"];
/** Tencent: a second instance for the "task still running" case, so that the first case's task is not in its list. */
const REDIS_2 = { instanceId: "crs-cli00002", backup: "cli-backup-11" };
const PHONES = ["cliP001", "cliP002"];

describe("Moving between machines: runner A killed mid-create, runner B carries on (PostgreSQL backend, real engine)", function () {
    this.timeout(900_000);
    let cli: FoundCli;
    let pg: PostgresServer;
    let emu: RunningEmulator;
    const seeded = new Map<string, { config: Record<string, string>; secretKeys: string[] }>();
    const runners: Runner[] = [];
    let leftovers: CliStack[] = [];
    let started: ChildProcess[] = [];

    const runner = (name: string) => {
        const r = new Runner(name, cli, pg.url);
        runners.push(r);
        return r;
    };
    const ok = (r: CliResult) => {
        assert.equal(r.code, 0, out(r));
        assert.ok(!(r.stdout + r.stderr).includes(pg.password), `the backend password was printed:\n${out(r)}`);
        return r;
    };
    const locks = () => pg.sql("SELECT key FROM pulumi_state WHERE key LIKE '%.pulumi/locks/%' ORDER BY key").trim();
    /** The stack config of one subject: its cloud's emulator settings only, the program's choice, its seeded inputs. */
    const configOf = (s: Subject, extra: Record<string, string> = {}) => {
        const own = Object.fromEntries(Object.entries(emu.config).filter(([k]) => k.startsWith(`${s.cloud}:`)));
        const seed = seeded.get(s.cloud)!;
        return {
            config: { ...own, subject: s.cloud, ...seed.config, ...extra },
            secretKeys: [...emu.secretConfigKeys.filter((k) => k in own), ...seed.secretKeys],
        };
    };
    const creates = (s: Subject) => emu[s.cloud].server.count(s.createAction);

    /**
     * Runner A: a new stack of `s`, checked out on runner B too; A's `up` is killed (the whole process tree) at the
     * moment the emulator has carried out the create call and before its answer is written. Returns B's stack.
     */
    async function killedOnA(
        s: Subject,
        name: string,
        extra: Record<string, string> = {},
    ): Promise<{ a: Runner; b: Runner; sb: CliStack; killedAt: string }> {
        const a = runner(`${name}-a`);
        const b = runner(`${name}-b`);
        const sa = a.stack(name);
        const { config, secretKeys } = configOf(s, extra);
        await sa.init(config, secretKeys);
        b.checkout(a, name);
        const sb = b.stack(name);
        leftovers.push(sb);

        const server: EmulatorServer = emu[s.cloud].server;
        const run = sa.start(UP(name));
        started.push(run.child);
        let killedAt = "";
        server.onHandled = (action) => {
            if (killedAt || action !== s.createAction) return;
            // Synchronous: the answer is written only after this returns, to a provider that is gone.
            const pids = killTree(run.child.pid!);
            killedAt = `${action} carried out by the emulator, its answer not yet written (${pids.length} processes killed)`;
        };
        try {
            const r = await run.done;
            assert.equal(r.signal, "SIGKILL", `runner a's up was not killed at ${s.createAction}\n${out(r)}`);
        } finally {
            server.onHandled = undefined;
        }
        assert.ok(killedAt);
        await until(() => orphanedHosts(a.dir).length === 0, 30_000, "runner a's processes to be gone");
        return { a, b, sb, killedAt };
    }

    /** Runner B: the lock the killed CLI left is still in the database; `pulumi cancel` removes it. */
    async function cancelOnB(sb: CliStack): Promise<void> {
        assert.match(locks(), new RegExp(`/${sb.stack}/[^/]+\\.json$`, "m"), "the killed CLI's lock remains");
        ok(await sb.run(["cancel", "--stack", sb.stack, "--yes", "--non-interactive"]));
        assert.equal(locks(), "");
    }

    /** Runner B: `refresh --clear-pending-creates` ends the engine's record of the interrupted create. */
    async function refreshOnB(sb: CliStack): Promise<void> {
        ok(await sb.refresh("--clear-pending-creates"));
        assert.equal((await sb.deployment()).pending_operations.length, 0);
    }

    /** The one resource of B's stack, as its checkpoint holds it. */
    async function recorded(s: Subject, sb: CliStack) {
        const rs = (await sb.deployment()).resources.filter((r) => r.type === `pulumi-nodejs:dynamic/${s.type}`);
        assert.equal(rs.length, 1, `the stack holds one ${s.type}`);
        return rs[0];
    }

    before(async function () {
        cli = cliOrSkip(this);
        pg = await postgresOrSkip(this);
        // Each cloud at the CLI suite's timings (restores take a second or two, so a create is still waiting at the kill).
        emu = await startEmulator(Object.assign({}, ...SUBJECTS.map((s) => s.timings)));
        for (const s of SUBJECTS) seeded.set(s.cloud, s.seed(emu));
        emu.tencentcloud.service.seed("instance", {
            InstanceId: REDIS_2.instanceId,
            Password: "cli-redis-Pa55word-91ab",
        });
        emu.tencentcloud.service.seed("backup", { InstanceId: REDIS_2.instanceId, BackupId: REDIS_2.backup });
        emu.huaweicloud.service.seed("instance", { id: "cliP004" });
    });
    afterEach(async () => {
        for (const c of started)
            if (c.exitCode === null && c.signalCode === null) {
                killTree(c.pid!);
                await new Promise((r) => c.once("close", r));
            }
        // Stacks go without a destroy: each case uses cloud objects of its own, and a destroy is not what is tested.
        for (const s of leftovers) {
            await s.run(["cancel", "--stack", s.stack, "--yes", "--non-interactive"]);
            await s.remove();
        }
        started = [];
        leftovers = [];
    });
    after(async () => {
        await emu?.stop();
        for (const r of runners) r.remove();
        pg?.stop();
    });

    // StarRocks, ZStack and JD Cloud mark what the create makes with the restore token (a tag, a user tag): the cloud
    // itself tells runner B that the instance is this resource's, and B follows it.
    for (const cloud of ["alicloud", "zstack", "jdcloud"]) {
        const s = subject(cloud);
        it(`${s.type}: killed after ${s.createAction} on runner A; runner B follows the tagged result: exactly one`, async () => {
            const liveBefore = s.live(emu);
            const before = creates(s);
            const { sb, killedAt } = await killedOnA(s, `xm-${cloud}`);
            console.log(`      runner a: ${killedAt}`);
            assert.equal(creates(s) - before, 1);
            assert.equal(s.live(emu) - liveBefore, 1, "runner a's create is in the cloud");

            await cancelOnB(sb);
            const up = ok(await sb.up());
            assert.match(up.stdout, /pending operations/i, "the engine reports the interrupted create");
            assert.match(up.stdout, /by an earlier attempt of this resource/, out(up));
            assert.match(up.stdout, /\b1 created\b/, out(up));
            await refreshOnB(sb);

            assert.equal(creates(s) - before, 1, `exactly one ${s.createAction}`);
            assert.equal(s.live(emu) - liveBefore, 1, "exactly one instance");
            const r = await recorded(s, sb);
            const ids =
                cloud === "alicloud"
                    ? emu.alicloud.service.live().map((i) => i.InstanceId)
                    : cloud === "zstack"
                      ? emu.zstack.service.liveVms().map((v) => String(v.uuid))
                      : emu.jdcloud.service.live().map((i) => i.instanceId);
            assert.ok(r.id && ids.includes(r.id), `the state names the instance runner a's call made (${r.id})`);
        });
    }

    it("Tencent InstanceRestore: killed after RestoreInstance on runner A, the task finished; runner B refuses and names it, adoptTaskId takes it over: exactly one restore", async () => {
        const s = subject("tencentcloud");
        const instanceId = seeded.get(s.cloud)!.config.instanceId;
        const svc = emu.tencentcloud.service;
        const before = svc.restoreTasks(instanceId).length;
        const { sb, killedAt } = await killedOnA(s, "xm-tencentcloud");
        console.log(`      runner a: ${killedAt}`);
        const tasks = svc.restoreTasks(instanceId).slice(before);
        assert.equal(tasks.length, 1);
        const task = tasks[0].TaskId;
        await until(
            () => svc.restoreTasks(instanceId).slice(before)[0].Status === "succeed",
            30_000,
            "the task to end",
        );

        await cancelOnB(sb);
        const refused = await sb.up();
        assert.notEqual(refused.code, 0, out(refused));
        const text = refused.stdout + refused.stderr;
        assert.match(text, new RegExp(`instance ${instanceId} was restored by task ${task} `), out(refused));
        assert.match(text, /nothing was restored/, out(refused));
        assert.match(text, new RegExp(`set \`adoptTaskId: ${task}\``), out(refused));
        assert.match(text, new RegExp(`set \`ignoreTaskIds: \\[${task}\\]\``), out(refused));
        assert.equal(svc.restoreTasks(instanceId).length - before, 1, "the refusal restored");

        // The way out: it is this resource's restore (runner a's log would show the call); B's working copy says so.
        await sb.setConfig({ adoptTaskId: String(task) });
        const up = ok(await sb.up());
        assert.match(up.stdout, new RegExp(`taking over restore task ${task}`), out(up));
        assert.match(up.stdout, /\b1 created\b/, out(up));
        await refreshOnB(sb);

        assert.equal(svc.restoreTasks(instanceId).length - before, 1, "exactly one restore task");
        const r = await recorded(s, sb);
        assert.equal(r.id, `${instanceId}:${task}`);
        assert.equal(r.outputs?.taskId, task);
        assert.equal(r.outputs?.adopted, true);
    });

    it("Tencent InstanceRestore: killed after RestoreInstance on runner A, the task still running; runner B follows it: exactly one restore", async () => {
        const s = subject("tencentcloud");
        const svc = emu.tencentcloud.service;
        const runMs = svc.timings.runMs;
        // The task runs until the test lets it end (the emulator derives a task's state from its age at each look).
        svc.timings.runMs = 3_600_000;
        try {
            const { sb, killedAt } = await killedOnA(s, "xm-tencentcloud-running", {
                instanceId: REDIS_2.instanceId,
                backup: REDIS_2.backup,
            });
            console.log(`      runner a: ${killedAt}`);
            const task = svc.restoreTasks(REDIS_2.instanceId)[0].TaskId;
            assert.equal(svc.restoreTasks(REDIS_2.instanceId).length, 1);

            await cancelOnB(sb);
            const followed = sb.up();
            const waits = emu.tencentcloud.server.count("DescribeTaskInfo");
            await until(
                () => emu.tencentcloud.server.count("DescribeTaskInfo") > waits,
                300_000,
                "runner b to wait for the task",
            );
            svc.timings.runMs = runMs;
            const up = ok(await followed);
            assert.match(
                up.stdout,
                new RegExp(
                    `already being restored from backup ${REDIS_2.backup} by task ${task} \\(an earlier, interrupted attempt\\); following it`,
                ),
                out(up),
            );
            await refreshOnB(sb);
            assert.equal(svc.restoreTasks(REDIS_2.instanceId).length, 1, "exactly one restore task");
            assert.equal((await recorded(s, sb)).id, `${REDIS_2.instanceId}:${task}`);
        } finally {
            svc.timings.runMs = runMs;
        }
    });

    it("KooPhone InstanceBackup: killed during BatchBackupInstances on runner A; runner B refuses (names the phones, the ways out); brought back, B parks them once", async () => {
        const s = subject("huaweicloud");
        const svc = emu.huaweicloud.service;
        const before = creates(s);
        const { sb, killedAt } = await killedOnA(s, "xm-huaweicloud");
        console.log(`      runner a: ${killedAt}`);
        await until(() => PHONES.every((p) => svc.phaseOf(p) === "backedUp"), 30_000, "runner a's backup to end");

        await cancelOnB(sb);
        const refused = await sb.up();
        assert.notEqual(refused.code, 0, out(refused));
        const text = refused.stdout + refused.stderr;
        for (const p of PHONES)
            assert.match(
                text,
                new RegExp(`${p} \\(backed up[^;]*; this resource has no record of backing it up\\)`),
                out(refused),
            );
        assert.match(text, /already parked in OBS, and nothing shows that this resource parked them/, out(refused));
        assert.match(text, /Nothing was backed up or restored/, out(refused));
        assert.match(text, /run `pulumi up` where that machine's PULUMI_RESTORE_STATE_DIR is/, out(refused));
        assert.match(
            text,
            /bring them back \(BatchPrepareInstances or the console\) and run `pulumi up` again/,
            out(refused),
        );
        assert.equal(creates(s) - before, 1, "the refusal backed up");

        // The way out a runner that starts empty has: bring the phones back (the console), then up parks them anew.
        for (const p of PHONES) svc.restoreOutOfBand(p);
        await until(() => PHONES.every((p) => svc.phaseOf(p) === "running"), 30_000, "the phones to run");
        const up = ok(await sb.up());
        assert.match(up.stdout, /\b1 created\b/, out(up));
        await refreshOnB(sb);

        assert.equal(creates(s) - before, 2, "runner a's BatchBackupInstances and runner b's, one each");
        const snap = svc.snapshot().instances as { instance_id: string; phase: string; backups: number }[];
        for (const p of PHONES) {
            const ph = snap.find((x) => x.instance_id === p)!;
            assert.equal(ph.phase, "backedUp", `${p} is parked`);
            assert.equal(ph.backups, 2, `${p}: runner a's backup (brought back) and runner b's`);
        }
        const r = await recorded(s, sb);
        assert.deepEqual(r.outputs?.instanceIds, PHONES, "the stack holds the phones");
    });

    it("KooPhone InstanceBackup: a second stack on runner B declaring a phone stack A parked is refused; nothing is backed up or restored", async () => {
        const s = subject("huaweicloud");
        const svc = emu.huaweicloud.service;
        const a = runner("owner");
        const b = runner("other");
        const sa = a.stack("xm-koophone-owner");
        const sb = b.stack("xm-koophone-other");
        leftovers.push(sa, sb);
        const ca = configOf(s, { backup: "cliP004" });
        const cb = configOf(s, { backup: "cliP003,cliP004" });
        await sa.init(ca.config, ca.secretKeys);
        await sb.init(cb.config, cb.secretKeys);
        ok(await sa.up());
        assert.equal(svc.phaseOf("cliP004"), "backedUp");
        const writes = () => creates(s) + emu.huaweicloud.server.count("BatchPrepareInstances");
        const before = writes();

        const refused = await sb.up();
        assert.notEqual(refused.code, 0, out(refused));
        const text = refused.stdout + refused.stderr;
        assert.match(
            text,
            /cliP004 \(backed up[^;]*; this resource has no record of backing it up\) is already parked/,
            out(refused),
        );
        assert.match(
            text,
            /Another stack \(for example another stack of this program\) or a person may have parked them/,
            out(refused),
        );
        assert.match(text, /Remove them from instanceIds/, out(refused));
        assert.equal(writes(), before, "the refused up backed up or restored something");
        assert.equal(svc.phaseOf("cliP003"), "running", "the other phone of the refused stack was parked");
        assert.equal(svc.phaseOf("cliP004"), "backedUp");
        assert.deepEqual(
            (await sb.deployment()).resources.filter((r) => r.type.endsWith(s.type)),
            [],
        );
        assert.deepEqual((await recorded(s, sa)).outputs?.instanceIds, ["cliP004"], "stack A still holds it");
    });
});
