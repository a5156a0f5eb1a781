/**
 * The reliability suites on the plugin path: the provider plugin process (plugin/, started as RunPlugin starts it and
 * driven over gRPC as the engine drives it) hosting all five resources against the emulator.
 *
 * 1. Secret scan: a whole lifecycle per resource (Check, Create, Read, Diff, Update, Delete) with random passwords and
 *    random cloud credentials given through Configure, and one call per cloud failing on a wrong credential. Every gRPC
 *    response, every error (message, details, partial-state properties and reasons) and the plugin's stdout and stderr
 *    are scanned (secretScanner.ts: raw, base64, URL, hex, JSON forms). Credentials must appear nowhere; a password may
 *    travel back only wrapped as a secret (the engine stores an unwrapped one in plaintext: `pulumi stack export`).
 *    `pulumi import` (Read without old state) is part of it: each resource reads an existing one from an import id
 *    that carries what its API does not report (provider/<cloud>/<x>Import.ts: Tencent's backup and task, KooPhone's
 *    user), and a malformed import id is refused, naming the format, without calling the cloud.
 * 2. Crash safety: the plugin is killed (SIGKILL) during Create right after the cloud carried out the creating call;
 *    a new plugin process creates again with the same URN: it adopts what the first one started (restore token,
 *    Tencent's journal, KooPhone's phone states), so exactly one cloud resource (or restore, or backup) exists, and
 *    Delete leaves none.
 */
import { strict as assert } from "assert";
import { randomBytes } from "crypto";
import { CloudName, EmulatorServer, RunningEmulator, startEmulator } from "../../emulator";
import { StarRocksService } from "../../emulator/alicloud/starrocks";
import { TencentRedisService } from "../../emulator/tencentcloud/redis";
import { ZStackService } from "../../emulator/zstack/zstack";
import { JdcloudRdsService } from "../../emulator/jdcloud/rds";
import { KooPhoneService } from "../../emulator/huaweicloud/koophone";
import { SECRET_SIG, SIG_KEY } from "../../plugin/secrets";
import { restoreToken } from "../../provider/core/resource";
import { hashPassword } from "../../provider/zstack/signer";
import { SUBJECTS as CLI_SUBJECTS } from "../cli/subjects";
import { PluginError, PluginHost } from "../support/pluginHost";
import { Finding, scanForSecrets, secretForms } from "./secretScanner";

type Props = Record<string, unknown>;
const rand = () => randomBytes(6).toString("hex");
/** A distinctive secret with characters URL encoding changes (every encoded form differs from the raw text). */
const secret = (label: string) => `${label}-${rand()}/+=@Q`;
const wrap = (value: unknown) => ({ [SIG_KEY]: SECRET_SIG, value });
const isWrapped = (v: unknown) => !!v && typeof v === "object" && (v as Props)[SIG_KEY] === SECRET_SIG;
const PROJECT = "plugin-rel";
const STACK = "rel";
const urn = (token: string, name: string) => `urn:pulumi:${STACK}::${PROJECT}::${token}::${name}`;
const USER_ID = "1008600000104285462";

/** Replaces every value wrapped as a secret by a marker, deeply: what is left, the engine stores in plaintext. */
function unwrappedPart(v: unknown): unknown {
    if (isWrapped(v)) return "[wrapped secret]";
    if (Array.isArray(v)) return v.map(unwrappedPart);
    if (v && typeof v === "object") {
        return Object.fromEntries(Object.entries(v as Props).map(([k, x]) => [k, unwrappedPart(x)]));
    }
    return v;
}

/** The values wrapped as secrets anywhere in `v`. */
function wrappedValues(v: unknown, out: unknown[] = []): unknown[] {
    if (isWrapped(v)) out.push((v as Props).value);
    else if (Array.isArray(v)) v.forEach((x) => wrappedValues(x, out));
    else if (v && typeof v === "object") Object.values(v as Props).forEach((x) => wrappedValues(x, out));
    return out;
}

/**
 * What one resource's lifecycle sent back, in two views: everything (credentials may appear nowhere, not even wrapped)
 * and the part outside secret wrappers (passwords may appear only wrapped).
 */
class Collected {
    readonly all: { source: string; text: string }[] = [];
    readonly plain: { source: string; text: string }[] = [];
    readonly wrapped: unknown[] = [];
    errors = 0;

    response(source: string, r: unknown): void {
        this.all.push({ source, text: JSON.stringify(r) });
        this.plain.push({ source, text: JSON.stringify(unwrappedPart(r)) });
        wrappedValues(r, this.wrapped);
    }

