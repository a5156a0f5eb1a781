/**
 * Vendor contract of EMR Serverless StarRocks (2022-10-19): the official Python SDK alibabacloud_starrocks20221019 is
 * the oracle (tests/contracts/oracles/alicloud_starrocks_model.py asks its client methods and models at run time).
 *
 * What our client sends is captured on the wire while the provider runs its real flows (create with the look-up for an
 * earlier attempt, the status waits, read, delete, a backup selector) against the emulator; each request is checked
 * against what the SDK's own method for that action builds: method, path, version, which names go in the query and
 * which in the body, their types and encodings. Each answer the emulator gave is parsed by the SDK's models. And the
 * fields our client reads are read from the SDK's own sample answers.
 *
 * Where the SDK is silent (the backup task Status values), the vendor's API reference is taken (apis/alicloud-starrocks.md)
 * and the test says so.
 */
import { strict as assert } from "assert";
import { StarRocksService } from "../../emulator/alicloud/starrocks";
import { EmulatorServer } from "../../emulator/core/server";
import { ApiCaller, AxiosTransport, HttpRequest, HttpResponse, Transport } from "../../provider/core/http";
import { setProgressSink } from "../../provider/core/progress";
import { StarRocksClient } from "../../provider/alicloud/starrocksClient";
import { STARROCKS_COMPLETE, STARROCKS_SELECTOR, resolveBackup } from "../../provider/alicloud/starrocksBackups";
import { checkRestoredInstance, TOKEN_TAG } from "../../provider/alicloud/starrocksInputs";
import { StarRocksProvider, STARROCKS_STATUSES, statusLookup } from "../../provider/alicloud/starrocksProvider";
import { VirtualClock } from "../../harness/clock";
import { pythonOracle, runOracle } from "../support/pythonOracle";

const AK = "contract-test-ak";
const SK = "contract-test-secret-0001";
const REGION = "cn-hangzhou";
const SOURCE = "c-contractsource01";
const ORACLE = "alicloud_starrocks_model.py";

/** The four actions the client calls (provider/alicloud/starrocksClient.ts). */
const ACTIONS = ["RestoreInstance", "DescribeInstances", "ReleaseInstance", "DescribeBackups"] as const;

/** A type as the oracle describes it: "str", "int", "bool", a list of one, or a model with its fields by wire name. */
type TypeDesc = string | { list: TypeDesc } | { model: string; fields: Record<string, TypeDesc> };

interface ActionSpec {
    action: string;
    version: string;
    method: string;
    pathname: string;
    style: string;
    reqBodyType: string;
    query: Record<string, string>;
    body: Record<string, unknown> | null;
    requestModel: Record<string, TypeDesc>;
    responseModel: Record<string, TypeDesc>;
    requestDocs: Record<string, string>;
    responseDocs: Record<string, string>;
    modelFile: string;
}

interface Captured {
    action: string;
    req: HttpRequest;
    res: HttpResponse;
}

/** Problems of a JSON value against a type of the SDK's model (unknown keys, JSON types). */
function typeProblems(path: string, v: unknown, t: TypeDesc): string[] {
    if (v === undefined || v === null) return [];
    if (typeof t === "string") {
        const want: Record<string, string> = { str: "string", int: "number", bool: "boolean", float: "number" };
        if (!want[t]) return [];
        if (typeof v !== want[t]) return [`${path}: ${t} in the SDK, we send ${typeof v} ${JSON.stringify(v)}`];
        if (t === "int" && !Number.isInteger(v)) return [`${path}: int in the SDK, we send ${v}`];
        return [];
    }
    if ("list" in t) {
        if (!Array.isArray(v)) return [`${path}: a list in the SDK, we send ${typeof v}`];
        return v.flatMap((x, i) => typeProblems(`${path}[${i}]`, x, t.list));
    }
    if (typeof v !== "object" || Array.isArray(v)) return [`${path}: an object (${t.model}) in the SDK`];
    return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) =>
        k in t.fields
            ? typeProblems(`${path}.${k}`, x, t.fields[k])
            : [`${path}.${k}: not in the SDK's ${t.model} (it has ${Object.keys(t.fields).join(", ")})`],
    );
}

