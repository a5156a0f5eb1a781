/**
 * Vendor contract, ZStack Cloud: every request our client makes, and every answer field it reads, checked against
 * ZStack's own API message catalog (zstack-mcp-server: zstack_mcp/data/api_docs.json, loaded by the oracle
 * tests/contracts/oracles/zstack_catalog.py) and against the request ZStack's own client (zstack_mcp/zstack_client.py)
 * builds for login.
 *
 * What the catalog decides: which API each call is, its parameter names, their types (string / integer / array), the
 * enums it lists in prose ("可选值: [...]"), whether the API is synchronous or asynchronous (callType), and the
 * primitive fields of query inventories. What it is silent on, and where that comes from instead:
 * - REST method, path and body wrapper (the catalog lists the RPC endpoint `/zstack/api/` only): the vendor page
 *   (seeds/002) and apis/zstack.md, kept as REST below;
 * - LogInByAccount (not in the catalog): the body ZStack's own client sends;
 * - VM states and volume-backup statuses (no enum in the catalog): apis/zstack.md, VM_STATES below;
 * - nested inventories (vmNics, allVolumes) and field types of answers: the vendor page (seeds/002).
 */
import { strict as assert } from "assert";
import { createHash } from "crypto";
import { EmulatorServer } from "../../emulator/core/server";
import { EmuRequest, EmuResponse } from "../../emulator/core/types";
import { DEFAULT_SOURCE_VM, ZStackService } from "../../emulator/zstack/zstack";
import { VirtualClock } from "../../harness/clock";
import { setProgressSink } from "../../provider/core/progress";
import { clearSessions } from "../../provider/zstack/session";
import { VmInstance, VmNic, VmVolume, VolumeBackup } from "../../provider/zstack/vmClient";
import { STRATEGY_STATE, VM_TYPES } from "../../provider/zstack/vmInputs";
import { VmFromBackupProvider } from "../../provider/zstack/vmProvider";
import { restoreMark } from "../../provider/zstack/vmMark";
import { pythonOracle, runOracle } from "../support/pythonOracle";

const PASSWORD = "contract-password";

/** One catalog entry as the oracle prints it. */
interface CatalogParam {
    name: string;
    type: string;
    required: boolean;
    enum: string[] | null;
}
interface CatalogEntry {
    apiName: string;
    callType: "sync" | "async";
    responseName: string;
    path: string;
    primitiveFields: string[] | null;
    parameters: CatalogParam[];
}
interface Oracle {
    catalogFile: string;
    clientFile: string;
    apis: Record<string, CatalogEntry | null>;
    login: { method: string; path: string; body: Record<string, Record<string, unknown>>; sessionUuid: string };
}

/**
 * REST routes (the catalog is silent on them): the vendor page (seeds/002, CreateVmFromVmBackup) and apis/zstack.md.
 * `pathParams` are catalog parameters carried in the path; `wrapper` is the body's top-level key ("params" for
 * creations, the lower-camel API name for actions), none for GET/DELETE.
 */
const REST: Record<string, { method: string; path: RegExp; pathParams: string[]; wrapper?: string }> = {
    LogInByAccount: {
        method: "PUT",
        path: /^\/zstack\/v1\/accounts\/login$/,
        pathParams: [],
        wrapper: "logInByAccount",
    },
    RenewSession: {
        method: "PUT",
        path: /^\/zstack\/v1\/accounts\/sessions\/(?<sessionUuid>[0-9a-f]{32})\/renew$/,
        pathParams: ["sessionUuid"],
        wrapper: "renewSession",
    },
    CreateVmFromVmBackup: {
        method: "POST",
        path: /^\/zstack\/v1\/vm-instances\/from\/vm-backups\/(?<groupUuid>[0-9a-f]{32})$/,
        pathParams: ["groupUuid"],
        wrapper: "params",
    },
    QueryVmInstance: { method: "GET", path: /^\/zstack\/v1\/vm-instances(\/(?<uuid>[0-9a-f]{32}))?$/, pathParams: [] },
    QueryVolumeBackup: { method: "GET", path: /^\/zstack\/v1\/volume-backups$/, pathParams: [] },
    DestroyVmInstance: {
        method: "DELETE",
        path: /^\/zstack\/v1\/vm-instances\/(?<uuid>[0-9a-f]{32})$/,
        pathParams: ["uuid"],
    },
    ExpungeVmInstance: {
        method: "PUT",
        path: /^\/zstack\/v1\/vm-instances\/(?<uuid>[0-9a-f]{32})\/actions$/,
        pathParams: ["uuid"],
        wrapper: "expungeVmInstance",
    },
};

