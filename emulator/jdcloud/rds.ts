import * as net from "net";
import { createHash, randomBytes, randomUUID } from "crypto";
import { Clock, systemClock } from "../core/clock";
import { CloudService, EmuRequest, EmuResponse } from "../core/types";
import { JDCLOUD_SKEW_MS, verifyJdcloud3 } from "./verify";

/** Timings of the RDS state machine, in the emulator clock's ms. */
export interface RdsTimings {
    /** From createInstanceFromBackup (BUILDING) to RUNNING. */
    buildMs: number;
    /** From deleteInstance (DELETING) to gone. */
    deleteMs: number;
}

interface Instance {
    instanceId: string;
    instanceName: string;
    regionId: string;
    engine: string;
    engineVersion: string;
    instanceClass: string;
    instanceStorageGB: number;
    instanceStorageType: string;
    azId: string[];
    vpcId: string;
    subnetId: string;
    instancePort: string;
    instanceType: string;
    chargeMode: string;
    createdAt: number;
    readyAt: number;
    fate: "RUNNING" | "ERROR";
    deletedAt?: number;
    backupId?: string;
    orderId: string;
    /** instanceSpec.tagSpec as given (the SDK's Tag: lower-case key/value), answered as `tags`. */
    tags: { key: string; value: string }[];
}

/** A backup as seeded. */
export interface RdsBackupSeed {
    backupId: string;
    backupName: string;
    instanceId: string;
    regionId: string;
    engine: string;
    backupStatus: string;
    backupMode: string;
    backupStartTime: string;
    backupEndTime: string;
}

/** Options of the RDS emulator. */
export interface RdsEmulatorOptions {
    clock?: Clock;
    timings?: Partial<RdsTimings>;
    /** Access key → secret key. */
    credentials?: Record<string, string>;
}

const ENGINES = ["MySQL", "Percona", "MariaDB", "SQL Server", "PostgreSQL"];
const VERSIONS: Record<string, string> = {
    MySQL: "8.0",
    Percona: "5.7",
    MariaDB: "10.2",
    "SQL Server": "2017",
    PostgreSQL: "12",
};
const PREFIX: Record<string, string> = {
    MySQL: "mysql",
    Percona: "percona",
    MariaDB: "mariadb",
    "SQL Server": "sqlserver",
    PostgreSQL: "pg",
};
const ONLY_FOR: Record<string, string[]> = {
    parameterGroup: ["MySQL"],
    instanceStorageType: ["MySQL"],
    storageEncrypted: ["MySQL"],
    // The SDK's RestoredNewDBInstanceSpec.instancePort names MySQL, Percona, MariaDB (3306) and PostgreSQL (5432).
    instancePort: ["MySQL", "Percona", "MariaDB", "PostgreSQL"],
    instanceType: ["SQL Server"],
};
/** RestoredNewDBInstanceSpec.instanceType values (the SDK's docstring; the English page lists only the first two). */
const INSTANCE_TYPES = ["standalone", "cluster", "multi-replica"];
/** instancePort range (the SDK's RestoredNewDBInstanceSpec docstring: 1150～5999). */
const PORT_MIN = 1150;
const PORT_MAX = 5999;
/**
 * describeInstances filter names with the operators each allows: the SDK's DescribeInstancesRequest.setFilters
 * docstring. `eq` is the default (common Filter.operator).
 */
const INSTANCE_FILTERS: Record<string, string[]> = {
    instanceId: ["eq"],
    instanceName: ["eq", "like"],
    engine: ["eq"],
    engineVersion: ["eq"],
    instanceStatus: ["eq"],
    vpcId: ["eq"],
    subnetId: ["eq"],
    instanceType: ["eq"],
    internalDomainName: ["eq"],
    publicDomainName: ["eq"],
    roInstanceProxyInternalDomainName: ["like"],
    readWriteProxyInternalDomainName: ["like"],
};
/** The clock-skew window: an ASSUMPTION (JD documents none), see {@link JDCLOUD_SKEW_MS}. */
const SKEW_MS = JDCLOUD_SKEW_MS;
const STATUS_BY_CODE: Record<number, string> = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
};

