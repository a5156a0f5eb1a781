import { strict as assert } from "assert";
import { StarRocksService } from "../../emulator/alicloud/starrocks";
import { EmulatorServer } from "../../emulator/core/server";
import { setProgressSink } from "../../provider/core/progress";
import { DrillInputs, DrillReport, drillToken, scratchName } from "../../provider/core/drill";
import type { RestoredInstanceInputs } from "../../provider/alicloud/starrocksInputs";
import { UNKNOWN } from "../../provider/core/validate";
import { StarRocksDrillProvider } from "../../provider/alicloud/starrocksDrill";
import { rejects } from "../support/assertions";
import { VirtualClock } from "../../harness/clock";
import { scanForSecrets } from "../reliability/secretScanner";

const AK = "starrocks-drill-test-ak";
const SK = "starrocks-drill-test-secret-0001";
const PASSWORD = "Dr1ll-Adm1n-Pw!";
const TOKEN = drillToken("proj", "dev", "monthly");
const FAST = { minIntervalMs: 1000, maxIntervalMs: 5000, fraction: 0.05 };

interface Ctx {
    clock: VirtualClock;
    svc: StarRocksService;
    server: EmulatorServer;
    p: StarRocksDrillProvider;
    lines: string[];
    order: string[];
}

/** Drill provider and emulator on one virtual clock: a 60 s restore takes milliseconds. */
async function setup(): Promise<Ctx> {
    const clock = new VirtualClock();
    const svc = new StarRocksService({
        clock,
        credentials: { [AK]: SK },
        timings: { restoreMs: 60_000, releaseMs: 10_000 },
    });
    const server = new EmulatorServer(svc);
    const url = await server.start();
    const p = new StarRocksDrillProvider(
        // The runner's environment as a Pulumi program's would hold it: the stack config must not reach verify.
        {
            clock,
            env: { PATH: process.env.PATH, PULUMI_CONFIG: '{"proj:dbPassword":"config-secret-value"}', TEAM: "data" },
            schedule: FAST,
            settleMs: 20_000,
            random: () => 0.5,
        },
        {
            "alicloud:endpoint": url,
            "alicloud:region": "cn-hangzhou",
            "alicloud:accessKey": AK,
            "alicloud:secretKey": SK,
        },
    );
    const lines: string[] = [];
    setProgressSink((l) => lines.push(l));
    svc.seed("backup", { BackupTaskId: "bk-drill0001", RegionId: "cn-hangzhou" });
    const order: string[] = [];
    server.onHandled = (action) => order.push(action);
    return { clock, svc, server, p, lines, order };
}

let c: Ctx;

/** Checked drill inputs (the provider's own check, as the engine calls it first). */
async function inputs(over: Record<string, unknown> = {}): Promise<DrillInputs<RestoredInstanceInputs>> {
    const r = await c.p.check(
        {},
        { restoreToken: TOKEN, backupTaskId: "bk-drill0001", adminPassword: PASSWORD, ...over },
    );
    assert.deepEqual(r.failures, []);
    return r.inputs!;
}

const scratch = () => c.svc.live().filter((i) => (i as { InstanceName?: string }).InstanceName === scratchName(TOKEN));
const report = (outs: Record<string, unknown>) => outs.report as unknown as DrillReport;

