/**
 * Secrets in vendor answers that echo the request. For every resource, the emulator answers the call that carries a
 * secret (or the first call) with its cloud's bad-parameter answer quoting the request body and query ("echo400"), or
 * with HTTP 500 echoing the whole request, headers included ("echo500"). The error that reaches the user and every
 * progress line must then hold no secret input (long or 3 characters), no secret config value, and no value of the
 * Authorization, token or signature headers the provider sent, in any encoding; and they must show that the echo
 * reached them (a redacted echo, not an absent one). In-process providers on virtual clocks.
 */
import { strict as assert } from "assert";
import { StarRocksService } from "../../emulator/alicloud/starrocks";
import { EmulatorServer } from "../../emulator/core/server";
import { CloudService, FaultRule } from "../../emulator/core/types";
import { KooPhoneService } from "../../emulator/huaweicloud/koophone";
import { JdcloudRdsService } from "../../emulator/jdcloud/rds";
import { TencentRedisService } from "../../emulator/tencentcloud/redis";
import { ZStackService } from "../../emulator/zstack/zstack";
import { StarRocksProvider } from "../../provider/alicloud/starrocksProvider";
import { AxiosTransport, Transport } from "../../provider/core/http";
import { setProgressSink } from "../../provider/core/progress";
import { KooPhoneProvider } from "../../provider/huaweicloud/koophoneProvider";
import { RdsRestoreProvider } from "../../provider/jdcloud/rdsProvider";
import { RedisRestoreProvider } from "../../provider/tencentcloud/redisProvider";
import { CloneProvider } from "../../provider/tencentcloud/cloneProvider";
import { clearSessions } from "../../provider/zstack/session";
import { VmFromBackupProvider } from "../../provider/zstack/vmProvider";
import { VirtualClock } from "../../harness/clock";
import { providerEnv } from "../support/env";
import { secretForms } from "./secretScanner";

const SCHEDULE = { minIntervalMs: 1000, maxIntervalMs: 5000, fraction: 0.05 };
const TOKEN = "prt-5ec4e75ec4e75ec4e75e";
const cfg = (c: Record<string, string>) => ({ config: { get: (k: string) => c[k] } });

/** The provider's transport, keeping every credential-bearing header value it sent (the echo would carry them). */
function recordingTransport(): Transport & { sent: Set<string> } {
    const inner = new AxiosTransport();
    const sent = new Set<string>();
    return {
        sent,
        send: (req, timeoutMs) => {
            for (const [k, v] of Object.entries(req.headers)) {
                if (!/authorization|token|signature/i.test(k)) continue;
                sent.add(v);
                // The signature alone, as a vendor might quote it.
                for (const m of v.matchAll(/Signature=([^,\s]+)/gi)) sent.add(m[1]);
            }
            return inner.send(req, timeoutMs);
        },
    };
}

interface World {
    server: EmulatorServer;
    create(): Promise<unknown>;
    /** Secret values this run used (inputs and config), long enough to be searched in every encoding. */
    secrets: Record<string, string>;
    /** Short secrets (under 8 characters): searched as a standalone token. */
    shortSecrets: Record<string, string>;
    /** The call that gets the fault (undefined: every call, so the first one). */
    action?: string;
    /** Whether that call carries credential headers (login and token calls carry the password in the body instead). */
    headers: boolean;
}

async function serve(svc: CloudService): Promise<{ server: EmulatorServer; url: string }> {
    const server = new EmulatorServer(svc);
    return { server, url: await server.start() };
}

type Maker = (clock: VirtualClock, t: Transport) => Promise<World>;

async function starrocks(clock: VirtualClock, t: Transport): Promise<World> {
    const sk = "echo-sr-secret-key-0001";
    const pw = 'Echo"Adm1n/+=@Q';
    const svc = new StarRocksService({
        clock,
        timings: { restoreMs: 20_000, releaseMs: 5000 },
        credentials: { "echo-ak": sk },
    });
    svc.seed("backup", { BackupTaskId: "bk-echo00001", RegionId: "cn-hangzhou" });
    const { server, url } = await serve(svc);
    const p = new StarRocksProvider({
        clock,
        env: providerEnv(),
        schedule: SCHEDULE,
        transport: t,
        random: () => 0.5,
        settleMs: 3000,
    });
    await p.configure(
        cfg({
            "alicloud:endpoint": url,
            "alicloud:region": "cn-hangzhou",
            "alicloud:accessKey": "echo-ak",
            "alicloud:secretKey": sk,
        }),
    );
    const news = { restoreToken: TOKEN, backupTaskId: "bk-echo00001", instanceName: "echo-dr", adminPassword: pw };
    const { inputs } = (await p.check({}, news)) as { inputs: Record<string, unknown> };
    return {
        server,
        create: () => p.create(inputs),
        secrets: { adminPassword: pw, secretKey: sk },
        shortSecrets: {},
        action: "RestoreInstance",
        headers: true,
    };
}

