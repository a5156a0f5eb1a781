/**
 * Secret scan: for each resource, a whole lifecycle through the real dynamic-provider host (preview, up, no-op up, an
 * update or replace, a step that fails on a wrong credential, refresh, destroy) with distinctive secrets, then a scan
 * of everything that could carry one out: the saved state after every step, the host's stdout and stderr, every error
 * (message, stack and fields) and every `__provider` string. No password, secret key, security token, IAM token or
 * session id used in the run may appear, as it is or base64, base64url, URL-encoded, hex or JSON-escaped.
 */
import { strict as assert } from "assert";
import { randomBytes } from "crypto";
import { alicloud, huaweicloud, jdcloud, tencentcloud, zstack } from "../../index";
import { EmulatorServer } from "../../emulator/core/server";
import { StarRocksService } from "../../emulator/alicloud/starrocks";
import { TencentRedisService } from "../../emulator/tencentcloud/redis";
import { ZStackService } from "../../emulator/zstack/zstack";
import { JdcloudRdsService } from "../../emulator/jdcloud/rds";
import { KooPhoneService } from "../../emulator/huaweicloud/koophone";
import { restoreToken } from "../../provider/core/resource";
import { hashPassword } from "../../provider/zstack/signer";
import { Engine, RunResult } from "../../harness/engine";
import { Finding, scanForSecrets, secretForms } from "./secretScanner";

const rand = () => randomBytes(6).toString("hex");
/** A distinctive secret, with characters that URL encoding changes, so that every form differs from the raw text. */
const secret = (label: string) => `${label}-${rand()}/+=@Q`;

function errorText(e: Error): string {
    return [e.message, e.stack ?? "", JSON.stringify({ ...e })].join("\n");
}

/** Everything a lifecycle left behind that could carry a secret out. */
class Collected {
    readonly texts: { source: string; text: string }[] = [];
    readonly providers = new Set<string>();
    stepErrors = 0;

    /** Records what one step left: the saved state, its errors, its stack outputs, the `__provider` strings in state. */
    step(label: string, eng: Engine, r: RunResult): RunResult {
        this.texts.push({ source: `${label}: saved state`, text: eng.serializedState() });
        for (const st of eng.state.values()) {
            for (const props of [st.inputs, st.outputs])
                if (typeof props.__provider === "string") this.providers.add(props.__provider);
        }
        for (const e of r.errors) this.texts.push({ source: `${label}: error`, text: errorText(e) });
        this.stepErrors += r.errors.length;
        if (r.outputs !== undefined)
            this.texts.push({ source: `${label}: stack outputs`, text: JSON.stringify(r.outputs) ?? "" });
        return r;
    }

    /** Adds the hosts' stdout/stderr, every error the engines saw and every `__provider` string. */
    finish(engines: Engine[]): void {
        engines.forEach((eng, i) => {
            eng.hosts.forEach((h, j) => {
                this.texts.push({ source: `engine ${i} host ${j}: stdout`, text: h.stdout.join("\n") });
                this.texts.push({ source: `engine ${i} host ${j}: stderr`, text: h.stderr.join("") });
            });
            for (const e of eng.allErrors) this.texts.push({ source: `engine ${i}: error`, text: errorText(e) });
        });
        for (const p of this.providers) this.texts.push({ source: "__provider", text: p });
    }

    get bytes(): number {
        return this.texts.reduce((n, t) => n + t.text.length, 0);
    }

    all(): string {
        return this.texts.map((t) => t.text).join("\n");
    }
}

/** The figures of one resource's scan, printed at the end. */
const figures: string[] = [];

/**
 * Scans, asserts nothing was found, and that the material scanned is real (a scan of nothing proves nothing): the same
 * scan must find `resourceName`'s restore token, a value the run certainly wrote into state and progress lines.
 */
