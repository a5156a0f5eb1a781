import { createHash } from "crypto";
import * as nodeModule from "module";
import * as path from "path";
import type * as pulumi from "@pulumi/pulumi";
import { ConfigSnapshot, ConfigSource, misspeltConfigKeys, snapshotConfig } from "./config";
import { PartialStateError } from "./errors";
import { Clock, systemClock } from "./clock";
import { OperationDeadline, withDeadline } from "./deadline";
import { parseDuration } from "./duration";
import type { Transport } from "./http";
import type { PollSchedule } from "./poller";
import { asResource } from "./progress";
import { redact, registerSecret } from "./redact";
import { CheckFailure, isUnknown } from "./validate";
import { RESERVED_KEY_REASON, hygieneFailures, withHygiene } from "./hygiene";

/** The key under which the dynamic-provider host keeps the serialized provider. */
export const PROVIDER_KEY = "__provider";

/**
 * The key under which a resource class passes its Pulumi resource name to the provider (the dynamic-provider host
 * gives a provider only properties, no URN). It only names the resource in progress lines: {@link ProviderBase} takes
 * it off before the provider's own code sees the properties and puts it back on what the call returns, so it is never
 * validated, compared or sent anywhere, and renaming a resource (with an alias) changes nothing in the cloud.
 */
export const NAME_KEY = "__resourceName";

/**
 * The key under which a resource class passes the names of the inputs the program marked secret (names, never
 * values). Like {@link NAME_KEY}, taken off before the provider's code sees the properties and put back on what the
 * call returns; {@link ProviderBase} registers the values of those inputs for redaction.
 */
export const SECRET_NAMES_KEY = "__secretInputs";

/** The keys a resource class adds for {@link ProviderBase}, never seen by a provider's own code. */
const CARRIED_KEYS = [NAME_KEY, SECRET_NAMES_KEY];

/** Inputs every resource of this package carries besides its own. */
export interface CommonInputs {
    /** Deterministic token from project, stack and resource name, set by the resource class. */
    restoreToken: string;
}

/** JSON with object keys sorted, so equal values give equal text. */
export function stableJson(v: unknown): string {
    if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
    if (v && typeof v === "object") {
        const o = v as Record<string, unknown>;
        return `{${Object.keys(o)
            .filter((k) => o[k] !== undefined)
            .sort()
            .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
            .join(",")}}`;
    }
    return JSON.stringify(v ?? null);
}

/** sha256 hex of the stable JSON of a value, shortened. */
export function digest(v: unknown, length = 16): string {
    return createHash("sha256")
        .update(typeof v === "string" ? v : stableJson(v))
        .digest("hex")
        .slice(0, length);
}

/**
 * The restore token: a deterministic name for "this declared resource", from project, stack and resource name.
 * Created resources are tagged (or named) with it, so that after a lost answer or a crash the provider finds what the
 * earlier attempt made instead of restoring twice.
 */
export function restoreToken(project: string, stack: string, name: string): string {
    return `prt-${digest(`${project}\u0000${stack}\u0000${name}`, 20)}`;
}

/** Diff rules of one resource type. */
export interface DiffRules {
    /** Inputs consumed when the cloud resource is created: a change means a new one. */
    replace: readonly string[];
    /** Inputs that are applied in place by `update`. */
    update: readonly string[];
    /** Inputs that never cause a change (kept in state for reference). */
    ignore?: readonly string[];
}

/** What a diff found, in the dynamic provider's result shape. */
export interface DiffOutcome {
    changes: boolean;
    replaces: string[];
    /** Every property that differs, for messages. */
    changed: string[];
    deleteBeforeReplace: boolean;
}

/**
 * Compares old outputs with new inputs. `__provider` and ignored keys never count (upgrading this package must not
 * touch resources). Keys the rules do not name count as replacements: nothing is accepted as an update that would
 * silently do nothing. When only replacement-free keys changed, `replaces` is empty.
 */
