import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { StarRocksService } from "../../emulator/alicloud/starrocks";
import { EmulatorServer } from "../../emulator/core/server";
import { CloudService, FaultKind } from "../../emulator/core/types";
import { KOOPHONE_EMULATOR_CREDENTIALS, KooPhoneService } from "../../emulator/huaweicloud/koophone";
import { JdcloudRdsService } from "../../emulator/jdcloud/rds";
import { TencentRedisService } from "../../emulator/tencentcloud/redis";
import { ZStackService } from "../../emulator/zstack/zstack";
import { StarRocksProvider } from "../../provider/alicloud/starrocksProvider";
import { AxiosTransport, NetworkFailure, Transport } from "../../provider/core/http";
import { PollSchedule } from "../../provider/core/poller";
import { setProgressSink } from "../../provider/core/progress";
import { KooPhoneProvider } from "../../provider/huaweicloud/koophoneProvider";
import { RdsRestoreProvider } from "../../provider/jdcloud/rdsProvider";
import { RedisRestoreProvider } from "../../provider/tencentcloud/redisProvider";
import { clearSessions } from "../../provider/zstack/session";
import { VmFromBackupProvider } from "../../provider/zstack/vmProvider";
import { providerEnv } from "../support/env";
import {
    Cell,
    EngineDriver,
    EngineFacingProvider,
    FAULTS,
    QuiescentClock,
    Row,
    StateEntry,
    formatMatrix,
    unclear,
} from "./faultDriver";

/**
 * The fault matrix: for every API call each resource makes on its create, wait, read, update and delete paths, the
 * emulator injects each fault kind once, at that call; the resource is driven through a whole lifecycle by a driver
 * that keeps state as the engine does. Each cell asserts: the faulted step succeeds or fails with a clear error; the
 * cloud holds exactly what the state says after every step; a following `up` (or `refresh`, `destroy`) converges,
 * and another `up` is a no-op; no more cloud resources were created than in the fault-free run.
 */

/** Per-request time-out injected into the provider's transport in "slow" cells, so that the slow answer is beyond it. */
const SHORT_TIMEOUT_MS = 250;
/** Per-request time-out of every other run: generous, so that a loaded machine cannot fake a fault. */
const NORMAL_TIMEOUT_MS = 10_000;
/** How late a "slow" answer comes (the server carries the request out, then answers). */
const SLOW_MS = 700;
/**
 * How late a "late" create is carried out (emulator clock), its answer lost: beyond every provider's settle window
 * (15-30 s), so the faulted step cannot see it; the user then waits as the error says before running again.
 */
const LATE_MS = 60_000;
/** Fault kinds that apply only to calls that create something (the non-idempotent ones). */
const CREATE_ONLY: FaultKind[] = ["late", "odd"];
const SCHEDULE: PollSchedule = { minIntervalMs: 1000, maxIntervalMs: 10_000, fraction: 0.05 };

type Step = "create" | "read" | "update" | "delete";
const STEPS: Step[] = ["create", "read", "update", "delete"];
const STEP_TITLE: Record<Step, string> = {
    create: "up (create)",
    read: "refresh (read)",
    update: "up (update)",
    delete: "destroy (delete)",
};

/** One running world: a fresh emulator of one cloud and a provider pointed at it. */
interface World {
    server: EmulatorServer;
    provider: EngineFacingProvider;
    /** Ids of what the cloud holds for the resource now. */
    held(): string[];
    /** Ids the cloud should hold for the engine's state (and, where delete leaves things by design, retired ids). */
    expected(state: StateEntry | undefined, retired: string[]): string[];
    /** How many cloud resources (or restores) were made so far: compared with the fault-free run. */
    creations(): number;
}

/** One resource type of the matrix. */
interface Subject {
    resource: string;
    /** Actions that start asynchronous work (the only ones a "task fails" fault applies to). */
    asyncActions: string[];
    /** Actions that change the cloud: a later call of a read action in the same step is the "wait" path. */
    mutations: string[];
    /** Actions that create something (the late-create and odd-answer columns apply to them only). */
    creates: string[];
    /** Why a step makes no API call, when it makes none. */
    silent?: Partial<Record<Step, string>>;
    v1: Record<string, unknown>;
    v2: Record<string, unknown>;
    /** `env` holds the PULUMI_RESTORE_STATE_DIR of this run (the providers' local records). */
    start(clock: QuiescentClock, transport: Transport, env: NodeJS.ProcessEnv): Promise<World>;
}

