import { strict as assert } from "assert";
import { EmulatorServer } from "../../emulator/core/server";
import { ZStackService } from "../../emulator/zstack/zstack";
import { setProgressSink } from "../../provider/core/progress";
import { hashPassword } from "../../provider/zstack/signer";
import { clearSessions } from "../../provider/zstack/session";
import {
    VmFromBackupProvider,
    ZSTACK_SCHEDULE,
    intentDigest,
    vmResourceUuid,
    zstackSchedule,
} from "../../provider/zstack/vmProvider";
import { VmFromBackupInputs } from "../../provider/zstack/vmInputs";
import { restoreMark } from "../../provider/zstack/vmMark";
import { PartialStateError } from "../../provider/core/errors";
import { rejects } from "../support/assertions";
import { VirtualClock } from "../../harness/clock";

const PASSWORD = "emulator-password";
const AK_SECRET = "emulator-access-key-secret";

describe("zstack VmFromBackup provider against the emulator", function () {
    this.timeout(30_000);
    let clock: VirtualClock;
    let svc: ZStackService;
    let server: EmulatorServer;
    let url: string;
    let lines: string[];
    let demo: { backupGroupUuid: string; instanceOfferingUuid: string; l3NetworkUuid: string };
    let prevSink: ReturnType<typeof setProgressSink>;

    const accountConfig = () => ({
        "zstack:endpoint": url,
        "zstack:accountName": "admin",
        "zstack:accountPassword": PASSWORD,
    });
    const akConfig = (secret = AK_SECRET) => ({
        "zstack:endpoint": url,
        "zstack:accessKeyId": "emulator-access-key-id",
        "zstack:accessKeySecret": secret,
    });
    const provider = (config: Record<string, string> = accountConfig()) =>
        new VmFromBackupProvider({ clock, env: {}, random: () => 0.5, renewMarginMs: 1000 }, config);
    const inputs = async (p: VmFromBackupProvider, patch: Record<string, unknown> = {}, name = "web") => {
        const r = await p.check(
            {},
            {
                restoreToken: `prt-${Buffer.from(name).toString("hex").padEnd(20, "0").slice(0, 20)}`,
                backupGroupUuid: demo.backupGroupUuid,
                name,
                instanceOfferingUuid: demo.instanceOfferingUuid,
                l3NetworkUuids: [demo.l3NetworkUuid],
                defaultL3NetworkUuid: demo.l3NetworkUuid,
                ...patch,
            },
        );
        assert.deepEqual(r.failures, []);
        return r.inputs;
    };

    beforeEach(async () => {
        clearSessions();
        clock = new VirtualClock();
        svc = new ZStackService({
            clock,
            timings: { createMs: 20_000, startMs: 5000, destroyMs: 3000, expungeMs: 3000 },
            advertisedBase: "http://127.0.0.9:1/zstack",
        });
        server = new EmulatorServer(svc);
        url = await server.start();
        demo = svc.seed("demo", {}) as typeof demo;
        lines = [];
        prevSink = setProgressSink((l) => lines.push(l));
    });

    afterEach(async () => {
        setProgressSink(prevSink);
        await server.stop();
    });

    it("creates a VM from a backup, waits for Running, and reports NICs, volumes and host", async () => {
        const p = provider();
        const r = await p.create(await inputs(p));
        const o = r.outs as {
            uuid: string;
            state: string;
            hostUuid: string;
            ips: string[];
            macs: string[];
            volumes: { type: string; size: number; uuid: string }[];
            createDate: string;
            adopted: boolean;
        };
        assert.match(r.id, /^[0-9a-f]{32}$/);
        assert.equal(o.uuid, r.id);
        assert.equal(o.state, "Running");
        assert.equal(o.hostUuid, svc.defaultHost);
        assert.deepEqual(o.ips, ["192.168.1.10"]);
        assert.match(o.macs[0], /^fa(:[0-9a-f]{2}){5}$/);
        assert.deepEqual(
            o.volumes.map((v: { type: string }) => v.type),
            ["Root", "Data"],
        );
        assert.ok(o.volumes[0].size > 0 && /^[0-9a-f]{32}$/.test(o.volumes[0].uuid));
        assert.ok(o.createDate);
        assert.equal(o.adopted, false);
        assert.equal(svc.liveVms().length, 1);
        assert.equal(server.count("CreateVmFromVmBackup"), 1);
        assert.equal(svc.logins, 1);
        assert.ok(server.count("GetJob") >= 2, "the job was polled through the rewritten location");
        assert.ok(
            lines.some((l) => /is Running/.test(l)),
            "progress reaches the final state",
        );
    });

    it("reuses one session across provider instances (process-wide) and logs in again after expiry", async () => {
        const p = provider();
        const { id } = await p.create(await inputs(p));
        const other = provider();
        assert.ok((await other.read(id, { uuid: id })).id);
        assert.equal(svc.logins, 1);
        svc.expireSessions();
        const r = await other.read(id, { uuid: id });
        assert.equal(r.id, id);
        assert.equal(svc.logins, 2, "ID.1001 led to exactly one new login");
    });

    it("re-logs in and resubmits when the session expires while an async job is queued (202 then 503 ID.1001)", async () => {
        const p = provider();
        const { id, outs } = await p.create(await inputs(p));
        let expired = false;
        server.onRequest = (a) => {
            if (a === "DestroyVmInstance" && !expired) {
                expired = true;
                svc.expireSessions();
            }
        };
        await p.delete(id, outs as Record<string, unknown>);
        assert.equal(server.count("DestroyVmInstance"), 2);
        assert.equal(svc.allVms().length, 0);
        assert.equal(svc.logins, 2);
    });

    it("follows the job after a lost create answer instead of creating a second VM", async () => {
        const p = provider();
        server.inject({ action: "CreateVmFromVmBackup", kind: "dropAfter" });
        const r = await p.create(await inputs(p));
        assert.equal((r.outs as Record<string, unknown>).state, "Running");
        assert.equal(
            server.count("CreateVmFromVmBackup"),
            1,
            "the lost submission was followed by its X-Job-UUID, not repeated",
        );
        assert.equal(svc.allVms().length, 1);
    });

    it("a create whose fate is unknown (dropped before, or 500): looks for the VM, never submits again; the next create submits once", async () => {
        const p = provider();
        for (const kind of ["dropBefore", "error500"] as const) {
            server.inject({ action: "CreateVmFromVmBackup", kind });
            const before = server.count("CreateVmFromVmBackup");
            await rejects(
                p.create(await inputs(p)),
                /outcome of CreateVmFromVmBackup is unknown.*no VM [0-9a-f]{32} appeared.*not called again.*check whether VM [0-9a-f]{32} appears.*run `pulumi up` again: it first looks for VM/,
            );
            assert.equal(server.count("CreateVmFromVmBackup"), before + 1);
        }
        const r = await p.create(await inputs(p));
        assert.equal((r.outs as Record<string, unknown>).state, "Running");
        assert.equal(server.count("CreateVmFromVmBackup"), 3);
        assert.equal(svc.allVms().length, 1);
    });

    it("a create carried out 60 s late with the answer lost: never submitted twice; the next create follows the late VM", async () => {
        const p = provider();
        const i = await inputs(p);
        server.inject({ action: "CreateVmFromVmBackup", kind: "late", delayMs: 60_000 });
        await rejects(p.create(i), /outcome of CreateVmFromVmBackup is unknown.*may still carry out that call late/);
        assert.equal(
            server.count("CreateVmFromVmBackup"),
            1,
            "a second submission could make a VM after this one is gone",
        );
        clock.advance(60_000);
        const r = await p.create(i);
        assert.equal((r.outs as Record<string, unknown>).adopted, true);
        assert.equal(server.count("CreateVmFromVmBackup"), 1);
        await p.delete(r.id, r.outs);
        clock.advance(120_000);
        await server.runDue();
        assert.equal(svc.allVms().length, 0, "nothing is left behind");
    });

    it("an error body inside HTTP 200 on the create (carried out): its job is followed, no second VM", async () => {
        const p = provider();
        server.inject({ action: "CreateVmFromVmBackup", kind: "odd" });
        const r = await p.create(await inputs(p));
        assert.equal((r.outs as Record<string, unknown>).state, "Running");
        assert.equal(server.count("CreateVmFromVmBackup"), 1);
        assert.equal(svc.allVms().length, 1);
    });

    it("a VM destroyed out of band during the wait is recorded as Destroyed and replaced by the next up, not waited for forever", async () => {
        const p = provider();
        const i = await inputs(p);
        let looks = 0;
        server.onRequest = (action) => {
            if (action === "QueryVmInstance" && ++looks === 3) svc.destroyOutOfBand(svc.allVms()[0].uuid as string);
        };
        const e = (await rejects(
            p.create(i),
            /destroyed out of band.*recorded as Destroyed: the next `pulumi up` replaces it/,
        )) as PartialStateError;
        server.onRequest = undefined;
        assert.equal(e.properties.state, "Destroyed");
        const d = await p.diff(e.id, e.properties, i);
        assert.deepEqual(
            { replaces: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace },
            { replaces: ["state"], deleteBeforeReplace: true },
        );
        await p.delete(e.id, e.properties);
        const r = await p.create(i);
        assert.equal((r.outs as Record<string, unknown>).state, "Running");
        assert.equal(svc.allVms().length, 1);
    });

    it("finds the VM of an earlier attempt by its derived uuid (no duplicate)", async () => {
        const p = provider();
        const i = await inputs(p);
        const first = await p.create(i);
        const again = await provider().create(i);
        assert.equal(again.id, first.id);
        assert.equal((again.outs as Record<string, unknown>).adopted, true);
        assert.equal(server.count("CreateVmFromVmBackup"), 1);
        assert.equal(svc.allVms().length, 1);
    });

    describe("nothing is followed, recorded or deleted on a uuid or name match alone: only the restore token's mark proves a VM ours", () => {
        const firstUuid = (i: Record<string, unknown>, g = 0) =>
            vmResourceUuid(String(i.restoreToken), intentDigest(i as unknown as VmFromBackupInputs), g);
        const state = (uuid: string) => svc.allVms().find((v) => v.uuid === uuid)?.state;

        for (const [who, userTags] of [
            ["no mark", []],
            ["another token's mark", [restoreMark("prt-99999999999999999999")]],
        ] as const) {
            it(`a VM someone else made with this resource's name and derived uuid (${who}) is stepped over: a new VM, the other untouched`, async () => {
                const p = provider();
                const i = await inputs(p);
                const theirs = firstUuid(i);
                svc.seed("vm", { uuid: theirs, name: "web", userTags, l3NetworkUuid: demo.l3NetworkUuid });
                const r = await p.create(i);
                assert.notEqual(r.id, theirs, "their VM is not taken for ours");
                assert.equal(r.id, firstUuid(i, 1), "the next derived uuid is used");
                assert.equal((r.outs as Record<string, unknown>).adopted, false);
                assert.equal(server.count("CreateVmFromVmBackup"), 1);
                assert.ok(
                    lines.some((l) => l.includes(`VM ${theirs}`) && /not its mark/.test(l)),
                    lines.join("\n"),
                );
                // And the next up finds ours (by its mark) again, not theirs.
                const again = await provider().create(i);
                assert.equal(again.id, r.id);
                assert.equal(server.count("CreateVmFromVmBackup"), 1);
                await p.delete(r.id, r.outs!);
                assert.equal(state(theirs), "Running", "their VM is never deleted");
            });
        }

        it("settle-then-find after an uncertain create: a VM that took our uuid meanwhile without our mark is not taken", async () => {
            const p = provider();
            const i = await inputs(p);
            const ours = firstUuid(i);
            // Our submission is lost before the server acts on it; meanwhile someone else's VM appears with that uuid.
            server.onRequest = (action) => {
                if (action === "CreateVmFromVmBackup")
                    svc.seed("vm", { uuid: ours, name: "web", l3NetworkUuid: demo.l3NetworkUuid });
            };
            server.inject({ action: "CreateVmFromVmBackup", kind: "dropBefore" });
            await assert.rejects(p.create(i), (e: Error & { id?: string }) => {
                assert.equal(e.id, undefined, "nothing is recorded in the stack");
                assert.match(e.message, /outcome of CreateVmFromVmBackup is unknown/);
                return true;
            });
            server.onRequest = undefined;
            assert.equal(state(ours), "Running", "their VM is untouched");
            assert.equal(svc.allVms().length, 1);
        });

        it("a create that fails certainly does not record a VM that has our uuid but not our mark", async () => {
            const p = provider();
            const i = await inputs(p);
            const ours = firstUuid(i);
            // Someone else's VM takes the uuid between our look and our create, which is refused as a duplicate.
            server.onRequest = (action) => {
                if (action === "CreateVmFromVmBackup" && !svc.vms.has(ours))
                    svc.seed("vm", { uuid: ours, name: "web", l3NetworkUuid: demo.l3NetworkUuid });
            };
            await assert.rejects(p.create(i), (e: Error & { id?: string }) => {
                assert.equal(e.id, undefined, "their VM is not recorded as ours (a later destroy would delete it)");
                assert.match(e.message, /CreateVmFromVmBackup failed: .*already exists.*No VM was created/s);
                return true;
            });
            server.onRequest = undefined;
            assert.equal(state(ours), "Running");
        });

        it("after a crash, our own marked VM (at the next uuid, the first being someone else's) is followed, not created again", async () => {
            const p = provider();
            const theirsInputs = await inputs(p);
            const theirs = firstUuid(theirsInputs);
            svc.seed("vm", { uuid: theirs, name: "web", l3NetworkUuid: demo.l3NetworkUuid });
            // The first up created ours and then stopped waiting (a crash, or its time limit): nothing recorded.
            await p.create(await inputs(p, { timeouts: { create: "5s" } })).catch(() => undefined);
            assert.equal(server.count("CreateVmFromVmBackup"), 1);
            const ours = firstUuid(theirsInputs, 1);
            assert.ok(state(ours), "ours exists");
            const r = await provider().create(theirsInputs);
            assert.equal(r.id, ours);
            assert.equal((r.outs as Record<string, unknown>).adopted, true);
            assert.equal(server.count("CreateVmFromVmBackup"), 1, "no second VM");
            await p.delete(r.id, r.outs!);
            assert.equal(state(theirs), "Running");
        });

        it("a VM the stack's state names, made before marks were written (no mark), is still refreshed and deleted", async () => {
            const p = provider();
            const i = await inputs(p);
            const r = await p.create(i);
            // As the previous version left it: the same VM without the mark.
            svc.vms.get(r.id)!.userTags = [];
            const read = await p.read(r.id, r.outs!);
            assert.equal(read.id, r.id);
            assert.equal((read.props as Record<string, unknown>).state, "Running");
            await p.delete(r.id, read.props!);
            assert.equal(state(r.id), undefined, "destroyed and expunged");
        });
    });

    it("PULUMI_RESTORE_POLL_MIN_MS sets the floor of ZStack's waits (the create job and the VM's state), read at call time", async () => {
        const env: NodeJS.ProcessEnv = {};
        const p = new VmFromBackupProvider({ clock, env, random: () => 0.5, renewMarginMs: 1000 }, accountConfig());
        const gaps = async (name: string) => {
            const at: Record<string, number[]> = {};
            server.onRequest = (action) => void (at[action] ??= []).push(clock.now());
            const r = await p.create(await inputs(p, {}, name));
            server.onRequest = undefined;
            await p.delete(r.id, r.outs!);
            const d = (l: number[]) => l.slice(1, 4).map((t, n) => t - l[n]);
            return { job: d(at.GetJob), vm: d(at.QueryVmInstance.slice(-4)) };
        };
        // Unset: ZStack's own floor of 1 s.
        assert.deepEqual(await gaps("web"), { job: [1000, 1000, 1000], vm: [1000, 1000, 1000] });
        env.PULUMI_RESTORE_POLL_MIN_MS = "250";
        assert.deepEqual(await gaps("db"), { job: [250, 250, 250], vm: [250, 250, 250] });
        assert.deepEqual(zstackSchedule({ PULUMI_RESTORE_POLL_MIN_MS: "60000" }), {
            ...ZSTACK_SCHEDULE,
            minIntervalMs: 60_000,
            maxIntervalMs: 60_000,
        });
        // A bad value is refused before anything is called (not at the first wait, after the VM was started).
        env.PULUMI_RESTORE_POLL_MIN_MS = "fast";
        const before = server.count();
        await rejects(p.create(await inputs(p, {}, "app")), /PULUMI_RESTORE_POLL_MIN_MS must be a number/);
        assert.equal(server.count(), before, "no call was made");
    });

    it("fails cleanly when the create job fails (503 job error, VM rolled back)", async () => {
        const p = provider();
        server.inject({ action: "CreateVmFromVmBackup", kind: "failTask" });
        await assert.rejects(p.create(await inputs(p)), (e: Error & { id?: string }) => {
            assert.equal(e.id, undefined, "no partial state: nothing exists");
            assert.match(e.message, /CreateVmFromVmBackup failed: .*SYS\.1000.*No VM was created/s);
            return true;
        });
        assert.equal(svc.allVms().length, 0);
        const r = await p.create(await inputs(p));
        assert.equal((r.outs as Record<string, unknown>).state, "Running");
    });

    it("an unknown backup group is refused before CreateVmFromVmBackup, naming the property to fix", async () => {
        // QueryVolumeBackup (groupUuid=...) finds nothing: the job the server would fail is never submitted.
        const p = provider();
        await assert.rejects(
            p.create(await inputs(p, { backupGroupUuid: "f".repeat(32) })),
            /backupGroupUuid: no volume backups of backup group f{32}/,
        );
        assert.equal(server.count("CreateVmFromVmBackup"), 0);
        assert.equal(svc.allVms().length, 0);
    });

    it("waits for the state each strategy implies", async () => {
        const p = provider();
        const stopped = await p.create(await inputs(p, { strategy: "CreateStopped" }, "stopped"));
        assert.equal((stopped.outs as Record<string, unknown>).state, "Stopped");
        assert.equal((stopped.outs as Record<string, unknown>).hostUuid, undefined);
        const created = await p.create(await inputs(p, { strategy: "JustCreate" }, "created"));
        assert.equal((created.outs as Record<string, unknown>).state, "Created");
    });

    it("signs with an AccessKey; a wrong secret gives ID.1001 with a hint and no secret in the message", async () => {
        const p = provider(akConfig());
        const r = await p.create(await inputs(p));
        assert.equal((r.outs as Record<string, unknown>).state, "Running");
        assert.equal(svc.logins, 0);
        const bad = provider(akConfig("wrong-secret-value-123"));
        await assert.rejects(bad.read(r.id, { uuid: r.id }), (e: Error) => {
            assert.match(e.message, /ID\.1001/);
            assert.match(e.message, /accessKeySecret/);
            assert.ok(!e.message.includes("wrong-secret-value-123"));
            return true;
        });
    });

    it("refresh keeps the requested host apart from the running host: the next up with the same inputs changes nothing", async () => {
        const p = provider();
        const ins = await inputs(p);
        const { id, outs } = await p.create(ins);
        const r = await p.read(id, JSON.parse(JSON.stringify(outs)) as Record<string, unknown>);
        assert.equal((r.props as Record<string, unknown>).hostUuid, svc.defaultHost);
        assert.equal((r.props as Record<string, unknown>).requestedHostUuid, undefined, "no host was requested");
        const d = await p.diff(id, JSON.parse(JSON.stringify(r.props)) as Record<string, unknown>, ins);
        assert.deepEqual(
            d.replaces,
            [],
            "a refresh must not turn the running host into a requested one (that replaced the VM)",
        );
        assert.equal(d.changes, false);
    });

    it("refresh drops a VM destroyed out of band", async () => {
        const p = provider();
        const { id, outs } = await p.create(await inputs(p));
        svc.destroyOutOfBand(id);
        const r = await p.read(id, outs as Record<string, unknown>);
        assert.equal(r.id, "");
    });

    it("delete destroys and expunges; already gone is success", async () => {
        const p = provider();
        const { id, outs } = await p.create(await inputs(p));
        await p.delete(id, outs as Record<string, unknown>);
        assert.equal(svc.allVms().length, 0);
        assert.equal(server.count("ExpungeVmInstance"), 1);
        await p.delete(id, outs as Record<string, unknown>);
        assert.equal(server.count("DestroyVmInstance"), 1, "a second delete finds nothing to do");
    });

    it("with expungeOnDelete false the VM stays Destroyed, and a new create uses the next derived uuid", async () => {
        const p = provider();
        const i = await inputs(p, { expungeOnDelete: false });
        const first = await p.create(i);
        await p.delete(first.id, first.outs as Record<string, unknown>);
        assert.deepEqual(
            svc.allVms().map((v) => v.state),
            ["Destroyed"],
        );
        assert.equal(server.count("ExpungeVmInstance"), 0);
        const second = await p.create(i);
        assert.notEqual(second.id, first.id);
        assert.equal(svc.liveVms().length, 1);
    });

    it("retries queries when throttled, and recovers from a truncated answer", async () => {
        const p = provider();
        server.inject(
            { action: "QueryVmInstance", kind: "throttle", times: 2 },
            { action: "QueryVmInstance", kind: "malformed" },
        );
        const r = await p.create(await inputs(p));
        assert.equal((r.outs as Record<string, unknown>).state, "Running");
        assert.ok(server.log.filter((l) => l.fault === "throttle").every((l) => l.status === 429));
    });

    it("adopts an existing VM with adoptId without calling CreateVmFromVmBackup, and rejects a mismatch", async () => {
        const p = provider();
        const { id } = await p.create(await inputs(p, {}, "original"));
        const adopted = await p.create(await inputs(p, { adoptId: id }, "original"));
        assert.equal(adopted.id, id);
        assert.equal((adopted.outs as Record<string, unknown>).adopted, true);
        await assert.rejects(p.create(await inputs(p, { adoptId: id }, "other-name")), /does not match.*name/);
        assert.equal(server.count("CreateVmFromVmBackup"), 1);
    });

    it("never prints the password, its hash, the session or the AccessKey secret", async () => {
        const p = provider();
        const { id, outs } = await p.create(await inputs(p));
        const session = [...svc.sessions.keys()][0];
        await p.delete(id, outs as Record<string, unknown>);
        const bad = provider(akConfig("another-bad-secret-xyz"));
        const err = await bad.read(id, {}).catch((e: Error) => e.message);
        const text = lines.join("\n") + String(err) + JSON.stringify(outs);
        for (const s of [PASSWORD, hashPassword(PASSWORD), session, "another-bad-secret-xyz"])
            assert.ok(!text.includes(s), `leaked ${s.slice(0, 6)}...`);
    });
});

