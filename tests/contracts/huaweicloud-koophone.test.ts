/**
 * Vendor contract of Huawei Cloud KooPhone (and the IAM token request our client makes).
 *
 * There is no official KooPhone SDK module, so the oracles are:
 * - the vendor's API reference: the BatchBackupInstances reference page,
 *   `apis/huaweicloud-koophone.md`, and the published KooPhone API reference pages of each action (cited per test and in
 *   docs/contracts/huaweicloud.md). Their examples are fixtures: our client builds the documented request and parses the
 *   documented answer; the emulator accepts the documented request and answers in the documented shape.
 * - the official SDK core (Python huaweicloudsdkcore, via tests/contracts/oracles/huaweicloud_koophone_drive.py; and
 *   the npm @huaweicloud/huaweicloud-sdk-core signer): it drives our emulator with its own signing and header choices.
 * Where the document is silent (time formats of ListInstances, the rest of the running_status enum, whether
 * backup_status/restore_status are in ListInstances at all) the tests say so and docs/contracts/huaweicloud.md lists it.
 */
import { strict as assert } from "assert";
import { EmulatorServer } from "../../emulator/core/server";
import { KOOPHONE_EMULATOR_CREDENTIALS as CRED, KooPhoneService } from "../../emulator/huaweicloud/koophone";
import { ApiCaller, HttpRequest, HttpResponse, Transport } from "../../provider/core/http";
import { PasswordAuth } from "../../provider/huaweicloud/credentials";
import { IamTokenSource } from "../../provider/huaweicloud/iamToken";
import { KooPhoneClient } from "../../provider/huaweicloud/koophoneClient";
import { pythonOracle, runOracle } from "../support/pythonOracle";

// The official npm SDK core's signer, a test oracle only.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the vendor SDK's signer (a test oracle), untyped: it is handed a partial credential, all it reads
const { AKSKSigner } = require("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner");

const ENDPOINT = "https://koophone.myhuaweicloud.com";
const TOKEN = "MIIdocumented-token";
const REQ_ID = "5f2a3b4c-0000-4000-8000-000000000001";

/** The answer of BatchBackupInstances as the seed page prints it (status 200), byte for byte. */
const SEED_BACKUP_ANSWER = '{\n  "error_code" : "0",\n  "error_msg" : "OK"\n}';
/** The request body of the seed page's example (it contradicts the page's own parameter table: see the docs). */
const SEED_BACKUP_EXAMPLE_BODY = '{\n  "user_id" : "1008600000104285462",\n  "instance_id" : "iRJEVP9"\n}';

/** A transport that records what the client sends and answers from a list. */
class Recorder implements Transport {
    readonly sent: HttpRequest[] = [];
    constructor(private readonly answer: (req: HttpRequest, n: number) => HttpResponse) {}
    async send(req: HttpRequest): Promise<HttpResponse> {
        this.sent.push(req);
        return this.answer(req, this.sent.length - 1);
    }
}

const ok = (body: string, headers: Record<string, string> = {}): HttpResponse => ({ status: 200, headers, body });

/** Our client with a password (token) auth, a fixed token and request id, over a recording transport. */
function tokenClient(rec: Recorder): KooPhoneClient {
    const caller = new ApiCaller({ transport: rec, random: () => 0.5 });
    const auth: PasswordAuth = {
        kind: "token",
        authUrl: "https://iam.cn-south-1.myhuaweicloud.com/v3",
        domainName: "d",
        userName: "u",
        password: "p",
        projectName: "cn-south-1",
    };
    const tokens = { get: async () => TOKEN, invalidate: () => undefined } as unknown as IamTokenSource;
    return new KooPhoneClient({
        endpoint: ENDPOINT,
        auth: () => auth,
        caller,
        tokens: () => tokens,
        requestId: () => REQ_ID,
    });
}