/** The provider's transport with a short time-out; counts what the client saw, to prove each fault reached it. */
function transport(timeoutMs: number): Transport & { seen: Record<string, number> } {
    const inner = new AxiosTransport();
    const seen: Record<string, number> = {};
    return {
        seen,
        send: async (req) => {
            try {
                return await inner.send(req, timeoutMs);
            } catch (e) {
                const code = e instanceof NetworkFailure ? e.code : "other";
                seen[code] = (seen[code] ?? 0) + 1;
                throw e;
            }
        },
    };
}

async function serve(clock: QuiescentClock, svc: CloudService): Promise<{ server: EmulatorServer; url: string }> {
    const server = new EmulatorServer(svc);
    const url = await server.start();
    clock.servers.push(server);
    return { server, url };
}

const cfg = (c: Record<string, string>) => ({ config: { get: (k: string) => c[k] } });
const TOKEN = "prt-fa017fa017fa017fa017";

const starrocks: Subject = {
    resource: "alicloud.starrocks.RestoredInstance",
    asyncActions: ["RestoreInstance"],
    mutations: ["RestoreInstance", "ReleaseInstance"],
    creates: ["RestoreInstance"],
    v1: {
        restoreToken: TOKEN,
        backupTaskId: "bk-matrix0001",
        instanceName: "matrix-dr",
        adminPassword: "Matrix-Passw0rd",
    },
    v2: {
        restoreToken: TOKEN,
        backupTaskId: "bk-matrix0001",
        instanceName: "matrix-dr",
        adminPassword: "Matrix-Passw0rd",
        timeouts: { create: "3h" },
    },
    async start(clock, t, env) {
        const svc = new StarRocksService({
            clock,
            timings: { restoreMs: 20_000, releaseMs: 5000 },
            credentials: { "fm-ak": "fm-secret" },
        });
        svc.seed("backup", { BackupTaskId: "bk-matrix0001", RegionId: "cn-hangzhou" });
        const { server, url } = await serve(clock, svc);
        const provider = new StarRocksProvider({ clock, env, schedule: SCHEDULE, transport: t, random: () => 0.5 });
        await provider.configure(
            cfg({
                "alicloud:endpoint": url,
                "alicloud:region": "cn-hangzhou",
                "alicloud:accessKey": "fm-ak",
                "alicloud:secretKey": "fm-secret",
            }),
        );
        const all = () => svc.snapshot().instances as { InstanceId: string; InstanceStatus: string }[];
        return {
            server,
            provider,
            held: () =>
                all()
                    .filter((i) => i.InstanceStatus !== "deleted")
                    .map((i) => i.InstanceId),
            expected: (s) => (s ? [s.id] : []),
            creations: () => all().length,
        };
    },
};

