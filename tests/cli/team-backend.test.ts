import { strict as assert } from "assert";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { RunningEmulator, seedExamples, startEmulator } from "../../emulator";
import { CliResult, CliStack, FoundCli, REPO_ROOT, cliOrSkip, describeResult } from "../../harness/pulumiCli";
import { PostgresServer, postgresOrSkip } from "../support/postgres";
import { Runner, orphanedHosts, until } from "../support/runner";
import { SUBJECTS } from "./subjects";

/**
 * A team on one shared state backend, through the real Pulumi CLI and engine: the CLI's PostgreSQL DIY backend
 * (`PULUMI_BACKEND_URL=postgres://...`) on a throwaway server (tests/support/postgres.ts), and runners that share
 * nothing else: each has its own HOME, PULUMI_HOME, provider state directory and working copy (its own
 * `Pulumi.<stack>.yaml`, copied as a git checkout would bring it). Two runners on one stack at once, two stacks at
 * once, the CI example's plan and apply on different runners, and a runner killed in the middle of a restore,
 * recovered from another. After each: the state holds exactly what the cloud (the emulator) holds.
 */
const SUBJECT = SUBJECTS.find((s) => s.cloud === "alicloud")!;
const TYPE = `pulumi-nodejs:dynamic/${SUBJECT.type}`;
const CI_DIR = path.join(REPO_ROOT, "examples", "ci");
const out = describeResult;

/** Runs an examples/ci script with `pulumi` of the stack's environment first on PATH. */
function sh(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve, reject) => {
        const p = spawn("bash", [path.join(CI_DIR, script)], {
            cwd: REPO_ROOT,
            env,
            stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        p.stdout.on("data", (d: Buffer) => (output += d.toString()));
        p.stderr.on("data", (d: Buffer) => (output += d.toString()));
        p.on("error", reject);
        p.on("close", (code) => resolve({ code, output }));
    });
}

const UP = (stack: string) => ["up", "--stack", stack, "--yes", "--skip-preview", "--non-interactive"];