function route(req: EmuRequest): { action: string; regionId: string; instanceId?: string } | undefined {
    let m = /^\/v1\/regions\/([^/]+)\/instances(?::|%3A)createInstanceFromBackup$/i.exec(req.path);
    if (m && req.method === "POST") return { action: "createInstanceFromBackup", regionId: m[1] };
    m = /^\/v1\/regions\/([^/]+)\/instances\/([^/:]+)$/.exec(req.path);
    if (m && req.method === "GET")
        return { action: "describeInstanceAttributes", regionId: m[1], instanceId: decodeURIComponent(m[2]) };
    if (m && req.method === "DELETE")
        return { action: "deleteInstance", regionId: m[1], instanceId: decodeURIComponent(m[2]) };
    m = /^\/v1\/regions\/([^/]+)\/instances$/.exec(req.path);
    if (m && req.method === "GET") return { action: "describeInstances", regionId: m[1] };
    m = /^\/v1\/regions\/([^/]+)\/backups$/.exec(req.path);
    if (m && req.method === "GET") return { action: "describeBackups", regionId: m[1] };
    return undefined;
}

/**
 * JD Cloud RDS as the emulator serves it: JDCLOUD3-HMAC-SHA256 verification as documented, createInstanceFromBackup with
 * the vendor page's engine and spec rules, instances BUILDING → RUNNING after `buildMs`, delete (prepaid refused),
 * seedable backups, and JD's error envelope `{requestId, error{code, status, message}}`.
 */
export class JdcloudRdsService implements CloudService {
    readonly name = "jdcloud";
    readonly instances = new Map<string, Instance>();
    readonly backups = new Map<string, RdsBackupSeed>();
    readonly timings: RdsTimings;
    /**
     * When true, every instance created from now on gets a real TCP listener on 127.0.0.1 (an ephemeral port) for as
     * long as it exists, and reports that as its `internalDomainName` and `instancePort` (as a NAT would map the
     * requested port), so that a client's connection check means something. Default false: a domain name that does
     * not resolve and the requested port, as before.
     */
    serveTcp = false;
    private readonly listeners = new Map<string, { server: net.Server; port?: number }>();
    private readonly clock: Clock;
    private readonly credentials: Record<string, string>;
    private readonly nonces = new Map<string, number>();
    private failBuilds = 0;

    constructor(o: RdsEmulatorOptions = {}) {
        this.clock = o.clock ?? systemClock;
        this.timings = { buildMs: 3000, deleteMs: 1000, ...o.timings };
        this.credentials = o.credentials ?? { "emulator-access-key": "emulator-secret-key" };
    }

    /** The service clock: a "late" fault falls due by it. */
    now(): number {
        return this.clock.now();
    }

    actionOf(req: EmuRequest): string {
        return route(req)?.action ?? "Unknown";
    }

    throttled(_req: EmuRequest): EmuResponse {
        return this.error(429, "RESOURCE_EXHAUSTED", "Request rate exceeded the limit, please try again later", {
            "retry-after": "1",
        });
    }

    serverError(_req: EmuRequest, status: number, detail?: string): EmuResponse {
        const d = detail ? ` ${detail}` : "";
        return status === 503
            ? this.error(503, "UNAVAILABLE", `Service is temporarily unavailable${d}`)
            : this.error(status, STATUS_BY_CODE[status] ?? "INTERNAL", `Internal error, please try again later${d}`);
    }

    badRequest(_req: EmuRequest, detail: string): EmuResponse {
        return this.error(400, "INVALID_ARGUMENT", `Invalid argument: ${detail}`);
    }

    failNext(action: string): void {
        if (action === "createInstanceFromBackup") this.failBuilds++;
    }

