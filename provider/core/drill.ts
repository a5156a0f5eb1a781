import type * as pulumi from "@pulumi/pulumi";
import { Clock } from "./clock";
import { errorText } from "./errors";
import { progress } from "./progress";
import { leadingSecretPiece, redact, redactValues } from "./redact";
import { diffProps, fromState, restoreToken } from "./resource";
import { Checker, CheckFailure, clean, isUnknownValue } from "./validate";
import { formatDuration, parseDuration } from "./duration";
import { runVerify } from "./drillVerify";
import { probeTcp } from "./drillTcp";
import { checkProps, inputKeys } from "./props";
import { DRILL_PROPS } from "./drillProps";
import { utcIso, utcIsoOrUndefined } from "./time";
import { PLAN_KEY, Plan, PreviewChoice, choiceText, planText } from "./plan";

/**
 * Restore drills, cloud-independent part: the drill's own inputs and their checker, the run (sweep leftovers, pick the
 * backup, restore, checks, always delete, report) and the diff rules. Each cloud supplies a {@link DrillCloud} built on
 * its restore resource's provider, so a drill restores, waits and deletes through exactly the code the restore
 * resource uses, and its restore arguments are checked by the restore resource's own checker.
 */

/** The drill's own input names; every other input is a restore argument, checked by the restore resource's checker. */
export const DRILL_KEYS: readonly string[] = inputKeys(DRILL_PROPS);
/** Output-only properties of a drill. */
export const DRILL_OUTPUT_KEYS = ["passed", "report", "scratchName", "plan"] as const;

/** The optional user check run on the runner after the scratch instance is usable. */
export interface VerifySpec {
    /** Shell command line; DRILL_INSTANCE_ID, DRILL_ADDRESS, DRILL_PORT, DRILL_PASSWORD come in its environment. */
    command: string;
    /** Time limit, a duration such as "5m" (default "10m"). */
    timeout?: string;
    /** Working directory (default: the program's directory). */
    workDir?: string;
}

/** The cloud's drill-only inputs (see {@link DrillCheckSpec.extra}), by name. */
export type DrillExtra = Record<string, unknown>;

/** A drill's checked inputs: its restore resource's (`R`), the cloud's drill-only ones, and the drill's own. */
export type DrillInputs<R> = R & DrillExtra & DrillOptions;

/** A drill's outputs: its inputs, the scratch instance's name, whether it passed and the report. */
export type DrillOutputs<R> = DrillInputs<R> & {
    scratchName: string;
    passed: boolean;
    report: DrillReport;
    /** What a run does, in plain words (set by check; see ./plan). */
    plan?: Record<string, string>;
};

/** The drill's own inputs after check. */
export interface DrillOptions {
    verify?: VerifySpec;
    triggers?: Record<string, unknown>;
    /** true (default): a failed drill fails `pulumi up` with the report in the error; false: it is recorded. */
    failOnCheckFailure: boolean;
    /** Port for the TCP check when the API reports an address but no port (or to override the reported one). */
    tcpPort?: number;
}

/** One check of a drill, as the report lists it. */
export interface DrillCheck {
    name: "running" | "tcp" | "verify";
    result: "passed" | "failed" | "skipped";
    /** How long the check took, ms. */
    durationMs: number;
    detail: string;
    /** verify: the tail of its output (stdout and stderr), secrets redacted. */
    outputTail?: string;
    /** verify: its exit code (absent when it was killed at its time limit). */
    exitCode?: number;
}

/** What a drill records in its outputs (and puts in the error of a failed `up`). No secret is ever in it. */
export interface DrillReport {
    result: "passed" | "failed";
    /** What failed first (absent when passed). */
    failure?: string;
    backupId?: string;
    /** When the backup was taken (ISO 8601), as the cloud reports it. */
    backupTime?: string;
    startedAt: string;
    finishedAt: string;
    /** Restore call to usable (seconds). */
    recoveryTimeSeconds?: number;
    /** Age of the backup when the restore was called (seconds): the data a real recovery would lose at least. */
    recoveryPointSeconds?: number;
    scratchInstanceId?: string;
    checks: DrillCheck[];
    /** True once the scratch instance (and any left by an earlier interrupted drill) was deleted and is gone. */
    scratchDeleted: boolean;
}

/**
 * A scratch instance: its id and the restore resource's outputs `O` for it (what that provider's read/delete take).
 */
export interface ScratchRef<O extends object = object> {
    id: string;
    outs: O;
}

