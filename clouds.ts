/**
 * The registry of clouds: the one list of the clouds this package serves, their resources, lookups and examples.
 * Everything that needs "every cloud" reads it: the plugin (routing, its configuration, its functions), the schema
 * generator, the emulator (its clouds, options and example config lines), the docs checks, the tests' subjects and
 * the bench. A list that cannot be derived (per-cloud inputs, say) is a `Record<CloudName, ...>`, so that the compiler
 * names a cloud that is missing from it.
 *
 * Each cloud is a folder, `provider/<name>/`, holding all of its client side; the module names below are files in it.
 * This file is data only and imports nothing: the emulator reads it too, and must share no code with the client
 * (tests/unit/emulator-independence.test.ts).
 */

/** `pulumi import` of a resource through the plugin. */
export interface ImportEntry {
    /** The import id's format, as the docs and error messages give it: `<instanceId>:<taskId>:<backupId>`. */
    format: string;
    /** An example id in that format. */
    example: string;
    /** The importer module (exports `importer`). */
    module: string;
}

/** One resource type of a cloud. */
export interface ResourceEntry {
    /** The type name, in the type token and the namespace: `RestoredInstance`. */
    type: string;
    /** A restore resource, or a restore drill (provider/core/drill.ts). */
    kind: "restore" | "drill";
    /** The resource class users declare (exports the class `type` and its Args `<type>Args`). */
    resource: string;
    /** The provider (exports `provider`): what the source checkout's `__provider` shim names in state. */
    provider: string;
    /** The entry module: what an installed package's `__provider` requires in state. Never rename one. */
    entry: string;
    /** A restore's inputs module (exports `SECRET_INPUTS`, `INPUT_KEYS`, `OUTPUT_KEYS`). */
    inputs?: string;
    /**
     * Its table of properties (provider/core/props.ts): the module that declares it and the export's name. The Args,
     * the shape checks, the plugin's schema and the docs' inputs table derive from it.
     */
    props: { module: string; exportName: string };
    /** Served by the provider plugin too (every language); `import` where `pulumi import` works. */
    plugin?: { import?: ImportEntry };
}

/** An example program under examples/ that runs against the emulator. */
export interface ExampleEntry {
    /** Its directory: `examples/zstack`. */
    dir: string;
    /** Its Pulumi project name (`name:` in its Pulumi.yaml). */
    project: string;
    /** Runs through the provider plugin (YAML, Python, Go), so its cloud keys take the plugin's form. */
    plugin?: boolean;
}

/** One cloud. */
export interface CloudEntry {
    /**
     * The cloud's name: its folder (`provider/<name>/`), its namespace in the package's exports, its config keys
     * (`<name>:region`, the plugin's object `pulumi-restore:<name>`), its emulator (`emulator/<name>/`).
     */
    name: string;
    /** The vendor, as the docs name it. */
    title: string;
    /** The product whose backups are restored. */
    product: string;
    /** The module of the type tokens (`alicloud/starrocks`): also the resources' path in the exports (`alicloud.starrocks`). */
    module: string;
    /** The cloud's reference page: its resources, and the API facts behind them. */
    docs: string;
    resources: readonly ResourceEntry[];
    /** The lookup functions `getBackups` / `getLatestBackup` (exports `backupsWithConfig`), where the cloud has them. */
    lookup?: string;
    /**
     * The examples that run against the emulator (not those that also declare resources of the cloud's own provider,
     * examples/alicloud-starrocks-vpc and examples/tencentcloud-python: they need the real cloud).
     */
    examples: readonly ExampleEntry[];
}