    /** Seeds `backup` ({backupId, instanceId, engine, regionId, backupStatus, backupMode, ageMs}) or `instance` ({instanceName, engine, chargeMode, ...}). */
    seed(kind: string, data: Record<string, unknown>): unknown {
        const now = this.clock.now();
        if (kind === "backup") {
            const engine = String(data.engine ?? "MySQL");
            if (!ENGINES.includes(engine)) throw new Error(`engine must be one of ${ENGINES.join(", ")}`);
            const b: RdsBackupSeed = {
                backupId: String(data.backupId ?? randomUUID()),
                backupName: String(data.backupName ?? "auto-backup"),
                instanceId: String(data.instanceId ?? `${PREFIX[engine]}-source0001`),
                regionId: String(data.regionId ?? "cn-north-1"),
                engine,
                backupStatus: String(data.backupStatus ?? "COMPLETED"),
                backupMode: String(data.backupMode ?? "auto"),
                // `ageMs` before now is when it ended (it started 10 minutes earlier); default 50 minutes ago.
                backupStartTime: backupTime(now - Number(data.ageMs ?? 3_000_000) - 600_000),
                backupEndTime: backupTime(now - Number(data.ageMs ?? 3_000_000)),
            };
            this.backups.set(b.backupId, b);
            return b;
        }
        if (kind === "instance") {
            const engine = String(data.engine ?? "MySQL");
            const inst = this.newInstance(String(data.regionId ?? "cn-north-1"), engine, {
                instanceName: data.instanceName ?? "seeded",
                instanceClass: data.instanceClass ?? "db.mysql.s1.micro",
                instanceStorageGB: data.instanceStorageGB ?? 20,
                azId: data.azId ?? ["cn-north-1a", "cn-north-1a"],
                vpcId: data.vpcId ?? "vpc-seeded0001",
                subnetId: data.subnetId ?? "subnet-seeded0001",
                chargeSpec: { chargeMode: data.chargeMode ?? "postpaid_by_duration" },
                tagSpec: data.tags,
            });
            inst.readyAt = now;
            if (typeof data.createdAt === "number") inst.createdAt = data.createdAt;
            // Optionally the instance exactly as another emulator run held it: what a state fixture says exists.
            if (typeof data.instanceId === "string") {
                this.instances.delete(inst.instanceId);
                inst.instanceId = data.instanceId;
                this.instances.set(inst.instanceId, inst);
            }
            if (typeof data.orderId === "string") inst.orderId = data.orderId;
            if (typeof data.backupId === "string") inst.backupId = data.backupId;
            return this.view(inst);
        }
        throw new Error(`unknown seed kind ${kind}: use "backup" or "instance"`);
    }

    snapshot(): Record<string, unknown> {
        return {
            instances: [...this.instances.values()].map((i) => this.inspect(i)),
            backups: [...this.backups.values()],
        };
    }

    /** Instances that exist (not deleted), for tests. */
    live(): ReturnType<JdcloudRdsService["inspect"]>[] {
        return [...this.instances.values()].map((i) => this.inspect(i)).filter((v) => v.instanceStatus !== "DELETED");
    }

    /** An instance as the inspection endpoint shows it: the API's view plus the backup it was restored from. */
    private inspect(i: Instance) {
        return { ...this.view(i), backupId: i.backupId };
    }

    /** Deletes an instance behind the provider's back (out-of-band deletion). */
    deleteOutOfBand(id: string): void {
        const i = this.instances.get(id);
        if (i) i.deletedAt = this.clock.now() - this.timings.deleteMs;
    }

