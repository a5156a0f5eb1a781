import { strict as assert } from "assert";
import { RunningEmulator, startEmulator } from "../../emulator";
import { CliStack, FoundCli, cliOrSkip, describeResult } from "../../harness/pulumiCli";
import { CLI_PROJECT, SUBJECTS } from "./subjects";

/**
 * Pulumi's own resource options and commands on a StarRocks restore, through the real CLI and engine: retainOnDelete,
 * protect, `up --target`, and what `pulumi import` and `customTimeouts` do with a dynamic resource (both are
 * documented as unsupported; `adoptId` and `timeouts` are the supported ways).
 */
const out = describeResult;
const TYPE = "pulumi-nodejs:dynamic/alicloud/starrocks:RestoredInstance";

describe("Pulumi CLI and engine: resource options and commands (StarRocks)", function () {
    this.timeout(300_000);
    const subject = SUBJECTS.find((s) => s.cloud === "alicloud")!;
    let cli: FoundCli;
    let emu: RunningEmulator;
    let base: { config: Record<string, string>; secretKeys: string[] };
    const stacks: CliStack[] = [];
    const live = () => emu.alicloud.service.live().filter((i) => i.InstanceStatus !== "deleting");

    async function newStack(name: string, extra: Record<string, string> = {}): Promise<CliStack> {
        const st = new CliStack(cli.path, name, { cwd: CLI_PROJECT });
        stacks.push(st);
        await st.init({ ...emu.config, subject: "alicloud", ...base.config, ...extra }, [
            ...emu.secretConfigKeys,
            ...base.secretKeys,
        ]);
        return st;
    }

    before(async function () {
        cli = cliOrSkip(this);
        emu = await startEmulator({ only: ["alicloud"], starrocks: { restoreMs: 1500, releaseMs: 200 } });
        const seeded = subject.seed(emu);
        base = { config: seeded.config, secretKeys: seeded.secretKeys };
    });
    after(async () => {
        for (const st of stacks) {
            await st.destroy();
            await st.remove();
        }
        await emu?.stop();
    });

    it("retainOnDelete: destroy forgets the instance and leaves it running", async () => {
        const st = await newStack("opt-retain", { names: JSON.stringify(["kept"]), retainOnDelete: "true" });
        const up = await st.up();
        assert.equal(up.code, 0, out(up));
        const id = (await st.outputs()).kept as string;
        const d = await st.destroy();
        assert.equal(d.code, 0, out(d));
        assert.equal(emu.alicloud.server.count("ReleaseInstance"), 0, "a retained instance was released");
        assert.ok(live().some((i) => i.InstanceId === id && i.InstanceStatus === "running"));
        emu.alicloud.service.releaseOutOfBand(id);
    });

    it("protect: destroy refuses and releases nothing; after unprotecting, destroy releases", async () => {
        const st = await newStack("opt-protect", { names: JSON.stringify(["guarded"]), protect: "true" });
        const up = await st.up();
        assert.equal(up.code, 0, out(up));
        const id = (await st.outputs()).guarded as string;
        const d = await st.destroy();
        assert.notEqual(d.code, 0, out(d));
        assert.match(d.stdout + d.stderr, /protected/i);
        assert.ok(live().some((i) => i.InstanceId === id));
        await st.rmConfig("protect");
        const unprotect = await st.up();
        assert.equal(unprotect.code, 0, out(unprotect));
        const d2 = await st.destroy();
        assert.equal(d2.code, 0, out(d2));
        assert.ok(!live().some((i) => i.InstanceId === id), "the instance was not released");
    });

    it("up --target restores only the targeted resource; a full up then restores the other", async () => {
        const st = await newStack("opt-target", { names: JSON.stringify(["first", "second"]) });
        const restores = emu.alicloud.server.count("RestoreInstance");
        const urn = `urn:pulumi:opt-target::pulumi-restore-cli-tests::${TYPE}::first`;
        const t = await st.up("--target", urn);
        assert.equal(t.code, 0, out(t));
        assert.equal(emu.alicloud.server.count("RestoreInstance"), restores + 1);
        const names = (await st.deployment()).resources
            .filter((r) => r.type === TYPE)
            .map((r) => r.urn.split("::").pop());
        assert.deepEqual(names, ["first"]);
        const full = await st.up();
        assert.equal(full.code, 0, out(full));
        assert.equal(emu.alicloud.server.count("RestoreInstance"), restores + 2);
        const d = await st.destroy();
        assert.equal(d.code, 0, out(d));
    });

    it("a change of the admin password alone replaces with the old instance deleted first (as documented)", async () => {
        const st = await newStack("opt-password", { names: JSON.stringify(["pw"]) });
        const up = await st.up();
        assert.equal(up.code, 0, out(up));
        const before = emu.alicloud.server.log.length;
        await st.setConfig({ adminPassword: "Cli-Adm1n-N3w-Pa55word" }, ["adminPassword"]);
        const r = await st.up();
        assert.equal(r.code, 0, out(r));
        assert.match(r.stdout, /\b1 replaced\b/, out(r));
        const calls = emu.alicloud.server.log.slice(before).map((l) => l.action);
        const released = calls.indexOf("ReleaseInstance");
        const restored = calls.indexOf("RestoreInstance");
        assert.ok(released >= 0 && restored > released, `delete before create: ${calls.join(", ")}`);
        assert.equal(live().length, 1);
        const d = await st.destroy();
        assert.equal(d.code, 0, out(d));
    });

    it("pulumi import of a dynamic resource fails and calls nothing that writes (use adoptId instead)", async () => {
        const st = await newStack("opt-import", { names: JSON.stringify([]) });
        emu.alicloud.service.seed("backup", { BackupTaskId: "bk-cli-import1", RegionId: "cn-hangzhou" });
        const existing = live()[0]?.InstanceId ?? "c-doesnotexist01";
        const writes = emu.alicloud.server.count("RestoreInstance") + emu.alicloud.server.count("ReleaseInstance");
        const r = await st.run([
            "import",
            "--stack",
            st.stack,
            "--yes",
            "--non-interactive",
            TYPE,
            "imported",
            existing,
        ]);
        assert.notEqual(r.code, 0, out(r));
        assert.equal(
            emu.alicloud.server.count("RestoreInstance") + emu.alicloud.server.count("ReleaseInstance"),
            writes,
        );
        assert.equal(
            (await st.deployment()).resources.filter((x) => x.type === TYPE).length,
            0,
            "import left a resource in state",
        );
    });

    it("customTimeouts are not enforced for dynamic resources: a 1 s create limit does not cut a 1.5 s restore (use timeouts)", async () => {
        const st = await newStack("opt-timeouts", {
            names: JSON.stringify(["slow"]),
            customTimeouts: JSON.stringify({ create: "1s" }),
        });
        const up = await st.up();
        assert.equal(up.code, 0, out(up));
        const id = (await st.outputs()).slow as string;
        assert.ok(live().some((i) => i.InstanceId === id && i.InstanceStatus === "running"));
        const d = await st.destroy();
        assert.equal(d.code, 0, out(d));
    });
});
