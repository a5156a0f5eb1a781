import { randomUUID } from "crypto";
import { CloudError } from "../core/errors";
import { ApiCaller, HttpRequest, HttpResponse, parseJson } from "../core/http";
import { JdcloudCredentials } from "./credentials";
import { canonicalQuery, jdcloudDate, signJdcloud3 } from "./signer";

const CLOUD = "jdcloud rds";
const SERVICE = "rds";

/** ChargeSpec as the API wants it. */
export interface ChargeSpecBody {
    chargeMode?: string;
    chargeUnit?: string;
    chargeDuration?: number;
}

/** A resource tag: the SDK's rds Tag model `{key, value}` (lower case), in `instanceSpec.tagSpec` and in answers' `tags`. */
export interface RdsTag {
    key: string;
    value: string;
}

/** describeInstances `tagFilters` items: the SDK's common TagFilter `{key, values}`, sent as `tagFilters.N.key` / `tagFilters.N.values.M`. */
export interface RdsTagFilter {
    key: string;
    values: string[];
}

/** RestoredNewDBInstanceSpec as the API wants it (field names as in the SDK's model and on the vendor page). */
export interface RestoredSpecBody {
    instanceName?: string;
    instanceClass: string;
    instanceStorageGB: number;
    azId: string[];
    vpcId: string;
    subnetId: string;
    parameterGroup?: string;
    chargeSpec: ChargeSpecBody;
    instanceStorageType?: string;
    instancePort?: string;
    storageEncrypted?: boolean;
    instanceType?: string;
    /** Tags the new instance carries (RestoredNewDBInstanceSpec.tagSpec, a list of Tag). */
    tagSpec?: RdsTag[];
}

/** The createInstanceFromBackup body. */
export interface CreateFromBackupBody {
    backupId: string;
    engine: string;
    instanceSpec: RestoredSpecBody;
}

/** An instance as describeInstanceAttributes (or the instance list) returns it: the fields we use. */
export interface RdsInstance {
    instanceId: string;
    instanceName?: string;
    instanceType?: string;
    engine?: string;
    engineVersion?: string;
    instanceClass?: string;
    instanceStorageGB?: number;
    instanceStorageType?: string;
    azId?: string[];
    vpcId?: string;
    subnetId?: string;
    internalDomainName?: string;
    instancePort?: string | number;
    instanceStatus: string;
    createTime?: string;
    charge?: RdsCharge;
    /** The instance's tags (DBInstance / DBInstanceAttribute `tags`, a list of Tag). */
    tags?: RdsTag[];
}

/** The `charge` of an instance: the fields we read of the SDK's charge model Charge. */
export interface RdsCharge {
    chargeMode?: string;
    chargeStatus?: string;
    chargeStartTime?: string;
    chargeExpiredTime?: string;
}

/**
 * Every field of {@link RdsInstance}, as data: the contract tests check each against the SDK's DBInstanceAttribute and
 * DBInstance models. A `Record` over the interface's keys, so a field added to the interface must be added here.
 */
const INSTANCE_KEYS: Record<keyof RdsInstance, true> = {
    instanceId: true,
    instanceName: true,
    instanceType: true,
    engine: true,
    engineVersion: true,
    instanceClass: true,
    instanceStorageGB: true,
    instanceStorageType: true,
    azId: true,
    vpcId: true,
    subnetId: true,
    internalDomainName: true,
    instancePort: true,
    instanceStatus: true,
    createTime: true,
    charge: true,
    tags: true,
};
/** The instance fields our client and provider read. */
export const RDS_INSTANCE_FIELDS = Object.keys(INSTANCE_KEYS) as (keyof RdsInstance)[];
const CHARGE_KEYS: Record<keyof RdsCharge, true> = {
    chargeMode: true,
    chargeStatus: true,
    chargeStartTime: true,
    chargeExpiredTime: true,
};
/** The `charge` fields we read. */
export const RDS_CHARGE_FIELDS = Object.keys(CHARGE_KEYS) as (keyof RdsCharge)[];

/** One backup as describeBackups returns it. */
export interface RdsBackup {
    backupId: string;
    backupName?: string;
    instanceId?: string;
    backupStatus?: string;
    backupStartTime?: string;
    backupEndTime?: string;
    backupMode?: string;
    engine?: string;
}

