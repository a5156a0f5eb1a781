import * as net from "net";
import { createHash, randomBytes } from "crypto";
import { Clock, systemClock } from "../core/clock";
import { CloudService, EmuRequest, EmuResponse } from "../core/types";
import { RPC_PATH, RPC_RESULT_PATH, ZStackRpc } from "./rpc";
import { verifyZStackAccessKey, zstackPasswordHash } from "./verify";

/** Timings of the ZStack emulator, in the emulator clock's ms. */
export interface ZStackTimings {
    /** CreateVmFromVmBackup job duration. */
    createMs: number;
    /** From the end of the create job (state Starting) to Running, for InstantStart. */
    startMs: number;
    /** DestroyVmInstance job duration. */
    destroyMs: number;
    /** ExpungeVmInstance job duration. */
    expungeMs: number;
    /** Session lifetime (ZStack's default: 7200 s). */
    sessionMs: number;
    /** How long job results are kept (ZStack: 10800 s). */
    jobTtlMs: number;
}

/** Options of the ZStack emulator. */
export interface ZStackEmulatorOptions {
    clock?: Clock;
    timings?: Partial<ZStackTimings>;
    /** Account name → plain password. */
    accounts?: Record<string, string>;
    /** AccessKey id → secret. */
    accessKeys?: Record<string, string>;
    /** The base the server believes it has, used in `location` (clients must rewrite it). */
    advertisedBase?: string;
}

interface Session {
    uuid: string;
    account: string;
    expiresAt: number;
}

interface Job {
    uuid: string;
    action: string;
    doneAt: number;
    /** The final answer, computed when first asked after `doneAt` (and then kept). */
    outcome: () => EmuResponse;
    answer?: EmuResponse;
}

interface Vm {
    uuid: string;
    name: string;
    description?: string;
    zoneUuid: string;
    clusterUuid: string;
    hostUuid: string;
    instanceOfferingUuid?: string;
    defaultL3NetworkUuid?: string;
    type: string;
    cpuNum: number;
    memorySize: number;
    strategy: string;
    createdAt: number;
    jobDoneAt: number;
    /** The create job fails: the VM is rolled back (removed) when the job ends. */
    failing: boolean;
    nics: { uuid: string; l3NetworkUuid: string; ip: string; mac: string; deviceId: number }[];
    volumes: { uuid: string; type: string; size: number; primaryStorageUuid: string }[];
    destroyAt?: number;
    destroyDoneAt?: number;
    expungeAt?: number;
    expungeDoneAt?: number;
    /** Set when the VM was stopped or started out of band. */
    forcedState?: string;
    /** The `userTags` and `systemTags` of the create message: ZStack keeps them with the VM (until it is expunged). */
    userTags: string[];
    systemTags: string[];
}

interface BackupGroup {
    uuid: string;
    name: string;
    zoneUuid: string;
    cpuNum: number;
    memorySize: number;
    l3NetworkUuids: string[];
    volumes: { type: string; size: number }[];
    /** The VM the group was taken of (QueryVolumeBackup's vmInstanceUuid). */
    vmInstanceUuid: string;
    /** When its volume backups were created (service clock). */
    createdAt: number;
    /** Status of its volume backups: Ready when complete (others: Creating, Downloading, ...). */
    status: string;
    /** Full or Incremental. */
    mode: string;
}

/** The VM that seeded backup groups belong to unless told otherwise. */
export const DEFAULT_SOURCE_VM = "5ca1ab1e000000000000000000000001";

const GIB = 1024 ** 3;
const UUID = /^[0-9a-f]{32}$/;

function uuid(): string {
    return randomBytes(16).toString("hex");
}

/** ZStack's date text, e.g. "Nov 14, 2017 10:20:57 PM" (server local time). */
export function zstackDateText(ms: number): string {
    const d = new Date(ms);
    const mon = d.toLocaleString("en-US", { month: "short" });
    const h = d.getHours() % 12 === 0 ? 12 : d.getHours() % 12;
    const p = (n: number) => String(n).padStart(2, "0");
    return `${mon} ${d.getDate()}, ${d.getFullYear()} ${h}:${p(d.getMinutes())}:${p(d.getSeconds())} ${d.getHours() < 12 ? "AM" : "PM"}`;
}

function errorCode(code: string, description: string, details?: string): { error: Record<string, unknown> } {
    return {
        error: {
            code,
            description,
            details: details ?? description,
            elaboration: null,
            location: null,
            cost: null,
            cause: null,
            opaque: null,
        },
    };
}

