import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CLOUD_NAMES, CloudName, RunningEmulator, startEmulator } from "../../emulator";
import { CheckpointResource, CliResult, CliStack, FoundCli, cliOrSkip, describeResult } from "../../harness/pulumiCli";
import {
    CloudFixture,
    FIXTURE_DIR,
    FIXTURE_NAMES,
    FIXTURE_SECRETS,
    FIXTURE_STACK,
    FIXTURE_TIMINGS,
    FixtureName,
    fixtureProject,
    fixtureReleases,
    fromPlaceholders,
    initFixtureStack,
} from "../support/stateFixtures";

/**
 * State compatibility: every stack state an earlier release wrote (tests/fixtures/state/<release>/, README there) still
 * works with this checkout, through the real Pulumi CLI and engine against the emulator. Each fixture is imported
 * into a fresh stack (`pulumi stack import`), the emulator is seeded with what the state says exists (same ids, tags,
 * parked phones), then `pulumi refresh` (keeps every resource, writes nothing), a `pulumi up --expect-no-changes` of
 * the same program (no change at all, nothing written), and `pulumi destroy` (each restore's cloud resource released
 * once, nothing created, the drills delete nothing, what the stack did not make stays).
 *
 * What it guards: user state names the module of each dynamic resource's provider (`__provider` requires
 * `pulumi-restore/dist/provider/.../<x>Entry`, or from a source checkout the provider module's path) and the type
 * tokens (`pulumi-nodejs:dynamic/<token>`, the plugin's `pulumi-restore:<token>`). Moving an entry module makes the
 * refresh fail (the host cannot load the provider); changing a token makes the up plan a create and a delete.
 */
const out = describeResult;

/** The types each fixture holds (every resource of the package), after `pulumi-nodejs:dynamic/` or `pulumi-restore:`. */
const RESTORES = [
    "alicloud/starrocks:RestoredInstance",
    "tencentcloud/redis:InstanceRestore",
    "tencentcloud/redis:RestoredInstance",
    "zstack:VmFromBackup",
    "jdcloud/rds:RestoredInstance",
    "huaweicloud/koophone:InstanceBackup",
];
const DRILLS = [
    "alicloud/starrocks:RestoreDrill",
    "tencentcloud/redis:RestoreDrill",
    "zstack:RestoreDrill",
    "jdcloud/rds:RestoreDrill",
];
/** The drills the provider plugin serves (Tencent's is dynamic only). */
const PLUGIN_DRILLS = DRILLS.filter((t) => !t.startsWith("tencentcloud/"));

function expectedTypes(name: FixtureName): string[] {
    return name === "plugin-yaml"
        ? [...RESTORES, ...PLUGIN_DRILLS].map((t) => `pulumi-restore:${t}`)
        : [...RESTORES, ...DRILLS].map((t) => `pulumi-nodejs:dynamic/${t}`);
}

/** Calls that create (restore, clone, park) in each cloud: none may be made by any step here. */
const CREATES: Record<CloudName, string[]> = {
    alicloud: ["RestoreInstance"],
    tencentcloud: ["RestoreInstance", "CloneInstances"],
    zstack: ["CreateVmFromVmBackup"],
    jdcloud: ["createInstanceFromBackup"],
    huaweicloud: ["BatchBackupInstances"],
};
/** Calls that release, delete or bring back: made by destroy only, once per restore resource of the cloud. */
const DELETES: Record<CloudName, string[]> = {
    alicloud: ["ReleaseInstance"],
    tencentcloud: ["DestroyPostpaidInstance", "CleanUpInstance"],
    zstack: ["DestroyVmInstance", "ExpungeVmInstance"],
    jdcloud: ["deleteInstance"],
    huaweicloud: ["BatchPrepareInstances"],
};
/** The calls destroy makes in each cloud, and how many: one per restore resource (KooPhone: one batch). */
const DESTROY_CALLS: Record<CloudName, [string, number]> = {
    alicloud: ["ReleaseInstance", 1],
    tencentcloud: ["DestroyPostpaidInstance", 1],
    zstack: ["DestroyVmInstance", 1],
    jdcloud: ["deleteInstance", 1],
    huaweicloud: ["BatchPrepareInstances", 1],
};
const writeCalls = (emu: RunningEmulator) =>
    CLOUD_NAMES.flatMap((c) =>
        emu[c].server.log
            .map((l) => l.action)
            .filter((a) => CREATES[c].includes(a) || DELETES[c].includes(a))
            .map((a) => `${c}:${a}`),
    );