function assertClean(
    name: string,
    c: Collected,
    secrets: Record<string, string>,
    mustMention: RegExp[],
    resourceName: string,
): void {
    const all = c.all();
    const control = scanForSecrets(c.texts, {
        restoreToken: restoreToken("pulumi-restore-test", "test", resourceName),
    });
    assert.ok(
        control.some((f) => /saved state/.test(f.source)),
        "the scan does not find the restore token in the saved state: it is not looking at the real material",
    );
    assert.ok(c.providers.size > 0, "no __provider string was collected");
    assert.ok(c.stepErrors > 0, "the lifecycle had no failing step");
    assert.ok(/\[pulumi-restore\]/.test(all), "no progress line was collected from the host's stdout");
    for (const re of mustMention) assert.match(all, re, "the collected text misses something the lifecycle produced");
    const findings: Finding[] = scanForSecrets(c.texts, secrets);
    const forms = Object.values(secrets).reduce((n, s) => n + secretForms(s).length, 0);
    figures.push(
        `${name}: ${findings.length} findings, ${Object.keys(secrets).length} secrets in ${forms} forms, ${c.texts.length} texts (${Math.round(c.bytes / 1024)} KiB)`,
    );
    assert.deepEqual(
        findings,
        [],
        `secrets leaked: ${findings.map((f) => `${f.secret} (${f.form}) in ${f.source}`).join("; ")}`,
    );
}

async function serve<S extends ConstructorParameters<typeof EmulatorServer>[0]>(
    service: S,
): Promise<{ server: EmulatorServer; url: string }> {
    const server = new EmulatorServer(service);
    return { server, url: await server.start() };
}