const tencent: Subject = {
    resource: "tencentcloud.redis.InstanceRestore",
    asyncActions: ["RestoreInstance"],
    mutations: ["RestoreInstance"],
    creates: ["RestoreInstance"],
    silent: {
        update: "changing the password updates state only (the resource makes no API call)",
        delete: "delete removes the resource from the stack only (a restore cannot be undone; no API call)",
    },
    v1: { restoreToken: TOKEN, instanceId: "crs-fm000001", backupId: "fm-backup-0001", password: "Matrix-Passw0rd" },
    v2: { restoreToken: TOKEN, instanceId: "crs-fm000001", backupId: "fm-backup-0001", password: "Matrix-Passw0rd-2" },
    async start(clock, t, env) {
        const svc = new TencentRedisService({
            clock,
            credentials: { AKIDfaultmatrix0001: "fm-secret" },
            timings: { prepareMs: 2000, runMs: 8000 },
        });
        svc.seed("instance", { InstanceId: "crs-fm000001", Password: "Matrix-Passw0rd" });
        svc.seed("backup", { InstanceId: "crs-fm000001", BackupId: "fm-backup-0001" });
        const { server, url } = await serve(clock, svc);
        const deps = { clock, env, schedule: SCHEDULE, transport: t, random: () => 0.5 };
        const provider = new RedisRestoreProvider(deps);
        await provider.configure(
            cfg({
                "tencentcloud:endpoint": url,
                "tencentcloud:secretId": "AKIDfaultmatrix0001",
                "tencentcloud:secretKey": "fm-secret",
            }),
        );
        const taskOf = (id: string) => id.split(":")[1];
        return {
            server,
            provider,
            // A restore that did not fail has overwritten the instance: it is what the resource stands for.
            held: () =>
                svc
                    .restoreTasks()
                    .filter((x) => x.Status !== "failed")
                    .map((x) => String(x.TaskId)),
            // Delete leaves the restored data in place by design: retired restores stay held.
            expected: (s, retired) => [...retired.map(taskOf), ...(s ? [taskOf(s.id)] : [])],
            creations: () => svc.restoreTasks().length,
        };
    },
};

const zstack: Subject = {
    resource: "zstack.VmFromBackup",
    asyncActions: ["CreateVmFromVmBackup", "DestroyVmInstance", "ExpungeVmInstance"],
    mutations: ["CreateVmFromVmBackup", "DestroyVmInstance", "ExpungeVmInstance"],
    creates: ["CreateVmFromVmBackup"],
    v1: {},
    v2: {},
    async start(clock, t, env) {
        clearSessions();
        const svc = new ZStackService({
            clock,
            timings: { createMs: 20_000, startMs: 5000, destroyMs: 3000, expungeMs: 3000 },
        });
        const demo = svc.seed("demo", {}) as {
            backupGroupUuid: string;
            instanceOfferingUuid: string;
            l3NetworkUuid: string;
        };
        Object.assign(zstack.v1, {
            restoreToken: TOKEN,
            backupGroupUuid: demo.backupGroupUuid,
            name: "matrix-vm",
            instanceOfferingUuid: demo.instanceOfferingUuid,
            l3NetworkUuids: [demo.l3NetworkUuid],
            defaultL3NetworkUuid: demo.l3NetworkUuid,
        });
        Object.assign(zstack.v2, zstack.v1, { timeouts: { create: "3h" } });
        const { server, url } = await serve(clock, svc);
        const provider = new VmFromBackupProvider({
            clock,
            env,
            schedule: SCHEDULE,
            transport: t,
            random: () => 0.5,
            renewMarginMs: 1000,
        });
        await provider.configure(
            cfg({
                "zstack:endpoint": url,
                "zstack:accountName": "admin",
                "zstack:accountPassword": "emulator-password",
            }),
        );
        return {
            server,
            provider,
            // Any VM the cloud still has, destroyed ones in the recycle bin included (they hold storage).
            held: () => svc.allVms().map((v) => String(v.uuid)),
            expected: (s) => (s ? [s.id] : []),
            creations: () => svc.createdVms,
        };
    },
};

const jdcloud: Subject = {
    resource: "jdcloud.rds.RestoredInstance",
    asyncActions: ["createInstanceFromBackup"],
    mutations: ["createInstanceFromBackup", "deleteInstance"],
    creates: ["createInstanceFromBackup"],
    v1: {
        restoreToken: TOKEN,
        regionId: "cn-north-1",
        backupId: "bk-fm-0001",
        engine: "MySQL",
        instanceSpec: {
            instanceClass: "db.mysql.s1.micro",
            instanceStorageGB: 20,
            azId: ["cn-north-1a", "cn-north-1a"],
            vpcId: "vpc-fm000001",
            subnetId: "subnet-fm000001",
            chargeSpec: {},
        },
    },
    v2: {},
    async start(clock, t, env) {
        Object.assign(jdcloud.v2, jdcloud.v1, { timeouts: { create: "3h" } });
        const svc = new JdcloudRdsService({
            clock,
            credentials: { "fm-ak": "fm-secret" },
            timings: { buildMs: 20_000, deleteMs: 5000 },
        });
        svc.seed("backup", { backupId: "bk-fm-0001", engine: "MySQL", instanceId: "mysql-src00001" });
        const { server, url } = await serve(clock, svc);
        const provider = new RdsRestoreProvider({ clock, env, schedule: SCHEDULE, transport: t, random: () => 0.5 });
        await provider.configure(
            cfg({ "jdcloud:endpoint": url, "jdcloud:accessKey": "fm-ak", "jdcloud:secretKey": "fm-secret" }),
        );
        return {
            server,
            provider,
            held: () => svc.live().map((i) => i.instanceId),
            expected: (s) => (s ? [s.id] : []),
            creations: () => (svc.snapshot().instances as unknown[]).length,
        };
    },
};