export function diffProps(olds: Record<string, unknown>, news: Record<string, unknown>, rules: DiffRules): DiffOutcome {
    const ignore = new Set<string>([PROVIDER_KEY, "restoreToken", "timeouts", ...(rules.ignore ?? [])]);
    const keys = new Set([...Object.keys(news), ...rules.replace, ...rules.update]);
    const changed: string[] = [];
    for (const k of keys) {
        if (ignore.has(k)) continue;
        const n = news[k];
        const o = olds[k];
        if (isUnknown(n) || stableJson(emptyToUndefined(o)) !== stableJson(emptyToUndefined(n))) changed.push(k);
    }
    // Time-outs change nothing in the cloud, but must be kept up to date in state: an in-place update.
    const timeoutsChanged = stableJson(olds.timeouts ?? null) !== stableJson(news.timeouts ?? null);
    const replaces = changed.filter((k) => !rules.update.includes(k));
    return {
        changes: changed.length > 0 || timeoutsChanged,
        replaces,
        changed: timeoutsChanged ? [...changed, "timeouts"] : changed,
        deleteBeforeReplace: false,
    };
}

function emptyToUndefined(v: unknown): unknown {
    if (v === "" || v === null) return undefined;
    if (Array.isArray(v) && v.length === 0) return undefined;
    if (v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0) return undefined;
    return v;
}

/** Builds the partial-state error for an id the cloud assigned, keeping `__provider` so a later delete can load us. */
export function partialState(
    id: string,
    outputs: Record<string, unknown>,
    inputs: Record<string, unknown>,
    reasons: string[],
): PartialStateError {
    return new PartialStateError(id, { ...outputs, [PROVIDER_KEY]: inputs[PROVIDER_KEY] }, reasons);
}

/** The methods the dynamic-provider host calls. */
export type ProviderMethods = Required<
    Pick<pulumi.dynamic.ResourceProvider, "check" | "diff" | "create" | "read" | "update" | "delete">
> & {
    configure(req: { config: ConfigSource }): Promise<void>;
};

/** The provider methods the host calls with resource properties. */
const PROPERTY_METHODS = ["check", "diff", "create", "read", "update", "delete"] as const;

/**
 * Base of every provider: keeps the stack config captured in `configure(req)` in memory only (never serialized,
 * never in state), and lists which config keys it reads.
 *
 * It is also the one place where secret inputs are registered for redaction: every method the host calls with
 * properties (check, diff, create, read, update, delete) first registers the values of {@link secretInputs} found in
 * its arguments (old and new inputs, old outputs), before the provider's own code runs. A vendor error quoting a
 * password, a progress line or a partial-state reason therefore cannot carry it, whichever method met it first.
 */
export abstract class ProviderBase {
    /** The config keys this provider reads, full names (`alicloud:accessKey`). */
    protected abstract readonly configKeys: string[];
    /** The subset of {@link configKeys} that hold secrets. */
    protected abstract readonly secretConfigKeys: string[];
    /** Top-level input names of this resource that hold secrets (the resource class marks the same ones secret). */
    protected abstract readonly secretInputs: readonly string[];
    protected config: ConfigSnapshot = {};

    constructor() {
        // Wraps the subclass's methods (already on the prototype chain when this runs); `secretInputs` is read at call
        // time, after the subclass's fields are set.
        const self = this as unknown as Record<string, unknown>;
        for (const m of PROPERTY_METHODS) {
            const own = self[m];
            if (typeof own !== "function") continue;
            self[m] = (...args: unknown[]) => {
                this.registerSecretInputs(args);
                const name = nameIn(args);
                const deadline = this.deadlineOf(m, args);
                const direct = () =>
                    withDeadline(deadline, () =>
                        (own as (...a: unknown[]) => unknown).apply(this, args.map(withoutName)),
                    );
                const call = m === "check" ? () => checkWithHygiene(direct, args[1]) : direct;
                if (name === undefined) return call();
                return asResource(name, async () => {
                    try {
                        return withName(m, await call(), name, carriedIn(args, SECRET_NAMES_KEY));
                    } catch (e) {
                        // Partial state is saved as the resource's outputs: it keeps the name like a success would.
                        if (e instanceof PartialStateError) {
                            e.properties[NAME_KEY] = name;
                            const marked = carriedIn(args, SECRET_NAMES_KEY);
                            if (marked !== undefined) e.properties[SECRET_NAMES_KEY] = marked;
                        }
                        throw e;
                    }
                });
            };
        }
    }

    /** Registers every secret input value found in property arguments (strings only; unknowns are not values). */
    private registerSecretInputs(args: unknown[]): void {
        for (const a of args) {
            if (!a || typeof a !== "object" || Array.isArray(a)) continue;
            for (const name of this.secretInputs) {
                const v = (a as Record<string, unknown>)[name];
                if (typeof v === "string" && !isUnknown(v)) registerSecret(v);
            }
            const marked = (a as Record<string, unknown>)[SECRET_NAMES_KEY];
            if (Array.isArray(marked))
                for (const n of marked) if (typeof n === "string") registerStrings((a as Record<string, unknown>)[n]);
        }
    }

