/**
 * The plugin's `Provider` (the interface of `@pulumi/pulumi/provider`): routes each call by resource token to the same
 * provider object the dynamic resources use, and translates what differs between the two hosts:
 *
 * - the restore token: a dynamic resource class computes it from project, stack and name; here it comes from the URN
 *   (the same three parts, so the same token for the same declared resource; a drill's is its own, as its class's);
 * - secrets: the engine sends and expects them wrapped (see ./secrets);
 * - `customTimeouts`: the engine sends the operation's limit with create, update and delete; it becomes that
 *   operation's entry in `timeouts`, which the providers enforce (the state keeps the `timeouts` the program declared);
 * - `pulumi import`: a read with no old state goes to the resource's importer (provider/<cloud>/<x>Import.ts), which parses the import id
 *   (its format is in ./resources and the docs) and reads the existing resource;
 * - configuration: one object per cloud (see ./config), handed to every provider's `configure`.
 */
import { AsyncLocalStorage } from "async_hooks";
import type * as provider from "@pulumi/pulumi/provider";
import { asResource } from "../provider/core/progress";
import { redact } from "../provider/core/redact";
import { checkEnvironmentSettings } from "../provider/core/settings";
import { CLOUD_SETTINGS, pluginConfigSource, pluginKey } from "./config";
import { invokeFunction } from "./functions";
import type { ConfigSource } from "../provider/core/config";
import { PluginResource, resourceByToken, tokenFor, tokenOf, RESOURCES } from "./resources";
import { toWire, unwrapProps } from "./secrets";
import { ImportIdError, quoteId } from "../provider/core/importId";

/** What the engine sent with the current create, update or delete (set by ./serve around each call). */
export interface RequestScope {
    /** `customTimeouts` of this operation, in seconds; 0 or absent when the program set none. */
    timeoutSeconds?: number;
    /** The resource being worked on: progress lines are shown under it. */
    urn?: string;
}

/** The scope of the request being served; ./serve runs each create, update and delete inside it. */
export const requestScope = new AsyncLocalStorage<RequestScope>();

/** Runs `f` with `urn` added to the request's scope. */
function underUrn<T>(urn: string, f: () => Promise<T>): Promise<T> {
    // Progress lines name the resource as the program declared it (the URN's last part), as they do for dynamic ones.
    let name: string | undefined;
    try {
        name = parseUrn(urn).name;
    } catch {
        name = undefined;
    }
    return requestScope.run({ ...requestScope.getStore(), urn }, () => asResource(name, f));
}

/** Project, stack and name of a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
export function parseUrn(urn: string): { stack: string; project: string; type: string; name: string } {
    const parts = urn.split("::");
    if (parts.length < 4 || !parts[0].startsWith("urn:pulumi:")) throw new Error(`not a resource URN: ${urn}`);
    return {
        stack: parts[0].slice("urn:pulumi:".length),
        project: parts[1],
        type: parts[2].split("$").pop() as string,
        // A name may itself contain "::".
        name: parts.slice(3).join("::"),
    };
}

type Op = "create" | "update" | "delete";
type Props = Record<string, unknown>;
/** An error as providers throw it: a partial-state error carries the id, properties and reasons. */
type ProviderError = Error & { id?: string; properties?: Props; reasons?: string[] };

/** The provider plugin: see the module comment. */
export class RestorePlugin implements provider.Provider {
    readonly version: string;
    private readonly schemaText: () => string;

    constructor(o: { version: string; schema: () => string }) {
        this.version = o.version;
        this.schemaText = o.schema;
    }

    async getSchema(): Promise<string> {
        return this.schemaText();
    }

    /**
     * The provider's configuration (Configure's `args`): one object per cloud. Every provider gets the same source, as
     * every dynamic provider gets the whole stack config. A malformed setting fails here, naming the key.
     */
    async configure(args: Record<string, unknown>): Promise<void> {
        const source = pluginConfigSource(args);
        this.source = source;
        for (const r of RESOURCES) await r.provider().configure({ config: source });
    }

    /** The configuration (kept in memory only), for the lookup functions. */
    private source: ConfigSource = { get: () => undefined };

    /**
     * The lookup functions (`getBackups`, `getLatestBackup` of each cloud): read-only, so the engine may call them at
     * preview. Settings come from this provider's configuration, as for the resources; messages are redacted.
     */
    async invoke(token: string, inputs: unknown): Promise<provider.InvokeResult> {
        const args = unwrapProps(inputs as Record<string, unknown>).props;
        try {
            return { outputs: await invokeFunction(token, args, () => this.source) };
        } catch (e) {
            throw new Error(this.text((e as Error).message ?? String(e)));
        }
    }

