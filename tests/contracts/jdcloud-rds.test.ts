/**
 * JD Cloud RDS against the vendor's own code: the official Python SDK (jdcloud_sdk, in .contract-sdks) is the oracle.
 * Its request classes give each action's path, method, API version and parameters; its parameter builders give the
 * exact URL and body it would send; its model classes give the fields of what we send and read. The Python SDK carries
 * no types and no enumerations of statuses: where it is silent, the test says so and docs/contracts/jdcloud.md names
 * the source used instead. Oracle: tests/contracts/oracles/jdcloud_rds.py.
 */
import { strict as assert } from "assert";
import { CloudError } from "../../provider/core/errors";
import { setProgressSink } from "../../provider/core/progress";
import { ApiCaller, AxiosTransport, HttpRequest, HttpResponse, Transport } from "../../provider/core/http";
import {
    CreateFromBackupBody,
    RDS_BACKUP_FIELDS,
    RDS_CHARGE_FIELDS,
    RDS_INSTANCE_FIELDS,
    RdsClient,
} from "../../provider/jdcloud/rdsClient";
import {
    CHARGE_MODES,
    CHARGE_UNITS,
    ENGINES,
    INSTANCE_TYPES,
    ONLY_FOR,
    checkRdsRestore,
} from "../../provider/jdcloud/rdsInputs";
import { rdsRecord } from "../../provider/jdcloud/rdsBackups";
import { MARK_KEY, markFilter } from "../../provider/jdcloud/rdsMark";
import { RdsRestoreProvider } from "../../provider/jdcloud/rdsProvider";
import { jdcloudDate, signJdcloud3 } from "../../provider/jdcloud/signer";
import { EmulatorServer } from "../../emulator/core/server";
import { JdcloudRdsService } from "../../emulator/jdcloud/rds";
import { pythonOracle, runOracle } from "../support/pythonOracle";

const AK = "contract-jd-ak";
const SK = "contract-jd-secret-0001";
const REGION = "cn-north-1";
const ORACLE = "jdcloud_rds.py";
/** The restore token of the provider-made requests (the mark's value). */
const TOKEN = "prt-0123456789abcdef0123";

interface Field {
    required: boolean;
    doc: string;
}
interface SdkAction {
    file: string;
    url: string;
    method: string;
    version: string;
    params: Record<string, Field>;
}
interface SdkModel {
    file: string;
    fields: Record<string, Field>;
}
interface SdkCatalog {
    actions: Record<string, SdkAction>;
    models: Record<string, SdkModel>;
}
interface SdkBuilt {
    method: string;
    url: string;
    body: string;
}

const M = {
    spec: "jdcloud_sdk.services.rds.models.RestoredNewDBInstanceSpec",
    chargeSpec: "jdcloud_sdk.services.charge.models.ChargeSpec",
    charge: "jdcloud_sdk.services.charge.models.Charge",
    instance: "jdcloud_sdk.services.rds.models.DBInstance",
    attributes: "jdcloud_sdk.services.rds.models.DBInstanceAttribute",
    backup: "jdcloud_sdk.services.rds.models.Backup",
    tag: "jdcloud_sdk.services.rds.models.Tag",
    filter: "jdcloud_sdk.services.common.models.Filter",
    tagFilter: "jdcloud_sdk.services.common.models.TagFilter",
};

/** Records what our client puts on the wire, then sends it to the emulator. */
class Recorder implements Transport {
    readonly sent: HttpRequest[] = [];
    readonly answers: HttpResponse[] = [];
    private readonly inner = new AxiosTransport();
    async send(req: HttpRequest, timeoutMs: number): Promise<HttpResponse> {
        this.sent.push(req);
        const res = await this.inner.send(req, timeoutMs);
        this.answers.push(res);
        return res;
    }
}

/** The action an SDK request class serves, by method and path (templates from the SDK itself). */
function actionOf(
    cat: SdkCatalog,
    method: string,
    path: string,
): { action: string; pathParams: Record<string, string> } {
    for (const [action, a] of Object.entries(cat.actions)) {
        const names: string[] = [];
        const re = new RegExp(
            "^/" +
                a.version +
                a.url.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{([A-Za-z0-9_-]+)\}/g, (_m, n: string) => {
                    names.push(n);
                    return "([^/:]+)";
                }) +
                "$",
        );
        const m = re.exec(path);
        if (m && a.method === method)
            return { action, pathParams: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
    }
    throw new Error(`no SDK action is ${method} ${path}`);
}