async function tencent(clock: VirtualClock, t: Transport, short: boolean): Promise<World> {
    const sk = "echo-tc-secret-key-0001";
    const pw = short ? "x9Q" : "Echo-Redis/+=@Q-pw";
    const svc = new TencentRedisService({
        clock,
        credentials: { AKIDecho00000001: sk },
        timings: { prepareMs: 2000, runMs: 8000 },
    });
    svc.seed("instance", { InstanceId: "crs-echo0001", Password: pw });
    svc.seed("backup", { InstanceId: "crs-echo0001", BackupId: "echo-backup-0001" });
    const { server, url } = await serve(svc);
    const p = new RedisRestoreProvider({
        clock,
        env: providerEnv(),
        schedule: SCHEDULE,
        transport: t,
        random: () => 0.5,
        settleMs: 3000,
    });
    await p.configure(
        cfg({
            "tencentcloud:endpoint": url,
            "tencentcloud:secretId": "AKIDecho00000001",
            "tencentcloud:secretKey": sk,
        }),
    );
    const news = { restoreToken: TOKEN, instanceId: "crs-echo0001", backupId: "echo-backup-0001", password: pw };
    const { inputs } = (await p.check({}, news)) as { inputs: Record<string, unknown> };
    const secrets: Record<string, string> = short ? { secretKey: sk } : { password: pw, secretKey: sk };
    return {
        server,
        create: () => p.create(inputs),
        secrets,
        shortSecrets: short ? { password: pw } : {},
        action: "RestoreInstance",
        headers: true,
    };
}

async function tencentClone(clock: VirtualClock, t: Transport): Promise<World> {
    const sk = "echo-tc-clone-secret-key-0001";
    const pw = "Echo-Clone/+=@Q-pw";
    const svc = new TencentRedisService({
        clock,
        credentials: { AKIDecho00000002: sk },
        timings: { cloneMs: 20_000, destroyMs: 3000, cleanUpMs: 3000 },
    });
    svc.seed("instance", { InstanceId: "crs-echosrc1", Password: "Echo-Source-pw-01" });
    svc.seed("backup", { InstanceId: "crs-echosrc1", BackupId: "echo-clone-backup-01" });
    const { server, url } = await serve(svc);
    const p = new CloneProvider({
        clock,
        env: providerEnv(),
        schedule: SCHEDULE,
        transport: t,
        random: () => 0.5,
        settleMs: 3000,
    });
    await p.configure(
        cfg({
            "tencentcloud:endpoint": url,
            "tencentcloud:secretId": "AKIDecho00000002",
            "tencentcloud:secretKey": sk,
        }),
    );
    const news = {
        restoreToken: TOKEN,
        sourceInstanceId: "crs-echosrc1",
        backupId: "echo-clone-backup-01",
        zoneId: 100003,
        securityGroupIds: ["sg-echo0001"],
        password: pw,
    };
    const { inputs, failures } = (await p.check({}, news)) as {
        inputs: Record<string, unknown>;
        failures: unknown[];
    };
    assert.deepEqual(failures, []);
    return {
        server,
        create: () => p.create(inputs),
        secrets: { password: pw, secretKey: sk },
        shortSecrets: {},
        // The call that carries the password.
        action: "CloneInstances",
        headers: true,
    };
}

