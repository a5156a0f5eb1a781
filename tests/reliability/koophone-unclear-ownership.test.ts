/**
 * KooPhone after an unclear answer (issue 25, item 6). Two stacks, each a provider with its own state directory (its own
 * machine), against one emulator. KooPhone does not say who backed a phone up, and a record written before a
 * BatchBackupInstances whose answer was unclear names the phones whether the call took effect or not. Such a record
 * must not become ownership: stack B takes a parked phone only with proof that its own call parked it (an accepted
 * answer, or the phone seen parked within the call's window), and otherwise refuses, naming the phones; B's destroy
 * never brings back phones it did not demonstrably park.
 */
import { strict as assert } from "assert";
import { fromState } from "../../provider/core/resource";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EmulatorServer } from "../../emulator/core/server";
import { KOOPHONE_EMULATOR_CREDENTIALS as CRED, KooPhoneService } from "../../emulator/huaweicloud/koophone";
import { VirtualClock } from "../../harness/clock";
import { PartialStateError } from "../../provider/core/errors";
import { AxiosTransport, HttpRequest, HttpResponse, Transport } from "../../provider/core/http";
import { setProgressSink } from "../../provider/core/progress";
import { PhoneClaims } from "../../provider/huaweicloud/claims";
import { KooPhoneProvider } from "../../provider/huaweicloud/koophoneProvider";
import { rejects } from "../support/assertions";

const USER = "1008600000104285462";
const A = "prt-aaaaaaaaaaaaaaaaaaaa";
const B = "prt-bbbbbbbbbbbbbbbbbbbb";
const B2 = "prt-bbbbbbbbbbbbbbbbbbb2";

interface World {
    clock: VirtualClock;
    service: KooPhoneService;
    server: EmulatorServer;
    /** One state directory per stack (per machine). */
    dirs: { a: string; b: string };
}

async function world(phones: string[]): Promise<World> {
    const clock = new VirtualClock();
    const service = new KooPhoneService({
        clock,
        timings: { backupMs: 60_000, restoreMs: 90_000, tokenTtlMs: 24 * 3_600_000 },
    });
    for (const id of phones) service.seed("instance", { id });
    const server = new EmulatorServer(service);
    await server.start();
    const dir = (n: string) => fs.mkdtempSync(path.join(os.tmpdir(), `koophone-unclear-${n}-`));
    setProgressSink(() => undefined);
    return { clock, service, server, dirs: { a: dir("a"), b: dir("b") } };
}

/** A stack's provider, as a fresh `pulumi up` on that stack's machine makes it. */
async function stack(w: World, dir: string, transport?: Transport): Promise<KooPhoneProvider> {
    const p = new KooPhoneProvider({
        clock: w.clock,
        env: { PULUMI_RESTORE_STATE_DIR: dir },
        settleMs: 20_000,
        random: () => 0.5,
        schedule: { minIntervalMs: 5000, maxIntervalMs: 30_000, fraction: 0.1 },
        transport,
    });
    const config: Record<string, string> = {
        "huaweicloud:endpoint": w.server.url,
        "huaweicloud:region": "cn-south-1",
        "huaweicloud:accessKey": CRED.accessKey,
        "huaweicloud:secretKey": CRED.secretKey,
    };
    await p.configure({ config: { get: (k: string) => config[k] } });
    return p;
}

const inputs = (restoreToken: string, instanceIds: string[]) => ({
    restoreToken,
    instanceIds,
    userId: USER,
    restoreOnDelete: true,
});
const phase = (w: World, id: string) => w.service.phaseOf(id);
const counts = (w: World, id: string) => {
    const i = (w.service.snapshot().instances as { instance_id: string; backups: number; restores: number }[]).find(
        (x) => x.instance_id === id,
    );
    return { backups: i?.backups, restores: i?.restores };
};
const idsOf = (o: unknown) => (o as { instanceIds: string[] }).instanceIds;

