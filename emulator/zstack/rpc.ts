import { emuRequest } from "../core/server";
import { EmuRequest, EmuResponse } from "../core/types";

/**
 * ZStack's RPC endpoint, `POST /zstack/api/`, as ZStack's own client (zstack-mcp-server's zstack_client.py) uses it:
 * the body is `{"<full API message class>": {...parameters, "session": {"uuid": ...}}}`; the answer is
 * `{"state": "Done", "result": "<JSON text of {\"<reply or event class>\": {...}}>"}`, or for an asynchronous API
 * `{"uuid": <job>, "state": "Processing"}`, followed by polling `GET /zstack/api/result/{uuid}` until Done. A failure
 * is a Done reply with `success: false` and `error`. Each message is served by the same handlers as its REST
 * equivalent (apis/zstack.md), so both surfaces share state.
 *
 * ASSUMPTIONS (the vendor's client shows the shapes it reads, not every detail a management node sends): reply and
 * event class names are the API's with `Msg` replaced by `Reply` (sync) or `Event` (async); one query condition is
 * supported (`=` or `in`); a job's uuid is the REST job's.
 */
export const RPC_PATH = /^\/zstack\/api\/?$/;
/** Where an asynchronous RPC call's result is polled. */
export const RPC_RESULT_PATH = /^\/zstack\/api\/result\/([^/]+)$/;

/** What the RPC adapter needs from the service: its REST handling and its job store. */
export interface RpcBackend {
    rest(req: EmuRequest): EmuResponse;
    job(uuid: string): EmuResponse;
}

interface Parsed {
    name: string;
    full: string;
    params: Record<string, unknown>;
}

/** `org.zstack.header.vm.APIQueryVmInstanceMsg` → `QueryVmInstance`. */
export function rpcActionName(full: string): string {
    return (full.split(".").pop() ?? full).replace(/^API/, "").replace(/Msg$/, "");
}

/** The message a RPC body carries, or undefined when it is not one. */
export function parseRpcBody(body: string): Parsed | undefined {
    try {
        const j = JSON.parse(body) as Record<string, unknown>;
        const keys = j && typeof j === "object" ? Object.keys(j) : [];
        if (keys.length !== 1 || !/Msg$/.test(keys[0])) return undefined;
        const params = j[keys[0]];
        if (!params || typeof params !== "object") return undefined;
        return { name: rpcActionName(keys[0]), full: keys[0], params: params as Record<string, unknown> };
    } catch {
        return undefined;
    }
}

function text(status: number, body: string): EmuResponse {
    return { status, headers: { "content-type": "text/plain" }, body };
}

/** ZStack query conditions (`[{name, op, value}]`) as the REST `q` text (`name=value`, `name?=a,b`). */
function conditionText(conditions: unknown): string | undefined | Error {
    if (conditions === undefined) return undefined;
    const list = Array.isArray(conditions) ? conditions : [conditions];
    if (list.length === 0) return undefined;
    if (list.length > 1) return new Error("the emulator supports one query condition");
    const c = list[0] as { name?: unknown; op?: unknown; value?: unknown };
    if (typeof c?.name !== "string") return new Error("a condition needs a name");
    const value = Array.isArray(c.value) ? c.value.join(",") : String(c.value ?? "");
    if (c.op === "=") return `${c.name}=${value}`;
    if (c.op === "in") return `${c.name}?=${value}`;
    return new Error(`the emulator supports the condition operators = and in, not ${String(c.op)}`);
}

/** Serves the RPC endpoint over a service's REST handlers. */
export class ZStackRpc {
    /** The reply class of each job started through RPC. */
    private readonly events = new Map<string, string>();

    constructor(private readonly backend: RpcBackend) {}

    /** The action a RPC request names (for logs and faults). */
    actionOf(req: EmuRequest): string | undefined {
        if (req.method === "GET" && RPC_RESULT_PATH.test(req.path)) return "GetJob";
        if (req.method === "POST" && RPC_PATH.test(req.path)) return parseRpcBody(req.body)?.name ?? "Unknown";
        return undefined;
    }