    async handle(req: EmuRequest): Promise<EmuResponse> {
        const r = route(req);
        if (!r) return this.error(404, "HTTP_NOT_FOUND", `no API ${req.method} ${req.path}`);
        const auth = this.authenticate(req, r.regionId);
        if (auth) return auth;
        switch (r.action) {
            case "createInstanceFromBackup":
                return this.create(req, r.regionId);
            case "describeInstanceAttributes":
                return this.describe(r.regionId, r.instanceId!);
            case "deleteInstance":
                return this.delete(r.regionId, r.instanceId!);
            case "describeInstances":
                return this.list(req, r.regionId);
            default:
                return this.describeBackups(req, r.regionId);
        }
    }

    // --- authentication -----------------------------------------------------------------------------------------

    private authenticate(req: EmuRequest, regionId: string): EmuResponse | undefined {
        const h = req.headers;
        const fail = (message: string) => this.error(401, "UNAUTHENTICATED", message);
        const secretOf = (ak: string) => this.credentials[ak];
        const v = verifyJdcloud3(req, { secretOf, service: "rds", region: regionId, now: this.clock.now() });
        if (!v.ok) return fail(v.message);
        const now = this.clock.now();
        for (const [n, t] of this.nonces) if (now - t > SKEW_MS) this.nonces.delete(n);
        if (this.nonces.has(h["x-jdcloud-nonce"])) return fail("the nonce was used already");
        this.nonces.set(h["x-jdcloud-nonce"], now);
        return undefined;
    }

    // --- actions -------------------------------------------------------------------------------------------------

    private create(req: EmuRequest, regionId: string): EmuResponse {
        let body: Record<string, unknown>;
        try {
            // The official SDK serialises every unset optional field as null (and repeats the path's regionId in
            // the body): null is read as absent. ASSUMPTION: the service does the same, as the SDK works against it.
            body = withoutNulls(JSON.parse(req.body || "{}")) as Record<string, unknown>;
        } catch {
            return this.bad("the request body is not JSON");
        }
        const backupId = body.backupId;
        if (typeof backupId !== "string" || !backupId) return this.bad("backupId is required");
        const engine = body.engine;
        if (typeof engine !== "string" || !engine) return this.bad("engine is required");
        if (!ENGINES.includes(engine)) return this.bad(`engine ${engine} is not supported`);
        const backup = this.backups.get(backupId);
        if (!backup || backup.regionId !== regionId)
            return this.error(404, "NOT_FOUND", `backup ${backupId} not found`);
        if (backup.backupStatus !== "COMPLETED")
            return this.error(400, "FAILED_PRECONDITION", `backup ${backupId} is ${backup.backupStatus}`);
        if (backup.engine !== engine)
            return this.bad(
                `engine ${engine} does not match the engine of the backup's source instance (${backup.engine})`,
            );
        const spec = body.instanceSpec as Record<string, unknown> | undefined;
        if (!spec || typeof spec !== "object") return this.bad("instanceSpec is required");
        for (const k of ["instanceClass", "vpcId", "subnetId"])
            if (typeof spec[k] !== "string" || !spec[k]) return this.bad(`instanceSpec.${k} is required`);
        if (!Number.isInteger(spec.instanceStorageGB) || (spec.instanceStorageGB as number) < 1)
            return this.bad("instanceSpec.instanceStorageGB must be a positive integer");
        const az = spec.azId;
        if (!Array.isArray(az) || az.length === 0 || az.some((z) => typeof z !== "string" || !z.startsWith(regionId)))
            return this.bad("instanceSpec.azId must list zones of the region");
        for (const [k, engines] of Object.entries(ONLY_FOR))
            if (spec[k] !== undefined && !engines.includes(engine))
                return this.bad(`instanceSpec.${k} is only supported by ${engines.join(", ")}`);
        if (spec.instanceType !== undefined && !INSTANCE_TYPES.includes(String(spec.instanceType)))
            return this.bad(`instanceSpec.instanceType must be one of ${INSTANCE_TYPES.join(", ")}`);
        if (
            spec.instancePort !== undefined &&
            (typeof spec.instancePort !== "string" ||
                !/^\d{4}$/.test(spec.instancePort) ||
                Number(spec.instancePort) < PORT_MIN ||
                Number(spec.instancePort) > PORT_MAX)
        )
            return this.bad(
                `instanceSpec.instancePort must be a port number from ${PORT_MIN} to ${PORT_MAX}, as a string`,
            );
        const tagSpec = spec.tagSpec;
        if (
            tagSpec !== undefined &&
            (!Array.isArray(tagSpec) ||
                tagSpec.some((t) => !t || typeof t !== "object" || typeof (t as { key?: unknown }).key !== "string"))
        )
            return this.bad("instanceSpec.tagSpec must be a list of {key, value}");
        const charge = spec.chargeSpec as Record<string, unknown> | undefined;
        if (!charge || typeof charge !== "object") return this.bad("instanceSpec.chargeSpec is required");
        const mode = charge.chargeMode ?? "postpaid_by_duration";
        if (mode !== "prepaid_by_duration" && mode !== "postpaid_by_usage" && mode !== "postpaid_by_duration")
            return this.bad(`chargeMode ${String(mode)} is not valid`);
        if (mode === "prepaid_by_duration") {
            const unit = charge.chargeUnit ?? "month";
            const d = charge.chargeDuration;
            if (unit !== "month" && unit !== "year") return this.bad("chargeUnit must be month or year");
            if (!Number.isInteger(d) || (d as number) < 1 || (d as number) > (unit === "year" ? 3 : 9))
                return this.bad("chargeDuration is out of range");
        } else if (charge.chargeUnit !== undefined || charge.chargeDuration !== undefined) {
            return this.bad("chargeUnit and chargeDuration apply only to prepaid_by_duration");
        }
        if (
            spec.instanceName !== undefined &&
            (typeof spec.instanceName !== "string" || spec.instanceName.length < 2 || spec.instanceName.length > 32)
        )
            return this.bad("instanceSpec.instanceName must be 2 to 32 characters");
        const inst = this.newInstance(regionId, engine, spec);
        inst.backupId = backupId;
        if (this.failBuilds > 0) {
            this.failBuilds--;
            inst.fate = "ERROR";
        }
        return this.ok({ instanceId: inst.instanceId, orderId: inst.orderId });
    }

