import { randomBytes } from "crypto";
import { CloudError } from "../core/errors";
import { ApiCaller, HttpRequest, HttpResponse, parseJson } from "../core/http";
import { AlicloudCredentials } from "./credentials";
import { acsDate, canonicalQuery, signAcs3 } from "./signer";

/** API version of EMR Serverless StarRocks. */
export const STARROCKS_VERSION = "2022-10-19";
const CLOUD = "alicloud starrocks";

/** A VSwitch as the RestoreInstance body wants it. */
export interface VSwitchSpec {
    VswId: string;
    ZoneId: string;
}

/** A tag as the client hands it to its callers (and as RestoreInstance's body takes it: lower-case key, value). */
export interface StarRocksTag {
    key: string;
    value: string;
}

/** The RestoreInstance body (field names as the vendor's SDK model RestoreInstanceRequest writes them). */
export interface RestoreInstanceBody {
    BackupTaskId: string;
    AdminPassword?: string;
    InstanceName?: string;
    PayType?: "prePaid" | "postPaid";
    PricingCycle?: "Month" | "Year";
    Duration?: number;
    AutoRenew?: boolean;
    RegionId?: string;
    VpcId?: string;
    VSwitches?: VSwitchSpec[];
    ResourceGroupId?: string;
    /** Lower-case `key`/`value` here (RestoreInstanceRequestTags), unlike DescribeInstances' `Key`/`Value`. */
    Tags?: StarRocksTag[];
}

/**
 * One instance as the client returns it from DescribeInstances (the fields we use). `Tags` is normalised to
 * {@link StarRocksTag}: the API answers `Tags[{Key, Value}]` (the SDK's DescribeInstancesResponseBodyDataTags).
 */
export interface StarRocksInstance {
    InstanceId: string;
    InstanceName?: string;
    InstanceStatus: string;
    PayType?: string;
    RegionId?: string;
    VpcId?: string;
    VSwitches?: { Primary?: boolean; VswId: string; ZoneId: string }[];
    Tags?: StarRocksTag[];
    ResourceGroupId?: string;
    Version?: string;
    BeginTime?: number;
    ExpireTime?: number;
}

/**
 * An instance as DescribeInstances' answer carries it: the same as {@link StarRocksInstance} but for `Tags`, which the
 * API writes with capitalised `Key`/`Value` (the SDK's DescribeInstancesResponseBodyDataTags).
 */
type WireInstance = Omit<StarRocksInstance, "Tags"> & { Tags?: { Key?: string; Value?: string }[] | null };

/** An instance of an answer with its tags in the client's shape. */
function fromWire(i: WireInstance): StarRocksInstance {
    if (!i || typeof i !== "object" || !Array.isArray(i.Tags)) return i as StarRocksInstance;
    return {
        ...i,
        Tags: i.Tags.filter((t) => t && typeof t.Key === "string").map((t) => ({
            key: String(t.Key),
            value: typeof t.Value === "string" ? t.Value : "",
        })),
    };
}

/** One backup as DescribeBackups returns it. */
export interface StarRocksBackup {
    BackupTaskId: string;
    InstanceId?: string;
    RegionId?: string;
    Status?: string;
    BackupType?: string;
    BackupStartTime?: number | string;
    BackupFinishedTime?: number | string;
    ExpireTime?: number | string;
    Size?: number;
}

/** What the client needs; credentials are a function so that they are read at call time. */
export interface StarRocksClientOptions {
    endpoint: string;
    credentials: () => AlicloudCredentials;
    caller: ApiCaller;
    /** Nonce source, injectable for tests. */
    nonce?: () => string;
}