    async check(urn: string, olds: unknown, news: unknown): Promise<provider.CheckResult> {
        return underUrn(urn, async () => {
            const r = this.resource(urn);
            const o = unwrapProps(olds as Record<string, unknown>);
            const n = unwrapProps(news as Record<string, unknown>);
            const { project, stack, name } = parseUrn(urn);
            // Set here, as the resource class sets it: the plugin's schema has no such input.
            const inputs = { ...n.props, restoreToken: tokenFor(r, project, stack, name) };
            const res = await this.guard(() => r.provider().check(o.props, inputs));
            return {
                inputs: res.inputs === undefined ? undefined : toWire(res.inputs as Props, secretNames(r, n.secret)),
                failures: res.failures?.map((f) => ({ property: f.property, reason: this.text(f.reason) })),
            };
        });
    }

    async diff(id: string, urn: string, olds: unknown, news: unknown): Promise<provider.DiffResult> {
        return underUrn(urn, async () => {
            const r = this.resource(urn);
            const o = unwrapProps(olds as Record<string, unknown>).props;
            const n = unwrapProps(news as Record<string, unknown>).props;
            const res = await this.guard(() => r.provider().diff(id, o, n));
            return { changes: res.changes, replaces: res.replaces, deleteBeforeReplace: res.deleteBeforeReplace };
        });
    }

    async create(urn: string, inputs: unknown): Promise<provider.CreateResult> {
        return underUrn(urn, async () => {
            const r = this.resource(urn);
            const n = unwrapProps(inputs as Record<string, unknown>);
            const secret = secretNames(r, n.secret);
            const declared = n.props.timeouts;
            const checked = await this.recheck(r, urn, n.props, "Create");
            const res = await this.guard(() => r.provider().create(withTimeout(checked, "create")), secret, declared);
            return { id: res.id, outs: toWire(keepTimeouts(res.outs, declared), secret) };
        });
    }

    async read(id: string, urn: string, props?: unknown): Promise<provider.ReadResult> {
        return underUrn(urn, async () => {
            const r = this.resource(urn);
            const p = unwrapProps(props as Record<string, unknown> | undefined);
            if (Object.keys(p.props).length === 0) return this.importRead(r, id, urn);
            const res = await this.guard(() => r.provider().read(id, p.props));
            // An empty id tells the engine the resource is gone.
            if (!res.id) return { id: "", props: {} };
            return { id: res.id, props: toWire(res.props as Record<string, unknown>, secretNames(r, p.secret)) };
        });
    }

    async update(id: string, urn: string, olds: unknown, news: unknown): Promise<provider.UpdateResult> {
        return underUrn(urn, async () => {
            const r = this.resource(urn);
            const o = unwrapProps(olds as Record<string, unknown>);
            const n = unwrapProps(news as Record<string, unknown>);
            const secret = secretNames(r, new Set([...o.secret, ...n.secret]));
            const declared = n.props.timeouts;
            const checked = await this.recheck(r, urn, n.props, "Update");
            const update = () => r.provider().update(id, o.props, withTimeout(checked, "update"));
            const res = await this.guard(update, secret, declared);
            return { outs: toWire(keepTimeouts(res.outs, declared), secret) };
        });
    }

    async delete(id: string, urn: string, props: unknown): Promise<void> {
        return underUrn(urn, async () => {
            const r = this.resource(urn);
            const p = unwrapProps(props as Record<string, unknown>);
            await this.guard(() => r.provider().delete(id, withTimeout(p.props, "delete")));
        });
    }

    /**
     * The inputs of a create or update, checked again: the engine may send inputs that Check never saw (an import,
     * state written by an older version, another tool speaking the protocol), and nothing unchecked may reach the
     * cloud. The normalised inputs are returned; any failure stops the write, naming each property.
     */
    private async recheck(r: PluginResource, urn: string, news: Props, op: string): Promise<Props> {
        const { project, stack, name } = parseUrn(urn);
        const inputs = { ...news, restoreToken: tokenFor(r, project, stack, name) };
        const res = await this.guard(() => r.provider().check({}, inputs));
        if (res.failures && res.failures.length > 0) {
            const list = res.failures.map((f) => this.text(f.reason)).join("; ");
            throw new Error(`${op} of ${tokenOf(r)} refused: its inputs do not pass check: ${list}`);
        }
        return (res.inputs as Props | undefined) ?? inputs;
    }