/**
 * ZStack Cloud as the emulator serves it: account login with SHA-512 passwords and expiring sessions, AccessKey
 * signatures (±15 min), the asynchronous job protocol (202 + location, 202 while running, 200 result, 503 error,
 * 404 unknown or expired), CreateVmFromVmBackup with `resourceUuid`, query, destroy and expunge, and VMs whose state
 * follows the creation strategy. State is computed from the injectable clock, so a virtual clock drives it.
 */
export class ZStackService implements CloudService {
    readonly name = "zstack";
    readonly timings: ZStackTimings;
    readonly vms = new Map<string, Vm>();
    /** The backup group of each VM created, in order (for tests: which group a restore used). */
    readonly restoredFrom: string[] = [];
    readonly jobs = new Map<string, Job>();
    readonly sessions = new Map<string, Session>();
    readonly backupGroups = new Map<string, BackupGroup>();
    readonly offerings = new Map<string, { uuid: string; cpuNum: number; memorySize: number }>();
    readonly l3Networks = new Map<string, { uuid: string; prefix: string; next: number }>();
    /** Count of successful logins, for tests. */
    logins = 0;
    /** VMs ever created (expunged ones included), for tests that count duplicates. */
    createdVms = 0;
    /**
     * When set, every VM created from now on listens on this TCP port at each of its NIC addresses until it is
     * destroyed, so that a connection check against the address the API reports means something. Seed an L3 network
     * with a loopback prefix (`{ prefix: "127.0.0." }`) so that its addresses exist on this machine. Default: none.
     */
    serveTcpPort?: number;
    private readonly listeners = new Map<string, net.Server[]>();
    private readonly clock: Clock;
    private readonly accounts: Record<string, string>;
    private readonly accessKeys: Record<string, string>;
    private readonly advertisedBase: string;
    private readonly failing = new Map<string, number>();
    private readonly rpc = new ZStackRpc({ rest: (r) => this.handle(r), job: (id) => this.getJob(id) });
    readonly defaultHost = uuid();
    readonly defaultCluster = uuid();
    readonly defaultZone = uuid();
    readonly defaultPrimaryStorage = uuid();

    constructor(o: ZStackEmulatorOptions = {}) {
        this.clock = o.clock ?? systemClock;
        this.timings = {
            createMs: 2000,
            startMs: 500,
            destroyMs: 500,
            expungeMs: 500,
            sessionMs: 7_200_000,
            jobTtlMs: 10_800_000,
            ...o.timings,
        };
        const accounts = o.accounts ?? { admin: "emulator-password" };
        // The server keeps only the hash, as ZStack does.
        this.accounts = Object.fromEntries(Object.entries(accounts).map(([k, v]) => [k, zstackPasswordHash(v)]));
        this.accessKeys = o.accessKeys ?? { "emulator-access-key-id": "emulator-access-key-secret" };
        this.advertisedBase = o.advertisedBase ?? "http://10.0.0.5:8080/zstack";
    }

    // --- CloudService ------------------------------------------------------------------------------------------

    /** The service clock: a "late" fault falls due by it. */
    now(): number {
        return this.clock.now();
    }

    actionOf(req: EmuRequest): string {
        const rpc = this.rpc.actionOf(req);
        if (rpc !== undefined) return rpc;
        const p = req.path.replace(/^\/zstack/, "");
        const m = req.method;
        if (m === "PUT" && p === "/v1/accounts/login") return "LogInByAccount";
        if (m === "PUT" && /^\/v1\/accounts\/sessions\/[^/]+\/renew$/.test(p)) return "RenewSession";
        if (m === "DELETE" && /^\/v1\/accounts\/sessions\/[^/]+$/.test(p)) return "LogOut";
        if (m === "POST" && /^\/v1\/vm-instances\/from\/vm-backups\/[^/]+$/.test(p)) return "CreateVmFromVmBackup";
        if (m === "GET" && /^\/v1\/vm-instances(\/[^/]+)?$/.test(p)) return "QueryVmInstance";
        if (m === "DELETE" && /^\/v1\/vm-instances\/[^/]+$/.test(p)) return "DestroyVmInstance";
        if (m === "PUT" && /^\/v1\/vm-instances\/[^/]+\/actions$/.test(p))
            return /expungeVmInstance/.test(req.body) ? "ExpungeVmInstance" : "VmInstanceAction";
        if (m === "GET" && /^\/v1\/api-jobs\/[^/]+$/.test(p)) return "GetJob";
        if (m === "GET" && /^\/v1\/volume-backups(\/[^/]+)?$/.test(p)) return "QueryVolumeBackup";
        return "Unknown";
    }

    throttled(_req: EmuRequest): EmuResponse {
        // ZStack publishes no throttling answer; this emulator uses 429 with an ErrorCode (an assumption).
        return {
            status: 429,
            body: errorCode("SYS.1012", "Too many requests", "the API rate limit of this management node is exceeded"),
        };
    }