describe("reliability: secret scan over whole lifecycles (real dynamic-provider host)", function () {
    this.timeout(120_000);
    const engines: Engine[] = [];
    const servers: EmulatorServer[] = [];
    const engine = (config: Record<string, string>, secretConfigKeys: string[]) => {
        const e = new Engine({ config, secretConfigKeys });
        engines.push(e);
        return e;
    };

    afterEach(async () => {
        await Promise.all(engines.splice(0).map((e) => e.close().catch(() => undefined)));
        await Promise.all(servers.splice(0).map((s) => s.stop()));
    });

    after(() => {
        console.log(`      secret scan: ${figures.join("; ")}`);
    });

    it("the scanner finds a planted secret in every form, anywhere in a longer text, and nothing in clean text", () => {
        const s = secret("planted");
        const pad = "x-prefix:";
        const plant = (v: string): Record<string, string> => ({
            raw: `error: ${v} rejected`,
            base64: Buffer.from(`${pad}${v};tail`).toString("base64"),
            base64at1: Buffer.from(`a${pad}${v}`).toString("base64"),
            base64at2: Buffer.from(`ab${pad}${v}`).toString("base64"),
            base64url: Buffer.from(`${pad}${v}`).toString("base64url"),
            url: `https://h/?k=${encodeURIComponent(v)}&x=1`,
            form: new URLSearchParams({ a: "1", k: v }).toString(),
            hex: Buffer.from(`${pad}${v}`).toString("hex"),
            json: JSON.stringify({ k: `"${v}"` }),
        });
        const planted = plant(s);
        for (const [label, text] of Object.entries(planted)) {
            const f = scanForSecrets([{ source: label, text }], { planted: s });
            assert.ok(f.length > 0, `the scanner missed the secret planted as ${label}`);
            assert.ok(f.every((x) => x.source === label && x.secret === "planted"));
        }
        // The same texts around another secret of the same shape: nothing to find.
        const clean = Object.values(plant(secret("planted"))).join("\n");
        assert.deepEqual(scanForSecrets([{ source: "clean", text: clean }], { planted: s }), []);
        assert.throws(() => scanForSecrets([], { short: "abc" }), /too short/);
        // The findings name the secret and the place, never the secret itself.
        const f = scanForSecrets([{ source: "x", text: s }], { planted: s });
        assert.ok(!JSON.stringify(f).includes(s));
    });

    it("alicloud.starrocks.RestoredInstance: preview, up, no-op, replace on a new password, wrong key, refresh, destroy", async () => {
        const AK = `scan-ak-${rand()}`;
        const SK = secret("sr-secret-key");
        const ROTATED = secret("sr-rotated-key");
        const PW1 = `Pw1-${rand()}/+=@Q`;
        const PW2 = `Pw2-${rand()}/+=@Q`;
        const credentials = { [AK]: SK };
        const svc = new StarRocksService({ timings: { restoreMs: 500, releaseMs: 200 }, credentials });
        svc.seed("backup", { BackupTaskId: "bk-scan00001", RegionId: "cn-hangzhou" });
        const { server, url } = await serve(svc);
        servers.push(server);
        const eng = engine(
            {
                "alicloud:endpoint": url,
                "alicloud:region": "cn-hangzhou",
                "alicloud:accessKey": AK,
                "alicloud:secretKey": SK,
            },
            ["alicloud:secretKey"],
        );
        let adminPassword = PW1;
        const program = () => {
            const r = new alicloud.starrocks.RestoredInstance("scan-sr", {
                backupTaskId: "bk-scan00001",
                instanceName: "scan-sr",
                adminPassword,
                timeouts: { create: "5m" },
            });
            return { id: r.instanceId, status: r.status };
        };
        const c = new Collected();
        const ok = (r: RunResult) =>
            assert.deepEqual(
                r.errors.map((e) => e.message),
                [],
            );

        ok(c.step("preview", eng, await eng.preview(program)));
        assert.equal(server.count(), 0, "preview calls no API");
        ok(c.step("up", eng, await eng.up(program)));
        assert.equal(eng.resource("scan-sr")?.outputs.status, "running");
        const same = c.step("no-op up", eng, await eng.up(program));
        ok(same);
        assert.equal(same.steps[0].op, "same");
        adminPassword = PW2;
        const rep = c.step("replace", eng, await eng.up(program));
        ok(rep);
        assert.equal(rep.steps[0].op, "replace");
        credentials[AK] = ROTATED; // the stack's key is now wrong
        const bad = c.step("wrong key", eng, await eng.refresh());
        assert.ok(bad.errors.length > 0, "a refresh with a wrong key fails");
        credentials[AK] = SK;
        ok(c.step("refresh", eng, await eng.refresh()));
        ok(c.step("destroy", eng, await eng.destroy()));
        assert.equal(svc.live().filter((i) => i.InstanceStatus !== "deleting").length, 0);
        c.finish([eng]);
        assertClean(
            "starrocks",
            c,
            { secretKey: SK, rotatedKey: ROTATED, adminPassword1: PW1, adminPassword2: PW2 },
            [/SignatureDoesNotMatch/, /scan-sr/],
            "scan-sr",
        );
    });

    it("alicloud.starrocks.RestoredInstance: the API answers 400 quoting the request (the password in it)", async () => {
        const AK = `scan-ak-${rand()}`;
        const SK = secret("sr-echo-secret-key");
        const STS = secret("sr-echo-sts-token");
        const PW = `Pw3-${rand()}/+=@Q"`;
        const svc = new StarRocksService({
            timings: { restoreMs: 300, releaseMs: 100 },
            credentials: { [AK]: SK },
            securityTokens: { [AK]: { token: STS, expiresAt: Date.now() + 3_600_000 } },
        });
        svc.seed("backup", { BackupTaskId: "bk-echo00001", RegionId: "cn-hangzhou" });
        const { server, url } = await serve(svc);
        servers.push(server);
        const config = {
            "alicloud:endpoint": url,
            "alicloud:region": "cn-hangzhou",
            "alicloud:accessKey": AK,
            "alicloud:secretKey": SK,
            "alicloud:securityToken": STS,
        };
        const eng = engine(config, ["alicloud:secretKey", "alicloud:securityToken"]);
        const program = () => {
            new alicloud.starrocks.RestoredInstance("echo-sr", {
                backupTaskId: "bk-echo00001",
                instanceName: "echo-sr",
                adminPassword: PW,
                timeouts: { create: "5m" },
            });
        };
        const c = new Collected();
        server.inject({ action: "RestoreInstance", kind: "echo400" });
        const quoted = c.step("up, 400 quoting the request", eng, await eng.up(program));
        assert.ok(
            quoted.errors.some((e) => /InvalidParameter.*invalid parameter in POST/s.test(e.message)),
            "the quoting answer reached the user",
        );
        // Answers echoing the whole request (headers too) with HTTP 500 are covered for every resource, on virtual
        // clocks, by secret-echo.test.ts: through the host, the retries of each attempt would take real seconds.
        assert.deepEqual(
            c.step("up", eng, await eng.up(program)).errors.map((e) => e.message),
            [],
        );
        assert.deepEqual(
            c.step("destroy", eng, await eng.destroy()).errors.map((e) => e.message),
            [],
        );
        c.finish([eng]);
        assertClean(
            "starrocks-echo",
            c,
            { secretKey: SK, securityToken: STS, adminPassword: PW },
            [/invalid parameter in POST/],
            "echo-sr",
        );
    });

    it("tencentcloud.redis.InstanceRestore: preview, up, no-op, password update, wrong key, refresh, destroy (with a security token)", async () => {
        const SID = `AKIDscan${rand()}`;
        const SK = secret("tc-secret-key");
        const TOKEN = secret("tc-security-token");
        const ROTATED = secret("tc-rotated-key");
        const PW1 = secret("redis-pw1");
        const PW2 = secret("redis-pw2");
        const credentials = { [SID]: SK };
        const svc = new TencentRedisService({
            credentials,
            tokens: { [SID]: TOKEN },
            timings: { prepareMs: 100, runMs: 300 },
        });
        svc.seed("instance", { InstanceId: "crs-scan0001", Password: PW1 });
        svc.seed("backup", { InstanceId: "crs-scan0001", BackupId: "scan-backup-01" });
        const { server, url } = await serve(svc);
        servers.push(server);
        const eng = engine(
            {
                "tencentcloud:endpoint": url,
                "tencentcloud:region": "ap-guangzhou",
                "tencentcloud:secretId": SID,
                "tencentcloud:secretKey": SK,
                "tencentcloud:securityToken": TOKEN,
            },
            ["tencentcloud:secretKey", "tencentcloud:securityToken"],
        );
        let password = PW1;
        const program = () => {
            const r = new tencentcloud.redis.InstanceRestore("scan-redis", {
                instanceId: "crs-scan0001",
                backupId: "scan-backup-01",
                password,
                timeouts: { create: "5m" },
            });
            return { taskId: r.taskId, status: r.status };
        };
        const c = new Collected();
        const ok = (r: RunResult) =>
            assert.deepEqual(
                r.errors.map((e) => e.message),
                [],
            );

        ok(c.step("preview", eng, await eng.preview(program)));
        assert.equal(server.count(), 0, "preview calls no API");
        ok(c.step("up", eng, await eng.up(program)));
        assert.equal(eng.resource("scan-redis")?.outputs.status, "succeed");
        const same = c.step("no-op up", eng, await eng.up(program));
        ok(same);
        assert.equal(same.steps[0].op, "same");
        svc.instances.get("crs-scan0001")!.Password = PW2;
        password = PW2;
        const upd = c.step("password update", eng, await eng.up(program));
        ok(upd);
        assert.equal(upd.steps[0].op, "update");
        credentials[SID] = ROTATED;
        const bad = c.step("wrong key", eng, await eng.refresh());
        assert.ok(bad.errors.length > 0, "a refresh with a wrong key fails");
        credentials[SID] = SK;
        ok(c.step("refresh", eng, await eng.refresh()));
        ok(c.step("destroy", eng, await eng.destroy()));
        assert.equal(eng.resource("scan-redis"), undefined);
        c.finish([eng]);
        assertClean(
            "tencent-redis",
            c,
            { secretKey: SK, securityToken: TOKEN, rotatedKey: ROTATED, password1: PW1, password2: PW2 },
            [/AuthFailure/, /crs-scan0001/],
            "scan-redis",
        );
    });

    it("tencentcloud.redis.RestoredInstance: preview, up, no-op, password update, replace on a new backup, wrong key, refresh, destroy (with a security token)", async () => {
        const SID = `AKIDscan${rand()}`;
        const SK = secret("tc-clone-secret-key");
        const TOKEN = secret("tc-clone-security-token");
        const ROTATED = secret("tc-clone-rotated-key");
        const SOURCE_PW = secret("source-pw");
        const PW1 = secret("clone-pw1");
        const PW2 = secret("clone-pw2");
        const credentials = { [SID]: SK };
        const svc = new TencentRedisService({
            credentials,
            tokens: { [SID]: TOKEN },
            timings: { cloneMs: 300, destroyMs: 100, cleanUpMs: 100 },
        });
        svc.seed("instance", { InstanceId: "crs-scansrc1", Password: SOURCE_PW });
        svc.seed("backup", { InstanceId: "crs-scansrc1", BackupId: "scan-clone-backup-01" });
        svc.seed("backup", { InstanceId: "crs-scansrc1", BackupId: "scan-clone-backup-02" });
        const { server, url } = await serve(svc);
        servers.push(server);
        const eng = engine(
            {
                "tencentcloud:endpoint": url,
                "tencentcloud:region": "ap-guangzhou",
                "tencentcloud:secretId": SID,
                "tencentcloud:secretKey": SK,
                "tencentcloud:securityToken": TOKEN,
            },
            ["tencentcloud:secretKey", "tencentcloud:securityToken"],
        );
        let password = PW1;
        let backupId = "scan-clone-backup-01";
        const program = () => {
            const r = new tencentcloud.redis.RestoredInstance("scan-clone", {
                sourceInstanceId: "crs-scansrc1",
                backupId,
                zoneId: 100003,
                securityGroupIds: ["sg-scan0001"],
                password,
                timeouts: { create: "5m" },
            });
            return { id: r.instanceId, status: r.instanceStatus };
        };
        const c = new Collected();
        const ok = (r: RunResult) =>
            assert.deepEqual(
                r.errors.map((e) => e.message),
                [],
            );
        const clones = () => svc.live().filter((i) => i.InstanceId !== "crs-scansrc1");

        ok(c.step("preview", eng, await eng.preview(program)));
        assert.equal(server.count(), 0, "preview calls no API");
        ok(c.step("up", eng, await eng.up(program)));
        assert.equal(eng.resource("scan-clone")?.outputs.instanceStatus, "running");
        const same = c.step("no-op up", eng, await eng.up(program));
        ok(same);
        assert.equal(same.steps[0].op, "same");
        password = PW2;
        const upd = c.step("password update", eng, await eng.up(program));
        ok(upd);
        assert.equal(upd.steps[0].op, "update");
        backupId = "scan-clone-backup-02";
        const rep = c.step("replace", eng, await eng.up(program));
        ok(rep);
        assert.equal(rep.steps[0].op, "replace");
        assert.equal(clones().length, 1, "one clone after the replacement");
        credentials[SID] = ROTATED;
        const bad = c.step("wrong key", eng, await eng.refresh());
        assert.ok(bad.errors.length > 0, "a refresh with a wrong key fails");
        credentials[SID] = SK;
        ok(c.step("refresh", eng, await eng.refresh()));
        ok(c.step("destroy", eng, await eng.destroy()));
        assert.equal(eng.resource("scan-clone"), undefined);
        assert.deepEqual(clones(), [], "destroy released the clone");
        c.finish([eng]);
        assertClean(
            "tencent-clone",
            c,
            {
                secretKey: SK,
                securityToken: TOKEN,
                rotatedKey: ROTATED,
                sourcePassword: SOURCE_PW,
                password1: PW1,
                password2: PW2,
            },
            [/AuthFailure/, /scan-clone-backup-02/],
            "scan-clone",
        );
    });

    it("zstack.VmFromBackup: preview, up, no-op, replace on rename, expired session, wrong password, refresh, destroy", async () => {
        const PW = secret("zs-account-password");
        const WRONG = secret("zs-wrong-password");
        const svc = new ZStackService({
            timings: { createMs: 300, startMs: 100, destroyMs: 100, expungeMs: 100 },
            accounts: { admin: PW },
            advertisedBase: "http://127.0.0.9:1/zstack",
        });
        const demo = svc.seed("demo", {}) as {
            backupGroupUuid: string;
            instanceOfferingUuid: string;
            l3NetworkUuid: string;
        };
        const { server, url } = await serve(svc);
        servers.push(server);
        const sessions = new Set<string>();
        server.onHandled = (action, res) => {
            const id = (res.body as { inventory?: { uuid?: string } })?.inventory?.uuid;
            if (action === "LogInByAccount" && id) sessions.add(id);
        };
        const config = (password: string) => ({
            "zstack:endpoint": url,
            "zstack:accountName": "admin",
            "zstack:accountPassword": password,
        });
        const eng = engine(config(PW), ["zstack:accountPassword"]);
        let name = "scan-vm";
        const program = () => {
            const vm = new zstack.VmFromBackup("scan-vm", {
                backupGroupUuid: demo.backupGroupUuid,
                name,
                instanceOfferingUuid: demo.instanceOfferingUuid,
                l3NetworkUuids: [demo.l3NetworkUuid],
                timeouts: { create: "2m" },
            });
            return { uuid: vm.uuid, state: vm.state };
        };
        const c = new Collected();
        const ok = (r: RunResult) =>
            assert.deepEqual(
                r.errors.map((e) => e.message),
                [],
            );

        ok(c.step("preview", eng, await eng.preview(program)));
        assert.equal(server.count(), 0, "preview calls no API");
        ok(c.step("up", eng, await eng.up(program)));
        assert.equal(eng.resource("scan-vm")?.outputs.state, "Running");
        const same = c.step("no-op up", eng, await eng.up(program));
        ok(same);
        assert.equal(same.steps[0].op, "same");
        name = "scan-vm-2";
        const rep = c.step("replace", eng, await eng.up(program));
        ok(rep);
        assert.equal(rep.steps[0].op, "replace");
        // Sessions end (a management node restart): the provider logs in again, with a new session id.
        svc.expireSessions();
        // A second stack whose password is wrong: its login fails.
        const wrong = engine(config(WRONG), ["zstack:accountPassword"]);
        const bad = c.step(
            "wrong password",
            wrong,
            await wrong.up(
                () =>
                    new zstack.VmFromBackup("scan-vm-wrong", {
                        backupGroupUuid: demo.backupGroupUuid,
                        name: "wrong",
                        instanceOfferingUuid: demo.instanceOfferingUuid,
                    }),
            ),
        );
        assert.ok(bad.errors.length > 0, "an up with a wrong password fails");
        ok(c.step("refresh", eng, await eng.refresh()));
        ok(c.step("destroy", eng, await eng.destroy()));
        assert.equal(svc.liveVms().length, 0);
        for (const id of svc.sessions.keys()) sessions.add(id);
        assert.ok(
            sessions.size >= 2,
            `the emulator issued ${sessions.size} session(s); the expiry should have forced a second login`,
        );
        c.finish([eng, wrong]);
        const secrets: Record<string, string> = {
            accountPassword: PW,
            passwordHash: hashPassword(PW),
            wrongPassword: WRONG,
            wrongPasswordHash: hashPassword(WRONG),
        };
        [...sessions].forEach((s, i) => (secrets[`session${i + 1}`] = s));
        assertClean("zstack", c, secrets, [/Wrong account name or password/, /scan-vm-2/], "scan-vm");
    });

    it("jdcloud.rds.RestoredInstance: preview, up, no-op, replace on a new backup, wrong key, refresh, destroy", async () => {
        const AK = `scan-ak-${rand()}`;
        const SK = secret("jd-secret-key");
        const ROTATED = secret("jd-rotated-key");
        const credentials = { [AK]: SK };
        const svc = new JdcloudRdsService({ credentials, timings: { buildMs: 300, deleteMs: 100 } });
        svc.seed("backup", { backupId: "bk-scan-0001", engine: "MySQL" });
        svc.seed("backup", { backupId: "bk-scan-0002", engine: "MySQL" });
        const { server, url } = await serve(svc);
        servers.push(server);
        const eng = engine(
            {
                "jdcloud:endpoint": url,
                "jdcloud:region": "cn-north-1",
                "jdcloud:accessKey": AK,
                "jdcloud:secretKey": SK,
            },
            ["jdcloud:secretKey"],
        );
        let backupId = "bk-scan-0001";
        const spec = {
            instanceClass: "db.mysql.s1.micro",
            instanceStorageGB: 20,
            azId: ["cn-north-1a"],
            vpcId: "vpc-scan0001",
            subnetId: "subnet-scan0001",
            chargeSpec: {},
        };
        const program = () => {
            const r = new jdcloud.rds.RestoredInstance("scan-rds", {
                backupId,
                engine: "MySQL",
                instanceSpec: spec,
                timeouts: { create: "5m" },
            });
            return { id: r.instanceId, status: r.instanceStatus };
        };
        const c = new Collected();
        const ok = (r: RunResult) =>
            assert.deepEqual(
                r.errors.map((e) => e.message),
                [],
            );

        ok(c.step("preview", eng, await eng.preview(program)));
        assert.equal(server.count(), 0, "preview calls no API");
        ok(c.step("up", eng, await eng.up(program)));
        assert.equal(eng.resource("scan-rds")?.outputs.instanceStatus, "RUNNING");
        const same = c.step("no-op up", eng, await eng.up(program));
        ok(same);
        assert.equal(same.steps[0].op, "same");
        backupId = "bk-scan-0002";
        const rep = c.step("replace", eng, await eng.up(program));
        ok(rep);
        assert.equal(rep.steps[0].op, "replace");
        credentials[AK] = ROTATED;
        const bad = c.step("wrong key", eng, await eng.refresh());
        assert.ok(bad.errors.length > 0, "a refresh with a wrong key fails");
        credentials[AK] = SK;
        ok(c.step("refresh", eng, await eng.refresh()));
        ok(c.step("destroy", eng, await eng.destroy()));
        assert.equal(svc.live().length, 0);
        c.finish([eng]);
        assertClean(
            "jdcloud-rds",
            c,
            { secretKey: SK, rotatedKey: ROTATED },
            [/signature does not match|UNAUTHENTICATED/, /bk-scan-0002/],
            "scan-rds",
        );
    });

    it("huaweicloud.koophone.InstanceBackup: IAM password and tokens (lifecycle, wrong password), then AK/SK with a security token", async () => {
        const PW = secret("hw-iam-password");
        const WRONG = secret("hw-changed-password");
        const AK = `SCANAK${rand().toUpperCase()}`;
        const SK = secret("hw-secret-key");
        const STS = secret("hw-security-token");
        const user = { domain: "scan-domain", name: "scan-user", password: PW };
        const svc = new KooPhoneService({
            timings: { backupMs: 200, restoreMs: 200 },
            users: [user],
            accessKeys: { [AK]: { secretKey: SK, domain: user.domain } },
        });
        for (const id of ["p1", "p2", "p3", "p9"]) svc.seed("instance", { id, owner: user.domain });
        const { server, url } = await serve(svc);
        servers.push(server);
        const tokens = new Set<string>();
        server.onHandled = (action, res) => {
            const t = res.headers?.["X-Subject-Token"];
            if (action === "KeystoneCreateUserTokenByPassword" && t) tokens.add(t);
        };
        const base = { "huaweicloud:endpoint": url, "huaweicloud:region": "cn-south-1" };
        const eng = engine(
            {
                ...base,
                "huaweicloud:authUrl": `${url}/v3`,
                "huaweicloud:domainName": user.domain,
                "huaweicloud:userName": user.name,
                "huaweicloud:password": PW,
            },
            ["huaweicloud:password"],
        );
        let instanceIds = ["p1", "p2"];
        const program = () => {
            const r = new huaweicloud.koophone.InstanceBackup("scan-phones", {
                instanceIds,
                userId: "1008600000104285462",
                timeouts: { create: "2m", update: "2m", delete: "2m" },
            });
            return { ids: r.instanceIds };
        };
        const c = new Collected();
        const ok = (r: RunResult) =>
            assert.deepEqual(
                r.errors.map((e) => e.message),
                [],
            );

        ok(c.step("preview", eng, await eng.preview(program)));
        assert.equal(server.count(), 0, "preview calls no API");
        ok(c.step("up", eng, await eng.up(program)));
        assert.equal(svc.phaseOf("p1"), "backedUp");
        const same = c.step("no-op up", eng, await eng.up(program));
        ok(same);
        assert.equal(same.steps[0].op, "same");
        instanceIds = ["p2", "p3"];
        const upd = c.step("update", eng, await eng.up(program));
        ok(upd);
        assert.equal(upd.steps[0].op, "update");
        // The user's password is changed (tokens are void): the stack's password is now wrong.
        user.password = WRONG;
        svc.revokeTokens();
        const bad = c.step("wrong password", eng, await eng.refresh());
        assert.ok(bad.errors.length > 0, "a refresh with a wrong password fails");
        user.password = PW;
        ok(c.step("refresh", eng, await eng.refresh()));
        ok(c.step("destroy", eng, await eng.destroy()));
        assert.equal(svc.phaseOf("p3"), "running");

        // Temporary AK/SK credentials with a security token.
        const sts = engine(
            { ...base, "huaweicloud:accessKey": AK, "huaweicloud:secretKey": SK, "huaweicloud:securityToken": STS },
            ["huaweicloud:secretKey", "huaweicloud:securityToken"],
        );
        const one = () =>
            new huaweicloud.koophone.InstanceBackup("scan-sts", {
                instanceIds: ["p9"],
                userId: "1008600000104285462",
                timeouts: { create: "2m", delete: "2m" },
            });
        ok(c.step("sts up", sts, await sts.up(one)));
        assert.equal(svc.phaseOf("p9"), "backedUp");
        ok(c.step("sts destroy", sts, await sts.destroy()));
        assert.equal(svc.phaseOf("p9"), "running");

        for (const t of (svc as unknown as { tokens: Map<string, unknown> }).tokens.keys()) tokens.add(t);
        assert.ok(
            tokens.size >= 2,
            `the emulator issued ${tokens.size} IAM token(s); the revocation should have forced a second`,
        );
        c.finish([eng, sts]);
        const secrets: Record<string, string> = {
            iamPassword: PW,
            changedPassword: WRONG,
            secretKey: SK,
            securityToken: STS,
        };
        [...tokens].forEach((t, i) => (secrets[`iamToken${i + 1}`] = t));
        assertClean("huawei-koophone", c, secrets, [/APIGW\.0301|username or password/i, /scan-phones/], "scan-phones");
    });
});