    handle(req: EmuRequest): EmuResponse {
        const r = RPC_RESULT_PATH.exec(req.path);
        if (r && req.method === "GET") return this.result(r[1]);
        const m = parseRpcBody(req.body);
        if (!m) return text(400, 'the body must be one API message: {"org.zstack...APIXxxMsg": {...}}');
        const session = (m.params.session as { uuid?: unknown } | undefined)?.uuid;
        const headers: Record<string, string> = { "content-type": "application/json" };
        if (typeof session === "string") headers.authorization = `OAuth ${session}`;
        const rest = this.restOf(m, typeof session === "string" ? session : undefined);
        if (rest instanceof Error)
            return this.done(m.full.replace(/Msg$/, "Reply"), {
                status: 503,
                body: {
                    error: {
                        code: "SYS.1007",
                        description: "One or more API argument is invalid",
                        details: rest.message,
                    },
                },
            });
        const res = this.backend.rest(emuRequest(rest.method, rest.target, headers, rest.body ?? ""));
        if (res.status === 202) {
            const loc = String((res.body as { location?: unknown }).location ?? "");
            const id = loc.split("/").pop() ?? "";
            this.events.set(id, m.full.replace(/Msg$/, "Event"));
            return { status: 200, body: { uuid: id, state: "Processing" } };
        }
        return this.done(m.full.replace(/Msg$/, "Reply"), res);
    }

    private result(id: string): EmuResponse {
        const res = this.backend.job(id);
        if (res.status === 202) return { status: 200, body: { uuid: id, state: "Processing" } };
        return this.done(this.events.get(id) ?? "org.zstack.header.message.APIEvent", res, id);
    }

    /** A REST answer as a Done RPC answer; plain-text refusals stay as they are. */
    private done(reply: string, res: EmuResponse, uuid?: string): EmuResponse {
        if (typeof res.body === "string") return res;
        const body = res.body as Record<string, unknown>;
        const inner = res.status === 200 ? { success: true, ...body } : { success: false, error: body.error ?? body };
        const out: Record<string, unknown> = { state: "Done", result: JSON.stringify({ [reply]: inner }) };
        if (uuid) out.uuid = uuid;
        return { status: 200, body: out };
    }

    /** The REST request equivalent to one RPC message. */
    private restOf(m: Parsed, session: string | undefined): { method: string; target: string; body?: string } | Error {
        const p = m.params;
        const enc = encodeURIComponent;
        const str = (k: string) => (typeof p[k] === "string" ? (p[k] as string) : "");
        switch (m.name) {
            case "LogInByAccount":
                return {
                    method: "PUT",
                    target: "/zstack/v1/accounts/login",
                    body: JSON.stringify({ logInByAccount: { accountName: p.accountName, password: p.password } }),
                };
            case "LogOut":
                return {
                    method: "DELETE",
                    target: `/zstack/v1/accounts/sessions/${enc(str("sessionUuid") || session || "")}`,
                };
            case "RenewSession":
                return {
                    method: "PUT",
                    target: `/zstack/v1/accounts/sessions/${enc(str("sessionUuid"))}/renew`,
                    body: JSON.stringify({ renewSession: p.duration === undefined ? {} : { duration: p.duration } }),
                };
            case "QueryVmInstance":
            case "QueryVolumeBackup": {
                const q = conditionText(p.conditions);
                if (q instanceof Error) return q;
                const qs: string[] = [];
                if (q !== undefined) qs.push(`q=${enc(q)}`);
                for (const k of ["limit", "start"]) if (p[k] !== undefined) qs.push(`${k}=${enc(String(p[k]))}`);
                if (p.replyWithCount === true || p.replyWithCount === 1) qs.push("replyWithCount=true");
                const base = m.name === "QueryVmInstance" ? "/zstack/v1/vm-instances" : "/zstack/v1/volume-backups";
                return { method: "GET", target: qs.length ? `${base}?${qs.join("&")}` : base };
            }
            case "CreateVmFromVmBackup": {
                const { groupUuid, session: _s, systemTags, userTags, ...params } = p;
                const body: Record<string, unknown> = { params };
                if (systemTags !== undefined) body.systemTags = systemTags;
                if (userTags !== undefined) body.userTags = userTags;
                return {
                    method: "POST",
                    target: `/zstack/v1/vm-instances/from/vm-backups/${enc(String(groupUuid ?? ""))}`,
                    body: JSON.stringify(body),
                };
            }
            case "DestroyVmInstance":
                return {
                    method: "DELETE",
                    target: `/zstack/v1/vm-instances/${enc(str("uuid"))}${p.deleteMode ? `?deleteMode=${enc(String(p.deleteMode))}` : ""}`,
                };
            case "ExpungeVmInstance":
                return {
                    method: "PUT",
                    target: `/zstack/v1/vm-instances/${enc(str("uuid"))}/actions`,
                    body: JSON.stringify({ expungeVmInstance: {} }),
                };
            default:
                return new Error(`the emulator does not serve ${m.full}`);
        }
    }
}
