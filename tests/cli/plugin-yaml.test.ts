import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RunningEmulator, startEmulator } from "../../emulator";
import { CliResult, CliStack, FoundCli, REPO_ROOT, cliOrSkip, describeResult } from "../../harness/pulumiCli";
import { pluginKey } from "../../plugin/config";
import { freePort } from "../support/ports";
import { copyPluginExample } from "../support/pluginExample";

/**
 * The provider plugin (plugin/) from a YAML program, through the real CLI and engine against the StarRocks emulator:
 * examples/yaml itself (preview, up, a second up, refresh after an out-of-band release, destroy, no secret in
 * `pulumi stack export`), `pulumi import` of an existing instance, `customTimeouts` cutting a slow restore short
 * with partial state kept, and a ZStack restore drill (zstack:RestoreDrill) against the ZStack emulator. Needs Pulumi's YAML language host next to the CLI or on PATH (`npm run pulumi:install`
 * builds it); without one the suite says so and is pending.
 */
const PLUGIN_DIR = path.join(REPO_ROOT, "plugin");
const TYPE = "pulumi-restore:alicloud/starrocks:RestoredInstance";
const ADMIN_PASSWORD = "Yaml-Adm1n-Pa55word-5c1d";
const out = describeResult;

/** The YAML language host the engine would use: next to the CLI, else on PATH. */
function yamlHost(cli: FoundCli): string | undefined {
    const beside = path.join(path.dirname(cli.path), "pulumi-language-yaml");
    if (fs.existsSync(beside)) return beside;
    const r = spawnSync("which", ["pulumi-language-yaml"], { encoding: "utf8" });
    return r.status === 0 ? r.stdout.trim() : undefined;
}

/** A YAML project in a temporary directory using this checkout's plugin. */
function yamlProject(name: string, body: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-restore-yaml-"));
    fs.writeFileSync(
        path.join(dir, "Pulumi.yaml"),
        `name: ${name}\nruntime: yaml\npackages:\n  pulumi-restore: ${PLUGIN_DIR}\n${body}`,
    );
    return dir;
}