    /** A call that must fail: its message, code and partial-state details are collected like a response. */
    async failure(source: string, call: Promise<unknown>): Promise<PluginError> {
        const e = await call.then(
            () => assert.fail(`${source}: the call succeeded`),
            (x: PluginError) => x,
        );
        assert.ok(e instanceof PluginError, `${source}: ${String(e)}`);
        this.errors++;
        this.response(`${source}: error`, { message: e.message, grpcStatus: e.grpcStatus, initFailed: e.initFailed });
        return e;
    }

    output(source: string, host: PluginHost): void {
        const text = host.output.join("");
        this.all.push({ source, text });
        this.plain.push({ source, text });
    }
}

/** One cloud, on its own emulator server with random credentials. */
interface ScanCloud {
    cloud: CloudName;
    server: EmulatorServer;
    /** Its object in Configure's args (secrets wrapped); `wrong` swaps the secret credential for another. */
    config(wrong?: string): Props;
    /** Credentials (never allowed in any response, wrapped or not). */
    credentials: Record<string, string>;
    /** Secrets of resources (allowed in responses only wrapped). */
    passwords: Record<string, string>;
    /** Before the wrong-credential call: drop cached sessions or tokens, so the wrong one is really used. */
    beforeWrong?(): void;
    /** Secrets the cloud issued during the run (sessions, IAM tokens): allowed nowhere. */
    issued(): Record<string, string>;
    /** The lifecycle of the resource; returns the names of the steps. */
    lifecycle(host: PluginHost, c: Collected): Promise<string[]>;
    /** What must be in the error of the wrong-credential call. */
    authError: RegExp;
    /** An import id of an existing resource `pulumi import` can read, and a malformed one. */
    importable(): Promise<string> | string;
    badImportId: string;
}

async function serve(
    service: ConstructorParameters<typeof EmulatorServer>[0],
): Promise<{ server: EmulatorServer; url: string }> {
    const server = new EmulatorServer(service);
    return { server, url: await server.start() };
}

/**
 * Check, Create, Read, Diff (replacing and in place), Update, Delete of one resource, every response collected.
 * `change` is an in-place change of the created inputs; `replacing` one that replaces (where any does).
 */
async function lifecycle(
    host: PluginHost,
    c: Collected,
    o: {
        token: string;
        name: string;
        news: Props;
        change: Props;
        replacing?: Props;
        beforeUpdate?: () => void;
        verifyCreated(id: string): void;
        verifyDeleted(id: string): void;
    },
): Promise<string[]> {
    const u = urn(o.token, o.name);
    const checked = await host.check(u, {}, o.news);
    c.response("check", checked);
    assert.deepEqual(checked.failures, [], `${o.token}: check failed`);
    const created = await host.create(u, checked.inputs);
    c.response("create", created);
    o.verifyCreated(created.id);
    const read = await host.read(created.id, u, created.properties, checked.inputs);
    c.response("read", read);
    assert.equal(read.id, created.id, `${o.token}: read lost the resource`);
    if (o.replacing) {
        const rep = await host.check(u, checked.inputs, { ...o.news, ...o.replacing });
        c.response("check (replacing change)", rep);
        const repDiff = await host.diff(created.id, u, read.properties, rep.inputs);
        c.response("diff (replacing change)", repDiff);
        const what = `${JSON.stringify(o.replacing)} does not replace: ${JSON.stringify(repDiff)}`;
        assert.ok(repDiff.replaces.length > 0, `${o.token}: ${what}`);
    }
    const chg = await host.check(u, checked.inputs, { ...o.news, ...o.change });
    c.response("check (in-place change)", chg);
    const diff = await host.diff(created.id, u, read.properties, chg.inputs);
    c.response("diff (in-place change)", diff);
    assert.deepEqual(diff.replaces, [], `${o.token}: ${JSON.stringify(o.change)} replaces`);
    assert.ok(
        diff.changes === "some",
        `${o.token}: ${JSON.stringify(o.change)} is not a change: ${JSON.stringify(diff)}`,
    );
    o.beforeUpdate?.();
    const upd = await host.update(created.id, u, read.properties, chg.inputs);
    c.response("update", upd);
    await host.delete(created.id, u, upd.properties);
    o.verifyDeleted(created.id);
    return ["check", "create", "read", "diff", "update", "delete"];
}