/** A query value (always text on the wire) against the SDK's type for it, as the SDK encodes it. */
function queryProblems(name: string, value: string, t: TypeDesc): string[] {
    if (t === "int") return /^-?\d+$/.test(value) ? [] : [`${name}: int in the SDK, we send "${value}"`];
    if (t === "bool") return /^(true|false)$/.test(value) ? [] : [`${name}: bool in the SDK, we send "${value}"`];
    if (typeof t === "object" && "list" in t) {
        // A list in the query is "shrunk" by the SDK (array_to_string_with_specified_style 'json'): one JSON string.
        let parsed: unknown;
        try {
            parsed = JSON.parse(value);
        } catch {
            return [`${name}: the SDK sends a JSON string of a list, we send "${value}"`];
        }
        return typeProblems(name, parsed, t);
    }
    return [];
}

/** Every key path of a response model type, e.g. "Data[].Tags[].Key". */
function modelHas(model: Record<string, TypeDesc>, path: string): TypeDesc | undefined {
    let t: TypeDesc = { model: "body", fields: model };
    for (const part of path.split(".")) {
        const name = part.replace(/\[\]$/, "");
        if (typeof t !== "object" || !("fields" in t) || !(name in t.fields)) return undefined;
        t = t.fields[name];
        if (part.endsWith("[]")) {
            if (typeof t !== "object" || !("list" in t)) return undefined;
            t = t.list;
        }
    }
    return t;
}

/** The values listed in an SDK comment ("- running: Running." or "- **0**: quick backup"). */
function listedValues(doc: string): string[] {
    return [...doc.matchAll(/^- (?:\*\*)?([A-Za-z0-9_]+)(?:\*\*)?:/gm)].map((m) => m[1]);
}