const BACKUP_KEYS: Record<keyof RdsBackup, true> = {
    backupId: true,
    backupName: true,
    instanceId: true,
    backupStatus: true,
    backupStartTime: true,
    backupEndTime: true,
    backupMode: true,
    engine: true,
};
/** The describeBackups fields we read (checked against the SDK's Backup model). */
export const RDS_BACKUP_FIELDS = Object.keys(BACKUP_KEYS) as (keyof RdsBackup)[];

/** What the client needs; credentials are a function so that they are read at call time. */
export interface RdsClientOptions {
    endpoint: string;
    credentials: () => JdcloudCredentials;
    caller: ApiCaller;
    /** Nonce source, injectable for tests. */
    nonce?: () => string;
}

/** What to do about an error, by the envelope's `status`, in words a user can act on. */
const HINTS: Record<string, string> = {
    UNAUTHENTICATED:
        "Check that jdcloud:secretKey (or JDCLOUD_SECRET_KEY) belongs to jdcloud:accessKey, that this machine's clock is right, and that no proxy rewrites the request.",
    PERMISSION_DENIED:
        "The access key lacks permission for this RDS action: grant it in IAM (sub-user policy) and run again.",
    RESOURCE_EXHAUSTED:
        "JD Cloud is throttling this account or a quota is exhausted; throttled calls are spread out and retried automatically.",
    INVALID_ARGUMENT: "The service rejected a parameter: compare backupId, engine and instanceSpec with the message.",
    FAILED_PRECONDITION: "The resource is not in a state that allows this call; see the message.",
};

function retryable(status: string, http: number): boolean {
    return (
        http === 429 ||
        http >= 500 ||
        status === "RESOURCE_EXHAUSTED" ||
        status === "UNAVAILABLE" ||
        status === "ABORTED" ||
        status === "INTERNAL"
    );
}

/**
 * Whether the service may have carried the request out although it answered with this error: a fault inside the
 * service, whatever HTTP status carries it. An `INTERNAL` body inside a 200 answer is such a case: taken as certain,
 * a create would be repeated at once, and two instances made.
 */
function uncertain(status: string, http: number): boolean {
    return (
        http >= 500 ||
        status === "INTERNAL" ||
        status === "UNKNOWN" ||
        status === "DEADLINE_EXCEEDED" ||
        status === "UNAVAILABLE" ||
        status === "ABORTED"
    );
}

/**
 * True when an error says the instance (or backup) does not exist. An authentication or permission refusal ("the access
 * key does not exist") says nothing about the instance: taken for "gone", it would drop a live instance from state on
 * refresh, or report a destroy done while the instance still runs and bills.
 */
export function isNotFound(e: unknown): boolean {
    if (!(e instanceof CloudError)) return false;
    if (e.httpStatus === 401 || e.httpStatus === 403 || e.code === "UNAUTHENTICATED" || e.code === "PERMISSION_DENIED")
        return false;
    return e.httpStatus === 404 || e.code === "NOT_FOUND" || /not\s*(be\s*)?found|not exist/i.test(e.vendorMessage);
}

/** The JD Cloud RDS API: createInstanceFromBackup, describeInstanceAttributes, describeInstances, deleteInstance, describeBackups. */
export class RdsClient {
    private readonly host: string;

    constructor(private readonly o: RdsClientOptions) {
        this.host = new URL(o.endpoint).host;
    }

    /** createInstanceFromBackup: not idempotent (no client token exists); the caller looks for an earlier attempt first. */
    async createInstanceFromBackup(
        regionId: string,
        body: CreateFromBackupBody,
    ): Promise<{ instanceId: string; orderId?: string }> {
        const r = await this.call<{ instanceId?: string; orderId?: string }>(
            "createInstanceFromBackup",
            "POST",
            regionId,
            `/instances:createInstanceFromBackup`,
            {},
            body,
            false,
        );
        if (!r || typeof r.instanceId !== "string" || r.instanceId === "")
            throw this.malformed("createInstanceFromBackup", "the answer has no result.instanceId");
        return {
            instanceId: r.instanceId,
            orderId: r.orderId === undefined || r.orderId === null ? undefined : String(r.orderId),
        };
    }