/** Every cloud, in the order the docs, the plugin's schema and the emulator list them. */
export const CLOUDS = [
    {
        name: "alicloud",
        title: "Alibaba Cloud",
        product: "EMR Serverless StarRocks",
        module: "alicloud/starrocks",
        docs: "docs/alicloud.md",
        resources: [
            {
                type: "RestoredInstance",
                kind: "restore",
                props: { module: "starrocksProps", exportName: "RESTORED_INSTANCE_PROPS" },
                resource: "starrocksResource",
                provider: "starrocksProvider",
                entry: "starrocksEntry",
                inputs: "starrocksInputs",
                plugin: {
                    import: { format: "<instanceId>", example: "c-8f3a2b1c9d0e4f56", module: "starrocksImport" },
                },
            },
            {
                type: "RestoreDrill",
                kind: "drill",
                props: { module: "starrocksProps", exportName: "RESTORE_DRILL_PROPS" },
                resource: "starrocksDrillResource",
                provider: "starrocksDrill",
                entry: "starrocksDrillEntry",
                plugin: {},
            },
        ],
        lookup: "starrocksLookup",
        examples: [
            { dir: "examples/quickstart", project: "pulumi-restore-quickstart" },
            { dir: "examples/alicloud-starrocks", project: "alicloud-starrocks-restore" },
            { dir: "examples/refresh-staging", project: "refresh-staging" },
            { dir: "examples/yaml", project: "pulumi-restore-yaml", plugin: true },
            { dir: "examples/python", project: "pulumi-restore-python", plugin: true },
            { dir: "examples/go", project: "pulumi-restore-go", plugin: true },
        ],
    },
    {
        name: "tencentcloud",
        title: "Tencent Cloud",
        product: "Redis",
        module: "tencentcloud/redis",
        docs: "docs/tencentcloud.md",
        resources: [
            {
                type: "InstanceRestore",
                kind: "restore",
                props: { module: "redisProps", exportName: "INSTANCE_RESTORE_PROPS" },
                resource: "redisResource",
                provider: "redisProvider",
                entry: "redisEntry",
                inputs: "redisInputs",
                plugin: {
                    import: {
                        format: "<instanceId>:<taskId>:<backupId>",
                        example: "crs-5a4py64p:6954227:678362566696298532848117",
                        module: "redisImport",
                    },
                },
            },
            {
                type: "RestoredInstance",
                kind: "restore",
                props: { module: "cloneProps", exportName: "CLONE_PROPS" },
                resource: "cloneResource",
                provider: "cloneProvider",
                entry: "cloneEntry",
                inputs: "cloneInputs",
                plugin: {
                    import: {
                        format: "<instanceId>:<sourceInstanceId>:<securityGroupId>[,<securityGroupId>...][:<backupId>]",
                        example: "crs-8kq2m1zx:crs-5a4py64p:sg-5fgt7a1b:678362566696298532848117",
                        module: "cloneImport",
                    },
                },
            },
            {
                type: "RestoreDrill",
                kind: "drill",
                props: { module: "cloneProps", exportName: "CLONE_DRILL_PROPS" },
                resource: "cloneDrillResource",
                provider: "cloneDrill",
                entry: "cloneDrillEntry",
                plugin: {},
            },
        ],
        lookup: "redisLookup",
        examples: [{ dir: "examples/tencentcloud-redis", project: "tencentcloud-redis-restore" }],
    },
    {
        name: "zstack",
        title: "ZStack Cloud",
        product: "VM backups",
        module: "zstack",
        docs: "docs/zstack.md",
        resources: [
            {
                type: "VmFromBackup",
                kind: "restore",
                props: { module: "vmProps", exportName: "VM_FROM_BACKUP_PROPS" },
                resource: "vmResource",
                provider: "vmProvider",
                entry: "vmEntry",
                inputs: "vmInputs",
                plugin: {
                    import: {
                        format: "<vmUuid>[:<backupGroupUuid>]",
                        example: "a1c07d683f693f6e9f2d7f9a499c7840:0f5d1b2a3c4e5f60718293a4b5c6d7e8",
                        module: "vmImport",
                    },
                },
            },
            {
                type: "RestoreDrill",
                kind: "drill",
                props: { module: "vmProps", exportName: "VM_DRILL_PROPS" },
                resource: "vmDrillResource",
                provider: "vmDrill",
                entry: "vmDrillEntry",
                plugin: {},
            },
        ],
        lookup: "vmLookup",
        examples: [{ dir: "examples/zstack", project: "zstack-vm-restore" }],
    },
    {
        name: "jdcloud",
        title: "JD Cloud",
        product: "RDS",
        module: "jdcloud/rds",
        docs: "docs/jdcloud.md",
        resources: [
            {
                type: "RestoredInstance",
                kind: "restore",
                props: { module: "rdsProps", exportName: "RDS_RESTORE_PROPS" },
                resource: "rdsResource",
                provider: "rdsProvider",
                entry: "rdsEntry",
                inputs: "rdsInputs",
                plugin: {
                    import: {
                        format: "<instanceId>[:<backupId>]",
                        example: "mysql-k2x7ab9q0w:bk-0a1b2c3d4e",
                        module: "rdsImport",
                    },
                },
            },
            {
                type: "RestoreDrill",
                kind: "drill",
                props: { module: "rdsProps", exportName: "RDS_DRILL_PROPS" },
                resource: "rdsDrillResource",
                provider: "rdsDrill",
                entry: "rdsDrillEntry",
                plugin: {},
            },
        ],
        lookup: "rdsLookup",
        examples: [{ dir: "examples/jdcloud-rds", project: "jdcloud-rds-restore" }],
    },
    {
        name: "huaweicloud",
        title: "Huawei Cloud",
        product: "KooPhone",
        module: "huaweicloud/koophone",
        docs: "docs/huaweicloud.md",
        resources: [
            {
                type: "InstanceBackup",
                kind: "restore",
                props: { module: "koophoneProps", exportName: "INSTANCE_BACKUP_PROPS" },
                resource: "koophoneResource",
                provider: "koophoneProvider",
                entry: "koophoneEntry",
                inputs: "koophoneInputs",
                plugin: {
                    import: {
                        format: "<userId>:<instanceId>[,<instanceId>...]",
                        example: "1008600000104285462:phone-01,phone-02",
                        module: "koophoneImport",
                    },
                },
            },
        ],
        examples: [{ dir: "examples/huaweicloud-koophone", project: "huaweicloud-koophone-backup" }],
    },
] as const satisfies readonly CloudEntry[];

