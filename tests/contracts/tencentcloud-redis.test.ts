/**
 * Vendor contract of Tencent Cloud Redis (API 2018-04-12). The oracle is the official Node SDK
 * (tencentcloud-sdk-nodejs, test-only): its `redis_models.d.ts`, read with the TypeScript compiler API, decides names,
 * casing, types and (in its doc comments, the only place the SDK keeps them) enums; its `redis_client.js` decides the
 * action names and the API version. Our client's requests are captured as it sends them (against the emulator), and
 * what it reads from answers is recorded by handing it answers generated from the SDK's models.
 * See docs/contracts/tencentcloud.md.
 */
import { strict as assert } from "assert";
import * as http from "http";
import * as path from "path";
import { ApiCaller, AxiosTransport, HttpRequest, HttpResponse, Transport } from "../../provider/core/http";
import {
    REDIS_INSTANCE_STATUS,
    REDIS_VERSION,
    RESTORE_TASK_CODE,
    RESTORE_TASK_TYPE,
    RedisClient,
    TASK_RESULT,
    TASK_STATUS,
    beijingTime,
    isRestoreTaskType,
} from "../../provider/tencentcloud/redisClient";
import { REDIS_BACKUP_STATUS, REDIS_SELECTOR } from "../../provider/tencentcloud/redisBackups";
import { RedisCloneClient, restoreMark } from "../../provider/tencentcloud/cloneClient";
import { BILLING_CODE, PORT_RANGE, PREPAID_PERIODS, checkClone } from "../../provider/tencentcloud/cloneInputs";
import { CloneProvider } from "../../provider/tencentcloud/cloneProvider";
import { EmulatorServer } from "../../emulator/core/server";
import { TencentRedisService } from "../../emulator/tencentcloud/redis";
import {
    REDIS_SDK_DIR,
    checkObject,
    field,
    interfacesOf,
    model,
    proseEnum,
    sampleOf,
    taskTypePairs,
} from "./tencentcloudSdkModel";

const SECRET_ID = "AKIDcontracttest00001";
const SECRET_KEY = "contract-test-secret-key-0001";
const INSTANCE = "crs-aaaa0001";

/** The SDK's Redis client class (plain JavaScript; its constructor takes credential, region and profile). */
interface SdkRedisClient {
    apiVersion: string;
    endpoint: string;
    [action: string]: unknown;
}
type SdkClientClass = new (cfg: Record<string, unknown>) => SdkRedisClient;
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK's client module, loaded from the directory it was installed in
const SdkClient = (require(path.join(REDIS_SDK_DIR, "redis_client.js")) as { Client: SdkClientClass }).Client;

/** What our client sent: action, version, method, path and JSON body of each request. */
interface Sent {
    action: string;
    version: string;
    method: string;
    path: string;
    contentType: string;
    body: Record<string, unknown>;
}

function sentOf(req: HttpRequest): Sent {
    const h = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v]));
    return {
        action: h["x-tc-action"],
        version: h["x-tc-version"],
        method: req.method,
        path: new URL(req.url).pathname,
        contentType: h["content-type"],
        body: JSON.parse(req.body ?? "{}") as Record<string, unknown>,
    };
}

/** Runs every call of our client against the emulator and returns what went over the wire. */
async function captureOurRequests(): Promise<Sent[]> {
    const svc = new TencentRedisService({
        credentials: { [SECRET_ID]: SECRET_KEY },
        timings: { prepareMs: 0, runMs: 0 },
    });
    const server = new EmulatorServer(svc);
    const url = await server.start();
    try {
        svc.seed("instance", { InstanceId: INSTANCE, Password: "pa55-Word" });
        svc.seed("backup", { InstanceId: INSTANCE, BackupId: "678362566696298532848117" });
        const sent: Sent[] = [];
        const axios = new AxiosTransport();
        const transport: Transport = {
            send: (req: HttpRequest, t: number): Promise<HttpResponse> => {
                sent.push(sentOf(req));
                return axios.send(req, t);
            },
        };
        const client = new RedisClient({
            endpoint: url,
            region: "ap-guangzhou",
            credentials: () => ({ secretId: SECRET_ID, secretKey: SECRET_KEY }),
            caller: new ApiCaller({ transport }),
        });
        const { TaskId } = await client.restoreInstance({
            InstanceId: INSTANCE,
            BackupId: "678362566696298532848117",
            Password: "pa55-Word",
        });
        await client.describeTaskInfo(TaskId);
        await client.restoreTasksSince(INSTANCE, Date.now() - 3_600_000);
        await client.restoreTaskPage(Date.now() - 3_600_000, 0);
        await client.describeInstance(INSTANCE);
        await client.findBackup(INSTANCE, "678362566696298532848117");
        await client.listBackups(INSTANCE);
        return sent;
    } finally {
        await server.stop();
    }
}