    private describe(regionId: string, id: string): EmuResponse {
        const inst = this.instances.get(id);
        if (!inst || inst.regionId !== regionId || this.status(inst) === "DELETED")
            return this.error(404, "NOT_FOUND", `instance ${id} not found`);
        return this.ok({ dbInstanceAttributes: this.view(inst) });
    }

    private delete(regionId: string, id: string): EmuResponse {
        const inst = this.instances.get(id);
        if (!inst || inst.regionId !== regionId || this.status(inst) === "DELETED")
            return this.error(404, "NOT_FOUND", `instance ${id} not found`);
        if (inst.chargeMode === "prepaid_by_duration")
            return this.error(
                400,
                "FAILED_PRECONDITION",
                `instance ${id} is prepaid and cannot be deleted before it expires; unsubscribe it in the console`,
            );
        if (inst.deletedAt === undefined) inst.deletedAt = this.clock.now();
        return this.ok({});
    }

    private list(req: EmuRequest, regionId: string): EmuResponse {
        const q = req.query;
        let list = [...this.instances.values()]
            .filter((i) => i.regionId === regionId)
            .map((i) => this.view(i))
            .filter((v) => v.instanceStatus !== "DELETED");
        // filters.N.name / filters.N.operator / filters.N.values.M (the SDK's common Filter; operator eq by default).
        for (let n = 1; q[`filters.${n}.name`]; n++) {
            const field = q[`filters.${n}.name`];
            const op = q[`filters.${n}.operator`] ?? "eq";
            const values = listValues(q, `filters.${n}.values`);
            const ops = INSTANCE_FILTERS[field];
            if (!ops) return this.bad(`filter ${field} is not supported`);
            if (!ops.includes(op)) return this.bad(`filter ${field} does not support operator ${op}`);
            list = list.filter((i) =>
                values.some((v) => {
                    const have = String((i as Record<string, unknown>)[field] ?? "");
                    return op === "like" ? have.includes(v) : have === v;
                }),
            );
        }
        // tagFilters.N.key / tagFilters.N.values.M (the SDK's common TagFilter): an instance matches when it has the
        // key with one of the values. ASSUMPTION: filters are ANDed, values ORed, as for `filters`; an empty value
        // list matches any value of the key.
        for (let n = 1; q[`tagFilters.${n}.key`] !== undefined; n++) {
            const key = q[`tagFilters.${n}.key`];
            const values = listValues(q, `tagFilters.${n}.values`);
            list = list.filter((i) =>
                i.tags.some((t) => t.key === key && (values.length === 0 || values.includes(t.value))),
            );
        }
        const size = Number(q.pageSize ?? 10);
        if (!Number.isInteger(size) || size < 10 || size > 100 || size % 10 !== 0)
            return this.bad("pageSize must be from 10 to 100, a multiple of 10");
        const page = Math.max(1, Number(q.pageNumber ?? 1) || 1);
        return this.ok({ dbInstances: list.slice((page - 1) * size, page * size), totalCount: list.length });
    }