/** A cloud's name: `alicloud`, `tencentcloud`, ... */
export type CloudName = (typeof CLOUDS)[number]["name"];

/** Every cloud's name, in registry order. */
export const CLOUD_NAMES: readonly CloudName[] = CLOUDS.map((c) => c.name);

/** The cloud of that name. */
export function cloudNamed(name: CloudName): CloudEntry {
    return CLOUDS.find((c) => c.name === name) as CloudEntry;
}

/** A resource's module and type (`alicloud/starrocks:RestoredInstance`): its type token without the package. */
export type ResourceKey = {
    [C in (typeof CLOUDS)[number] as C["name"]]: `${C["module"]}:${C["resources"][number]["type"]}`;
}[CloudName];

/** A restore resource's module and type: the resources (not the drills) that every shared suite exercises. */
export type RestoreKey = {
    [
        C in (typeof CLOUDS)[number] as C["name"]
    ]: `${C["module"]}:${Extract<C["resources"][number], { kind: "restore" }>["type"]}`;
}[CloudName];

/** A resource with its cloud. */
export interface RegisteredResource extends ResourceEntry {
    cloud: CloudEntry;
    /** `alicloud/starrocks:RestoredInstance` */
    key: ResourceKey;
    /** The module path of a file of the cloud folder, from the repository's root: `provider/alicloud/starrocksEntry`. */
    path(module: string): string;
}

/** The repository-relative path of a module of a cloud's folder (no extension): `provider/alicloud/starrocksEntry`. */
export function cloudModule(cloud: Pick<CloudEntry, "name">, module: string): string {
    return `provider/${cloud.name}/${module}`;
}

/** Every resource of every cloud: the restores of each cloud in registry order, then the drills. */
export function allResources(): RegisteredResource[] {
    const all = CLOUDS.flatMap((c: CloudEntry) =>
        c.resources.map((r): RegisteredResource => ({
            ...r,
            cloud: c,
            key: `${c.module}:${r.type}` as ResourceKey,
            path: (m: string) => cloudModule(c, m),
        })),
    );
    return [...all.filter((r) => r.kind === "restore"), ...all.filter((r) => r.kind === "drill")];
}