/** What a drill observes of a scratch instance. */
export interface ScratchState {
    /** Gone (deleted out of band). */
    gone: boolean;
    status: string;
    running: boolean;
    /** Address the API reports (host name or IP), if any. */
    address?: string;
    /** Port the API reports, if any. */
    port?: number;
    /** Why there is no address, when the API reports none (e.g. "DescribeInstances reports no address"). */
    noAddress?: string;
}

/** The backup a drill restores: its id and when it was taken (clock ms), as resolved once per run. */
export interface ChosenBackup {
    backupId: string;
    backupTime?: number;
}

/**
 * One cloud's part of a drill, built on its restore resource's provider: everything goes through that provider's code.
 * `R` is the restore resource's checked inputs.
 */
export interface DrillCloud<R, O extends object = object> {
    /** "StarRocks instance", for messages. */
    thing: string;
    /**
     * The seam where the backup is chosen (explicit id today; a selector once it exists). `extra`: the cloud's
     * drill-only inputs ({@link DrillCheckSpec.extra}).
     */
    chooseBackup(restore: R, extra: Record<string, unknown>): Promise<ChosenBackup>;
    /** Restores into a scratch instance and waits until usable (the restore provider's create). */
    restore(restore: R, backup: ChosenBackup): Promise<ScratchRef<O>>;
    /** Observes the scratch instance (the restore provider's read, plus the reported address). */
    observe(ref: ScratchRef<O>): Promise<ScratchState>;
    /** Deletes a scratch instance and waits until it is gone (the restore provider's delete). */
    remove(ref: ScratchRef<O>): Promise<void>;
    /** Scratch instances of this drill that exist (found by its token), including ones left by a killed runner. */
    findScratch(restore: R): Promise<ScratchRef<O>[]>;
    /** The password of the scratch instance (for the verify command's environment), if any. */
    password(restore: R, extra: Record<string, unknown>): string | undefined;
}

/**
 * The restore token of a drill: distinct from a restore resource of the same name (a drill deletes what carries its
 * token, so it must never share one with an instance someone keeps).
 */
export function drillToken(project: string, stack: string, name: string): string {
    return restoreToken(project, stack, `\u0000RestoreDrill\u0000${name}`);
}

/** The scratch instance's name: it carries the token, so people (and the sweep) recognise it. */
export function scratchName(token: string): string {
    return `drill-${token}`;
}

/** How a cloud names and refuses fields when checking a drill. */
export interface DrillCheckSpec<R> {
    /** The restore resource's checker. */
    checkRestore(news: Record<string, unknown>): { inputs: R; failures: CheckFailure[] };
    /** The restore input (a path) that names the new instance: set by the drill, users must not. */
    nameKey: string;
    /** The restore inputs with the scratch instance's name set at {@link nameKey}. */
    withName(restoreNews: Record<string, unknown>, name: string): Record<string, unknown>;
    /** Billing that cannot be released by API: failures naming the field (checked on the restore inputs). */
    refuseBilling(restore: R, fail: (property: string, reason: string) => void): void;
    /** Restore inputs a drill does not take (e.g. adoptId), with why. */
    forbidden: Record<string, string>;
    /** The backup the drill restores, in words for its plan ("backup task bk-1", "the latest complete backup of …"). */
    backupText(restore: R): string;
    /** Drill-only inputs of this cloud (e.g. where to look the backup up): their names and their checker. */
    extra?: { keys: readonly string[]; check(c: Checker): Record<string, unknown> };
}

/** Checks a drill's inputs: its own, then the restore arguments with the restore resource's checker. */
export function checkDrill<R extends object>(
    news: Record<string, unknown>,
    spec: DrillCheckSpec<R>,
): { inputs: DrillInputs<R>; failures: CheckFailure[] } {
    const c = new Checker(news);
    const { verify, triggers, failOnCheckFailure, tcpPort } = checkProps(c, DRILL_PROPS);
    checkVerifyTimeout(c, news.verify);
    for (const [k, why] of Object.entries(spec.forbidden)) c.forbid(k, why);
    const extra = spec.extra?.check(c) ?? {};
    const extraKeys: readonly string[] = spec.extra?.keys ?? [];
    const token = news.restoreToken;
    const name = typeof token === "string" && !isUnknownValue(token) ? scratchName(token) : undefined;
    // The drill's own name given back (checked inputs checked again) is not a user's choice.
    const given = nameAt(news, spec.nameKey);
    if (given !== undefined && given !== null && given !== "" && given !== name) {
        c.fail(spec.nameKey, "must not be set on a drill: the scratch instance is named after its restore token");
    }
    let restoreNews: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(news)) {
        if (DRILL_KEYS.includes(k)) continue;
        if ((DRILL_OUTPUT_KEYS as readonly string[]).includes(k)) continue;
        if (k in spec.forbidden || extraKeys.includes(k)) continue;
        restoreNews[k] = v;
    }
    if (name) restoreNews = spec.withName(restoreNews, name);
    const r = spec.checkRestore(restoreNews);
    const failures = [...c.failures, ...r.failures];
    spec.refuseBilling(r.inputs, (property, reason) => failures.push({ property, reason: `${property}: ${reason}` }));
    const inputs: DrillInputs<R> = clean({
        ...r.inputs,
        ...extra,
        // The table checks each field of verify; `command` is required there, so a checked verify is a VerifySpec.
        verify: verify as VerifySpec | undefined,
        triggers,
        failOnCheckFailure: failOnCheckFailure as boolean,
        tcpPort,
    });
    return { inputs, failures };
}

