import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CloudName, RunningEmulator, startEmulator } from "../../emulator";
import { CliResult, CliStack, FoundCli, REPO_ROOT, cliOrSkip, describeResult } from "../../harness/pulumiCli";
import { pluginKey } from "../../plugin/config";
import { restoreToken } from "../../provider/core/resource";
import { RedisRestoreProvider } from "../../provider/tencentcloud/redisProvider";

/**
 * `pulumi import` through the provider plugin, for each resource whose import id carries what its cloud does not
 * report (Tencent InstanceRestore and RestoredInstance, ZStack VmFromBackup, JD RestoredInstance, KooPhone
 * InstanceBackup; StarRocks is in plugin-yaml.test.ts), with the real CLI and engine and a YAML program against the
 * emulator: the thing is made in the emulator, `pulumi import <token> <name> <id>` records it in a fresh stack and
 * generates its YAML, the generated declaration as the program gives a no-op `up` (nothing written to the cloud), a
 * malformed import id fails naming the format, and destroy does what the resource documents. Needs Pulumi's YAML language host (`npm run
 * pulumi:install`); without one the suite says so and is pending.
 */
const PLUGIN_DIR = path.join(REPO_ROOT, "plugin");
const USER_ID = "1008600000104285462";
const out = describeResult;

/** One resource's case: what to make in the emulator, its import id, a malformed one, and the cloud's writes. */
interface ImportCase {
    /** Names the case's stack (`import-<key>`): unique per case. */
    key: string;
    cloud: CloudName;
    token: string;
    /** Makes the thing in the emulator; returns its import id. */
    make(emu: RunningEmulator): Promise<string>;
    /** The resource id recorded for that import id. */
    recordedId(importId: string, emu: RunningEmulator): string;
    badId: string;
    format: string;
    /** Counts every call that changes something in this cloud. */
    writes(emu: RunningEmulator): number;
    /** After destroy: what the resource documents happened. */
    afterDestroy(emu: RunningEmulator, id: string): void;
}