    /** describeInstanceAttributes; undefined when the instance does not exist (404 or the vendor's not-found). */
    async describeInstance(regionId: string, instanceId: string): Promise<RdsInstance | undefined> {
        try {
            const r = await this.call<{ dbInstanceAttributes?: RdsInstance }>(
                "describeInstanceAttributes",
                "GET",
                regionId,
                `/instances/${encodeURIComponent(instanceId)}`,
                {},
                undefined,
                true,
            );
            const a = r?.dbInstanceAttributes;
            if (!a || typeof a.instanceStatus !== "string")
                throw this.malformed("describeInstanceAttributes", "the answer has no result.dbInstanceAttributes");
            return a;
        } catch (e) {
            if (isNotFound(e)) return undefined;
            throw e;
        }
    }

    /**
     * describeInstances: every instance whose name is `instanceName` (`filters.1.name=instanceName`; the SDK's Filter
     * operator defaults to `eq`, the exact match is still checked here), following pages. `tagFilters` (the SDK's
     * TagFilter `{key, values}`) narrows the list to instances carrying those tags.
     */
    async instancesNamed(
        regionId: string,
        instanceName: string,
        tagFilters: RdsTagFilter[] = [],
    ): Promise<RdsInstance[]> {
        const q = { "filters.1.name": "instanceName", "filters.1.values.1": instanceName };
        return (await this.listAll(regionId, q, tagFilters)).filter((i) => i.instanceName === instanceName);
    }

    /**
     * describeInstances: every instance carrying the tags of `tagFilters` (at least one), whatever its name, following
     * pages. The caller checks each instance's `tags` itself: how the server combines tag filters is not documented.
     */
    async instancesTagged(regionId: string, tagFilters: RdsTagFilter[]): Promise<RdsInstance[]> {
        if (tagFilters.length === 0) throw new Error("instancesTagged needs at least one tag filter");
        return this.listAll(regionId, {}, tagFilters);
    }

    /** describeInstances with these filters, every page (at most 50 of 100). */
    private async listAll(
        regionId: string,
        filters: Record<string, string>,
        tagFilters: RdsTagFilter[],
    ): Promise<RdsInstance[]> {
        const out: RdsInstance[] = [];
        for (let page = 1; page <= 50; page++) {
            const q: Record<string, string> = { pageNumber: String(page), pageSize: "100", ...filters };
            tagFilters.forEach((f, n) => {
                q[`tagFilters.${n + 1}.key`] = f.key;
                f.values.forEach((v, m) => (q[`tagFilters.${n + 1}.values.${m + 1}`] = v));
            });
            const r = await this.call<{ dbInstances?: RdsInstance[]; totalCount?: number }>(
                "describeInstances",
                "GET",
                regionId,
                "/instances",
                q,
                undefined,
                true,
            );
            const list = r?.dbInstances ?? [];
            if (!Array.isArray(list)) throw this.malformed("describeInstances", "result.dbInstances is not a list");
            out.push(...list);
            if (list.length < 100 || out.length >= (r?.totalCount ?? 0)) break;
        }
        return out.filter((i) => !!i);
    }

    /**
     * describeInstances filtered on instanceId with up to 100 values (one `filters.1.values.N` each): the list entries
     * of those instances that exist. A missing id is not proof that its instance is gone (ask
     * {@link describeInstance}), and a list entry may carry fewer fields than describeInstanceAttributes.
     */
    async instancesById(regionId: string, instanceIds: string[]): Promise<RdsInstance[]> {
        const q: Record<string, string> = { pageNumber: "1", pageSize: "100", "filters.1.name": "instanceId" };
        instanceIds.slice(0, 100).forEach((id, i) => (q[`filters.1.values.${i + 1}`] = id));
        const r = await this.call<{ dbInstances?: RdsInstance[]; totalCount?: number }>(
            "describeInstances",
            "GET",
            regionId,
            "/instances",
            q,
            undefined,
            true,
        );
        const list = r?.dbInstances ?? [];
        if (!Array.isArray(list)) throw this.malformed("describeInstances", "result.dbInstances is not a list");
        const wanted = new Set(instanceIds);
        return list.filter((i) => i && wanted.has(i.instanceId) && typeof i.instanceStatus === "string");
    }