/** The five clouds of the scan, each with its own random secrets. */
async function scanClouds(): Promise<ScanCloud[]> {
    const out: ScanCloud[] = [];

    {
        const AK = `scan-ak-${rand()}`;
        const SK = secret("sr-secret-key");
        const PW = secret("Sr-Adm1n");
        const PW2 = secret("Sr-Adm1n-2");
        const svc = new StarRocksService({ timings: { restoreMs: 300, releaseMs: 100 }, credentials: { [AK]: SK } });
        svc.seed("backup", { BackupTaskId: "bk-plugscan01", RegionId: "cn-hangzhou" });
        const { server, url } = await serve(svc);
        const live = () => svc.live().filter((i) => i.InstanceStatus !== "deleting");
        out.push({
            cloud: "alicloud",
            server,
            config: (wrong) => ({ endpoint: url, region: "cn-hangzhou", accessKey: AK, secretKey: wrap(wrong ?? SK) }),
            credentials: { secretKey: SK },
            passwords: { adminPassword: PW, adminPassword2: PW2 },
            issued: () => ({}),
            authError: /SignatureDoesNotMatch/,
            importable: () => {
                const inst = svc.seed("instance", { InstanceName: "scan-legacy", RegionId: "cn-hangzhou" });
                return (inst as { InstanceId: string }).InstanceId;
            },
            badImportId: "legacy:c-1234",
            lifecycle: (host, c) =>
                lifecycle(host, c, {
                    token: "pulumi-restore:alicloud/starrocks:RestoredInstance",
                    name: "scan-sr",
                    news: {
                        backupTaskId: "bk-plugscan01",
                        instanceName: "scan-sr",
                        adminPassword: wrap(PW),
                        timeouts: { create: "5m" },
                    },
                    replacing: { adminPassword: wrap(PW2) },
                    change: { timeouts: { create: "6m" } },
                    verifyCreated: (id) =>
                        assert.deepEqual(
                            live().map((i) => i.InstanceId),
                            [id],
                        ),
                    verifyDeleted: () => assert.deepEqual(live(), []),
                }),
        });
    }

    {
        const SID = `AKIDscan${rand()}`;
        const SK = secret("tc-secret-key");
        const TOKEN = secret("tc-security-token");
        const PW = secret("redis-pw1");
        const PW2 = secret("redis-pw2");
        const svc = new TencentRedisService({
            credentials: { [SID]: SK },
            tokens: { [SID]: TOKEN },
            timings: { prepareMs: 100, runMs: 200 },
        });
        svc.seed("instance", { InstanceId: "crs-plugsc01", Password: PW });
        svc.seed("backup", { InstanceId: "crs-plugsc01", BackupId: "plugscan-backup-01" });
        svc.seed("backup", { InstanceId: "crs-plugsc01", BackupId: "plugscan-backup-02" });
        const { server, url } = await serve(svc);
        out.push({
            cloud: "tencentcloud",
            server,
            config: (wrong) => ({
                endpoint: url,
                region: "ap-guangzhou",
                secretId: SID,
                secretKey: wrap(wrong ?? SK),
                securityToken: wrap(TOKEN),
            }),
            credentials: { secretKey: SK, securityToken: TOKEN },
            passwords: { password: PW, password2: PW2 },
            issued: () => ({}),
            authError: /AuthFailure/,
            // The lifecycle's restore (its resource deleted: the restore stays), recorded again.
            importable: () => `crs-plugsc01:${svc.restoreTasks("crs-plugsc01")[0].TaskId}:plugscan-backup-01`,
            badImportId: "crs-plugsc01:plugscan-backup-01",
            lifecycle: (host, c) =>
                lifecycle(host, c, {
                    token: "pulumi-restore:tencentcloud/redis:InstanceRestore",
                    name: "scan-redis",
                    news: {
                        instanceId: "crs-plugsc01",
                        backupId: "plugscan-backup-01",
                        password: wrap(PW),
                        timeouts: { create: "5m" },
                    },
                    replacing: { backupId: "plugscan-backup-02" },
                    // The instance's password was changed (console); the stack follows it.
                    change: { password: wrap(PW2) },
                    beforeUpdate: () => void (svc.instances.get("crs-plugsc01")!.Password = PW2),
                    verifyCreated: () => assert.equal(svc.restoreTasks("crs-plugsc01").length, 1),
                    // Nothing to undo: the restore stays (and is not repeated).
                    verifyDeleted: () => assert.equal(svc.restoreTasks("crs-plugsc01").length, 1),
                }),
        });
    }

    {
        const PW = secret("zs-account-password");
        const timings = { createMs: 300, startMs: 100, destroyMs: 100, expungeMs: 100 };
        const svc = new ZStackService({ timings, accounts: { admin: PW } });
        type Demo = { backupGroupUuid: string; instanceOfferingUuid: string; l3NetworkUuid: string };
        const demo = svc.seed("demo", {}) as Demo;
        const { server, url } = await serve(svc);
        const sessions = new Set<string>();
        server.onHandled = (action, res) => {
            const id = (res.body as { inventory?: { uuid?: string } })?.inventory?.uuid;
            if (action === "LogInByAccount" && id) sessions.add(id);
        };
        const vm = {
            backupGroupUuid: demo.backupGroupUuid,
            name: "scan-vm",
            instanceOfferingUuid: demo.instanceOfferingUuid,
            l3NetworkUuids: [demo.l3NetworkUuid],
            timeouts: { create: "2m" },
        };
        out.push({
            cloud: "zstack",
            server,
            config: (wrong) => ({ endpoint: url, accountName: "admin", accountPassword: wrap(wrong ?? PW) }),
            credentials: { accountPassword: PW, passwordHash: hashPassword(PW) },
            passwords: {},
            beforeWrong: () => svc.expireSessions(),
            issued: () => {
                const all = [...sessions, ...svc.sessions.keys()];
                return Object.fromEntries(all.map((s, i) => [`session${i + 1}`, s]));
            },
            authError: /Wrong account name or password/,
            importable: () => (svc.seed("vm", { name: "scan-legacy" }) as { uuid: string }).uuid,
            badImportId: "scan-legacy-vm",
            lifecycle: (host, c) =>
                lifecycle(host, c, {
                    token: "pulumi-restore:zstack:VmFromBackup",
                    name: "scan-vm",
                    news: vm,
                    replacing: { name: "scan-vm-2" },
                    change: { timeouts: { create: "3m" } },
                    verifyCreated: (id) =>
                        assert.deepEqual(
                            svc.liveVms().map((v) => v.uuid),
                            [id],
                        ),
                    verifyDeleted: () => assert.deepEqual(svc.liveVms(), []),
                }),
        });
    }

    {
        const AK = `scan-ak-${rand()}`;
        const SK = secret("jd-secret-key");
        const svc = new JdcloudRdsService({ credentials: { [AK]: SK }, timings: { buildMs: 300, deleteMs: 100 } });
        svc.seed("backup", { backupId: "bk-plugscan-01", engine: "MySQL" });
        svc.seed("backup", { backupId: "bk-plugscan-02", engine: "MySQL" });
        const { server, url } = await serve(svc);
        const spec = {
            instanceClass: "db.mysql.s1.micro",
            instanceStorageGB: 20,
            azId: ["cn-north-1a"],
            vpcId: "vpc-plugscan1",
            subnetId: "subnet-plugscan1",
            chargeSpec: {},
        };
        out.push({
            cloud: "jdcloud",
            server,
            config: (wrong) => ({ endpoint: url, region: "cn-north-1", accessKey: AK, secretKey: wrap(wrong ?? SK) }),
            credentials: { secretKey: SK },
            passwords: {},
            issued: () => ({}),
            authError: /signature does not match|UNAUTHENTICATED/i,
            importable: () =>
                (svc.seed("instance", { instanceName: "scan-legacy" }) as { instanceId: string }).instanceId,
            badImportId: "mysql-legacy:bk:extra",
            lifecycle: (host, c) =>
                lifecycle(host, c, {
                    token: "pulumi-restore:jdcloud/rds:RestoredInstance",
                    name: "scan-rds",
                    news: {
                        backupId: "bk-plugscan-01",
                        engine: "MySQL",
                        instanceSpec: spec,
                        timeouts: { create: "5m" },
                    },
                    replacing: { backupId: "bk-plugscan-02" },
                    change: { timeouts: { create: "6m" } },
                    verifyCreated: (id) =>
                        assert.deepEqual(
                            svc.live().map((i) => i.instanceId),
                            [id],
                        ),
                    verifyDeleted: () => assert.deepEqual(svc.live(), []),
                }),
        });
    }

    {
        const PW = secret("hw-iam-password");
        const user = { domain: "plugscan-domain", name: "plugscan-user", password: PW };
        const svc = new KooPhoneService({ timings: { backupMs: 200, restoreMs: 200 }, users: [user] });
        for (const id of ["ps1", "ps2", "ps3"]) svc.seed("instance", { id, owner: user.domain });
        const { server, url } = await serve(svc);
        const phases = () => ["ps1", "ps2", "ps3"].map((p) => svc.phaseOf(p));
        const tokens = new Set<string>();
        server.onHandled = (action, res) => {
            const t = res.headers?.["X-Subject-Token"];
            if (action === "KeystoneCreateUserTokenByPassword" && t) tokens.add(t);
        };
        out.push({
            cloud: "huaweicloud",
            server,
            config: (wrong) => ({
                endpoint: url,
                authUrl: `${url}/v3`,
                region: "cn-south-1",
                domainName: user.domain,
                userName: user.name,
                password: wrap(wrong ?? PW),
            }),
            credentials: { iamPassword: PW },
            passwords: {},
            beforeWrong: () => svc.revokeTokens(),
            issued: () => {
                for (const t of (svc as unknown as { tokens: Map<string, unknown> }).tokens.keys()) tokens.add(t);
                return Object.fromEntries([...tokens].map((t, i) => [`iamToken${i + 1}`, t]));
            },
            authError: /APIGW\.0301|username or password/i,
            importable: () => {
                svc.seed("instance", { id: "ps-parked", owner: user.domain, phase: "backedUp" });
                return `${USER_ID}:ps-parked`;
            },
            badImportId: "ps-parked",
            lifecycle: (host, c) =>
                lifecycle(host, c, {
                    token: "pulumi-restore:huaweicloud/koophone:InstanceBackup",
                    name: "scan-phones",
                    news: {
                        instanceIds: ["ps1", "ps2"],
                        userId: USER_ID,
                        timeouts: { create: "2m", update: "2m", delete: "2m" },
                    },
                    // Nothing replaces a KooPhone backup: another phone list updates in place.
                    change: { instanceIds: ["ps2", "ps3"] },
                    verifyCreated: () => assert.deepEqual(phases(), ["backedUp", "backedUp", "running"]),
                    verifyDeleted: () => assert.deepEqual(phases(), ["running", "running", "running"]),
                }),
        });
    }
    return out;
}