/**
 * Our client with a caller that hands it, for each action, an answer generated from the SDK's `<Action>Response`
 * model (every field present, strings set to their field's name), and records each field path it reads.
 */
function readRecorder(): { client: RedisClient; reads: Map<string, Set<string>> } {
    const reads = new Map<string, Set<string>>();
    const IGNORED = new Set(["then", "toJSON", "constructor", "length"]);
    const wrap = (v: unknown, at: string, into: Set<string>): unknown => {
        if (Array.isArray(v))
            return new Proxy(v, {
                get: (t, k, r) => {
                    const x = Reflect.get(t, k, r);
                    return typeof k === "string" && /^\d+$/.test(k) ? wrap(x, `${at}[]`, into) : x;
                },
            });
        if (v && typeof v === "object")
            return new Proxy(v as Record<string, unknown>, {
                get: (t, k, r) => {
                    const x = Reflect.get(t, k, r);
                    if (typeof k !== "string" || IGNORED.has(k)) return x;
                    const p = at ? `${at}.${k}` : k;
                    into.add(p);
                    return wrap(x, p, into);
                },
            });
        return v;
    };
    const caller = {
        clock: { now: () => Date.now(), sleep: async () => undefined },
        call: async (spec: { action: string }) => {
            const set = reads.get(spec.action) ?? new Set<string>();
            reads.set(spec.action, set);
            return wrap(sampleOf(`${spec.action}Response`, spec.action), "", set);
        },
    } as unknown as ApiCaller;
    const client = new RedisClient({
        endpoint: "https://redis.example.test",
        region: "ap-guangzhou",
        credentials: () => ({ secretId: SECRET_ID, secretKey: SECRET_KEY }),
        caller,
    });
    return { client, reads };
}

/** The SDK type of a field path such as `Tasks[].TaskId` under `<Action>Response`, or undefined. */
function typeAt(iface: string, p: string): string | undefined {
    let type = iface;
    for (const part of p.split(".")) {
        const name = part.replace(/\[\]$/, "");
        const f = model(type).get(name);
        if (!f) return undefined;
        type = f.type;
        if (part.endsWith("[]")) {
            const el = /^Array<(.*)>$/.exec(type);
            if (!el) return undefined;
            type = el[1];
        }
    }
    return type;
}

/** A loopback agent: the SDK derives the signing service from the endpoint's first label, so it keeps `redis.…`. */
function loopbackAgent(): http.Agent {
    return new http.Agent({
        lookup: ((
            _h: string,
            o: { all?: boolean },
            cb: (e: Error | null, a: string | { address: string; family: number }[], f?: number) => void,
        ) => (o && o.all ? cb(null, [{ address: "127.0.0.1", family: 4 }]) : cb(null, "127.0.0.1", 4))) as never,
    } as http.AgentOptions);
}