    /**
     * `pulumi import`: the engine reads with no old state and records the id, outputs and inputs returned. The import
     * id is the resource's own id where the cloud reports everything its inputs need, else that id with what the cloud
     * does not report (./resources gives each format); the importer parses it and reads the resource.
     */
    private async importRead(r: PluginResource, id: string, urn: string): Promise<provider.ReadResult> {
        if (!r.import) {
            throw new Error(
                `${tokenOf(r)} cannot be imported: a restore drill leaves nothing in the cloud to import; declare it ` +
                    "instead (its next `pulumi up` runs it)",
            );
        }
        const spec = r.import;
        const { project, stack, name } = parseUrn(urn);
        const restoreToken = tokenFor(r, project, stack, name);
        const found = await this.guard(async () => {
            checkEnvironmentSettings(process.env);
            try {
                return await spec.load()(id, { restoreToken, config: this.source });
            } catch (e) {
                if (!(e instanceof ImportIdError)) throw e;
                throw new Error(
                    `cannot import ${tokenOf(r)}: the import id ${quoteId(id)} ${e.message}. The import id is ` +
                        `${spec.format}, e.g. \`pulumi import ${tokenOf(r)} <name> ${spec.example}\``,
                );
            }
        });
        if (!found) throw new Error(`${tokenOf(r)} ${id} does not exist (or is being deleted); nothing to import`);
        const secret = secretNames(r, new Set());
        return {
            id: found.id,
            props: toWire({ ...found.outs, restoreToken }, secret),
            inputs: toWire(found.inputs, secret),
        };
    }

    private resource(urn: string): PluginResource {
        const { type } = parseUrn(urn);
        const r = resourceByToken(type);
        if (!r) {
            throw new Error(`unknown resource type ${type}; this provider serves ${RESOURCES.map(tokenOf).join(", ")}`);
        }
        return r;
    }

    /**
     * Runs a provider method. Errors keep their shape (a partial-state error's id, properties and reasons reach the
     * engine, which records the resource), with the properties prepared for the wire (secrets wrapped, the declared
     * `timeouts` kept) and config keys spelt as this plugin reads them.
     */
    private async guard<T>(f: () => Promise<T>, secret: Iterable<string> = [], declaredTimeouts?: unknown): Promise<T> {
        try {
            return await f();
        } catch (e) {
            const err = e as ProviderError;
            const out = new Error(this.text(err.message ?? String(e))) as ProviderError;
            out.name = err.name;
            if (err.id) {
                out.id = err.id;
                const { __provider: _dropped, ...props } = err.properties ?? {};
                out.properties = toWire(keepTimeouts(props, declaredTimeouts), secret);
                out.reasons = (err.reasons ?? []).map((x) => this.text(x));
            }
            throw out;
        }
    }

    /**
     * Messages name config keys as the dynamic resources read them (`pulumi config set alicloud:region ...`); here they
     * are `pulumi-restore:alicloud.region` (set with `--path`). Redacted again, as every message leaving a provider.
     */
    private text(message: string): string {
        let t = message;
        for (const c of CLOUD_SETTINGS) {
            for (const s of Object.values(c.settings)) {
                for (const key of s.config) {
                    const plugin = pluginKey(key);
                    const set = "pulumi config set";
                    t = t.split(`${set} --secret ${key}`).join(`${set} --secret --path ${plugin}`);
                    t = t.split(`${set} ${key}`).join(`${set} --path ${plugin}`);
                    // The key standing alone (not inside a longer key or word).
                    const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
                    const alone = new RegExp(`(^|[^\\w.:-])${escaped}(?![\\w])`, "g");
                    t = t.replace(alone, `$1${plugin}`);
                }
            }
        }
        return redact(t);
    }
}

/** Secret top-level properties: those the resource declares secret, and any that arrived secret. */
function secretNames(r: PluginResource, arrived: Set<string>): Set<string> {
    return new Set([...r.secretInputs, ...arrived]);
}

/** The inputs with the engine's time limit for `op` (customTimeouts) in `timeouts`, where the program set one. */
function withTimeout(props: Record<string, unknown>, op: Op): Record<string, unknown> {
    const seconds = requestScope.getStore()?.timeoutSeconds;
    if (!seconds || !(seconds > 0)) return props;
    const declared = props.timeouts && typeof props.timeouts === "object" ? (props.timeouts as Props) : {};
    return { ...props, timeouts: { ...declared, [op]: `${seconds}s` } };
}

/** Outputs with `timeouts` as the program declared it (a customTimeouts limit is the engine's, not state). */
function keepTimeouts(outs: Record<string, unknown> | undefined, declared: unknown): Record<string, unknown> {
    const o = { ...(outs ?? {}) };
    if (declared === undefined) delete o.timeouts;
    else o.timeouts = declared;
    return o;
}