    /**
     * The deadline the resource sets for a create, update or delete (`timeouts.<op>` in the new inputs, or in the old
     * outputs for a delete), on the provider's clock; undefined when it sets none (the provider's default applies to
     * its waits, and a single call's retries are bounded by the backoff policy).
     */
    private deadlineOf(method: string, args: unknown[]): OperationDeadline | undefined {
        const op = method === "create" || method === "update" || method === "delete" ? method : undefined;
        if (!op) return undefined;
        // create(inputs), update(id, olds, news), delete(id, props)
        const props = op === "create" ? args[0] : op === "update" ? args[2] : args[1];
        const timeouts = props && typeof props === "object" ? (props as { timeouts?: unknown }).timeouts : undefined;
        const text = timeouts && typeof timeouts === "object" ? (timeouts as Record<string, unknown>)[op] : undefined;
        const ms = typeof text === "string" && !isUnknown(text) ? parseDuration(text) : undefined;
        if (!ms) return undefined;
        const clock = (this as { deps?: { clock?: Clock } }).deps?.clock ?? systemClock;
        return { name: `timeouts.${op}`, ms, deadline: clock.now() + ms };
    }

    async configure(req: { config: ConfigSource }): Promise<void> {
        const typos = misspeltConfigKeys(req.config, this.configKeys);
        if (typos.length > 0) {
            const allowed = this.configKeys.join(", ");
            throw new Error(`stack config ${typos.join(", ")} is not a setting of this package; allowed: ${allowed}`);
        }
        this.config = snapshotConfig(req.config, this.configKeys, this.secretConfigKeys);
    }
}

/**
 * A check with the input hygiene every resource shares (./hygiene) in front: its failures come first, and a provider's
 * own check never sees a key that reaches into the object machinery.
 */
async function checkWithHygiene(check: () => unknown, news: unknown): Promise<unknown> {
    const inputs = news && typeof news === "object" ? (news as Record<string, unknown>) : {};
    const hygiene = hygieneFailures(inputs);
    if (hygiene.some((f) => f.reason.includes(RESERVED_KEY_REASON))) return { inputs, failures: hygiene };
    const r = (await check()) as { inputs?: Record<string, unknown>; failures?: CheckFailure[] };
    // A rule may quote what it got: never a value registered as secret (one the program marked, for instance).
    const failures = withHygiene(hygiene, r.failures).map((f) => ({ ...f, reason: redact(f.reason) }));
    return { ...r, failures };
}

/** Registers every string inside a value for redaction (an input the program marked secret). */
function registerStrings(v: unknown): void {
    if (typeof v === "string") {
        if (!isUnknown(v)) registerSecret(v);
    } else if (Array.isArray(v)) v.forEach(registerStrings);
    else if (v && typeof v === "object") Object.values(v as Record<string, unknown>).forEach(registerStrings);
}

/** The resource name a property argument carries (the last one that has it: the new inputs, where both are passed). */
function nameIn(args: unknown[]): string | undefined {
    let name: string | undefined;
    for (const a of args) {
        if (a && typeof a === "object" && !Array.isArray(a)) {
            const v = (a as Record<string, unknown>)[NAME_KEY];
            if (typeof v === "string" && v !== "") name = v;
        }
    }
    return name;
}

/** The value of `key` in the last property argument that has it (the new inputs, where both are passed). */
function carriedIn(args: unknown[], key: string): unknown {
    let found: unknown;
    for (const a of args)
        if (a && typeof a === "object" && !Array.isArray(a) && key in (a as object))
            found = (a as Record<string, unknown>)[key];
    return found;
}

function withoutName(a: unknown): unknown {
    if (!a || typeof a !== "object" || Array.isArray(a) || !CARRIED_KEYS.some((k) => k in (a as object))) return a;
    const { [NAME_KEY]: _name, [SECRET_NAMES_KEY]: _marked, ...rest } = a as Record<string, unknown>;
    return rest;
}

/**
 * Puts the name (and the names of inputs marked secret, when the call had them) back on the properties a call returns
 * (check's inputs, create's and update's outputs, read's).
 */