    serverError(_req: EmuRequest, status: number, detail?: string): EmuResponse {
        return {
            status,
            body: errorCode("SYS.1000", "An internal error happened in system", detail ?? "emulated internal error"),
        };
    }

    badRequest(_req: EmuRequest, detail: string): EmuResponse {
        return { status: 400, body: errorCode("SYS.1007", "One or more API argument is invalid", detail) };
    }

    failNext(action: string): void {
        this.failing.set(action, (this.failing.get(action) ?? 0) + 1);
    }

    seed(kind: string, data: Record<string, unknown>): unknown {
        switch (kind) {
            case "l3Network": {
                const n = {
                    uuid: String(data.uuid ?? uuid()),
                    prefix: String(data.prefix ?? `192.168.${this.l3Networks.size + 1}.`),
                    next: 10,
                };
                this.l3Networks.set(n.uuid, n);
                return { uuid: n.uuid };
            }
            case "instanceOffering": {
                const o = {
                    uuid: String(data.uuid ?? uuid()),
                    cpuNum: Number(data.cpuNum ?? 2),
                    memorySize: Number(data.memorySize ?? 4 * GIB),
                };
                this.offerings.set(o.uuid, o);
                return o;
            }
            case "backupGroup": {
                const l3 = (data.l3NetworkUuids as string[] | undefined) ?? [
                    (this.seed("l3Network", {}) as { uuid: string }).uuid,
                ];
                const g: BackupGroup = {
                    uuid: String(data.uuid ?? uuid()),
                    name: String(data.name ?? "backup-group"),
                    zoneUuid: String(data.zoneUuid ?? this.defaultZone),
                    cpuNum: Number(data.cpuNum ?? 2),
                    memorySize: Number(data.memorySize ?? 4 * GIB),
                    l3NetworkUuids: l3,
                    volumes: (data.volumes as BackupGroup["volumes"] | undefined) ?? [
                        { type: "Root", size: 40 * GIB },
                        { type: "Data", size: 100 * GIB },
                    ],
                    vmInstanceUuid: String(data.vmInstanceUuid ?? DEFAULT_SOURCE_VM),
                    // `ageMs` before now; default an hour ago.
                    createdAt: this.clock.now() - Number(data.ageMs ?? 3_600_000),
                    status: String(data.status ?? "Ready"),
                    mode: String(data.mode ?? "Full"),
                };
                this.backupGroups.set(g.uuid, g);
                return g;
            }
            case "demo": {
                const net = this.seed("l3Network", { uuid: data.l3NetworkUuid }) as { uuid: string };
                const off = this.seed("instanceOffering", { uuid: data.instanceOfferingUuid }) as { uuid: string };
                const g = this.seed("backupGroup", {
                    uuid: data.backupGroupUuid,
                    l3NetworkUuids: [net.uuid],
                }) as BackupGroup;
                return { backupGroupUuid: g.uuid, instanceOfferingUuid: off.uuid, l3NetworkUuid: net.uuid };
            }
            case "vm": {
                // A VM someone else made (another stack, a person, another tool), Running already: `name`, and
                // optionally `uuid`, `userTags`, `systemTags`, `l3NetworkUuid`.
                const l3 = String(data.l3NetworkUuid ?? (this.seed("l3Network", {}) as { uuid: string }).uuid);
                const net = this.l3Networks.get(l3);
                if (!net) throw new Error(`unknown l3Network ${l3}`);
                const now = this.clock.now();
                const vm: Vm = {
                    uuid: String(data.uuid ?? uuid()),
                    name: String(data.name ?? "vm"),
                    zoneUuid: this.defaultZone,
                    clusterUuid: this.defaultCluster,
                    hostUuid: this.defaultHost,
                    defaultL3NetworkUuid: l3,
                    type: "UserVm",
                    cpuNum: 2,
                    memorySize: 4 * GIB,
                    strategy: "InstantStart",
                    createdAt: now - this.timings.createMs - this.timings.startMs,
                    jobDoneAt: now - this.timings.startMs,
                    failing: false,
                    nics: [
                        {
                            uuid: uuid(),
                            l3NetworkUuid: l3,
                            ip: `${net.prefix}${net.next++}`,
                            mac: "fa:16:3e:00:00:01",
                            deviceId: 0,
                        },
                    ],
                    volumes: [
                        { uuid: uuid(), type: "Root", size: 40 * GIB, primaryStorageUuid: this.defaultPrimaryStorage },
                    ],
                    userTags: ((data.userTags as string[] | undefined) ?? []).map(String),
                    systemTags: ((data.systemTags as string[] | undefined) ?? []).map(String),
                };
                this.vms.set(vm.uuid, vm);
                this.createdVms++;
                return { uuid: vm.uuid };
            }
            default:
                throw new Error(
                    `unknown seed kind ${kind}: use "demo", "backupGroup", "instanceOffering", "l3Network" or "vm"`,
                );
        }
    }

