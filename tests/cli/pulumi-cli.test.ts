import { strict as assert } from "assert";
import { randomBytes } from "crypto";
import { RunningEmulator, seedExamples, startEmulator } from "../../emulator";
import { CliStack, FoundCli, cliOrSkip } from "../../harness/pulumiCli";

/**
 * The quickstart project (Pulumi.yaml at the repository root) driven by the real Pulumi CLI and engine, on a local file
 * backend, against the emulator. Runs wherever a CLI is found (built by `npm run pulumi:install`, or on PATH); elsewhere
 * it is reported as pending with the reason.
 */
describe("Pulumi CLI: the quickstart project against the emulator", function () {
    this.timeout(600_000);
    let pulumi: FoundCli;
    const PASSWORD = `Cli-Adm1n-${randomBytes(4).toString("hex")}`;
    let emu: RunningEmulator;
    let cli: CliStack;

    before(async function () {
        pulumi = cliOrSkip(this);
        emu = await startEmulator({ only: ["alicloud"], starrocks: { restoreMs: 1500, releaseMs: 500 } });
        seedExamples(emu);
        cli = new CliStack(pulumi.path, `cli-${randomBytes(3).toString("hex")}`);
        await cli.init({ ...emu.config, "pulumi-restore-quickstart:adminPassword": PASSWORD }, [
            ...emu.secretConfigKeys,
            "pulumi-restore-quickstart:adminPassword",
        ]);
    });
    after(async () => {
        if (cli) {
            await cli.destroy();
            await cli.remove();
        }
        await emu?.stop();
    });

    const live = () => emu.alicloud.service.live().filter((i) => i.InstanceStatus !== "deleting");

    it("preview calls no API and shows one create", async () => {
        const r = await cli.preview();
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.match(r.stdout, /\+ .*RestoredInstance|create/i);
        assert.equal(emu.alicloud.server.count(), 0);
    });

    it("up restores exactly one instance and waits for running; a second up writes nothing", async () => {
        const r = await cli.up();
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.equal(emu.alicloud.server.count("RestoreInstance"), 1);
        assert.equal(live().length, 1);
        const out = await cli.outputs();
        assert.equal(out.status, "running");
        assert.equal(out.instanceId, live()[0].InstanceId);
        const again = await cli.up();
        assert.equal(again.code, 0, again.stdout + again.stderr);
        assert.equal(emu.alicloud.server.count("RestoreInstance"), 1);
    });

    it("the saved state holds neither the admin password nor the secret key in plaintext", async () => {
        const state = await cli.exportState();
        assert.ok(state.includes("RestoredInstance"), "the export holds the resource");
        assert.ok(!state.includes(PASSWORD), "admin password in plaintext");
        assert.ok(!state.includes(emu.config["alicloud:secretKey"]), "secret key in plaintext");
    });

    it("a bad input fails at preview naming the property, with no API call", async () => {
        const before = emu.alicloud.server.count();
        await cli.must(
            ["config", "set", "--stack", cli.stack, "--plaintext", "pulumi-restore-quickstart:backupTaskId"],
            "not a backup id!",
        );
        const r = await cli.preview();
        await cli.must(["config", "rm", "--stack", cli.stack, "pulumi-restore-quickstart:backupTaskId"]);
        assert.notEqual(r.code, 0);
        assert.match(r.stdout + r.stderr, /backupTaskId/);
        assert.equal(emu.alicloud.server.count() - before, 0);
    });

    it("destroy releases the instance", async () => {
        const r = await cli.destroy();
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.equal(live().length, 0);
    });
});