/** VM states (apis/zstack.md; the catalog lists none for QueryVmInstance). */
const VM_STATES = [
    "Created",
    "Starting",
    "Running",
    "Stopping",
    "Stopped",
    "Rebooting",
    "Destroying",
    "Destroyed",
    "Migrating",
    "Expunging",
    "Pausing",
    "Paused",
    "Resuming",
    "VolumeMigrating",
    "VolumeRecovering",
    "Error",
    "NoState",
    "Unknown",
    "Crashed",
];

/**
 * The answer fields our client reads. Each list must name every key of its interface (the `Exhaustive` checks below
 * fail to compile otherwise), so a field added to the client is checked here too.
 */
const VM_FIELDS = [
    "uuid",
    "name",
    "description",
    "state",
    "type",
    "zoneUuid",
    "clusterUuid",
    "hostUuid",
    "instanceOfferingUuid",
    "defaultL3NetworkUuid",
    "cpuNum",
    "memorySize",
    "createDate",
    "vmNics",
    "allVolumes",
] as const;
const BACKUP_FIELDS = [
    "uuid",
    "volumeUuid",
    "name",
    "type",
    "state",
    "status",
    "groupUuid",
    "mode",
    "vmInstanceUuid",
    "createDate",
] as const;
const NIC_FIELDS = ["uuid", "l3NetworkUuid", "ip", "mac", "deviceId"] as const;
const VOLUME_FIELDS = ["uuid", "type", "size", "primaryStorageUuid"] as const;
type Exhaustive<T, L extends readonly (keyof T)[]> = Exclude<keyof T, L[number]> extends never ? true : false;
const exhaustive: [
    Exhaustive<VmInstance, typeof VM_FIELDS>,
    Exhaustive<VolumeBackup, typeof BACKUP_FIELDS>,
    Exhaustive<VmNic, typeof NIC_FIELDS>,
    Exhaustive<VmVolume, typeof VOLUME_FIELDS>,
] = [true, true, true, true];

/**
 * Nested inventories the catalog does not list (its primitive_fields cover the top level only): the vendor page's
 * VmInstanceInventory (seeds/002) names vmNics[uuid, l3NetworkUuid, ip, mac, deviceId, ...] and
 * allVolumes[uuid, primaryStorageUuid, type, size, ...].
 */
const SEED_NESTED: Record<string, string[]> = {
    vmNics: ["uuid", "vmInstanceUuid", "l3NetworkUuid", "ip", "mac", "deviceId", "netmask", "gateway", "state"],
    allVolumes: ["uuid", "name", "primaryStorageUuid", "vmInstanceUuid", "type", "size", "format", "state", "status"],
};

/** A value against a catalog type. */
function typeProblem(api: string, name: string, type: string, v: unknown): string | undefined {
    const ok =
        type === "string"
            ? typeof v === "string"
            : type === "integer"
              ? typeof v === "number" && Number.isInteger(v)
              : type === "array"
                ? Array.isArray(v)
                : type === "boolean"
                  ? typeof v === "boolean"
                  : type === "object"
                    ? typeof v === "object" && v !== null && !Array.isArray(v)
                    : false;
    return ok ? undefined : `${api}.${name}: the catalog types it ${type}, we send ${JSON.stringify(v)}`;
}

/** A query-string value (always text) against a catalog type. */
function queryTypeProblem(api: string, name: string, type: string, v: string): string | undefined {
    const ok = type === "integer" ? /^-?\d+$/.test(v) : type === "boolean" ? /^(true|false)$/.test(v) : true;
    return ok ? undefined : `${api}.${name}: the catalog types it ${type}, we send "${v}" in the query`;
}

/** Records every request and answer (the emulator's own handling is unchanged). */
class RecordingZStack extends ZStackService {
    readonly seen: { action: string; req: EmuRequest; res: EmuResponse }[] = [];
    override handle(req: EmuRequest): EmuResponse {
        const res = super.handle(req);
        this.seen.push({ action: this.actionOf(req), req, res });
        return res;
    }
}