describe("Pulumi CLI: the provider plugin from YAML (examples/yaml, pulumi import, customTimeouts, a restore drill)", function () {
    this.timeout(600_000);
    let cli: FoundCli;
    let emu: RunningEmulator;
    const stacks: CliStack[] = [];
    const dirs: string[] = [];
    const live = () => emu.alicloud.service.live().filter((i) => i.InstanceStatus !== "deleting");
    const timings: string[] = [];

    /** Runs a CLI command and notes how long it took (printed at the end of the suite). */
    async function timed(what: string, f: () => Promise<CliResult>): Promise<CliResult> {
        const t = Date.now();
        const r = await f();
        timings.push(`${what}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
        return r;
    }

    /** A stack of a YAML project pointed at the emulator through the plugin's config (`--path` keys). */
    async function newStack(
        cwd: string,
        name: string,
        config: Record<string, string> = {},
        secrets: string[] = [],
    ): Promise<CliStack> {
        const st = new CliStack(cli.path, name, { cwd });
        stacks.push(st);
        await st.must(["stack", "init", name, "--non-interactive"]);
        const settings: [string, string, boolean][] = [
            ["pulumi-restore:alicloud.endpoint", emu.config["alicloud:endpoint"], false],
            ["pulumi-restore:alicloud.region", emu.config["alicloud:region"], false],
            ["pulumi-restore:alicloud.accessKey", emu.config["alicloud:accessKey"], false],
            ["pulumi-restore:alicloud.secretKey", emu.config["alicloud:secretKey"], true],
        ];
        for (const [k, v, secret] of settings)
            await st.must(["config", "set", "--stack", name, "--path", secret ? "--secret" : "--plaintext", k], v);
        await st.setConfig(config, secrets);
        return st;
    }

    before(async function () {
        cli = cliOrSkip(this);
        if (!yamlHost(cli)) {
            const why =
                "no Pulumi YAML language host (pulumi-language-yaml) next to the CLI or on PATH: run `npm run pulumi:install`";
            if (process.env.PULUMI_RESTORE_REQUIRE_CLI === "true")
                throw new Error(`PULUMI_RESTORE_REQUIRE_CLI=true, but ${why}`);
            console.log(`    (${why}: skipped)`);
            this.skip();
        }
        emu = await startEmulator({
            only: ["alicloud", "zstack"],
            starrocks: { restoreMs: 2500, releaseMs: 200 },
            zstack: { createMs: 600, startMs: 100, destroyMs: 100, expungeMs: 100 },
        });
        emu.alicloud.service.seed("backup", { BackupTaskId: "bk-yaml0000001", RegionId: "cn-hangzhou" });
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

    it("examples/yaml: preview calls nothing; up restores once with progress under the resource; up again writes nothing; refresh; destroy; no plaintext secret in state", async () => {
        // Copied out of the repository as a user would (its Pulumi.yaml names ./node_modules/pulumi-restore/plugin).
        const example = copyPluginExample("yaml");
        dirs.push(example);
        const st = await newStack(
            example,
            "yaml-example",
            { backupTaskId: "bk-yaml0000001", adminPassword: ADMIN_PASSWORD },
            ["adminPassword"],
        );

        const p = await timed("preview", () => st.preview());
        assert.equal(p.code, 0, out(p));
        assert.match(p.stdout, new RegExp(`\\+ ${TYPE}: \\(create\\)`), out(p));
        assert.match(p.stdout, /backupTaskId\s*: "bk-yaml0000001"/);
        assert.match(p.stdout, /adminPassword\s*: \[secret\]/);
        assert.equal(emu.alicloud.server.count("RestoreInstance"), 0, "preview restored");

        const up = await timed("up", () => st.up());
        assert.equal(up.code, 0, out(up));
        assert.equal(emu.alicloud.server.count("RestoreInstance"), 1);
        const outputs = await st.outputs();
        assert.equal(outputs.status, "running");
        assert.equal(outputs.instanceId, live()[0]?.InstanceId);
        assert.match(outputs.restoreToken as string, /^prt-[0-9a-f]{20}$/);
        // Progress lines reach the CLI's output, under the resource (through the engine's Log service).
        assert.match(
            up.stdout,
            /\[pulumi-restore\] RestoredInstance "analytics": restoring backup bk-yaml0000001/,
            out(up),
        );

        const again = await timed("up (no change)", () => st.up());
        assert.equal(again.code, 0, out(again));
        assert.doesNotMatch(again.stdout, /created|updated|replaced|deleted/);
        assert.equal(emu.alicloud.server.count("RestoreInstance"), 1, "a second up restored again");

        const state = await st.exportState();
        for (const s of [ADMIN_PASSWORD, emu.config["alicloud:secretKey"]])
            assert.ok(!state.includes(s), `stack export holds a secret in plaintext (${s.slice(0, 4)}...)`);
        const res = (await st.deployment()).resources.find((r) => r.type === TYPE)!;
        assert.ok(!("__provider" in (res.outputs ?? {})), "plugin state carries no serialized provider");

        const id = outputs.instanceId as string;
        emu.alicloud.service.releaseOutOfBand(id);
        const refresh = await timed("refresh", () => st.refresh());
        assert.equal(refresh.code, 0, out(refresh));
        assert.equal(
            (await st.deployment()).resources.filter((r) => r.type === TYPE).length,
            0,
            "refresh kept a released instance",
        );

        const up2 = await timed("up (after refresh)", () => st.up());
        assert.equal(up2.code, 0, out(up2));
        assert.equal(emu.alicloud.server.count("RestoreInstance"), 2);
        assert.equal(live().length, 1);

        const d = await timed("destroy", () => st.destroy());
        assert.equal(d.code, 0, out(d));
        assert.equal(live().length, 0, "destroy left the instance");
    });

    it("pulumi import of an existing instance: recorded as adopted, YAML generated, the program then changes nothing and destroy releases it", async () => {
        const seeded = emu.alicloud.service.seed("instance", {
            InstanceName: "legacy-analytics",
            RegionId: "cn-hangzhou",
        }) as { InstanceId: string };
        const dir = yamlProject("pulumi-restore-yaml-import", "resources: {}\n");
        dirs.push(dir);
        const st = await newStack(dir, "yaml-import");
        const writes = () =>
            emu.alicloud.server.count("RestoreInstance") + emu.alicloud.server.count("ReleaseInstance");
        const before = writes();
        const restoresBefore = emu.alicloud.server.count("RestoreInstance");
        const generated = path.join(dir, "imported.yaml");
        const imp = await timed("import", () =>
            st.run([
                "import",
                "--stack",
                st.stack,
                "--yes",
                "--non-interactive",
                "--out",
                generated,
                TYPE,
                "legacy",
                seeded.InstanceId,
            ]),
        );
        assert.equal(imp.code, 0, out(imp));
        assert.equal(writes(), before, "import wrote to the cloud");
        const rec = (await st.deployment()).resources.find((r) => r.type === TYPE);
        assert.ok(rec, "import left no resource in state");
        assert.equal(rec.id, seeded.InstanceId);
        assert.equal(rec.inputs?.adoptId, seeded.InstanceId);
        assert.equal(rec.outputs?.adopted, true);
        const code = fs.readFileSync(generated, "utf8");
        assert.match(code, new RegExp(`type: ${TYPE}`));
        assert.match(code, new RegExp(`adoptId: ${seeded.InstanceId}`));
        assert.match(code, /instanceName: legacy-analytics/);

        // The generated declaration, as a user would paste it (without the `protect` option import adds).
        const resources = code.replace(/\n\s+options:\n\s+protect: true/, "");
        fs.writeFileSync(
            path.join(dir, "Pulumi.yaml"),
            `name: pulumi-restore-yaml-import\nruntime: yaml\npackages:\n  pulumi-restore: ${PLUGIN_DIR}\n${resources}`,
        );
        await st.must(["state", "unprotect", "--stack", st.stack, "--all", "--yes"]);
        const p = await timed("preview (imported)", () => st.preview());
        assert.equal(p.code, 0, out(p));
        assert.doesNotMatch(p.stdout, /\(create\)|\(replace\)|\(update\)|\(delete\)/, out(p));
        const up = await timed("up (imported)", () => st.up());
        assert.equal(up.code, 0, out(up));
        assert.equal(writes(), before, "up after import wrote to the cloud");
        const d = await timed("destroy (imported)", () => st.destroy());
        assert.equal(d.code, 0, out(d));
        assert.equal(emu.alicloud.server.count("RestoreInstance"), restoresBefore, "an imported instance was restored");
        assert.ok(
            !live().some((i) => i.InstanceId === seeded.InstanceId),
            "destroy did not release the imported instance",
        );
    });

    it("customTimeouts cut a slow restore short: the instance is kept in the stack as partial state and the next up finishes it without restoring again", async () => {
        const dir = yamlProject(
            "pulumi-restore-yaml-timeouts",
            [
                "resources:",
                "  slow:",
                `    type: ${TYPE}`,
                "    properties:",
                "      backupTaskId: bk-yaml0000001",
                "      instanceName: slow-restore",
                "    options:",
                "      customTimeouts:",
                "        create: 1s",
                "outputs:",
                "  status: ${slow.status}",
                "",
            ].join("\n"),
        );
        dirs.push(dir);
        const st = await newStack(dir, "yaml-timeouts");
        const restores = emu.alicloud.server.count("RestoreInstance");
        const up = await timed("up (customTimeouts 1s)", () => st.up());
        assert.notEqual(up.code, 0, `a 1 s customTimeouts did not cut a 2.5 s restore\n${out(up)}`);
        assert.match(up.stdout + up.stderr, /did not become running: timed out/, out(up));
        assert.equal(emu.alicloud.server.count("RestoreInstance"), restores + 1);
        const rec = (await st.deployment()).resources.find((r) => r.type === TYPE);
        assert.ok(rec?.id, "the partially created instance is not in the stack");
        assert.ok(
            live().some((i) => i.InstanceId === rec.id),
            "the recorded id is not the instance the cloud made",
        );
        assert.equal(rec.outputs?.timeouts, undefined, "the engine's limit leaked into state");

        await new Promise((r) => setTimeout(r, 2000));
        const again = await timed("up (resume)", () => st.up());
        assert.equal(again.code, 0, out(again));
        assert.equal(emu.alicloud.server.count("RestoreInstance"), restores + 1, "the next up restored again");
        assert.equal((await st.outputs()).status, "running");
        const d = await timed("destroy (timeouts)", () => st.destroy());
        assert.equal(d.code, 0, out(d));
        assert.ok(!live().some((i) => i.InstanceId === rec.id));
    });
    it("zstack.RestoreDrill from YAML: the drill runs once (scratch VM made, checked over TCP and by the verify command, expunged), the report comes back as outputs, the password stays secret; up again runs nothing; destroy removes only state", async () => {
        const svc = emu.zstack.service;
        // VM addresses on loopback, each VM listening on tcpPort there while it exists: the TCP check is real.
        const l3 = svc.seed("l3Network", { prefix: "127.0.0." }) as { uuid: string };
        const off = svc.seed("instanceOffering", {}) as { uuid: string };
        const group = svc.seed("backupGroup", { l3NetworkUuids: [l3.uuid] }) as { uuid: string };
        const tcpPort = await freePort();
        svc.serveTcpPort = tcpPort;
        const password = "Yaml-Gue5t-Pa55word-d41l";
        const dir = yamlProject(
            "pulumi-restore-yaml-drill",
            [
                "config:",
                "  guestPassword:",
                "    type: string",
                "    secret: true",
                "resources:",
                "  vm-drill:",
                "    type: pulumi-restore:zstack:RestoreDrill",
                "    properties:",
                `      backupGroupUuid: ${group.uuid}`,
                `      instanceOfferingUuid: ${off.uuid}`,
                `      l3NetworkUuids: [${l3.uuid}]`,
                `      defaultL3NetworkUuid: ${l3.uuid}`,
                `      tcpPort: ${tcpPort}`,
                "      guestPassword: ${guestPassword}",
                "      triggers:",
                '        month: "2026-11"',
                "      verify:",
                '        command: echo "rows ok on $DRILL_INSTANCE_ID ($DRILL_PASSWORD)"',
                "        timeout: 1m",
                "outputs:",
                "  passed: ${vm-drill.passed}",
                "  report: ${vm-drill.report}",
                "  scratchName: ${vm-drill.scratchName}",
                "",
            ].join("\n"),
        );
        dirs.push(dir);
        const st = await newStack(dir, "yaml-drill", { guestPassword: password }, ["guestPassword"]);
        for (const [k, v] of Object.entries(emu.config).filter(([k]) => k.startsWith("zstack:"))) {
            const secret = emu.secretConfigKeys.includes(k) ? "--secret" : "--plaintext";
            await st.must(["config", "set", "--stack", st.stack, "--path", secret, pluginKey(k)], v);
        }
        const made = () => emu.zstack.server.count("CreateVmFromVmBackup");
        const before = made();
        const up = await timed("up (zstack drill)", () => st.up());
        assert.equal(up.code, 0, out(up));
        assert.equal(made(), before + 1, "the drill did not restore exactly once");
        assert.match(up.stdout, /\[pulumi-restore\] RestoreDrill "vm-drill": .*drill passed/, out(up));
        const o = (await st.outputs()) as {
            passed: boolean;
            scratchName: string;
            report: {
                result: string;
                scratchDeleted: boolean;
                checks: { name: string; result: string; outputTail?: string }[];
            };
        };
        assert.equal(o.passed, true, JSON.stringify(o.report));
        assert.equal(o.report.result, "passed");
        assert.equal(o.report.scratchDeleted, true);
        assert.match(o.scratchName, /^drill-prt-[0-9a-f]{20}$/);
        assert.equal(o.report.checks.find((c) => c.name === "tcp")?.result, "passed");
        const verify = o.report.checks.find((c) => c.name === "verify");
        assert.match(verify?.outputTail ?? "", /rows ok on \S+ \(\*\*\*\)/, JSON.stringify(o.report));
        assert.deepEqual(svc.allVms(), [], "the scratch VM was left");
        const state = await st.exportState();
        assert.ok(!state.includes(password), "the guest password is in state in plaintext");
        assert.ok(!up.stdout.includes(password) && !up.stderr.includes(password), "the password was printed");
        const rec = (await st.deployment()).resources.find((r) => r.type === "pulumi-restore:zstack:RestoreDrill");
        const pw = rec?.inputs?.guestPassword as Record<string, unknown> | undefined;
        assert.equal(pw?.["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270", JSON.stringify(pw));

        const again = await timed("up (drill, no change)", () => st.up());
        assert.equal(again.code, 0, out(again));
        assert.equal(made(), before + 1, "an unchanged drill ran again");
        const d = await timed("destroy (drill)", () => st.destroy());
        assert.equal(d.code, 0, out(d));
        assert.equal(made(), before + 1);
    });
});