async function zstack(
    clock: VirtualClock,
    t: Transport,
    auth: "account" | "accessKey",
    action?: string,
): Promise<World> {
    clearSessions();
    const pw = "Echo-ZStack/+=@Q-pw";
    const aks = "Echo-ZStack-ak-secret/+=@Q";
    const svc = new ZStackService({
        clock,
        timings: { createMs: 20_000, startMs: 5000, destroyMs: 3000, expungeMs: 3000 },
        accounts: { admin: pw },
        accessKeys: { "echo-ak": aks },
    });
    const demo = svc.seed("demo", {}) as {
        backupGroupUuid: string;
        instanceOfferingUuid: string;
        l3NetworkUuid: string;
    };
    const { server, url } = await serve(svc);
    const p = new VmFromBackupProvider({
        clock,
        env: providerEnv(),
        schedule: SCHEDULE,
        transport: t,
        random: () => 0.5,
        renewMarginMs: 1000,
    });
    const creds: Record<string, string> =
        auth === "account"
            ? { "zstack:accountName": "admin", "zstack:accountPassword": pw }
            : { "zstack:accessKeyId": "echo-ak", "zstack:accessKeySecret": aks };
    await p.configure(cfg({ "zstack:endpoint": url, ...creds }));
    const news = {
        restoreToken: TOKEN,
        backupGroupUuid: demo.backupGroupUuid,
        name: "echo-vm",
        instanceOfferingUuid: demo.instanceOfferingUuid,
    };
    const { inputs } = (await p.check({}, news)) as { inputs: Record<string, unknown> };
    // The login body carries the password's SHA-512 hash: a secret too.
    const { hashPassword } = await import("../../provider/zstack/signer");
    const secrets = { accountPassword: pw, passwordHash: hashPassword(pw), accessKeySecret: aks };
    return {
        server,
        create: () => p.create(inputs),
        secrets,
        shortSecrets: {},
        action,
        headers: action !== "LogInByAccount",
    };
}

async function jdcloud(clock: VirtualClock, t: Transport): Promise<World> {
    const sk = "echo-jd-secret-key-0001";
    const svc = new JdcloudRdsService({
        clock,
        credentials: { "echo-ak": sk },
        timings: { buildMs: 20_000, deleteMs: 5000 },
    });
    svc.seed("backup", { backupId: "bk-echo-0001", engine: "MySQL", instanceId: "mysql-src00001" });
    const { server, url } = await serve(svc);
    const p = new RdsRestoreProvider({
        clock,
        env: providerEnv(),
        schedule: SCHEDULE,
        transport: t,
        random: () => 0.5,
        settleMs: 3000,
    });
    await p.configure(cfg({ "jdcloud:endpoint": url, "jdcloud:accessKey": "echo-ak", "jdcloud:secretKey": sk }));
    const spec = {
        instanceClass: "db.mysql.s1.micro",
        instanceStorageGB: 20,
        azId: ["cn-north-1a"],
        vpcId: "vpc-echo0001",
        subnetId: "subnet-echo0001",
        chargeSpec: {},
    };
    const news = {
        restoreToken: TOKEN,
        regionId: "cn-north-1",
        backupId: "bk-echo-0001",
        engine: "MySQL",
        instanceSpec: spec,
    };
    const { inputs } = (await p.check({}, news)) as { inputs: Record<string, unknown> };
    return { server, create: () => p.create(inputs), secrets: { secretKey: sk }, shortSecrets: {}, headers: true };
}

async function koophone(clock: VirtualClock, t: Transport, auth: "token" | "aksk", action?: string): Promise<World> {
    const pw = "Echo-IAM/+=@Q-password";
    const user = { domain: "echo-domain", name: "echo-user", password: pw };
    const svc = new KooPhoneService({
        clock,
        timings: { backupMs: 10_000, restoreMs: 10_000, tokenTtlMs: 24 * 3_600_000 },
        users: [user],
    });
    svc.seed("instance", { id: "phecho01" });
    const { server, url } = await serve(svc);
    const p = new KooPhoneProvider({ clock, env: providerEnv(), schedule: SCHEDULE, transport: t, random: () => 0.5 });
    const sk = "Echo-HW-secret-key/+=@Q";
    const config = {
        "huaweicloud:endpoint": url,
        "huaweicloud:region": "cn-south-1",
        "huaweicloud:authUrl": `${url}/v3`,
    };
    const creds: Record<string, string> =
        auth === "token"
            ? { "huaweicloud:userName": user.name, "huaweicloud:password": pw, "huaweicloud:domainName": user.domain }
            : { "huaweicloud:accessKey": "ECHOACCESSKEY0001", "huaweicloud:secretKey": sk };
    await p.configure(cfg({ ...config, ...creds }));
    const news = { restoreToken: TOKEN, instanceIds: ["phecho01"], restoreOnDelete: false };
    const { inputs } = (await p.check({}, news)) as { inputs: Record<string, unknown> };
    const headers = action !== "KeystoneCreateUserTokenByPassword";
    return {
        server,
        create: () => p.create(inputs),
        secrets: { password: pw, secretKey: sk },
        shortSecrets: {},
        action,
        headers,
    };
}

