import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type * as pulumi from "@pulumi/pulumi";
import { StarRocksService } from "../../emulator/alicloud/starrocks";
import { EmulatorServer } from "../../emulator/core/server";
import { KOOPHONE_EMULATOR_CREDENTIALS, KooPhoneService } from "../../emulator/huaweicloud/koophone";
import { JdcloudRdsService } from "../../emulator/jdcloud/rds";
import { TencentRedisService } from "../../emulator/tencentcloud/redis";
import { ZStackService } from "../../emulator/zstack/zstack";
import { StarRocksProvider } from "../../provider/alicloud/starrocksProvider";
import { Clock } from "../../provider/core/clock";
import { CloudError, PartialStateError } from "../../provider/core/errors";
import { AxiosTransport, HttpRequest, HttpResponse, Transport } from "../../provider/core/http";
import { setProgressSink } from "../../provider/core/progress";
import { KooPhoneProvider } from "../../provider/huaweicloud/koophoneProvider";
import { RdsRestoreProvider } from "../../provider/jdcloud/rdsProvider";
import { checkRdsRestore } from "../../provider/jdcloud/rdsInputs";
import { RedisRestoreProvider } from "../../provider/tencentcloud/redisProvider";
import { clearSessions } from "../../provider/zstack/session";
import { VmFromBackupProvider } from "../../provider/zstack/vmProvider";
import { VirtualClock } from "../../harness/clock";
import { providerEnv } from "../support/env";
import { perCloud } from "../support/clouds";

/*
 * Protocol faults, the same for every cloud: a tampered signature, a clock outside the cloud's window, an expired
 * token or session, revoked credentials. For each, the user sees the cloud's own code and what to do (never a secret);
 * tokens and sessions are renewed where the protocol allows it; and the non-idempotent create call is never repeated
 * blindly: the emulator's request log counts it.
 */

const FAST = { minIntervalMs: 1000, maxIntervalMs: 5000, fraction: 0.05 };
const MIN = 60_000;

/** A clock that reads another one with an offset (a machine whose clock is off; a server whose clock jumped). */
class ShiftedClock implements Clock {
    constructor(
        private readonly base: Clock,
        public offsetMs = 0,
    ) {}
    now(): number {
        return this.base.now() + this.offsetMs;
    }
    sleep(ms: number): Promise<void> {
        return this.base.sleep(ms);
    }
}

/** Changes the last character of a signature (before any base64 padding): one flipped character. */
export function flipLastChar(s: string): string {
    let i = s.length - 1;
    while (i > 0 && s[i] === "=") i--;
    const c = s[i];
    return s.slice(0, i) + (c === "0" ? "1" : "0") + s.slice(i + 1);
}

/** A transport that flips one character of the Authorization header of the requests `when` selects. */
class TamperingTransport implements Transport {
    tampered = 0;
    private readonly inner = new AxiosTransport();
    constructor(private readonly when: (r: HttpRequest) => boolean) {}
    send(req: HttpRequest, timeoutMs: number): Promise<HttpResponse> {
        const key = Object.keys(req.headers).find((k) => k.toLowerCase() === "authorization");
        if (key && this.when(req)) {
            this.tampered++;
            req = { ...req, headers: { ...req.headers, [key]: flipLastChar(req.headers[key]) } };
        }
        return this.inner.send(req, timeoutMs);
    }
}

/** Any of the providers (each typed over its own inputs and outputs), given what its own methods returned. */
type Provider = {
    check(olds: object, news: object): Promise<pulumi.dynamic.CheckResult>;
    create(inputs: object): Promise<pulumi.dynamic.CreateResult>;
    read(id: string, props: object): Promise<pulumi.dynamic.ReadResult>;
    update(id: string, olds: object, news: object): Promise<pulumi.dynamic.UpdateResult>;
    delete(id: string, props: object): Promise<void>;
};

interface ProviderOptions {
    clock?: Clock;
    transport?: Transport;
    config?: Record<string, string>;
}

/** One cloud's emulator and provider, wired to one virtual clock. */
interface Env {
    clock: VirtualClock;
    /** The emulator's clock: the virtual clock, shifted when a test makes the server's clock jump. */
    emuClock: ShiftedClock;
    server: EmulatorServer;
    provider(o?: ProviderOptions): Provider;
    /** Raw inputs (run through the provider's check). */
    news: Record<string, unknown>;
    /** The emulator forgets the credentials the provider signs with; returns a function that gives them back. */
    revoke(): () => void;
    /** How many resources the restores made (instances, tasks, VMs, parked phones). */
    made(): number;
    /** Secrets that must never appear in a message. */
    secrets: string[];
    stop(): Promise<void>;
}

interface Case {
    cloud: string;
    /** The non-idempotent create action, as the emulator logs it. */
    create: string;
    isCreate(r: HttpRequest): boolean;
    /** The signature time window the cloud documents (the emulator enforces it). */
    windowMs: number;
    codes: { tamper: string; skew: string; revoked: string };
    /** What the message must tell the user to do. */
    todo: { tamper: RegExp; skew: RegExp; revoked: RegExp };
    /** The vendor's own message, passed through: it tells faults with one shared code apart. */
    vendor: { tamper: RegExp; skew: RegExp; revoked: RegExp };
    /** Does delete call the cloud (Tencent's restore has nothing to undo)? */
    deleteCallsCloud: boolean;
    setup(): Promise<Env>;
}

async function started(
    service: ConstructorParameters<typeof EmulatorServer>[0],
): Promise<{ server: EmulatorServer; url: string }> {
    const server = new EmulatorServer(service);
    const url = await server.start();
    return { server, url };
}

// --- the five clouds ------------------------------------------------------------------------------------------