const CASES: ImportCase[] = [
    {
        key: "tencentcloud",
        cloud: "tencentcloud",
        token: "pulumi-restore:tencentcloud/redis:InstanceRestore",
        make: async (emu) => {
            const svc = emu.tencentcloud.service;
            svc.seed("instance", { InstanceId: "crs-cliimp01" });
            svc.seed("backup", { InstanceId: "crs-cliimp01", BackupId: "cli-import-backup-01" });
            // A restore someone ran outside this stack (here by the provider itself, as any other tool would).
            const config = Object.fromEntries(
                Object.entries(emu.config).filter(([k]) => k.startsWith("tencentcloud:")),
            );
            await new RedisRestoreProvider({}, config).create({
                instanceId: "crs-cliimp01",
                backupId: "cli-import-backup-01",
                restoreToken: restoreToken("console", "outside", "restore"),
            });
            return `crs-cliimp01:${svc.restoreTasks("crs-cliimp01")[0].TaskId}:cli-import-backup-01`;
        },
        recordedId: (id) => id.split(":").slice(0, 2).join(":"),
        badId: "crs-cliimp01:cli-import-backup-01",
        format: "<instanceId>:<taskId>:<backupId>",
        writes: (emu) => emu.tencentcloud.server.count("RestoreInstance"),
        // Nothing to undo: the restore stays, and none was made again.
        afterDestroy: (emu) => assert.equal(emu.tencentcloud.service.restoreTasks("crs-cliimp01").length, 1),
    },
    {
        key: "tencentcloud-clone",
        cloud: "tencentcloud",
        token: "pulumi-restore:tencentcloud/redis:RestoredInstance",
        make: async (emu) => {
            const svc = emu.tencentcloud.service;
            svc.seed("instance", { InstanceId: "crs-clisrc02", Password: "Cli-Source-Pa55word" });
            svc.seed("backup", { InstanceId: "crs-clisrc02", BackupId: "cli-import-backup-02" });
            // A clone someone made in the console from that backup (untagged: no pulumi-restore resource made it).
            svc.seed("instance", {
                InstanceId: "crs-cliclo01",
                InstanceName: "orders-copy",
                Password: "Cli-Clone-Pa55w0rd",
            });
            return "crs-cliclo01:crs-clisrc02:sg-cliimp01:cli-import-backup-02";
        },
        recordedId: (id) => id.split(":")[0],
        // Without the security groups DescribeInstances does not report.
        badId: "crs-cliclo01:crs-clisrc02",
        format: "<instanceId>:<sourceInstanceId>:<securityGroupId>[,<securityGroupId>...][:<backupId>]",
        writes: (emu) =>
            ["CloneInstances", "DestroyPostpaidInstance", "CleanUpInstance"].reduce(
                (n, a) => n + emu.tencentcloud.server.count(a),
                0,
            ),
        // Adopted into the stack: destroy releases it (the source stays).
        afterDestroy: (emu, id) => {
            const live = emu.tencentcloud.service.live().map((i) => i.InstanceId);
            assert.ok(!live.includes(id), `the imported clone is still running: ${live.join(", ")}`);
            assert.ok(live.includes("crs-clisrc02"), "destroy touched the source");
        },
    },
    {
        key: "zstack",
        cloud: "zstack",
        token: "pulumi-restore:zstack:VmFromBackup",
        make: async (emu) => {
            const demo = emu.zstack.service.seed("demo", {}) as { backupGroupUuid: string; l3NetworkUuid: string };
            const vm = emu.zstack.service.seed("vm", { name: "legacy-vm", l3NetworkUuid: demo.l3NetworkUuid }) as {
                uuid: string;
            };
            return `${vm.uuid}:${demo.backupGroupUuid}`;
        },
        recordedId: (id) => id.split(":")[0],
        badId: "legacy-vm",
        format: "<vmUuid>[:<backupGroupUuid>]",
        writes: (emu) =>
            ["CreateVmFromVmBackup", "DestroyVmInstance", "ExpungeVmInstance"].reduce(
                (n, a) => n + emu.zstack.server.count(a),
                0,
            ),
        afterDestroy: (emu, id) => assert.ok(!emu.zstack.service.liveVms().some((v) => v.uuid === id)),
    },
    {
        key: "jdcloud",
        cloud: "jdcloud",
        token: "pulumi-restore:jdcloud/rds:RestoredInstance",
        make: async (emu) => {
            const inst = emu.jdcloud.service.seed("instance", { instanceName: "legacy-orders" }) as {
                instanceId: string;
            };
            return `${inst.instanceId}:bk-legacy-orders-01`;
        },
        recordedId: (id) => id.split(":")[0],
        badId: "legacy-orders:bk:extra",
        format: "<instanceId>[:<backupId>]",
        writes: (emu) =>
            emu.jdcloud.server.count("createInstanceFromBackup") + emu.jdcloud.server.count("deleteInstance"),
        afterDestroy: (emu, id) => assert.ok(!emu.jdcloud.service.live().some((i) => i.instanceId === id)),
    },
    {
        key: "huaweicloud",
        cloud: "huaweicloud",
        token: "pulumi-restore:huaweicloud/koophone:InstanceBackup",
        make: async (emu) => {
            for (const id of ["cli-parked-1", "cli-parked-2"])
                emu.huaweicloud.service.seed("instance", { id, phase: "backedUp" });
            return `${USER_ID}:cli-parked-1,cli-parked-2`;
        },
        recordedId: () => restoreToken("pulumi-restore-cli-import", "import-huaweicloud", "imported"),
        badId: "cli-parked-1,cli-parked-2",
        format: "<userId>:<instanceId>[,<instanceId>...]",
        writes: (emu) =>
            emu.huaweicloud.server.count("BatchBackupInstances") +
            emu.huaweicloud.server.count("BatchPrepareInstances"),
        // The stack held them: destroy brings them back to the user.
        afterDestroy: (emu) =>
            assert.deepEqual(
                ["cli-parked-1", "cli-parked-2"].map((p) => emu.huaweicloud.service.phaseOf(p)),
                ["running", "running"],
            ),
    },
];