    private describeBackups(req: EmuRequest, regionId: string): EmuResponse {
        const q = req.query;
        if (!q.instanceId) return this.bad("instanceId is required");
        const size = Number(q.pageSize ?? 10);
        if (!Number.isInteger(size) || size < 10 || size > 100) return this.bad("pageSize must be from 10 to 100");
        const page = Math.max(1, Number(q.pageNumber ?? 1) || 1);
        const list = [...this.backups.values()].filter((b) => b.regionId === regionId && b.instanceId === q.instanceId);
        return this.ok({
            backup: list.slice((page - 1) * size, page * size).map(({ regionId: _r, ...b }) => b),
            totalCount: list.length,
        });
    }

    // --- state ---------------------------------------------------------------------------------------------------

    private newInstance(regionId: string, engine: string, spec: Record<string, unknown>): Instance {
        const now = this.clock.now();
        const charge = (spec.chargeSpec as Record<string, unknown> | undefined) ?? {};
        const inst: Instance = {
            instanceId: `${PREFIX[engine] ?? "db"}-${randomBytes(5).toString("hex")}`,
            instanceName: String(spec.instanceName ?? `${PREFIX[engine]}-restored`),
            regionId,
            engine,
            engineVersion: VERSIONS[engine] ?? "1",
            instanceClass: String(spec.instanceClass),
            instanceStorageGB: Number(spec.instanceStorageGB),
            instanceStorageType: String(spec.instanceStorageType ?? "LOCAL_SSD"),
            azId: (spec.azId as string[]).map(String),
            vpcId: String(spec.vpcId),
            subnetId: String(spec.subnetId),
            instancePort: String(
                spec.instancePort ?? (engine === "SQL Server" ? "1433" : engine === "PostgreSQL" ? "5432" : "3306"),
            ),
            instanceType: String(spec.instanceType ?? "cluster"),
            chargeMode: String(charge.chargeMode ?? "postpaid_by_duration"),
            tags: Array.isArray(spec.tagSpec)
                ? (spec.tagSpec as { key: string; value?: unknown }[]).map((t) => ({
                      key: t.key,
                      value: t.value === undefined ? "" : String(t.value),
                  }))
                : [],
            createdAt: now,
            readyAt: now + this.timings.buildMs,
            fate: "RUNNING",
            orderId: randomBytes(8).toString("hex"),
        };
        this.instances.set(inst.instanceId, inst);
        if (this.serveTcp) this.listen(inst.instanceId);
        return inst;
    }

    private listen(id: string): void {
        const server = net.createServer((sock) => sock.end());
        const entry: { server: net.Server; port?: number } = { server };
        server.on("error", () => undefined);
        server.listen(0, "127.0.0.1", () => (entry.port = (server.address() as net.AddressInfo).port));
        this.listeners.set(id, entry);
    }