describe("tencentcloud redis: vendor contract (tencentcloud-sdk-nodejs)", function () {
    this.timeout(30_000);
    let sent: Sent[];
    before(async () => {
        sent = await captureOurRequests();
    });

    describe("requests our client sends, against the SDK's models", () => {
        it("calls only actions the SDK's client has, with its API version, as POST / with a JSON body", () => {
            const sdk = new SdkClient({ credential: { secretId: "x", secretKey: "y" }, region: "ap-guangzhou" });
            assert.equal(REDIS_VERSION, sdk.apiVersion);
            const actions = [...new Set(sent.map((s) => s.action))].sort();
            assert.deepEqual(actions, [
                "DescribeInstanceBackups",
                "DescribeInstances",
                "DescribeTaskInfo",
                "DescribeTaskList",
                "RestoreInstance",
            ]);
            for (const s of sent) {
                assert.equal(typeof sdk[s.action], "function", `the SDK's Redis client has no ${s.action}`);
                assert.equal(s.version, sdk.apiVersion, s.action);
                // The SDK's default (HttpProfile reqMethod POST, path "/", JSON body).
                assert.equal(s.method, "POST", s.action);
                assert.equal(s.path, "/", s.action);
                assert.match(s.contentType, /^application\/json\b/, s.action);
            }
        });

        it("every body matches the SDK's <Action>Request model: names, casing, types, required fields", () => {
            for (const s of sent)
                assert.deepEqual(checkObject(`${s.action}Request`, s.body, `${s.action}Request`), [], s.action);
        });

        it("DescribeTaskList: the task type we filter on is in the SDK's TaskTypes list; times in its format", () => {
            const pairs = taskTypePairs("DescribeTaskListRequest", "TaskTypes");
            assert.ok(pairs.length > 10, "the SDK doc lists the task types");
            assert.deepEqual(
                pairs.filter((p) => p.name === RESTORE_TASK_TYPE),
                [{ name: RESTORE_TASK_TYPE, code: RESTORE_TASK_CODE }],
            );
            // The time format, from the SDK doc's own example ("格式如：2021-12-30 00:00:00").
            const example = /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/.exec(
                field("DescribeTaskListRequest", "BeginTime").doc,
            );
            assert.ok(example, "the SDK doc gives a BeginTime example");
            const shape = new RegExp(`^${example[0].replace(/\d/g, "\\d")}$`);
            const lists = sent.filter((s) => s.action === "DescribeTaskList");
            assert.ok(lists.length >= 2);
            for (const s of lists) {
                assert.deepEqual(s.body.TaskTypes, [RESTORE_TASK_TYPE]);
                assert.match(String(s.body.BeginTime), shape);
                // Offset must be a multiple of Limit (the SDK doc: offset=limit*(页码-1)); Limit at most 100.
                assert.ok(Number(s.body.Limit) <= 100 && Number(s.body.Offset) % Number(s.body.Limit) === 0);
            }
            assert.match(beijingTime(Date.UTC(2021, 11, 29, 16, 0, 0)), shape);
        });

        it("DescribeInstanceBackups: Status is sent, with every value of the SDK's enum (its default, 2, hides locked backups)", () => {
            const allowed = proseEnum("DescribeInstanceBackupsRequest", "Status").map(Number);
            assert.deepEqual(allowed, [1, 2], "the SDK documents 1 (in a flow) and 2 (normal)");
            assert.match(field("DescribeInstanceBackupsRequest", "Status").doc, /默认值：2/);
            const lists = sent.filter((s) => s.action === "DescribeInstanceBackups");
            assert.ok(lists.length >= 2);
            for (const s of lists)
                assert.deepEqual(s.body.Status, allowed, "without Status, only normal backups are listed");
        });
    });

    describe("answers our client reads, against the SDK's models", () => {
        it("reads only fields the SDK's <Action>Response models have", async () => {
            const { client, reads } = readRecorder();
            await client.restoreInstance({ InstanceId: "InstanceId", BackupId: "BackupId", Password: "p" });
            await client.describeTaskInfo(1);
            await client.restoreTasksSince("InstanceId", 0);
            await client.restoreTaskPage(0, 0);
            await client.describeInstance("InstanceId");
            await client.findBackup("InstanceId", "BackupId");
            await client.listBackups("InstanceId");
            assert.equal(reads.size, 5);
            const unknown = [...reads].flatMap(([action, set]) =>
                [...set].filter((p) => typeAt(`${action}Response`, p) === undefined).map((p) => `${action}: ${p}`),
            );
            assert.deepEqual(unknown, []);
            // The fields the waits depend on are among those read.
            assert.ok(reads.get("RestoreInstance")?.has("TaskId"));
            assert.ok(reads.get("DescribeTaskInfo")?.has("Status"));
            assert.ok(reads.get("DescribeTaskList")?.has("Tasks[].Result"));
            // describeInstance hands the instance on as a RedisInstance: the provider's reads (Status) are checked
            // through that declared type in the next test.
            assert.ok(reads.get("DescribeInstances")?.has("InstanceSet[].InstanceId"));
            assert.ok(reads.get("DescribeInstanceBackups")?.has("BackupSet[].Status"));
        });

        it("our declared answer types have the SDK's types, field by field", () => {
            const ours = interfacesOf(
                path.resolve(__dirname, "..", "..", "provider", "tencentcloud", "redisClient.ts"),
            );
            const pairs: [string, string][] = [
                ["RedisInstance", "InstanceSet"],
                ["RedisBackup", "RedisBackupSet"],
                ["RedisTaskInfo", "DescribeTaskInfoResponse"],
                ["RedisTaskListItem", "TaskInfoDetail"],
            ];
            const problems: string[] = [];
            for (const [o, sdk] of pairs) {
                const m = ours.get(o);
                assert.ok(m, o);
                for (const f of m.values()) {
                    const s = model(sdk).get(f.name);
                    if (!s) problems.push(`${o}.${f.name}: not in ${sdk}`);
                    else if (s.type !== f.type) problems.push(`${o}.${f.name}: ours ${f.type}, SDK ${s.type}`);
                }
            }
            assert.deepEqual(problems, []);
        });
    });

    describe("enums (the SDK keeps them in its doc comments only)", () => {
        it("DescribeTaskInfo Status: we handle exactly the SDK's values", () => {
            const ours = [...TASK_STATUS.pending, ...TASK_STATUS.succeeded, ...TASK_STATUS.failed].sort();
            assert.deepEqual(ours, proseEnum("DescribeTaskInfoResponse", "Status").sort());
        });

        it("DescribeTaskList Result: we handle exactly the SDK's values", () => {
            const ours = [...TASK_RESULT.pending, ...TASK_RESULT.succeeded, ...TASK_RESULT.failed].sort();
            assert.deepEqual(ours, proseEnum("TaskInfoDetail", "Result").map(Number).sort());
        });

        it("task types: only FLOW_RESTOREBACKUP (name or code) counts as a restore", () => {
            const pairs = taskTypePairs("TaskInfoDetail", "TaskType");
            const restore = pairs.filter((p) => isRestoreTaskType(p.name) || isRestoreTaskType(p.code));
            assert.deepEqual(restore, [{ name: RESTORE_TASK_TYPE, code: RESTORE_TASK_CODE }]);
        });

        it("instance and backup statuses: our texts name exactly the SDK's values", () => {
            const keys = (o: Record<number, string>) => Object.keys(o).map(Number).sort();
            assert.deepEqual(keys(REDIS_INSTANCE_STATUS), proseEnum("InstanceSet", "Status").map(Number).sort());
            assert.deepEqual(keys(REDIS_BACKUP_STATUS), proseEnum("RedisBackupSet", "Status").map(Number).sort());
        });

        it("backup types: the selector allows exactly the SDK's BackupType values", () => {
            assert.deepEqual(
                [...(REDIS_SELECTOR.types ?? [])].sort(),
                proseEnum("RedisBackupSet", "BackupType").sort(),
            );
        });
    });

    describe("the vendor page's own RestoreInstance sample (seeds/003) as a fixture", () => {
        // The page's output sample, byte for byte. Its TaskId is a string, where the page's table and the SDK's model
        // (RestoreInstanceResponse.TaskId: number) say Integer: our client takes both, the emulator answers the model's.
        const DOCUMENTED_ANSWER =
            '{\n  "Response": {\n    "TaskId": "6954227",\n    "RequestId": "4daddc97-0005-45d8-b5b8-38514ec1e97c"\n  }\n}';

        it("our client sends the sample's parameters and parses its answer", async () => {
            const bodies: Sent[] = [];
            const transport: Transport = {
                send: async (req: HttpRequest) => {
                    bodies.push(sentOf(req));
                    return { status: 200, headers: { "content-type": "application/json" }, body: DOCUMENTED_ANSWER };
                },
            };
            const client = new RedisClient({
                endpoint: "https://redis.example.test",
                region: "ap-guangzhou",
                credentials: () => ({ secretId: SECRET_ID, secretKey: SECRET_KEY }),
                caller: new ApiCaller({ transport }),
            });
            // The sample's input: InstanceId=crs-5a4py64p, Password=mypassword, BackupId=678362566696298532848117.
            const r = await client.restoreInstance({
                InstanceId: "crs-5a4py64p",
                Password: "mypassword",
                BackupId: "678362566696298532848117",
            });
            assert.deepEqual(r, { TaskId: 6954227, RequestId: "4daddc97-0005-45d8-b5b8-38514ec1e97c" });
            assert.deepEqual(bodies[0].body, {
                InstanceId: "crs-5a4py64p",
                BackupId: "678362566696298532848117",
                Password: "mypassword",
            });
            assert.equal(bodies[0].action, "RestoreInstance");
            // The sample's answer does not match the SDK's type for TaskId: the checker sees it.
            assert.deepEqual(
                checkObject("RestoreInstanceResponse", JSON.parse(DOCUMENTED_ANSWER).Response).map((x) =>
                    x.replace(/:.*/, ""),
                ),
                ["RestoreInstanceResponse.TaskId"],
            );
        });
    });

    describe("the official client drives our emulator", () => {
        let svc: TencentRedisService;
        let server: EmulatorServer;
        let sdk: Record<string, (req: Record<string, unknown>) => Promise<Record<string, unknown>>>;
        before(async () => {
            svc = new TencentRedisService({
                credentials: { [SECRET_ID]: SECRET_KEY },
                timings: { prepareMs: 100, runMs: 200 },
            });
            server = new EmulatorServer(svc);
            const port = new URL(await server.start()).port;
            svc.seed("instance", { InstanceId: INSTANCE, Password: "pa55-Word" });
            svc.seed("backup", { InstanceId: INSTANCE, BackupId: "678362566696298532848117", BackupType: "1" });
            svc.seed("backup", { InstanceId: INSTANCE, BackupId: "678362566696298532848118" });
            svc.lock("backup", "678362566696298532848118", 3_600_000);
            // Transport only: the endpoint (a `redis.` name resolved to loopback), plain http. Signing is the SDK's.
            sdk = new SdkClient({
                credential: { secretId: SECRET_ID, secretKey: SECRET_KEY },
                region: "ap-guangzhou",
                profile: {
                    httpProfile: {
                        endpoint: `redis.emulator.test:${port}`,
                        protocol: "http://",
                        agent: loopbackAgent(),
                    },
                },
            }) as unknown as typeof sdk;
        });
        after(async () => server?.stop());

        /** Calls an action with the SDK and checks the answer against the SDK's model. */
        async function call(action: string, req: Record<string, unknown>): Promise<Record<string, unknown>> {
            const res = await sdk[action](req);
            assert.deepEqual(checkObject(`${action}Response`, res, `${action}Response`), [], action);
            assert.equal(typeof res.RequestId, "string");
            return res;
        }

        it("DescribeInstances", async () => {
            const r = await call("DescribeInstances", { InstanceId: INSTANCE, Limit: 20, Offset: 0 });
            assert.equal(r.TotalCount, 1);
            assert.equal((r.InstanceSet as { Status: number }[])[0].Status, 2);
        });

        it("DescribeInstanceBackups: the SDK's default Status (2) lists normal backups only; Status [1, 2] the locked too", async () => {
            const normal = await call("DescribeInstanceBackups", { InstanceId: INSTANCE });
            assert.deepEqual(
                (normal.BackupSet as { BackupId: string }[]).map((b) => b.BackupId),
                ["678362566696298532848117"],
            );
            const both = await call("DescribeInstanceBackups", { InstanceId: INSTANCE, Status: [1, 2], Limit: 100 });
            assert.equal(both.TotalCount, 2);
        });

        it("DescribeInstanceBackups without InstanceId (optional in the SDK) lists the region's backups", async () => {
            const r = await call("DescribeInstanceBackups", { Limit: 100, Offset: 0, Status: [1, 2] });
            assert.equal(r.TotalCount, 2);
        });

        it("RestoreInstance, then DescribeTaskInfo until succeed, and DescribeTaskList by type name and by code", async () => {
            const r = await call("RestoreInstance", {
                InstanceId: INSTANCE,
                BackupId: "678362566696298532848117",
                Password: "pa55-Word",
            });
            assert.equal(typeof r.TaskId, "number");
            const seen = new Set<string>();
            for (let i = 0; i < 100; i++) {
                const info = await call("DescribeTaskInfo", { TaskId: r.TaskId });
                seen.add(String(info.Status));
                if (info.Status === "succeed") break;
                await new Promise((res) => setTimeout(res, 30));
            }
            assert.ok(seen.has("succeed"), [...seen].join(","));
            const since = beijingTime(Date.now() - 600_000);
            for (const types of [[RESTORE_TASK_TYPE], [RESTORE_TASK_CODE]]) {
                const list = await call("DescribeTaskList", {
                    InstanceId: INSTANCE,
                    TaskTypes: types,
                    BeginTime: since,
                    Limit: 100,
                    Offset: 0,
                });
                const tasks = list.Tasks as { TaskId: number; Result: number }[];
                assert.deepEqual(
                    tasks.map((t) => [t.TaskId, t.Result]),
                    [[r.TaskId, 2]],
                    `TaskTypes ${JSON.stringify(types)}`,
                );
            }
        });

        it("an error answer reaches the SDK as its own error type with the code", async () => {
            await assert.rejects(
                sdk.RestoreInstance({ InstanceId: "crs-zzzz9999", BackupId: "1", Password: "x" }),
                (e: { code?: string; requestId?: string }) => e.code === "ResourceNotFound.InstanceNotExists",
            );
        });
    });
});

