import { strict as assert } from "assert";
import { AxiosTransport, HttpResponse } from "../../provider/core/http";
import { jdcloudDate, signJdcloud3 } from "../../provider/jdcloud/signer";
import { EmulatorServer } from "../../emulator/core/server";
import { JdcloudRdsService } from "../../emulator/jdcloud/rds";
import { VirtualClock } from "../../harness/clock";

const AK = "emu-ak";
const SK = "emu-secret-key-0001";

describe("jdcloud rds emulator protocol", function () {
    let server: EmulatorServer;
    let svc: JdcloudRdsService;
    let url: string;
    let clock: VirtualClock;
    const t = new AxiosTransport();

    beforeEach(async () => {
        // Starts at real time (requests are signed with it) and moves only when told: state changes are deterministic.
        clock = new VirtualClock(Date.now());
        svc = new JdcloudRdsService({ clock, credentials: { [AK]: SK }, timings: { buildMs: 1000, deleteMs: 1000 } });
        svc.seed("backup", { backupId: "bk-emu-0001", engine: "MySQL" });
        server = new EmulatorServer(svc);
        url = await server.start();
    });
    afterEach(async () => server.stop());

    function send(o: {
        method?: "GET" | "POST";
        path: string;
        body?: string;
        nonce?: string;
        date?: number;
        secret?: string;
        region?: string;
        rawPath?: string;
    }): Promise<HttpResponse> {
        const host = new URL(url).host;
        const s = signJdcloud3({
            method: o.method ?? "GET",
            path: o.path,
            query: {},
            host,
            body: o.body ?? "",
            contentType: "application/json",
            service: "rds",
            region: o.region ?? "cn-north-1",
            accessKey: AK,
            secretKey: o.secret ?? SK,
            date: jdcloudDate(o.date ?? Date.now()),
            nonce: o.nonce ?? `${Math.random()}`,
        });
        const headers = { ...s.headers };
        delete (headers as Record<string, string>).host;
        return t.send({ method: o.method ?? "GET", url: `${url}${o.rawPath ?? o.path}`, headers, body: o.body }, 5000);
    }

    const body = JSON.stringify({
        backupId: "bk-emu-0001",
        engine: "MySQL",
        instanceSpec: {
            instanceClass: "db.mysql.s1.micro",
            instanceStorageGB: 20,
            azId: ["cn-north-1a"],
            vpcId: "vpc-1",
            subnetId: "subnet-1",
            chargeSpec: {},
        },
    });

    it("accepts createInstanceFromBackup with the colon sent raw or percent-encoded (signed as %3A either way)", async () => {
        const raw = await send({
            method: "POST",
            path: "/v1/regions/cn-north-1/instances:createInstanceFromBackup",
            body,
        });
        assert.equal(raw.status, 200, raw.body);
        assert.match(JSON.parse(raw.body).result.instanceId, /^mysql-/);
        const enc = await send({
            method: "POST",
            path: "/v1/regions/cn-north-1/instances:createInstanceFromBackup",
            rawPath: "/v1/regions/cn-north-1/instances%3AcreateInstanceFromBackup",
            body,
        });
        assert.equal(enc.status, 200, enc.body);
        assert.equal(svc.live().length, 2);
    });

    it("answers authentication failures with 401 UNAUTHENTICATED in JD's envelope", async () => {
        const path = "/v1/regions/cn-north-1/instances/mysql-none";
        const cases: [Parameters<typeof send>[0], RegExp][] = [
            [{ path, secret: "wrong-secret-0001" }, /signature does not match/],
            [{ path, date: Date.now() - 3_600_000 }, /expired/],
            [{ path, region: "cn-east-2" }, /credential scope/],
        ];
        for (const [o, re] of cases) {
            const r = await send(o);
            assert.equal(r.status, 401);
            const j = JSON.parse(r.body);
            assert.equal(j.error.status, "UNAUTHENTICATED");
            assert.equal(j.error.code, 401);
            assert.match(j.error.message, re);
            assert.match(j.requestId, /^[0-9a-f]{32}$/);
        }
        const first = await send({ path, nonce: "same-nonce" });
        assert.equal(first.status, 404, "signed correctly: the instance is simply not found");
        assert.equal(JSON.parse(first.body).error.status, "NOT_FOUND");
        const replay = await send({ path, nonce: "same-nonce" });
        assert.equal(replay.status, 401);
        assert.match(JSON.parse(replay.body).error.message, /nonce/);
    });

    it("validates like the page (engine of the backup, engine-only fields) and injects faults in JD's envelope", async () => {
        const p = "/v1/regions/cn-north-1/instances:createInstanceFromBackup";
        const wrongEngine = await send({
            method: "POST",
            path: p,
            body: body.replace('"engine":"MySQL"', '"engine":"MariaDB"'),
        });
        assert.equal(wrongEngine.status, 400);
        assert.match(JSON.parse(wrongEngine.body).error.message, /does not match the engine of the backup/);
        const sqlOnly = await send({
            method: "POST",
            path: p,
            body: body.replace('"chargeSpec":{}', '"chargeSpec":{},"instanceType":"standalone"'),
        });
        assert.match(JSON.parse(sqlOnly.body).error.message, /instanceType is only supported by SQL Server/);
        server.inject({ kind: "throttle" }, { kind: "error503" });
        const th = await send({ path: "/v1/regions/cn-north-1/instances/x-1" });
        assert.equal(th.status, 429);
        assert.equal(JSON.parse(th.body).error.status, "RESOURCE_EXHAUSTED");
        const un = await send({ path: "/v1/regions/cn-north-1/instances/x-1" });
        assert.equal(un.status, 503);
        assert.equal(JSON.parse(un.body).error.status, "UNAVAILABLE");
        assert.equal(svc.live().length, 0);
    });

    it("failTask makes the next instance fail to build; BUILDING then ERROR", async () => {
        server.inject({ action: "createInstanceFromBackup", kind: "failTask" });
        const r = await send({
            method: "POST",
            path: "/v1/regions/cn-north-1/instances:createInstanceFromBackup",
            body,
        });
        const id = JSON.parse(r.body).result.instanceId;
        assert.equal(svc.live()[0].instanceStatus, "BUILDING");
        clock.advance(1000);
        const d = await send({ path: `/v1/regions/cn-north-1/instances/${id}` });
        assert.equal(JSON.parse(d.body).result.dbInstanceAttributes.instanceStatus, "ERROR");
    });
});