    snapshot(): Record<string, unknown> {
        return {
            vms: [...this.vms.values()].map((v) => this.view(v)).filter((v) => v !== undefined),
            jobs: this.jobs.size,
            sessions: this.sessions.size,
            backupGroups: [...this.backupGroups.values()],
        };
    }

    // --- test helpers ------------------------------------------------------------------------------------------

    /** VMs that exist (any state but gone), as inventories. */
    allVms(): Record<string, unknown>[] {
        return [...this.vms.values()]
            .map((v) => this.view(v))
            .filter((v): v is Record<string, unknown> => v !== undefined);
    }

    /** VMs not destroyed. */
    liveVms(): Record<string, unknown>[] {
        return this.allVms().filter((v) => v.state !== "Destroyed" && v.state !== "Expunging");
    }

    /** Destroys a VM behind the provider's back (it stays Destroyed, as with ZStack's default deletion policy). */
    destroyOutOfBand(vmUuid: string): void {
        const v = this.vms.get(vmUuid);
        if (v) v.destroyAt = v.destroyDoneAt = this.clock.now();
    }

    /** Ends every session now (as a management node restart or a long pause would). */
    expireSessions(): void {
        for (const s of this.sessions.values()) s.expiresAt = this.clock.now() - 1;
    }

    /** Deletes an account, as an administrator would: its sessions end at once and it can no longer log in. */
    revokeAccount(accountName: string): void {
        delete this.accounts[accountName];
        for (const [id, s] of this.sessions) if (s.account === accountName) this.sessions.delete(id);
    }

    /** Deletes an AccessKey: requests signed with it are refused from now on. */
    revokeAccessKey(accessKeyId: string): void {
        delete this.accessKeys[accessKeyId];
    }

    // --- requests ----------------------------------------------------------------------------------------------

    handle(req: EmuRequest): EmuResponse {
        // ZStack's RPC endpoint (what ZStack's own client, zstack_client.py, calls), over the same handlers.
        if (RPC_PATH.test(req.path) || RPC_RESULT_PATH.test(req.path)) return this.rpc.handle(req);
        const action = this.actionOf(req);
        const p = req.path.replace(/^\/zstack/, "");
        if (action === "Unknown")
            return { status: 404, headers: { "content-type": "text/plain" }, body: "no api mapping" };
        if (action === "GetJob") return this.getJob(p.split("/").pop() as string);
        if (action === "LogInByAccount") return this.login(req);
        if (!req.headers.authorization)
            return { status: 400, headers: { "content-type": "text/plain" }, body: "missing header 'Authorization'" };
        const authError = this.authenticate(req);
        // Asynchronous as ZStack's API catalog (zstack-mcp-server api_docs.json, callType) says: RenewSession answers
        // APIRenewSessionEvent, an event, so it is a job (202 + location) like the VM actions.
        const async = [
            "CreateVmFromVmBackup",
            "DestroyVmInstance",
            "ExpungeVmInstance",
            "VmInstanceAction",
            "RenewSession",
        ].includes(action);
        if (authError) {
            // An invalid session on an asynchronous call is accepted (202) and the job fails with ID.1001.
            if (async) return this.accept(req, action, 0, () => ({ status: 503, body: authError }));
            return { status: 503, body: authError };
        }
        const seg = p.split("/");
        switch (action) {
            case "RenewSession": {
                // Renewed on submission; the job answers the new expiry.
                const renewed = this.renew(seg[4]);
                return this.accept(req, "RenewSession", 0, () => renewed);
            }
            case "LogOut":
                this.sessions.delete(seg[4]);
                return { status: 200, body: {} };
            case "QueryVmInstance":
                return this.query(seg[3], req.query);
            case "QueryVolumeBackup":
                return this.queryVolumeBackups(seg[3], req.query);
            case "CreateVmFromVmBackup":
                return this.create(req, seg[5]);
            case "DestroyVmInstance":
                return this.destroy(req, seg[3]);
            case "ExpungeVmInstance":
                return this.expunge(req, seg[3]);
            default:
                return {
                    status: 503,
                    body: errorCode(
                        "SYS.1007",
                        "One or more API argument is invalid",
                        "only expungeVmInstance is emulated on /actions",
                    ),
                };
        }
    }

