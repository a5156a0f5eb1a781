import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { EmulatorServer } from "../../emulator/core/server";
import { ZStackService } from "../../emulator/zstack/zstack";
import { setProgressSink } from "../../provider/core/progress";
import { clearSessions } from "../../provider/zstack/session";
import { VmFromBackupProvider } from "../../provider/zstack/vmProvider";
import { getBackups, getLatestBackup } from "../../provider/zstack";
import { rejects } from "../support/assertions";
import { VirtualClock } from "../../harness/clock";

const PASSWORD = "emulator-password";
const VM = "0123456789abcdef0123456789abcdef";
const H = 3_600_000;
const G = (c: string) => c.repeat(32);

describe("zstack: choosing the backup group (emulator)", function () {
    this.timeout(30_000);
    let clock: VirtualClock;
    let svc: ZStackService;
    let server: EmulatorServer;
    let p: VmFromBackupProvider;
    let demo: { backupGroupUuid: string; instanceOfferingUuid: string; l3NetworkUuid: string };

    beforeEach(async () => {
        clearSessions();
        clock = new VirtualClock();
        svc = new ZStackService({
            clock,
            timings: { createMs: 20_000, startMs: 5000, destroyMs: 3000, expungeMs: 3000 },
        });
        server = new EmulatorServer(svc);
        const url = await server.start();
        demo = svc.seed("demo", {}) as typeof demo;
        const l3 = [demo.l3NetworkUuid];
        svc.seed("backupGroup", {
            uuid: G("1"),
            vmInstanceUuid: VM,
            ageMs: 30 * H,
            l3NetworkUuids: l3,
            mode: "Incremental",
        });
        svc.seed("backupGroup", { uuid: G("2"), vmInstanceUuid: VM, ageMs: 5 * H, l3NetworkUuids: l3 });
        svc.seed("backupGroup", {
            uuid: G("3"),
            vmInstanceUuid: VM,
            ageMs: 2 * H,
            l3NetworkUuids: l3,
            status: "Failed",
        });
        svc.seed("backupGroup", { uuid: G("4"), vmInstanceUuid: VM, ageMs: 0, l3NetworkUuids: l3, status: "Creating" });
        p = new VmFromBackupProvider(
            { clock, env: {}, random: () => 0.5, renewMarginMs: 1000 },
            { "zstack:endpoint": url, "zstack:accountName": "admin", "zstack:accountPassword": PASSWORD },
        );
        setProgressSink(() => undefined);
    });
    afterEach(async () => {
        setProgressSink(undefined);
        await server.stop();
    });

    const inputs = async (patch: Record<string, unknown>, name = "staging") => {
        const r = await p.check(
            {},
            {
                restoreToken: `prt-${Buffer.from(name).toString("hex").padEnd(20, "0").slice(0, 20)}`,
                name,
                instanceOfferingUuid: demo.instanceOfferingUuid,
                l3NetworkUuids: [demo.l3NetworkUuid],
                ...patch,
            },
        );
        assert.deepEqual(r.failures, []);
        return r.inputs as Record<string, unknown>;
    };
    // ZStack dates have whole seconds.
    // Output times are UTC to the second, without milliseconds (provider/core/time.ts).
    const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");

    it("creates from the latest complete group: failed and creating ones are skipped; the choice is an output", async () => {
        const t0 = clock.now();
        const r = await p.create(await inputs({ backupSelector: { vmUuid: VM } }));
        assert.equal(r.outs.selectedBackupId, G("2"));
        assert.equal(r.outs.selectedBackupTime, iso(t0 - 5 * H));
        assert.deepEqual(svc.restoredFrom, [G("2")]);
    });

    it("a newer group later changes nothing; a triggers change replaces and picks the newest", async () => {
        const first = await inputs({ backupSelector: { vmUuid: VM }, triggers: { week: "2026-11-23" } });
        const r = await p.create(first);
        svc.seed("backupGroup", { uuid: G("5"), vmInstanceUuid: VM, ageMs: 0, l3NetworkUuids: [demo.l3NetworkUuid] });
        assert.equal((await p.diff(r.id, r.outs, first)).changes, false);
        const next = await inputs({ backupSelector: { vmUuid: VM }, triggers: { week: "2026-11-30" } });
        const d = await p.diff(r.id, r.outs, next);
        assert.ok(d.replaces?.includes("triggers"), JSON.stringify(d));
        const r2 = await p.create(next);
        assert.notEqual(r2.id, r.id, "a new VM uuid: the intent includes the triggers");
        assert.equal(r2.outs.selectedBackupId, G("5"));
    });

    it("nothing found, too old, wrong mode: fails before CreateVmFromVmBackup, saying what was searched", async () => {
        await rejects(
            p.create(await inputs({ backupSelector: { vmUuid: G("e") } })),
            new RegExp(`found no backups of VM ${G("e")} in management node 127\\.0\\.0\\.1:\\d+`),
        );
        await rejects(
            p.create(await inputs({ backupSelector: { vmUuid: VM, maxAge: "4h" } })),
            /no complete backup at most 4h old.*maxAge/,
        );
        await rejects(
            p.create(await inputs({ backupSelector: { vmUuid: VM, backupType: "Incremental", maxAge: "1d" } })),
            /at most 1d old.*type Incremental/,
        );
        assert.equal(server.count("CreateVmFromVmBackup"), 0);
    });

    it("an explicit group that is not complete is refused with ZStack's status; a complete one is reported", async () => {
        await rejects(
            p.create(await inputs({ backupGroupUuid: G("3") })),
            /backupGroupUuid: backup .* has status Failed \(volume backup [0-9a-f]{32}\); only a complete backup/,
        );
        await rejects(p.create(await inputs({ backupGroupUuid: G("4") })), /has status Creating/);
        await rejects(
            p.create(await inputs({ backupGroupUuid: G("f") })),
            /backupGroupUuid: no volume backups of backup group f{32}/,
        );
        assert.equal(server.count("CreateVmFromVmBackup"), 0);
        const t0 = clock.now();
        const r = await p.create(await inputs({ backupGroupUuid: G("1") }));
        assert.equal(r.outs.selectedBackupId, G("1"));
        assert.equal(r.outs.selectedBackupTime, iso(t0 - 30 * H));
    });

    it("check: both, neither (unless adopting), and bad selector fields name the fields", async () => {
        const f = async (patch: Record<string, unknown>) =>
            (
                await p.check(
                    {},
                    {
                        restoreToken: "prt-00000000000000000000",
                        name: "x",
                        instanceOfferingUuid: demo.instanceOfferingUuid,
                        ...patch,
                    },
                )
            ).failures ?? [];
        assert.ok(
            (await f({ backupGroupUuid: G("1"), backupSelector: { vmUuid: VM } })).some(
                (x) => x.property === "backupSelector" && /not both/.test(x.reason),
            ),
        );
        assert.ok((await f({})).some((x) => x.property === "backupGroupUuid" && /or backupSelector/.test(x.reason)));
        assert.deepEqual(await f({ adoptId: G("a") }), []);
        const bad = (
            await f({
                backupSelector: { vmUuid: VM.toUpperCase(), backupType: "full", before: "2026-13-01T00:00:00Z" },
            })
        )
            .map((x) => x.property)
            .sort();
        assert.deepEqual(bad, ["backupSelector.backupType", "backupSelector.before", "backupSelector.vmUuid"]);
    });
});