/** Summary lines, printed at the end. */
const figures: string[] = [];

describe("reliability: the plugin path (provider plugin process over gRPC, all five resources)", function () {
    this.timeout(120_000);
    const hosts: PluginHost[] = [];
    const servers: EmulatorServer[] = [];
    const emulators: RunningEmulator[] = [];

    after(async () => {
        await Promise.all(hosts.splice(0).map((h) => h.stop().catch(() => undefined)));
        await Promise.all(servers.splice(0).map((s) => s.stop()));
        await Promise.all(emulators.splice(0).map((e) => e.stop()));
        for (const f of figures) console.log(`      ${f}`);
    });

    const scanTitle = "a wrong credential and an import per cloud; no credential anywhere, passwords only wrapped";
    it(`secret scan: lifecycle of every resource, ${scanTitle}`, async () => {
        const clouds = await scanClouds();
        servers.push(...clouds.map((c) => c.server));
        const host = await PluginHost.start();
        hosts.push(host);
        const configure = (wrongFor?: CloudName, wrong?: string) =>
            host.configure(
                Object.fromEntries(clouds.map((c) => [c.cloud, c.config(c.cloud === wrongFor ? wrong : undefined)])),
            );
        await configure();

        const perCloud: { cloud: ScanCloud; c: Collected; wrong: string }[] = [];
        for (const cloud of clouds) {
            const c = new Collected();
            await cloud.lifecycle(host, c);
            // The wrong credential: a refresh of something that exists, with another (random) secret configured.
            const wrong = secret(`${cloud.cloud}-wrong`);
            cloud.beforeWrong?.();
            await configure(cloud.cloud, wrong);
            const probe = probeProps(cloud.cloud);
            const read = host.read("does-not-matter-0001", urnFor(cloud.cloud, "scan-wrong"), probe, probe);
            const e = await c.failure("read with a wrong credential", read);
            assert.match(e.message, cloud.authError, `${cloud.cloud}: the wrong credential's error`);
            await configure();
            // `pulumi import` (a read without old state): each resource reads the existing one its import id names; a
            // malformed import id is refused, naming the format, without calling the cloud.
            const importUrn = urnFor(cloud.cloud, "scan-import");
            const id = await cloud.importable();
            const imported = await host.read(id, importUrn);
            c.response("import (read without old state)", imported);
            assert.ok(imported.id, `${cloud.cloud}: the import recorded no id`);
            assert.ok(imported.inputs, `${cloud.cloud}: the import returned no inputs`);
            const calls = cloud.server.count();
            const refused = await c.failure("import with a malformed id", host.read(cloud.badImportId, importUrn));
            assert.match(refused.message, /the import id .* The import id is /);
            assert.equal(cloud.server.count(), calls, `${cloud.cloud}: the refused import called the cloud`);
            perCloud.push({ cloud, c, wrong });
        }
        // A create that fails after the cloud assigned an id sends partial state (ErrorResourceInitFailed) back:
        // its properties carry the password too.
        {
            const sr = clouds[0];
            const c = perCloud[0].c;
            const u = urn("pulumi-restore:alicloud/starrocks:RestoredInstance", "scan-partial");
            const pw = sr.passwords.adminPassword;
            const news = { backupTaskId: "bk-plugscan01", instanceName: "scan-partial", adminPassword: wrap(pw) };
            const { inputs } = await host.check(u, {}, news);
            const e = await c.failure("create cut short by customTimeouts", host.create(u, inputs, 0.1));
            assert.ok(e.initFailed, `not partial state: ${e.message}`);
            // Whether its password is wrapped is the scan's to say (below), without printing it here.
            assert.ok("adminPassword" in e.initFailed!.properties, "the partial state has no password to scan");
            await host.delete(e.initFailed!.id, u, e.initFailed!.properties);
        }

        let total = 0;
        const summary: string[] = [];
        for (const { cloud, c, wrong } of perCloud) {
            c.output("plugin stdout and stderr", host);
            const everywhere = { ...cloud.credentials, wrongCredential: wrong, ...cloud.issued() };
            // Control: the scan looks at real material (the restore token is in the outputs, progress lines in
            // the output).
            const token = restoreToken(PROJECT, STACK, SCAN_NAMES[cloud.cloud]);
            const control = scanForSecrets(c.all, { restoreToken: token });
            const where = "the scan does not find the restore token in the create response";
            assert.ok(
                control.some((f) => f.source === "create"),
                `${cloud.cloud}: ${where}`,
            );
            assert.match(c.all[c.all.length - 1].text, /\[pulumi-restore\]/, "no progress line in the plugin's output");
            assert.ok(c.errors > 0);
            const findings: Finding[] = [
                ...scanForSecrets(c.all, everywhere),
                ...(Object.keys(cloud.passwords).length ? scanForSecrets(c.plain, cloud.passwords) : []),
            ];
            const secrets = { ...everywhere, ...cloud.passwords };
            const forms = Object.values(secrets).reduce((n, s) => n + secretForms(s).length, 0);
            total += findings.length;
            const n = Object.keys(secrets).length;
            const texts = c.all.length;
            summary.push(`${cloud.cloud} ${findings.length} findings (${n} secrets in ${forms} forms, ${texts} texts)`);
            const leaks = findings.map((f) => `${f.secret} (${f.form}) in ${f.source}`).join("; ");
            assert.deepEqual(findings, [], `${cloud.cloud}: secrets leaked: ${leaks}`);
            // Controls: the passwords did come back (wrapped), and the cloud's sessions or tokens were collected.
            for (const pw of Object.values(cloud.passwords)) {
                const why = "a password never came back wrapped (the scan of passwords proves nothing)";
                assert.ok(c.wrapped.includes(pw), `${cloud.cloud}: ${why}`);
            }
            if (cloud.beforeWrong) {
                assert.ok(Object.keys(cloud.issued()).length > 0, `${cloud.cloud}: no session or token was collected`);
            }
        }
        figures.push(`plugin-path secret scan: ${total} findings; ${summary.join("; ")}`);
    });

    describe("crash safety: the plugin is killed (SIGKILL) right after the cloud carried out the creating call", () => {
        let emu: RunningEmulator;
        let config: Props;
        let next: Promise<PluginHost>;
        const lines: string[] = [];
        /** A plugin started ahead of need (configured), so the suite does not wait for each start in turn. */
        const started = async () => {
            const h = await PluginHost.start();
            hosts.push(h);
            await h.configure(config);
            return h;
        };
        const take = () => {
            const h = next;
            next = started();
            next.catch(() => undefined);
            return h;
        };

        before(async () => {
            emu = await startEmulator({
                starrocks: { restoreMs: 600, releaseMs: 100 },
                tencentcloud: { prepareMs: 200, runMs: 400 },
                zstack: { createMs: 400, startMs: 200, destroyMs: 100, expungeMs: 100 },
                jdcloud: { buildMs: 600, deleteMs: 100 },
                huaweicloud: { backupMs: 600, restoreMs: 200 },
            });
            emulators.push(emu);
            config = {};
            for (const [k, v] of Object.entries(emu.config)) {
                const [cloud, key] = k.split(":");
                config[cloud] = { ...(config[cloud] as Props), [key]: emu.secretConfigKeys.includes(k) ? wrap(v) : v };
            }
            next = started();
        });
        after(async () => {
            await (await next.catch(() => undefined))?.stop();
            if (lines.length) figures.push(`plugin-path crash safety: ${lines.length} resources; ${lines.join("; ")}`);
        });

        for (const s of CLI_SUBJECTS) {
            const title = "the next plugin's Create adopts it (exactly one), Delete leaves none";
            it(`${s.type}: killed after ${s.createAction}; ${title}`, async () => {
                const seeded = s.seed(emu).config;
                const u = urn(`pulumi-restore:${s.type}`, `crash-${s.subject}`);
                const news = crashInputs(s.subject, seeded);
                const server = emu[s.cloud].server;
                const liveBefore = s.live(emu);
                const calls = server.count(s.createAction);

                const first = await take();
                const { inputs, failures } = await first.check(u, {}, news);
                assert.deepEqual(failures, []);
                let killed = false;
                server.onHandled = (action) => {
                    if (action !== s.createAction || killed) return;
                    killed = true;
                    first.kill();
                };
                const err = await first.create(u, inputs).then(
                    () => undefined,
                    (e: PluginError) => e,
                );
                server.onHandled = undefined;
                await first.exited();
                assert.ok(killed, `${s.cloud}: the kill point was not reached`);
                assert.ok(err, `${s.cloud}: the create on the killed plugin succeeded`);
                assert.equal(server.count(s.createAction), calls + 1);
                // KooPhone's phones are still being backed up (not yet counted as parked); the others count at once.
                if (s.cloud !== "huaweicloud") {
                    const why = "the killed create's resource is in the cloud";
                    assert.equal(s.live(emu) - liveBefore, s.perResource, `${s.cloud}: ${why}`);
                }

                const second = await take();
                const again = await second.check(u, {}, news);
                const created = await second.create(u, again.inputs);
                const again2 = `${s.cloud}: the new plugin called ${s.createAction} again`;
                assert.equal(server.count(s.createAction), calls + 1, again2);
                const after2 = `${s.cloud}: cloud resources after the second create`;
                assert.equal(s.live(emu) - liveBefore, s.perResource, after2);
                verifyAdopted(s.subject, emu, created.id, news);
                await second.delete(created.id, u, created.properties);
                assert.equal(s.live(emu), s.afterDestroy(liveBefore + s.perResource), `${s.cloud}: after delete`);
                const what =
                    { tencentcloud: "1 restore task", huaweicloud: "1 backup of each of 2 phones" }[s.subject] ??
                    "1 instance";
                lines.push(`${s.subject} killed after ${s.createAction}: ${what}, adopted, deleted`);
                await Promise.all([first.stop(), second.stop()]);
            });
        }
    });
});