/** What the emulated clouds hold: instances, VMs and phones that exist, and where each phone is. */
function holdings(emu: RunningEmulator) {
    return {
        alicloud: emu.alicloud.service
            .live()
            .filter((i) => i.InstanceStatus !== "deleting")
            .map((i) => i.InstanceId)
            .sort(),
        tencentcloud: emu.tencentcloud.service
            .live()
            .filter((i) => i.Status === 2)
            .map((i) => String(i.InstanceId))
            .sort(),
        zstack: emu.zstack.service
            .allVms()
            .map((v) => String(v.uuid))
            .sort(),
        jdcloud: emu.jdcloud.service
            .live()
            .map((i) => i.instanceId)
            .sort(),
        huaweicloud: Object.fromEntries(
            ["compatP01", "compatP02"].map((id) => [id, emu.huaweicloud.service.phaseOf(id) ?? "absent"]),
        ),
    };
}

/** The id the checkpoint records for the resource of a type (one each in every fixture). */
function idOf(resources: CheckpointResource[], type: string): string {
    const found = resources.filter(
        (x) => x.type === `pulumi-nodejs:dynamic/${type}` || x.type === `pulumi-restore:${type}`,
    );
    assert.equal(found.length, 1, `one ${type} in the fixture`);
    return found[0].id!;
}

/** What the clouds hold while the fixture's stack exists: each restore's cloud resource, the source, parked phones. */
function expectedWhileHeld(resources: CheckpointResource[]) {
    return {
        alicloud: [idOf(resources, "alicloud/starrocks:RestoredInstance")],
        tencentcloud: ["crs-compat01", idOf(resources, "tencentcloud/redis:RestoredInstance")].sort(),
        zstack: [idOf(resources, "zstack:VmFromBackup")],
        jdcloud: [idOf(resources, "jdcloud/rds:RestoredInstance")],
        huaweicloud: { compatP01: "backedUp", compatP02: "backedUp" },
    };
}
/** After destroy: only what the stack did not make (the in-place restore's instance), the phones back on hardware. */
const AFTER_DESTROY = {
    alicloud: [],
    tencentcloud: ["crs-compat01"],
    zstack: [],
    jdcloud: [],
    huaweicloud: { compatP01: "running", compatP02: "running" },
};

/** The YAML language host the engine would use: next to the CLI, else on PATH. */
function yamlHost(cli: FoundCli): string | undefined {
    const beside = path.join(path.dirname(cli.path), "pulumi-language-yaml");
    if (fs.existsSync(beside)) return beside;
    const r = spawnSync("which", ["pulumi-language-yaml"], { encoding: "utf8" });
    return r.status === 0 ? r.stdout.trim() : undefined;
}

/** Waits until `cond` holds (polling), or fails with `what` after `ms`. */
async function until(cond: () => boolean, ms: number, what: () => string): Promise<void> {
    const end = Date.now() + ms;
    while (!cond()) {
        if (Date.now() > end) throw new Error(`timed out: ${what()}`);
        await new Promise((r) => setTimeout(r, 100));
    }
}

describe("state compatibility: the fixtures written by earlier releases (tests/fixtures/state)", () => {
    it("there are fixtures, and every release has all of them", () => {
        const releases = fixtureReleases();
        assert.ok(releases.length > 0, `no fixtures under ${FIXTURE_DIR}`);
        for (const r of releases)
            for (const n of FIXTURE_NAMES)
                for (const ext of ["state", "cloud"])
                    assert.ok(fs.existsSync(path.join(FIXTURE_DIR, r, `${n}.${ext}.json`)), `${r}/${n}.${ext}.json`);
    });
});