const header = (req: HttpRequest, name: string) =>
    Object.entries(req.headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

describe("huaweicloud koophone contract: our client against the vendor's documented requests and answers", () => {
    it("BatchBackupInstances: POST /v1/instances/backup, x-auth-token and x-request-id headers, body {instance_ids: [..]} (seed 001 parameter tables); parses the seed's 200 answer byte for byte", async () => {
        const rec = new Recorder(() => ok(SEED_BACKUP_ANSWER));
        const r = await tokenClient(rec).batchBackup(["iRJEVP9", "a44uhlf7"]);
        const req = rec.sent[0];
        assert.equal(req.method, "POST");
        assert.equal(req.url, `${ENDPOINT}/v1/instances/backup`);
        assert.equal(header(req, "x-auth-token"), TOKEN);
        assert.equal(header(req, "x-request-id"), REQ_ID);
        assert.equal(req.body, '{"instance_ids":["iRJEVP9","a44uhlf7"]}');
        // The seed's answer has no data: no task id, no jobs, and no error.
        assert.deepEqual(r, { taskId: undefined, jobs: {} });
    });

    it("BatchBackupInstances: reads data.task_id and data.cmd_jobs[{instance_id, job_id}] (current reference page, Tables 4 and 5)", async () => {
        const body = JSON.stringify({
            error_code: "0",
            error_msg: "OK",
            data: { task_id: "t-1", cmd_jobs: [{ instance_id: "iRJEVP9", job_id: "j-1" }] },
        });
        const r = await tokenClient(new Recorder(() => ok(body))).batchBackup(["iRJEVP9"]);
        assert.deepEqual(r, { taskId: "t-1", jobs: { iRJEVP9: "j-1" } });
    });

    it("BatchBackupInstances: a documented error (400, error_code KooPhone.API.1001 in either casing) is a CloudError with the code, message and hint", async () => {
        for (const code of ["KOOPHONE.API.1001", "KooPhone.API.1001"]) {
            const rec = new Recorder(() => ({
                status: 400,
                headers: {},
                body: `{\n  "error_code" : "${code}",\n  "error_msg" : "Insufficient instance permissions."\n}`,
            }));
            await assert.rejects(tokenClient(rec).batchBackup(["x"]), (e: Error & { code?: string; hint?: string }) => {
                assert.equal(e.code, code);
                assert.match(e.message, /Insufficient instance permissions/);
                assert.ok(e.hint && /permission/i.test(e.hint));
                return true;
            });
        }
    });

    it("BatchPrepareInstances: POST /v1/instances/prepare, body {user_id, instance_ids}; reads data.status_list[{instance_id, status (Integer)}]", async () => {
        const body = JSON.stringify({
            error_code: "0",
            error_msg: "OK",
            data: {
                status_list: [
                    { instance_id: "a44uhlf7", status: 1 },
                    { instance_id: "efjy72gs", status: 3 },
                ],
            },
        });
        const rec = new Recorder(() => ok(body));
        const r = await tokenClient(rec).batchPrepare("1008600000104285462", ["a44uhlf7", "efjy72gs"]);
        const req = rec.sent[0];
        assert.equal(req.method, "POST");
        assert.equal(req.url, `${ENDPOINT}/v1/instances/prepare`);
        assert.equal(header(req, "x-auth-token"), TOKEN);
        assert.equal(req.body, '{"user_id":"1008600000104285462","instance_ids":["a44uhlf7","efjy72gs"]}');
        assert.deepEqual(r, [
            { instance_id: "a44uhlf7", status: 1 },
            { instance_id: "efjy72gs", status: 3 },
        ]);
    });

    it("ShowProgress: POST /v1/instances/prepare-progress, body {user_id, instance_id}; reads data.status and data.waitingCount (Integers)", async () => {
        const body = JSON.stringify({ data: { status: 1, waitingCount: 4 }, error_code: "0", error_msg: "OK" });
        const rec = new Recorder(() => ok(body));
        const r = await tokenClient(rec).showProgress("1008600000104285462", "iRJEVP9");
        const req = rec.sent[0];
        assert.equal(req.method, "POST");
        assert.equal(req.url, `${ENDPOINT}/v1/instances/prepare-progress`);
        assert.equal(req.body, '{"user_id":"1008600000104285462","instance_id":"iRJEVP9"}');
        assert.deepEqual(r, { status: 1, waitingCount: 4 });
    });

    it("ListInstances: GET /v1/instances/batch-query with page_no, page_size and x-request-id as query parameters (the reference page lists x-request-id among the query parameters), no body", async () => {
        const body = JSON.stringify({ data: { result: [], page_no: 1, page_size: 10, total_count: 0 } });
        const rec = new Recorder(() => ok(body));
        await tokenClient(rec).listInstances(1, 10, "iRJEVP9");
        const req = rec.sent[0];
        assert.equal(req.method, "GET");
        const u = new URL(req.url);
        assert.equal(u.origin + u.pathname, `${ENDPOINT}/v1/instances/batch-query`);
        assert.equal(u.searchParams.get("page_no"), "1");
        assert.equal(u.searchParams.get("page_size"), "10");
        assert.equal(u.searchParams.get("instance_id"), "iRJEVP9");
        assert.equal(u.searchParams.get("x-request-id"), REQ_ID);
        assert.equal(header(req, "x-auth-token"), TOKEN);
        assert.equal(req.body, undefined);
    });

    it("ListInstances: the total is data.total_count (reference page, Table 4): a full last page ends the paging without asking for an empty one", async () => {
        const page = Array.from({ length: 100 }, (_, i) => ({ instance_id: `p${i}`, running_status: 2 }));
        const rec = new Recorder(() =>
            ok(JSON.stringify({ data: { result: page, page_no: 1, page_size: 100, total_count: 100 } })),
        );
        const client = tokenClient(rec);
        const one = await client.listInstances(1);
        assert.equal(one.total, 100);
        // Six ids (more than the per-id lookups) with one that does not exist: the documented total says stop.
        const found = await client.instances(["p1", "p2", "p3", "p4", "p5", "gone"]);
        assert.equal(found.size, 5);
        assert.equal(rec.sent.length, 2, "one ListInstances call for the first page, none for an empty second page");
    });

    it("ListInstances: parses the documented shape (error_code and error_msg inside data, as the reference page's Table 4 has them)", async () => {
        const body = JSON.stringify({
            data: {
                result: [
                    { instance_id: "a44uhlf7", instance_name: "phone-1", region: "cn-south-1", running_status: 2 },
                ],
                page_no: 1,
                page_size: 10,
                total_count: 1,
                error_code: "0",
                error_msg: "OK",
            },
        });
        const r = await tokenClient(new Recorder(() => ok(body))).listInstances(1, 10);
        assert.equal(r.total, 1);
        assert.equal(r.result[0].instance_id, "a44uhlf7");
        assert.equal(r.result[0].region, "cn-south-1");
    });

    it("ExecuteJob: GET /v1/instances/tasks/{task_id} (path parameter, encoded); reads data.jobs[{job_id, status, error_code, error_msg}] (no instance_id in JobDetail)", async () => {
        const body = JSON.stringify({
            error_code: "0",
            error_msg: "OK",
            data: {
                jobs: [{ job_id: "j-1", status: -1, error_code: "E1", error_msg: "upload failed", execute_msg: "" }],
            },
        });
        const rec = new Recorder(() => ok(body));
        const jobs = await tokenClient(rec).executeJob("t 1/x");
        assert.equal(rec.sent[0].method, "GET");
        assert.equal(rec.sent[0].url, `${ENDPOINT}/v1/instances/tasks/t%201%2Fx`);
        assert.equal(header(rec.sent[0], "x-request-id"), REQ_ID);
        assert.deepEqual(
            jobs.map((j) => [j.job_id, j.status, j.error_code, j.error_msg]),
            [["j-1", -1, "E1", "upload failed"]],
        );
    });

    it("IAM token (apis/huaweicloud-koophone.md): POST {authUrl}/auth/tokens, Content-Type application/json;charset=utf8, the documented password body; the token is the X-Subject-Token header of a 201, expiry token.expires_at", async () => {
        const rec = new Recorder(() => ({
            status: 201,
            headers: { "x-subject-token": "MIIsubject" },
            body: JSON.stringify({ token: { expires_at: "2026-11-24T12:00:00.000000Z", methods: ["password"] } }),
        }));
        const caller = new ApiCaller({ transport: rec, random: () => 0.5 });
        const auth: PasswordAuth = {
            kind: "token",
            authUrl: "https://iam.cn-south-1.myhuaweicloud.com/v3",
            domainName: "my-domain",
            userName: "my-user",
            password: "my-password",
            projectName: "cn-south-1",
        };
        const token = await new IamTokenSource(auth, caller, { now: () => 0, sleep: async () => undefined }).get();
        const req = rec.sent[0];
        assert.equal(req.method, "POST");
        assert.equal(req.url, "https://iam.cn-south-1.myhuaweicloud.com/v3/auth/tokens");
        assert.equal(header(req, "content-type"), "application/json;charset=utf8");
        assert.deepEqual(JSON.parse(req.body as string), {
            auth: {
                identity: {
                    methods: ["password"],
                    password: { user: { name: "my-user", password: "my-password", domain: { name: "my-domain" } } },
                },
                scope: { project: { name: "cn-south-1" } },
            },
        });
        assert.equal(token, "MIIsubject");
    });
});

/** A clock that runs with real time plus a shift the test moves forward (the SDK signs with the real time). */
class ShiftClock {
    shift = 0;
    now(): number {
        return Date.now() + this.shift;
    }
    async sleep(ms: number): Promise<void> {
        this.shift += ms;
    }
}

interface Emu {
    clock: ShiftClock;
    service: KooPhoneService;
    server: EmulatorServer;
    url: string;
}

async function startEmu(ids: string[]): Promise<Emu> {
    const clock = new ShiftClock();
    const service = new KooPhoneService({ clock, timings: { backupMs: 60_000, restoreMs: 60_000 } });
    for (const id of ids) service.seed("instance", { id });
    const server = new EmulatorServer(service);
    const url = await server.start();
    return { clock, service, server, url };
}

/** A token from the emulator's IAM endpoint, with the documented request. */
async function emuToken(url: string): Promise<string> {
    const r = await fetch(`${url}/v3/auth/tokens`, {
        method: "POST",
        headers: { "Content-Type": "application/json;charset=utf8" },
        body: JSON.stringify({
            auth: {
                identity: {
                    methods: ["password"],
                    password: {
                        user: {
                            name: CRED.user.name,
                            password: CRED.user.password,
                            domain: { name: CRED.user.domain },
                        },
                    },
                },
                scope: { project: { name: "cn-south-1" } },
            },
        }),
    });
    assert.equal(r.status, 201);
    const t = r.headers.get("x-subject-token");
    assert.ok(t);
    const j = (await r.json()) as { token: { expires_at: string } };
    assert.ok(!Number.isNaN(Date.parse(j.token.expires_at)));
    return t;
}

async function call(
    e: Emu,
    token: string,
    method: string,
    pathAndQuery: string,
    body?: string,
    headers: Record<string, string> = { "x-request-id": REQ_ID },
): Promise<{ status: number; json: Record<string, unknown>; text: string }> {
    const r = await fetch(`${e.url}${pathAndQuery}`, {
        method,
        headers: { "Content-Type": "application/json", "X-Auth-Token": token, ...headers },
        body,
    });
    const text = await r.text();
    return { status: r.status, json: JSON.parse(text) as Record<string, unknown>, text };
}

describe("huaweicloud koophone contract: the emulator against the vendor's documented requests and answers", () => {
    let e: Emu | undefined;
    afterEach(async () => {
        await e?.server.stop();
        e = undefined;
    });

    it('BatchBackupInstances: accepts the seed page\'s example request byte for byte ({user_id, instance_id}) and answers error_code "0", error_msg "OK"', async () => {
        e = await startEmu(["iRJEVP9"]);
        const t = await emuToken(e.url);
        const r = await call(e, t, "POST", "/v1/instances/backup", SEED_BACKUP_EXAMPLE_BODY);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.error_code, "0");
        assert.equal(r.json.error_msg, "OK");
        assert.equal(e.service.phaseOf("iRJEVP9"), "backingUp");
    });

    it("BatchBackupInstances: accepts the parameter table's body and answers data.task_id (String) and data.cmd_jobs[{instance_id, job_id}] (Strings)", async () => {
        e = await startEmu(["a44uhlf7"]);
        const t = await emuToken(e.url);
        const r = await call(e, t, "POST", "/v1/instances/backup", '{"instance_ids":["a44uhlf7"]}');
        assert.equal(r.status, 200, r.text);
        const data = r.json.data as { task_id: unknown; cmd_jobs: { instance_id: unknown; job_id: unknown }[] };
        assert.equal(typeof data.task_id, "string");
        assert.equal(data.cmd_jobs[0].instance_id, "a44uhlf7");
        assert.equal(typeof data.cmd_jobs[0].job_id, "string");
    });

    it("BatchPrepareInstances and ShowProgress: accepted without x-request-id (their reference pages list only X-Auth-Token); answers typed as documented", async () => {
        e = await startEmu(["a44uhlf7"]);
        const t = await emuToken(e.url);
        assert.equal((await call(e, t, "POST", "/v1/instances/backup", '{"instance_ids":["a44uhlf7"]}')).status, 200);
        e.clock.shift += 61_000;
        const p = await call(
            e,
            t,
            "POST",
            "/v1/instances/prepare",
            '{"user_id":"1008600000104285462","instance_ids":["a44uhlf7"]}',
            {},
        );
        assert.equal(p.status, 200, p.text);
        const list = (p.json.data as { status_list: { instance_id: unknown; status: unknown }[] }).status_list;
        assert.equal(list[0].instance_id, "a44uhlf7");
        assert.ok(Number.isInteger(list[0].status));
        const g = await call(
            e,
            t,
            "POST",
            "/v1/instances/prepare-progress",
            '{"user_id":"1008600000104285462","instance_id":"a44uhlf7"}',
            {},
        );
        assert.equal(g.status, 200, g.text);
        const d = g.json.data as { status: unknown; waitingCount: unknown };
        assert.ok(Number.isInteger(d.status) && Number.isInteger(d.waitingCount));
    });

    it("ListInstances: accepts x-request-id as a query parameter (as the reference page lists it) and answers data.result, page_no, page_size, total_count (Integers)", async () => {
        e = await startEmu(["a44uhlf7", "efjy72gs"]);
        const t = await emuToken(e.url);
        const r = await call(
            e,
            t,
            "GET",
            `/v1/instances/batch-query?page_no=1&page_size=1&x-request-id=${REQ_ID}`,
            undefined,
            {},
        );
        assert.equal(r.status, 200, r.text);
        const d = r.json.data as Record<string, unknown>;
        assert.deepEqual([d.page_no, d.page_size, d.total_count], [1, 1, 2]);
        assert.equal((d.result as unknown[]).length, 1);
    });

    it("ListInstances: running_status of a phone running on its hardware is 2 (reference page: 0 unknown, 1 stopped, 2 running)", async () => {
        e = await startEmu(["a44uhlf7"]);
        const t = await emuToken(e.url);
        const r = await call(e, t, "GET", "/v1/instances/batch-query?page_no=1&page_size=10");
        const row = (r.json.data as { result: Record<string, unknown>[] }).result[0];
        assert.equal(row.running_status, 2);
        assert.equal(typeof row.instance_id, "string");
        assert.equal(typeof row.instance_name, "string");
        assert.equal(typeof row.region, "string");
    });

    it("ExecuteJob: answers data.jobs[{job_id (String), status (Integer), error_code, error_msg}] (reference page, JobDetailWrapper)", async () => {
        e = await startEmu(["a44uhlf7"]);
        const t = await emuToken(e.url);
        const b = await call(e, t, "POST", "/v1/instances/backup", '{"instance_ids":["a44uhlf7"]}');
        const taskId = (b.json.data as { task_id: string }).task_id;
        const r = await call(e, t, "GET", `/v1/instances/tasks/${taskId}`);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.error_code, "0");
        const jobs = (r.json.data as { jobs: Record<string, unknown>[] } | undefined)?.jobs;
        assert.ok(Array.isArray(jobs), `data.jobs is a list: ${r.text}`);
        assert.equal(typeof jobs[0].job_id, "string");
        assert.equal(jobs[0].status, 1);
    });
});