/** What to do about the vendor and gateway error codes, in words a user can act on. */
const HINTS: Record<string, string> = {
    SignatureDoesNotMatch:
        "Check that alicloud:secretKey (or ALICLOUD_SECRET_KEY) belongs to alicloud:accessKey, and that no proxy rewrites the request.",
    "InvalidAccessKeyId.NotFound":
        "The access key id does not exist or was disabled: check alicloud:accessKey (or ALICLOUD_ACCESS_KEY).",
    "InvalidAccessKeyId.Inactive": "The access key is disabled: enable it in the RAM console or use another.",
    "InvalidTimeStamp.Expired": "This machine's clock is more than 15 minutes off: synchronise it (NTP) and run again.",
    SignatureNonceUsed: "A nonce was reused; this is retried automatically with a new one.",
    "InvalidSecurityToken.Expired": "The STS token (alicloud:securityToken) has expired: obtain a new one.",
    "InvalidSecurityToken.MismatchWithAccessKey":
        "The STS token (alicloud:securityToken) does not belong to alicloud:accessKey: set the access key, secret and token of one STS credential together.",
    MissingParameter: "A required parameter is missing; this is a bug in pulumi-restore, please report it.",
    Forbidden: "The RAM user lacks permission: grant the sr:* actions named in the message on the instance.",
    "Forbidden.RAM": "The RAM user lacks permission: grant the sr:* actions named in the message on the instance.",
    NoPermission: "The RAM user lacks permission: grant the sr:* actions named in the message on the instance.",
    InvalidParams:
        "The service rejected a parameter: check backupTaskId, network and billing inputs against the message.",
};

/** Gateway codes about the caller's credentials, signature or permissions: they say nothing about any instance. */
const AUTH_CODE =
    /^(InvalidAccessKeyId|SignatureDoesNotMatch|SignatureNonceUsed|InvalidTimeStamp|InvalidSecurityToken|IncompleteSignature|MissingAuthorization|Forbidden|NoPermission)/;

/**
 * True when an error says the instance does not exist. `InvalidAccessKeyId.NotFound` (a deleted or revoked key) is
 * about the key: taken for "gone", it would drop a live instance from state on refresh, or call a release done while
 * the instance still runs and bills.
 */
export function isInstanceNotFound(e: unknown): boolean {
    return (
        e instanceof CloudError && !AUTH_CODE.test(e.code) && /not exist|NotFound/i.test(`${e.code} ${e.vendorMessage}`)
    );
}

function isRetryableCode(code: string, status: number): boolean {
    return (
        /Throttling/i.test(code) ||
        code === "ServiceUnavailable" ||
        code === "SignatureNonceUsed" ||
        isServerFault(code) ||
        status >= 500
    );
}

/**
 * Codes of a fault inside the service: the request may have been carried out although the answer says it failed,
 * whatever HTTP status carries it (an error body can come inside a 200 answer), so its outcome is unknown.
 */
function isServerFault(code: string): boolean {
    return /^(InternalError|UnknownError|ServiceUnavailable|ServiceTimeout)\b/i.test(code);
}

/** The EMR Serverless StarRocks API: RestoreInstance, DescribeInstances, ReleaseInstance, DescribeBackups. */
export class StarRocksClient {
    private readonly host: string;

    constructor(private readonly o: StarRocksClientOptions) {
        this.host = new URL(o.endpoint).host;
    }

    /** RestoreInstance: not idempotent (the API has no ClientToken); the caller looks for an earlier attempt first. */
    async restoreInstance(
        body: RestoreInstanceBody,
    ): Promise<{ InstanceId: string; OrderId?: number | string; RequestId?: string }> {
        const data = await this.call<{ InstanceId?: string; OrderId?: number | string }>(
            "RestoreInstance",
            "/webapi/restore/restoreInstance",
            {},
            body,
            false,
        );
        if (!data || typeof data.InstanceId !== "string" || data.InstanceId === "") {
            throw new CloudError({
                cloud: CLOUD,
                action: "RestoreInstance",
                code: "MalformedResponse",
                message: "the answer has no Data.InstanceId",
                retryable: true,
            });
        }
        return { InstanceId: data.InstanceId, OrderId: data.OrderId };
    }