function nameAt(o: Record<string, unknown>, path: string): unknown {
    let cur: unknown = o;
    for (const part of path.split(".")) {
        if (!cur || typeof cur !== "object") return undefined;
        cur = (cur as Record<string, unknown>)[part];
    }
    return cur;
}

/** `verify.timeout` is a duration (its type and form are the table's; that it parses, this rule's). */
function checkVerifyTimeout(c: Checker, verify: unknown): void {
    if (!verify || typeof verify !== "object") return;
    const timeout = (verify as Record<string, unknown>).timeout;
    if (typeof timeout === "string" && timeout !== "" && !isUnknownValue(timeout) && !parseDuration(timeout)) {
        c.fail("verify.timeout", `must be a duration such as "5m" or "90s", got "${timeout}"`);
    }
}

/** The drill's diff: any change of its inputs (triggers included) runs it again; `timeouts` alone updates in place. */
export function diffDrill(olds: object, news: object): pulumi.dynamic.DiffResult {
    const d = diffProps(olds, news, { replace: [], update: [], ignore: [PLAN_KEY] });
    return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: false };
}

/** Default time limit of the verify command. */
const VERIFY_DEFAULT_MS = 10 * 60_000;
/** How long the TCP check waits for a connection. */
const TCP_TIMEOUT_MS = 10_000;

/** What {@link runDrill} needs besides the cloud. */
export interface DrillRun<R> {
    label: string;
    restore: R;
    /** The cloud's drill-only inputs. */
    extra: Record<string, unknown>;
    options: DrillOptions;
    clock: Clock;
    env: NodeJS.ProcessEnv;
    /** Real time for the verify command's limit (the virtual clock of tests does not run a child process). */
    realNow?: () => number;
    /** Longest silence between progress lines while the verify command runs (real ms; default 60 s). */
    heartbeatMs?: number;
}

/**
 * Runs one drill: deletes leftovers of earlier interrupted drills first, picks the backup, restores into a scratch
 * instance, checks it, ALWAYS deletes it (and anything else carrying the token) and waits until gone, and reports.
 * Never throws for a failed drill (the report says it failed); throws only when a scratch instance could not be
 * deleted (then nothing is recorded, and the next `up` finds it by token and deletes it first).
 */
