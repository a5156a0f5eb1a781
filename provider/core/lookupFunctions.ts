import * as pulumi from "@pulumi/pulumi";
import { BackupFilterArgs, BackupInfo, BackupLister, lookupBackups, lookupLatestBackup } from "./backupLookup";
import { BackupRecord, SelectorSpec } from "./backupSelection";
import { ConfigSnapshot, ConfigSource, snapshotConfig } from "./config";

/**
 * The stack configuration as the program sees it, in the shape the providers' `configure` receives: the lookup
 * functions resolve credentials, region and endpoint from the same keys (then the same environment variables) as the
 * resources. Read through the runtime (not `pulumi.Config.get`), so secret keys are read without a warning and never
 * printed.
 */
export function stackConfig(): ConfigSource {
    return { get: (key: string) => pulumi.runtime.getConfig(key) };
}

/** Result of a cloud's `getBackups`: the same shape on every cloud. */
export interface GetBackupsResult {
    /** The instance or VM searched. */
    sourceId: string;
    /** The region (or, for ZStack, the management node) searched. */
    region: string;
    /** Newest first, with the cloud's own status words or codes. */
    backups: BackupInfo[];
}

/** Result of a cloud's `getLatestBackup`: what a `backupSelector` with the same filters would choose now. */
export interface GetLatestBackupResult {
    sourceId: string;
    region: string;
    backupId: string;
    /** When the backup's data was taken (ISO 8601, UTC). */
    backupTime: string;
    /** The cloud's own status word or code. */
    status: string;
    backupType?: string;
}

/** Arguments as Inputs, for the Output forms. */
export type OutputArgs<A> = { [K in keyof A]: pulumi.Input<A[K]> };

/** What one cloud supplies to get its four lookup functions. */
export interface BackupFunctionsDef<A extends BackupFilterArgs> {
    /** "alicloud.starrocks" */
    name: string;
    spec: SelectorSpec;
    configKeys: string[];
    secretKeys: string[];
    /** The region (or place) searched, as the resource would resolve it; throws saying where it looked. */
    region(args: A, config: ConfigSnapshot): string;
    /** Every backup of the source, through the resource provider's own client. */
    list(args: A, source: string, region: string, config: ConfigSnapshot): Promise<BackupRecord[]>;
    /** "region cn-hangzhou" */
    where(region: string): string;
    /** "instance c-1", "VM 0a1b..." */
    source(id: string): string;
}

/** The four functions, as Pulumi packages shape them: getX(args) → Promise, getXOutput(args) → Output. */
export interface BackupFunctions<A> {
    getBackups(args: A): Promise<GetBackupsResult>;
    getBackupsOutput(args: OutputArgs<A>): pulumi.Output<GetBackupsResult>;
    getLatestBackup(args: A): Promise<GetLatestBackupResult>;
    getLatestBackupOutput(args: OutputArgs<A>): pulumi.Output<GetLatestBackupResult>;
}

/** The Promise forms with the configuration taken from a given source (the provider plugin's `invoke`). */
export interface BackupFunctionsWithConfig<A> {
    getBackups(args: A): Promise<GetBackupsResult>;
    getLatestBackup(args: A): Promise<GetLatestBackupResult>;
}

/** Builds a cloud's lookup functions. They are read-only: they run at preview as at `up`. */
export function backupFunctions<A extends BackupFilterArgs>(
    def: BackupFunctionsDef<A>,
): BackupFunctions<A> & { withConfig(source: () => ConfigSource): BackupFunctionsWithConfig<A> } {
    const fns = withConfig(def, stackConfig);
    return {
        ...fns,
        getBackupsOutput: (args) =>
            pulumi
                .output(args as pulumi.Input<A>)
                .apply((a) => fns.getBackups(a as unknown as A)) as unknown as pulumi.Output<GetBackupsResult>,
        getLatestBackupOutput: (args) =>
            pulumi
                .output(args as pulumi.Input<A>)
                .apply((a) =>
                    fns.getLatestBackup(a as unknown as A),
                ) as unknown as pulumi.Output<GetLatestBackupResult>,
        withConfig: (source) => withConfig(def, source),
    };
}

/** The Promise forms reading settings from `source` (the program's stack config, or the plugin's configuration). */
function withConfig<A extends BackupFilterArgs>(
    def: BackupFunctionsDef<A>,
    source: () => ConfigSource,
): BackupFunctionsWithConfig<A> {
    const prepare = (args: A) => {
        const config = snapshotConfig(source(), def.configKeys, def.secretKeys);
        const region = def.region(args, config);
        const lister: BackupLister<A> = {
            name: def.name,
            spec: def.spec,
            now: () => Date.now(),
            list: async (a, source) => ({
                records: await def.list(a, source, region, config),
                search: { source: def.source(source), where: def.where(region) },
            }),
        };
        return { config, region, lister };
    };
    const getBackups = async (args: A): Promise<GetBackupsResult> => {
        const { config, region, lister } = prepare(args);
        return { ...(await lookupBackups(lister, args, config)), region };
    };
    const getLatestBackup = async (args: A): Promise<GetLatestBackupResult> => {
        const { config, region, lister } = prepare(args);
        return { ...(await lookupLatestBackup(lister, args, config)), region };
    };
    return { getBackups, getLatestBackup };
}
