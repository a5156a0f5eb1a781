/**
 * Writes the state-compatibility fixtures of this release (tests/fixtures/state/<release>/, README there): for each
 * fixture, a stack of its program (tests/cli/compat-project, tests/cli/compat-yaml) is brought up through the real
 * Pulumi CLI and engine against the emulator, exported (`pulumi stack export`) with the machine's paths and the
 * emulator's ports replaced by placeholders, and the emulator's contents at that moment are written beside it as seed
 * calls. Nothing of the stack remains afterwards.
 *
 *   npx ts-node --transpile-only scripts/generate-state-fixtures.ts [<release>] [<fixture>...]
 *
 * <release> defaults to package.json's version. Run it at a release, from a clean checkout of that release, and check
 * the new directory in; never regenerate a directory already checked in (the test's point is that old state loads).
 */
import * as fs from "fs";
import * as path from "path";
import { RunningEmulator, startEmulator } from "../emulator";
import { findPulumi, NO_CLI_MESSAGE } from "../harness/pulumiCli";
import {
    CloudFixture,
    FIXTURE_DIR,
    FIXTURE_NAMES,
    FIXTURE_SECRETS,
    FIXTURE_TIMINGS,
    FixtureName,
    ROOT,
    SeedCall,
    fixtureProject,
    initFixtureStack,
    toPlaceholders,
} from "../tests/support/stateFixtures";

/** What the programs restore from: the same ids in every fixture (the programs name them). */
const BASE_SEEDS: SeedCall[] = [
    { cloud: "alicloud", kind: "backup", data: { BackupTaskId: "bk-compat000001", RegionId: "cn-hangzhou" } },
    {
        cloud: "tencentcloud",
        kind: "instance",
        data: { InstanceId: "crs-compat01", Password: FIXTURE_SECRETS.redisPassword },
    },
    { cloud: "tencentcloud", kind: "backup", data: { InstanceId: "crs-compat01", BackupId: "compat-backup-01" } },
    { cloud: "zstack", kind: "l3Network", data: { uuid: "c0a7c0a7000000000000000000000c01", prefix: "192.168.77." } },
    { cloud: "zstack", kind: "instanceOffering", data: { uuid: "c0a7c0a7000000000000000000000b01" } },
    {
        cloud: "zstack",
        kind: "backupGroup",
        data: { uuid: "c0a7c0a7000000000000000000000a01", l3NetworkUuids: ["c0a7c0a7000000000000000000000c01"] },
    },
    { cloud: "jdcloud", kind: "backup", data: { backupId: "bk-compat-nightly", engine: "MySQL" } },
    { cloud: "huaweicloud", kind: "instance", data: { id: "compatP01" } },
    { cloud: "huaweicloud", kind: "instance", data: { id: "compatP02" } },
];

type Row = Record<string, unknown>;
const rows = (v: unknown): Row[] => (Array.isArray(v) ? (v as Row[]) : []);
/** Drops undefined fields (JSON would anyway; this keeps the seed calls readable). */
const defined = (o: Row): Row => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/**
 * What the emulator holds now, as seed calls that make a fresh emulator hold the same: the base seeds (backups,
 * networks, the source instance) with what the restores made and what they changed (phones parked, their time).
 * Instances on their way out (a drill's scratch being deleted) are left out.
 */