const alicloudNews = {
    restoreToken: "prt-a1a1a1a1a1a1a1a1a1a1",
    backupTaskId: "bk-pf000001",
    instanceName: "pf-analytics",
    adminPassword: "Adm1n-Passw0rd!",
};
const ALI = { ak: "pf-alicloud-access-key", sk: "pf-alicloud-secret-key-0001" };
const alicloud: Case = {
    cloud: "alicloud",
    create: "RestoreInstance",
    isCreate: (r) => r.url.includes("/webapi/restore/restoreInstance"),
    windowMs: 15 * MIN,
    codes: {
        tamper: "SignatureDoesNotMatch",
        skew: "InvalidTimeStamp.Expired",
        revoked: "InvalidAccessKeyId.NotFound",
    },
    todo: { tamper: /alicloud:secretKey/, skew: /clock/, revoked: /alicloud:accessKey/ },
    vendor: {
        tamper: /signature does not match/,
        skew: /time stamp or date value is expired/,
        revoked: /access key is not found/,
    },
    deleteCallsCloud: true,
    async setup() {
        const clock = new VirtualClock();
        const emuClock = new ShiftedClock(clock);
        const creds: Record<string, string> = { [ALI.ak]: ALI.sk };
        const svc = new StarRocksService({
            clock: emuClock,
            credentials: creds,
            timings: { restoreMs: 20_000, releaseMs: 5000 },
        });
        svc.seed("backup", { BackupTaskId: "bk-pf000001", RegionId: "cn-hangzhou" });
        const { server, url } = await started(svc);
        return {
            clock,
            emuClock,
            server,
            provider: (o = {}) =>
                new StarRocksProvider(
                    {
                        clock: o.clock ?? clock,
                        transport: o.transport,
                        env: {},
                        schedule: FAST,
                        settleMs: 6000,
                        random: () => 0.5,
                    },
                    {
                        "alicloud:endpoint": url,
                        "alicloud:region": "cn-hangzhou",
                        "alicloud:accessKey": ALI.ak,
                        "alicloud:secretKey": ALI.sk,
                        ...o.config,
                    },
                ),
            news: alicloudNews,
            revoke: () => (delete creds[ALI.ak], () => void (creds[ALI.ak] = ALI.sk)),
            made: () => svc.live().length,
            secrets: [ALI.sk, "Adm1n-Passw0rd!"],
            stop: () => server.stop(),
        };
    },
};

const TC = { id: "AKIDpfprotocol00000001", key: "pf-tencent-secret-key-0001", token: "pf-sts-token-0001" };
const tencentcloud: Case = {
    cloud: "tencentcloud",
    create: "RestoreInstance",
    isCreate: (r) => r.headers["X-TC-Action"] === "RestoreInstance",
    windowMs: 5 * MIN,
    codes: {
        tamper: "AuthFailure.SignatureFailure",
        skew: "AuthFailure.SignatureExpire",
        revoked: "AuthFailure.SecretIdNotFound",
    },
    todo: { tamper: /tencentcloud:secretKey/, skew: /clock/, revoked: /tencentcloud:secretId/ },
    vendor: { tamper: /check your signature/, skew: /Signature expired/, revoked: /SecretId is not found/ },
    deleteCallsCloud: false,
    async setup() {
        const clock = new VirtualClock();
        const emuClock = new ShiftedClock(clock);
        const creds: Record<string, string> = { [TC.id]: TC.key };
        const svc = new TencentRedisService({
            clock: emuClock,
            credentials: creds,
            timings: { prepareMs: 2000, runMs: 8000 },
        });
        svc.seed("instance", { InstanceId: "crs-pf000001", Password: "pa55-Word" });
        svc.seed("backup", { InstanceId: "crs-pf000001", BackupId: "pf-backup-0001" });
        const { server, url } = await started(svc);
        return {
            clock,
            emuClock,
            server,
            provider: (o = {}) =>
                new RedisRestoreProvider(
                    {
                        clock: o.clock ?? clock,
                        transport: o.transport,
                        env: providerEnv(),
                        schedule: FAST,
                        settleMs: 6000,
                        random: () => 0.5,
                    },
                    {
                        "tencentcloud:endpoint": url,
                        "tencentcloud:secretId": TC.id,
                        "tencentcloud:secretKey": TC.key,
                        ...o.config,
                    },
                ),
            news: {
                restoreToken: "prt-b2b2b2b2b2b2b2b2b2b2",
                instanceId: "crs-pf000001",
                backupId: "pf-backup-0001",
                password: "pa55-Word",
            },
            revoke: () => (delete creds[TC.id], () => void (creds[TC.id] = TC.key)),
            made: () => svc.restoreTasks().length,
            secrets: [TC.key, "pa55-Word", TC.token],
            stop: () => server.stop(),
        };
    },
};

const ZS = {
    akId: "pf-zstack-access-key-id",
    akSecret: "pf-zstack-access-key-secret-01",
    account: "admin",
    password: "pf-zstack-password-01",
};
/** ZStack with AccessKey signing (the signed protocol); the session tests below use the account login. */
const zstack: Case = {
    cloud: "zstack",
    create: "CreateVmFromVmBackup",
    isCreate: (r) => r.method === "POST" && r.url.includes("/vm-instances/from/vm-backups/"),
    windowMs: 15 * MIN,
    codes: { tamper: "ID.1001", skew: "ID.1001", revoked: "ID.1001" },
    todo: { tamper: /zstack:accessKeySecret/, skew: /clock/, revoked: /zstack:accessKeyId/ },
    vendor: {
        tamper: /AccessKey signature does not match/,
        skew: /more than 15 minutes off/,
        revoked: /AccessKey \S+ does not exist/,
    },
    deleteCallsCloud: true,
    async setup() {
        clearSessions();
        const clock = new VirtualClock();
        const emuClock = new ShiftedClock(clock);
        const aks: Record<string, string> = { [ZS.akId]: ZS.akSecret };
        const svc = new ZStackService({
            clock: emuClock,
            timings: { createMs: 20_000, startMs: 5000, destroyMs: 3000, expungeMs: 3000 },
            accounts: { [ZS.account]: ZS.password },
            accessKeys: aks,
            advertisedBase: "http://127.0.0.9:1/zstack",
        });
        const demo = svc.seed("demo", {}) as {
            backupGroupUuid: string;
            instanceOfferingUuid: string;
            l3NetworkUuid: string;
        };
        const { server, url } = await started(svc);
        zstackServices.set(server, svc);
        return {
            clock,
            emuClock,
            server,
            provider: (o = {}) =>
                new VmFromBackupProvider(
                    {
                        clock: o.clock ?? clock,
                        transport: o.transport,
                        env: {},
                        random: () => 0.5,
                        renewMarginMs: 1000,
                    },
                    {
                        "zstack:endpoint": url,
                        "zstack:accessKeyId": ZS.akId,
                        "zstack:accessKeySecret": ZS.akSecret,
                        ...o.config,
                    },
                ),
            news: zstackNews(demo),
            revoke: () => (svc.revokeAccessKey(ZS.akId), () => void (aks[ZS.akId] = ZS.akSecret)),
            made: () => svc.liveVms().length,
            secrets: [ZS.akSecret, ZS.password],
            stop: () => server.stop(),
        };
    },
};
const zstackServices = new Map<EmulatorServer, ZStackService>();
function zstackNews(demo: {
    backupGroupUuid: string;
    instanceOfferingUuid: string;
    l3NetworkUuid: string;
}): Record<string, unknown> {
    return {
        restoreToken: "prt-c3c3c3c3c3c3c3c3c3c3",
        backupGroupUuid: demo.backupGroupUuid,
        name: "pf-web",
        instanceOfferingUuid: demo.instanceOfferingUuid,
        l3NetworkUuids: [demo.l3NetworkUuid],
        defaultL3NetworkUuid: demo.l3NetworkUuid,
    };
}

