/**
 * Values still unknown at `pulumi preview` (another resource's outputs), through the real dynamic-provider host. The
 * harness now sends check() what the engine sends for them (its unknown sentinel string, not the SDK's
 * `{"__pulumiUnknown": true}` object), and every rule that reads an unknown value waits for it: the programs of issue 13
 * preview cleanly and make no API call. Every field of every resource is covered, offline, by tests/unit/unknowns.test.ts.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { RunningEmulator, startEmulator } from "../../emulator";
import { alicloud, jdcloud, zstack } from "../../index";
import { UNKNOWN } from "../../provider/core/validate";
import { Engine, toEngineValue } from "../../harness/engine";

const VPC = "vpc-bp1fll2mci6d7pw8m";
const VSW = "vsw-bp19mlh98tm9teyyd";
const L3 = "2c3d4e5f60718293a4b5c6d7e8f90a1b";

describe("unknown values at preview (real dynamic-provider host)", function () {
    this.timeout(120_000);
    let emu: RunningEmulator;
    let eng: Engine;
    before(async () => {
        emu = await startEmulator({});
        eng = new Engine({ config: { ...emu.config } });
    });
    after(async () => {
        await eng?.close();
        await emu?.stop();
    });

    it("the harness hands the host the engine's sentinel string for an unknown value, at any depth", () => {
        assert.equal(toEngineValue(pulumi.unknown).value, UNKNOWN);
        assert.deepEqual(toEngineValue({ a: [pulumi.unknown, { b: pulumi.unknown }] }).value, {
            a: [UNKNOWN, { b: UNKNOWN }],
        });
    });

    it("StarRocks payType, regionId, vSwitches[i] and vSwitches[i].zoneId, JD chargeMode with prepaid fields and ZStack vmNicParams[i] unknown: preview passes", async () => {
        const r = await eng.preview(() => {
            // A resource created in this very preview: its outputs are unknown until `up`.
            const src = new alicloud.starrocks.RestoredInstance("src", { backupTaskId: "bk-unknown01" });
            const later = <T>(v: T): pulumi.Output<T> => src.instanceId.apply(() => v);
            const sr = (name: string, args: Record<string, unknown>) =>
                new alicloud.starrocks.RestoredInstance(name, {
                    backupTaskId: "bk-unknown01",
                    ...args,
                } as alicloud.starrocks.RestoredInstanceArgs);
            sr("sr-paytype", { payType: later("prePaid"), pricingCycle: "Month", duration: 3 });
            sr("sr-region", {
                regionId: later("cn-hangzhou"),
                vpcId: VPC,
                vSwitches: [{ zoneId: "cn-hangzhou-i", vswId: VSW }],
            });
            sr("sr-vswitch", {
                regionId: "cn-hangzhou",
                vpcId: VPC,
                vSwitches: [later({ zoneId: "cn-hangzhou-i", vswId: VSW })],
            });
            sr("sr-zone", {
                regionId: "cn-hangzhou",
                vpcId: VPC,
                vSwitches: [{ zoneId: later("cn-hangzhou-i"), vswId: VSW }],
            });
            new jdcloud.rds.RestoredInstance("jd-charge", {
                regionId: "cn-north-1",
                backupId: "bk-unknown01",
                engine: "MySQL",
                instanceSpec: {
                    instanceClass: "db.mysql.s1.micro",
                    instanceStorageGB: 20,
                    azId: ["cn-north-1a"],
                    vpcId: "vpc-1a2b3c4d5e",
                    subnetId: "subnet-1a2b3c4d5e",
                    chargeSpec: {
                        chargeMode: later("prepaid_by_duration" as const),
                        chargeUnit: "month",
                        chargeDuration: 3,
                    },
                },
            });
            new zstack.VmFromBackup("zs-nic", {
                backupGroupUuid: "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
                name: "web",
                instanceOfferingUuid: "1b2c3d4e5f60718293a4b5c6d7e8f90a",
                l3NetworkUuids: [L3],
                vmNicParams: [later({ l3NetworkUuid: L3, ip: "10.0.0.5" })],
            });
        });
        assert.deepEqual(
            r.errors.map((e) => e.message),
            [],
        );
        assert.equal(r.steps.filter((s) => s.op === "create").length, 7, "every resource would be created");
        assert.ok(eng.host && eng.host.alive, "check ran in the dynamic-provider host");
        for (const c of ["alicloud", "jdcloud", "zstack"] as const)
            assert.equal(emu[c].server.count(), 0, `preview made a ${c} API call`);
    });

    it("a rule that does not depend on the unknown value still fails at preview", async () => {
        const r = await eng.preview(() => {
            const src = new alicloud.starrocks.RestoredInstance("src", { backupTaskId: "bk-unknown01" });
            // payType unknown does not excuse a duration no cycle allows.
            new alicloud.starrocks.RestoredInstance("sr-bad", {
                backupTaskId: "bk-unknown01",
                payType: src.instanceId.apply(() => "prePaid" as const),
                pricingCycle: "Month",
                duration: 13,
            });
        });
        assert.ok(
            r.errors.some((e) => /duration: must be from 1 to 12/.test(e.message)),
            r.errors.map((e) => e.message).join("; "),
        );
    });
});