    /** deleteInstance. Deleting the same instance twice is harmless, so it is retried. */
    async deleteInstance(regionId: string, instanceId: string): Promise<void> {
        await this.call<unknown>(
            "deleteInstance",
            "DELETE",
            regionId,
            `/instances/${encodeURIComponent(instanceId)}`,
            {},
            undefined,
            true,
        );
    }

    /** describeBackups of one source instance (one page of 100; `page` from 1). */
    async describeBackups(
        regionId: string,
        instanceId: string,
        page = 1,
    ): Promise<{ backups: RdsBackup[]; totalCount: number }> {
        const r = await this.call<{ backup?: RdsBackup[]; totalCount?: number }>(
            "describeBackups",
            "GET",
            regionId,
            "/backups",
            { instanceId, pageNumber: String(page), pageSize: "100" },
            undefined,
            true,
        );
        const list = r?.backup ?? [];
        if (!Array.isArray(list)) throw this.malformed("describeBackups", "result.backup is not a list");
        return { backups: list, totalCount: r?.totalCount ?? list.length };
    }

    private malformed(action: string, why: string): CloudError {
        return new CloudError({ cloud: CLOUD, action, code: "MalformedResponse", message: why, retryable: true });
    }

    private call<T>(
        action: string,
        method: HttpRequest["method"],
        regionId: string,
        rest: string,
        query: Record<string, string>,
        body: unknown,
        idempotent: boolean,
    ): Promise<T> {
        const path = `/v1/regions/${encodeURIComponent(regionId)}${rest}`;
        return this.o.caller.call<T>({
            cloud: CLOUD,
            action,
            idempotent,
            build: () => this.build(method, regionId, path, query, body),
            parse: (res) => this.parse<T>(action, res),
        });
    }

    private build(
        method: HttpRequest["method"],
        regionId: string,
        path: string,
        query: Record<string, string>,
        body: unknown,
    ): HttpRequest {
        const creds = this.o.credentials();
        const text = body === undefined ? "" : JSON.stringify(body);
        const signed = signJdcloud3({
            method,
            path,
            query,
            host: this.host,
            body: text,
            contentType: "application/json",
            service: SERVICE,
            region: regionId,
            accessKey: creds.accessKey,
            secretKey: creds.secretKey,
            securityToken: creds.securityToken,
            date: jdcloudDate(this.o.caller.clock.now()),
            nonce: this.o.nonce ? this.o.nonce() : randomUUID(),
        });
        // The query goes out exactly as it is signed (RFC 3986), the same text the canonical request holds.
        const qs = Object.keys(query).length > 0 ? `?${canonicalQuery(query)}` : "";
        const headers = { ...signed.headers };
        // The transport sets Host from the URL; it is the same value that was signed.
        delete headers.host;
        return { method, url: `${this.o.endpoint}${path}${qs}`, headers, body: body === undefined ? undefined : text };
    }

    private parse<T>(action: string, res: HttpResponse): T {
        const json = parseJson(res.body) as {
            requestId?: string;
            error?: { code?: number; status?: string; message?: string };
            result?: unknown;
        };
        if (!json || typeof json !== "object") throw new Error("not a JSON object");
        const requestId = json.requestId ?? res.headers["x-jdcloud-request-id"];
        if (json.error || res.status >= 400) {
            const err = json.error ?? {};
            const status = typeof err.status === "string" && err.status ? err.status : `HTTP${res.status}`;
            throw new CloudError({
                cloud: CLOUD,
                action,
                httpStatus: res.status,
                code: status,
                message: `${err.message ?? "no message"}${typeof err.code === "number" && err.code !== res.status ? ` (code ${err.code})` : ""}`,
                requestId,
                retryable: retryable(status, res.status),
                throttled: status === "RESOURCE_EXHAUSTED" || res.status === 429,
                uncertain: uncertain(status, res.status),
                hint: HINTS[status],
            });
        }
        if (!("result" in json)) throw new Error("the answer has no result");
        return json.result as T;
    }
}