function withName(method: (typeof PROPERTY_METHODS)[number], result: unknown, name: string, marked: unknown): unknown {
    if (!result || typeof result !== "object") return result;
    const r = result as Record<string, unknown>;
    const carried = marked === undefined ? { [NAME_KEY]: name } : { [NAME_KEY]: name, [SECRET_NAMES_KEY]: marked };
    const add = (k: string) => {
        const v = r[k];
        if (v && typeof v === "object" && !Array.isArray(v)) r[k] = { ...(v as Record<string, unknown>), ...carried };
    };
    if (method === "check") add("inputs");
    else if (method === "create" || method === "update") add("outs");
    else if (method === "read") {
        add("props");
        add("inputs");
    }
    return r;
}

/**
 * How the host finds a provider module: the package-relative id (`pulumi-restore/dist/provider/...`) when this package
 * is installed in node_modules, so state stays portable between machines; the absolute file path when running from a
 * source checkout (the host then needs ts-node for `.ts` files: the harness and `npm run demo` set NODE_OPTIONS).
 */
export function providerModuleId(resolvedPath: string): string {
    const norm = resolvedPath.split(path.sep).join("/");
    const i = norm.lastIndexOf("/node_modules/");
    if (i < 0) return norm;
    return norm.slice(i + "/node_modules/".length).replace(/\.(js|ts)$/, "");
}

/**
 * The object handed to `pulumi.dynamic.Resource`: a few arrow functions that load the provider module by id inside
 * the dynamic-provider host and forward to its `provider`. The serialized `__provider` text therefore holds only this
 * shim and a module id: no code of ours, no configuration, no credentials, no environment.
 */
export function delegatingProvider(moduleId: string): pulumi.dynamic.ResourceProvider {
    // Resolved from the host's working directory (the Pulumi project), where this package is installed.
    return providerEntry(() => nodeModule.createRequire(`${process.cwd()}/`)(moduleId).provider);
}

/**
 * The exports of a provider's entry module (`provider/<cloud>/<x>Entry.ts`): the methods the dynamic-provider host
 * calls, forwarding to the provider that `load` returns (loaded on the first call, inside the host).
 */
export function providerEntry(load: () => ProviderMethods): pulumi.dynamic.ResourceProvider {
    return {
        configure: (req) => load().configure(req as unknown as { config: ConfigSource }),
        check: (olds, news) => load().check(olds, news),
        diff: (id, olds, news) => load().diff(id, olds, news),
        create: (inputs) => load().create(inputs),
        read: (id, props) => load().read(id, props),
        update: (id, olds, news) => load().update(id, olds, news),
        delete: (id, props) => load().delete(id, props),
    };
}

/**
 * The provider object a resource class hands to `pulumi.dynamic.Resource`.
 *
 * Installed in node_modules, it is the exports object of the entry module: the SDK's serializer records a module
 * found in node_modules as a bare `require("pulumi-restore/dist/provider/<cloud>/<x>Entry")`, so `__provider` is a
 * few hundred bytes and holds no code of ours. From a source checkout (or a linked package outside node_modules) the
 * serializer would copy a module's code by value, so it gets {@link delegatingProvider} with the file's path instead.
 *
 * @param providerPath `require.resolve` of the provider module
 * @param entry `() => require("<the entry module>")`
 */
export function resourceProvider(
    providerPath: string,
    entry: () => pulumi.dynamic.ResourceProvider,
): pulumi.dynamic.ResourceProvider {
    const id = providerModuleId(providerPath);
    return isInstalled(providerPath) ? entry() : delegatingProvider(id);
}

function isInstalled(resolvedPath: string): boolean {
    return resolvedPath.split(path.sep).join("/").includes("/node_modules/");
}

/** What every provider depends on; tests inject a transport, a clock and an environment. */
export interface ProviderDeps {
    clock: Clock;
    /** How requests are sent (default: axios, see `AxiosTransport`). */
    transport?: Transport;
    env: NodeJS.ProcessEnv;
    /** How waits poll (default: `effectiveSchedule(env)`, see `scheduleOf`). */
    schedule?: PollSchedule;
    /** How long to keep looking for the effect of a create call whose outcome is unknown before stopping (ms). */
    settleMs: number;
    random?: () => number;
}

/**
 * A provider's dependencies: `defaults` with what the caller gave laid over them, where an explicit `undefined` keeps
 * the default (spreading `{ clock: undefined }` after the defaults would erase the clock).
 */
export function withDefaults<D extends object, G extends object>(defaults: D, given: G): D & G {
    const out = { ...defaults } as Record<string, unknown>;
    for (const [k, v] of Object.entries(given)) if (v !== undefined) out[k] = v;
    return out as D & G;
}
