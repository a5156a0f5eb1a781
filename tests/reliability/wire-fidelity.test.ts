import { strict as assert } from "assert";
import {
    acs3CanonicalizedHeaders,
    computeAcs3,
    parseAcs3Authorization,
    verifyAcs3,
} from "../../emulator/alicloud/verify";
import { StarRocksService } from "../../emulator/alicloud/starrocks";
import { EmulatorServer } from "../../emulator/core/server";
import { isRfc3986Query, WireRequest } from "../../emulator/core/wire";
import { KooPhoneService } from "../../emulator/huaweicloud/koophone";
import { hwCanonicalizedHeaders, parseHwAuthorization, verifyHw } from "../../emulator/huaweicloud/verify";
import { JdcloudRdsService } from "../../emulator/jdcloud/rds";
import { jdcloudCanonicalizedHeaders, parseJdcloud3Authorization, verifyJdcloud3 } from "../../emulator/jdcloud/verify";
import { TencentRedisService } from "../../emulator/tencentcloud/redis";
import { parseTc3Authorization, tc3CanonicalizedHeaders, verifyTc3 } from "../../emulator/tencentcloud/verify";
import { verifyZStackAccessKey, zstackPasswordHash } from "../../emulator/zstack/verify";
import { ZStackService } from "../../emulator/zstack/zstack";
import { acsDate, signAcs3 } from "../../provider/alicloud/signer";
import { StarRocksClient } from "../../provider/alicloud/starrocksClient";
import { AxiosTransport, ApiCaller } from "../../provider/core/http";
import { setProgressSink } from "../../provider/core/progress";
import { HwAuth } from "../../provider/huaweicloud/credentials";
import { KooPhoneClient } from "../../provider/huaweicloud/koophoneClient";
import { IamTokenSource } from "../../provider/huaweicloud/iamToken";
import { RdsClient } from "../../provider/jdcloud/rdsClient";
import { jdcloudDate, signJdcloud3 } from "../../provider/jdcloud/signer";
import { sdkDate, signHw } from "../../provider/huaweicloud/signer";
import { signTc3 } from "../../provider/tencentcloud/signer";
import { RedisCloneClient, restoreMark } from "../../provider/tencentcloud/cloneClient";
import { clearSessions } from "../../provider/zstack/session";
import { VmFromBackupProvider } from "../../provider/zstack/vmProvider";
import { VirtualClock } from "../../harness/clock";
import { TappedExchange, WireTap } from "../support/wireTap";

// Every action of every cloud, captured as it arrives on a raw socket (a TCP relay that keeps the bytes, after axios
// and Node's HTTP client added whatever they add), checked against each cloud's rules with the emulator's own
// verifiers (emulator/<cloud>/verify.ts, which import nothing from provider/): each header the rules canonicalize is
// in SignedHeaders, the signature verifies, and a query is sent in the RFC 3986 form it was signed in. The values below
// hold a space, `*`, `~`, `/`, `+`, `%` and non-ASCII, and each is checked to reach the emulator unchanged.

/** A value with every character that form encoding and RFC 3986 treat differently, and non-ASCII. */
const SPECIAL = "a b*c~d/e+f%g é中";

function wire(x: TappedExchange): WireRequest {
    const q = x.target.indexOf("?");
    return {
        method: x.method,
        rawPath: q < 0 ? x.target : x.target.slice(0, q),
        rawQuery: q < 0 ? "" : x.target.slice(q + 1),
        headers: x.headers,
        body: x.request.body,
    };
}

/** No header sent twice (a server would see only one of the values, or both joined). */
function assertNoDuplicates(x: TappedExchange): void {
    const names = x.request.headerLines.map(([k]) => k.toLowerCase());
    assert.deepEqual(
        names.filter((n, i) => names.indexOf(n) !== i),
        [],
        `${x.method} ${x.target}: duplicate headers`,
    );
}

/** The canonicalized headers of a request that its SignedHeaders leaves out. */
function unsignedOf(x: TappedExchange, canonicalized: string[], signed: string[]): string[] {
    return canonicalized.filter((n) => !signed.includes(n));
}

