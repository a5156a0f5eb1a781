import { strict as assert } from "assert";
import { fromState } from "../../provider/core/resource";
import { EmulatorServer } from "../../emulator/core/server";
import { KOOPHONE_EMULATOR_CREDENTIALS as CRED, KooPhoneService } from "../../emulator/huaweicloud/koophone";
import { PartialStateError } from "../../provider/core/errors";
import { AxiosTransport, HttpRequest } from "../../provider/core/http";
import { setProgressSink } from "../../provider/core/progress";
import { KooPhoneProvider } from "../../provider/huaweicloud/koophoneProvider";
import { PhoneClaims } from "../../provider/huaweicloud/claims";
import { rejects } from "../support/assertions";
import { VirtualClock } from "../../harness/clock";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const TOKEN = "prt-00112233445566778899";
const USER = "1008600000104285462";

interface Setup {
    /** This test's PULUMI_RESTORE_STATE_DIR (the provider's records of its own backups). */
    stateDir: string;
    clock: VirtualClock;
    service: KooPhoneService;
    server: EmulatorServer;
    provider: KooPhoneProvider;
    lines: string[];
}

async function setup(
    o: {
        auth?: "aksk" | "token";
        ids?: string[];
        tokenTtlMs?: number;
        backupMs?: number;
        restoreMs?: number;
        tenantless?: string[];
    } = {},
): Promise<Setup> {
    const clock = new VirtualClock();
    const service = new KooPhoneService({
        clock,
        timings: {
            backupMs: o.backupMs ?? 60_000,
            restoreMs: o.restoreMs ?? 90_000,
            tokenTtlMs: o.tokenTtlMs ?? 24 * 3_600_000,
        },
        tenantless: o.tenantless,
    });
    for (const id of o.ids ?? []) service.seed("instance", { id });
    const server = new EmulatorServer(service);
    const url = await server.start();
    const config: Record<string, string> = { "huaweicloud:endpoint": url, "huaweicloud:region": "cn-south-1" };
    if ((o.auth ?? "aksk") === "aksk")
        Object.assign(config, { "huaweicloud:accessKey": CRED.accessKey, "huaweicloud:secretKey": CRED.secretKey });
    else
        Object.assign(config, {
            "huaweicloud:authUrl": `${url}/v3`,
            "huaweicloud:userName": CRED.user.name,
            "huaweicloud:password": CRED.user.password,
            "huaweicloud:domainName": CRED.user.domain,
        });
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "koophone-claims-"));
    const provider = new KooPhoneProvider({
        clock,
        env: { PULUMI_RESTORE_STATE_DIR: stateDir },
        settleMs: 20_000,
        random: () => 0.5,
        schedule: { minIntervalMs: 5000, maxIntervalMs: 30_000, fraction: 0.1 },
    });
    await provider.configure({ config: { get: (k: string) => config[k] } });
    const lines: string[] = [];
    setProgressSink((l) => lines.push(l));
    return { stateDir, clock, service, server, provider, lines };
}

