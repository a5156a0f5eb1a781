/**
 * A small stand-in for the Pulumi engine, for tests and the CLI-less demo: it runs a Pulumi program under
 * `pulumi.runtime.setMocks`, forwards every dynamic resource registration to the real dynamic-provider host
 * (Check, Diff, Create, Update, Delete, Read), keeps state between steps, and saves that state with secrets encrypted
 * the way the engine does. Other resources (e.g. @pulumi/alicloud VPCs) get mock ids. It is not the Pulumi engine:
 * no plugins, no parents' cascading, no parallelism limits, no dependency-aware deletes beyond reverse creation order.
 */
import { createCipheriv, createHash, randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { HostError, HostOptions, ProviderHost } from "./host";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- an SDK module outside its public API, typed here by what this file uses
const { MockMonitor } = require("@pulumi/pulumi/runtime/mocks") as {
    MockMonitor: new (mocks: pulumi.runtime.Mocks) => { registerResource(req: unknown, cb: unknown): Promise<void> };
};

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const DYNAMIC = /^pulumi-nodejs:dynamic/;
/** Suffix of the state key of a replaced resource whose delete has not happened yet. */
const PENDING_DELETE = "#pending-delete";

type Props = Record<string, unknown>;

/** One resource in the harness's state. */
export interface ResourceState {
    urn: string;
    type: string;
    name: string;
    id: string;
    inputs: Props;
    outputs: Props;
    /** Keys stored encrypted: secret inputs, and additionalSecretOutputs. */
    secretKeys: string[];
    initErrors?: string[];
    retainOnDelete?: boolean;
    protect?: boolean;
    custom: boolean;
}

/** What one step did. */
export interface StepRecord {
    op: "create" | "update" | "replace" | "delete" | "same" | "read" | "refresh-delete";
    urn: string;
    detail?: string;
}

/** Result of a preview, up, refresh or destroy. */
export interface RunResult {
    steps: StepRecord[];
    errors: Error[];
    /** The program's returned outputs (up/preview). */
    outputs?: unknown;
}

/** A check failure list raised as an error, as `pulumi preview` prints it. */
export class CheckFailed extends Error {
    constructor(
        readonly urn: string,
        readonly failures: { property: string; reason: string }[],
    ) {
        super(`${urn}: check failed:\n${failures.map((f) => `  - ${f.reason}`).join("\n")}`);
        this.name = "CheckFailed";
    }
}

/** Options of an {@link Engine}. */
export interface EngineOptions extends HostOptions {
    /** The stack config, namespaced keys (`alicloud:region`), as `pulumi config` holds it. */
    config?: Record<string, string>;
    /** Config keys that are secrets (stored encrypted). */
    secretConfigKeys?: string[];
    /**
     * Ids of non-dynamic resources (e.g. `alicloud:vpc/network:Network`), which get mock ids; default
     * {@link defaultMockId}: a cloud-like id for the known Alibaba Cloud VPC types, else `<name>-mock-id`.
     */
    mockId?: (type: string, name: string) => string;
}

/** Prefixes of Alibaba Cloud ids by resource type, so mock VPCs and VSwitches pass the id checks of real inputs. */
const MOCK_ID_PREFIX: Record<string, string> = {
    "alicloud:vpc/network:Network": "vpc-",
    "alicloud:vpc/switch:Switch": "vsw-",
    "alicloud:resourcemanager/resourceGroup:ResourceGroup": "rg-",
};

/** `vpc-` and 17 characters derived from the name for known types; `<name>-mock-id` otherwise. */
export function defaultMockId(type: string, name: string): string {
    const prefix = MOCK_ID_PREFIX[type];
    if (!prefix) return `${name}-mock-id`;
    return prefix + createHash("sha256").update(`${type}\u0000${name}`).digest("hex").slice(0, 17);
}

/**
 * Turns the mock monitor's view of inputs into what the engine sends the dynamic-provider host: secrets unwrapped
 * (the host does not accept secrets, so the engine sends plain values), and values unknown at preview as the engine's
 * unknown sentinel string. The mock monitor deserializes that sentinel into the SDK's `Unknown` object, which would
 * otherwise reach the host as `{"__pulumiUnknown": true}`; the engine sends the string, and check() receives it as is.
 */
export function toEngineValue(v: unknown): { value: unknown; secret: boolean } {
    if (pulumi.isUnknown(v)) return { value: UNKNOWN, secret: false };
    if (v && typeof v === "object" && !Array.isArray(v)) {
        const o = v as Props;
        if (o[SIG] === SECRET_SIG) return { value: toEngineValue(o.value).value, secret: true };
        const out: Props = {};
        let secret = false;
        for (const [k, x] of Object.entries(o)) {
            const r = toEngineValue(x);
            if (r.value !== undefined) out[k] = r.value;
            secret = secret || r.secret;
        }
        return { value: out, secret };
    }
    if (Array.isArray(v)) {
        const items = v.map(toEngineValue);
        return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
    }
    return { value: v, secret: false };
}

/** The harness engine. One per test stack; one host process at a time. */
export class Engine {
    readonly project: string;
    readonly stack: string;
    readonly state = new Map<string, ResourceState>();
    /** Order in which resources were created, for reverse-order deletes. */
    private order: string[] = [];
    host?: ProviderHost;
    /** Hosts used so far (their stdout/stderr stay readable after a kill). */
    readonly hosts: ProviderHost[] = [];
    private readonly key = randomBytes(32);
    /** Every error raised in a run, for scanning. */
    readonly allErrors: Error[] = [];

    /** PULUMI_RESTORE_STATE_DIR of this engine's hosts (unless `opts.env` sets it): a fresh temporary directory. */
    readonly stateDir: string;

    constructor(readonly opts: EngineOptions = {}) {
        this.project = opts.project ?? "pulumi-restore-test";
        this.stack = opts.stack ?? "test";
        this.stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-restore-engine-"));
    }

    /** Starts (or restarts after a kill) the dynamic-provider host and sends it Configure. */
    async ensureHost(): Promise<ProviderHost> {
        if (this.host && this.host.alive) return this.host;
        // One start shared by all concurrent registrations: otherwise each would spawn its own host.
        if (!this.starting) {
            this.starting = (async () => {
                const h = await ProviderHost.start(this.hostOptions());
                this.hosts.push(h);
                await h.configure(this.opts.config ?? {});
                this.host = h;
                return h;
            })().finally(() => (this.starting = undefined));
        }
        return this.starting;
    }
    private starting?: Promise<ProviderHost>;

    /** How this engine starts a host (also for callers that start a spare host to hand over later). */
    hostOptions(): HostOptions {
        return {
            ...this.opts,
            // Durable provider state (the Tencent restore journal) lives with this engine's stack, as it would on one
            // machine: it survives host restarts, and tests do not see each other's.
            env: { PULUMI_RESTORE_STATE_DIR: this.stateDir, ...this.opts.env },
            project: this.project,
            stack: this.stack,
        };
    }

    urn(type: string, name: string): string {
        return `urn:pulumi:${this.stack}::${this.project}::${type}::${name}`;
    }

    /** `pulumi preview`: Check and Diff only; nothing is created, updated or deleted. */
    preview(program: () => unknown): Promise<RunResult> {
        return this.run(program, true);
    }

    /** `pulumi up`. */
    up(program: () => unknown): Promise<RunResult> {
        return this.run(program, false);
    }

    private async run(program: () => unknown, preview: boolean): Promise<RunResult> {
        const steps: StepRecord[] = [];
        const errors: Error[] = [];
        const seen = new Set<string>();
        const pendingOpts = new Map<string, { secretOutputs: string[]; retainOnDelete: boolean; protect: boolean }>();
        const inflight = new Set<Promise<unknown>>();
        // eslint-disable-next-line @typescript-eslint/no-this-alias -- the monitor below is the SDK's object; its methods reach this engine by name
        const engine = this;

        class HarnessMonitor extends MockMonitor {
            // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's untyped gRPC request and callback
            override async registerResource(req: any, callback: any) {
                pendingOpts.set(`${req.getType()}::${req.getName()}`, {
                    secretOutputs: req.getAdditionalsecretoutputsList(),
                    retainOnDelete: req.getRetainondelete?.() ?? false,
                    protect: req.getProtect?.() ?? false,
                });
                return super.registerResource(req, callback);
            }
        }
        const mocks: pulumi.runtime.Mocks = {
            call: (args) => {
                throw new Error(`the harness does not implement invoke ${args.token}`);
            },
            newResource: (args) => {
                const p = (async () => {
                    const urn = engine.urn(args.type, args.name);
                    seen.add(urn);
                    const o = pendingOpts.get(`${args.type}::${args.name}`) ?? {
                        secretOutputs: [],
                        retainOnDelete: false,
                        protect: false,
                    };
                    if (!DYNAMIC.test(args.type)) return engine.plainResource(urn, args, preview, steps);
                    try {
                        return await engine.dynamicResource(urn, args, o, preview, steps);
                    } catch (e) {
                        const err = e instanceof Error ? e : new Error(String(e));
                        errors.push(err);
                        engine.allErrors.push(err);
                        throw err;
                    }
                })();
                inflight.add(p);
                p.catch(() => undefined).finally(() => inflight.delete(p));
                return p;
            },
        };
        await pulumi.runtime.setMocks(mocks, this.project, this.stack, preview);
        pulumi.runtime.setMockOptions(new HarnessMonitor(mocks), this.project, this.stack, preview);
        // `pulumi up` caches a dynamic provider's serialization per provider object (PULUMI_NODEJS_CACHE_DYNAMIC_PROVIDERS,
        // default on); setMocks turns that off, so turn it back on as the CLI has it.
        enableProviderCache();
        const programConfig: Record<string, string> = {};
        for (const [k, v] of Object.entries(this.opts.config ?? {})) programConfig[k] = v;
        pulumi.runtime.setAllConfig(programConfig, this.opts.secretConfigKeys);

        // Registration failures also reject the SDK's own output promises; they are reported through `errors`.
        const swallow = (reason: unknown) => {
            if (!(reason instanceof Error) || !errors.some((e) => e === reason || reason.message.includes(e.message))) {
                errors.push(reason instanceof Error ? reason : new Error(String(reason)));
            }
        };
        process.on("unhandledRejection", swallow);
        let outputs: unknown;
        try {
            try {
                const r = program();
                outputs = await Promise.resolve(r);
                if (outputs && typeof outputs === "object") outputs = await resolveOutputs(outputs, preview);
            } catch (e) {
                if (!errors.some((x) => e instanceof Error && (x === e || e.message.includes(x.message))))
                    errors.push(e instanceof Error ? e : new Error(String(e)));
            }
            // Wait until registrations settle: a resource may register only when another's outputs resolve.
            for (let quiet = 0; quiet < 5;) {
                if (inflight.size > 0) {
                    quiet = 0;
                    await Promise.allSettled([...inflight]);
                } else {
                    quiet++;
                }
                await new Promise((r) => setImmediate(r));
            }
            await new Promise((r) => setTimeout(r, 20));
        } finally {
            process.off("unhandledRejection", swallow);
        }
        if (!preview && errors.length === 0) {
            // Replaced resources left pending deletion by an earlier run are deleted first.
            try {
                await this.deletePending(steps);
            } catch (e) {
                errors.push(e as Error);
                this.allErrors.push(e as Error);
            }
        }
        if (!preview && errors.length === 0) {
            // Resources no longer in the program are deleted, newest first.
            for (const urn of [...this.order].reverse()) {
                if (seen.has(urn) || !this.state.has(urn)) continue;
                try {
                    await this.deleteOne(urn, steps);
                } catch (e) {
                    errors.push(e as Error);
                    this.allErrors.push(e as Error);
                    break;
                }
            }
        } else if (preview) {
            for (const urn of this.order)
                if (!seen.has(urn) && this.state.has(urn)) steps.push({ op: "delete", urn, detail: "would delete" });
        }
        return { steps, errors, outputs };
    }

    private plainResource(urn: string, args: pulumi.runtime.MockResourceArgs, preview: boolean, steps: StepRecord[]) {
        const old = this.state.get(urn);
        const id = old?.id ?? (this.opts.mockId ?? defaultMockId)(args.type, args.name);
        const inputs = toEngineValue(args.inputs).value as Props;
        if (!preview) {
            if (!old) this.order.push(urn);
            this.state.set(urn, {
                urn,
                type: args.type,
                name: args.name,
                id,
                inputs,
                outputs: { ...inputs, id },
                secretKeys: [],
                custom: !!args.custom,
            });
        }
        steps.push({ op: old ? "same" : "create", urn, detail: "mock" });
        return { id, state: { ...inputs, id } };
    }

    private async dynamicResource(
        urn: string,
        args: pulumi.runtime.MockResourceArgs,
        o: { secretOutputs: string[]; retainOnDelete: boolean; protect: boolean },
        preview: boolean,
        steps: StepRecord[],
    ) {
        const host = await this.ensureHost();
        const secretInputKeys: string[] = [];
        const news: Props = {};
        for (const [k, v] of Object.entries(args.inputs as Props)) {
            const r = toEngineValue(v);
            if (r.value === undefined) continue;
            news[k] = r.value;
            if (r.secret) secretInputKeys.push(k);
        }
        const secretKeys = [...new Set([...secretInputKeys, ...o.secretOutputs])];
        const old = this.state.get(urn);
        const checked = await host.check(urn, old?.inputs ?? {}, news);
        if (checked.failures.length > 0) throw new CheckFailed(urn, checked.failures);
        const inputs = checked.inputs;
        const base = {
            urn,
            type: args.type,
            name: args.name,
            secretKeys,
            retainOnDelete: o.retainOnDelete,
            protect: o.protect,
            custom: true,
        };

        if (!old) {
            if (preview) {
                steps.push({ op: "create", urn, detail: "would create" });
                return { id: undefined as unknown as string, state: inputs };
            }
            const created = await this.createOne(urn, inputs, base);
            steps.push({ op: "create", urn });
            return { id: created.id, state: created.outputs };
        }

        const diff = await host.diff(old.id, urn, old.outputs, inputs);
        if (diff.replaces.length > 0) {
            if (preview) {
                steps.push({ op: "replace", urn, detail: `would replace (${diff.replaces.join(", ")})` });
                return { id: old.id, state: old.outputs };
            }
            if (diff.deleteBeforeReplace) {
                await this.deleteOne(urn, steps, true);
                const created = await this.createOne(urn, inputs, base);
                steps.push({ op: "replace", urn, detail: `delete-before-replace (${diff.replaces.join(", ")})` });
                return { id: created.id, state: created.outputs };
            }
            const oldCopy = { ...old };
            this.state.delete(urn);
            let created: ResourceState;
            try {
                created = await this.createOne(urn, inputs, base);
            } catch (e) {
                // The old resource stays in state (as the engine keeps it pending deletion).
                if (!this.state.has(urn)) this.state.set(urn, oldCopy);
                else this.state.set(`${urn}${PENDING_DELETE}`, { ...oldCopy, urn: `${urn}${PENDING_DELETE}` });
                throw e;
            }
            steps.push({ op: "replace", urn, detail: `create-before-delete (${diff.replaces.join(", ")})` });
            if (!oldCopy.retainOnDelete) {
                try {
                    await host.delete(oldCopy.id, urn, oldCopy.outputs);
                } catch (e) {
                    // As the engine does: the replaced resource stays in state, pending deletion, until a later run deletes it.
                    this.state.set(`${urn}${PENDING_DELETE}`, { ...oldCopy, urn: `${urn}${PENDING_DELETE}` });
                    throw e;
                }
            }
            return { id: created.id, state: created.outputs };
        }
        const changed =
            diff.changes === "some" ||
            (diff.changes === "unknown" && JSON.stringify(old.inputs) !== JSON.stringify(inputs));
        if (!changed && !old.initErrors) {
            steps.push({ op: "same", urn });
            // As the engine does on a same step, the resource options of this registration are recorded.
            if (!preview)
                this.state.set(urn, {
                    ...old,
                    inputs,
                    secretKeys,
                    retainOnDelete: o.retainOnDelete,
                    protect: o.protect,
                });
            return { id: old.id, state: old.outputs };
        }
        if (preview) {
            steps.push({ op: "update", urn, detail: "would update" });
            return { id: old.id, state: old.outputs };
        }
        try {
            const updated = await host.update(old.id, urn, old.outputs, inputs);
            this.state.set(urn, { ...base, id: old.id, inputs, outputs: updated.properties });
            steps.push({ op: "update", urn });
            return { id: old.id, state: updated.properties };
        } catch (e) {
            if (e instanceof HostError && e.initFailed)
                this.state.set(urn, {
                    ...base,
                    id: old.id,
                    inputs,
                    outputs: e.initFailed.properties,
                    initErrors: e.initFailed.reasons,
                });
            throw e;
        }
    }

    private async createOne(
        urn: string,
        inputs: Props,
        base: Omit<ResourceState, "id" | "inputs" | "outputs">,
    ): Promise<ResourceState> {
        const host = await this.ensureHost();
        try {
            const r = await host.create(urn, inputs);
            const st: ResourceState = { ...base, id: r.id, inputs, outputs: r.properties };
            this.state.set(urn, st);
            if (!this.order.includes(urn)) this.order.push(urn);
            return st;
        } catch (e) {
            if (e instanceof HostError && e.initFailed) {
                // Partial state: the engine records the resource with its init errors; the next up updates it.
                this.state.set(urn, {
                    ...base,
                    id: e.initFailed.id,
                    inputs,
                    outputs: e.initFailed.properties,
                    initErrors: e.initFailed.reasons,
                });
                if (!this.order.includes(urn)) this.order.push(urn);
            }
            throw e;
        }
    }

    private async deleteOne(urn: string, steps: StepRecord[], forReplace = false): Promise<void> {
        const r = this.state.get(urn);
        if (!r) return;
        if (r.protect) throw new Error(`${urn} is protected: unprotect it before deleting`);
        if (r.custom && DYNAMIC.test(r.type) && !r.retainOnDelete) {
            const host = await this.ensureHost();
            await host.delete(r.id, urn, r.outputs);
        }
        this.state.delete(urn);
        if (!forReplace) {
            this.order = this.order.filter((u) => u !== urn);
            steps.push({ op: "delete", urn });
        }
    }

    /** Deletes replaced resources that are pending deletion (their delete failed or was interrupted). */
    private async deletePending(steps: StepRecord[]): Promise<void> {
        for (const [key, r] of [...this.state]) {
            if (!key.endsWith(PENDING_DELETE)) continue;
            const urn = key.slice(0, -PENDING_DELETE.length);
            if (r.custom && DYNAMIC.test(r.type) && !r.retainOnDelete) {
                const host = await this.ensureHost();
                await host.delete(r.id, urn, r.outputs);
            }
            this.state.delete(key);
            steps.push({ op: "delete", urn, detail: "replaced resource pending deletion" });
        }
    }

    /** `pulumi refresh`: Read every dynamic resource; an empty id drops it from state. */
    async refresh(): Promise<RunResult> {
        const steps: StepRecord[] = [];
        const errors: Error[] = [];
        for (const urn of [...this.order]) {
            const r = this.state.get(urn);
            if (!r || !DYNAMIC.test(r.type)) continue;
            try {
                const host = await this.ensureHost();
                const res = await host.read(r.id, urn, r.outputs, r.inputs);
                if (!res.id) {
                    this.state.delete(urn);
                    this.order = this.order.filter((u) => u !== urn);
                    steps.push({ op: "refresh-delete", urn });
                } else {
                    this.state.set(urn, { ...r, id: res.id, outputs: res.properties, inputs: res.inputs ?? r.inputs });
                    steps.push({ op: "read", urn });
                }
            } catch (e) {
                errors.push(e as Error);
                this.allErrors.push(e as Error);
            }
        }
        return { steps, errors };
    }

    /** `pulumi destroy`: delete everything, newest first. */
    async destroy(): Promise<RunResult> {
        const steps: StepRecord[] = [];
        const errors: Error[] = [];
        try {
            await this.deletePending(steps);
        } catch (e) {
            errors.push(e as Error);
            this.allErrors.push(e as Error);
            return { steps, errors };
        }
        for (const urn of [...this.order].reverse()) {
            try {
                await this.deleteOne(urn, steps);
            } catch (e) {
                errors.push(e as Error);
                this.allErrors.push(e as Error);
                break;
            }
        }
        return { steps, errors };
    }

    /** Dynamic resources in state, by name. */
    resource(name: string): ResourceState | undefined {
        return [...this.state.values()].find(
            (r) => r.name === name && DYNAMIC.test(r.type) && !r.urn.endsWith(PENDING_DELETE),
        );
    }

    /** The state as `pulumi stack export` would show it: secret values encrypted, never in plaintext. */
    serializedState(): string {
        const resources = [...this.state.values()].map((r) => ({
            urn: r.urn,
            type: r.type,
            id: r.id,
            inputs: this.protect(r.inputs, r.secretKeys),
            outputs: this.protect(r.outputs, r.secretKeys),
            initErrors: r.initErrors,
        }));
        return JSON.stringify({ version: 3, deployment: { resources } }, null, 2);
    }

    private protect(props: Props, secretKeys: string[]): Props {
        const out: Props = {};
        for (const [k, v] of Object.entries(props)) {
            if (!secretKeys.includes(k) || v === undefined) {
                out[k] = v;
                continue;
            }
            const iv = randomBytes(12);
            const c = createCipheriv("aes-256-gcm", this.key, iv);
            const ct = Buffer.concat([c.update(JSON.stringify(v), "utf8"), c.final(), c.getAuthTag()]);
            out[k] = { [SIG]: SECRET_SIG, ciphertext: Buffer.concat([iv, ct]).toString("base64") };
        }
        return out;
    }

    /** Stops the host. */
    async close(): Promise<void> {
        if (this.host) await this.host.stop();
        fs.rmSync(this.stateDir, { recursive: true, force: true });
    }
}

/** The program's stack outputs as plain values; unknown values (preview) come back as undefined. */
async function resolveOutputs(o: unknown, preview: boolean): Promise<unknown> {
    const out = pulumi.output(o as pulumi.Input<unknown>) as unknown as {
        promise(withUnknowns?: boolean): Promise<unknown>;
    };
    return out.promise(preview);
}

export { UNKNOWN };

/** Sets the SDK's dynamic-provider serialization cache on, as under the Pulumi CLI. */
function enableProviderCache(): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an SDK module outside its public API, typed here by what this file uses
    const state = require("@pulumi/pulumi/runtime/state") as {
        getStore(): { settings: { options: { cacheDynamicProviders?: boolean } } };
    };
    state.getStore().settings.options.cacheDynamicProviders = true;
}