    /** DescribeInstances with the given filters (query string parameters). */
    async describeInstances(query: {
        InstanceId?: string;
        InstanceName?: string;
        RegionId?: string;
        /** Sent as the SDK sends DescribeInstancesRequestTag: a JSON string of `[{Key, Value}]`. */
        Tag?: StarRocksTag[];
        PageNumber?: number;
        PageSize?: number;
    }): Promise<StarRocksInstance[]> {
        const q: Record<string, string> = {};
        if (query.InstanceId) q.InstanceId = query.InstanceId;
        if (query.InstanceName) q.InstanceName = query.InstanceName;
        if (query.RegionId) q.RegionId = query.RegionId;
        if (query.Tag) q.Tag = JSON.stringify(query.Tag.map((t) => ({ Key: t.key, Value: t.value })));
        q.PageNumber = String(query.PageNumber ?? 1);
        q.PageSize = String(query.PageSize ?? 50);
        const data = await this.call<unknown>(
            "DescribeInstances",
            "/webapi/starrocks/describeInstances",
            q,
            undefined,
            true,
        );
        if (data === undefined || data === null) return [];
        if (!Array.isArray(data)) throw this.malformed("DescribeInstances", "Data is not a list");
        return (data as WireInstance[]).map(fromWire);
    }

    /**
     * One page of the region's instances (PageSize at most 100, as the API allows) and the `Total` the answer gives, for
     * the shared status poller: one call answers the status of up to 100 waiting instances.
     */
    async describeInstancePage(
        regionId: string,
        pageNumber: number,
        pageSize = 100,
    ): Promise<{ items: StarRocksInstance[]; total?: number }> {
        const q = { RegionId: regionId, PageNumber: String(pageNumber), PageSize: String(pageSize) };
        const json = await this.o.caller.call<Record<string, unknown>>({
            cloud: CLOUD,
            action: "DescribeInstances",
            idempotent: true,
            build: () => this.build("DescribeInstances", "/webapi/starrocks/describeInstances", q, undefined),
            parse: (res) => {
                const data = this.parse<unknown>("DescribeInstances", res);
                return { data, total: (parseJson(res.body) as Record<string, unknown>).Total };
            },
        });
        const data = json.data;
        if (data !== undefined && data !== null && !Array.isArray(data))
            throw this.malformed("DescribeInstances", "Data is not a list");
        const total = typeof json.total === "number" && Number.isFinite(json.total) ? json.total : undefined;
        return { items: ((data ?? []) as WireInstance[]).map(fromWire), total };
    }

    /** One instance by id, or undefined when it does not exist. */
    async describeInstance(instanceId: string, regionId?: string): Promise<StarRocksInstance | undefined> {
        try {
            const list = await this.describeInstances({ InstanceId: instanceId, RegionId: regionId });
            return list.find((i) => i.InstanceId === instanceId);
        } catch (e) {
            if (isInstanceNotFound(e)) return undefined;
            throw e;
        }
    }

    /**
     * ReleaseInstance (pay-as-you-go only). Releasing the same instance twice is harmless, so it is retried. Its only
     * parameter is InstanceId (the SDK's ReleaseInstanceRequest): the region is the endpoint's.
     */
    async releaseInstance(instanceId: string): Promise<boolean> {
        const q: Record<string, string> = { InstanceId: instanceId };
        const data = await this.call<unknown>("ReleaseInstance", "/webapi/cluster/release", q, undefined, true);
        return data === true || data === "true";
    }

    /** DescribeBackups by backup task id and/or instance: one page (PageNumber from 1, PageSize default 50). */
    async describeBackups(query: {
        BackupTaskId?: string;
        InstanceId?: string;
        RegionId?: string;
        PageNumber?: number;
        PageSize?: number;
    }): Promise<StarRocksBackup[]> {
        const q: Record<string, string> = {
            PageNumber: String(query.PageNumber ?? 1),
            PageSize: String(query.PageSize ?? 50),
        };
        if (query.BackupTaskId) q.BackupTaskId = query.BackupTaskId;
        if (query.InstanceId) q.InstanceId = query.InstanceId;
        if (query.RegionId) q.RegionId = query.RegionId;
        const data = await this.call<unknown>("DescribeBackups", "/webapi/backup/manage/describe", q, undefined, true);
        if (data === undefined || data === null) return [];
        if (!Array.isArray(data)) throw this.malformed("DescribeBackups", "Data is not a list");
        return data as StarRocksBackup[];
    }