const ids = (n: number, prefix = "ph") => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(4, "0")}`);
const inputs = (instanceIds: string[], extra: Record<string, unknown> = {}) => ({
    restoreToken: TOKEN,
    instanceIds,
    userId: USER,
    restoreOnDelete: true,
    ...extra,
});
const backups = (s: KooPhoneService, id: string) =>
    (s.snapshot().instances as { instance_id: string; backups: number }[]).find((i) => i.instance_id === id)?.backups;

describe("huaweicloud koophone provider (emulator, virtual clock)", function () {
    let cur: Setup | undefined;
    afterEach(async () => {
        setProgressSink(undefined);
        await cur?.server.stop();
        cur = undefined;
    });

    it("backs up 250 instances in batches of at most 100 (AK/SK), then restores them all on delete", async () => {
        const all = ids(250);
        const s = (cur = await setup({ ids: all }));
        const r = await s.provider.create(inputs(all));
        assert.equal(r.id, TOKEN);
        assert.equal(s.server.count("BatchBackupInstances"), 3);
        const outs = r.outs as {
            instanceIds: string[];
            instances: { instanceId: string; backupStatus: string; taskId?: string; backupTime?: string }[];
        };
        assert.deepEqual(outs.instanceIds, all);
        assert.ok(outs.instances.every((i) => i.backupStatus === "success" && i.taskId && i.backupTime));
        assert.ok(all.every((id) => s.service.phaseOf(id) === "backedUp" && backups(s.service, id) === 1));
        await s.provider.delete(r.id, r.outs);
        assert.equal(s.server.count("BatchPrepareInstances"), 3);
        assert.ok(all.every((id) => s.service.phaseOf(id) === "running"));
        assert.ok(s.lines.some((l) => /250 instance\(s\) restored/.test(l)));
    });

    it("uses a project-scoped IAM token, cached, renewed before expiry and after a 401", async () => {
        const s = (cur = await setup({
            auth: "token",
            ids: ["a1", "a2"],
            tokenTtlMs: 20 * 60_000,
            backupMs: 60 * 60_000,
        }));
        const r = await s.provider.create(inputs(["a1", "a2"]));
        assert.deepEqual((r.outs as { instanceIds: string[] }).instanceIds, ["a1", "a2"]);
        // An hour of backing up with 20-minute tokens: renewed before expiry, never by failing.
        assert.ok(s.service.tokensIssued >= 3, `tokens issued: ${s.service.tokensIssued}`);
        assert.equal(s.server.log.filter((l) => l.status === 401).length, 0);
        // A password change voids tokens early: the next call answers 401, the provider gets a new token and goes on.
        const before = s.service.tokensIssued;
        s.service.revokeTokens();
        const read = await s.provider.read(r.id, r.outs);
        assert.equal(read.id, TOKEN);
        assert.equal(s.server.log.filter((l) => l.status === 401).length, 1);
        assert.equal(s.service.tokensIssued, before + 1);
    });

    it("records which instances succeeded and which failed (failTask), and backs up only the failed one on the next up", async () => {
        const s = (cur = await setup({ ids: ["f1", "f2", "f3"] }));
        s.server.inject({ action: "BatchBackupInstances", kind: "failTask" });
        const e = await s.provider.create(inputs(["f1", "f2", "f3"])).then(
            () => undefined,
            (x) => x,
        );
        assert.ok(e instanceof PartialStateError, String(e));
        assert.equal(e.id, TOKEN);
        const props = e.properties as {
            instanceIds: string[];
            instances: { instanceId: string; backupStatus: string; errorMessage?: string }[];
            __provider?: unknown;
        };
        assert.deepEqual(props.instanceIds, ["f2", "f3"]);
        assert.equal(props.instances.find((i) => i.instanceId === "f1")?.backupStatus, "failed");
        assert.match(
            props.instances.find((i) => i.instanceId === "f1")?.errorMessage ?? "",
            /Failed to upload the instance data to OBS/,
        );
        assert.match(e.message, /backed up: f2, f3/);
        assert.match(e.message, /f1 failed \(KOOPHONE\.JOB\.0001\): backup task .*Failed to upload/);
        // The next `pulumi up`: update from the partial state.
        const u = await s.provider.update(TOKEN, fromState(e.properties), inputs(["f1", "f2", "f3"]));
        assert.deepEqual((u.outs as { instanceIds: string[] }).instanceIds, ["f1", "f2", "f3"]);
        assert.equal(backups(s.service, "f1"), 2);
        assert.equal(backups(s.service, "f2"), 1);
        assert.equal(backups(s.service, "f3"), 1);
    });

    it("survives throttling, 5xx on reads and a lost BatchBackupInstances answer without backing anything up twice", async () => {
        const s = (cur = await setup({ ids: ids(8, "t") }));
        s.server.inject(
            { action: "ListInstances", kind: "error500", times: 2 },
            { action: "BatchBackupInstances", kind: "throttle" },
            { action: "BatchBackupInstances", kind: "dropAfter" },
        );
        const r = await s.provider.create(inputs(ids(8, "t")));
        assert.deepEqual((r.outs as { instanceIds: string[] }).instanceIds, ids(8, "t"));
        assert.ok(ids(8, "t").every((id) => backups(s.service, id) === 1));
        assert.equal(
            s.server.log.filter((l) => l.action === "BatchBackupInstances" && l.status === 200).length,
            0,
            "the only accepted call lost its answer",
        );
        assert.ok(s.lines.some((l) => /answer was lost/.test(l)));
    });

    it("update backs up added instances and restores removed ones; restoreOnDelete false leaves removed ones parked", async () => {
        const s = (cur = await setup({ ids: ["u1", "u2", "u3", "u4"] }));
        const r = await s.provider.create(inputs(["u1", "u2"]));
        const u = await s.provider.update(TOKEN, r.outs, inputs(["u2", "u3"]));
        assert.deepEqual((u.outs as { instanceIds: string[] }).instanceIds, ["u2", "u3"]);
        assert.equal(s.service.phaseOf("u1"), "running");
        assert.equal(s.service.phaseOf("u3"), "backedUp");
        assert.ok(s.server.count("ShowProgress") > 0);
        const u2 = await s.provider.update(TOKEN, u.outs!, inputs(["u3"], { restoreOnDelete: false }));
        assert.deepEqual((u2.outs as { instanceIds: string[] }).instanceIds, ["u3"]);
        assert.equal(s.service.phaseOf("u2"), "backedUp");
        const calls = s.server.count();
        await s.provider.delete(TOKEN, u2.outs!);
        assert.equal(s.server.count(), calls, "restoreOnDelete false: delete makes no call");
        assert.equal(s.service.phaseOf("u3"), "backedUp");
    });

    it("create follows instances an interrupted attempt of this resource was backing up (its record names them)", async () => {
        const s = (cur = await setup({ ids: ["c1", "c2", "c3"] }));
        // An earlier attempt recorded c1 and c2, started their backup, and died before anything reached the stack.
        await new PhoneClaims(s.stateDir, s.clock).add(TOKEN, ["c1", "c2"], s.clock.now());
        await s.provider.client().batchBackup(["c1", "c2"]);
        const r = await s.provider.create(inputs(["c1", "c2", "c3"]));
        assert.deepEqual((r.outs as { instanceIds: string[] }).instanceIds, ["c1", "c2", "c3"]);
        for (const id of ["c1", "c2", "c3"]) assert.equal(backups(s.service, id), 1, id);
        assert.deepEqual(
            [...(await new PhoneClaims(s.stateDir, s.clock).of(TOKEN)).keys()],
            [],
            "the stack holds them now: the record is dropped",
        );
    });

    it("phones another stack parked are refused, naming them; that stack's phones are never brought back by this one", async () => {
        const s = (cur = await setup({ ids: ["k1", "k2", "k3"] }));
        s.service.seed("instance", { id: "k4", phase: "backedUp" });
        const a = await s.provider.create(inputs(["k1", "k2"]));
        // Stack B of the same program (another restore token) lists the same phones, plus one parked by hand.
        const b = new KooPhoneProvider(
            { clock: s.clock, env: { PULUMI_RESTORE_STATE_DIR: s.stateDir }, settleMs: 20_000 },
            {
                "huaweicloud:endpoint": s.server.url,
                "huaweicloud:accessKey": CRED.accessKey,
                "huaweicloud:secretKey": CRED.secretKey,
            },
        );
        const e = await rejects(
            b.create(inputs(["k1", "k2", "k3", "k4"], { restoreToken: "prt-bbbbbbbbbbbbbbbbbbbb" })),
            /instanceIds: k1 \(backed up since .*\), k2 \(.*\), k4 \(backed up.*\) are already parked in OBS, and nothing shows that this resource parked them.*Nothing was backed up or restored\. Remove them from instanceIds/,
        );
        assert.ok(!/k3 \(/.test(e.message), "a running phone is free");
        assert.equal(backups(s.service, "k3"), 0, "nothing was backed up");
        assert.equal(s.server.count("BatchPrepareInstances"), 0);
        // Stack A still holds its phones; its destroy brings them back, after which stack B may park them.
        await s.provider.delete(a.id, a.outs);
        const r = await b.create(inputs(["k1", "k2", "k3"], { restoreToken: "prt-bbbbbbbbbbbbbbbbbbbb" }));
        assert.deepEqual((r.outs as { instanceIds: string[] }).instanceIds, ["k1", "k2", "k3"]);
    });

    it("a phone restored while its backup is still in progress: create stops at once with a clear error, the next up parks it again", async () => {
        const s = (cur = await setup({ ids: ["q1", "q2"] }));
        let backing = false;
        s.server.onRequest = (action) => {
            // Someone restores q1 from the console while it is being backed up: KooPhone queues it behind the backup.
            if (action === "BatchBackupInstances") backing = true;
            else if (action === "ListInstances" && backing) {
                backing = false;
                s.service.restoreOutOfBand("q1");
            }
        };
        const start = s.clock.now();
        const e = (await rejects(
            s.provider.create(inputs(["q1", "q2"])),
            /backed up: q2; q1 failed: a restore of it was requested .* while it was being backed up.*run `pulumi up` again to back it up again/,
        )) as PartialStateError;
        s.server.onRequest = undefined;
        assert.ok(
            s.clock.now() - start < 10 * 60_000,
            `create waited ${(s.clock.now() - start) / 60_000} min: it must not wait out the 2 h time-out`,
        );
        assert.deepEqual(e.properties.instanceIds, ["q2"]);
        // KooPhone runs the queued restore once the backup has ended; then the next up parks q1 again.
        s.clock.advance(5 * 60_000);
        assert.equal(s.service.phaseOf("q1"), "running");
        const u = await s.provider.update(TOKEN, fromState(e.properties), inputs(["q1", "q2"]));
        assert.deepEqual((u.outs as { instanceIds: string[] }).instanceIds, ["q1", "q2"]);
        await s.provider.delete(TOKEN, u.outs!);
        assert.equal(s.service.phaseOf("q1"), "running");
        assert.equal(s.service.phaseOf("q2"), "running");
    });

    it("BatchBackupInstances carried out 60 s late, answer lost: not called again; the next up refuses the late backup (nothing proves it is this resource's), and the way out it names works", async () => {
        const s = (cur = await setup({ ids: ["l1"] }));
        s.server.inject({ action: "BatchBackupInstances", kind: "late", delayMs: 60_000 });
        await rejects(
            s.provider.create(inputs(["l1"])),
            /l1: the BatchBackupInstances answer was lost or unclear .*not called again now.*run `pulumi up` again/,
        );
        assert.equal(s.server.count("BatchBackupInstances"), 1);
        s.clock.advance(60_000);
        // The backup shows after the call's window: from the cloud's view it is the same as another stack's backup of
        // the phone (nothing names the caller), so this resource does not take it over.
        await rejects(
            s.provider.create(inputs(["l1"])),
            /l1 \(backing up; this resource's BatchBackupInstances of .* had an unclear answer .*not seen parked until after that call's window.*Nothing was backed up or restored.*bring them back \(BatchPrepareInstances or the console\) and run `pulumi up` again/,
        );
        assert.equal(s.server.count("BatchBackupInstances"), 1, "not called twice");
        assert.equal(backups(s.service, "l1"), 1);
        // The way out: bring it back, then `pulumi up` parks it anew, as this resource's own.
        s.clock.advance(60_000);
        await s.provider.client().batchPrepare(USER, ["l1"]);
        s.clock.advance(90_000);
        assert.equal(s.service.phaseOf("l1"), "running");
        const r = await s.provider.create(inputs(["l1"]));
        assert.deepEqual((r.outs as { instanceIds: string[] }).instanceIds, ["l1"]);
        assert.equal(backups(s.service, "l1"), 2);
    });

    it("an internal error inside a 200 on BatchBackupInstances (carried out): followed, never called twice", async () => {
        const s = (cur = await setup({ ids: ["o1", "o2"] }));
        s.server.inject({ action: "BatchBackupInstances", kind: "odd" });
        const r = await s.provider.create(inputs(["o1", "o2"]));
        assert.deepEqual((r.outs as { instanceIds: string[] }).instanceIds, ["o1", "o2"]);
        assert.equal(s.server.count("BatchBackupInstances"), 1);
    });

    it("read drops instances restored out of band, and returns an empty id when none is left", async () => {
        const s = (cur = await setup({ ids: ["r1", "r2"] }));
        const r = await s.provider.create(inputs(["r1", "r2"]));
        s.service.restoreOutOfBand("r1");
        const a = await s.provider.read(r.id, r.outs);
        assert.equal(a.id, TOKEN);
        assert.deepEqual((a.props as { instanceIds: string[] }).instanceIds, ["r2"]);
        s.service.restoreOutOfBand("r2");
        assert.equal((await s.provider.read(r.id, a.props!)).id, "");
    });

    it("maps error codes to messages that say what to do, and fails before any backup for unknown instances", async () => {
        const s = (cur = await setup({ ids: ["e1"], tenantless: [CRED.user.domain] }));
        await assert.rejects(
            s.provider.create(inputs(["e1"])),
            /KOOPHONE\.API\.0000.*tenant does not exist.*Use the account .* that owns the cloud phones/s,
        );
        const s2 = await setup({ ids: ["e1"] });
        try {
            await assert.rejects(
                s2.provider.create(inputs(["e1", "nope"])),
                /nope do not exist.*KOOPHONE\.API\.4001.*Nothing was backed up/s,
            );
            assert.equal(s2.server.count("BatchBackupInstances"), 0);
            s2.server.inject({ action: "BatchPrepareInstances", kind: "failTask" });
            const r = await s2.provider.create(inputs(["e1"]));
            await assert.rejects(
                s2.provider.delete(r.id, r.outs),
                /e1 failed: .*restore failed.*run `pulumi destroy` again/s,
            );
            await s2.provider.delete(r.id, r.outs);
            assert.equal(s2.service.phaseOf("e1"), "running");
        } finally {
            await s2.server.stop();
        }
    });

    it("sends a fresh X-Request-Id on every call, and the X-Auth-Token only to KooPhone", async () => {
        const s = (cur = await setup({ ids: ["x1", "x2"] }));
        const sent: HttpRequest[] = [];
        const inner = new AxiosTransport();
        const config: Record<string, string> = {
            "huaweicloud:endpoint": s.server.url,
            "huaweicloud:authUrl": `${s.server.url}/v3`,
            "huaweicloud:userName": CRED.user.name,
            "huaweicloud:password": CRED.user.password,
            "huaweicloud:domainName": CRED.user.domain,
        };
        const p = new KooPhoneProvider(
            {
                clock: s.clock,
                env: {},
                schedule: { minIntervalMs: 5000, maxIntervalMs: 30_000, fraction: 0.1 },
                transport: { send: (r, t) => (sent.push(r), inner.send(r, t)) },
            },
            config,
        );
        s.server.inject({ action: "ListInstances", kind: "error503" });
        const r = await p.create(inputs(["x1", "x2"]));
        await p.delete(r.id, r.outs);
        const kp = sent.filter((r) => !r.url.includes("/v3/auth/tokens"));
        assert.ok(kp.length >= 6);
        const idsSent = kp.map((r) => r.headers["X-Request-Id"]);
        assert.ok(idsSent.every((x) => /^[0-9a-f-]{36}$/.test(x ?? "")));
        assert.equal(new Set(idsSent).size, idsSent.length, "request ids are never reused, not even on a retry");
        assert.ok(kp.every((r) => r.headers["X-Auth-Token"]?.startsWith("MII")));
        assert.ok(
            sent.filter((r) => r.url.includes("/v3/auth/tokens")).every((r) => r.headers["X-Auth-Token"] === undefined),
        );
    });

    it("reports a wrong secret key with APIGW.0301 and a hint, never the key", async () => {
        const s = (cur = await setup({ ids: ["w1"] }));
        const bad = new KooPhoneProvider(
            { clock: s.clock, env: {} },
            {
                "huaweicloud:endpoint": s.server.url,
                "huaweicloud:accessKey": CRED.accessKey,
                "huaweicloud:secretKey": "wrong-secret-key-value-123",
            },
        );
        const e = await bad.create(inputs(["w1"])).then(
            () => undefined,
            (x: Error) => x,
        );
        assert.ok(e);
        assert.match(e.message, /APIGW\.0301.*verify aksk signature fail.*check huaweicloud:accessKey/s);
        assert.ok(!e.message.includes("wrong-secret-key-value-123"));
        assert.equal(s.server.count("BatchBackupInstances"), 0);
    });
});