async function withTap(server: EmulatorServer, clock: VirtualClock): Promise<{ tap: WireTap; url: string }> {
    const tap = new WireTap(server.url, () => clock.now());
    return { tap, url: await tap.start() };
}

describe("wire fidelity: every request as it arrives on a socket is signed as the cloud's rules say", function () {
    this.timeout(30_000);
    const stops: (() => Promise<void>)[] = [];
    afterEach(async () => {
        setProgressSink(undefined);
        while (stops.length > 0) await stops.pop()!();
    });

    async function start<S extends ConstructorParameters<typeof EmulatorServer>[0]>(
        svc: S,
        clock: VirtualClock,
    ): Promise<{ tap: WireTap; url: string }> {
        const server = new EmulatorServer(svc);
        await server.start();
        stops.push(() => server.stop());
        const t = await withTap(server, clock);
        stops.push(() => t.tap.stop());
        return t;
    }

    it("the transport sends no Content-Type the caller did not set (axios adds one to a body-less POST)", async () => {
        const clock = new VirtualClock();
        const svc = new StarRocksService({ clock });
        const { tap, url } = await start(svc, clock);
        const t = new AxiosTransport();
        await t.send(
            {
                method: "POST",
                url: `${url}/webapi/cluster/release?InstanceId=x`,
                headers: { "x-acs-action": "ReleaseInstance" },
            },
            5000,
        );
        await t.send(
            {
                method: "POST",
                url: `${url}/webapi/restore/restoreInstance`,
                headers: { "Content-Type": "application/json; charset=utf-8" },
                body: "{}",
            },
            5000,
        );
        const [bare, json] = tap.exchanges();
        assert.equal(bare.headers["content-type"], undefined, JSON.stringify(bare.request.headerLines));
        assert.deepEqual(
            json.request.headerLines.filter(([k]) => k.toLowerCase() === "content-type").map(([, v]) => v),
            ["application/json; charset=utf-8"],
        );
    });

    it("alicloud StarRocks (ACS3): all 4 actions, access key and STS; host, content-type, x-acs-* signed", async () => {
        const clock = new VirtualClock();
        const creds = { accessKeyId: "wire-ak", accessKeySecret: "wire-secret-0001" };
        const sts = {
            accessKeyId: "STS.wire-ak",
            accessKeySecret: "wire-sts-secret",
            securityToken: "wire-sts-token/+=",
        };
        const svc = new StarRocksService({
            clock,
            credentials: { [creds.accessKeyId]: creds.accessKeySecret, [sts.accessKeyId]: sts.accessKeySecret },
            securityTokens: { [sts.accessKeyId]: { token: sts.securityToken, expiresAt: clock.now() + 3_600_000 } },
            timings: { restoreMs: 1000, releaseMs: 1000 },
        });
        svc.seed("backup", { BackupTaskId: "bk-wire-01", RegionId: "cn-hangzhou" });
        const { tap, url } = await start(svc, clock);
        const client = (c: typeof creds | typeof sts) =>
            new StarRocksClient({ endpoint: url, credentials: () => c, caller: new ApiCaller({ clock }) });
        const c = client(creds);

        const r = await c.restoreInstance({
            BackupTaskId: "bk-wire-01",
            InstanceName: `wire ${SPECIAL}`,
            RegionId: "cn-hangzhou",
            Tags: [{ key: "k", value: SPECIAL }],
        });
        // Query values with every awkward character reach the emulator as they were meant (and signed).
        assert.deepEqual(
            (await c.describeInstances({ InstanceName: SPECIAL, RegionId: "cn-hangzhou" })).map((i) => i.InstanceId),
            [r.InstanceId],
        );
        assert.deepEqual(
            (await c.describeInstances({ Tag: [{ key: "k", value: SPECIAL }] })).map((i) => i.InstanceId),
            [r.InstanceId],
        );
        assert.equal((await c.describeBackups({ BackupTaskId: "bk-wire-01", RegionId: "cn-hangzhou" })).length, 1);
        assert.equal(await c.releaseInstance(r.InstanceId), true);
        assert.equal((await client(sts).describeBackups({ BackupTaskId: "bk-wire-01" })).length, 1);

        const xs = tap.exchanges();
        assert.deepEqual([...new Set(xs.map((x) => x.headers["x-acs-action"]))].sort(), [
            "DescribeBackups",
            "DescribeInstances",
            "ReleaseInstance",
            "RestoreInstance",
        ]);
        const secrets: Record<string, string> = {
            [creds.accessKeyId]: creds.accessKeySecret,
            [sts.accessKeyId]: sts.accessKeySecret,
        };
        for (const x of xs) {
            const what = `${x.headers["x-acs-action"]} ${x.target}`;
            assertNoDuplicates(x);
            const auth = parseAcs3Authorization(x.headers.authorization);
            assert.ok(auth, `${what}: no ACS3 Authorization`);
            assert.deepEqual(
                unsignedOf(x, acs3CanonicalizedHeaders(x.headers), auth.signedHeaders),
                [],
                `${what}: canonical headers left unsigned`,
            );
            assert.deepEqual(
                verifyAcs3(wire(x), { secretOf: (id) => secrets[id], now: x.request.at }),
                { ok: true, accessKeyId: auth.accessKeyId },
                what,
            );
            assert.ok(
                isRfc3986Query(wire(x).rawQuery),
                `${what}: the query is not in the RFC 3986 form it was signed in`,
            );
            assert.equal(x.status, 200, `${what}: ${x.response?.body}`);
        }
        assert.ok(
            xs.some((x) =>
                parseAcs3Authorization(x.headers.authorization)!.signedHeaders.includes("x-acs-security-token"),
            ),
            "the STS token is sent and signed",
        );
        assert.ok(
            xs.some((x) => x.target.includes("%20") && x.target.includes("%2A") && x.target.includes("%2B")),
            "the awkward values were on the wire",
        );
    });

    it("tencentcloud Redis (TC3): all 8 actions (restore and clone), key and temporary token; content-type and host signed", async () => {
        const clock = new VirtualClock();
        const key = { secretId: "AKIDwire0001", secretKey: "wire-key-0001" };
        const tmp = { secretId: "AKIDwiretmp1", secretKey: "wire-key-tmp", token: "wire-token-01" };
        const svc = new TencentRedisService({
            clock,
            credentials: { [key.secretId]: key.secretKey, [tmp.secretId]: tmp.secretKey },
            tokens: { [tmp.secretId]: tmp.token },
            timings: { prepareMs: 1000, runMs: 1000, cloneMs: 1000, destroyMs: 1000, cleanUpMs: 1000 },
        });
        svc.seed("instance", { InstanceId: "crs-wire0001", Password: "wire-redis-pw" });
        svc.seed("backup", { InstanceId: "crs-wire0001", BackupId: "wire-backup-01" });
        const { tap, url } = await start(svc, clock);
        const client = (c: typeof key | typeof tmp) =>
            new RedisCloneClient({
                endpoint: url,
                region: "ap-guangzhou",
                credentials: () => c,
                caller: new ApiCaller({ clock }),
            });
        const c = client(key);

        const started = clock.now();
        const r = await c.restoreInstance({
            InstanceId: "crs-wire0001",
            BackupId: "wire-backup-01",
            Password: "wire-redis-pw",
        });
        assert.ok((await c.describeTaskInfo(r.TaskId)).Status);
        assert.ok((await c.restoreTasksSince("crs-wire0001", started - 60_000)).some((t) => t.TaskId === r.TaskId));
        assert.equal((await c.describeInstance("crs-wire0001"))?.InstanceId, "crs-wire0001");
        assert.equal((await client(tmp).findBackup("crs-wire0001", "wire-backup-01"))?.BackupId, "wire-backup-01");
        // RestoredInstance's calls: a clone tagged with a restore token, found by that tag, released (once the restore
        // task, which locks the backup, has finished).
        clock.advance(3000);
        const mark = restoreMark("prt-0123456789abcdef0123");
        const clone = await client(tmp).cloneInstances({
            InstanceId: "crs-wire0001",
            GoodsNum: 1,
            ZoneId: 100003,
            BillingMode: 0,
            Period: 1,
            SecurityGroupIdList: ["sg-wire0001"],
            BackupId: "wire-backup-01",
            InstanceName: "wire-clone",
            Password: "Wire-Clone-pw-1",
            ResourceTags: [mark],
        });
        const [cloneId] = clone.InstanceIds;
        assert.deepEqual(
            (await c.instancesTagged(mark)).map((i) => i.InstanceId),
            [cloneId],
        );
        clock.advance(2000);
        assert.equal((await c.cloneInstance(cloneId))?.Status, 2);
        await c.destroyPostpaidInstance(cloneId);
        clock.advance(2000);
        assert.equal((await c.cloneInstance(cloneId))?.Status, -2);
        await client(tmp).cleanUpInstance(cloneId);

        const xs = tap.exchanges();
        assert.deepEqual([...new Set(xs.map((x) => x.headers["x-tc-action"]))].sort(), [
            "CleanUpInstance",
            "CloneInstances",
            "DescribeInstanceBackups",
            "DescribeInstances",
            "DescribeTaskInfo",
            "DescribeTaskList",
            "DestroyPostpaidInstance",
            "RestoreInstance",
        ]);
        const secrets: Record<string, string> = { [key.secretId]: key.secretKey, [tmp.secretId]: tmp.secretKey };
        for (const x of xs) {
            const what = `${x.headers["x-tc-action"]}`;
            assertNoDuplicates(x);
            const auth = parseTc3Authorization(x.headers.authorization);
            assert.ok(auth, `${what}: no TC3 Authorization`);
            assert.deepEqual(
                tc3CanonicalizedHeaders(x.headers),
                ["content-type", "host"],
                `${what}: content-type and host are sent`,
            );
            assert.deepEqual(
                unsignedOf(x, tc3CanonicalizedHeaders(x.headers), auth.signedHeaders),
                [],
                `${what}: canonical headers left unsigned`,
            );
            assert.deepEqual(
                verifyTc3(wire(x), { secretOf: (id) => secrets[id], service: "redis", now: x.request.at }),
                { ok: true, secretId: auth.secretId },
                what,
            );
            assert.equal(x.status, 200);
            assert.equal(
                (JSON.parse(x.response!.body) as { Response: { Error?: unknown } }).Response.Error,
                undefined,
                `${what}: ${x.response?.body}`,
            );
        }
        assert.ok(
            xs.some((x) => x.headers["x-tc-token"] === tmp.token),
            "the temporary token is sent",
        );
    });

    it("jdcloud RDS (JDCLOUD3): all 5 actions, key and token; host, content-type, x-jdcloud-* signed", async () => {
        const clock = new VirtualClock();
        const key = { accessKey: "wire-jd-ak", secretKey: "wire-jd-sk" };
        const svc = new JdcloudRdsService({
            clock,
            credentials: { [key.accessKey]: key.secretKey },
            timings: { buildMs: 1000, deleteMs: 1000 },
        });
        svc.seed("backup", { backupId: "bk-wire-01", engine: "MySQL", instanceId: `mysql-${SPECIAL}` });
        const { tap, url } = await start(svc, clock);
        const client = (c: { accessKey: string; secretKey: string; securityToken?: string }) =>
            new RdsClient({ endpoint: url, credentials: () => c, caller: new ApiCaller({ clock }) });
        const c = client(key);

        const name = `wire ${SPECIAL}`;
        const r = await c.createInstanceFromBackup("cn-north-1", {
            backupId: "bk-wire-01",
            engine: "MySQL",
            instanceSpec: {
                instanceName: name,
                instanceClass: "db.mysql.s1.micro",
                instanceStorageGB: 20,
                azId: ["cn-north-1a", "cn-north-1a"],
                vpcId: "vpc-wire",
                subnetId: "subnet-wire",
                chargeSpec: {},
            },
        });
        assert.equal((await c.describeInstance("cn-north-1", r.instanceId))?.instanceId, r.instanceId);
        assert.deepEqual(
            (await c.instancesNamed("cn-north-1", name)).map((i) => i.instanceId),
            [r.instanceId],
        );
        assert.deepEqual(
            (await c.describeBackups("cn-north-1", `mysql-${SPECIAL}`)).backups.map((b) => b.backupId),
            ["bk-wire-01"],
        );
        await c.deleteInstance("cn-north-1", r.instanceId);
        assert.equal(
            (await client({ ...key, securityToken: "wire-jd-token" }).describeBackups("cn-north-1", `mysql-${SPECIAL}`))
                .totalCount,
            1,
        );

        const xs = tap.exchanges();
        const action = (x: TappedExchange) =>
            svc.actionOf({
                method: x.method,
                path: wire(x).rawPath,
                rawPath: wire(x).rawPath,
                rawQuery: "",
                query: {},
                headers: {},
                body: "",
            });
        assert.deepEqual([...new Set(xs.map(action))].sort(), [
            "createInstanceFromBackup",
            "deleteInstance",
            "describeBackups",
            "describeInstanceAttributes",
            "describeInstances",
        ]);
        for (const x of xs) {
            const what = `${x.method} ${x.target}`;
            assertNoDuplicates(x);
            const auth = parseJdcloud3Authorization(x.headers.authorization);
            assert.ok(auth, `${what}: no JDCLOUD3 Authorization`);
            assert.deepEqual(
                unsignedOf(x, jdcloudCanonicalizedHeaders(x.headers), auth.signedHeaders),
                [],
                `${what}: canonical headers left unsigned`,
            );
            assert.deepEqual(
                verifyJdcloud3(wire(x), {
                    secretOf: () => key.secretKey,
                    service: "rds",
                    region: "cn-north-1",
                    now: x.request.at,
                }),
                { ok: true, accessKey: key.accessKey },
                what,
            );
            assert.ok(
                isRfc3986Query(wire(x).rawQuery),
                `${what}: the query is not in the RFC 3986 form it was signed in`,
            );
            assert.equal(x.status, 200, `${what}: ${x.response?.body}`);
        }
        assert.ok(
            xs.some((x) =>
                parseJdcloud3Authorization(x.headers.authorization)!.signedHeaders.includes("x-jdcloud-security-token"),
            ),
            "the security token is sent and signed",
        );
    });

    it("huaweicloud KooPhone: all 5 actions with AK/SK (canonical headers signed) and with an IAM token", async () => {
        const clock = new VirtualClock();
        const ak = { kind: "aksk" as const, accessKey: "WIREACCESSKEY0000001", secretKey: "wire-secret-key-koophone" };
        const user = { domain: "wire-domain", name: "wire-user", password: "wire-password" };
        const svc = new KooPhoneService({
            clock,
            users: [user],
            accessKeys: { [ak.accessKey]: { secretKey: ak.secretKey, domain: user.domain } },
            timings: { backupMs: 1000, restoreMs: 1000 },
        });
        svc.seed("instance", { id: "iwire01", owner: user.domain });
        svc.seed("instance", { id: SPECIAL, owner: user.domain });
        const { tap, url } = await start(svc, clock);
        const caller = new ApiCaller({ clock });
        const client = (auth: () => HwAuth) =>
            new KooPhoneClient({ endpoint: url, auth, caller, tokens: (a) => new IamTokenSource(a, caller, clock) });

        const c = client(() => ak);
        assert.deepEqual(
            (await c.listInstances(1, 10, SPECIAL)).result.map((i) => i.instance_id),
            [SPECIAL],
        );
        const b = await c.batchBackup(["iwire01"]);
        assert.ok(b.taskId, "a task id to ask ExecuteJob about");
        await c.executeJob(b.taskId!);
        clock.advance(2000);
        await c.batchPrepare("wire-user-01", ["iwire01"]);
        await client(() => ({ ...ak, securityToken: "wire-security-token" })).showProgress("wire-user-01", "iwire01");
        const signedCount = tap.exchanges().length;
        const t = client(() => ({
            kind: "token",
            authUrl: `${url}/v3`,
            domainName: user.domain,
            userName: user.name,
            password: user.password,
            projectName: "cn-south-1",
        }));
        assert.equal((await t.listInstances(1, 10, "iwire01")).result.length, 1);

        const xs = tap.exchanges();
        const actions = xs.map((x) =>
            svc.actionOf({
                method: x.method,
                path: wire(x).rawPath,
                rawPath: wire(x).rawPath,
                rawQuery: "",
                query: {},
                headers: {},
                body: "",
            }),
        );
        assert.deepEqual([...new Set(actions)].sort(), [
            "BatchBackupInstances",
            "BatchPrepareInstances",
            "ExecuteJob",
            "KeystoneCreateUserTokenByPassword",
            "ListInstances",
            "ShowProgress",
        ]);
        const signed = xs.slice(0, signedCount);
        for (const x of signed) {
            const what = `${x.method} ${x.target}`;
            assertNoDuplicates(x);
            const auth = parseHwAuthorization(x.headers.authorization);
            assert.ok(auth, `${what}: no SDK-HMAC-SHA256 Authorization`);
            assert.deepEqual(
                unsignedOf(x, hwCanonicalizedHeaders(x.headers), auth.signedHeaders),
                [],
                `${what}: canonical headers left unsigned`,
            );
            assert.deepEqual(
                verifyHw(wire(x), { secretOf: () => ak.secretKey, now: x.request.at }),
                { ok: true, accessKey: ak.accessKey },
                what,
            );
            assert.ok(
                isRfc3986Query(wire(x).rawQuery),
                `${what}: the query is not in the RFC 3986 form it was signed in`,
            );
            assert.equal(x.status, 200, `${what}: ${x.response?.body}`);
        }
        assert.ok(
            signed.some((x) =>
                parseHwAuthorization(x.headers.authorization)!.signedHeaders.includes("x-security-token"),
            ),
            "the security token is sent and signed",
        );
        // Token method: no signature; the token sent is the one IAM issued on this wire, and it is accepted.
        const [iam, call] = xs.slice(signedCount);
        assert.equal(iam.status, 201);
        const issued = iam.response!.headerLines.find(([k]) => k.toLowerCase() === "x-subject-token")?.[1];
        assert.ok(issued);
        assert.equal(call.headers["x-auth-token"], issued);
        assert.equal(call.headers.authorization, undefined);
        assert.equal(call.status, 200);
    });

    it("zstack: every VM action with a session (login, renew) and with an AccessKey; Date signed", async () => {
        clearSessions();
        setProgressSink(() => undefined);
        const clock = new VirtualClock();
        const svc = new ZStackService({
            clock,
            timings: { createMs: 2000, startMs: 1000, destroyMs: 1000, expungeMs: 1000 },
            advertisedBase: "http://127.0.0.9:1/zstack",
            accounts: { admin: "wire-password" },
            accessKeys: { "wire-ak-id": "wire-ak-secret" },
        });
        const demo = svc.seed("demo", {}) as {
            backupGroupUuid: string;
            instanceOfferingUuid: string;
            l3NetworkUuid: string;
        };
        const { tap, url } = await start(svc, clock);
        // A renewal margin longer than a session's life makes every call renew it, so RenewSession is on the wire too.
        const provider = (config: Record<string, string>) =>
            new VmFromBackupProvider(
                { clock, env: {}, random: () => 0.5, renewMarginMs: 3 * 3_600_000 },
                { "zstack:endpoint": url, ...config },
            );
        const lifecycle = async (p: VmFromBackupProvider, name: string) => {
            const checked = await p.check(
                {},
                {
                    restoreToken: `prt-${Buffer.from(name).toString("hex").padEnd(20, "0").slice(0, 20)}`,
                    backupGroupUuid: demo.backupGroupUuid,
                    name,
                    instanceOfferingUuid: demo.instanceOfferingUuid,
                    l3NetworkUuids: [demo.l3NetworkUuid],
                },
            );
            assert.deepEqual(checked.failures, []);
            const r = await p.create(checked.inputs);
            await p.read(r.id, r.outs);
            await p.delete(r.id, r.outs);
        };
        await lifecycle(
            provider({ "zstack:accountName": "admin", "zstack:accountPassword": "wire-password" }),
            "wire-session",
        );
        const sessionCount = tap.exchanges().length;
        await lifecycle(
            provider({ "zstack:accessKeyId": "wire-ak-id", "zstack:accessKeySecret": "wire-ak-secret" }),
            "wire-accesskey",
        );

        const xs = tap.exchanges();
        const action = (x: TappedExchange) =>
            svc.actionOf({
                method: x.method,
                path: wire(x).rawPath,
                rawPath: wire(x).rawPath,
                rawQuery: "",
                query: {},
                headers: {},
                body: x.request.body,
            });
        const bySession = xs.slice(0, sessionCount);
        const byKey = xs.slice(sessionCount);
        const vmActions = [
            "CreateVmFromVmBackup",
            "DestroyVmInstance",
            "ExpungeVmInstance",
            "GetJob",
            "QueryVmInstance",
            // The backup group is checked (every volume backup Ready) before CreateVmFromVmBackup.
            "QueryVolumeBackup",
        ];
        assert.deepEqual(
            [...new Set(bySession.map(action))].sort(),
            ["LogInByAccount", "RenewSession", ...vmActions].sort(),
        );
        assert.deepEqual([...new Set(byKey.map(action))].sort(), vmActions);
        const sessions = new Set<string>();
        for (const x of bySession) {
            assertNoDuplicates(x);
            if (action(x) === "LogInByAccount") {
                const sent = JSON.parse(x.request.body) as { logInByAccount: { password: string } };
                assert.equal(
                    sent.logInByAccount.password,
                    zstackPasswordHash("wire-password"),
                    "only the SHA-512 of the password is sent",
                );
                sessions.add((JSON.parse(x.response!.body) as { inventory: { uuid: string } }).inventory.uuid);
            } else if (action(x) !== "GetJob") {
                assert.ok(
                    sessions.has(x.headers.authorization?.replace(/^OAuth /, "") ?? ""),
                    `${x.method} ${x.target}: a session this wire logged in`,
                );
            }
            assert.ok(x.status === 200 || x.status === 202, `${x.method} ${x.target}: ${x.status} ${x.response?.body}`);
        }
        for (const x of byKey) {
            assertNoDuplicates(x);
            assert.ok(x.status === 200 || x.status === 202, `${x.method} ${x.target}: ${x.status} ${x.response?.body}`);
            if (action(x) === "GetJob") continue; // polled without authentication, as documented
            assert.ok(x.headers.date, `${x.method} ${x.target}: the signed Date header is sent`);
            assert.deepEqual(
                verifyZStackAccessKey(wire(x), {
                    secretOf: (id) => (id === "wire-ak-id" ? "wire-ak-secret" : undefined),
                    now: x.request.at,
                }),
                { ok: true, accessKeyId: "wire-ak-id" },
                `${x.method} ${x.target}`,
            );
        }
    });
});