    private login(req: EmuRequest): EmuResponse {
        let b: { logInByAccount?: { accountName?: string; password?: string } };
        try {
            b = JSON.parse(req.body);
        } catch {
            return { status: 400, headers: { "content-type": "text/plain" }, body: "invalid JSON body" };
        }
        const a = b.logInByAccount;
        if (!a?.accountName || !a.password || this.accounts[a.accountName] !== a.password) {
            return {
                status: 503,
                body: errorCode("ID.1000", "Wrong account name or password", "wrong account name or password"),
            };
        }
        const s: Session = {
            uuid: uuid(),
            account: a.accountName,
            expiresAt: this.clock.now() + this.timings.sessionMs,
        };
        this.sessions.set(s.uuid, s);
        this.logins++;
        return {
            status: 200,
            body: {
                inventory: {
                    uuid: s.uuid,
                    accountUuid: uuid(),
                    userUuid: uuid(),
                    expiredDate: zstackDateText(s.expiresAt),
                    createDate: zstackDateText(this.clock.now()),
                },
            },
        };
    }

    private renew(sessionUuid: string): EmuResponse {
        const s = this.sessions.get(sessionUuid);
        if (!s || s.expiresAt <= this.clock.now())
            return {
                status: 503,
                body: errorCode("ID.1001", "Invalid session", "the session has expired or does not exist"),
            };
        s.expiresAt = this.clock.now() + this.timings.sessionMs;
        return { status: 200, body: { inventory: { uuid: s.uuid, expiredDate: zstackDateText(s.expiresAt) } } };
    }

    /** Returns an ErrorCode body when the request is not authenticated, else undefined. */
    private authenticate(req: EmuRequest): object | undefined {
        const h = req.headers.authorization ?? "";
        if (h.startsWith("OAuth ")) {
            const s = this.sessions.get(h.slice(6).trim());
            if (!s || s.expiresAt <= this.clock.now())
                return errorCode(
                    "ID.1001",
                    "Invalid session",
                    "the session has expired or does not exist; log in again",
                );
            return undefined;
        }
        // AccessKey: the code of a failure is an ASSUMPTION (ID.1001), see ZSTACK_ACCESS_KEY_ERROR in ./verify.
        const v = verifyZStackAccessKey(req, { secretOf: (id) => this.accessKeys[id], now: this.clock.now() });
        return v.ok ? undefined : errorCode(v.code, "Invalid session", v.message);
    }

    /** Registers an asynchronous job and answers 202 with its location. */
    private accept(req: EmuRequest, action: string, durationMs: number, outcome: () => EmuResponse): EmuResponse {
        const wanted = req.headers["x-job-uuid"];
        const id = wanted && UUID.test(wanted) ? wanted : uuid();
        if (!this.jobs.has(id)) {
            let fail = false;
            const left = this.failing.get(action) ?? 0;
            if (left > 0) {
                this.failing.set(action, left - 1);
                fail = true;
            }
            this.jobs.set(id, {
                uuid: id,
                action,
                doneAt: this.clock.now() + durationMs,
                outcome: fail
                    ? () => ({
                          status: 503,
                          body: errorCode(
                              "SYS.1000",
                              "An internal error happened in system",
                              `${action} failed (emulated task failure)`,
                          ),
                      })
                    : outcome,
            });
            if (fail && action === "CreateVmFromVmBackup") this.markFailing(req);
        }
        return { status: 202, body: { location: `${this.advertisedBase}/v1/api-jobs/${id}`, apiTimeout: 1_800_000 } };
    }

    private markFailing(req: EmuRequest): void {
        try {
            const ru = (JSON.parse(req.body) as { params?: { resourceUuid?: string } }).params?.resourceUuid;
            const v = ru ? this.vms.get(ru) : undefined;
            if (v) v.failing = true;
        } catch {
            /* nothing was created */
        }
    }

    private getJob(id: string): EmuResponse {
        const j = this.jobs.get(id);
        const now = this.clock.now();
        if (!j || now > j.doneAt + this.timings.jobTtlMs)
            return { status: 404, headers: { "content-type": "text/plain" }, body: `no job[uuid:${id}] found` };
        if (now < j.doneAt) return { status: 202, body: "" };
        j.answer ??= j.outcome();
        return j.answer;
    }