const JD = { ak: "pf-jdcloud-access-key", sk: "pf-jdcloud-secret-key-0001" };
const jdcloud: Case = {
    cloud: "jdcloud",
    create: "createInstanceFromBackup",
    isCreate: (r) => r.url.includes(":createInstanceFromBackup"),
    windowMs: 5 * MIN,
    codes: { tamper: "UNAUTHENTICATED", skew: "UNAUTHENTICATED", revoked: "UNAUTHENTICATED" },
    todo: { tamper: /jdcloud:secretKey/, skew: /clock/, revoked: /jdcloud:accessKey/ },
    vendor: { tamper: /signature does not match/, skew: /request has expired/, revoked: /access key does not exist/ },
    deleteCallsCloud: true,
    async setup() {
        const clock = new VirtualClock();
        const emuClock = new ShiftedClock(clock);
        const creds: Record<string, string> = { [JD.ak]: JD.sk };
        const svc = new JdcloudRdsService({
            clock: emuClock,
            credentials: creds,
            timings: { buildMs: 20_000, deleteMs: 5000 },
        });
        svc.seed("backup", { backupId: "bk-pf-mysql-01", engine: "MySQL", instanceId: "mysql-pfsrc0001" });
        const { server, url } = await started(svc);
        const { inputs, failures } = checkRdsRestore({
            restoreToken: "prt-d4d4d4d4d4d4d4d4d4d4",
            regionId: "cn-north-1",
            backupId: "bk-pf-mysql-01",
            engine: "MySQL",
            instanceSpec: {
                instanceClass: "db.mysql.s1.micro",
                instanceStorageGB: 20,
                azId: ["cn-north-1a", "cn-north-1a"],
                vpcId: "vpc-pf000001",
                subnetId: "subnet-pf000001",
                chargeSpec: {},
            },
        });
        assert.deepEqual(failures, []);
        return {
            clock,
            emuClock,
            server,
            provider: (o = {}) =>
                new RdsRestoreProvider(
                    {
                        clock: o.clock ?? clock,
                        transport: o.transport,
                        env: {},
                        schedule: FAST,
                        settleMs: 6000,
                        random: () => 0.5,
                    },
                    { "jdcloud:endpoint": url, "jdcloud:accessKey": JD.ak, "jdcloud:secretKey": JD.sk, ...o.config },
                ),
            news: inputs as unknown as Record<string, unknown>,
            revoke: () => (delete creds[JD.ak], () => void (creds[JD.ak] = JD.sk)),
            made: () => svc.live().length,
            secrets: [JD.sk],
            stop: () => server.stop(),
        };
    },
};

const HW = {
    ak: "PFPROTOCOLACCESSKEY01",
    sk: "pf-huawei-secret-key-0001",
    user: { ...KOOPHONE_EMULATOR_CREDENTIALS.user, password: "pf-huawei-password-01" },
};
const PHONES = ["pf01", "pf02"];
/** Huawei with AK/SK signing; the token tests below use the IAM password method. */
const huaweicloud: Case = {
    cloud: "huaweicloud",
    create: "BatchBackupInstances",
    isCreate: (r) => r.method === "POST" && r.url.includes("/v1/instances/backup"),
    windowMs: 15 * MIN,
    codes: { tamper: "APIGW.0301", skew: "APIGW.0301", revoked: "APIGW.0301" },
    todo: { tamper: /huaweicloud:secretKey/, skew: /clock/, revoked: /huaweicloud:accessKey/ },
    vendor: { tamper: /verify aksk signature fail/, skew: /request has expired/, revoked: /access key does not exist/ },
    deleteCallsCloud: true,
    async setup() {
        const clock = new VirtualClock();
        const emuClock = new ShiftedClock(clock);
        const users = [{ ...HW.user }];
        const accessKeys: Record<string, { secretKey: string; domain: string }> = {
            [HW.ak]: { secretKey: HW.sk, domain: HW.user.domain },
        };
        const svc = new KooPhoneService({
            clock: emuClock,
            users,
            accessKeys,
            timings: { backupMs: 60_000, restoreMs: 90_000, tokenTtlMs: 24 * 3_600_000 },
        });
        for (const id of PHONES) svc.seed("instance", { id });
        const { server, url } = await started(svc);
        huaweiServices.set(server, { svc, users });
        // This world's own directory for the provider's records of its backups (not the user's home).
        const stateEnv = { PULUMI_RESTORE_STATE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "pf-koophone-")) };
        return {
            clock,
            emuClock,
            server,
            provider: (o = {}) =>
                new KooPhoneProvider(
                    {
                        clock: o.clock ?? clock,
                        transport: o.transport,
                        env: stateEnv,
                        settleMs: 20_000,
                        random: () => 0.5,
                        schedule: { minIntervalMs: 5000, maxIntervalMs: 30_000, fraction: 0.1 },
                    },
                    {
                        "huaweicloud:endpoint": url,
                        "huaweicloud:region": "cn-south-1",
                        "huaweicloud:accessKey": HW.ak,
                        "huaweicloud:secretKey": HW.sk,
                        ...o.config,
                    },
                ),
            news: {
                restoreToken: "prt-e5e5e5e5e5e5e5e5e5e5",
                instanceIds: PHONES,
                userId: "1008600000104285462",
                restoreOnDelete: true,
            },
            revoke: () => (
                delete accessKeys[HW.ak],
                () => void (accessKeys[HW.ak] = { secretKey: HW.sk, domain: HW.user.domain })
            ),
            made: () => PHONES.filter((id) => svc.phaseOf(id) !== "running").length,
            secrets: [HW.sk, HW.user.password],
            stop: () => server.stop(),
        };
    },
};
const huaweiServices = new Map<
    EmulatorServer,
    { svc: KooPhoneService; users: { domain: string; name: string; password: string }[] }
>();

/** One case per cloud of the registry (clouds.ts): a cloud missing here fails to compile. */
const CASES = perCloud({ alicloud, tencentcloud, zstack, jdcloud, huaweicloud });

// --- the figures --------------------------------------------------------------------------------------------------

interface Row {
    cloud: string;
    fault: string;
    code: string;
    renewed: string;
    creates: number;
    requests: number;
}
const rows: Row[] = [];