const TOKENS: Record<CloudName, string> = {
    alicloud: "pulumi-restore:alicloud/starrocks:RestoredInstance",
    tencentcloud: "pulumi-restore:tencentcloud/redis:InstanceRestore",
    zstack: "pulumi-restore:zstack:VmFromBackup",
    jdcloud: "pulumi-restore:jdcloud/rds:RestoredInstance",
    huaweicloud: "pulumi-restore:huaweicloud/koophone:InstanceBackup",
};
const urnFor = (cloud: CloudName, name: string) => urn(TOKENS[cloud], name);
/** The resource names of the scan's lifecycles. */
const SCAN_NAMES: Record<CloudName, string> = {
    alicloud: "scan-sr",
    tencentcloud: "scan-redis",
    zstack: "scan-vm",
    jdcloud: "scan-rds",
    huaweicloud: "scan-phones",
};
const ZS_PROBE = "0123456789abcdef0123456789abcdef";
const CRASH_RDS_SPEC = {
    instanceClass: "db.mysql.s1.micro",
    instanceStorageGB: 20,
    azId: ["cn-north-1a"],
    vpcId: "vpc-crash0001",
    subnetId: "subnet-crash0001",
    chargeSpec: {},
};

/** Old outputs for a refresh that must reach the cloud (and so authenticate). */
function probeProps(cloud: CloudName): Props {
    switch (cloud) {
        case "alicloud":
            return { instanceId: "c-plugscanprobe", backupTaskId: "bk-plugscan01", instanceName: "probe" };
        case "tencentcloud":
            return { instanceId: "crs-plugsc01", backupId: "plugscan-backup-01", taskId: 1 };
        case "zstack":
            return { uuid: ZS_PROBE, name: "probe", backupGroupUuid: ZS_PROBE };
        case "jdcloud":
            return { instanceId: "mysql-plugscanprobe", backupId: "bk-plugscan-01", engine: "MySQL" };
        case "huaweicloud":
            return { instanceIds: ["ps1"], userId: USER_ID };
    }
}

