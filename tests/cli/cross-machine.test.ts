import { strict as assert } from "assert";
import { ChildProcess } from "child_process";
import { RunningEmulator, startEmulator } from "../../emulator";
import { CliResult, CliStack, FoundCli, cliOrSkip, describeResult } from "../../harness/pulumiCli";
import { PostgresServer, postgresOrSkip } from "../support/postgres";
import { Runner, allEnded, killTree, until } from "../support/runner";
import { SUBJECTS, Subject } from "./subjects";

/**
 * Moving between machines (docs/guides/ci.md), through the real Pulumi CLI and
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
 *
 * The cases are independent (each has its own emulator, runners and stack) and run CROSS_MACHINE_JOBS at a time
 * (default 3): most of a case is waiting for CLI processes, and one after another they took 13 minutes at load 20.
 */
const out = describeResult;
const subject = (cloud: string) => SUBJECTS.find((s) => s.cloud === cloud)!;
const UP = (stack: string) => ["up", "--stack", stack, "--yes", "--skip-preview", "--non-interactive"];
const PHONES = ["cliP001", "cliP002"];
const JOBS = Math.max(1, Number(process.env.CROSS_MACHINE_JOBS ?? 3));

describe("Moving between machines: runner A killed mid-create, runner B carries on (PostgreSQL backend, real engine)", function () {
    this.timeout(1_800_000);
    let cli: FoundCli;
    let pg: PostgresServer;
    const runners: Runner[] = [];
    const emulators: RunningEmulator[] = [];
    const children: ChildProcess[] = [];
    const results = new Map<string, Promise<void>>();

    const ok = (r: CliResult) => {
        assert.equal(r.code, 0, out(r));
        assert.ok(!(r.stdout + r.stderr).includes(pg.password), `the backend password was printed:\n${out(r)}`);
        return r;
    };
    const failed = (r: CliResult) => {
        assert.notEqual(r.code, 0, out(r));
        assert.ok(!(r.stdout + r.stderr).includes(pg.password), `the backend password was printed:\n${out(r)}`);
        return r.stdout + r.stderr;
    };
    const locks = () => pg.sql("SELECT key FROM pulumi_state WHERE key LIKE '%.pulumi/locks/%' ORDER BY key").trim();

    /** One case: an emulator of its cloud alone, the runners and stacks it made (removed at its end). */
    class Case {
        emu!: RunningEmulator;
        seed!: { config: Record<string, string>; secretKeys: string[] };
        readonly stacks: CliStack[] = [];
        readonly t0 = Date.now();

        constructor(
            readonly name: string,
            readonly s: Subject,
        ) {}

        async start(): Promise<void> {
            // The CLI suite's timings: restores take a second or two, so a create is still waiting at the kill.
            this.emu = await startEmulator({ only: [this.s.cloud], ...this.s.timings });
            emulators.push(this.emu);
            this.seed = this.s.seed(this.emu);
        }

        runner(suffix: string): Runner {
            const r = new Runner(`${this.name}-${suffix}`, cli, pg.url);
            runners.push(r);
            return r;
        }

        /** A new stack of this case's subject on `r`, initialised: the cloud's emulator settings, the seeded inputs. */
        async stack(r: Runner, name: string, extra: Record<string, string> = {}): Promise<CliStack> {
            const st = r.stack(name);
            this.stacks.push(st);
            await st.init({ ...this.emu.config, subject: this.s.cloud, ...this.seed.config, ...extra }, [
                ...this.emu.secretConfigKeys,
                ...this.seed.secretKeys,
            ]);
            return st;
        }

        creates(): number {
            return this.emu[this.s.cloud].server.count(this.s.createAction);
        }

        log(line: string): void {
            console.log(`      [${this.name} +${Math.round((Date.now() - this.t0) / 1000)} s] ${line}`);
        }

        /**
         * Runner A: a new stack, checked out on runner B too; A's `up` is killed (the whole process tree) at the moment
         * the emulator has carried out the create call and before its answer is written. Returns the stack as each
         * runner sees it, and when the call was carried out.
         */
        async killedOnA(extra: Record<string, string> = {}): Promise<{ sa: CliStack; sb: CliStack; at: number }> {
            const a = this.runner("a");
            const b = this.runner("b");
            const sa = await this.stack(a, this.name, extra);
            b.checkout(a, this.name);
            const sb = b.stack(this.name);
            this.stacks.push(sb);

            const server = this.emu[this.s.cloud].server;
            const run = sa.start(UP(this.name));
            children.push(run.child);
            let killedAt = "";
            let at = 0;
            let killed: number[] = [];
            server.onHandled = (action) => {
                if (killedAt || action !== this.s.createAction) return;
                at = Date.now();
                // Synchronous: the emulator writes the answer only after this returns, to a provider that is gone.
                killed = killTree(run.child.pid!);
                killedAt = `${action} carried out by the emulator, its answer not written yet: ${killed.length} processes killed`;
            };
            try {
                const r = await run.done;
                assert.equal(r.signal, "SIGKILL", `runner a's up was not killed at ${this.s.createAction}\n${out(r)}`);
            } finally {
                server.onHandled = undefined;
            }
            this.log(`runner a: ${killedAt}`);
            assert.equal(this.creates(), 1);
            await until(() => allEnded(killed), 30_000, "runner a's processes to end");
            return { sa, sb, at };
        }

        /** Runner B: the lock the killed CLI left is still in the database; `pulumi cancel` removes it. */
        async cancelOnB(sb: CliStack): Promise<void> {
            const mine = () =>
                locks()
                    .split("\n")
                    .filter((k) => k.includes(`/${sb.stack}/`));
            assert.equal(mine().length, 1, "the killed CLI's lock remains");
            ok(await sb.run(["cancel", "--stack", sb.stack, "--yes", "--non-interactive"]));
            assert.deepEqual(mine(), []);
        }

        /** Runner B: `refresh --clear-pending-creates` ends the engine's record of the interrupted create. */
        async refreshOnB(sb: CliStack): Promise<void> {
            ok(await sb.refresh("--clear-pending-creates"));
            assert.equal((await sb.deployment()).pending_operations.length, 0);
        }

        /** The one resource of the stack, as its checkpoint holds it. */
        async recorded(st: CliStack) {
            const type = `pulumi-nodejs:dynamic/${this.s.type}`;
            const rs = (await st.deployment()).resources.filter((r) => r.type === type);
            assert.equal(rs.length, 1, `the stack holds one ${this.s.type}`);
            return rs[0];
        }

        /** Removes the stacks (no destroy: the case's emulator goes with them, and a destroy is not what is tested). */
        async cleanup(): Promise<void> {
            for (const st of this.stacks) {
                await st.run(["cancel", "--stack", st.stack, "--yes", "--non-interactive"]);
                await st.remove();
            }
            if (!this.emu) return;
            emulators.splice(emulators.indexOf(this.emu), 1);
            await this.emu.stop();
        }
    }

    /** The cases, slowest first; each `it` below waits for its own. */
    const CASES: { title: string; cloud: string; run: (c: Case) => Promise<void> }[] = [];

    CASES.push({
        title: "KooPhone InstanceBackup: killed during BatchBackupInstances on runner A; runner B refuses (names the phones, the ways out); runner A's record proves nothing past the call's window; brought back, B parks them once",
        cloud: "huaweicloud",
        run: async (c) => {
            const svc = c.emu.huaweicloud.service;
            const { sa, sb, at } = await c.killedOnA();
            await until(() => PHONES.every((p) => svc.phaseOf(p) === "backedUp"), 30_000, "runner a's backup to end");

            await c.cancelOnB(sb);
            const text = failed(await sb.up());
            for (const p of PHONES)
                assert.match(
                    text,
                    new RegExp(`${p} \\(backed up[^;]*; this resource has no record of backing it up\\)`),
                );
            assert.match(text, /already parked in OBS, and nothing shows that this resource parked them/);
            assert.match(text, /Nothing was backed up or restored/);
            assert.match(text, /run `pulumi up` where that machine's PULUMI_RESTORE_STATE_DIR is/);
            assert.match(text, /bring them back \(BatchPrepareInstances or the console\) and run `pulumi up` again/);
            assert.equal(c.creates(), 1, "the refusal backed up");
            c.log("runner b: up refused, naming both phones");

            // The other way out the message names: `up` where the interrupted run's record is (runner a). That record
            // was written before the call and holds no answer (a died before reading it), so it proves the phones a's
            // only if a sees them parked within the call's window (request time-out 30 s + settle 30 s after the
            // call); later, a refuses too. Either way nothing is backed up twice.
            const onA = await sa.up();
            const after = Math.round((Date.now() - at) / 1000);
            assert.equal(c.creates(), 1, "runner a's second up backed up again");
            if (onA.code === 0) {
                c.log(`runner a: up continued from its record, ${after} s after the call (within its window)`);
                await c.refreshOnB(sb);
                for (const p of PHONES) assert.equal(svc.phaseOf(p), "backedUp");
                assert.deepEqual((await c.recorded(sb)).outputs?.instanceIds, PHONES, "the stack holds the phones");
                return;
            }
            assert.match(
                failed(onA),
                /got no answer \(the run stopped during the call\), and the phone was not seen parked until after that call's window/,
                out(onA),
            );
            c.log(`runner a: up refused too, ${after} s after the call (past its 60 s window)`);

            // The way out a runner that starts empty has: bring the phones back (the console); up parks them anew.
            for (const p of PHONES) svc.restoreOutOfBand(p);
            await until(() => PHONES.every((p) => svc.phaseOf(p) === "running"), 30_000, "the phones to run");
            const up = ok(await sb.up());
            assert.match(up.stdout, /\b1 created\b/, out(up));
            await c.refreshOnB(sb);

            assert.equal(c.creates(), 2, "runner a's BatchBackupInstances and runner b's, one each");
            const snap = svc.snapshot().instances as { instance_id: string; phase: string; backups: number }[];
            for (const p of PHONES) {
                const ph = snap.find((x) => x.instance_id === p)!;
                assert.equal(ph.phase, "backedUp", `${p} is parked`);
                assert.equal(ph.backups, 2, `${p}: runner a's backup (brought back) and runner b's`);
            }
            assert.deepEqual((await c.recorded(sb)).outputs?.instanceIds, PHONES, "the stack holds the phones");
        },
    });

    CASES.push({
        title: "Tencent InstanceRestore: killed after RestoreInstance on runner A, the task finished; runner B refuses and names it, adoptTaskId takes it over: exactly one restore",
        cloud: "tencentcloud",
        run: async (c) => {
            const instanceId = c.seed.config.instanceId;
            const svc = c.emu.tencentcloud.service;
            const { sb } = await c.killedOnA();
            const task = svc.restoreTasks(instanceId)[0].TaskId;
            await until(() => svc.restoreTasks(instanceId)[0].Status === "succeed", 30_000, "the task to end");

            await c.cancelOnB(sb);
            const text = failed(await sb.up());
            assert.match(text, new RegExp(`instance ${instanceId} was restored by task ${task} `));
            assert.match(text, /nothing was restored/);
            assert.match(text, new RegExp(`set \`adoptTaskId: ${task}\``));
            assert.match(text, new RegExp(`set \`ignoreTaskIds: \\[${task}\\]\``));
            assert.equal(svc.restoreTasks(instanceId).length, 1, "the refusal restored");
            c.log(`runner b: up refused, naming task ${task}`);

            // The way out: it is this resource's restore (runner a's log would show the call); B's working copy says so.
            await sb.setConfig({ adoptTaskId: String(task) });
            const up = ok(await sb.up());
            assert.match(up.stdout, new RegExp(`taking over restore task ${task}`), out(up));
            assert.match(up.stdout, /\b1 created\b/, out(up));
            await c.refreshOnB(sb);

            assert.equal(svc.restoreTasks(instanceId).length, 1, "exactly one restore task");
            const r = await c.recorded(sb);
            assert.equal(r.id, `${instanceId}:${task}`);
            assert.equal(r.outputs?.taskId, task);
            assert.equal(r.outputs?.adopted, true);
        },
    });

    CASES.push({
        title: "Tencent InstanceRestore: killed after RestoreInstance on runner A, the task still running; runner B follows it: exactly one restore",
        cloud: "tencentcloud",
        run: async (c) => {
            const instanceId = c.seed.config.instanceId;
            const svc = c.emu.tencentcloud.service;
            const runMs = svc.timings.runMs;
            // The task runs until the case lets it end (the emulator derives a task's state from its age at each look).
            svc.timings.runMs = 3_600_000;
            const { sb } = await c.killedOnA();
            const task = svc.restoreTasks(instanceId)[0].TaskId;

            await c.cancelOnB(sb);
            const followed = sb.up();
            const waits = c.emu.tencentcloud.server.count("DescribeTaskInfo");
            await until(
                () => c.emu.tencentcloud.server.count("DescribeTaskInfo") > waits,
                600_000,
                "runner b to wait for the task",
            );
            svc.timings.runMs = runMs;
            const up = ok(await followed);
            assert.match(
                up.stdout,
                new RegExp(
                    `already being restored from backup ${c.seed.config.backup} by task ${task} \\(an earlier, interrupted attempt\\); following it`,
                ),
                out(up),
            );
            await c.refreshOnB(sb);
            assert.equal(svc.restoreTasks(instanceId).length, 1, "exactly one restore task");
            assert.equal((await c.recorded(sb)).id, `${instanceId}:${task}`);
        },
    });

    // StarRocks, ZStack and JD Cloud mark what the create makes with the restore token (a tag, a user tag): the cloud
    // itself tells runner B that the instance is this resource's, and B follows it.
    for (const cloud of ["alicloud", "zstack", "jdcloud"]) {
        const s = subject(cloud);
        CASES.push({
            title: `${s.type}: killed after ${s.createAction} on runner A; runner B follows the tagged result: exactly one`,
            cloud,
            run: async (c) => {
                const { sb } = await c.killedOnA();
                assert.equal(s.live(c.emu), 1, "runner a's create is in the cloud");

                await c.cancelOnB(sb);
                const up = ok(await sb.up());
                assert.match(up.stdout, /pending operations/i, "the engine reports the interrupted create");
                assert.match(up.stdout, /by an earlier attempt of this resource/, out(up));
                assert.match(up.stdout, /\b1 created\b/, out(up));
                await c.refreshOnB(sb);

                assert.equal(c.creates(), 1, `exactly one ${s.createAction}`);
                assert.equal(s.live(c.emu), 1, "exactly one instance");
                const ids =
                    cloud === "alicloud"
                        ? c.emu.alicloud.service.live().map((i) => i.InstanceId)
                        : cloud === "zstack"
                          ? c.emu.zstack.service.liveVms().map((v) => String(v.uuid))
                          : c.emu.jdcloud.service.live().map((i) => i.instanceId);
                const r = await c.recorded(sb);
                assert.ok(r.id && ids.includes(r.id), `the state names the instance runner a's call made (${r.id})`);
            },
        });
    }

    CASES.push({
        title: "KooPhone InstanceBackup: a second stack on runner B declaring a phone stack A parked is refused; nothing is backed up or restored",
        cloud: "huaweicloud",
        run: async (c) => {
            const svc = c.emu.huaweicloud.service;
            const sa = await c.stack(c.runner("a"), "xm-koophone-owner", { backup: "cliP002" });
            const sb = await c.stack(c.runner("b"), "xm-koophone-other", { backup: "cliP001,cliP002" });
            ok(await sa.up());
            assert.equal(svc.phaseOf("cliP002"), "backedUp");
            const writes = () => c.creates() + c.emu.huaweicloud.server.count("BatchPrepareInstances");
            const before = writes();

            const text = failed(await sb.up());
            assert.match(
                text,
                /cliP002 \(backed up[^;]*; this resource has no record of backing it up\) is already parked/,
            );
            assert.match(
                text,
                /Another stack \(for example another stack of this program\) or a person may have parked them/,
            );
            assert.match(text, /Remove them from instanceIds/);
            assert.equal(writes(), before, "the refused up backed up or restored something");
            assert.equal(svc.phaseOf("cliP001"), "running", "the other phone of the refused stack was parked");
            assert.equal(svc.phaseOf("cliP002"), "backedUp");
            const type = `pulumi-nodejs:dynamic/${c.s.type}`;
            assert.deepEqual(
                (await sb.deployment()).resources.filter((r) => r.type === type),
                [],
            );
            assert.deepEqual((await c.recorded(sa)).outputs?.instanceIds, ["cliP002"], "stack A still holds it");
        },
    });

    before(async function () {
        cli = cliOrSkip(this);
        pg = await postgresOrSkip(this);
        let free = JOBS;
        const waiting: (() => void)[] = [];
        const slot = () => (free > 0 ? (free--, Promise.resolve()) : new Promise<void>((r) => waiting.push(r)));
        const release = () => (waiting.length > 0 ? waiting.shift()!() : free++);
        for (const [i, k] of CASES.entries()) {
            const c = new Case(`xm${i + 1}-${k.cloud}`, subject(k.cloud));
            const p = (async () => {
                await slot();
                try {
                    await c.start();
                    await k.run(c);
                    c.log("done");
                } finally {
                    await c.cleanup().catch((e) => c.log(`cleanup failed: ${String(e)}`));
                    release();
                }
            })();
            // Its `it` reports the failure; until then it is not an unhandled rejection.
            p.catch(() => undefined);
            results.set(k.title, p);
        }
    });
    after(async () => {
        for (const ch of children)
            if (ch.exitCode === null && ch.signalCode === null) {
                killTree(ch.pid!);
                await new Promise((r) => ch.once("close", r));
            }
        await Promise.all(emulators.map((e) => e.stop()));
        for (const r of runners) r.remove();
        pg?.stop();
    });

    for (const k of CASES) it(k.title, () => results.get(k.title)!);
});