/**
 * Response models for the SDK's deserializer: field names and types from the KooPhone reference pages (String → "str",
 * Integer → "int"). ListInstances: the reference's result table was read up to running_status; backup_status and
 * restore_status are taken as Integer like every other status field there (ASSUMPTION), and the time fields
 * (backup_time, restore_time) are left out: the reference gives no type or format for them.
 */
const MODELS = {
    BatchBackupInstances: {
        error_code: "str",
        error_msg: "str",
        data: { task_id: "str", cmd_jobs: [{ instance_id: "str", job_id: "str" }] },
    },
    BatchPrepareInstances: {
        error_code: "str",
        error_msg: "str",
        data: { status_list: [{ instance_id: "str", status: "int" }] },
    },
    ShowProgress: { error_code: "str", error_msg: "str", data: { status: "int", waitingCount: "int" } },
    ListInstances: {
        error_code: "str",
        error_msg: "str",
        data: {
            result: [
                {
                    instance_id: "str",
                    instance_name: "str",
                    region: "str",
                    running_status: "int",
                    backup_status: "int",
                    restore_status: "int",
                },
            ],
            page_no: "int",
            page_size: "int",
            total_count: "int",
        },
    },
    ExecuteJob: {
        error_code: "str",
        error_msg: "str",
        data: { jobs: [{ job_id: "str", status: "int", error_code: "str", error_msg: "str", execute_msg: "str" }] },
    },
};