    /**
     * The instance's database stops accepting connections (its listener closes) while the API still reports it
     * RUNNING with its address: what a client's connection check must notice.
     */
    stopServing(id: string): void {
        const l = this.listeners.get(id);
        if (!l) return;
        // Still binding: close once bound, so that the reported port is one nobody listens on.
        if (l.port === undefined) l.server.once("listening", () => l.server.close());
        else l.server.close();
    }

    /** Closes every instance listener (the emulator stops). */
    close(): void {
        for (const l of this.listeners.values()) l.server.close();
        this.listeners.clear();
    }

    private status(i: Instance): string {
        const now = this.clock.now();
        if (i.deletedAt !== undefined) return now >= i.deletedAt + this.timings.deleteMs ? "DELETED" : "DELETING";
        if (now < i.readyAt) return "BUILDING";
        return i.fate;
    }

    private view(i: Instance) {
        const status = this.status(i);
        const l = this.listeners.get(i.instanceId);
        if (l && status === "DELETED") {
            l.server.close();
            this.listeners.delete(i.instanceId);
        }
        const served = l && l.port !== undefined && status !== "DELETED";
        // Only fields of the SDK's DBInstanceAttribute / DBInstance models (its client loads them into those classes).
        return {
            instanceId: i.instanceId,
            instanceName: i.instanceName,
            instanceType: i.instanceType,
            engine: i.engine,
            engineVersion: i.engineVersion,
            instanceClass: i.instanceClass,
            instanceStorageGB: i.instanceStorageGB,
            instanceStorageType: i.instanceStorageType,
            azId: i.azId,
            vpcId: i.vpcId,
            regionId: i.regionId,
            subnetId: i.subnetId,
            internalDomainName: served ? "127.0.0.1" : `${i.instanceId}.rds.${i.regionId}.jdcloud.local`,
            instancePort: served ? String(l.port) : i.instancePort,
            instanceStatus: status,
            createTime: iso(i.createdAt),
            charge: { chargeMode: i.chargeMode, chargeStatus: "normal", chargeStartTime: iso(i.createdAt) },
            tags: i.tags.map((t) => ({ ...t })),
        };
    }

    private ok(result: unknown): EmuResponse {
        const requestId = this.requestId();
        return { status: 200, headers: { "x-jdcloud-request-id": requestId }, body: { requestId, result } };
    }

    private bad(message: string): EmuResponse {
        return this.error(400, "INVALID_ARGUMENT", message);
    }

    private error(code: number, status: string, message: string, headers: Record<string, string> = {}): EmuResponse {
        const requestId = this.requestId();
        return {
            status: code,
            headers: { "x-jdcloud-request-id": requestId, ...headers },
            body: { requestId, error: { code, status, message } },
        };
    }

    private requestId(): string {
        return createHash("sha1").update(randomBytes(16)).digest("hex").slice(0, 32);
    }
}

/** JSON with every null member dropped (the SDK's way of leaving an optional field out). */
/** The values of an X.N list parameter (`prefix.1`, `prefix.2`, ...). */
function listValues(q: Record<string, string>, prefix: string): string[] {
    const out: string[] = [];
    for (let v = 1; q[`${prefix}.${v}`] !== undefined; v++) out.push(q[`${prefix}.${v}`]);
    return out;
}

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

/**
 * A backup time as the SDK's Backup model states it: `YYYY-MM-DD HH:mm:ss`, no zone. ASSUMPTION: China Standard Time
 * (UTC+8), as the service's console shows times; the SDK does not say.
 */
function backupTime(ms: number): string {
    return new Date(ms + 8 * 3_600_000)
        .toISOString()
        .replace("T", " ")
        .replace(/\.\d{3}Z$/, "");
}

function iso(ms: number): string {
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