/** The plugin's inputs for a CLI subject's seeded config (tests/cli/subjects.ts); `subject` as it names it. */
function crashInputs(subject: string, seeded: Record<string, string>): Props {
    switch (subject) {
        case "alicloud":
            return { backupTaskId: seeded.backup, instanceName: "crash-sr", adminPassword: wrap(seeded.adminPassword) };
        case "tencentcloud":
            return { instanceId: seeded.instanceId, backupId: seeded.backup, password: wrap(seeded.redisPassword) };
        case "zstack":
            return {
                backupGroupUuid: seeded.backup,
                name: "crash-vm",
                instanceOfferingUuid: seeded.instanceOfferingUuid,
                l3NetworkUuids: [seeded.l3NetworkUuid],
            };
        case "jdcloud":
            return { backupId: seeded.backup, engine: "MySQL", instanceSpec: CRASH_RDS_SPEC };
        case "tencentcloud-clone":
            return {
                sourceInstanceId: seeded.sourceInstanceId,
                backupId: seeded.backup,
                zoneId: 100003,
                securityGroupIds: ["sg-crash001"],
                password: wrap(seeded.redisPassword),
            };
        case "huaweicloud":
            return { instanceIds: seeded.backup.split(","), userId: USER_ID };
    }
    throw new Error(`no crash inputs for subject ${subject}`);
}