/** `filters.1.values.2=x` pairs as the nested object they encode (N is 1-based). */
function unflatten(pairs: [string, string][]): Record<string, unknown> {
    const root: Record<string, unknown> = {};
    for (const [k, v] of pairs) {
        const parts = k.split(".");
        let cur: Record<string, unknown> | unknown[] = root;
        parts.forEach((p, i) => {
            const last = i === parts.length - 1;
            const key: string | number = /^\d+$/.test(p) ? Number(p) - 1 : p;
            const next = parts[i + 1];
            const container = cur as Record<string | number, unknown>;
            if (last) container[key] = v;
            else {
                if (container[key] === undefined) container[key] = next !== undefined && /^\d+$/.test(next) ? [] : {};
                cur = container[key] as Record<string, unknown>;
            }
        });
    }
    return root;
}

function queryPairs(url: string): [string, string][] {
    const q = new URL(url).search.replace(/^\?/, "");
    if (!q) return [];
    return q
        .split("&")
        .map((kv) => kv.split("=").map((s) => decodeURIComponent(s)) as [string, string])
        .sort((a, b) => (a[0] + "=" + a[1] < b[0] + "=" + b[1] ? -1 : 1));
}

/** JSON without nulls (the SDK serialises every unset optional field as null). */
function withoutNulls(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(withoutNulls);
    if (v && typeof v === "object")
        return Object.fromEntries(
            Object.entries(v as Record<string, unknown>)
                .filter(([, x]) => x !== null)
                .map(([k, x]) => [k, withoutNulls(x)]),
        );
    return v;
}

/** Engines a docstring names (the SDK says which engines a field applies to in prose). */
function enginesNamed(doc: string): string[] {
    return ENGINES.filter((e) => doc.includes(e));
}