describe("zstack.getBackups / getLatestBackup (emulator, stack config)", function () {
    this.timeout(30_000);
    let server: EmulatorServer;
    const KEYS = ["zstack:endpoint", "zstack:accountName", "zstack:accountPassword"];
    before(async () => {
        clearSessions();
        const svc = new ZStackService({});
        server = new EmulatorServer(svc);
        const url = await server.start();
        const cfg: Record<string, string> = {
            "zstack:endpoint": url,
            "zstack:accountName": "admin",
            "zstack:accountPassword": PASSWORD,
        };
        for (const k of KEYS) pulumi.runtime.setConfig(k, cfg[k]);
        // 300 groups of 2 volume backups: two pages of QueryVolumeBackup (500 per page).
        for (let i = 0; i < 300; i++)
            svc.seed("backupGroup", {
                uuid: i.toString(16).padStart(32, "0"),
                vmInstanceUuid: VM,
                ageMs: (i + 1) * H,
                mode: i % 2 ? "Incremental" : "Full",
            });
        svc.seed("backupGroup", { uuid: G("c"), vmInstanceUuid: VM, ageMs: 0, status: "Creating" });
    });
    after(async () => {
        for (const k of KEYS) pulumi.runtime.setConfig(k, "");
        await server.stop();
    });

    it("lists every page as groups, newest first, with filters; the latest skips the creating one; none is an error", async () => {
        const all = await getBackups({ vmUuid: VM });
        assert.equal(all.backups.length, 301);
        assert.equal(all.backups[0].backupId, G("c"));
        assert.equal(all.backups[0].complete, false);
        const incr = await getBackups({ vmUuid: VM, backupType: "Incremental", completeOnly: true, maxAge: "5h" });
        assert.deepEqual(
            incr.backups.map((b) => b.backupId),
            ["1".padStart(32, "0"), "3".padStart(32, "0")],
        );
        assert.equal((await getLatestBackup({ vmUuid: VM })).backupId, "0".repeat(32));
        const e = await getBackups({ vmUuid: G("e") }).then(
            () => undefined,
            (x: Error) => x,
        );
        assert.match(
            String(e?.message),
            /zstack\.getBackups: found no backups of VM e{32} in management node 127\.0\.0\.1:\d+/,
        );
        assert.ok(!String(e?.message).includes(PASSWORD));
    });
});