describe("zstack emulator protocol details", () => {
    let server: EmulatorServer;
    let url: string;
    let clock: VirtualClock;
    let svc: ZStackService;
    beforeEach(async () => {
        clock = new VirtualClock();
        svc = new ZStackService({ clock, timings: { createMs: 1000 } });
        server = new EmulatorServer(svc);
        url = await server.start();
    });
    afterEach(() => server.stop());

    it("answers a missing Authorization header with the plain-text 400, and unknown paths with 404", async () => {
        const r = await fetch(`${url}/zstack/v1/vm-instances/${"a".repeat(32)}`);
        assert.equal(r.status, 400);
        assert.equal(await r.text(), "missing header 'Authorization'");
        const n = await fetch(`${url}/zstack/v1/nothing-here`, { headers: { authorization: "OAuth x" } });
        assert.equal(n.status, 404);
        assert.equal(await n.text(), "no api mapping");
    });

    it("keeps job results for the TTL, then answers 404; rejects bad AccessKey dates", async () => {
        const login = await fetch(`${url}/zstack/v1/accounts/login`, {
            method: "PUT",
            body: JSON.stringify({ logInByAccount: { accountName: "admin", password: hashPassword(PASSWORD) } }),
        });
        const session = ((await login.json()) as { inventory: { uuid: string } }).inventory.uuid;
        const demo = svc.seed("demo", {}) as { backupGroupUuid: string; instanceOfferingUuid: string };
        const job = "0".repeat(31) + "1";
        const sub = await fetch(`${url}/zstack/v1/vm-instances/from/vm-backups/${demo.backupGroupUuid}`, {
            method: "POST",
            headers: { authorization: `OAuth ${session}`, "x-job-uuid": job },
            body: JSON.stringify({ params: { name: "x", instanceOfferingUuid: demo.instanceOfferingUuid } }),
        });
        assert.equal(sub.status, 202);
        assert.match(((await sub.json()) as { location: string }).location, new RegExp(`/zstack/v1/api-jobs/${job}$`));
        assert.equal((await fetch(`${url}/zstack/v1/api-jobs/${job}`)).status, 202);
        clock.advance(1000);
        const done = await fetch(`${url}/zstack/v1/api-jobs/${job}`);
        assert.equal(done.status, 200);
        assert.equal(((await done.json()) as { inventory: { name: string } }).inventory.name, "x");
        clock.advance(svc.timings.jobTtlMs + 1);
        assert.equal((await fetch(`${url}/zstack/v1/api-jobs/${job}`)).status, 404);
        const stale = new Date(clock.now() - 16 * 60_000).toUTCString();
        const r = await fetch(`${url}/zstack/v1/vm-instances`, {
            headers: { authorization: "ZStack emulator-access-key-id:abc", date: stale },
        });
        assert.equal(r.status, 503);
        assert.match(JSON.stringify(await r.json()), /ID\.1001.*15 minutes/);
    });
});