describe("alicloud starrocks: vendor contract (official SDK alibabacloud_starrocks20221019)", function () {
    this.timeout(120_000);
    let spec: Record<string, ActionSpec>;
    const captured: Captured[] = [];

    before(async function () {
        pythonOracle(this);
        spec = await runOracle<Record<string, ActionSpec>>(ORACLE, { mode: "spec", actions: ACTIONS });

        // The provider's flows against the emulator, every request and answer recorded as sent and received.
        const clock = new VirtualClock(Date.now());
        const svc = new StarRocksService({
            clock,
            credentials: { [AK]: SK },
            timings: { restoreMs: 60_000, releaseMs: 10_000 },
        });
        const server = new EmulatorServer(svc);
        const url = await server.start();
        const inner = new AxiosTransport();
        const recorder: Transport = {
            send: async (req, t) => {
                const res = await inner.send(req, t);
                const action = Object.entries(req.headers).find(([k]) => k.toLowerCase() === "x-acs-action")?.[1];
                captured.push({ action: String(action), req, res });
                return res;
            },
        };
        setProgressSink(() => undefined);
        try {
            svc.seed("backup", { BackupTaskId: "bk-contract01", InstanceId: SOURCE, RegionId: REGION });
            svc.seed("backup", { BackupTaskId: "bk-contract02", InstanceId: SOURCE, RegionId: REGION, ageMs: 60_000 });
            const p = new StarRocksProvider(
                {
                    clock,
                    env: {},
                    schedule: { minIntervalMs: 1000, maxIntervalMs: 5000, fraction: 0.05 },
                    settleMs: 20_000,
                    random: () => 0.5,
                    transport: recorder,
                },
                {
                    "alicloud:endpoint": url,
                    "alicloud:region": REGION,
                    "alicloud:accessKey": AK,
                    "alicloud:secretKey": SK,
                },
            );
            const { inputs, failures } = checkRestoredInstance({
                restoreToken: "prt-00000000000000000c01",
                backupTaskId: "bk-contract01",
                instanceName: "contract-dr",
                adminPassword: "C0ntract-Adm1n!",
                vpcId: "vpc-contract01",
                vSwitches: [{ vswId: "vsw-contract01", zoneId: "cn-hangzhou-i" }],
                resourceGroupId: "rg-contract01",
                tags: { team: "data" },
            });
            assert.deepEqual(failures, []);
            const made = await p.create(inputs);
            await p.read(made.id, made.outs);
            // A prePaid restore: the billing fields (Duration a number, AutoRenew a boolean) go out too.
            const prepaid = checkRestoredInstance({
                restoreToken: "prt-00000000000000000c02",
                backupTaskId: "bk-contract01",
                instanceName: "contract-prepaid",
                adminPassword: "C0ntract-Adm1n!",
                payType: "prePaid",
                pricingCycle: "Month",
                duration: 1,
                autoRenew: true,
            });
            assert.deepEqual(prepaid.failures, []);
            await p.create(prepaid.inputs);
            // The batched status look-up: two keys list the region a page at a time.
            const client = new StarRocksClient({
                endpoint: url,
                credentials: () => ({ accessKeyId: AK, accessKeySecret: SK }),
                caller: new ApiCaller({ transport: recorder, clock }),
            });
            await statusLookup(client, REGION)([`id:${made.id}`, "tag:prt-none.000000000000"], new Map());
            // A backup selector: every page of the source's backups.
            await resolveBackup(client, { selector: { source: SOURCE }, region: REGION, now: clock.now() });
            await p.delete(made.id, made.outs);
        } finally {
            setProgressSink(undefined);
            await server.stop();
        }
    });

    const sent = (action: string) => captured.filter((c) => c.action === action);

    it("the flows exercised every action the client calls", () => {
        for (const a of ACTIONS) assert.ok(sent(a).length > 0, `no ${a} was captured`);
        assert.deepEqual([...new Set(captured.map((c) => c.action))].sort(), [...ACTIONS].sort());
    });

    it("method, path, API version and style: as the SDK's client method for each action", () => {
        for (const c of captured) {
            const s = spec[c.action];
            const u = new URL(c.req.url);
            assert.equal(c.req.method, s.method, `${c.action}: method`);
            assert.equal(u.pathname, s.pathname, `${c.action}: path`);
            const h = Object.fromEntries(Object.entries(c.req.headers).map(([k, v]) => [k.toLowerCase(), v]));
            assert.equal(h["x-acs-version"], s.version, `${c.action}: version`);
            assert.equal(s.style, "ROA", `${c.action}: the SDK calls it ROA style (a path per action)`);
        }
    });

    it("query parameters: only names the SDK puts in the query, with its types and encodings", () => {
        const problems: string[] = [];
        for (const c of captured) {
            const s = spec[c.action];
            for (const [k, v] of new URL(c.req.url).searchParams) {
                if (!(k in s.query)) {
                    problems.push(
                        `${c.action}: query ${k} is not a query parameter of the SDK's method (it has ${Object.keys(s.query).join(", ")})`,
                    );
                    continue;
                }
                problems.push(...queryProblems(`${c.action} ${k}`, v, s.requestModel[k]));
            }
        }
        assert.deepEqual([...new Set(problems)], []);
    });

    it("body: only for actions whose SDK method sends one, JSON, with its names and types", () => {
        const problems: string[] = [];
        for (const c of captured) {
            const s = spec[c.action];
            if (s.body === null) {
                if (c.req.body !== undefined && c.req.body !== "")
                    problems.push(`${c.action}: the SDK sends no body, we send ${c.req.body.slice(0, 80)}`);
                continue;
            }
            assert.equal(s.reqBodyType, "json");
            const ct = Object.entries(c.req.headers).find(([k]) => k.toLowerCase() === "content-type")?.[1];
            assert.equal(ct, "application/json; charset=utf-8", `${c.action}: content-type as the SDK sets it`);
            const body = JSON.parse(c.req.body ?? "null") as Record<string, unknown>;
            for (const [k, v] of Object.entries(body)) {
                if (!(k in s.body)) problems.push(`${c.action}: body field ${k} is not one the SDK sends`);
                else problems.push(...typeProblems(`${c.action}.${k}`, v, s.requestModel[k]));
            }
        }
        assert.deepEqual([...new Set(problems)], []);
    });

    it("RestoreInstance Tags are lower-case key/value, DescribeInstances' Tag filter is a JSON string of Key/Value", () => {
        // The two casings the SDK models (RestoreInstanceRequestTags.key vs DescribeInstancesRequestTag.Key).
        assert.deepEqual(spec.RestoreInstance.body!.Tags, [{ key: "s", value: "s" }]);
        assert.deepEqual(JSON.parse(spec.DescribeInstances.query.Tag), [{ Key: "s", Value: "s" }]);
        const restore = JSON.parse(sent("RestoreInstance")[0].req.body!) as { Tags: Record<string, string>[] };
        assert.ok(restore.Tags.some((t) => t.key === TOKEN_TAG && typeof t.value === "string"));
        const filters = sent("DescribeInstances")
            .map((c) => new URL(c.req.url).searchParams.get("Tag"))
            .filter((t): t is string => t !== null);
        assert.ok(filters.length > 0, "the look-up for an earlier attempt filters by tag");
        for (const f of filters)
            assert.deepEqual(Object.keys((JSON.parse(f) as Record<string, string>[])[0]).sort(), ["Key", "Value"]);
    });

    it("ReleaseInstance sends InstanceId only (the SDK's ReleaseInstanceRequest has no RegionId)", () => {
        assert.deepEqual(Object.keys(spec.ReleaseInstance.query), ["InstanceId"]);
        for (const c of sent("ReleaseInstance"))
            assert.deepEqual([...new URL(c.req.url).searchParams.keys()], ["InstanceId"]);
    });

    it("every answer the emulator gave parses into the SDK's response model: no unknown key, no type mismatch", async () => {
        const answers = captured
            .filter((c) => c.res.status === 200)
            .map((c) => ({ action: c.action, body: JSON.parse(c.res.body) as unknown }));
        assert.ok(answers.length >= captured.length - 2, "the flows got answers");
        const checked = await runOracle<{ problems: string[] }[]>(ORACLE, { mode: "check", answers });
        assert.deepEqual([...new Set(checked.flatMap((r) => r.problems))], []);
    });

    it("every response field the client reads is in the SDK's model, with the type it is read as", () => {
        // The fields read by provider/alicloud (starrocksClient.ts, starrocksProvider.ts, starrocksBackups.ts).
        const read: Record<string, [string, string][]> = {
            RestoreInstance: [
                ["Success", "bool"],
                ["ErrCode", "str"],
                ["ErrMessage", "str"],
                ["RequestId", "str"],
                ["AccessDeniedDetail", "str"],
                ["Data.InstanceId", "str"],
                ["Data.OrderId", "int"],
            ],
            DescribeInstances: [
                ["Total", "int"],
                ["Data[].InstanceId", "str"],
                ["Data[].InstanceName", "str"],
                ["Data[].InstanceStatus", "str"],
                ["Data[].PayType", "str"],
                ["Data[].RegionId", "str"],
                ["Data[].VpcId", "str"],
                ["Data[].VSwitches[].VswId", "str"],
                ["Data[].VSwitches[].ZoneId", "str"],
                ["Data[].VSwitches[].Primary", "bool"],
                ["Data[].Tags[].Key", "str"],
                ["Data[].Tags[].Value", "str"],
                ["Data[].ResourceGroupId", "str"],
                ["Data[].BeginTime", "int"],
            ],
            ReleaseInstance: [["Data", "bool"]],
            DescribeBackups: [
                ["Data[].BackupTaskId", "str"],
                ["Data[].InstanceId", "str"],
                ["Data[].Status", "str"],
                ["Data[].BackupType", "str"],
                ["Data[].BackupStartTime", "int"],
                ["Data[].BackupFinishedTime", "int"],
            ],
        };
        for (const [action, fields] of Object.entries(read))
            for (const [path, type] of fields)
                assert.deepEqual(modelHas(spec[action].responseModel, path), type, `${action} ${path}`);
    });

    it("the client reads the SDK's own sample answers (every field set, as the SDK's to_map writes it)", async () => {
        const samples = await runOracle<Record<string, Record<string, unknown>>>(ORACLE, {
            mode: "samples",
            actions: ACTIONS,
        });
        const answers: Record<string, Record<string, unknown>> = {};
        for (const a of ACTIONS) answers[`/${a}`] = { ...samples[a], Success: true };
        const fake: Transport = {
            send: async (req) => {
                const action = Object.entries(req.headers).find(([k]) => k.toLowerCase() === "x-acs-action")![1];
                return { status: 200, headers: {}, body: JSON.stringify(answers[`/${action}`]) };
            },
        };
        const client = new StarRocksClient({
            endpoint: "http://127.0.0.1:9",
            credentials: () => ({ accessKeyId: AK, accessKeySecret: SK }),
            caller: new ApiCaller({ transport: fake, clock: new VirtualClock() }),
        });
        const [inst] = await client.describeInstances({ RegionId: REGION });
        assert.equal(inst.InstanceId, "instance_id");
        assert.equal(inst.InstanceStatus, "instance_status");
        assert.equal(inst.BeginTime, 7);
        assert.deepEqual(inst.VSwitches, [{ Primary: true, VswId: "vsw_id", ZoneId: "zone_id" }]);
        assert.deepEqual(inst.Tags, [{ key: "key", value: "value" }], "Tags read from the SDK's Key/Value");
        const page = await client.describeInstancePage(REGION, 1);
        assert.equal(page.total, 7);
        assert.deepEqual(page.items[0].Tags, [{ key: "key", value: "value" }]);
        const restored = await client.restoreInstance({ BackupTaskId: "bk-1" });
        assert.deepEqual(restored, { InstanceId: "instance_id", OrderId: 7 });
        assert.equal(await client.releaseInstance("c-1"), true);
        const [b] = await client.describeBackups({ InstanceId: SOURCE });
        assert.equal(b.BackupTaskId, "backup_task_id");
        assert.equal(b.BackupFinishedTime, 7);
    });

    it("RestoreInstance: the vendor page's own success example (seeds/000) fits the SDK's model and our client reads it", async () => {
        // Byte for byte the "Success response" example of the RestoreInstance page: Success true, with an ErrCode.
        const example =
            '{ "HttpStatusCode": 200, "RequestId": "32A44F0D-BFF6-5664-999A-218BBDE74XXX\\n", "Success": true, ' +
            '"ErrCode": "InvalidParams\\n", "ErrMessage": "null", "Data": { "OrderId": 0, "InstanceId": "c-b25e21e243889XXX" }, ' +
            '"AccessDeniedDetail": "{ \\"PolicyType\\": \\"AccountLevelIdentityBasedPolicy\\", \\"AuthPrincipalOwnerId\\": \\"xxx\\", ' +
            '\\"EncodedDiagnosticMessage\\": \\"xxx\\", \\"AuthPrincipalType\\": \\"xxx\\", \\"AuthPrincipalDisplayName\\": \\"xxx\\", ' +
            '\\"NoPermissionType\\": \\"ImplicitDeny\\", \\"AuthAction\\": \\"sr:xxx\\" }" }';
        const [checked] = await runOracle<{ problems: string[] }[]>(ORACLE, {
            mode: "check",
            answers: [{ action: "RestoreInstance", body: JSON.parse(example) }],
        });
        assert.deepEqual(checked.problems, []);
        const client = new StarRocksClient({
            endpoint: "http://127.0.0.1:9",
            credentials: () => ({ accessKeyId: AK, accessKeySecret: SK }),
            caller: new ApiCaller({
                transport: { send: async () => ({ status: 200, headers: {}, body: example }) },
                clock: new VirtualClock(),
            }),
        });
        // Success is what decides: the example's ErrCode beside Success true is not an error.
        assert.deepEqual(await client.restoreInstance({ BackupTaskId: "bk-adskj23hd9s" }), {
            InstanceId: "c-b25e21e243889XXX",
            OrderId: 0,
        });
    });

    it("the statuses the provider matches on are values of the SDK's InstanceStatus", () => {
        const allowed = listedValues(spec.DescribeInstances.responseDocs["Data[].InstanceStatus"]);
        assert.ok(allowed.includes("running") && allowed.length > 20, `parsed ${allowed.length} values`);
        for (const s of STARROCKS_STATUSES) assert.ok(allowed.includes(s), `${s} is not an SDK InstanceStatus value`);
    });

    it("backupSelector.backupType takes the SDK's BackupType values (0 quick, 1 consistent)", () => {
        const allowed = listedValues(spec.DescribeBackups.responseDocs["Data[].BackupType"]);
        assert.deepEqual(allowed, ["0", "1"]);
        assert.deepEqual([...(STARROCKS_SELECTOR.types ?? [])].sort(), allowed);
    });

    it("backup Status: the SDK is silent (no list of values), so COMPLETED is from the vendor's reference", () => {
        // If a later SDK lists the values, this fails and the list in starrocksBackups.ts must be checked against it.
        const doc = spec.DescribeBackups.responseDocs["Data[].Status"];
        assert.deepEqual(listedValues(doc), [], `the SDK now documents Status values: ${doc}`);
        // apis/alicloud-starrocks.md: "Status (examples: RUNNING, COMPLETED)".
        assert.ok((STARROCKS_COMPLETE as readonly string[]).includes("COMPLETED"));
    });
});