function cloudSeeds(emu: RunningEmulator): SeedCall[] {
    const seeds: SeedCall[] = [];
    const add = (cloud: SeedCall["cloud"], kind: string, data: Row) => seeds.push({ cloud, kind, data: defined(data) });

    const ali = emu.alicloud.service.snapshot();
    for (const b of rows(ali.backups)) add("alicloud", "backup", b);
    for (const i of rows(ali.instances).filter((x) => x.InstanceStatus === "running"))
        add("alicloud", "instance", {
            InstanceId: i.InstanceId,
            InstanceName: i.InstanceName,
            PayType: i.PayType,
            RegionId: i.RegionId,
            VpcId: i.VpcId,
            VSwitches: i.VSwitches,
            Tags: i.Tags,
            ResourceGroupId: i.ResourceGroupId,
            BeginTime: i.BeginTime,
        });

    const tc = emu.tencentcloud.service.snapshot();
    for (const i of rows(tc.instances).filter((x) => x.Status === 2))
        add("tencentcloud", "instance", {
            InstanceId: i.InstanceId,
            InstanceName: i.InstanceName,
            Region: i.Region,
            ZoneId: i.ZoneId,
            BillingMode: i.BillingMode,
            Tags: i.InstanceTags,
            Port: i.Port,
            UniqVpcId: i.UniqVpcId || undefined,
            UniqSubnetId: i.UniqSubnetId || undefined,
            // An instance with a password: the value is not the program's (a fixture holds no secret) and no step of
            // the test restores or connects, so any password does.
            Password: i.NoAuth ? undefined : "seeded-by-fixture",
        });
    for (const b of rows(tc.backups)) add("tencentcloud", "backup", { InstanceId: b.InstanceId, BackupId: b.BackupId });

    for (const s of BASE_SEEDS.filter((x) => x.cloud === "zstack")) seeds.push(s);
    // ZStack keeps the VM's tags (the restore token's mark among them) off its inventory view.
    const zsVms = (emu.zstack.service as unknown as { vms: Map<string, { userTags: string[]; systemTags: string[] }> })
        .vms;
    for (const v of emu.zstack.service.liveVms().filter((x) => x.state === "Running")) {
        const tags = zsVms.get(String(v.uuid));
        add("zstack", "vm", {
            uuid: v.uuid,
            name: v.name,
            l3NetworkUuid: v.defaultL3NetworkUuid,
            userTags: tags?.userTags,
            systemTags: tags?.systemTags,
        });
    }

    const jd = emu.jdcloud.service.snapshot();
    for (const b of rows(jd.backups)) add("jdcloud", "backup", b);
    for (const i of rows(jd.instances).filter((x) => x.instanceStatus === "RUNNING"))
        add("jdcloud", "instance", {
            instanceId: i.instanceId,
            instanceName: i.instanceName,
            regionId: i.regionId,
            engine: i.engine,
            instanceClass: i.instanceClass,
            instanceStorageGB: i.instanceStorageGB,
            azId: i.azId,
            vpcId: i.vpcId,
            subnetId: i.subnetId,
            chargeMode: (i.charge as Row | undefined)?.chargeMode ?? i.chargeMode,
            tags: i.tags,
            orderId: i.orderId,
            backupId: i.backupId,
        });

    const hw = emu.huaweicloud.service.snapshot();
    for (const i of rows(hw.instances))
        add("huaweicloud", "instance", {
            id: i.instance_id,
            name: i.instance_name,
            region: i.region,
            phase: i.phase === "backedUp" ? "backedUp" : undefined,
            backupTime: i.phase === "backedUp" ? Date.parse(String(i.backup_time)) : undefined,
        });
    return seeds;
}

async function generate(cli: string, release: string, name: FixtureName): Promise<void> {
    const emu = await startEmulator(FIXTURE_TIMINGS);
    const dir = fixtureProject(name);
    try {
        for (const s of BASE_SEEDS) emu[s.cloud].service.seed(s.kind, s.data);
        const stack = await initFixtureStack(cli, name, dir, emu);
        const up = await stack.up();
        if (up.code !== 0) throw new Error(`${name}: pulumi up failed\n${up.stdout}\n${up.stderr}`);
        // Let every deletion a drill started finish, so that the seeds hold what stays.
        await new Promise((r) => setTimeout(r, 1500));
        const state = await stack.exportState();
        const leaked = [...Object.values(FIXTURE_SECRETS), ...emu.secretConfigKeys.map((k) => emu.config[k])].filter(
            (s) => state.includes(s),
        );
        if (leaked.length > 0) throw new Error(`${name}: the exported state holds a secret in plaintext`);
        const out = path.join(FIXTURE_DIR, release);
        fs.mkdirSync(out, { recursive: true });
        fs.writeFileSync(path.join(out, `${name}.state.json`), toPlaceholders(state, emu));
        const cloud: CloudFixture = { seeds: cloudSeeds(emu) };
        fs.writeFileSync(path.join(out, `${name}.cloud.json`), `${JSON.stringify(cloud, null, 2)}\n`);
        console.log(`${name}: ${path.relative(ROOT, out)}/${name}.{state,cloud}.json (${cloud.seeds.length} seeds)`);
        // The stack is forgotten, not destroyed: the emulator goes with it.
        await stack.remove();
    } finally {
        await emu.stop();
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

async function main(): Promise<void> {
    const cli = findPulumi();
    if (!cli) throw new Error(NO_CLI_MESSAGE);
    const [
        release = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version,
        ...only
    ] = process.argv.slice(2);
    const unknown = only.filter((n) => !(FIXTURE_NAMES as readonly string[]).includes(n));
    if (unknown.length > 0)
        throw new Error(`unknown fixture ${unknown.join(", ")}: one of ${FIXTURE_NAMES.join(", ")}`);
    for (const name of only.length > 0 ? (only as FixtureName[]) : FIXTURE_NAMES)
        await generate(cli.path, release, name);
}

main().catch((e: Error) => {
    console.error(e.message);
    process.exit(1);
});