    private query(vmUuid: string | undefined, q: Record<string, string>): EmuResponse {
        let list = this.allVms();
        if (vmUuid) list = list.filter((v) => v.uuid === vmUuid);
        const cond = q.q;
        if (cond) {
            // ZStack query conditions: `field=value`, and `field?=a,b,c` ("in": any of the comma-separated values).
            // `__userTag__` / `__systemTag__` are the VM's tags (queryable fields of every inventory in ZStack's API
            // catalog, not returned in it): a VM matches when one of its tags is the value (one of the values).
            const m = /^(\w+)(\?=|=)(.*)$/.exec(cond);
            const wanted = m ? new Set(m[2] === "?=" ? m[3].split(",") : [m[3]]) : undefined;
            if (m && wanted && (m[1] === "__userTag__" || m[1] === "__systemTag__")) {
                const tags = (v: Record<string, unknown>) => {
                    const vm = this.vms.get(String(v.uuid));
                    return (m[1] === "__userTag__" ? vm?.userTags : vm?.systemTags) ?? [];
                };
                list = list.filter((v) => tags(v).some((t) => wanted.has(t)));
            } else if (m && wanted) list = list.filter((v) => wanted.has(String(v[m[1]])));
        }
        return { status: 200, body: { inventories: list } };
    }

    /**
     * QueryVolumeBackup: the volume backups of every group (one per volume, uuids derived from the group), filtered by one
     * `q` condition (field=value), paged with `limit` (default 1000) and `start`; `replyWithCount` adds `total`.
     */
    private queryVolumeBackups(one: string | undefined, q: Record<string, string>): EmuResponse {
        let list: Record<string, unknown>[] = [...this.backupGroups.values()].flatMap((g) =>
            g.volumes.map((v, i) => ({
                uuid: createHash("sha256").update(`${g.uuid}/${i}`).digest("hex").slice(0, 32),
                volumeUuid: createHash("sha256").update(`volume/${g.vmInstanceUuid}/${i}`).digest("hex").slice(0, 32),
                name: `${g.name}-${v.type}`,
                type: v.type,
                state: "Enabled",
                status: g.status,
                size: v.size,
                groupUuid: g.uuid,
                mode: g.mode,
                vmInstanceUuid: g.vmInstanceUuid,
                createDate: zstackDateText(g.createdAt),
                lastOpDate: zstackDateText(g.createdAt),
            })),
        );
        if (one) list = list.filter((b) => b.uuid === one);
        const m = q.q ? /^(\w+)=(.*)$/.exec(q.q) : null;
        if (m) list = list.filter((b) => String(b[m[1]]) === m[2]);
        const limit = q.limit === undefined ? 1000 : Number(q.limit);
        const start = q.start === undefined ? 0 : Number(q.start);
        if (!Number.isInteger(limit) || limit < 0 || !Number.isInteger(start) || start < 0) {
            return {
                status: 503,
                body: errorCode(
                    "SYS.1007",
                    "One or more API argument is invalid",
                    "limit and start must be non-negative integers",
                ),
            };
        }
        const page = list.slice(start, start + limit);
        return {
            status: 200,
            // ZStack's API catalog types replyWithCount integer; the REST examples send `true`: either asks for the total.
            body:
                q.replyWithCount === "true" || q.replyWithCount === "1"
                    ? { inventories: page, total: list.length }
                    : { inventories: page },
        };
    }

