import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { startEmulator, RunningEmulator } from "../../emulator";
import { alicloud } from "../../index";
import { Engine } from "../../harness/engine";

const SOURCE = "c-prodsource000001";
const H = 3_600_000;

/** Resolves an Output's value (the program's outputs are plain values or Outputs under the harness). */
function valueOf(v: unknown): Promise<unknown> {
    return pulumi.Output.isInstance(v)
        ? new Promise((r) => (v as pulumi.Output<unknown>).apply((x) => r(x)))
        : Promise.resolve(v);
}

describe("backupSelector and triggers through the real dynamic-provider host (StarRocks)", function () {
    this.timeout(120_000);
    let emu: RunningEmulator;
    let eng: Engine;
    beforeEach(async () => {
        emu = await startEmulator({ starrocks: { restoreMs: 300, releaseMs: 200 } });
        const seed = (id: string, ageMs: number, Status = "COMPLETED") =>
            emu.alicloud.service.seed("backup", { BackupTaskId: id, InstanceId: SOURCE, ageMs, Status });
        seed("bk-old000001", 30 * H);
        seed("bk-good00001", 5 * H);
        seed("bk-running01", 0, "RUNNING");
        eng = new Engine({ config: { ...emu.config } });
    });
    afterEach(async () => {
        await eng.close();
        await emu.stop();
    });
    const program = (week: string) => () => {
        // The lookup runs in the program (at preview too); the resource resolves its own selector at create.
        const latest = alicloud.starrocks.getLatestBackupOutput({ instanceId: SOURCE });
        const r = new alicloud.starrocks.RestoredInstance("staging", {
            backupSelector: { instanceId: SOURCE, maxAge: "2d" },
            instanceName: "staging",
            triggers: { week },
        });
        return { wouldRestore: latest.backupId, restored: r.selectedBackupId };
    };
    const restores = () => emu.alicloud.server.count("RestoreInstance");
    const selected = () => eng.resource("staging")!.outputs.selectedBackupId;

    it("preview looks up (read-only), up restores the latest complete backup, a newer one changes nothing, triggers move it", async () => {
        const pv = await eng.preview(program("2026-11-23"));
        assert.deepEqual(
            pv.errors.map((e) => e.message),
            [],
        );
        assert.equal(
            await valueOf((pv.outputs as Record<string, unknown>).wouldRestore),
            "bk-good00001",
            "the lookup shows the choice at preview",
        );
        assert.equal(restores(), 0);
        assert.ok(
            emu.alicloud.server.count("DescribeBackups") > 0 &&
                emu.alicloud.server.count() === emu.alicloud.server.count("DescribeBackups"),
            "preview only reads",
        );

        const up = await eng.up(program("2026-11-23"));
        assert.deepEqual(
            up.errors.map((e) => e.message),
            [],
        );
        assert.equal(selected(), "bk-good00001");
        assert.ok(String(eng.resource("staging")!.outputs.selectedBackupTime).endsWith("Z"));

        emu.alicloud.service.seed("backup", { BackupTaskId: "bk-newer0001", InstanceId: SOURCE, ageMs: 0 });
        const same = await eng.up(program("2026-11-23"));
        assert.deepEqual(
            same.errors.map((e) => e.message),
            [],
        );
        assert.equal(
            same.steps.find((s) => s.urn.endsWith("::staging"))?.op,
            "same",
            "a newer backup does not restore again",
        );
        assert.equal(restores(), 1);
        assert.equal(selected(), "bk-good00001");

        const moved = await eng.up(program("2026-11-30"));
        assert.deepEqual(
            moved.errors.map((e) => e.message),
            [],
        );
        assert.equal(moved.steps.find((s) => s.urn.endsWith("::staging"))?.op, "replace");
        assert.equal(restores(), 2);
        assert.equal(selected(), "bk-newer0001");
        assert.equal(
            emu.alicloud.service.live().filter((i) => i.InstanceStatus === "running").length,
            1,
            "the replaced instance is released",
        );
        const d = await eng.destroy();
        assert.deepEqual(d.errors, []);
    });

    it("a selector that finds nothing fails the up before anything is created, saying what was searched", async () => {
        const r = await eng.up(() => {
            new alicloud.starrocks.RestoredInstance("staging", { backupSelector: { instanceId: "c-nobackups000001" } });
            return {};
        });
        assert.match(
            r.errors.map((e) => e.message).join("\n"),
            /found no backups of instance c-nobackups000001 in region cn-hangzhou/,
        );
        assert.equal(restores(), 0);
        assert.equal(eng.resource("staging"), undefined, "nothing recorded");
    });
});