interface DriveResult {
    ok: boolean;
    body?: Record<string, unknown>;
    type_mismatches?: string[];
    status?: number;
    kind?: string;
    error_code?: string;
    error_msg?: string;
    request_id?: string;
}

describe("huaweicloud koophone contract: the official SDK core drives the emulator", function () {
    this.timeout(120_000);
    let e: Emu | undefined;
    before(function () {
        pythonOracle(this);
    });
    afterEach(async () => {
        await e?.server.stop();
        e = undefined;
    });

    const drive = async (
        calls: {
            method: string;
            path: string;
            query?: [string, string][];
            headers?: object;
            body?: unknown;
            response: object;
        }[],
        extra: Record<string, string> = {},
    ) => {
        const { results } = await runOracle<{ results: DriveResult[] }>("huaweicloud_koophone_drive.py", {
            endpoint: (e as Emu).url,
            ak: CRED.accessKey,
            sk: CRED.secretKey,
            calls,
            ...extra,
        });
        // Every answer the SDK parsed has the documented types (the SDK would silently coerce "2" to 2).
        for (const r of results) assert.deepEqual(r.type_mismatches ?? [], [], JSON.stringify(r));
        return results;
    };

    it("huaweicloudsdkcore (ClientBuilder/Client, AK/SK signer, project id header) runs backup, job status, listing, restore and progress; every answer parses", async () => {
        e = await startEmu(["a44uhlf7", "efjy72gs"]);
        const rid = { "X-Request-Id": REQ_ID };
        const [backup, list1] = await drive(
            [
                {
                    method: "POST",
                    path: "/v1/instances/backup",
                    headers: rid,
                    body: { instance_ids: ["a44uhlf7", "efjy72gs"] },
                    response: MODELS.BatchBackupInstances,
                },
                {
                    method: "GET",
                    path: "/v1/instances/batch-query",
                    headers: rid,
                    query: [
                        ["page_no", "1"],
                        ["page_size", "100"],
                        ["instance_id", "a44uhlf7"],
                    ],
                    response: MODELS.ListInstances,
                },
            ],
            { project_id: "0123456789abcdef0123456789abcdef" },
        );
        assert.ok(backup.ok, JSON.stringify(backup));
        const taskId = (backup.body?.data as { task_id: string }).task_id;
        assert.ok(list1.ok, JSON.stringify(list1));
        assert.equal(
            ((list1.body?.data as { result: unknown[] }).result as { backup_status: number }[])[0].backup_status,
            1,
        );
        const [job] = await drive([
            { method: "GET", path: `/v1/instances/tasks/${taskId}`, headers: rid, response: MODELS.ExecuteJob },
        ]);
        assert.ok(job.ok, JSON.stringify(job));
        e.clock.shift += 61_000;
        assert.equal(e.service.phaseOf("a44uhlf7"), "backedUp");
        const [prep, prog] = await drive([
            {
                method: "POST",
                path: "/v1/instances/prepare",
                body: { user_id: "1008600000104285462", instance_ids: ["a44uhlf7", "efjy72gs"] },
                response: MODELS.BatchPrepareInstances,
            },
            {
                method: "POST",
                path: "/v1/instances/prepare-progress",
                body: { user_id: "1008600000104285462", instance_id: "a44uhlf7" },
                response: MODELS.ShowProgress,
            },
        ]);
        assert.ok(prep.ok, JSON.stringify(prep));
        assert.deepEqual(
            (prep.body?.data as { status_list: { status: number }[] }).status_list.map((s) => s.status),
            [1, 1],
        );
        assert.ok(prog.ok, JSON.stringify(prog));
        e.clock.shift += 61_000;
        const [done] = await drive([
            {
                method: "POST",
                path: "/v1/instances/prepare-progress",
                body: { user_id: "1008600000104285462", instance_id: "a44uhlf7" },
                response: MODELS.ShowProgress,
            },
        ]);
        assert.equal((done.body?.data as { status: number }).status, 0);
        assert.equal(e.service.phaseOf("a44uhlf7"), "running");
        assert.equal(e.server.count("BatchBackupInstances"), 1);
        assert.equal(e.server.count("BatchPrepareInstances"), 1);
    });

    it("huaweicloudsdkcore with a temporary credential (X-Security-Token, signed as the SDK signs every header) is accepted", async () => {
        e = await startEmu(["a44uhlf7"]);
        const [r] = await drive(
            [
                {
                    method: "GET",
                    path: "/v1/instances/batch-query",
                    headers: { "X-Request-Id": REQ_ID },
                    query: [
                        ["page_no", "1"],
                        ["page_size", "10"],
                    ],
                    response: MODELS.ListInstances,
                },
            ],
            { security_token: "temporary-security-token-value" },
        );
        assert.ok(r.ok, JSON.stringify(r));
    });

    it("a wrong secret key: the emulator answers 401 APIGW.0301 and the SDK's exception handler parses it into its error model (error_code, error_msg, request id)", async () => {
        e = await startEmu(["a44uhlf7"]);
        const { results } = await runOracle<{ results: DriveResult[] }>("huaweicloud_koophone_drive.py", {
            endpoint: e.url,
            ak: CRED.accessKey,
            sk: "not-the-secret-key",
            calls: [
                {
                    method: "POST",
                    path: "/v1/instances/backup",
                    headers: { "X-Request-Id": REQ_ID },
                    body: { instance_ids: ["a44uhlf7"] },
                    response: MODELS.BatchBackupInstances,
                },
            ],
        });
        const r = results[0];
        assert.equal(r.ok, false);
        assert.equal(r.kind, "ClientRequestException");
        assert.equal(r.status, 401);
        assert.equal(r.error_code, "APIGW.0301");
        assert.equal(r.request_id, REQ_ID);
        assert.equal(e.service.phaseOf("a44uhlf7"), "running");
    });

    it("the npm SDK core's AKSKSigner: a request it signed, sent with a plain HTTP client, is accepted; one byte of body changed is refused", async () => {
        e = await startEmu(["a44uhlf7"]);
        const u = new URL(e.url);
        const data = { instance_ids: ["a44uhlf7"] };
        const signed = AKSKSigner.sign(
            {
                method: "POST",
                endpoint: `${e.url}/v1/instances/backup`,
                queryParams: {},
                headers: { "Content-Type": "application/json", "X-Request-Id": REQ_ID },
                data,
            },
            { getAk: () => CRED.accessKey, getSk: () => CRED.secretKey },
        ) as Record<string, string>;
        assert.equal(signed.host, u.host);
        const send = (body: string) =>
            fetch(`${e?.url}/v1/instances/backup`, { method: "POST", headers: signed, body }).then(async (r) => ({
                status: r.status,
                json: (await r.json()) as Record<string, unknown>,
            }));
        const bad = await send(JSON.stringify({ instance_ids: ["a44uhlf8"] }));
        assert.equal(bad.status, 401);
        assert.equal(bad.json.error_code, "APIGW.0301");
        const good = await send(JSON.stringify(data));
        assert.equal(good.status, 200, JSON.stringify(good.json));
        assert.equal(good.json.error_code, "0");
    });
});