    private malformed(action: string, why: string): CloudError {
        return new CloudError({ cloud: CLOUD, action, code: "MalformedResponse", message: why, retryable: true });
    }

    private call<T>(
        action: string,
        path: string,
        query: Record<string, string>,
        body: unknown,
        idempotent: boolean,
    ): Promise<T> {
        return this.o.caller.call<T>({
            cloud: CLOUD,
            action,
            idempotent,
            build: () => this.build(action, path, query, body),
            parse: (res) => this.parse<T>(action, res),
        });
    }

    private build(action: string, path: string, query: Record<string, string>, body: unknown): HttpRequest {
        const creds = this.o.credentials();
        const text = body === undefined ? "" : JSON.stringify(body);
        const signed = signAcs3({
            method: "POST",
            pathname: path,
            query,
            host: this.host,
            action,
            version: STARROCKS_VERSION,
            body: text,
            contentType: body === undefined ? undefined : "application/json; charset=utf-8",
            accessKeyId: creds.accessKeyId,
            accessKeySecret: creds.accessKeySecret,
            securityToken: creds.securityToken,
            date: acsDate(this.o.caller.clock.now()),
            nonce: this.o.nonce ? this.o.nonce() : randomBytes(16).toString("hex"),
        });
        // The query goes out exactly as it was signed (RFC 3986): form encoding (URLSearchParams) would send a space as
        // `+`, which a server reading RFC 3986 takes for a plus sign, so the signature it computes would not match.
        const qs = Object.keys(query).length > 0 ? `?${canonicalQuery(query)}` : "";
        const headers = { ...signed.headers };
        delete (headers as Record<string, string>).host;
        return {
            method: "POST",
            url: `${this.o.endpoint}${path}${qs}`,
            headers,
            body: body === undefined ? undefined : text,
        };
    }

    private parse<T>(action: string, res: HttpResponse): T {
        const json = parseJson(res.body) as Record<string, unknown>;
        if (!json || typeof json !== "object") throw new Error("not a JSON object");
        const requestId = (json.RequestId as string | undefined)?.trim() ?? res.headers["x-acs-request-id"];
        // Gateway errors: { Code, Message, RequestId } with a 4xx/5xx status. API errors: { Success: false, ErrCode, ErrMessage }.
        const gatewayCode = typeof json.Code === "string" ? json.Code : undefined;
        const failed =
            res.status >= 400 ||
            json.Success === false ||
            (gatewayCode !== undefined && json.Success === undefined && json.Data === undefined);
        if (failed) {
            const code = String((json.ErrCode as string | undefined)?.trim() || gatewayCode || `HTTP${res.status}`);
            let message = String(
                (json.ErrMessage as string | undefined) ?? (json.Message as string | undefined) ?? "no message",
            );
            if (typeof json.AccessDeniedDetail === "string" && json.AccessDeniedDetail) {
                try {
                    const d = JSON.parse(json.AccessDeniedDetail) as { AuthAction?: string; NoPermissionType?: string };
                    if (d.AuthAction)
                        message += ` (denied action ${d.AuthAction}${d.NoPermissionType ? `, ${d.NoPermissionType}` : ""})`;
                } catch {
                    /* the detail is informative only */
                }
            }
            throw new CloudError({
                cloud: CLOUD,
                action,
                httpStatus: res.status,
                code,
                message,
                requestId,
                retryable: isRetryableCode(code, res.status),
                throttled: /^Throttling/i.test(code),
                uncertain: res.status >= 500 || isServerFault(code) || undefined,
                hint:
                    HINTS[code] ??
                    (code.startsWith("Throttling")
                        ? "The API is throttling this account; calls are spread out and retried automatically."
                        : undefined),
            });
        }
        if (!("Data" in json) && json.Success === undefined) throw new Error("the answer has neither Data nor Success");
        return json.Data as T;
    }
}