describe("A team on one PostgreSQL state backend (postgres://): runners with separate homes, real engine", function () {
    this.timeout(900_000);
    let cli: FoundCli;
    let pg: PostgresServer;
    let emu: RunningEmulator;
    let config: Record<string, string>;
    let secretKeys: string[];
    const runners: Runner[] = [];
    /** Stacks a test made, destroyed and removed after it (whatever it left), so that each test starts clean. */
    let leftovers: CliStack[] = [];
    /** CLI runs a test started in the background, killed after it if still running. */
    let started: ChildProcess[] = [];
    const startUp = (s: CliStack) => {
        const run = s.start(UP(s.stack));
        started.push(run.child);
        return run;
    };
    const runner = (name: string) => {
        const r = new Runner(name, cli, pg.url);
        runners.push(r);
        return r;
    };
    const live = () =>
        emu.alicloud.service
            .live()
            .filter((i) => i.InstanceStatus !== "deleting")
            .map((i) => i.InstanceId)
            .sort();
    const restores = () => emu.alicloud.server.count("RestoreInstance");
    /** The restored instances the stacks' checkpoints hold equal those the cloud holds. */
    const stateMatchesCloud = async (...stacks: CliStack[]) => {
        const ids: string[] = [];
        for (const s of stacks)
            for (const r of (await s.deployment()).resources) if (r.type === TYPE && r.id) ids.push(r.id);
        assert.deepEqual(ids.sort(), live(), "the state holds exactly the instances the cloud holds");
    };
    // Keys are `<database>/.pulumi/...`: the URL's path is a prefix, as a bucket URL's would be.
    const locks = () => pg.sql("SELECT key FROM pulumi_state WHERE key LIKE '%.pulumi/locks/%' ORDER BY key").trim();
    /** A CLI result, checked for the backend's password (a lock message names the backend URL). */
    const noPassword = (r: CliResult) => {
        assert.ok(!(r.stdout + r.stderr).includes(pg.password), `the backend password was printed:\n${out(r)}`);
        return r;
    };
    const ok = (r: CliResult) => {
        assert.equal(noPassword(r).code, 0, out(r));
        return r;
    };

    before(async function () {
        cli = cliOrSkip(this);
        pg = await postgresOrSkip(this);
        emu = await startEmulator({ only: ["alicloud"], starrocks: { restoreMs: 3000, releaseMs: 300 } });
        seedExamples(emu);
        const seeded = SUBJECT.seed(emu);
        config = { ...emu.config, subject: "alicloud", ...seeded.config };
        secretKeys = [...emu.secretConfigKeys, ...seeded.secretKeys];
    });
    afterEach(async () => {
        for (const c of started)
            if (c.exitCode === null && c.signalCode === null) {
                process.kill(-c.pid!, "SIGKILL");
                await new Promise((r) => c.once("close", r));
            }
        for (const s of leftovers) {
            await s.run(["cancel", "--stack", s.stack, "--yes", "--non-interactive"]);
            await s.destroy();
            await s.remove();
        }
        started = [];
        leftovers = [];
        if (!emu) return;
        // What a failed test left in the cloud goes too: the next test counts instances from zero.
        for (const id of live()) emu.alicloud.service.releaseOutOfBand(id);
        await until(() => live().length === 0, 30_000, "the instances left to go");
    });
    after(async () => {
        await emu?.stop();
        for (const r of runners) r.remove();
        pg?.stop();
    });

    it("two runners on one stack at once: the second is refused (who holds the lock, what to do), nothing is lost", async () => {
        const a = runner("a");
        const b = runner("b");
        const sa = a.stack("team");
        await sa.init(config, secretKeys);
        b.checkout(a, "team");
        const sb = b.stack("team");
        leftovers.push(sb);

        const before = restores();
        const runA = startUp(sa);
        await until(() => restores() > before, 120_000, "runner a's RestoreInstance");
        // Runner a is in the middle of its restore and holds the stack's lock in the database.
        assert.match(locks(), /\.pulumi\/locks\/.*\/team\/[^/]+\.json$/m);
        const refused = noPassword(await sb.up());
        assert.notEqual(refused.code, 0, out(refused));
        assert.match(refused.stderr, /the stack is currently locked by 1 lock\(s\)/, out(refused));
        assert.match(refused.stderr, /pulumi cancel/, out(refused));
        assert.match(refused.stderr, new RegExp(`\\(pid ${runA.child.pid}\\)`), "the message names the holder");
        assert.match(refused.stderr, /postgres:\/\/\*\*\*\*:\*\*\*\*@127\.0\.0\.1/, "the URL is shown redacted");

        ok(await runA.done);
        assert.equal(locks(), "", "runner a released its lock");
        // Runner b now sees what a did: nothing to create, nothing restored again.
        const again = ok(await sb.up());
        assert.doesNotMatch(again.stdout, /\b(created|replaced)\b/, out(again));
        assert.equal(restores() - before, 1, "exactly one restore");
        assert.equal(live().length, 1);
        await stateMatchesCloud(sb);
        assert.deepEqual(await sb.outputs(), await sa.outputs());

        ok(await sb.destroy());
        await until(() => live().length === 0, 30_000, "the release");
        await stateMatchesCloud(sa);
    });

    it("two stacks at once, from two runners, with the same resource names: no interference", async () => {
        const a = runner("x");
        const b = runner("y");
        const sx = a.stack("team-x");
        const sy = b.stack("team-y");
        leftovers.push(sx, sy);
        await Promise.all([sx.init(config, secretKeys), sy.init(config, secretKeys)]);
        const before = restores();
        const [ux, uy] = await Promise.all([sx.up(), sy.up()]);
        ok(ux);
        ok(uy);
        assert.equal(restores() - before, 2, "one restore per stack");
        assert.equal(live().length, 2);
        await stateMatchesCloud(sx, sy);
        const [ox, oy] = await Promise.all([sx.outputs(), sy.outputs()]);
        assert.notEqual(ox.r1, oy.r1, "each stack has its own instance");
        // Each runner lists both stacks: they live in the shared database, not on a machine.
        const ls = ok(await sx.run(["stack", "ls", "--all", "--json"]));
        const names = (JSON.parse(ls.stdout) as { name: string }[]).map((s) => s.name).join(",");
        assert.match(names, /team-x/);
        assert.match(names, /team-y/);

        const [dx, dy] = await Promise.all([sx.destroy(), sy.destroy()]);
        ok(dx);
        ok(dy);
        await until(() => live().length === 0, 30_000, "both releases");
        await stateMatchesCloud(sx, sy);
        assert.equal(locks(), "");
    });

    it("examples/ci on runners that start empty: plan on one, apply on another, the next plan on a third sees it", async () => {
        // The quickstart project at the repository root, as examples/ci's own test runs it.
        const stackName = "ci-team";
        const dev = runner("dev").stack(stackName, { cwd: REPO_ROOT });
        // The stack was set up once on a laptop; the pull-request job has no cloud credentials.
        await dev.init({ "alicloud:endpoint": emu.config["alicloud:endpoint"], "alicloud:region": "cn-hangzhou" }, []);
        const prRunner = runner("pr");
        const planDir = path.join(prRunner.dir, "plan");
        const pr = prRunner.stack(stackName, { cwd: REPO_ROOT });
        const before = restores();
        const calls = emu.alicloud.server.count();

        const plan = await sh("plan.sh", { ...pr.env, PULUMI_STACK: stackName, PLAN_DIR: planDir });
        assert.equal(plan.code, 0, plan.output);
        const md = fs.readFileSync(path.join(planDir, "plan.md"), "utf8");
        assert.match(md, /\+ pulumi-nodejs:dynamic\/alicloud\/starrocks:RestoredInstance: \(create\)/);
        assert.equal(emu.alicloud.server.count(), calls, "the plan called the cloud API");

        const creds = {
            ALICLOUD_ACCESS_KEY: emu.config["alicloud:accessKey"],
            ALICLOUD_SECRET_KEY: emu.config["alicloud:secretKey"],
        };
        // The main-branch job has the credentials in its environment (destroy, after, needs them too).
        const main = runner("main").stack(stackName, { cwd: REPO_ROOT, env: creds });
        leftovers.push(main);
        const apply = await sh("apply.sh", { ...main.env, PULUMI_STACK: stackName });
        assert.equal(apply.code, 0, apply.output);
        assert.ok(!apply.output.includes(pg.password), "the backend password was printed");
        assert.equal(restores() - before, 1);

        const later = runner("pr-next").stack(stackName, { cwd: REPO_ROOT });
        const next = await sh("plan.sh", { ...later.env, PULUMI_STACK: stackName, PLAN_DIR: planDir });
        assert.equal(next.code, 0, next.output);
        assert.doesNotMatch(fs.readFileSync(path.join(planDir, "plan.md"), "utf8"), /\(create\)/);
        await stateMatchesCloud(main);

        ok(await main.destroy());
        await until(() => live().length === 0, 30_000, "the release");
    });

    it("a runner killed (SIGKILL) in the middle of a restore, recovered from another: exactly one restore", async () => {
        const a = runner("dies");
        const b = runner("rescues");
        const sa = a.stack("team-crash");
        await sa.init(config, secretKeys);
        b.checkout(a, "team-crash");
        const sb = b.stack("team-crash");
        leftovers.push(sb);

        const before = restores();
        const runA = startUp(sa);
        await until(() => restores() > before, 120_000, "runner a's RestoreInstance");
        process.kill(-runA.child.pid!, "SIGKILL");
        assert.equal((await runA.done).signal, "SIGKILL");
        // The engine started the provider host in a process group of its own: it exits at its next progress line.
        await until(() => orphanedHosts(a.dir).length === 0, 60_000, "runner a's orphaned provider host to exit");

        // Runner a's lock stays in the database: runner b is told whose it is and what to do.
        const refused = noPassword(await sb.up());
        assert.notEqual(refused.code, 0, out(refused));
        assert.match(refused.stderr, /currently locked[\s\S]*pulumi cancel/, out(refused));
        ok(await sb.run(["cancel", "--stack", sb.stack, "--yes", "--non-interactive"]));
        assert.equal(locks(), "");

        // The restore token is in the cloud (a tag on the instance): b adopts what a started instead of restoring again.
        const up = ok(await sb.up());
        assert.match(up.stdout, /pending operations/i, "the engine reports the interrupted create");
        assert.equal(restores() - before, 1, "exactly one restore");
        assert.equal(live().length, 1);
        const rf = ok(await sb.refresh("--clear-pending-creates"));
        assert.equal((await sb.deployment()).pending_operations.length, 0, out(rf));
        const again = ok(await sb.up());
        assert.doesNotMatch(again.stdout, /\b(created|replaced)\b/, out(again));
        assert.equal(restores() - before, 1, "exactly one restore");
        await stateMatchesCloud(sb);

        ok(await sb.destroy());
        await until(() => live().length === 0, 30_000, "the release");
    });
});