export async function runDrill<R, O extends object>(cloud: DrillCloud<R, O>, run: DrillRun<R>): Promise<DrillReport> {
    const { clock, label } = run;
    const startedAt = clock.now();
    const checks: DrillCheck[] = [];
    let failure: string | undefined;
    let backup: ChosenBackup | undefined;
    let scratch: ScratchRef<O> | undefined;
    let recoveryTimeSeconds: number | undefined;
    let recoveryPointSeconds: number | undefined;

    await sweep(cloud, run, "left by an earlier drill that did not finish");
    try {
        backup = await cloud.chooseBackup(run.restore, run.extra);
        const restoreAt = clock.now();
        if (backup.backupTime !== undefined) {
            recoveryPointSeconds = Math.max(0, Math.round((restoreAt - backup.backupTime) / 1000));
        }
        progress(label, `restoring backup ${backup.backupId} into a scratch ${cloud.thing}`);
        try {
            scratch = await cloud.restore(run.restore, backup);
            recoveryTimeSeconds = Math.round((clock.now() - restoreAt) / 100) / 10;
        } catch (e) {
            const id = (e as { id?: unknown }).id;
            // Created but not usable (partial state): the error carries the id and the restore provider's outputs.
            const outs = (e as { properties?: Record<string, unknown> }).properties ?? {};
            // Partial state is what the engine would record as the restore provider's outputs (see `fromState`).
            if (typeof id === "string" && id) scratch = { id, outs: fromState<O>(outs) };
            throw new StepFailed(`restore: ${errorText(e)}`);
        }
        const state = await timed(clock, checks, "running", async () => {
            const s = await cloud.observe(scratch!);
            if (s.gone) return { ok: false, detail: `${cloud.thing} ${scratch!.id} is gone` };
            return { ok: s.running, detail: `${cloud.thing} ${scratch!.id} is ${s.status}`, value: s };
        });
        if (!state) throw new StepFailed(`check running: ${checks[checks.length - 1].detail}`);
        const port = run.options.tcpPort ?? state.port;
        await checkTcp(clock, checks, state, port);
        if (run.options.verify)
            await checkVerifyCommand(cloud, run, run.options.verify, checks, {
                DRILL_INSTANCE_ID: scratch.id,
                DRILL_ADDRESS: state.address,
                DRILL_PORT: port === undefined ? undefined : String(port),
                DRILL_BACKUP_ID: backup.backupId,
            });
    } catch (e) {
        failure = e instanceof StepFailed ? e.message : redact(errorText(e));
    }

    // Always: delete the scratch instance, then anything else carrying the token (an uncertain restore), and confirm.
    let cleanupError: unknown;
    try {
        if (scratch) {
            progress(label, `deleting scratch ${cloud.thing} ${scratch.id}`);
            await cloud.remove(scratch);
        }
        await sweep(cloud, run, "carrying this drill's token");
    } catch (e) {
        cleanupError = e;
    }
    const report: DrillReport = clean({
        result: failure || cleanupError ? ("failed" as const) : ("passed" as const),
        failure: failure ?? (cleanupError ? `cleanup: ${errorText(cleanupError)}` : undefined),
        backupId: backup?.backupId,
        backupTime: utcIsoOrUndefined(backup?.backupTime),
        startedAt: utcIso(startedAt),
        finishedAt: utcIso(clock.now()),
        recoveryTimeSeconds,
        recoveryPointSeconds,
        scratchInstanceId: scratch?.id,
        checks,
        scratchDeleted: cleanupError === undefined,
    });
    if (cleanupError !== undefined) {
        throw new Error(
            `${label}: the scratch ${cloud.thing} could not be deleted: ${errorText(cleanupError)}. Nothing is ` +
                "recorded; the next `pulumi up` finds it by its token and deletes it before anything else.\n" +
                formatReport(report),
        );
    }
    progress(label, `drill ${report.result}${failure ? `: ${failure}` : ""}`);
    return report;
}

/** The TCP check: a connection to the scratch instance's address and port, or "skipped" with the reason. */
async function checkTcp(
    clock: Clock,
    checks: DrillCheck[],
    state: { address?: string; noAddress?: string },
    port: number | undefined,
): Promise<void> {
    const address = state.address;
    if (!address || !port) {
        const why = address
            ? "the API reports no port; set tcpPort to check one"
            : (state.noAddress ?? "the API reports no address");
        checks.push({ name: "tcp", result: "skipped", durationMs: 0, detail: why });
        return;
    }
    const ok = await timed(clock, checks, "tcp", async () => {
        const r = await probeTcp(address, port, TCP_TIMEOUT_MS);
        const at = `${address}:${port}`;
        return { ok: r.ok, detail: r.ok ? `${at} accepted a connection` : `${at}: ${r.error}`, value: true };
    });
    if (!ok) throw new StepFailed(`check tcp: ${checks[checks.length - 1].detail}`);
}

/**
 * The verify command on the runner, within its time limit, with the scratch instance in its environment (`drillEnv`
 * and DRILL_PASSWORD, never in a log: its output is redacted) and a progress line at least every heartbeat.
 */