describe("Pulumi CLI: pulumi import of every restore resource through the plugin (YAML, emulator)", function () {
    this.timeout(600_000);
    let cli: FoundCli;
    let emu: RunningEmulator;
    const stacks: CliStack[] = [];
    const dirs: string[] = [];
    const timings: string[] = [];

    async function timed(what: string, f: () => Promise<CliResult>): Promise<CliResult> {
        const t = Date.now();
        const r = await f();
        timings.push(`${what}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
        return r;
    }

    before(async function () {
        cli = cliOrSkip(this);
        const beside = path.join(path.dirname(cli.path), "pulumi-language-yaml");
        if (!fs.existsSync(beside) && spawnSync("which", ["pulumi-language-yaml"]).status !== 0) {
            const why = "no Pulumi YAML language host (pulumi-language-yaml) next to the CLI or on PATH";
            if (process.env.PULUMI_RESTORE_REQUIRE_CLI === "true")
                throw new Error(`PULUMI_RESTORE_REQUIRE_CLI=true, but ${why}`);
            console.log(`    (${why}: run \`npm run pulumi:install\`; skipped)`);
            this.skip();
        }
        emu = await startEmulator({
            only: [...new Set(CASES.map((c) => c.cloud))],
            tencentcloud: { prepareMs: 50, runMs: 100, cloneMs: 300, destroyMs: 100, cleanUpMs: 100 },
            zstack: { createMs: 300, startMs: 100, destroyMs: 100, expungeMs: 100 },
            jdcloud: { buildMs: 300, deleteMs: 100 },
        });
    });
    after(async () => {
        for (const st of stacks) {
            await st.destroy();
            await st.remove();
        }
        for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
        await emu?.stop();
        if (timings.length > 0) console.log(`    CLI timings: ${timings.join("; ")}`);
    });

    /** A fresh stack of an empty YAML project, pointed at the emulator's `cloud` through the plugin's config. */
    async function freshStack(c: ImportCase): Promise<{ st: CliStack; dir: string }> {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-restore-import-"));
        dirs.push(dir);
        writeProject(dir, "resources: {}\n");
        const name = `import-${c.key}`;
        const st = new CliStack(cli.path, name, { cwd: dir });
        stacks.push(st);
        await st.must(["stack", "init", name, "--non-interactive"]);
        for (const [k, v] of Object.entries(emu.config).filter(([k]) => k.startsWith(`${c.cloud}:`))) {
            const secret = emu.secretConfigKeys.includes(k) ? "--secret" : "--plaintext";
            await st.must(["config", "set", "--stack", name, "--path", secret, pluginKey(k)], v);
        }
        return { st, dir };
    }

    function writeProject(dir: string, body: string): void {
        const head = `name: pulumi-restore-cli-import\nruntime: yaml\npackages:\n  pulumi-restore: ${PLUGIN_DIR}\n`;
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), head + body);
    }

    for (const c of CASES) {
        it(`${c.token}: import ${c.format} into a fresh stack, the generated YAML then changes nothing, a malformed id names the format, destroy as documented`, async () => {
            const importId = await c.make(emu);
            const { st, dir } = await freshStack(c);
            const writes = c.writes(emu);

            const bad = await timed(`${c.key} import (malformed id)`, () =>
                st.run([
                    "import",
                    "--stack",
                    st.stack,
                    "--yes",
                    "--skip-preview",
                    "--non-interactive",
                    c.token,
                    "bad",
                    c.badId,
                ]),
            );
            assert.notEqual(bad.code, 0, `a malformed import id was accepted\n${out(bad)}`);
            assert.ok((bad.stdout + bad.stderr).includes(`The import id is ${c.format}`), out(bad));
            assert.equal((await st.deployment()).resources.filter((r) => r.type === c.token).length, 0);

            const generated = path.join(dir, "imported.yaml");
            const args = ["--stack", st.stack, "--yes", "--skip-preview", "--non-interactive", "--out", generated];
            const imp = await timed(`${c.key} import`, () =>
                st.run(["import", ...args, c.token, "imported", importId]),
            );
            assert.equal(imp.code, 0, out(imp));
            const rec = (await st.deployment()).resources.find((r) => r.type === c.token);
            assert.equal(rec?.id, c.recordedId(importId, emu), JSON.stringify(rec));
            assert.equal(c.writes(emu), writes, "import wrote to the cloud");

            // The generated declaration as the program (without the `protect` import adds): the up changes nothing.
            const code = fs.readFileSync(generated, "utf8");
            assert.match(code, new RegExp(`type: ${c.token}`), code);
            writeProject(dir, code.replace(/\n\s+options:\n\s+protect: true/, ""));
            await st.must(["state", "unprotect", "--stack", st.stack, "--all", "--yes"]);
            const up = await timed(`${c.key} up (imported)`, () => st.up());
            assert.equal(up.code, 0, out(up));
            assert.doesNotMatch(up.stdout, /created|updated|replaced|deleted/, out(up));
            assert.equal(c.writes(emu), writes, "the up after import wrote to the cloud");

            const d = await timed(`${c.key} destroy`, () => st.destroy());
            assert.equal(d.code, 0, out(d));
            c.afterDestroy(emu, rec.id as string);
        });
    }
});