describe("alicloud.starrocks.RestoreDrill provider (emulator)", function () {
    this.timeout(30_000);
    afterEach(async () => {
        setProgressSink(undefined);
        // Whatever happened in the test: the emulator holds no scratch instance.
        if (c)
            assert.deepEqual(
                scratch().map((i) => `${i.InstanceId} ${i.InstanceStatus}`),
                [],
                "no scratch instance is left",
            );
        await c?.server.stop();
    });

    it("a passing drill: restores the backup into a scratch instance, checks, releases it, and reports", async () => {
        c = await setup();
        const verify = {
            command: 'echo "instance=$DRILL_INSTANCE_ID password=$DRILL_PASSWORD"; cat /proc/$$/cmdline | tr "\\0" " "',
            timeout: "20s",
        };
        const r = await c.p.create(await inputs({ verify }));
        const rep = report(r.outs!);
        assert.equal(r.outs!.passed, true, JSON.stringify(rep));
        assert.equal(rep.result, "passed");
        assert.equal(rep.backupId, "bk-drill0001");
        // Restore call to running: the emulator's 60 s, plus at most one poll interval (5 s here).
        assert.ok(
            rep.recoveryTimeSeconds! >= 60 && rep.recoveryTimeSeconds! <= 65,
            `recovery time ${rep.recoveryTimeSeconds}`,
        );
        // The seeded backup finished 50 minutes before the drill (the backup's time, as the restore resource chooses it).
        assert.equal(rep.recoveryPointSeconds, 3000);
        assert.equal(rep.backupTime, "2026-11-23T11:10:00Z");
        assert.deepEqual(
            rep.checks.map((k) => `${k.name}:${k.result}`),
            ["running:passed", "tcp:skipped", "verify:passed"],
        );
        assert.match(rep.checks[1].detail, /reports no address/);
        const tail = rep.checks[2].outputTail!;
        assert.match(
            tail,
            new RegExp(`instance=${rep.scratchInstanceId} password=\\*\\*\\*`),
            "the password reached the command in its environment, redacted in the tail",
        );
        assert.ok(!JSON.stringify(r.outs!.report).includes(PASSWORD), "no password in the report");
        assert.ok(
            !tail.includes(PASSWORD) && /echo/.test(tail),
            "the shell's arguments are the command line, without the password",
        );
        assert.equal(rep.scratchDeleted, true);
        assert.equal(c.server.count("RestoreInstance"), 1);
        assert.equal(c.server.count("ReleaseInstance"), 1);
        const made = c.svc.snapshot().instances as { InstanceName: string; Tags: { Key: string; Value: string }[] }[];
        assert.equal(made[0].InstanceName, scratchName(TOKEN), "named after the token");
        assert.ok(
            made[0].Tags.some((t) => t.Key === "pulumi-restore-token" && t.Value.startsWith(`${TOKEN}.`)),
            "tagged with the token",
        );
        assert.ok(!c.lines.join("\n").includes(PASSWORD));
    });

    it("verify gets the runner's environment without Pulumi's stack config", async () => {
        c = await setup();
        const r = await c.p.create(await inputs({ verify: { command: "env | sort" } }));
        const tail = report(r.outs!).checks[2].outputTail!;
        assert.match(tail, /^TEAM=data$/m);
        assert.match(tail, /^DRILL_INSTANCE_ID=c-/m);
        assert.ok(!/PULUMI_CONFIG|config-secret-value/.test(tail), tail);
    });

    it("secret scan: a verify command that prints the password in several encodings leaves no form of it in the report or error", async () => {
        c = await setup();
        const command = [
            'printf "plain=%s\\n" "$DRILL_PASSWORD"',
            'printf "b64=%s\\n" "$(printf %s "$DRILL_PASSWORD" | base64)"',
            'printf "hex=%s\\n" "$(printf %s "$DRILL_PASSWORD" | od -An -tx1 | tr -d " \\n")"',
            'printf "url=%s\\n" "$(printf %s "$DRILL_PASSWORD" | sed "s/!/%21/g")"',
            "exit 1",
        ].join("; ");
        const e = await rejects(c.p.create(await inputs({ verify: { command } })), /check verify: exit code 1/);
        const r = await c.p.create(await inputs({ verify: { command }, failOnCheckFailure: false }));
        const tail = report(r.outs!).checks[2].outputTail!;
        assert.match(tail, /plain=\*\*\*\nb64=\*\*\*\nhex=\*\*\*\nurl=\*\*\*/, tail);
        const texts = [
            { source: "report", text: JSON.stringify(r.outs!.report) },
            { source: "error", text: e.message },
            { source: "progress", text: c.lines.join("\n") },
        ];
        assert.deepEqual(scanForSecrets(texts, { adminPassword: PASSWORD }), []);
    });

    it("a backup selector: the drill restores the source's latest complete backup (failed and running ones skipped)", async () => {
        c = await setup();
        const H = 3_600_000;
        const SOURCE = "c-prod00000000001";
        c.svc.seed("backup", { BackupTaskId: "bk-older00001", InstanceId: SOURCE, ageMs: 30 * H });
        c.svc.seed("backup", { BackupTaskId: "bk-latest0001", InstanceId: SOURCE, ageMs: 5 * H });
        c.svc.seed("backup", { BackupTaskId: "bk-failed0001", InstanceId: SOURCE, ageMs: 2 * H, Status: "FAILED" });
        c.svc.seed("backup", { BackupTaskId: "bk-running001", InstanceId: SOURCE, ageMs: 0, Status: "RUNNING" });
        const r = await c.p.check(
            {},
            { restoreToken: TOKEN, backupSelector: { instanceId: SOURCE }, adminPassword: PASSWORD },
        );
        assert.deepEqual(r.failures, []);
        const created = await c.p.create(r.inputs!);
        const rep = report(created.outs!);
        assert.equal(rep.result, "passed", JSON.stringify(rep));
        assert.equal(rep.backupId, "bk-latest0001");
        assert.equal(rep.recoveryPointSeconds, 5 * 3600, "the recovery point is the chosen backup's age");
        assert.equal(c.server.count("RestoreInstance"), 1);
    });

    it("a failing check fails the create with the report in the error; failOnCheckFailure: false records it", async () => {
        c = await setup();
        const verify = { command: 'echo "checking with $DRILL_PASSWORD"; echo "row count 0" >&2; exit 3' };
        const e = await rejects(
            c.p.create(await inputs({ verify })),
            /restore drill failed: check verify: exit code 3/,
        );
        assert.match(e.message, /"scratchDeleted": true/);
        assert.match(e.message, /row count 0/);
        assert.ok(!e.message.includes(PASSWORD), "no password in the error");
        assert.equal(scratch().length, 0);
        const r = await c.p.create(await inputs({ verify, failOnCheckFailure: false }));
        assert.equal(r.outs!.passed, false);
        assert.equal(report(r.outs!).checks[2].exitCode, 3);
        assert.equal(c.server.count("ReleaseInstance"), 2, "each run released its scratch instance");
    });

    it("a verify command past its time limit is killed; the drill fails and cleans up", async () => {
        c = await setup();
        c.p.verifyHeartbeatMs = 200;
        const r = await c.p.create(
            await inputs({ verify: { command: "echo started; sleep 20", timeout: "1s" }, failOnCheckFailure: false }),
        );
        const beats = c.lines.filter((l) => /verify command still running/.test(l));
        assert.ok(beats.length >= 2, `a progress line at least every heartbeat while it runs: ${beats.length}`);
        const v = report(r.outs!).checks[2];
        assert.equal(v.result, "failed");
        assert.match(v.detail, /time limit \(1s\)/);
        assert.ok(v.durationMs < 10_000, `killed at its limit (${v.durationMs} ms)`);
        assert.match(v.outputTail!, /started/);
    });

    it("a restore that fails (creating_failed): the failed instance is released; the report says restore", async () => {
        c = await setup();
        c.server.inject({ action: "RestoreInstance", kind: "failTask" });
        const e = await rejects(c.p.create(await inputs()), /restore drill failed: restore: .*creating_failed/);
        assert.match(e.message, /"scratchDeleted": true/);
        assert.equal(c.server.count("ReleaseInstance"), 1);
    });

    it("a wait that times out (timeouts.create) releases the instance still restoring", async () => {
        c = await setup();
        const r = await c.p.create(await inputs({ timeouts: { create: "30s" }, failOnCheckFailure: false }));
        const rep = report(r.outs!);
        assert.equal(rep.result, "failed");
        assert.match(rep.failure!, /timed out .*timeouts.create is 30s/);
        assert.ok(rep.scratchInstanceId, "the report names the instance that was released");
        assert.equal(rep.recoveryTimeSeconds, undefined);
        assert.equal(c.server.count("ReleaseInstance"), 1);
    });

    it("a release that outlasts timeouts.delete fails the up whatever failOnCheckFailure says; the next drill deletes the leftover first", async () => {
        c = await setup();
        const e = await rejects(
            c.p.create(await inputs({ timeouts: { delete: "5s" }, failOnCheckFailure: false })),
            /could not be deleted: .*timed out.*the next `pulumi up` finds it by its token/s,
        );
        assert.match(e.message, /"scratchDeleted": false/);
        assert.equal(scratch().length, 1, "the scratch instance is still releasing");
        const r = await c.p.create(await inputs());
        assert.equal(r.outs!.passed, true);
        assert.equal(c.server.count("RestoreInstance"), 2);
    });

    it("crash mid-drill: a scratch instance left by a killed runner is found by its token and released first", async () => {
        c = await setup();
        // A runner killed while waiting: the restore was made, nothing was recorded.
        const i = await inputs({ timeouts: { create: "10s" } });
        await c.p.restorer.create(i).catch(() => undefined);
        assert.equal(scratch().length, 1, "the left-over scratch instance");
        c.order.length = 0;
        const r = await c.p.create(await inputs());
        assert.equal(r.outs!.passed, true);
        const firstRelease = c.order.indexOf("ReleaseInstance");
        assert.ok(
            firstRelease >= 0 && firstRelease < c.order.indexOf("RestoreInstance"),
            `released before the new restore: ${c.order.join(",")}`,
        );
        assert.equal(c.server.count("ReleaseInstance"), 2);
        assert.ok(c.lines.some((l) => /left by an earlier drill/.test(l)));
    });

    it("triggers run it again; refresh never does; timeouts alone update in place; delete touches nothing", async () => {
        c = await setup();
        const first = await inputs({ triggers: { month: "2026-11" } });
        const r = await c.p.create(first);
        const same = await c.p.diff(r.id, r.outs!, await inputs({ triggers: { month: "2026-11" } }));
        assert.equal(same.changes, false);
        const next = await inputs({ triggers: { month: "2026-12" } });
        const d = await c.p.diff(r.id, r.outs!, next);
        assert.deepEqual(d.replaces, ["triggers"], "a new trigger value runs the drill again (a replacement)");
        const t = await c.p.diff(
            r.id,
            r.outs!,
            await inputs({ triggers: { month: "2026-11" }, timeouts: { create: "3h" } }),
        );
        assert.equal(t.changes, true);
        assert.deepEqual(t.replaces, []);
        const calls = c.server.count();
        const rd = await c.p.read(r.id, r.outs!);
        assert.deepEqual(rd.props, r.outs, "read returns the recorded report");
        await c.p.delete(r.id, r.outs!);
        assert.equal(c.server.count(), calls, "read and delete make no cloud call");
        const again = await c.p.create(next);
        assert.notEqual(again.id, r.id);
        assert.equal(c.server.count("RestoreInstance"), 2);
        assert.equal(report(again.outs!).result, "passed");
    });

    it("check at preview: values not known yet (backup, vpc, verify command, a trigger) pass; the name is still set", async () => {
        c = await setup();
        const r = await c.p.check(
            {},
            {
                restoreToken: TOKEN,
                backupTaskId: UNKNOWN,
                adminPassword: PASSWORD,
                vpcId: UNKNOWN,
                vSwitches: UNKNOWN,
                verify: { command: UNKNOWN },
                triggers: { month: UNKNOWN },
            },
        );
        assert.deepEqual(r.failures, []);
        assert.equal(r.inputs!.instanceName, scratchName(TOKEN));
    });

    it("check: prePaid, instanceName, adoptId and bad drill fields are refused naming the field; restore fields by the restore checker", async () => {
        c = await setup();
        const r = await c.p.check(
            {},
            {
                restoreToken: TOKEN,
                adminPassword: "short",
                payType: "prePaid",
                pricingCycle: "Month",
                duration: 1,
                instanceName: "x",
                adoptId: "c-abcdef12345",
                verify: { command: "true", timeout: "soon", shell: "bash" },
                triggers: { month: { y: 2026 } },
                tcpPort: 70000,
            },
        );
        const props = r.failures!.map((f) => f.property).sort();
        assert.deepEqual(props, [
            "adminPassword",
            "adoptId",
            "backupTaskId",
            "instanceName",
            "payType",
            "tcpPort",
            "triggers.month",
            "verify.shell",
            "verify.timeout",
        ]);
        assert.match(r.failures!.find((f) => f.property === "payType")!.reason, /cannot be released by API/);
        assert.equal(c.server.count(), 0, "check calls no API");
    });
});