describe("huaweicloud koophone: an unclear BatchBackupInstances answer never becomes ownership (two stacks)", function () {
    let w: World | undefined;
    afterEach(async () => {
        setProgressSink(undefined);
        await w?.server.stop();
        w = undefined;
    });

    it("B's call answered 500 (no effect), A parks the phones: B's next up refuses them, B's destroy leaves A's phones parked", async () => {
        w = await world(["b0", "p1", "p2"]);
        const b = await stack(w, w.dirs.b);
        const b0 = await b.create(inputs(B, ["b0"]));
        // B adds p1 and p2; its BatchBackupInstances gets an unclear 500 (the call had no effect).
        w.server.inject({ action: "BatchBackupInstances", kind: "error500" });
        const e = (await rejects(
            b.update(B, b0.outs, inputs(B, ["b0", "p1", "p2"])),
            /p1: the BatchBackupInstances answer was lost or unclear/,
        )) as PartialStateError;
        assert.ok(e instanceof PartialStateError);
        assert.deepEqual(idsOf(e.properties), ["b0"], "B's state holds only what it parked");
        assert.deepEqual([...(await new PhoneClaims(w.dirs.b, w.clock).of(B)).keys()].sort(), ["p1", "p2"]);

        // Hours later, stack A (another machine) parks the same phones: they run, so A may.
        w.clock.advance(3 * 3_600_000);
        const a = await (await stack(w, w.dirs.a)).create(inputs(A, ["p1", "p2"]));
        assert.deepEqual(idsOf(a.outs), ["p1", "p2"]);

        // B's next up, on B's machine whose record still names p1 and p2: it must not take A's phones.
        const bCalls = w.server.count("BatchBackupInstances");
        const b2 = await stack(w, w.dirs.b);
        const r = await rejects(
            b2.update(B, fromState(e.properties), inputs(B, ["b0", "p1", "p2"])),
            /instanceIds: p1 \(backed up since .*; this resource's BatchBackupInstances of .* had an unclear answer .*not seen parked until after that call's window.*\), p2 \(.*\) are already parked in OBS, and nothing shows that this resource parked them.*Nothing was backed up or restored\. Remove them from instanceIds/,
        );
        assert.ok(!/b0 \(/.test(r.message), "its own phone is not questioned");
        assert.equal(w.server.count("BatchBackupInstances"), bCalls);
        assert.equal(w.server.count("BatchPrepareInstances"), 0);

        // B's destroy (from its state) brings back only b0; A's phones stay parked, and A's destroy brings them back.
        await b2.delete(B, fromState(e.properties));
        assert.equal(phase(w, "b0"), "running");
        assert.equal(phase(w, "p1"), "backedUp");
        assert.equal(phase(w, "p2"), "backedUp");
        assert.deepEqual(counts(w, "p1"), { backups: 1, restores: 0 });
        await (await stack(w, w.dirs.a)).delete(A, a.outs);
        assert.equal(phase(w, "p1"), "running");
        assert.equal(phase(w, "p2"), "running");
    });

    it("the same on create: B's record of an unclear call does not make A's phones B's (nothing recorded in B's stack)", async () => {
        w = await world(["p1", "p2"]);
        w.server.inject({ action: "BatchBackupInstances", kind: "error500" });
        await rejects(
            (await stack(w, w.dirs.b)).create(inputs(B, ["p1", "p2"])),
            /p1: the BatchBackupInstances answer was lost or unclear.*Nothing is recorded in the stack/,
        );
        w.clock.advance(3_600_000);
        const a = await (await stack(w, w.dirs.a)).create(inputs(A, ["p1", "p2"]));
        await rejects(
            (await stack(w, w.dirs.b)).create(inputs(B, ["p1", "p2"])),
            /instanceIds: p1 \(.*unclear answer.*\), p2 \(.*\) are already parked in OBS.*Nothing was backed up or restored/,
        );
        assert.deepEqual(counts(w, "p1"), { backups: 1, restores: 0 });
        // Once A has brought them back, B may park them (its old record does not stand in the way).
        await (await stack(w, w.dirs.a)).delete(A, a.outs);
        const r = await (await stack(w, w.dirs.b)).create(inputs(B, ["p1", "p2"]));
        assert.deepEqual(idsOf(r.outs), ["p1", "p2"]);
    });

    it("B's own unclear call that took effect is continued on B's next up (no second backup), while the one that did not is refused", async () => {
        w = await world(["q1", "q2", "p1", "p2"]);
        // Resource B (q1, q2): the call is carried out and its answer lost; B sees the phones being parked within the
        // call's window, and then its process dies (every later request hangs) before anything reaches the stack.
        const inner = new AxiosTransport();
        let backedUp = false;
        let looks = 0;
        const dying: Transport = {
            send: (req: HttpRequest, t: number): Promise<HttpResponse> => {
                if (backedUp && req.url.includes("/batch-query") && ++looks > 2) return new Promise(() => undefined);
                if (req.url.includes("/instances/backup")) backedUp = true;
                return inner.send(req, t);
            },
        };
        w.server.inject({ action: "BatchBackupInstances", kind: "dropAfter" });
        void (await stack(w, w.dirs.b, dying)).create(inputs(B, ["q1", "q2"])).catch(() => undefined);
        for (let i = 0; i < 50 && looks <= 2; i++) await new Promise((r) => setTimeout(r, 20));
        assert.ok(looks > 2, "B's first up looked at the phones after its call");
        assert.equal(phase(w, "q1"), "backingUp");
        // Resource B2 of the same stack (p1, p2): an unclear 500 without effect; later stack A parks p1 and p2.
        w.server.inject({ action: "BatchBackupInstances", kind: "error500" });
        await rejects((await stack(w, w.dirs.b)).create(inputs(B2, ["p1", "p2"])), /answer was lost or unclear/);
        w.clock.advance(3_600_000);
        await (await stack(w, w.dirs.a)).create(inputs(A, ["p1", "p2"]));

        // B's next up, an hour later on the same machine: q1 and q2 are its own (seen parked within its call's window),
        // p1 and p2 are not.
        const next = await stack(w, w.dirs.b);
        const calls = w.server.count("BatchBackupInstances");
        const r = await next.create(inputs(B, ["q1", "q2"]));
        assert.deepEqual(idsOf(r.outs), ["q1", "q2"]);
        assert.equal(w.server.count("BatchBackupInstances"), calls, "no second backup");
        assert.deepEqual(counts(w, "q1"), { backups: 1, restores: 0 });
        await rejects(
            next.create(inputs(B2, ["p1", "p2"])),
            /instanceIds: p1 \(.*unclear answer.*\), p2 .*are already parked/,
        );
        assert.equal(w.server.count("BatchBackupInstances"), calls);
        // B's destroy brings back its own phones only.
        await next.delete(B, r.outs);
        assert.equal(phase(w, "q1"), "running");
        assert.equal(phase(w, "p1"), "backedUp");
    });

    it("a phone B holds that was restored and parked again by A since: B's up refuses it, B's destroy leaves it to A", async () => {
        w = await world(["h1", "h2"]);
        const b = await stack(w, w.dirs.b);
        const held = await b.create(inputs(B, ["h1", "h2"]));
        // Someone brings h1 back from the console; stack A parks it. B has not refreshed: its state still lists h1.
        w.clock.advance(60_000);
        w.service.restoreOutOfBand("h1");
        w.clock.advance(60_000);
        const a = await (await stack(w, w.dirs.a)).create(inputs(A, ["h1"]));
        await rejects(
            b.update(B, held.outs, inputs(B, ["h1", "h2"])),
            /instanceIds: h1 \(backed up since .*; this resource held it, but it was restored and parked again by someone else since\)/,
        );
        await b.delete(B, held.outs);
        assert.equal(phase(w, "h2"), "running");
        assert.equal(phase(w, "h1"), "backedUp", "A's phone stays parked");
        const read = await (await stack(w, w.dirs.a)).read(A, a.outs);
        assert.deepEqual(idsOf(read.props), ["h1"]);
    });
});