    private create(req: EmuRequest, groupUuid: string): EmuResponse {
        let b: { params?: Record<string, unknown>; systemTags?: string[]; userTags?: string[] };
        try {
            b = JSON.parse(req.body);
        } catch {
            return { status: 400, headers: { "content-type": "text/plain" }, body: "invalid JSON body" };
        }
        const p = b.params ?? {};
        const invalid = (details: string) =>
            this.accept(req, "CreateVmFromVmBackup", 0, () => ({
                status: 503,
                body: errorCode("SYS.1007", "One or more API argument is invalid", details),
            }));
        // systemTags / userTags: lists of strings beside `params` (vendor page), as on every API message.
        for (const k of ["systemTags", "userTags"] as const) {
            const t = b[k];
            if (t !== undefined && (!Array.isArray(t) || t.some((x) => typeof x !== "string" || x === "")))
                return invalid(`${k} must be a list of non-empty strings`);
        }
        const group = this.backupGroups.get(groupUuid);
        if (!group) return invalid(`Unable to find VmBackupGroup[uuid:${groupUuid}]`);
        if (group.status !== "Ready")
            return invalid(`VmBackupGroup[uuid:${groupUuid}] is not ready: its volume backups are ${group.status}`);
        if (typeof p.name !== "string" || p.name === "") return invalid("params.name is required");
        const offering =
            typeof p.instanceOfferingUuid === "string" ? this.offerings.get(p.instanceOfferingUuid) : undefined;
        if (p.instanceOfferingUuid !== undefined && !offering)
            return invalid(`Unable to find InstanceOffering[uuid:${String(p.instanceOfferingUuid)}]`);
        // ASSUMPTION: ZStack's API catalog types cpuNum as a string (memorySize as an integer); the server's JSON reader
        // takes a number or its decimal text for either, so both are accepted, and anything else refused.
        if (p.cpuNum !== undefined && !/^\d+$/.test(String(p.cpuNum)))
            return invalid(`cpuNum ${JSON.stringify(p.cpuNum)} is not a whole number`);
        if (p.memorySize !== undefined && !/^\d+$/.test(String(p.memorySize)))
            return invalid(`memorySize ${JSON.stringify(p.memorySize)} is not a whole number`);
        if (!offering && (p.cpuNum === undefined || p.memorySize === undefined))
            return invalid("instanceOfferingUuid, or cpuNum and memorySize, are required");
        const l3s = (p.l3NetworkUuids as string[] | undefined) ?? group.l3NetworkUuids;
        for (const l of l3s) if (!this.l3Networks.has(l)) return invalid(`Unable to find L3Network[uuid:${l}]`);
        if (p.defaultL3NetworkUuid !== undefined && !l3s.includes(String(p.defaultL3NetworkUuid)))
            return invalid("defaultL3NetworkUuid is not in l3NetworkUuids");
        const strategy = String(p.strategy ?? "InstantStart");
        if (!["InstantStart", "JustCreate", "CreateStopped"].includes(strategy))
            return invalid(`invalid strategy ${strategy}`);
        const rid = p.resourceUuid === undefined ? uuid() : String(p.resourceUuid);
        if (!UUID.test(rid)) return invalid(`resourceUuid ${rid} is not a 32-hex uuid`);
        if (this.vms.has(rid) && !this.jobs.has(req.headers["x-job-uuid"] ?? ""))
            return invalid(`resource uuid ${rid} already exists`);
        const now = this.clock.now();
        if (!this.vms.has(rid)) {
            const vm: Vm = {
                uuid: rid,
                name: p.name,
                description: p.description as string | undefined,
                zoneUuid: String(p.zoneUuid ?? group.zoneUuid),
                clusterUuid: String(p.clusterUuid ?? this.defaultCluster),
                hostUuid: String(p.hostUuid ?? this.defaultHost),
                instanceOfferingUuid: offering?.uuid,
                defaultL3NetworkUuid: String(p.defaultL3NetworkUuid ?? l3s[0] ?? ""),
                type: String(p.type ?? "UserVm"),
                cpuNum: Number(p.cpuNum ?? offering?.cpuNum ?? group.cpuNum),
                memorySize: Number(p.memorySize ?? offering?.memorySize ?? group.memorySize),
                strategy,
                createdAt: now,
                jobDoneAt: now + this.timings.createMs,
                failing: false,
                nics: l3s.map((l, i) => {
                    const net = this.l3Networks.get(l)!;
                    return {
                        uuid: uuid(),
                        l3NetworkUuid: l,
                        ip: `${net.prefix}${net.next++}`,
                        mac: `fa:${randomBytes(5).toString("hex").match(/../g)!.join(":")}`,
                        deviceId: i,
                    };
                }),
                volumes: group.volumes.map((v) => ({
                    uuid: uuid(),
                    type: v.type,
                    size: v.size,
                    primaryStorageUuid: String(
                        (v.type === "Root" ? p.primaryStorageUuidForRootVolume : p.primaryStorageUuidForDataVolume) ??
                            this.defaultPrimaryStorage,
                    ),
                })),
                userTags: [...new Set(b.userTags ?? [])],
                systemTags: [...new Set(b.systemTags ?? [])],
            };
            this.vms.set(rid, vm);
            this.createdVms++;
            if (this.serveTcpPort !== undefined)
                this.serve(
                    rid,
                    vm.nics.map((n) => n.ip),
                    this.serveTcpPort,
                );
            this.restoredFrom.push(groupUuid);
        }
        return this.accept(req, "CreateVmFromVmBackup", this.timings.createMs, () => {
            const v = this.vms.get(rid);
            const view = v ? this.view(v) : undefined;
            if (!view)
                return {
                    status: 503,
                    body: errorCode("SYS.1000", "An internal error happened in system", "the VM was rolled back"),
                };
            return { status: 200, body: { inventory: view } };
        });
    }

    private serve(vmUuid: string, ips: string[], port: number): void {
        const servers = ips.map((ip) => {
            const server = net.createServer((sock) => sock.end());
            server.on("error", () => undefined);
            server.listen(port, ip);
            return server;
        });
        this.listeners.set(vmUuid, servers);
    }

    /** The VM's service stops accepting connections (its listeners close); the API still reports it Running. */
    stopServing(vmUuid: string): void {
        for (const s of this.listeners.get(vmUuid) ?? []) s.close();
        this.listeners.delete(vmUuid);
    }

    /** Closes every VM listener (the emulator stops). */
    close(): void {
        for (const id of [...this.listeners.keys()]) this.stopServing(id);
    }