function printTable(): void {
    if (rows.length === 0) return;
    const head: Row = {
        cloud: "cloud",
        fault: "fault",
        code: "code shown",
        renewed: "renewed?",
        creates: -1,
        requests: -1,
    };
    const cells = (r: Row) => [
        r.cloud,
        r.fault,
        r.code,
        r.renewed,
        r === head ? "create calls" : String(r.creates),
        r === head ? "requests" : String(r.requests),
    ];
    const all = [head, ...rows].map(cells);
    const w = all[0].map((_, i) => Math.max(...all.map((c) => c[i].length)));
    const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(w[i])).join(" | ")} |`;
    console.log(
        ["", line(all[0]), `|${w.map((n) => "-".repeat(n + 2)).join("|")}|`, ...all.slice(1).map(line)].join("\n"),
    );
}

// --- helpers ----------------------------------------------------------------------------------------------------

async function failure(p: Promise<unknown>): Promise<Error> {
    try {
        await p;
    } catch (e) {
        assert.ok(e instanceof Error, `a thrown Error, got ${String(e)}`);
        return e;
    }
    assert.fail("expected the call to fail");
}

/** The cloud's code, in the message the user sees (a CloudError, or the provider's sentence around one). */
function codeIn(e: Error, code: string): void {
    // PF_SHOW=1 prints every message the suite provokes, to read them as a user would.
    if (process.env.PF_SHOW) console.log(`    > ${e.message}`);
    if (e instanceof CloudError) assert.equal(e.code, code);
    assert.ok(e.message.includes(code), `expected ${code} in: ${e.message}`);
    assert.doesNotMatch(e.message, /\.\.(\s|$)/, `a doubled full stop in: ${e.message}`);
}

/** A refused call started nothing: the message must not say that anything is under way. */
function nothingUnderWay(e: Error): void {
    assert.doesNotMatch(e.message, /in progress/, e.message);
}

function noSecrets(e: Error, env: Env): void {
    for (const s of env.secrets) assert.ok(!e.message.includes(s), `a secret leaked into: ${e.message}`);
}

async function prepared(env: Env, p: Provider): Promise<Record<string, unknown>> {
    const r = await p.check({}, env.news);
    assert.deepEqual(r.failures ?? [], []);
    return r.inputs;
}

// --- the suite ----------------------------------------------------------------------------------------------------

describe("protocol faults: tampered signatures, clock skew, expired tokens and sessions, revoked credentials", function () {
    this.timeout(60_000);
    let env: Env | undefined;
    let lines: string[] = [];
    beforeEach(() => {
        lines = [];
        setProgressSink((l) => lines.push(l));
    });
    afterEach(async () => {
        setProgressSink(undefined);
        await env?.stop();
        env = undefined;
    });
    after(printTable);

    for (const c of CASES) {
        describe(c.cloud, () => {
            it(`a tampered signature: ${c.codes.tamper} with what to do; nothing is created or retried`, async () => {
                const e0 = (env = await c.setup());
                const t = new TamperingTransport(() => true);
                const p = e0.provider({ transport: t });
                const e = await failure(p.create(await prepared(e0, p)));
                codeIn(e, c.codes.tamper);
                nothingUnderWay(e);
                assert.match(e.message, c.todo.tamper);
                assert.match(e.message, c.vendor.tamper);
                noSecrets(e, e0);
                assert.equal(e0.server.count(c.create), 0, "the create call is never reached with a bad signature");
                assert.equal(e0.server.count(), t.tampered, "every request was the one tampered one: no retry");
                assert.equal(e0.server.count(), 1, "the first refusal ends the create");
                assert.equal(e0.made(), 0);
                rows.push({
                    cloud: c.cloud,
                    fault: "tampered signature (every call)",
                    code: c.codes.tamper,
                    renewed: "no",
                    creates: e0.server.count(c.create),
                    requests: e0.server.count(),
                });
            });

            it(`a tampered signature on the ${c.create} call itself: refused once, never sent again`, async () => {
                const e0 = (env = await c.setup());
                const t = new TamperingTransport(c.isCreate);
                const p = e0.provider({ transport: t });
                const e = await failure(p.create(await prepared(e0, p)));
                codeIn(e, c.codes.tamper);
                nothingUnderWay(e);
                assert.match(e.message, c.todo.tamper);
                assert.match(e.message, c.vendor.tamper);
                noSecrets(e, e0);
                assert.equal(t.tampered, 1);
                assert.equal(e0.server.count(c.create), 1, `${c.create} was sent exactly once`);
                assert.equal(e0.made(), 0);
                rows.push({
                    cloud: c.cloud,
                    fault: `tampered signature (${c.create} only)`,
                    code: c.codes.tamper,
                    renewed: "no",
                    creates: e0.server.count(c.create),
                    requests: e0.server.count(),
                });
            });

            it(`a clock ${c.windowMs / MIN + 1} min behind (window ${c.windowMs / MIN} min): ${c.codes.skew}, "check the clock"`, async () => {
                const e0 = (env = await c.setup());
                const p = e0.provider({ clock: new ShiftedClock(e0.clock, -(c.windowMs + MIN)) });
                const e = await failure(p.create(await prepared(e0, p)));
                codeIn(e, c.codes.skew);
                nothingUnderWay(e);
                assert.match(e.message, c.todo.skew);
                assert.match(e.message, c.vendor.skew);
                noSecrets(e, e0);
                assert.equal(e0.server.count(c.create), 0);
                assert.equal(
                    e0.server.count(),
                    1,
                    "a skewed clock is not retried: every retry would be refused the same way",
                );
                rows.push({
                    cloud: c.cloud,
                    fault: `clock ${c.windowMs / MIN + 1} min off`,
                    code: c.codes.skew,
                    renewed: "no",
                    creates: 0,
                    requests: e0.server.count(),
                });
            });

            it(`a clock just inside the window (${c.windowMs / MIN} min - 30 s) is accepted`, async () => {
                const e0 = (env = await c.setup());
                const p = e0.provider({ clock: new ShiftedClock(e0.clock, -(c.windowMs - 30_000)) });
                const r = await p.create(await prepared(e0, p));
                assert.ok(r.id);
                assert.equal(e0.server.count(c.create), 1);
            });

            it(`the server's clock jumps ${c.windowMs / MIN + 1} min at the ${c.create} call: refused once, not repeated`, async () => {
                const e0 = (env = await c.setup());
                e0.server.onRequest = (action) => {
                    if (action === c.create) e0.emuClock.offsetMs = c.windowMs + MIN;
                };
                const p = e0.provider();
                const e = await failure(p.create(await prepared(e0, p)));
                codeIn(e, c.codes.skew);
                nothingUnderWay(e);
                assert.match(e.message, c.todo.skew);
                assert.match(e.message, c.vendor.skew);
                assert.equal(e0.server.count(c.create), 1);
                assert.equal(e0.made(), 0);
                rows.push({
                    cloud: c.cloud,
                    fault: `server clock jumps at ${c.create}`,
                    code: c.codes.skew,
                    renewed: "no",
                    creates: e0.server.count(c.create),
                    requests: e0.server.count(),
                });
            });

            it(`revoked credentials: ${c.codes.revoked} on create with what to do, no loop`, async () => {
                const e0 = (env = await c.setup());
                e0.revoke();
                const p = e0.provider();
                const e = await failure(p.create(await prepared(e0, p)));
                codeIn(e, c.codes.revoked);
                nothingUnderWay(e);
                assert.match(e.message, c.todo.revoked);
                assert.match(e.message, c.vendor.revoked);
                noSecrets(e, e0);
                assert.equal(e0.server.count(c.create), 0);
                assert.equal(e0.server.count(), 1, "one refused request, then the error");
                rows.push({
                    cloud: c.cloud,
                    fault: "revoked key (before up)",
                    code: c.codes.revoked,
                    renewed: "no",
                    creates: 0,
                    requests: e0.server.count(),
                });
            });

            it(`credentials revoked while waiting after ${c.create}: the error names the code, the next up continues, ${c.create} is not called again`, async () => {
                const e0 = (env = await c.setup());
                let giveBack: (() => void) | undefined;
                let sent = false;
                e0.server.onRequest = (action) => {
                    // Revoked right after the create was accepted: at the first request that follows it.
                    if (sent && !giveBack) giveBack = e0.revoke();
                    if (action === c.create) sent = true;
                };
                const p = e0.provider();
                const inputs = await prepared(e0, p);
                const e = await failure(p.create(inputs));
                codeIn(e, c.codes.revoked);
                noSecrets(e, e0);
                assert.ok(giveBack, "the credentials were revoked during the wait");
                assert.equal(e0.server.count(c.create), 1);
                const made = e0.made();
                assert.ok(made > 0, "the restore the create started goes on in the cloud");
                // The key is fixed (re-enabled) and `pulumi up` runs again: an update resumes a recorded resource, a
                // create runs again when nothing was recorded. Either way it follows the first restore.
                e0.server.onRequest = undefined;
                giveBack();
                if (e instanceof PartialStateError) {
                    assert.ok(e.id, "partial state carries the id");
                    await p.update(e.id, e.properties, inputs);
                } else {
                    await p.create(inputs);
                }
                assert.equal(e0.server.count(c.create), 1, `${c.create} was called once in all`);
                assert.equal(e0.made(), made);
                rows.push({
                    cloud: c.cloud,
                    fault: `key revoked after ${c.create}, then fixed`,
                    code: c.codes.revoked,
                    renewed: e instanceof PartialStateError ? "no; partial state, resumed" : "no; next create follows",
                    creates: e0.server.count(c.create),
                    requests: e0.server.count(),
                });
            });

            it("revoked credentials after the restore: refresh and destroy fail clearly; the resource is never taken for gone", async () => {
                const e0 = (env = await c.setup());
                const p = e0.provider();
                const r = await p.create(await prepared(e0, p));
                assert.equal(e0.server.count(c.create), 1);
                const made = e0.made();
                assert.ok(made > 0);
                e0.revoke();
                const before = e0.server.count();
                const re = await failure(p.read(r.id, r.outs ?? {}));
                codeIn(re, c.codes.revoked);
                assert.match(re.message, c.todo.revoked);
                assert.match(re.message, c.vendor.revoked);
                if (c.deleteCallsCloud) {
                    const de = await failure(p.delete(r.id, r.outs ?? {}));
                    codeIn(de, c.codes.revoked);
                }
                assert.equal(e0.made(), made, "the resource is still there, and still in state");
                assert.ok(
                    e0.server.count() - before <= 2,
                    `no loop: ${e0.server.count() - before} requests for refresh + destroy`,
                );
                assert.equal(e0.server.count(c.create), 1);
                rows.push({
                    cloud: c.cloud,
                    fault: "revoked key (refresh, destroy)",
                    code: c.codes.revoked,
                    renewed: "no",
                    creates: e0.server.count(c.create),
                    requests: e0.server.count() - before,
                });
            });
        });
    }

    describe("tokens and sessions", () => {
        it("huaweicloud: an IAM token voided at BatchBackupInstances is renewed once and the backup made once; a second expiry is renewed too", async () => {
            const e0 = (env = await huaweicloud.setup());
            const { svc } = huaweiServices.get(e0.server)!;
            const tokenConfig = {
                "huaweicloud:accessKey": "",
                "huaweicloud:secretKey": "",
                "huaweicloud:authUrl": `${e0.server.url}/v3`,
                "huaweicloud:userName": HW.user.name,
                "huaweicloud:password": HW.user.password,
                "huaweicloud:domainName": HW.user.domain,
            };
            let backedUp = false;
            let voided = 0;
            e0.server.onRequest = (action) => {
                // First expiry: exactly at the non-idempotent call. Second: at the first poll after it.
                if (
                    (action === "BatchBackupInstances" && voided === 0) ||
                    (action === "ListInstances" && backedUp && voided === 1)
                ) {
                    svc.revokeTokens();
                    voided++;
                }
                if (action === "BatchBackupInstances") backedUp = true;
            };
            const p = e0.provider({ config: tokenConfig });
            const r = await p.create(await prepared(e0, p));
            assert.equal(voided, 2);
            const backups = e0.server.log.filter((l) => l.action === "BatchBackupInstances").map((l) => l.status);
            assert.deepEqual(
                backups,
                [401, 200],
                "refused with 401 (nothing done), then sent once more with a new token",
            );
            assert.equal(svc.tokensIssued, 3, "one token, then one per expiry");
            assert.equal(e0.server.log.filter((l) => l.status === 401).length, 2);
            for (const id of PHONES)
                assert.equal(
                    (svc.snapshot().instances as { instance_id: string; backups: number }[]).find(
                        (i) => i.instance_id === id,
                    )?.backups,
                    1,
                    `${id} backed up once`,
                );
            svc.revokeTokens();
            const read = await p.read(r.id, r.outs ?? {});
            assert.equal(read.id, r.id);
            assert.equal(svc.tokensIssued, 4, "a third expiry (on refresh) is renewed as well");
            rows.push({
                cloud: "huaweicloud",
                fault: "IAM token voided x3 (create, poll, refresh)",
                code: "APIGW.0301 (401)",
                renewed: `yes: ${svc.tokensIssued} tokens`,
                creates: backups.length,
                requests: e0.server.count(),
            });
        });

        it("huaweicloud: the IAM user is deleted: the token renewal is refused (401), one attempt, no loop", async () => {
            const e0 = (env = await huaweicloud.setup());
            const { svc, users } = huaweiServices.get(e0.server)!;
            const tokenConfig = {
                "huaweicloud:accessKey": "",
                "huaweicloud:secretKey": "",
                "huaweicloud:authUrl": `${e0.server.url}/v3`,
                "huaweicloud:userName": HW.user.name,
                "huaweicloud:password": HW.user.password,
                "huaweicloud:domainName": HW.user.domain,
            };
            const p = e0.provider({ config: tokenConfig });
            const r = await p.create(await prepared(e0, p));
            users.splice(0, users.length);
            svc.revokeTokens();
            const before = e0.server.count();
            const e = await failure(p.read(r.id, r.outs ?? {}));
            assert.match(e.message, /KeystoneCreateUserTokenByPassword failed: HTTP 401/);
            assert.match(e.message, /check huaweicloud:userName, huaweicloud:password/);
            noSecrets(e, e0);
            assert.equal(
                e0.server.count("KeystoneCreateUserTokenByPassword"),
                2,
                "one token for the create, one refused renewal",
            );
            assert.ok(e0.server.count() - before <= 2, `no loop: ${e0.server.count() - before} requests`);
            const de = await failure(p.delete(r.id, r.outs ?? {}));
            assert.match(de.message, /HTTP 401/);
            assert.equal(e0.server.count("BatchPrepareInstances"), 0);
            assert.equal(e0.made(), PHONES.length, "the phones stay parked: nothing is taken for restored");
            rows.push({
                cloud: "huaweicloud",
                fault: "IAM user deleted (refresh, destroy)",
                code: "IAM 401 Unauthorized",
                renewed: "tried once, refused",
                creates: e0.server.count("BatchBackupInstances"),
                requests: e0.server.count() - before,
            });
        });

        it("zstack: a session ended at CreateVmFromVmBackup (job fails ID.1001) logs in again and submits once more; a second expiry is renewed too", async () => {
            const e0 = (env = await zstack.setup());
            const svc = zstackServices.get(e0.server)!;
            const accountConfig = {
                "zstack:accessKeyId": "",
                "zstack:accessKeySecret": "",
                "zstack:accountName": ZS.account,
                "zstack:accountPassword": ZS.password,
            };
            let created = false;
            let ended = 0;
            e0.server.onRequest = (action) => {
                if (
                    (action === "CreateVmFromVmBackup" && ended === 0) ||
                    (action === "QueryVmInstance" && created && ended === 1)
                ) {
                    svc.expireSessions();
                    ended++;
                }
                if (action === "CreateVmFromVmBackup") created = true;
            };
            const p = e0.provider({ config: accountConfig });
            const r = await p.create(await prepared(e0, p));
            assert.equal(ended, 2);
            assert.equal((r.outs as { state: string }).state, "Running");
            assert.equal(
                e0.server.count("CreateVmFromVmBackup"),
                2,
                "the refused job did nothing; it is submitted once more with a new session",
            );
            assert.equal(svc.liveVms().length, 1, "one VM");
            assert.equal(svc.logins, 3, "one login, then one per ended session");
            svc.expireSessions();
            const read = await p.read(r.id, r.outs ?? {});
            assert.equal(read.id, r.id);
            assert.equal(svc.logins, 4, "a third expiry (on refresh) is renewed as well");
            rows.push({
                cloud: "zstack",
                fault: "session ended x3 (create job, poll, refresh)",
                code: "ID.1001",
                renewed: `yes: ${svc.logins} logins`,
                creates: e0.server.count("CreateVmFromVmBackup"),
                requests: e0.server.count(),
            });
        });

        it("zstack: two VMs created at once when the session ends: one new login serves both, each VM created once", async () => {
            const e0 = (env = await zstack.setup());
            const svc = zstackServices.get(e0.server)!;
            const accountConfig = {
                "zstack:accessKeyId": "",
                "zstack:accessKeySecret": "",
                "zstack:accountName": ZS.account,
                "zstack:accountPassword": ZS.password,
            };
            let ended = false;
            e0.server.onRequest = (action) => {
                if (action === "CreateVmFromVmBackup" && !ended) {
                    svc.expireSessions();
                    ended = true;
                }
            };
            const p1 = e0.provider({ config: accountConfig });
            const p2 = e0.provider({ config: accountConfig });
            const i1 = await prepared(e0, p1);
            const i2 = (await p2.check({}, { ...e0.news, name: "pf-web2", restoreToken: "prt-c3c3c3c3c3c3c3c3c3c5" }))
                .inputs;
            const [r1, r2] = await Promise.all([p1.create(i1), p2.create(i2)]);
            assert.notEqual(r1.id, r2.id);
            assert.equal(svc.liveVms().length, 2);
            assert.equal(svc.logins, 2, "the first login, then one shared by both after the session ended");
            assert.ok(
                e0.server.count("CreateVmFromVmBackup") <= 4,
                `at most one resubmission per VM: ${e0.server.count("CreateVmFromVmBackup")}`,
            );
            assert.equal(
                svc.jobs.size,
                e0.server.count("CreateVmFromVmBackup"),
                "every submission had its own job uuid",
            );
            rows.push({
                cloud: "zstack",
                fault: "session ends, 2 VMs created at once",
                code: "ID.1001",
                renewed: `yes: ${svc.logins} logins`,
                creates: e0.server.count("CreateVmFromVmBackup"),
                requests: e0.server.count(),
            });
        });

        it("huaweicloud: two backups at once when the IAM token is voided: one new token serves both, each phone backed up once", async () => {
            const clock = new VirtualClock();
            const svc = new KooPhoneService({
                clock,
                users: [{ ...HW.user }],
                timings: { backupMs: 60_000, restoreMs: 90_000, tokenTtlMs: 24 * 3_600_000 },
            });
            for (const id of ["pa01", "pa02", "pb01"]) svc.seed("instance", { id });
            const { server, url } = await started(svc);
            env = {
                clock,
                emuClock: new ShiftedClock(clock),
                server,
                provider: () => assert.fail(),
                news: {},
                revoke: () => () => undefined,
                made: () => 0,
                secrets: [HW.user.password],
                stop: () => server.stop(),
            };
            let voided = false;
            server.onRequest = (action) => {
                if (action === "BatchBackupInstances" && !voided) {
                    svc.revokeTokens();
                    voided = true;
                }
            };
            const config = {
                "huaweicloud:endpoint": url,
                "huaweicloud:region": "cn-south-1",
                "huaweicloud:authUrl": `${url}/v3`,
                "huaweicloud:userName": HW.user.name,
                "huaweicloud:password": HW.user.password,
                "huaweicloud:domainName": HW.user.domain,
            };
            const stateEnv = { PULUMI_RESTORE_STATE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "pf-koophone-")) };
            const mk = () =>
                new KooPhoneProvider(
                    {
                        clock,
                        env: stateEnv,
                        settleMs: 20_000,
                        random: () => 0.5,
                        schedule: { minIntervalMs: 5000, maxIntervalMs: 30_000, fraction: 0.1 },
                    },
                    config,
                );
            const p1 = mk();
            const p2 = mk();
            const i1 = (
                await p1.check(
                    {},
                    {
                        restoreToken: "prt-f6f6f6f6f6f6f6f6f6f6",
                        instanceIds: ["pa01", "pa02"],
                        userId: "1008600000104285462",
                        restoreOnDelete: true,
                    },
                )
            ).inputs;
            const i2 = (
                await p2.check(
                    {},
                    {
                        restoreToken: "prt-f7f7f7f7f7f7f7f7f7f7",
                        instanceIds: ["pb01"],
                        userId: "1008600000104285462",
                        restoreOnDelete: true,
                    },
                )
            ).inputs;
            await Promise.all([p1.create(i1!), p2.create(i2!)]);
            const backups = (svc.snapshot().instances as { instance_id: string; backups: number }[]).map(
                (i) => i.backups,
            );
            assert.deepEqual(backups, [1, 1, 1], "each phone backed up once");
            assert.equal(svc.tokensIssued, 2, "the first token, then one shared by both after it was voided");
            const calls = server.log.filter((l) => l.action === "BatchBackupInstances");
            assert.equal(calls.filter((l) => l.status === 200).length, 2, "one accepted call per resource");
            assert.ok(calls.filter((l) => l.status === 401).length <= 2, "at most one refused call per resource");
            rows.push({
                cloud: "huaweicloud",
                fault: "token voided, 2 backups at once",
                code: "APIGW.0301 (401)",
                renewed: `yes: ${svc.tokensIssued} tokens`,
                creates: server.count("BatchBackupInstances"),
                requests: server.count(),
            });
        });

        for (const hours of [3, -3, 8]) {
            it(`zstack: a clock ${hours} h off the management node's (skew or another time zone): sessions renewed, never a login per call`, async () => {
                clearSessions();
                const clock = new VirtualClock();
                // A 20-minute session and a 40-minute restore: the session must be renewed (or replaced) on the way.
                const svc = new ZStackService({
                    clock,
                    timings: { createMs: 40 * MIN, startMs: 5000, sessionMs: 20 * MIN },
                    accounts: { [ZS.account]: ZS.password },
                });
                const demo = svc.seed("demo", {}) as {
                    backupGroupUuid: string;
                    instanceOfferingUuid: string;
                    l3NetworkUuid: string;
                };
                const { server, url } = await started(svc);
                env = {
                    clock,
                    emuClock: new ShiftedClock(clock),
                    server,
                    provider: () => assert.fail(),
                    news: {},
                    revoke: () => () => undefined,
                    made: () => svc.liveVms().length,
                    secrets: [ZS.password],
                    stop: () => server.stop(),
                };
                const p = new VmFromBackupProvider(
                    { clock: new ShiftedClock(clock, hours * 3_600_000), env: {}, random: () => 0.5 },
                    { "zstack:endpoint": url, "zstack:accountName": ZS.account, "zstack:accountPassword": ZS.password },
                );
                const i = (await p.check({}, { ...zstackNews(demo), name: `pf-skew-${hours + 10}` })).inputs;
                const r = await p.create(i!);
                assert.equal((r.outs as { state: string }).state, "Running");
                // Keep calling every 2 minutes past several session lifetimes (as a long wait's polls do).
                for (let k = 0; k < 40; k++) {
                    await clock.sleep(2 * MIN);
                    assert.equal((await p.read(r.id, r.outs ?? {})).id, r.id);
                }
                const logins = svc.logins;
                const renewals = server.count("RenewSession");
                assert.equal(server.count("CreateVmFromVmBackup"), 1);
                // The session lapses during the 40-minute job (job polls need no session): one more login after it, no
                // more. Before the fix, a clock ahead of the server's meant a login for every call (43 for 42 queries).
                assert.ok(
                    logins <= 2,
                    `not a login per call: ${logins} logins for ${server.count("QueryVmInstance")} queries`,
                );
                assert.ok(
                    renewals >= 4,
                    `the 20-minute session was renewed over ~1.5 h of calls: ${renewals} renewals`,
                );
                assert.ok(svc.sessions.size <= 2, `sessions opened: ${svc.sessions.size}`);
                rows.push({
                    cloud: "zstack",
                    fault: `clock ${hours} h off (session login)`,
                    code: "-",
                    renewed: `${logins} logins, ${renewals} renewals`,
                    creates: server.count("CreateVmFromVmBackup"),
                    requests: server.count(),
                });
            });
        }

        it("zstack: a session refused again after the fresh login is not submitted a third time", async () => {
            const e0 = (env = await zstack.setup());
            const svc = zstackServices.get(e0.server)!;
            const accountConfig = {
                "zstack:accessKeyId": "",
                "zstack:accessKeySecret": "",
                "zstack:accountName": ZS.account,
                "zstack:accountPassword": ZS.password,
            };
            e0.server.onRequest = (action) => {
                if (action === "CreateVmFromVmBackup") svc.expireSessions();
            };
            const p = e0.provider({ config: accountConfig });
            const e = await failure(p.create(await prepared(e0, p)));
            codeIn(e, "ID.1001");
            assert.match(e.message, /zstack:accountName/);
            assert.equal(e0.server.count("CreateVmFromVmBackup"), 2, "one resubmission after a new login, no more");
            assert.equal(svc.liveVms().length, 0);
            rows.push({
                cloud: "zstack",
                fault: "session refused again after re-login",
                code: "ID.1001",
                renewed: "once, then stops",
                creates: e0.server.count("CreateVmFromVmBackup"),
                requests: e0.server.count(),
            });
        });

        it("zstack: the account is deleted: ID.1000 on the new login, one attempt, the VM is never taken for gone", async () => {
            const e0 = (env = await zstack.setup());
            const svc = zstackServices.get(e0.server)!;
            const accountConfig = {
                "zstack:accessKeyId": "",
                "zstack:accessKeySecret": "",
                "zstack:accountName": ZS.account,
                "zstack:accountPassword": ZS.password,
            };
            const p = e0.provider({ config: accountConfig });
            const r = await p.create(await prepared(e0, p));
            svc.revokeAccount(ZS.account);
            const total = e0.server.count();
            const before = e0.server.count("LogInByAccount");
            const e = await failure(p.read(r.id, r.outs ?? {}));
            codeIn(e, "ID.1000");
            assert.match(e.message, /zstack:accountName and zstack:accountPassword/);
            noSecrets(e, e0);
            assert.equal(e0.server.count("LogInByAccount") - before, 1, "one refused login, no loop");
            await failure(p.delete(r.id, r.outs ?? {}));
            assert.equal(svc.liveVms().length, 1, "the VM is still there");
            assert.equal(e0.server.count("DestroyVmInstance"), 0);
            // A new `pulumi up` for another VM with the deleted account: one refused login, no create.
            const logins = e0.server.count("LogInByAccount");
            const again = e0.provider({ config: accountConfig });
            const other = await again.check(
                {},
                { ...e0.news, name: "pf-web2", restoreToken: "prt-c3c3c3c3c3c3c3c3c3c4" },
            );
            assert.deepEqual(other.failures ?? [], []);
            const ce = await failure(again.create(other.inputs));
            codeIn(ce, "ID.1000");
            nothingUnderWay(ce);
            assert.equal(e0.server.count("LogInByAccount") - logins, 1);
            assert.equal(e0.server.count("CreateVmFromVmBackup"), 1);
            rows.push({
                cloud: "zstack",
                fault: "account deleted (refresh, destroy, new up)",
                code: "ID.1000",
                renewed: "tried once each, refused",
                creates: e0.server.count("CreateVmFromVmBackup"),
                requests: e0.server.count() - total,
            });
        });

        it("alicloud: an STS token that expires at RestoreInstance: InvalidSecurityToken.Expired, not repeated; a mismatched token is named too", async () => {
            const clock = new VirtualClock();
            const sts = {
                ak: "STS.pfprotocol0001",
                sk: "pf-alicloud-sts-secret-0001",
                token: "pf-alicloud-sts-token-0001",
            };
            const tokens = { [sts.ak]: { token: sts.token, expiresAt: clock.now() + 3_600_000 } };
            const svc = new StarRocksService({
                clock,
                credentials: { [sts.ak]: sts.sk },
                securityTokens: tokens,
                timings: { restoreMs: 20_000, releaseMs: 5000 },
            });
            svc.seed("backup", { BackupTaskId: "bk-pf000001", RegionId: "cn-hangzhou" });
            const { server, url } = await started(svc);
            env = {
                clock,
                emuClock: new ShiftedClock(clock),
                server,
                provider: () => assert.fail(),
                news: {},
                revoke: () => () => undefined,
                made: () => svc.live().length,
                secrets: [sts.sk, sts.token],
                stop: () => server.stop(),
            };
            server.onRequest = (action) => {
                if (action === "RestoreInstance") tokens[sts.ak].expiresAt = clock.now();
            };
            const provider = (token: string) =>
                new StarRocksProvider(
                    { clock, env: {}, schedule: FAST, settleMs: 6000, random: () => 0.5 },
                    {
                        "alicloud:endpoint": url,
                        "alicloud:region": "cn-hangzhou",
                        "alicloud:accessKey": sts.ak,
                        "alicloud:secretKey": sts.sk,
                        "alicloud:securityToken": token,
                    },
                );
            const p = provider(sts.token);
            const e = await failure(p.create((await p.check({}, alicloudNews)).inputs!));
            codeIn(e, "InvalidSecurityToken.Expired");
            assert.match(e.message, /alicloud:securityToken.*obtain a new one/);
            noSecrets(e, env);
            assert.equal(server.count("RestoreInstance"), 1, "not repeated: the token is the caller's to renew");
            assert.equal(svc.live().length, 0);
            rows.push({
                cloud: "alicloud",
                fault: "STS token expires at RestoreInstance",
                code: "InvalidSecurityToken.Expired",
                renewed: "no (caller's STS token)",
                creates: server.count("RestoreInstance"),
                requests: server.count(),
            });
            server.onRequest = undefined;
            tokens[sts.ak].expiresAt = clock.now() + 3_600_000;
            const before = server.count();
            const q = provider("pf-alicloud-sts-token-9999");
            const m = await failure(q.create((await q.check({}, alicloudNews)).inputs!));
            codeIn(m, "InvalidSecurityToken.MismatchWithAccessKey");
            assert.match(m.message, /alicloud:securityToken.*alicloud:accessKey/);
            assert.equal(server.count() - before, 1);
        });

        it("tencentcloud: an expired STS token (X-TC-Token) at RestoreInstance: AuthFailure.TokenFailure, not repeated; new credentials needed", async () => {
            const clock = new VirtualClock();
            const tokens: Record<string, string> = { [TC.id]: TC.token };
            const svc = new TencentRedisService({
                clock,
                credentials: { [TC.id]: TC.key },
                tokens,
                timings: { prepareMs: 2000, runMs: 8000 },
            });
            svc.seed("instance", { InstanceId: "crs-pf000001", Password: "pa55-Word" });
            svc.seed("backup", { InstanceId: "crs-pf000001", BackupId: "pf-backup-0001" });
            const { server, url } = await started(svc);
            env = {
                clock,
                emuClock: new ShiftedClock(clock),
                server,
                provider: () => assert.fail(),
                news: {},
                revoke: () => () => undefined,
                made: () => svc.restoreTasks().length,
                secrets: [TC.key, TC.token],
                stop: () => server.stop(),
            };
            server.onRequest = (action) => {
                // The temporary credentials expire between the checks and the restore.
                if (action === "RestoreInstance") tokens[TC.id] = "pf-sts-token-0002";
            };
            const p = new RedisRestoreProvider(
                { clock, env: providerEnv(), schedule: FAST, settleMs: 6000, random: () => 0.5 },
                {
                    "tencentcloud:endpoint": url,
                    "tencentcloud:secretId": TC.id,
                    "tencentcloud:secretKey": TC.key,
                    "tencentcloud:securityToken": TC.token,
                },
            );
            const e = await failure(
                p.create(
                    (
                        await p.check(
                            {},
                            {
                                restoreToken: "prt-b2b2b2b2b2b2b2b2b2b2",
                                instanceId: "crs-pf000001",
                                backupId: "pf-backup-0001",
                                password: "pa55-Word",
                            },
                        )
                    ).inputs!,
                ),
            );
            codeIn(e, "AuthFailure.TokenFailure");
            assert.match(e.message, /new temporary credentials.*tencentcloud:securityToken/);
            noSecrets(e, env);
            assert.equal(server.count("RestoreInstance"), 1, "not repeated: the token is the caller's to renew");
            assert.equal(svc.restoreTasks().length, 0);
            rows.push({
                cloud: "tencentcloud",
                fault: "STS token expires at RestoreInstance",
                code: "AuthFailure.TokenFailure",
                renewed: "no (caller's STS token)",
                creates: server.count("RestoreInstance"),
                requests: server.count(),
            });
        });
    });
});
