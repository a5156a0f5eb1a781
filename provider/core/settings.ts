import type { ProviderMethods } from "./resource";
import { effectiveSchedule } from "./poller";
import { hostEnv } from "./environment";

/**
 * This package's own settings from the environment of the dynamic-provider host (`PULUMI_RESTORE_*`), checked before
 * any API call: at `check` (so `pulumi preview` reports them), and again at the start of every call that talks to a
 * cloud. A bad value found only while waiting would come after the restore had already been started.
 * (`PULUMI_RESTORE_STATE_DIR`, the Tencent journal's directory, needs no check here: any value is a path, and the journal
 * is written, or the create refused, before RestoreInstance.)
 */
export const ENVIRONMENT_SETTINGS: readonly { name: string; check(value: string): string | undefined }[] = [
    {
        name: "PULUMI_RESTORE_POLL_MIN_MS",
        check: (v) => {
            try {
                effectiveSchedule({ PULUMI_RESTORE_POLL_MIN_MS: v });
                return undefined;
            } catch {
                const allowed = "a number of milliseconds > 0, such as 250";
                return `must be ${allowed} (got "${v}"); unset it for the default floor of 2 s`;
            }
        },
    },
];

/**
 * Throws one error naming every `PULUMI_RESTORE_*` setting of `env` whose value is not allowed, with what is allowed.
 * Unset and empty values are fine (the defaults apply).
 */
export function checkEnvironmentSettings(env: NodeJS.ProcessEnv): void {
    const problems: string[] = [];
    for (const s of ENVIRONMENT_SETTINGS) {
        const v = env[s.name];
        if (v === undefined || v === "") continue;
        const why = s.check(v);
        if (why) problems.push(`${s.name} ${why}`);
    }
    if (problems.length > 0) {
        const list = problems.join("; ");
        throw new Error(`invalid environment setting of the pulumi-restore provider: ${list}. Nothing was called.`);
    }
}

/**
 * The provider the dynamic-provider host calls, with {@link checkEnvironmentSettings} run before `check`, `create`,
 * `read`, `update` and `delete`. Applied to the object each provider module exports (not in the serialized shim, which
 * stays free of our code).
 */
export function withEnvironmentCheck<P extends ProviderMethods>(
    p: P,
    env: NodeJS.ProcessEnv = hostEnv(),
): ProviderMethods {
    const checked = async <T>(call: () => Promise<T>): Promise<T> => {
        checkEnvironmentSettings(env);
        return call();
    };
    // The provider plugin also calls `importRead` (pulumi import) where a provider has one.
    const importable = p as P & { importRead?: (id: string) => Promise<unknown> };
    const extra = importable.importRead
        ? { importRead: (id: string) => checked(() => importable.importRead!.call(p, id)) }
        : {};
    return {
        ...extra,
        configure: (req) => p.configure(req),
        check: (olds, news) => checked(() => p.check(olds, news)),
        diff: (id, olds, news) => p.diff(id, olds, news),
        create: (inputs) => checked(() => p.create(inputs)),
        read: (id, props) => checked(() => p.read(id, props)),
        update: (id, olds, news) => checked(() => p.update(id, olds, news)),
        delete: (id, props) => checked(() => p.delete(id, props)),
    };
}