for (const release of fixtureReleases()) {
    for (const name of FIXTURE_NAMES) {
        // A missing file fails the first test above; the others run.
        if (!["state", "cloud"].every((ext) => fs.existsSync(path.join(FIXTURE_DIR, release, `${name}.${ext}.json`))))
            continue;
        describe(`state compatibility: ${release}/${name} through the real Pulumi CLI and engine`, function () {
            this.timeout(400_000);
            const stateText = fs.readFileSync(path.join(FIXTURE_DIR, release, `${name}.state.json`), "utf8");
            const cloud = JSON.parse(
                fs.readFileSync(path.join(FIXTURE_DIR, release, `${name}.cloud.json`), "utf8"),
            ) as CloudFixture;
            let emu: RunningEmulator;
            let stack: CliStack | undefined;
            let dir: string | undefined;
            let imported: CheckpointResource[] = [];
            const timings: string[] = [];

            async function timed(what: string, f: () => Promise<CliResult>): Promise<CliResult> {
                const t = Date.now();
                const r = await f();
                timings.push(`${what} ${((Date.now() - t) / 1000).toFixed(1)} s`);
                return r;
            }

            before(async function () {
                const cli = cliOrSkip(this);
                if (name === "plugin-yaml" && !yamlHost(cli)) {
                    const why = "no Pulumi YAML language host (pulumi-language-yaml) next to the CLI or on PATH";
                    if (process.env.PULUMI_RESTORE_REQUIRE_CLI === "true")
                        throw new Error(`PULUMI_RESTORE_REQUIRE_CLI=true, but ${why}`);
                    console.log(`    (${why}: skipped)`);
                    this.skip();
                }
                emu = await startEmulator(FIXTURE_TIMINGS);
                for (const s of cloud.seeds) emu[s.cloud].service.seed(s.kind, s.data);
                dir = fixtureProject(name);
                stack = await initFixtureStack(cli.path, name, dir, emu);
                const file = path.join(dir, "fixture.state.json");
                fs.writeFileSync(file, fromPlaceholders(stateText, emu));
                const imp = await timed("import", () =>
                    stack!.run(["stack", "import", "--stack", FIXTURE_STACK, "--file", file]),
                );
                assert.equal(imp.code, 0, out(imp));
                imported = (await stack.deployment()).resources;
            });
            after(async () => {
                if (stack) {
                    if (imported.length > 0 && (await stack.deployment()).resources.length > 0) await stack.destroy();
                    await stack.remove();
                }
                if (dir) fs.rmSync(dir, { recursive: true, force: true });
                await emu?.stop();
                if (timings.length > 0) console.log(`      CLI: ${timings.join("; ")}`);
            });

            it("the fixture holds every resource of the package, its secrets only as ciphertext; the cloud holds what it says", () => {
                const secrets = [...Object.values(FIXTURE_SECRETS), ...emu.secretConfigKeys.map((k) => emu.config[k])];
                for (const s of secrets) {
                    assert.ok(!stateText.includes(s), `${name}.state.json holds a secret in plaintext`);
                    assert.ok(!JSON.stringify(cloud).includes(s), `${name}.cloud.json holds a secret in plaintext`);
                }
                assert.match(stateText, /"ciphertext"/, "the secret inputs are in the fixture, encrypted");
                assert.deepEqual(
                    [...new Set(imported.map((r) => r.type).filter((t) => !t.startsWith("pulumi:")))].sort(),
                    expectedTypes(name).sort(),
                );
                assert.deepEqual(holdings(emu), expectedWhileHeld(imported));
            });

            it("pulumi refresh keeps every resource and writes nothing to the cloud", async () => {
                const r = await timed("refresh", () => stack!.refresh());
                assert.equal(r.code, 0, out(r));
                const now = (await stack!.deployment()).resources;
                assert.deepEqual(
                    now.map((x) => `${x.urn} ${x.id}`).sort(),
                    imported.map((x) => `${x.urn} ${x.id}`).sort(),
                    "refresh changed the set of resources",
                );
                assert.deepEqual(writeCalls(emu), [], "refresh wrote to the cloud");
                assert.deepEqual(holdings(emu), expectedWhileHeld(imported));
            });

            it("pulumi up of the same program changes nothing (--expect-no-changes) and writes nothing", async () => {
                const r = await timed("up", () => stack!.up("--expect-no-changes"));
                assert.equal(r.code, 0, out(r));
                // The summary names only unchanged resources.
                const summary = /\nResources:\n([\s\S]*?)\n\s*\nDuration:/.exec(r.stdout)?.[1];
                assert.ok(summary, out(r));
                assert.deepEqual(
                    summary.split("\n").map((l) => l.trim().replace(/^\d+ /, "")),
                    ["unchanged"],
                    out(r),
                );
                assert.deepEqual(writeCalls(emu), [], "a no-op up wrote to the cloud");
                assert.deepEqual(
                    (await stack!.deployment()).resources.map((x) => `${x.urn} ${x.id}`).sort(),
                    imported.map((x) => `${x.urn} ${x.id}`).sort(),
                );
            });

            it("pulumi destroy releases each restore's cloud resource once, creates nothing; the drills delete nothing", async () => {
                const r = await timed("destroy", () => stack!.destroy());
                assert.equal(r.code, 0, out(r));
                assert.deepEqual((await stack!.deployment()).resources, [], "destroy left resources in the stack");
                await until(
                    () => JSON.stringify(holdings(emu)) === JSON.stringify(AFTER_DESTROY),
                    20_000,
                    () => `the clouds hold ${JSON.stringify(holdings(emu))}, expected ${JSON.stringify(AFTER_DESTROY)}`,
                );
                const calls = writeCalls(emu);
                for (const c of CLOUD_NAMES)
                    for (const a of CREATES[c]) assert.ok(!calls.includes(`${c}:${a}`), `destroy called ${c} ${a}`);
                // Each cloud's restore resource released (or its phones brought back) by one call; the in-place
                // Tencent restore and every drill delete nothing: one more call would be theirs.
                for (const c of CLOUD_NAMES) {
                    const [action, times] = DESTROY_CALLS[c];
                    assert.equal(emu[c].server.count(action), times, `${c} ${action} calls: ${calls.join(", ")}`);
                }
            });
        });
    }
}