const huawei: Subject = {
    resource: "huaweicloud.koophone.InstanceBackup",
    asyncActions: ["BatchBackupInstances", "BatchPrepareInstances"],
    mutations: ["BatchBackupInstances", "BatchPrepareInstances"],
    creates: ["BatchBackupInstances"],
    v1: {
        restoreToken: TOKEN,
        instanceIds: ["phfm0001", "phfm0002"],
        userId: "1008600000104285462",
        restoreOnDelete: true,
    },
    v2: {
        restoreToken: TOKEN,
        instanceIds: ["phfm0002", "phfm0003"],
        userId: "1008600000104285462",
        restoreOnDelete: true,
    },
    async start(clock, t, env) {
        const svc = new KooPhoneService({
            clock,
            timings: { backupMs: 10_000, restoreMs: 10_000, tokenTtlMs: 24 * 3_600_000 },
        });
        for (const id of ["phfm0001", "phfm0002", "phfm0003"]) svc.seed("instance", { id });
        const { server, url } = await serve(clock, svc);
        const provider = new KooPhoneProvider({ clock, env, schedule: SCHEDULE, transport: t, random: () => 0.5 });
        await provider.configure(
            cfg({
                "huaweicloud:endpoint": url,
                "huaweicloud:region": "cn-south-1",
                "huaweicloud:accessKey": KOOPHONE_EMULATOR_CREDENTIALS.accessKey,
                "huaweicloud:secretKey": KOOPHONE_EMULATOR_CREDENTIALS.secretKey,
            }),
        );
        const phones = () =>
            svc.snapshot().instances as { instance_id: string; phase: string; backups: number; restores: number }[];
        return {
            server,
            provider,
            // A phone the resource parks is off its hardware (backing up or backed up); any other phase is a leftover.
            held: () =>
                phones()
                    .filter((p) => p.phase !== "running")
                    .map((p) => p.instance_id),
            expected: (s) => ((s?.outputs.instanceIds as string[] | undefined) ?? []).slice(),
            creations: () => phones().reduce((n, p) => n + p.backups + p.restores, 0),
        };
    },
};

const SUBJECTS = [starrocks, tencent, zstack, jdcloud, huawei];

/**
 * A row target: the first call of `action` in `step` after `phase` mutating calls of that step (phase 0: before any;
 * a read after a mutating call is the wait path of that call). `after` names the mutating call that opened the phase.
 */
interface Target {
    step: Step;
    action: string;
    phase: number;
    after?: string;
}

