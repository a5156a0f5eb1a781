import { strict as assert } from "assert";
import * as fs from "fs";
import { RunningEmulator, startEmulator } from "../../emulator";
import { CliStack, FoundCli, cliOrSkip, describeResult } from "../../harness/pulumiCli";
import { CLI_PROJECT, SUBJECTS, Subject } from "./subjects";

/**
 * Every resource through the real Pulumi CLI and engine (built by `npm run pulumi:install`, or a `pulumi` on PATH), on
 * a local file backend, against the emulator: the flows a user runs, in order, on one stack per resource kind.
 */
const out = describeResult;

/** Write calls the emulator saw, in order. */
const writes = (emu: RunningEmulator, s: Subject) =>
    emu[s.cloud].server.log.map((l) => l.action).filter((a) => s.writeActions.includes(a));

/** A checkpoint value with each secret's ciphertext (new at every write: a fresh nonce) replaced by a marker. */
function withoutCiphertexts(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(withoutCiphertexts);
    if (v && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if ("ciphertext" in o && "4dabf18193072939515e22adb298388d" in o) return "[secret]";
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, withoutCiphertexts(x)]));
    }
    return v;
}

/** Dynamic-provider hosts whose parent is gone (orphans of a killed CLI) that run in `dir`. */
function orphanedHosts(dir: string): number[] {
    const pids: number[] = [];
    for (const e of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(e)) continue;
        try {
            const cmd = fs.readFileSync(`/proc/${e}/cmdline`, "utf8");
            if (!cmd.includes("dynamic-provider")) continue;
            const ppid = /^PPid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${e}/status`, "utf8"))?.[1];
            if (ppid === "1" && fs.readlinkSync(`/proc/${e}/cwd`) === dir) pids.push(Number(e));
        } catch {
            /* the process ended meanwhile */
        }
    }
    return pids;
}

/** Waits until `cond` holds (polling), or fails after `ms`. */
async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
    const end = Date.now() + ms;
    while (!cond()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50));
    }
}

for (const s of SUBJECTS) {
    describe(`Pulumi CLI and engine: ${s.type}`, function () {
        this.timeout(300_000);
        let emu: RunningEmulator;
        let stack: CliStack;
        let secrets: string[] = [];
        let createsPerUp = 0;
        const type = `pulumi-nodejs:dynamic/${s.type}`;
        const resourceOf = async (name: string) =>
            (await stack.deployment()).resources.find((r) => r.type === type && r.urn.endsWith(`::${name}`));

        let cli: FoundCli;

        before(async function () {
            cli = cliOrSkip(this);
            emu = await startEmulator({ only: [s.cloud], ...s.timings });
            const seeded = s.seed(emu);
            secrets = [...seeded.secrets, ...emu.secretConfigKeys.map((k) => emu.config[k])];
            stack = new CliStack(cli.path, `cli-${s.subject}`, { cwd: CLI_PROJECT });
            await stack.init({ ...emu.config, subject: s.subject, ...seeded.config }, [
                ...emu.secretConfigKeys,
                ...seeded.secretKeys,
            ]);
        });
        after(async () => {
            if (stack) {
                await stack.destroy();
                await stack.remove();
            }
            await emu?.stop();
        });

        it("pulumi preview --diff shows the planned restore with each property and calls no API", async () => {
            const r = await stack.preview();
            assert.equal(r.code, 0, out(r));
            assert.match(r.stdout, new RegExp(`\\+ ${type.replace(/[/:]/g, (c) => `\\${c}`)}: \\(create\\)`), out(r));
            for (const k of s.previewKeys)
                assert.match(r.stdout, new RegExp(`\\b${k}\\s*:`), `preview shows ${k}\n${out(r)}`);
            for (const secret of secrets)
                assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), "preview prints a secret");
            assert.equal(emu[s.cloud].server.count(), 0, "preview called the cloud API");
        });

        it("pulumi up restores; a second up changes nothing and calls nothing that writes", async () => {
            const r = await stack.up();
            assert.equal(r.code, 0, out(r));
            assert.equal(s.live(emu), s.perResource);
            createsPerUp = emu[s.cloud].server.count(s.createAction);
            assert.ok(createsPerUp >= 1);
            // Progress lines reach the CLI and name the declared resource (r1), not a backup id or restore token.
            assert.match(
                r.stdout,
                /\[pulumi-restore\] [A-Za-z]+ "r1": /,
                "progress lines reach the CLI, naming the resource",
            );
            const first = await resourceOf("r1");
            assert.ok(first?.id, "the checkpoint holds the resource with its id");

            const writesBefore = writes(emu, s).length;
            const again = await stack.up();
            assert.equal(again.code, 0, out(again));
            assert.match(again.stdout, /\b2 unchanged\b/, out(again));
            assert.doesNotMatch(again.stdout, /\b(created|updated|replaced|deleted)\b/, out(again));
            assert.equal(writes(emu, s).length, writesBefore, "a no-op up called an API that writes");
            const second = await resourceOf("r1");
            assert.deepEqual(
                withoutCiphertexts(second?.outputs),
                withoutCiphertexts(first?.outputs),
                "a no-op up rewrote the outputs",
            );
        });

        it("pulumi stack export holds no secret in plaintext (config set --secret, inputs marked secret)", async () => {
            const state = await stack.exportState();
            assert.ok(state.includes(type), "the export holds the resource");
            for (const secret of secrets)
                assert.ok(!state.includes(secret), "a secret is in the checkpoint in plaintext");
        });

        it(`a new backup: ${s.onNewBackup.op === "update" ? "updated in place" : "replaced, in the documented order"}`, async () => {
            const before = writes(emu, s).length;
            await stack.setConfig({ backup: s.nextBackup });
            const pv = await stack.preview();
            assert.equal(pv.code, 0, out(pv));
            if (s.onNewBackup.op === "update") assert.match(pv.stdout, /~ .*\(update\)/, out(pv));
            else assert.match(pv.stdout, /\+-.*\(replace\)/, out(pv));
            const r = await stack.up();
            assert.equal(r.code, 0, out(r));
            const calls = writes(emu, s).slice(before);
            if (s.onNewBackup.op === "replace") {
                assert.match(r.stdout, /\b1 replaced\b/, out(r));
                const created = calls.indexOf(s.createAction);
                assert.ok(created >= 0, `the replacement restored: ${calls.join(", ")}`);
                if (s.onNewBackup.deleteAction) {
                    const deleted = calls.indexOf(s.onNewBackup.deleteAction);
                    assert.ok(deleted >= 0, `the old one was deleted: ${calls.join(", ")}`);
                    if (s.onNewBackup.deleteFirst)
                        assert.ok(deleted < created, `delete before create: ${calls.join(", ")}`);
                    else assert.ok(created < deleted, `create before delete: ${calls.join(", ")}`);
                    assert.equal(s.live(emu), s.perResource, "one cloud resource after the replacement");
                }
            } else {
                assert.match(r.stdout, /\b1 updated\b/, out(r));
                assert.equal(s.live(emu), s.perResource);
            }
        });

        if (s.outOfBand) {
            it("pulumi refresh after an out-of-band deletion drops the resource; up restores it again", async () => {
                const id = (await resourceOf("r1"))!.id!;
                s.outOfBand!(emu, id);
                await until(() => s.live(emu) === 0, 10_000, "the out-of-band deletion");
                const rf = await stack.refresh();
                assert.equal(rf.code, 0, out(rf));
                assert.equal(await resourceOf("r1"), undefined, "refresh keeps a deleted resource");
                const creates = emu[s.cloud].server.count(s.createAction);
                const up = await stack.up();
                assert.equal(up.code, 0, out(up));
                assert.match(up.stdout, /\b1 created\b/, out(up));
                assert.equal(emu[s.cloud].server.count(s.createAction), creates + createsPerUp);
                assert.equal(s.live(emu), s.perResource);
            });
        }

        it("pulumi destroy gives the documented result", async () => {
            const before = s.live(emu);
            const r = await stack.destroy();
            assert.equal(r.code, 0, out(r));
            await until(() => s.live(emu) === s.afterDestroy(before), 10_000, "the documented result of destroy");
            assert.equal(await resourceOf("r1"), undefined);
        });

        it("the CLI killed (SIGKILL) in the middle of a create, then up again: exactly one cloud resource", async () => {
            await stack.setConfig({ names: JSON.stringify(["k1"]) });
            const liveBefore = s.live(emu);
            const createsBefore = emu[s.cloud].server.count(s.createAction);
            const run = stack.start(["up", "--stack", stack.stack, "--yes", "--skip-preview", "--non-interactive"]);
            await until(
                () => emu[s.cloud].server.count(s.createAction) > createsBefore,
                60_000,
                `the ${s.createAction} call`,
            );
            process.kill(-run.child.pid!, "SIGKILL");
            const killed = await run.done;
            assert.equal(killed.signal, "SIGKILL");
            // The engine started the provider host in a process group of its own, so it outlives the CLI; at its next
            // progress line it finds its stdout broken and exits (provider/core/progress.ts) instead of spinning.
            if (process.platform === "linux")
                await until(() => orphanedHosts(CLI_PROJECT).length === 0, 30_000, "orphaned provider hosts to exit");

            // A killed CLI leaves its lock behind; `pulumi cancel` removes it, as the CLI's message says.
            await stack.must(["cancel", "--stack", stack.stack, "--yes", "--non-interactive"]);
            const up = await stack.up();
            assert.equal(up.code, 0, out(up));
            assert.match(up.stdout, /pending operations/i, "the engine reports the interrupted create");
            assert.equal(s.live(emu) - liveBefore, s.perResource, "exactly one cloud resource");
            assert.equal(
                emu[s.cloud].server.count(s.createAction) - createsBefore,
                createsPerUp,
                "the create was not repeated",
            );

            // The engine keeps the interrupted create as a pending operation until a refresh clears it.
            assert.equal((await stack.deployment()).pending_operations.length, 1);
            const rf = await stack.refresh("--clear-pending-creates");
            assert.equal(rf.code, 0, out(rf));
            assert.equal((await stack.deployment()).pending_operations.length, 0);
            const again = await stack.up();
            assert.equal(again.code, 0, out(again));
            assert.doesNotMatch(again.stdout, /\b(created|replaced)\b/, out(again));

            const liveNow = s.live(emu);
            const d = await stack.destroy();
            assert.equal(d.code, 0, out(d));
            await until(() => s.live(emu) === s.afterDestroy(liveNow), 10_000, "destroy");
        });
    });
}