describe("zstack contract: our requests and reads against ZStack's API catalog (zstack-mcp-server)", function () {
    this.timeout(120_000);
    let oracle: Oracle;
    let svc: RecordingZStack;
    let server: EmulatorServer;
    let clock: VirtualClock;
    let prevSink: ReturnType<typeof setProgressSink>;

    before(async function () {
        pythonOracle(this);
        oracle = await runOracle<Oracle>("zstack_catalog.py", {
            apis: [...Object.keys(REST), "QueryVmBackup", "LogOut", "QueryUserTag"],
            loginPassword: PASSWORD,
        });
        clearSessions();
        clock = new VirtualClock();
        prevSink = setProgressSink(() => undefined);
        svc = new RecordingZStack({
            clock,
            accounts: { admin: PASSWORD },
            // Short sessions, so that the run below renews one (RenewSession is exercised too).
            timings: { createMs: 20_000, startMs: 5000, destroyMs: 3000, expungeMs: 3000, sessionMs: 60_000 },
        });
        server = new EmulatorServer(svc);
        const url = await server.start();
        const demo = svc.seed("demo", {}) as {
            backupGroupUuid: string;
            instanceOfferingUuid: string;
            l3NetworkUuid: string;
        };
        // Every optional parameter we can send, so that each one's name and type is checked.
        const p = new VmFromBackupProvider(
            { clock, env: {}, random: () => 0.5, renewMarginMs: 50_000 },
            { "zstack:endpoint": url, "zstack:accountName": "admin", "zstack:accountPassword": PASSWORD },
        );
        const r = await p.check(
            {},
            {
                restoreToken: "prt-0123456789abcdef0123",
                backupSelector: { vmUuid: DEFAULT_SOURCE_VM },
                name: "contract-vm",
                description: "contract test",
                cpuNum: 2,
                memorySize: 4 * 1024 ** 3,
                l3NetworkUuids: [demo.l3NetworkUuid],
                defaultL3NetworkUuid: demo.l3NetworkUuid,
                type: "UserVm",
                strategy: "InstantStart",
                zoneUuid: svc.defaultZone,
                clusterUuid: svc.defaultCluster,
                hostUuid: svc.defaultHost,
                primaryStorageUuidForRootVolume: svc.defaultPrimaryStorage,
                primaryStorageUuidForDataVolume: svc.defaultPrimaryStorage,
                rootVolumeSystemTags: ["volumeProvisioningStrategy::ThinProvisioning"],
                dataVolumeSystemTags: ["volumeProvisioningStrategy::ThinProvisioning"],
                userTags: ["contract-user-tag"],
                expungeOnDelete: true,
            },
        );
        assert.deepEqual(r.failures, []);
        const created = await p.create(r.inputs!);
        await p.read(created.id, created.outs);
        // The backup group by uuid as well (QueryVolumeBackup groupUuid=...).
        const r2 = await p.check({}, { ...r.inputs, backupSelector: undefined, backupGroupUuid: demo.backupGroupUuid });
        assert.deepEqual(r2.failures, []);
        await p.delete(created.id, created.outs);
        const again = await p.create({
            ...r2.inputs!,
            name: "contract-vm-2",
            restoreToken: "prt-0123456789abcdef0124",
        });
        await p.delete(again.id, again.outs);
    });

    after(async () => {
        if (prevSink) setProgressSink(prevSink);
        await server?.stop();
    });

    const calls = (action: string) => svc.seen.filter((s) => s.action === action);
    const entry = (action: string): CatalogEntry => {
        const e = oracle.apis[action];
        assert.ok(e, `${action} is not in ${oracle.catalogFile}`);
        return e;
    };

    it("the compile-time lists of fields we read are complete", () => {
        assert.deepEqual(exhaustive, [true, true, true, true]);
    });

    it("every action the client uses was exercised, and each is the catalog's API of that name", () => {
        for (const action of Object.keys(REST)) assert.ok(calls(action).length > 0, `${action} was never called`);
        const seenActions = new Set(svc.seen.map((s) => s.action));
        for (const a of seenActions)
            assert.ok(a === "GetJob" || a in REST, `the client called ${a}, which this contract does not check`);
        assert.equal(
            entry("CreateVmFromVmBackup").apiName,
            "org.zstack.header.storage.volume.backup.APICreateVmFromVmBackupMsg",
        );
        assert.equal(
            entry("QueryVolumeBackup").apiName,
            "org.zstack.header.storage.volume.backup.APIQueryVolumeBackupMsg",
        );
        assert.equal(entry("QueryVmInstance").apiName, "org.zstack.header.vm.APIQueryVmInstanceMsg");
        assert.equal(entry("DestroyVmInstance").apiName, "org.zstack.header.vm.APIDestroyVmInstanceMsg");
        assert.equal(entry("ExpungeVmInstance").apiName, "org.zstack.header.vm.APIExpungeVmInstanceMsg");
        assert.equal(entry("RenewSession").apiName, "org.zstack.header.identity.APIRenewSessionMsg");
        // Backups are listed as volume backups grouped by groupUuid: the catalog has no QueryVmBackup.
        assert.equal(oracle.apis.QueryVmBackup, null);
        // LogInByAccount is not in the catalog: its contract comes from the vendor client's own request (below).
        assert.equal(oracle.apis.LogInByAccount, null);
    });

    it("method and path of every request are the documented REST route, path parameters being catalog parameters", () => {
        for (const [action, route] of Object.entries(REST)) {
            for (const { req } of calls(action)) {
                assert.equal(req.method, route.method, `${action}: method`);
                const m = route.path.exec(req.path);
                assert.ok(m, `${action}: path ${req.path} is not ${route.path}`);
                if (action === "LogInByAccount") continue;
                const names = new Set(entry(action).parameters.map((p) => p.name));
                for (const pp of route.pathParams)
                    assert.ok(names.has(pp), `${action}: path parameter ${pp} is not in the catalog`);
            }
        }
    });

    it("synchronous and asynchronous APIs are called as the catalog's callType says (202 + job for async)", () => {
        const problems: string[] = [];
        for (const action of Object.keys(REST)) {
            if (action === "LogInByAccount") continue; // not in the catalog; the vendor client reads a direct reply
            const want = entry(action).callType;
            for (const { res } of calls(action)) {
                const got = res.status === 202 ? "async" : res.status === 200 ? "sync" : `HTTP ${res.status}`;
                if (got !== want) problems.push(`${action}: the catalog says ${want}, the emulator answered ${got}`);
            }
        }
        // Our client has followed every asynchronous answer: a RenewSession answered 202 did not end in a new login.
        assert.deepEqual(problems, []);
        assert.equal(svc.logins, 1, "the session was renewed, not replaced by a second login");
        const renewJobs = calls("RenewSession").map((c) => c.req.headers["x-job-uuid"]);
        for (const j of renewJobs) assert.match(j ?? "", /^[0-9a-f]{32}$/, "RenewSession carries our X-Job-UUID");
    });

    it("body parameters: names in the catalog, the catalog's types, its enums, its required ones present", () => {
        const problems: string[] = [];
        for (const [action, route] of Object.entries(REST)) {
            if (!route.wrapper || action === "LogInByAccount") continue;
            const e = entry(action);
            const byName = new Map(e.parameters.map((p) => [p.name, p]));
            for (const { req } of calls(action)) {
                const body = JSON.parse(req.body) as Record<string, unknown>;
                const inner = body[route.wrapper] as Record<string, unknown> | undefined;
                assert.ok(inner && typeof inner === "object", `${action}: the body has no "${route.wrapper}"`);
                // systemTags / userTags belong to every API message (beside "params"), not to one API's parameters.
                for (const k of Object.keys(body))
                    if (![route.wrapper, "systemTags", "userTags"].includes(k))
                        problems.push(`${action}: body key ${k}`);
                for (const [k, v] of Object.entries(inner)) {
                    const p = byName.get(k);
                    if (!p) {
                        problems.push(`${action}: we send ${k}, not a catalog parameter`);
                        continue;
                    }
                    if (route.pathParams.includes(k)) problems.push(`${action}: ${k} belongs in the path`);
                    const t = typeProblem(action, k, p.type, v);
                    if (t) problems.push(t);
                    if (p.enum && !p.enum.includes(String(v)))
                        problems.push(`${action}.${k}: ${String(v)} not in [${p.enum}]`);
                    if (p.type === "array" && Array.isArray(v) && v.some((x) => typeof x !== "string"))
                        problems.push(`${action}.${k}: list items must be strings`);
                }
                for (const p of e.parameters)
                    if (p.required && !(p.name in inner) && !route.pathParams.includes(p.name))
                        problems.push(`${action}: required ${p.name} missing`);
            }
        }
        assert.deepEqual(problems, []);
    });

    it("the restore token's mark: a user tag (a list of strings beside params) after the user's own, queried as __userTag__", () => {
        // userTags belong to every API message (APIMessage), so the catalog lists them for no API; the vendor page
        // (seeds/002) puts `"userTags": [...]` beside `"params"` in CreateVmFromVmBackup's body.
        const create = entry("CreateVmFromVmBackup");
        assert.ok(!create.parameters.some((p) => p.name === "userTags" || p.name === "systemTags"));
        const tokens = ["prt-0123456789abcdef0123", "prt-0123456789abcdef0124"];
        const sent = calls("CreateVmFromVmBackup").map(
            (c) => (JSON.parse(c.req.body) as { userTags?: unknown }).userTags,
        );
        assert.equal(sent.length, 2);
        sent.forEach((tags, n) => {
            assert.ok(Array.isArray(tags) && tags.every((t) => typeof t === "string" && t !== ""), String(tags));
            assert.deepEqual(tags, ["contract-user-tag", restoreMark(tokens[n])]);
        });
        // Looked up with QueryVmInstance's `__userTag__` condition: a queryable field of VmInstanceInventory in the
        // catalog (user tags are not returned in the inventory itself).
        const vm = entry("QueryVmInstance");
        assert.ok(vm.primitiveFields!.includes("__userTag__"));
        const byMark = calls("QueryVmInstance").filter((c) => (c.req.query.q ?? "").startsWith("__userTag__="));
        assert.ok(byMark.length > 0, "the mark was looked up");
        for (const c of byMark) assert.match(c.req.query.q, /^__userTag__=pulumi-restore-token::prt-[0-9a-f]{20}$/);
        // A user tag is a string bound to one resource (UserTagInventory: tag, resourceUuid, resourceType).
        const userTag = entry("QueryUserTag");
        assert.equal(userTag.apiName, "org.zstack.header.tag.APIQueryUserTagMsg");
        for (const f of ["tag", "resourceUuid", "resourceType"]) assert.ok(userTag.primitiveFields!.includes(f), f);
    });

    it("the body wrapper of an action is its lower-camel API name, as in ZStack's REST convention", () => {
        for (const action of ["LogInByAccount", "RenewSession", "ExpungeVmInstance"])
            assert.equal(REST[action].wrapper, action[0].toLowerCase() + action.slice(1));
    });

    it("query parameters: catalog names (q is `conditions`), integer text where the catalog says integer", () => {
        const problems: string[] = [];
        for (const action of ["QueryVmInstance", "QueryVolumeBackup", "DestroyVmInstance"]) {
            const byName = new Map(entry(action).parameters.map((p) => [p.name, p]));
            for (const { req } of calls(action)) {
                for (const [k, v] of Object.entries(req.query)) {
                    const p = byName.get(k === "q" ? "conditions" : k);
                    if (!p) {
                        problems.push(`${action}: query ${k} is not a catalog parameter`);
                        continue;
                    }
                    const t = queryTypeProblem(action, k, p.type, v);
                    if (t) problems.push(t);
                }
            }
        }
        assert.deepEqual(problems, []);
        // DestroyVmInstance's deleteMode: the catalog gives no values; apis/zstack.md names Permissive and Enforcing.
        for (const { req } of calls("DestroyVmInstance"))
            assert.ok(["Permissive", "Enforcing"].includes(req.query.deleteMode));
        // Conditions use fields of the queried inventory (uuid?= is ZStack's "in").
        const conds = [...calls("QueryVmInstance"), ...calls("QueryVolumeBackup")]
            .map((c) => ({ action: c.action, q: c.req.query.q }))
            .filter((c) => c.q !== undefined);
        assert.ok(conds.length > 0);
        for (const c of conds) {
            const m = /^(\w+)(\?=|=)/.exec(c.q);
            assert.ok(m, `${c.action}: condition ${c.q}`);
            assert.ok(entry(c.action).primitiveFields!.includes(m[1]), `${c.action}: ${m[1]} is not a queryable field`);
        }
    });

    it("enums we send are the catalog's: VM type and creation strategy", () => {
        const params = new Map(entry("CreateVmFromVmBackup").parameters.map((p) => [p.name, p]));
        assert.deepEqual([...VM_TYPES].sort(), [...params.get("type")!.enum!].sort());
        assert.deepEqual(Object.keys(STRATEGY_STATE).sort(), [...params.get("strategy")!.enum!].sort());
        // The states each strategy waits for are VM states (apis/zstack.md; the catalog lists none).
        for (const s of Object.values(STRATEGY_STATE)) assert.ok(VM_STATES.includes(s), s);
    });

    it("every answer field we read is one the catalog lists for that inventory (nested ones: the vendor page)", () => {
        const vmFields = entry("QueryVmInstance").primitiveFields!;
        for (const f of VM_FIELDS) assert.ok(vmFields.includes(f) || f in SEED_NESTED, `VmInstanceInventory.${f}`);
        for (const f of NIC_FIELDS) assert.ok(SEED_NESTED.vmNics.includes(f), `vmNics.${f}`);
        for (const f of VOLUME_FIELDS) assert.ok(SEED_NESTED.allVolumes.includes(f), `allVolumes.${f}`);
        const backupFields = entry("QueryVolumeBackup").primitiveFields!;
        for (const f of BACKUP_FIELDS) assert.ok(backupFields.includes(f), `VolumeBackupInventory.${f}`);
    });

    it("the emulator's inventories use the catalog's field names only, with the vendor page's types", () => {
        const problems: string[] = [];
        const vmFields = new Set(entry("QueryVmInstance").primitiveFields);
        const backupFields = new Set(entry("QueryVolumeBackup").primitiveFields);
        const dateText = /^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} (AM|PM)$/;
        for (const { res } of calls("QueryVmInstance")) {
            for (const vm of (res.body as { inventories: Record<string, unknown>[] }).inventories) {
                for (const [k, v] of Object.entries(vm)) {
                    if (!vmFields.has(k) && !(k in SEED_NESTED)) problems.push(`VM field ${k} is not in the catalog`);
                    if (k in SEED_NESTED)
                        for (const item of v as Record<string, unknown>[])
                            for (const ik of Object.keys(item))
                                if (!SEED_NESTED[k].includes(ik) && !["createDate", "lastOpDate"].includes(ik))
                                    problems.push(`${k}.${ik} is not on the vendor page`);
                }
                // Integer cpuNum, Long memorySize, Timestamp dates (ZStack's "MMM d, yyyy h:mm:ss a").
                if (!Number.isInteger(vm.cpuNum)) problems.push(`cpuNum ${String(vm.cpuNum)}`);
                if (!Number.isInteger(vm.memorySize)) problems.push(`memorySize ${String(vm.memorySize)}`);
                if (!dateText.test(String(vm.createDate))) problems.push(`createDate ${String(vm.createDate)}`);
                if (!VM_STATES.includes(String(vm.state))) problems.push(`state ${String(vm.state)}`);
            }
        }
        for (const { res } of calls("QueryVolumeBackup"))
            for (const b of (res.body as { inventories: Record<string, unknown>[] }).inventories)
                for (const k of Object.keys(b)) if (!backupFields.has(k)) problems.push(`volume backup field ${k}`);
        assert.deepEqual(problems, []);
    });

    it("LogInByAccount: the same parameters as ZStack's own client sends, the password as its lower-case SHA-512 hex", () => {
        const vendor = oracle.login.body["org.zstack.header.identity.APILogInByAccountMsg"];
        assert.ok(vendor, `${oracle.clientFile} sent ${JSON.stringify(Object.keys(oracle.login.body))}`);
        const [login] = calls("LogInByAccount");
        const ours = (JSON.parse(login.req.body) as { logInByAccount: Record<string, unknown> }).logInByAccount;
        assert.deepEqual(Object.keys(ours).sort(), Object.keys(vendor).sort());
        assert.equal(ours.password, vendor.password);
        assert.equal(ours.password, createHash("sha512").update(PASSWORD, "utf8").digest("hex"));
        assert.equal(ours.accountName, vendor.accountName);
        // The reply's inventory.uuid is what both clients keep as the session.
        assert.equal(oracle.login.sessionUuid, "0".repeat(32));
        assert.match(String((login.res.body as { inventory: { uuid: string } }).inventory.uuid), /^[0-9a-f]{32}$/);
    });
});