describe("jdcloud rds contract: our client against the official SDK's model of each action", function () {
    this.timeout(120_000);
    let cat: SdkCatalog;
    let server: EmulatorServer;
    let svc: JdcloudRdsService;
    let rec: Recorder;
    let client: RdsClient;
    let url: string;

    before(async function () {
        pythonOracle(this);
        cat = await runOracle<SdkCatalog>(ORACLE, { mode: "model" });
        svc = new JdcloudRdsService({ credentials: { [AK]: SK }, timings: { buildMs: 0, deleteMs: 0 } });
        svc.seed("backup", { backupId: "bk-contract-mysql", engine: "MySQL", instanceId: "mysql-src0contract" });
        svc.seed("backup", { backupId: "bk-contract-sqls", engine: "SQL Server", instanceId: "sqlserver-src0ct" });
        server = new EmulatorServer(svc);
        url = await server.start();
        rec = new Recorder();
        client = new RdsClient({
            endpoint: url,
            credentials: () => ({ accessKey: AK, secretKey: SK }),
            caller: new ApiCaller({ transport: rec }),
        });
    });
    after(async () => server?.stop());

    /** Every call our client makes, each optional field used at least once. */
    async function exercise(): Promise<void> {
        const mysql: CreateFromBackupBody = {
            backupId: "bk-contract-mysql",
            engine: "MySQL",
            instanceSpec: {
                instanceName: "contract-mysql",
                instanceClass: "db.mysql.s1.micro",
                instanceStorageGB: 20,
                azId: ["cn-north-1a", "cn-north-1a"],
                vpcId: "vpc-contract01",
                subnetId: "subnet-contract01",
                parameterGroup: "pg-contract01",
                chargeSpec: { chargeMode: "postpaid_by_duration" },
                instanceStorageType: "EBS_SSD",
                instancePort: "3307",
                storageEncrypted: true,
                tagSpec: [{ key: "pulumi-restore", value: "prt-contract" }],
            },
        };
        const sqls: CreateFromBackupBody = {
            backupId: "bk-contract-sqls",
            engine: "SQL Server",
            instanceSpec: {
                instanceName: "contract-sqls",
                instanceClass: "db.mssql.s1.large",
                instanceStorageGB: 40,
                azId: ["cn-north-1a", "cn-north-1b"],
                vpcId: "vpc-contract01",
                subnetId: "subnet-contract01",
                chargeSpec: { chargeMode: "prepaid_by_duration", chargeUnit: "month", chargeDuration: 1 },
                instanceType: "standalone",
            },
        };
        const a = await client.createInstanceFromBackup(REGION, mysql);
        const b = await client.createInstanceFromBackup(REGION, sqls);
        await client.describeInstance(REGION, a.instanceId);
        await client.instancesNamed(REGION, "contract-mysql");
        await client.instancesNamed(REGION, "contract-mysql", [{ key: "pulumi-restore", values: ["prt-contract"] }]);
        await client.instancesById(REGION, [a.instanceId, b.instanceId]);
        await client.describeBackups(REGION, "mysql-src0contract");
        await client.deleteInstance(REGION, a.instanceId);
        // What the provider itself sends: the create marked with the restore token, the look-up by name and mark
        // (before the create), and the drill's look-up by mark alone.
        const provider = new RdsRestoreProvider(
            { transport: rec, env: {} },
            { "jdcloud:endpoint": url, "jdcloud:accessKey": AK, "jdcloud:secretKey": SK },
        );
        const restore = checkRdsRestore(goodInputs({ backupId: "bk-contract-mysql" }, {}));
        assert.deepEqual(restore.failures, []);
        setProgressSink(() => undefined);
        try {
            await provider.create(restore.inputs);
        } finally {
            setProgressSink(undefined);
        }
        await provider.client().instancesTagged(REGION, [markFilter(TOKEN)]);
    }

    /** A recorded request as the parameters the SDK's request class takes (query, body and path parameters). */
    function sdkCall(r: HttpRequest): { action: string; params: Record<string, unknown> } {
        const u = new URL(r.url);
        const { action, pathParams } = actionOf(cat, r.method, u.pathname);
        const params: Record<string, unknown> = {
            ...unflatten(queryPairs(r.url)),
            ...(r.body ? (JSON.parse(r.body) as Record<string, unknown>) : {}),
            ...pathParams,
        };
        return { action, params };
    }

    it("calls exactly the actions the SDK has, with its method, path template and API version", async () => {
        await exercise();
        const used = new Set(rec.sent.map((r) => actionOf(cat, r.method, new URL(r.url).pathname).action));
        assert.deepEqual([...used].sort(), [
            "CreateInstanceFromBackup",
            "DeleteInstance",
            "DescribeBackups",
            "DescribeInstanceAttributes",
            "DescribeInstances",
        ]);
        for (const a of Object.values(cat.actions)) assert.equal(a.version, "v1", a.file);
    });

    it("sends what the SDK's own builder sends: the same path, query pairs (X.N lists) and JSON body", async () => {
        assert.ok(rec.sent.length >= 8, "exercise() ran");
        const calls = rec.sent.map(sdkCall);
        const built = await runOracle<SdkBuilt[]>(ORACLE, { mode: "build", calls, endpoint: "rds.example.invalid" });
        rec.sent.forEach((r, i) => {
            const what = `${calls[i].action} (${cat.actions[calls[i].action].file})`;
            const sdk = built[i];
            assert.equal(r.method, sdk.method, what);
            assert.equal(
                decodeURIComponent(new URL(r.url).pathname),
                decodeURIComponent(new URL(sdk.url).pathname),
                what,
            );
            assert.deepEqual(queryPairs(r.url), queryPairs(sdk.url), `${what}: query`);
            if (sdk.method === "GET" || sdk.method === "DELETE") assert.equal(r.body ?? "", "", `${what}: no body`);
            else {
                // The SDK also serialises the path parameter regionId into the body; the gateway routes by the path.
                const theirs = withoutNulls(JSON.parse(sdk.body)) as Record<string, unknown>;
                delete theirs.regionId;
                assert.deepEqual(JSON.parse(r.body ?? ""), theirs, `${what}: body`);
            }
            // The SDK sends Content-Type application/json on every request, GET and DELETE included (and signs it).
            assert.equal(r.headers["content-type"], "application/json", what);
        });
    });

    it("sends every parameter the SDK marks required, and only names the SDK knows", () => {
        for (const r of rec.sent) {
            const { action, pathParams } = actionOf(cat, r.method, new URL(r.url).pathname);
            const a = cat.actions[action];
            const sent = new Set([
                ...Object.keys(pathParams),
                ...queryPairs(r.url).map(([k]) => k.split(".")[0]),
                ...Object.keys(r.body ? (JSON.parse(r.body) as object) : {}),
            ]);
            for (const n of sent) assert.ok(a.params[n], `${action}: ${n} is not a parameter of ${a.file}`);
            for (const [n, p] of Object.entries(a.params))
                if (p.required) assert.ok(sent.has(n), `${action}: required ${n} (${a.file}) not sent`);
            if (action === "CreateInstanceFromBackup") {
                const body = JSON.parse(r.body ?? "{}") as CreateFromBackupBody;
                const spec = cat.models[M.spec].fields;
                for (const k of Object.keys(body.instanceSpec)) assert.ok(spec[k], `instanceSpec.${k}`);
                for (const [k, f] of Object.entries(spec))
                    if (f.required) assert.ok(k in body.instanceSpec, `instanceSpec.${k} is required`);
                for (const k of Object.keys(body.instanceSpec.chargeSpec))
                    assert.ok(cat.models[M.chargeSpec].fields[k], `chargeSpec.${k}`);
            }
        }
    });

    it("reads only fields the SDK's response models have (DBInstanceAttribute, DBInstance, Charge, Backup)", () => {
        for (const k of RDS_INSTANCE_FIELDS) {
            assert.ok(
                cat.models[M.attributes].fields[k],
                `describeInstanceAttributes: ${k} (${cat.models[M.attributes].file})`,
            );
            assert.ok(cat.models[M.instance].fields[k], `describeInstances: ${k} (${cat.models[M.instance].file})`);
        }
        for (const k of RDS_CHARGE_FIELDS) assert.ok(cat.models[M.charge].fields[k], `charge.${k}`);
        for (const k of RDS_BACKUP_FIELDS) assert.ok(cat.models[M.backup].fields[k], `backup.${k}`);
    });

    it("tags: instanceSpec.tagSpec is a list of Tag{key, value}; describeInstances takes tagFilters of TagFilter{key, values}", () => {
        assert.ok(cat.models[M.spec].fields.tagSpec, "RestoredNewDBInstanceSpec.tagSpec");
        assert.deepEqual(Object.keys(cat.models[M.tag].fields).sort(), ["key", "value"]);
        assert.ok(cat.actions.DescribeInstances.params.tagFilters, "DescribeInstances tagFilters");
        assert.deepEqual(Object.keys(cat.models[M.tagFilter].fields).sort(), ["key", "values"]);
        // Instances answer with their tags in the same Tag shape.
        assert.ok(cat.models[M.instance].fields.tags && cat.models[M.attributes].fields.tags);
        const tagged = rec.sent.filter((r) => r.url.includes("tagFilters."));
        assert.ok(tagged.length > 0, "the client sent a tag filter");
        assert.deepEqual(
            queryPairs(tagged[0].url).filter(([k]) => k.startsWith("tagFilters.")),
            [
                ["tagFilters.1.key", "pulumi-restore"],
                ["tagFilters.1.values.1", "prt-contract"],
            ],
        );
    });

    it("the provider's mark: the create's tagSpec and the look-ups' tagFilters are Tag/TagFilter, built by the SDK the same", async () => {
        const creates = rec.sent.filter((r) => sdkCall(r).action === "CreateInstanceFromBackup");
        const marked = creates.filter((r) =>
            ((JSON.parse(r.body ?? "{}") as CreateFromBackupBody).instanceSpec.tagSpec ?? []).some(
                (t) => t.key === MARK_KEY,
            ),
        );
        assert.equal(marked.length, 1, "the provider's create carries the mark");
        const spec = (JSON.parse(marked[0].body!) as CreateFromBackupBody).instanceSpec;
        assert.deepEqual(spec.tagSpec, [{ key: "pulumi-restore-token", value: TOKEN }]);
        for (const t of spec.tagSpec!)
            for (const k of Object.keys(t)) assert.ok(cat.models[M.tag].fields[k], `Tag.${k}`);
        const lists = rec.sent.filter(
            (r) => sdkCall(r).action === "DescribeInstances" && r.url.includes(`tagFilters.1.key=${MARK_KEY}`),
        );
        const pairs = lists.map((r) =>
            queryPairs(r.url).filter(([k]) => k.startsWith("filters.") || k.startsWith("tagFilters.")),
        );
        const mark: [string, string][] = [
            ["tagFilters.1.key", MARK_KEY],
            ["tagFilters.1.values.1", TOKEN],
        ];
        // Before the create: by name and mark (the derived name); the drill's sweep: by the mark alone.
        assert.ok(
            pairs.some((p) => p.length === 4 && p[0][1] === "instanceName" && p[1][0] === "filters.1.values.1"),
            JSON.stringify(pairs),
        );
        assert.ok(
            pairs.some((p) => JSON.stringify(p) === JSON.stringify(mark)),
            JSON.stringify(pairs),
        );
        for (const p of pairs)
            assert.deepEqual(
                p.filter(([k]) => k.startsWith("tagFilters.")),
                mark,
            );
        for (const k of Object.keys(markFilter(TOKEN))) assert.ok(cat.models[M.tagFilter].fields[k], `TagFilter.${k}`);
        // The SDK's own builder, from the same parameters, sends exactly these requests.
        const mine = [marked[0], ...lists];
        const built = await runOracle<SdkBuilt[]>(ORACLE, {
            mode: "build",
            calls: mine.map(sdkCall),
            endpoint: "rds.example.invalid",
        });
        mine.forEach((r, i) => {
            assert.deepEqual(queryPairs(r.url), queryPairs(built[i].url), `${r.method} ${r.url}: query`);
            if (r.method === "POST") {
                const theirs = withoutNulls(JSON.parse(built[i].body)) as Record<string, unknown>;
                delete theirs.regionId;
                assert.deepEqual(JSON.parse(r.body!), theirs, "createInstanceFromBackup body");
            }
        });
    });

    it("the answer envelope: the SDK's JDCloudResponse and our client read the same requestId, error status, code and message", async () => {
        const bad = new Recorder();
        const wrong = new RdsClient({
            endpoint: `http://${new URL(rec.sent[0].url).host}`,
            credentials: () => ({ accessKey: AK, secretKey: "not-the-secret" }),
            caller: new ApiCaller({ transport: bad }),
        });
        const e = await wrong.describeBackups(REGION, "mysql-src0contract").then(
            () => assert.fail("a wrong secret was accepted"),
            (x: unknown) => x,
        );
        assert.ok(e instanceof CloudError);
        const ok = rec.answers.find((a) => a.status === 200)!;
        const [sdkErr, sdkOk] = await runOracle<
            { requestId: string; error: { status: string; code: number; message: string } | null; result: unknown }[]
        >(ORACLE, { mode: "parse", bodies: [bad.answers[0].body, ok.body] });
        assert.ok(sdkErr.error, "the SDK sees an error");
        assert.equal(e.code, sdkErr.error.status);
        assert.equal(e.httpStatus, sdkErr.error.code);
        assert.equal(e.requestId, sdkErr.requestId);
        assert.ok(e.vendorMessage.includes(sdkErr.error.message), e.vendorMessage);
        assert.equal(sdkOk.error, null);
        assert.deepEqual(sdkOk.result, (JSON.parse(ok.body) as { result: unknown }).result);
    });

    it("the emulator refuses a describeInstances pageSize that is not a multiple of 10 (SDK: [10,100], multiples of 10)", async () => {
        const doc = cat.actions.DescribeInstances.params.pageSize.doc;
        assert.match(doc, /\[10,100\].*10的整数倍/);
        const host = new URL(rec.sent[0].url).host;
        const ask = async (pageSize: string) => {
            const query = { pageNumber: "1", pageSize };
            const s = signJdcloud3({
                method: "GET",
                path: `/v1/regions/${REGION}/instances`,
                query,
                host,
                body: "",
                contentType: "application/json",
                service: "rds",
                region: REGION,
                accessKey: AK,
                secretKey: SK,
                date: jdcloudDate(Date.now()),
                nonce: `${Math.random()}`,
            });
            const headers: Record<string, string> = { ...s.headers };
            delete headers.host;
            return new AxiosTransport().send(
                {
                    method: "GET",
                    url: `http://${host}/v1/regions/${REGION}/instances?pageNumber=1&pageSize=${pageSize}`,
                    headers,
                },
                5000,
            );
        };
        assert.equal((await ask("20")).status, 200);
        assert.equal((await ask("15")).status, 400);
    });

    describe("enumerations and formats the SDK states in its docstrings", () => {
        it("chargeMode and chargeUnit values", () => {
            const doc = cat.models[M.chargeSpec].fields;
            const modes = [...new Set(doc.chargeMode.doc.match(/p(?:re|ost)paid_by_[a-z]+/g))].sort();
            assert.deepEqual([...CHARGE_MODES].sort(), modes);
            for (const u of CHARGE_UNITS) assert.match(doc.chargeUnit.doc, new RegExp(`\\b${u}\\b`));
        });

        it("instanceType (SQL Server architecture) values", () => {
            const doc = cat.models[M.spec].fields.instanceType.doc;
            const values = [...doc.matchAll(/([a-z][a-z-]+)：/g)].map((m) => m[1]).sort();
            assert.deepEqual(values, ["cluster", "multi-replica", "standalone"], doc);
            assert.deepEqual([...INSTANCE_TYPES].sort(), values);
            const c = checkRdsRestore(
                goodInputs({ engine: "SQL Server", backupId: "bk-1" }, { instanceType: "multi-replica" }),
            );
            assert.deepEqual(c.failures, []);
        });

        it("which engines each engine-specific field applies to", () => {
            const spec = cat.models[M.spec].fields;
            for (const [field, engines] of Object.entries(ONLY_FOR))
                assert.deepEqual(
                    [...engines].sort(),
                    enginesNamed(spec[field].doc).sort(),
                    `${field}: ${spec[field].doc}`,
                );
        });

        it("instancePort range", () => {
            const doc = cat.models[M.spec].fields.instancePort.doc;
            const m = /(\d{4})～(\d{4})/.exec(doc);
            assert.ok(m, doc);
            const [lo, hi] = [Number(m[1]), Number(m[2])];
            for (const [port, ok] of [
                [lo - 1, false],
                [lo, true],
                [hi, true],
                [hi + 1, false],
            ] as const) {
                const c = checkRdsRestore(goodInputs({}, { instancePort: port }));
                assert.equal(c.failures.length === 0, ok, `${port}: ${JSON.stringify(c.failures)}`);
            }
        });

        it("describeInstances filter names: ours are listed by the SDK (operator eq by default)", () => {
            const doc = cat.actions.DescribeInstances.params.filters.doc;
            for (const n of ["instanceId", "instanceName"])
                assert.match(doc, new RegExp(`^${n}, 支持operator选项：eq`, "m"));
            assert.equal(cat.models[M.filter].fields.operator.required, false);
            assert.match(cat.models[M.filter].fields.operator.doc, /默认eq/);
        });

        it("backup times are YYYY-MM-DD HH:mm:ss (no zone: read as China Standard Time); charge times ISO 8601 UTC", () => {
            const b = cat.models[M.backup].fields;
            assert.match(b.backupStartTime.doc, /YYYY-MM-DD HH:mm:ss/);
            assert.match(b.backupEndTime.doc, /YYYY-MM-DD HH:mm:ss/);
            const r = rdsRecord({
                backupId: "b",
                backupStartTime: "2024-03-01 09:00:00",
                backupEndTime: "2024-03-01 09:10:00",
            });
            assert.equal(r.time, Date.parse("2024-03-01T01:10:00Z"));
            assert.match(cat.models[M.charge].fields.chargeStartTime.doc, /ISO8601.*UTC.*YYYY-MM-DDTHH:mm:ssZ/);
        });

        it("statuses and backup modes are NOT enumerated by the SDK (it points to Enum-Definitions.md): see the docs", () => {
            // If a later SDK spells them out, this fails and the values we match on (RUNNING, COMPLETED, auto/manual)
            // must be checked against it.
            for (const [model, field] of [
                [M.attributes, "instanceStatus"],
                [M.instance, "instanceStatus"],
                [M.backup, "backupStatus"],
                [M.backup, "backupMode"],
            ] as const) {
                const doc = cat.models[model].fields[field].doc;
                assert.match(doc, /Enum-Definitions\.md/, `${model}.${field}`);
                assert.doesNotMatch(doc, /RUNNING|COMPLETED|\bauto\b|\bmanual\b/i, `${model}.${field}`);
            }
        });
    });
});