async function checkVerifyCommand<R>(
    cloud: DrillCloud<R>,
    run: DrillRun<R>,
    v: VerifySpec,
    checks: DrillCheck[],
    drillEnv: Record<string, string | undefined>,
): Promise<void> {
    const label = run.label;
    const password = cloud.password(run.restore, run.extra);
    const limitMs = (v.timeout && parseDuration(v.timeout)) || VERIFY_DEFAULT_MS;
    const now = run.realNow ?? Date.now;
    const t0 = now();
    progress(label, `running the verify command (time limit ${v.timeout ?? "10m"})`);
    // The command may run for minutes: a progress line at least every heartbeat, as every wait prints.
    const beat = setInterval(() => {
        progress(label, `verify command still running (${formatDuration(now() - t0)} elapsed)`);
    }, run.heartbeatMs ?? 60_000);
    const r = await runVerify({
        command: v.command,
        cwd: v.workDir,
        limitMs,
        env: clean({
            ...runnerEnv(run.env),
            DRILL_INSTANCE_ID: drillEnv.DRILL_INSTANCE_ID,
            DRILL_ADDRESS: drillEnv.DRILL_ADDRESS,
            DRILL_PORT: drillEnv.DRILL_PORT,
            DRILL_PASSWORD: password,
            DRILL_BACKUP_ID: drillEnv.DRILL_BACKUP_ID,
        }),
        redact: (text) => redact(redactValues(text, password ? [password] : [])),
        leadingPiece: (text) => leadingSecretPiece(text, password ? [password] : []),
    }).finally(() => clearInterval(beat));
    const tail = r.tail;
    const detail = r.timedOut
        ? `killed at its time limit (${v.timeout ?? "10m"})`
        : (r.error ?? `exit code ${r.exitCode}`);
    const result: DrillCheck["result"] = r.ok ? "passed" : "failed";
    const durationMs = now() - t0;
    const exitCode = r.exitCode;
    checks.push(clean({ name: "verify" as const, result, durationMs, detail, outputTail: tail, exitCode }));
    if (!r.ok) throw new StepFailed(`check verify: ${detail}`);
}

/**
 * The runner's environment for the verify command, without what Pulumi hands its own processes: the stack's config
 * (`PULUMI_CONFIG`, which holds decrypted secrets) and the passphrase or access token.
 */
export function runnerEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    return Object.fromEntries(Object.entries(env).filter(([k]) => !/^PULUMI_(CONFIG|ACCESS_TOKEN)/.test(k)));
}

/** Deletes every scratch instance of this drill that exists, each waited for until gone. */
async function sweep<R, O extends object>(cloud: DrillCloud<R, O>, run: DrillRun<R>, why: string): Promise<void> {
    for (const ref of await cloud.findScratch(run.restore)) {
        progress(run.label, `deleting scratch ${cloud.thing} ${ref.id} ${why}`);
        await cloud.remove(ref);
    }
}

/** A step of the drill failed (the message says which); the drill goes on to clean up. */
class StepFailed extends Error {}

async function timed<T>(
    clock: Clock,
    checks: DrillCheck[],
    name: DrillCheck["name"],
    f: () => Promise<{ ok: boolean; detail: string; value?: T }>,
): Promise<T | undefined> {
    const t0 = clock.now();
    let r: { ok: boolean; detail: string; value?: T };
    try {
        r = await f();
    } catch (e) {
        r = { ok: false, detail: errorText(e) };
    }
    checks.push({ name, result: r.ok ? "passed" : "failed", durationMs: clock.now() - t0, detail: r.detail });
    return r.ok ? r.value : undefined;
}

/** The report as text for an error message (JSON, two-space indented: what the outputs hold). */
export function formatReport(r: DrillReport): string {
    return `drill report:\n${JSON.stringify(r, null, 2)}`;
}

/** The outputs of a drill after a run: its inputs, the report, and whether it passed. */
export function drillOutputs<R>(inputs: DrillInputs<R>, report: DrillReport, name: string): DrillOutputs<R> {
    const passed = report.result === "passed";
    return clean({ ...inputs, scratchName: name, passed, report });
}

/**
 * The plan of a drill in plain words (see ./plan): what a run does (restore into a scratch instance, check, delete)
 * and that destroy touches nothing in the cloud. `backup` is the restore's backup in words; `choice` the selector's
 * choice at preview, when one was looked up.
 */
export function drillPlan(o: {
    thing: string;
    scratch: string | undefined;
    backup: string;
    options: Pick<DrillOptions, "verify" | "failOnCheckFailure">;
    choice?: PreviewChoice;
}): Plan {
    const name = o.scratch ? ` "${o.scratch}"` : "";
    const verify = o.options.verify ? ", the verify command" : "";
    return planText({
        does: `restores into a new scratch ${o.thing}${name}, checks it, then deletes it; touches nothing existing`,
        backup: o.backup,
        asOfPreview: o.choice && choiceText(o.choice, "the report's backupId"),
        checks: `running, TCP where an address is reported${verify}`,
        ifChecksFail:
            o.options.failOnCheckFailure === false
                ? "recorded (passed: false); up goes on"
                : "up fails, with the report (the scratch instance is deleted all the same)",
        onTriggers: "runs the drill again",
        onDelete: "removes only the recorded report, nothing in the cloud",
    });
}