const sameSet = (a: string[], b: string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

/** Runs one lifecycle; with a target and a fault, injects the fault at that call. */
async function lifecycle(
    s: Subject,
    target?: Target,
    kind?: FaultKind,
): Promise<{ rows: Target[]; creations: number; delivered: boolean }> {
    const clock = new QuiescentClock();
    const t = transport(kind === "slow" ? SHORT_TIMEOUT_MS : NORMAL_TIMEOUT_MS);
    // Each run its own state directory (journals, claims): the token is the same in every run.
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "fault-matrix-"));
    const w = await s.start(clock, t, { PULUMI_RESTORE_STATE_DIR: stateDir });
    const driver = new EngineDriver(w.provider);
    let step: Step = "create";
    let mutated = 0;
    let lastMutation: string | undefined;
    let armed = target !== undefined && kind !== undefined;
    let delivered = false;
    const seen: Target[] = [];
    w.server.onRequest = (action) => {
        const phase = mutated;
        if (!seen.some((t) => t.step === step && t.action === action && t.phase === phase))
            seen.push({ step, action, phase, after: lastMutation });
        if (armed && target && target.step === step && target.action === action && target.phase === phase) {
            armed = false;
            delivered = true;
            w.server.inject({
                action,
                kind: kind as FaultKind,
                times: 1,
                delayMs: kind === "late" ? LATE_MS : SLOW_MS,
            });
        }
        if (s.mutations.includes(action)) {
            mutated++;
            lastMutation = action;
        }
    };
    // The API actions this cloud served: an error that names one of them says which call failed.
    const names = () => [...new Set(w.server.log.map((l) => l.action)), s.resource];
    const consistent = (when: string, staleAllowed = false) => {
        const held = w.held();
        const expected = w.expected(driver.state, driver.retired);
        if (staleAllowed) {
            // A failed delete leaves the whole resource in state (the engine has no partial delete): parts already
            // released may still be listed, but nothing may be held that the state does not list (no orphan).
            const orphans = held.filter((h) => !expected.includes(h));
            assert.deepEqual(
                orphans,
                [],
                `${when}: the cloud holds [${orphans.join(", ")}], which the state does not list (orphans)`,
            );
            return;
        }
        assert.ok(
            sameSet(held, expected),
            `${when}: the cloud holds [${held.join(", ")}] but the state says [${expected.join(", ")}]`,
        );
    };
    const run = async (st: Step): Promise<unknown> => {
        step = st;
        mutated = 0;
        lastMutation = undefined;
        try {
            if (st === "create") await driver.up(s.v1);
            else if (st === "read") await driver.refresh();
            else if (st === "update") await driver.up(s.v2);
            else await driver.destroy();
            return undefined;
        } catch (e) {
            return e ?? new Error("undefined thrown");
        }
    };
    try {
        for (const st of STEPS) {
            const err = await run(st);
            if (err !== undefined) {
                if (!target || target.step !== st)
                    throw new Error(
                        `${STEP_TITLE[st]} failed without a fault: ${(err as Error).message ?? String(err)}`,
                    );
                const why = unclear(err, names());
                if (why) throw new Error(`unclear error: ${why}`);
            }
            consistent(`after ${STEP_TITLE[st]}${err ? " (failed)" : ""}`, err !== undefined && st === "delete");
            if (err !== undefined) {
                if (kind === "late") {
                    // Not repeated, and said so: the cloud may still carry it out. The user waits as told, then runs again.
                    if (!/late/.test((err as Error).message))
                        throw new Error(
                            `the error after a late create does not say it may still happen: ${(err as Error).message}`,
                        );
                    await clock.sleep(LATE_MS);
                }
                // The following run converges.
                const again = await run(st);
                if (again !== undefined)
                    throw new Error(
                        `the following ${STEP_TITLE[st]} did not converge: ${(again as Error).message ?? String(again)}`,
                    );
                consistent(`after the following ${STEP_TITLE[st]}`);
            }
            if (st === "create" || st === "update") {
                step = st;
                const kindOfUp = await driver.up(st === "create" ? s.v1 : s.v2);
                if (kindOfUp !== "same")
                    throw new Error(`another up after ${STEP_TITLE[st]} was not a no-op (it did ${kindOfUp})`);
            }
        }
        if (driver.state) throw new Error("destroy left the resource in state");
        consistent("at the end");
        if (kind === "late") {
            // Whatever the cloud still had queued is carried out now: it must not leave anything behind.
            await clock.sleep(LATE_MS);
            await w.server.runDue();
            if (w.server.lateCount > 0) throw new Error("the late create was never carried out");
            consistent("at the end, after every late create was carried out");
        }
        // The client really met the fault: a time-out for a slow answer, a network error for a dropped connection.
        if (kind === "slow" && !t.seen.Timeout) throw new Error("the slow answer did not exceed the client time-out");
        if ((kind === "dropBefore" || kind === "dropAfter" || kind === "late") && !t.seen.NetworkError)
            throw new Error("the dropped connection was not seen by the client");
        if (!kind && Object.keys(t.seen).length > 0)
            throw new Error(`the fault-free run saw network failures: ${JSON.stringify(t.seen)}`);
        return { rows: seen, creations: w.creations(), delivered };
    } finally {
        w.server.onRequest = undefined;
        await w.server.stop();
        fs.rmSync(stateDir, { recursive: true, force: true });
    }
}