/** Valid RestoredInstance inputs for check(), with overrides. */
function goodInputs(over: Record<string, unknown>, spec: Record<string, unknown>): Record<string, unknown> {
    return {
        restoreToken: "prt-0123456789abcdef0123",
        regionId: REGION,
        backupId: "bk-mysql-0001",
        engine: "MySQL",
        instanceSpec: {
            instanceClass: "db.mysql.s1.micro",
            instanceStorageGB: 20,
            azId: ["cn-north-1a", "cn-north-1a"],
            vpcId: "vpc-test0001",
            subnetId: "subnet-test0001",
            chargeSpec: {},
            ...spec,
        },
        ...over,
    };
}

describe("jdcloud rds contract: the official Python SDK drives our emulator", function () {
    this.timeout(120_000);
    let server: EmulatorServer;
    let svc: JdcloudRdsService;
    let endpoint: string;

    before(async function () {
        pythonOracle(this);
        svc = new JdcloudRdsService({ credentials: { [AK]: SK }, timings: { buildMs: 1500, deleteMs: 300 } });
        svc.seed("backup", { backupId: "bk-sdk-0001", engine: "MySQL", instanceId: "mysql-srcsdk0001" });
        svc.seed("backup", {
            backupId: "bk-sdk-0002",
            engine: "MySQL",
            instanceId: "mysql-srcsdk0001",
            backupMode: "manual",
        });
        // Same name prefix, no tags: must not match an `eq` name filter nor the tag filter.
        svc.seed("instance", { instanceName: "restored-by-sdk-2", engine: "MySQL" });
        server = new EmulatorServer(svc);
        endpoint = new URL(await server.start()).host;
    });
    after(async () => server?.stop());

    it("create from backup, describe until RUNNING, list (filters, tag filters), list backups, delete: all parsed into the SDK's models", async () => {
        const out = await runOracle<{
            created: { instanceId: string; orderId?: string };
            statuses: string[];
            attributes: Record<string, unknown> & { tags: { key: string; value: string }[] };
            lists: { totalCount: number; instances: { instanceId: string; instanceName: string; tags: unknown[] }[] }[];
            backups: Record<string, unknown>[];
            backupsTotal: number;
            gone: { status: string; code: number } | null;
        }>(ORACLE, {
            mode: "drive",
            endpoint,
            accessKey: AK,
            secretKey: SK,
            regionId: REGION,
            sourceInstanceId: "mysql-srcsdk0001",
            create: {
                backupId: "bk-sdk-0001",
                engine: "MySQL",
                instanceSpec: {
                    instanceName: "restored-by-sdk",
                    instanceClass: "db.mysql.s1.micro",
                    instanceStorageGB: 20,
                    azId: ["cn-north-1a", "cn-north-1a"],
                    vpcId: "vpc-sdk0001",
                    subnetId: "subnet-sdk0001",
                    chargeSpec: { chargeMode: "postpaid_by_duration" },
                    tagSpec: [{ key: "pulumi-restore", value: "prt-sdk" }],
                },
            },
            lists: [
                { filters: [{ name: "instanceName", values: ["restored-by-sdk"] }] },
                { filters: [{ name: "instanceName", values: ["restored-by-sdk"], operator: "like" }] },
                { tagFilters: [{ key: "pulumi-restore", values: ["prt-sdk"] }] },
                {
                    filters: [
                        { name: "engineVersion", values: ["8.0"] },
                        { name: "subnetId", values: ["subnet-sdk0001"] },
                    ],
                },
            ],
        });
        assert.match(out.created.instanceId, /^mysql-/);
        assert.equal(out.statuses[out.statuses.length - 1], "RUNNING");
        assert.deepEqual(out.attributes.tags, [{ key: "pulumi-restore", value: "prt-sdk" }]);
        assert.match(String(out.attributes.createTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        assert.equal(typeof out.attributes.instanceStorageGB, "number");
        assert.equal(typeof out.attributes.instancePort, "string");
        const ids = (i: number) => out.lists[i].instances.map((x) => x.instanceName).sort();
        assert.deepEqual(ids(0), ["restored-by-sdk"], "eq (the default operator) is an exact match");
        assert.deepEqual(ids(1), ["restored-by-sdk", "restored-by-sdk-2"], "like is a substring match");
        assert.deepEqual(ids(2), ["restored-by-sdk"], "tag filter");
        assert.deepEqual(out.lists[2].instances[0].tags, [{ key: "pulumi-restore", value: "prt-sdk" }]);
        assert.deepEqual(ids(3), ["restored-by-sdk"], "every filter name the SDK lists is accepted");
        assert.equal(out.backupsTotal, 2);
        for (const b of out.backups) {
            assert.match(
                String(b.backupStartTime),
                /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/,
                "Backup.backupStartTime format",
            );
            assert.match(String(b.backupEndTime), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/, "Backup.backupEndTime format");
        }
        assert.deepEqual(out.gone, { status: "NOT_FOUND", code: 404 });
        assert.equal(svc.live().filter((i) => i.instanceName === "restored-by-sdk").length, 0);
    });
});