/** Everything a failed create puts in front of the user: the error (message, stack, fields) and the progress lines. */
async function failedCreate(w: World, lines: string[]): Promise<string> {
    let err: unknown;
    try {
        await w.create();
    } catch (e) {
        err = e;
    }
    assert.ok(err instanceof Error, "the create must fail under the echo fault");
    const fields = JSON.stringify({ ...(err as unknown as Record<string, unknown>) });
    return [err.message, err.stack ?? "", fields, ...lines].join("\n");
}

function leaks(text: string, w: World, sent: Set<string>): string[] {
    const found: string[] = [];
    for (const [name, s] of Object.entries(w.secrets)) {
        for (const f of secretForms(s)) if (text.includes(f.text)) found.push(`${name} (${f.form})`);
    }
    for (const [name, s] of Object.entries(w.shortSecrets)) {
        if (new RegExp(`(?<![A-Za-z0-9_])${s}(?![A-Za-z0-9_])`).test(text)) found.push(`${name} (short, as a token)`);
    }
    for (const h of sent) if (text.includes(h)) found.push(`a sent header value (${h.slice(0, 12)}...)`);
    return found;
}

describe("reliability: vendor answers echoing the request carry no secret out (every resource, emulator)", function () {
    this.timeout(30_000);
    let server: EmulatorServer | undefined;
    afterEach(async () => {
        setProgressSink(undefined);
        await server?.stop();
        server = undefined;
    });

    const cases: { name: string; make: Maker }[] = [
        { name: "alicloud.starrocks.RestoredInstance (adminPassword, at RestoreInstance)", make: starrocks },
        {
            name: "tencentcloud.redis.InstanceRestore (password, at RestoreInstance)",
            make: (c, t) => tencent(c, t, false),
        },
        {
            name: "tencentcloud.redis.InstanceRestore (3-character password, at RestoreInstance)",
            make: (c, t) => tencent(c, t, true),
        },
        { name: "tencentcloud.redis.RestoredInstance (password, at CloneInstances)", make: tencentClone },
        {
            name: "zstack.VmFromBackup (account password hash, at login)",
            make: (c, t) => zstack(c, t, "account", "LogInByAccount"),
        },
        {
            name: "zstack.VmFromBackup (session header, at QueryVmInstance)",
            make: (c, t) => zstack(c, t, "account", "QueryVmInstance"),
        },
        { name: "zstack.VmFromBackup (AccessKey Authorization header)", make: (c, t) => zstack(c, t, "accessKey") },
        { name: "jdcloud.rds.RestoredInstance (Authorization header)", make: jdcloud },
        {
            name: "huaweicloud.koophone.InstanceBackup (IAM password, at the token call)",
            make: (c, t) => koophone(c, t, "token", "KeystoneCreateUserTokenByPassword"),
        },
        {
            name: "huaweicloud.koophone.InstanceBackup (IAM token header, at ListInstances)",
            make: (c, t) => koophone(c, t, "token", "ListInstances"),
        },
        {
            name: "huaweicloud.koophone.InstanceBackup (AK/SK Authorization header)",
            make: (c, t) => koophone(c, t, "aksk"),
        },
    ];
    for (const c of cases) {
        for (const kind of ["echo400", "echo500"] as const) {
            it(`${c.name}: ${kind === "echo400" ? "400 quoting the request" : "500 echoing the request and its headers"}`, async () => {
                const clock = new VirtualClock();
                const t = recordingTransport();
                const w = await c.make(clock, t);
                server = w.server;
                const lines: string[] = [];
                setProgressSink((l) => lines.push(l));
                const rule: FaultRule = { kind, times: 1000, ...(w.action ? { action: w.action } : {}) };
                w.server.inject(rule);
                const text = await failedCreate(w, lines);
                assert.ok(
                    w.server.log.some((l) => l.fault === kind),
                    "the fault was served",
                );
                if (w.headers) assert.ok(t.sent.size > 0, "the provider sent credential-bearing headers");
                // The echo reached the user (redacted), so the scan below looks at real material.
                assert.match(
                    text,
                    kind === "echo400"
                        ? /invalid parameter in (POST|GET|PUT|DELETE) /
                        : /while processing (POST|GET|PUT|DELETE) /,
                );
                assert.deepEqual(leaks(text, w, t.sent), []);
            });
        }
    }
});