/** The rows of a subject, from its fault-free run, in call order; steps without calls get a row of their own. */
function rowsOf(s: Subject, seen: Target[]): { label: string; target?: Target; silent?: string }[] {
    const out: { label: string; target?: Target; silent?: string }[] = [];
    for (const st of STEPS) {
        const calls = seen.filter((t) => t.step === st);
        if (calls.length === 0) {
            out.push({
                label: `${STEP_TITLE[st]}: (no call)`,
                silent: s.silent?.[st] ?? "this step makes no API call",
            });
            continue;
        }
        for (const t of calls) {
            const waitPath = t.phase > 0 && !s.mutations.includes(t.action);
            const firstCall = seen.find((x) => x.step === st && x.action === t.action) === t;
            const tag = waitPath ? ` (wait after ${t.after})` : !firstCall ? " (again)" : "";
            out.push({ label: `${STEP_TITLE[st]}: ${t.action}${tag}`, target: t });
        }
    }
    return out;
}

describe("fault matrix: every API call × every fault kind (emulator, in-process)", function () {
    this.timeout(900_000);
    const rows: Row[] = [];
    let prevSink: ReturnType<typeof setProgressSink>;
    before(() => {
        prevSink = setProgressSink(() => undefined);
    });
    after(() => {
        setProgressSink(prevSink);
        if (rows.length > 0) console.log(`\n${formatMatrix(rows)}\n`);
    });

    for (const s of SUBJECTS) {
        it(`${s.resource}: every cell passes or is n/a with a reason`, async () => {
            const clean = await lifecycle(s);
            const mine: Row[] = [];
            for (const r of rowsOf(s, clean.rows)) {
                const cells: Cell[] = [];
                for (const f of FAULTS) {
                    if (r.silent) {
                        cells.push({ result: "n/a", why: r.silent });
                        continue;
                    }
                    const t = r.target as Target;
                    if (f.kind === "failTask" && !s.asyncActions.includes(t.action)) {
                        cells.push({
                            result: "n/a",
                            why: "synchronous call: it starts no async task or job that could fail",
                        });
                        continue;
                    }
                    if (CREATE_ONLY.includes(f.kind) && !s.creates.includes(t.action)) {
                        cells.push({
                            result: "n/a",
                            why: "late-create and 200+error apply to calls that create something (the non-idempotent ones)",
                        });
                        continue;
                    }
                    const began = Date.now();
                    try {
                        const got = await lifecycle(s, t, f.kind);
                        if (process.env.FAULT_MATRIX_VERBOSE)
                            console.log(`  ${s.resource} ${r.label} × ${f.title}: ${Date.now() - began} ms`);
                        if (!got.delivered)
                            throw new Error("the fault was never delivered: the call did not happen in this run");
                        const limit = f.kind === "failTask" ? 2 * clean.creations : clean.creations;
                        if (got.creations > limit || (f.kind !== "failTask" && got.creations !== clean.creations)) {
                            throw new Error(
                                `${got.creations} cloud resources/restores were made, the fault-free run made ${clean.creations} (duplicate)`,
                            );
                        }
                        cells.push({ result: "pass" });
                    } catch (e) {
                        cells.push({ result: "fail", why: e instanceof Error ? e.message : String(e) });
                    }
                }
                mine.push({ resource: s.resource, label: r.label, cells });
            }
            rows.push(...mine);
            const failed = mine
                .flatMap((r) => r.cells.map((c, i) => ({ c, i, r })))
                .filter((x) => x.c.result === "fail");
            assert.equal(
                failed.length,
                0,
                failed.map((x) => `${x.r.label} × ${FAULTS[x.i].title}: ${(x.c as { why: string }).why}`).join("\n"),
            );
        });
    }
});