    private destroy(req: EmuRequest, vmUuid: string): EmuResponse {
        const v = this.vms.get(vmUuid);
        const view = v ? this.view(v) : undefined;
        if (!v || !view)
            return this.accept(req, "DestroyVmInstance", 0, () => ({
                status: 503,
                body: errorCode(
                    "SYS.1007",
                    "One or more API argument is invalid",
                    `Unable to find VmInstanceVO[uuid:${vmUuid}]`,
                ),
            }));
        const now = this.clock.now();
        if (v.destroyAt === undefined) {
            this.stopServing(vmUuid);
            v.destroyAt = now;
            v.destroyDoneAt = now + this.timings.destroyMs;
        }
        return this.accept(req, "DestroyVmInstance", Math.max(0, (v.destroyDoneAt ?? now) - now), () => ({
            status: 200,
            body: {},
        }));
    }

    private expunge(req: EmuRequest, vmUuid: string): EmuResponse {
        const v = this.vms.get(vmUuid);
        const view = v ? this.view(v) : undefined;
        if (!v || !view)
            return this.accept(req, "ExpungeVmInstance", 0, () => ({
                status: 503,
                body: errorCode(
                    "SYS.1007",
                    "One or more API argument is invalid",
                    `Unable to find VmInstanceVO[uuid:${vmUuid}]`,
                ),
            }));
        if (view.state !== "Destroyed" && view.state !== "Expunging") {
            return this.accept(req, "ExpungeVmInstance", 0, () => ({
                status: 503,
                body: errorCode(
                    "VM.1000",
                    "Operation not allowed",
                    `the VM is ${String(view.state)}; only a Destroyed VM can be expunged`,
                ),
            }));
        }
        const now = this.clock.now();
        if (v.expungeAt === undefined) {
            v.expungeAt = now;
            v.expungeDoneAt = now + this.timings.expungeMs;
        }
        return this.accept(req, "ExpungeVmInstance", Math.max(0, (v.expungeDoneAt ?? now) - now), () => ({
            status: 200,
            body: {},
        }));
    }

    /** The VM's state now, or undefined when it no longer exists. */
    private state(v: Vm): string | undefined {
        const now = this.clock.now();
        if (v.expungeDoneAt !== undefined && now >= v.expungeDoneAt) return undefined;
        if (v.expungeAt !== undefined) return "Expunging";
        if (v.destroyDoneAt !== undefined && now >= v.destroyDoneAt) return "Destroyed";
        if (v.destroyAt !== undefined) return "Destroying";
        if (now < v.jobDoneAt) return v.strategy === "JustCreate" ? "Created" : "Starting";
        if (v.failing) return undefined;
        if (v.forcedState) return v.forcedState;
        if (v.strategy === "JustCreate") return "Created";
        if (v.strategy === "CreateStopped") return "Stopped";
        return now < v.jobDoneAt + this.timings.startMs ? "Starting" : "Running";
    }

    private view(v: Vm): Record<string, unknown> | undefined {
        const state = this.state(v);
        if (!state) {
            this.vms.delete(v.uuid);
            return undefined;
        }
        const onHost = state === "Running" || state === "Starting";
        const date = zstackDateText(v.createdAt);
        return {
            uuid: v.uuid,
            name: v.name,
            description: v.description,
            zoneUuid: v.zoneUuid,
            clusterUuid: v.clusterUuid,
            hostUuid: onHost ? v.hostUuid : null,
            lastHostUuid: v.hostUuid,
            instanceOfferingUuid: v.instanceOfferingUuid,
            rootVolumeUuid: v.volumes.find((x) => x.type === "Root")?.uuid,
            platform: "Linux",
            defaultL3NetworkUuid: v.defaultL3NetworkUuid,
            type: v.type,
            hypervisorType: "KVM",
            memorySize: v.memorySize,
            cpuNum: v.cpuNum,
            allocatorStrategy: "LastHostPreferredAllocatorStrategy",
            createDate: date,
            lastOpDate: zstackDateText(this.clock.now()),
            state,
            vmNics:
                state === "Destroyed" || state === "Expunging"
                    ? []
                    : v.nics.map((n) => ({
                          ...n,
                          vmInstanceUuid: v.uuid,
                          netmask: "255.255.255.0",
                          gateway: n.ip.replace(/\d+$/, "1"),
                          state: "enable",
                          createDate: date,
                      })),
            allVolumes: v.volumes.map((x) => ({
                ...x,
                vmInstanceUuid: v.uuid,
                name: `${x.type}-Volume-For-VM-${v.uuid}`,
                format: "qcow2",
                state: "Enabled",
                status: "Ready",
                createDate: date,
            })),
        };
    }
}