describe("the emulators refuse a request with an unsigned canonical header, with the cloud's code", function () {
    this.timeout(30_000);
    const t = new AxiosTransport();
    let server: EmulatorServer;
    afterEach(async () => server?.stop());

    async function serve(svc: ConstructorParameters<typeof EmulatorServer>[0]): Promise<{ url: string; host: string }> {
        server = new EmulatorServer(svc);
        const url = await server.start();
        return { url, host: new URL(url).host };
    }

    it("alicloud: content-type, x-acs-* or x-acs-version not in SignedHeaders → SignatureDoesNotMatch", async () => {
        const clock = new VirtualClock(Date.now());
        const { url, host } = await serve(new StarRocksService({ clock, credentials: { ak: "sk" } }));
        let n = 0;
        const signed = () =>
            signAcs3({
                method: "POST",
                pathname: "/webapi/backup/manage/describe",
                query: {},
                host,
                action: "DescribeBackups",
                version: "2022-10-19",
                body: "",
                accessKeyId: "ak",
                accessKeySecret: "sk",
                date: acsDate(clock.now()),
                nonce: `nonce-${n++}`,
            }).headers;
        const send = async (headers: Record<string, string>) => {
            const h = { ...headers };
            delete h.host;
            const r = await t.send({ method: "POST", url: `${url}/webapi/backup/manage/describe`, headers: h }, 5000);
            return { status: r.status, ...(JSON.parse(r.body) as { Code?: string; Message?: string }) };
        };
        const ok = await send(signed());
        assert.equal(ok.status, 200, JSON.stringify(ok));
        const ct = await send({ ...signed(), "content-type": "application/x-www-form-urlencoded" });
        const extra = await send({ ...signed(), "x-acs-extra": "1" });
        // x-acs-version unsigned, the signature right for the headers that are listed: only the rule can refuse it.
        const h = signed();
        const names = ["host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce"];
        const wireView = {
            method: "POST",
            rawPath: "/webapi/backup/manage/describe",
            rawQuery: "",
            headers: h,
            body: "",
        };
        const sig = computeAcs3(wireView, names, "sk")!.signature;
        h.authorization = `ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=${names.join(";")},Signature=${sig}`;
        const version = await send(h);
        for (const [r, header] of [
            [ct, "content-type"],
            [extra, "x-acs-extra"],
            [version, "x-acs-version"],
        ] as const) {
            assert.equal(r.status, 400, JSON.stringify(r));
            assert.equal(r.Code, "SignatureDoesNotMatch");
            assert.match(r.Message ?? "", new RegExp(`${header} must be in SignedHeaders`));
        }
    });

    it("tencentcloud, jdcloud, huaweicloud: content-type sent but not signed is refused", async () => {
        const clock = new VirtualClock(Date.now());
        let e = await serve(new TencentRedisService({ clock, credentials: { id: "key" } }));
        const tc = signTc3({
            host: e.host,
            service: "redis",
            action: "DescribeInstances",
            version: "2018-04-12",
            region: "ap-guangzhou",
            timestamp: Math.floor(clock.now() / 1000),
            payload: "{}",
            secretId: "id",
            secretKey: "key",
        });
        const tcHeaders = {
            ...tc.headers,
            Authorization: tc.authorization.replace("SignedHeaders=content-type;host", "SignedHeaders=host"),
        };
        const tr = JSON.parse(
            (await t.send({ method: "POST", url: `${e.url}/`, headers: tcHeaders, body: "{}" }, 5000)).body,
        ) as { Response: { Error?: { Code: string; Message: string } } };
        assert.equal(tr.Response.Error?.Code, "AuthFailure.SignatureFailure");
        assert.match(tr.Response.Error?.Message ?? "", /content-type/);
        await server.stop();

        e = await serve(new JdcloudRdsService({ clock, credentials: { ak: "sk" } }));
        const path = "/v1/regions/cn-north-1/instances/mysql-x";
        const jd = signJdcloud3({
            method: "GET",
            path,
            query: {},
            host: e.host,
            body: "",
            contentType: "application/json",
            service: "rds",
            region: "cn-north-1",
            accessKey: "ak",
            secretKey: "sk",
            date: jdcloudDate(clock.now()),
            nonce: "n-1",
        });
        const jdHeaders: Record<string, string> = { ...jd.headers, "content-type": "text/plain" };
        delete jdHeaders.host;
        jdHeaders.authorization = jdHeaders.authorization.replace("SignedHeaders=content-type;", "SignedHeaders=");
        const jr = await t.send({ method: "GET", url: `${e.url}${path}`, headers: jdHeaders }, 5000);
        assert.equal(jr.status, 401);
        assert.match(
            (JSON.parse(jr.body) as { error: { message: string } }).error.message,
            /content-type must be signed/,
        );
        await server.stop();

        e = await serve(new KooPhoneService({ clock, accessKeys: { AK: { secretKey: "SK", domain: "d" } } }));
        const headers: Record<string, string> = { "X-Request-Id": "r-1", "X-Sdk-Date": sdkDate(clock.now()) };
        const hw = signHw({
            method: "GET",
            path: "/v1/instances/batch-query",
            query: { page_no: "1", page_size: "10" },
            headers: { ...headers, host: e.host },
            body: "",
            accessKey: "AK",
            secretKey: "SK",
        });
        const hr = await t.send(
            {
                method: "GET",
                url: `${e.url}/v1/instances/batch-query?page_no=1&page_size=10`,
                headers: { ...headers, "Content-Type": "application/json", Authorization: hw.authorization },
            },
            5000,
        );
        assert.equal(hr.status, 401);
        const hj = JSON.parse(hr.body) as { error_code: string; error_msg: string };
        assert.equal(hj.error_code, "APIGW.0301");
        assert.match(hj.error_msg, /content-type must be signed/);
    });
});