describe("tencentcloud redis RestoredInstance (CloneInstances): vendor contract (tencentcloud-sdk-nodejs)", function () {
    this.timeout(30_000);
    const SOURCE = "crs-clon0001";
    const BACKUP = "678362566696298532849001";
    const TOKEN = "prt-c0ffeec0ffeec0ffee00";

    /** Every call of the clone client against the emulator, as it went over the wire. */
    async function captureCloneRequests(): Promise<Sent[]> {
        const svc = new TencentRedisService({
            credentials: { [SECRET_ID]: SECRET_KEY },
            timings: { cloneMs: 0, destroyMs: 0, cleanUpMs: 0 },
        });
        const server = new EmulatorServer(svc);
        const url = await server.start();
        try {
            svc.seed("instance", { InstanceId: SOURCE });
            svc.seed("backup", { InstanceId: SOURCE, BackupId: BACKUP });
            const sent: Sent[] = [];
            const axios = new AxiosTransport();
            const client = new RedisCloneClient({
                endpoint: url,
                region: "ap-guangzhou",
                credentials: () => ({ secretId: SECRET_ID, secretKey: SECRET_KEY }),
                caller: new ApiCaller({
                    transport: { send: (req, t) => (sent.push(sentOf(req)), axios.send(req, t)) },
                }),
            });
            // The body the provider builds (every field it can send), through the provider's own create.
            const p = new CloneProvider(
                {
                    env: {},
                    settleMs: 1000,
                    schedule: { minIntervalMs: 10, maxIntervalMs: 20, fraction: 0.05 },
                    transport: { send: (req: HttpRequest, t: number) => (sent.push(sentOf(req)), axios.send(req, t)) },
                },
                {
                    "tencentcloud:endpoint": url,
                    "tencentcloud:secretId": SECRET_ID,
                    "tencentcloud:secretKey": SECRET_KEY,
                },
            );
            const { inputs } = checkClone(
                {
                    restoreToken: TOKEN,
                    sourceInstanceId: SOURCE,
                    backupId: BACKUP,
                    zoneId: 100003,
                    securityGroupIds: ["sg-5fgt7a1b"],
                    vpcId: "vpc-mjwornzj",
                    subnetId: "subnet-3lzrkspo",
                    password: "Clone-Passw0rd",
                    port: 6380,
                    projectId: 0,
                    templateId: "crs-cfg-7d2nbjmk",
                },
                "ap-guangzhou",
            );
            const made = await p.create(inputs as unknown as Record<string, unknown>);
            await client.cloneInstance(made.id);
            await client.instancesTagged(restoreMark(TOKEN));
            await p.delete(made.id, made.outs);
            return sent;
        } finally {
            await server.stop();
        }
    }

    let sent: Sent[];
    before(async () => {
        sent = await captureCloneRequests();
    });

    it("calls only actions the SDK's client has, with its version, as POST / with a JSON body", () => {
        const sdk = new SdkClient({ credential: { secretId: "x", secretKey: "y" }, region: "ap-guangzhou" });
        assert.deepEqual([...new Set(sent.map((s) => s.action))].sort(), [
            "CleanUpInstance",
            "CloneInstances",
            "DescribeInstanceBackups",
            "DescribeInstances",
            "DestroyPostpaidInstance",
        ]);
        for (const s of sent) {
            assert.equal(typeof sdk[s.action], "function", `the SDK's Redis client has no ${s.action}`);
            assert.equal(s.version, sdk.apiVersion, s.action);
            assert.equal(s.method, "POST", s.action);
            assert.equal(s.path, "/", s.action);
        }
    });

    it("every body matches the SDK's <Action>Request model (CloneInstances with every field the provider sends)", () => {
        for (const s of sent)
            assert.deepEqual(checkObject(`${s.action}Request`, s.body, `${s.action}Request`), [], s.action);
        const clone = sent.find((s) => s.action === "CloneInstances")!.body;
        assert.deepEqual(Object.keys(clone).sort(), [
            "BackupId",
            "BillingMode",
            "GoodsNum",
            "InstanceId",
            "InstanceName",
            "Password",
            "Period",
            "ProjectId",
            "ResourceTags",
            "SecurityGroupIdList",
            "SubnetId",
            "TemplateId",
            "VPort",
            "VpcId",
            "ZoneId",
        ]);
        assert.deepEqual(clone.ResourceTags, [{ TagKey: "pulumi-restore-token", TagValue: TOKEN }]);
        // The look-up after a lost answer filters by that tag, in DescribeInstancesRequest.InstanceTags.
        const byTag = sent.filter((s) => s.action === "DescribeInstances" && s.body.InstanceTags);
        assert.ok(byTag.length >= 1);
        assert.deepEqual(byTag[0].body.InstanceTags, [{ TagKey: "pulumi-restore-token", TagValue: TOKEN }]);
    });

    it("the tag types agree: CloneInstances' ResourceTag, DescribeInstances' InstanceTagInfo and InstanceSet.InstanceTags", () => {
        assert.equal(field("CloneInstancesRequest", "ResourceTags").type, "Array<ResourceTag>");
        assert.equal(field("DescribeInstancesRequest", "InstanceTags").type, "Array<InstanceTagInfo>");
        assert.equal(field("InstanceSet", "InstanceTags").type, "Array<InstanceTagInfo>");
        for (const m of ["ResourceTag", "InstanceTagInfo"])
            assert.deepEqual([...model(m).keys()].sort(), ["TagKey", "TagValue"], m);
    });

    it("enums and ranges from the SDK's doc: BillingMode 0/1, Period's list, VPort's range, the instance statuses", () => {
        assert.deepEqual(proseEnum("CloneInstancesRequest", "BillingMode"), Object.values(BILLING_CODE).map(String));
        const periods = /\[([\d,\s]+)\]/.exec(field("CloneInstancesRequest", "Period").doc)![1].split(",").map(Number);
        assert.deepEqual(periods, [...PREPAID_PERIODS]);
        assert.match(field("CloneInstancesRequest", "Period").doc, /按量计费时，设置为1/);
        assert.match(field("CloneInstancesRequest", "VPort").doc, /\[1024,65535\]/);
        assert.deepEqual(PORT_RANGE, { min: 1024, max: 65535 });
        assert.deepEqual(
            proseEnum("InstanceSet", "Status").map(Number).sort(),
            Object.keys(REDIS_INSTANCE_STATUS).map(Number).sort(),
        );
        assert.deepEqual(proseEnum("InstanceSet", "BillingMode"), ["0", "1"]);
    });

    it("our declared types have the SDK's types, field by field (CloneInstance ~ InstanceSet, CloneTag ~ ResourceTag)", () => {
        const ours = interfacesOf(path.resolve(__dirname, "..", "..", "provider", "tencentcloud", "cloneClient.ts"));
        const pairs: [string, string][] = [
            ["CloneInstance", "InstanceSet"],
            ["CloneTag", "ResourceTag"],
            ["CloneTag", "InstanceTagInfo"],
            ["CloneInstancesBody", "CloneInstancesRequest"],
        ];
        const problems: string[] = [];
        for (const [o, sdk] of pairs) {
            for (const f of ours.get(o)!.values()) {
                const s = model(sdk).get(f.name);
                const norm = (t: string) =>
                    t.replace(/^Array<(.*)>$/, "$1[]").replace(/CloneTag|ResourceTag|InstanceTagInfo/, "Tag");
                if (!s) problems.push(`${o}.${f.name}: not in ${sdk}`);
                else if (norm(s.type) !== norm(f.type)) problems.push(`${o}.${f.name}: ours ${f.type}, SDK ${s.type}`);
            }
        }
        assert.deepEqual(problems, []);
    });

    it("the answers we read: only fields of the <Action>Response models", async () => {
        const reads = new Map<string, Set<string>>();
        const caller = {
            clock: { now: () => Date.now(), sleep: async () => undefined },
            call: async (spec: { action: string }) => {
                const sample = sampleOf(`${spec.action}Response`, spec.action) as Record<string, unknown>;
                const set = reads.get(spec.action) ?? new Set<string>();
                reads.set(spec.action, set);
                return new Proxy(sample, {
                    get: (t, k, r) => {
                        if (typeof k === "string" && k !== "then" && k !== "toJSON") set.add(k);
                        return Reflect.get(t, k, r);
                    },
                });
            },
        } as unknown as ApiCaller;
        const client = new RedisCloneClient({
            endpoint: "https://redis.example.test",
            region: "ap-guangzhou",
            credentials: () => ({ secretId: SECRET_ID, secretKey: SECRET_KEY }),
            caller,
        });
        await client.cloneInstances({} as never);
        await client.cloneInstance("InstanceId");
        await client.destroyPostpaidInstance("x");
        await client.cleanUpInstance("x");
        const unknown = [...reads].flatMap(([a, set]) =>
            [...set].filter((k) => !model(`${a}Response`).has(k)).map((k) => `${a}: ${k}`),
        );
        assert.deepEqual(unknown, []);
        assert.ok(reads.get("CloneInstances")!.has("InstanceIds"));
        assert.ok(reads.get("DescribeInstances")!.has("InstanceSet"));
    });

    describe("the official client drives the emulator's clone actions", () => {
        let svc: TencentRedisService;
        let server: EmulatorServer;
        let sdk: Record<string, (req: Record<string, unknown>) => Promise<Record<string, unknown>>>;
        before(async () => {
            svc = new TencentRedisService({
                credentials: { [SECRET_ID]: SECRET_KEY },
                timings: { cloneMs: 100, destroyMs: 50, cleanUpMs: 50 },
            });
            server = new EmulatorServer(svc);
            const port = new URL(await server.start()).port;
            svc.seed("instance", { InstanceId: SOURCE });
            svc.seed("backup", { InstanceId: SOURCE, BackupId: BACKUP });
            sdk = new SdkClient({
                credential: { secretId: SECRET_ID, secretKey: SECRET_KEY },
                region: "ap-guangzhou",
                profile: {
                    httpProfile: {
                        endpoint: `redis.emulator.test:${port}`,
                        protocol: "http://",
                        agent: loopbackAgent(),
                    },
                },
            }) as unknown as typeof sdk;
        });
        after(async () => server?.stop());

        async function call(action: string, req: Record<string, unknown>): Promise<Record<string, unknown>> {
            const res = await sdk[action](req);
            assert.deepEqual(checkObject(`${action}Response`, res, `${action}Response`), [], action);
            return res;
        }
        const until = async (id: string, want: (s: number | undefined) => boolean) => {
            for (let i = 0; i < 100; i++) {
                const r = await call("DescribeInstances", { InstanceId: id });
                const s = (r.InstanceSet as { Status: number }[])[0]?.Status;
                if (want(s)) return s;
                await new Promise((res) => setTimeout(res, 20));
            }
            throw new Error(`instance ${id} never reached the wanted status`);
        };

        it("CloneInstances → DescribeInstances by InstanceTags → DestroyPostpaidInstance → CleanUpInstance", async () => {
            const tag = { TagKey: "pulumi-restore-token", TagValue: TOKEN };
            const r = await call("CloneInstances", {
                InstanceId: SOURCE,
                GoodsNum: 1,
                ZoneId: 100003,
                BillingMode: 0,
                Period: 1,
                SecurityGroupIdList: ["sg-5fgt7a1b"],
                BackupId: BACKUP,
                Password: "Clone-Passw0rd",
                InstanceName: "sdk-clone",
                ResourceTags: [tag],
            });
            const [id] = r.InstanceIds as string[];
            assert.match(id, /^crs-[a-z0-9]{8}$/);
            const tagged = await call("DescribeInstances", { InstanceTags: [tag], Limit: 100, Offset: 0 });
            assert.deepEqual(
                (tagged.InstanceSet as { InstanceId: string }[]).map((i) => i.InstanceId),
                [id],
            );
            const other = await call("DescribeInstances", { InstanceTags: [{ ...tag, TagValue: "prt-other" }] });
            assert.equal(other.TotalCount, 0);
            assert.equal(await until(id, (s) => s === 2), 2);
            const d = await call("DestroyPostpaidInstance", { InstanceId: id });
            assert.equal(typeof d.TaskId, "number");
            assert.equal(await until(id, (s) => s === -2), -2);
            await call("CleanUpInstance", { InstanceId: id });
            await until(id, (s) => s === undefined);
        });

        it("CloneInstances of a backup that is not the source's is refused with the SDK's error type", async () => {
            await assert.rejects(
                sdk.CloneInstances({
                    InstanceId: SOURCE,
                    GoodsNum: 1,
                    ZoneId: 100003,
                    BillingMode: 0,
                    Period: 1,
                    SecurityGroupIdList: ["sg-5fgt7a1b"],
                    BackupId: "not-a-backup",
                    Password: "Clone-Passw0rd",
                }),
                (e: { code?: string }) => e.code === "InvalidParameterValue.BackupNotExists",
            );
        });
    });
});