/** The second create's result is the cloud resource the killed create started, finished. */
function verifyAdopted(subject: string, emu: RunningEmulator, id: string, news: Props): void {
    switch (subject) {
        case "alicloud": {
            const live = emu.alicloud.service.live().filter((i) => i.InstanceStatus !== "deleting");
            assert.deepEqual(
                live.map((i) => [i.InstanceId, i.InstanceStatus]),
                [[id, "running"]],
            );
            break;
        }
        case "tencentcloud": {
            const tasks = emu.tencentcloud.service.restoreTasks(news.instanceId as string);
            assert.equal(tasks.length, 1, "restore tasks");
            assert.equal(id, `${news.instanceId}:${tasks[0].TaskId}`);
            break;
        }
        case "tencentcloud-clone": {
            // One clone (the killed create's), running, tagged with the resource's restore token; the source untouched.
            const clones = emu.tencentcloud.service
                .live()
                .filter((i) => i.Tags.some((t) => t.TagKey === "pulumi-restore-token"));
            assert.deepEqual(
                clones.map((i) => [i.InstanceId, i.Status]),
                [[id, 2]],
            );
            // The emulator is shared by the cases of this file: count restores of this source only.
            assert.deepEqual(emu.tencentcloud.service.restoreTasks(news.sourceInstanceId as string), []);
            break;
        }
        case "zstack":
            assert.deepEqual(
                emu.zstack.service.liveVms().map((v) => [v.uuid, v.state]),
                [[id, "Running"]],
            );
            break;
        case "jdcloud":
            assert.deepEqual(
                emu.jdcloud.service.live().map((i) => [i.instanceId, i.instanceStatus]),
                [[id, "RUNNING"]],
            );
            break;
        case "huaweicloud": {
            type Phone = { instance_id: string; phase: string; backups: number };
            const snap = emu.huaweicloud.service.snapshot().instances as Phone[];
            for (const p of news.instanceIds as string[]) {
                const ph = snap.find((x) => x.instance_id === p);
                const seen = ph && { phase: ph.phase, backups: ph.backups };
                assert.deepEqual(seen, { phase: "backedUp", backups: 1 }, `phone ${p}`);
            }
            break;
        }
    }
}
