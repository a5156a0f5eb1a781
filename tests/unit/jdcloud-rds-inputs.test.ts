import { strict as assert } from "assert";
import { UNKNOWN } from "../../provider/core/validate";
import { RdsRestoreProvider } from "../../provider/jdcloud/rdsProvider";
import { RdsRestoreOutputs, checkRdsRestore, derivedName, intentDigest } from "../../provider/jdcloud/rdsInputs";
import { fromState } from "../../provider/core/resource";

const TOKEN = "prt-0123456789abcdef0123";

function good(
    over: Record<string, unknown> = {},
    spec: Record<string, unknown> = {},
    charge?: Record<string, unknown>,
): Record<string, unknown> {
    return {
        restoreToken: TOKEN,
        regionId: "cn-north-1",
        backupId: "bk-0001-mysql",
        engine: "MySQL",
        instanceSpec: {
            instanceClass: "db.mysql.s1.micro",
            instanceStorageGB: 20,
            azId: ["cn-north-1a", "cn-north-1b"],
            vpcId: "vpc-abc12345",
            subnetId: "subnet-abc12345",
            chargeSpec: charge ?? { chargeMode: "postpaid_by_duration" },
            ...spec,
        },
        ...over,
    };
}

/** [description, inputs, property named in the failure, words the reason must contain]. */
const BAD: [string, Record<string, unknown>, string, RegExp][] = [
    ["backupId missing", good({ backupId: undefined }), "backupId", /required/],
    ["backupId with a slash", good({ backupId: "../etc" }), "backupId", /backup id/],
    ["engine missing", good({ engine: undefined }), "engine", /required: one of "MySQL"/],
    ["engine not in the enumeration", good({ engine: "Oracle" }), "engine", /must be one of/],
    ["engine in the wrong case", good({ engine: "mysql" }), "engine", /did you mean "MySQL"/],
    ["instanceSpec missing", good({ instanceSpec: undefined }), "instanceSpec", /required/],
    ["instanceSpec not an object", good({ instanceSpec: "big" }), "instanceSpec", /must be an object/],
    ["unknown top-level property", good({ backupID: "x" }), "backupID", /did you mean "backupId"/],
    ["unknown spec field", good({}, { instanceClas: "x" }), "instanceSpec.instanceClas", /not a field of instanceSpec/],
    ["instanceClass missing", good({}, { instanceClass: undefined }), "instanceSpec.instanceClass", /required/],
    [
        "instanceStorageGB missing",
        good({}, { instanceStorageGB: undefined }),
        "instanceSpec.instanceStorageGB",
        /required/,
    ],
    [
        "instanceStorageGB zero",
        good({}, { instanceStorageGB: 0 }),
        "instanceSpec.instanceStorageGB",
        /from 1 to 65536 GB/,
    ],
    ["instanceStorageGB negative", good({}, { instanceStorageGB: -20 }), "instanceSpec.instanceStorageGB", /from 1 to/],
    [
        "instanceStorageGB fractional",
        good({}, { instanceStorageGB: 20.5 }),
        "instanceSpec.instanceStorageGB",
        /whole number/,
    ],
    ["azId missing", good({}, { azId: undefined }), "instanceSpec.azId", /required/],
    ["azId empty", good({}, { azId: [] }), "instanceSpec.azId", /at least 1/],
    [
        "azId more than two",
        good({}, { azId: ["cn-north-1a", "cn-north-1b", "cn-north-1c"] }),
        "instanceSpec.azId",
        /at most 2/,
    ],
    [
        "azId zone of another region",
        good({}, { azId: ["cn-east-2a", "cn-east-2a"] }),
        "instanceSpec.azId[0]",
        /not in region "cn-north-1"/,
    ],
    ["azId not a zone", good({}, { azId: ["north", "cn-north-1a"] }), "instanceSpec.azId[0]", /zone id/],
    ["vpcId missing", good({}, { vpcId: undefined }), "instanceSpec.vpcId", /required/],
    ["vpcId malformed", good({}, { vpcId: "net-1" }), "instanceSpec.vpcId", /VPC id/],
    ["subnetId missing", good({}, { subnetId: "" }), "instanceSpec.subnetId", /required/],
    ["chargeSpec missing", good({}, { chargeSpec: undefined }), "instanceSpec.chargeSpec", /required/],
    [
        "chargeMode not in the enumeration",
        good({}, {}, { chargeMode: "monthly" }),
        "instanceSpec.chargeSpec.chargeMode",
        /prepaid_by_duration/,
    ],
    [
        "chargeUnit with postpaid",
        good({}, {}, { chargeMode: "postpaid_by_usage", chargeUnit: "month" }),
        "instanceSpec.chargeSpec.chargeUnit",
        /only to "prepaid_by_duration"/,
    ],
    [
        "chargeDuration with the default (postpaid) mode",
        good({}, {}, { chargeDuration: 3 }),
        "instanceSpec.chargeSpec.chargeDuration",
        /must not be set/,
    ],
    [
        "prepaid without chargeDuration",
        good({}, {}, { chargeMode: "prepaid_by_duration" }),
        "instanceSpec.chargeSpec.chargeDuration",
        /required/,
    ],
    [
        "prepaid 10 months",
        good({}, {}, { chargeMode: "prepaid_by_duration", chargeUnit: "month", chargeDuration: 10 }),
        "instanceSpec.chargeSpec.chargeDuration",
        /from 1 to 9 months/,
    ],
    [
        "prepaid 4 years",
        good({}, {}, { chargeMode: "prepaid_by_duration", chargeUnit: "year", chargeDuration: 4 }),
        "instanceSpec.chargeSpec.chargeDuration",
        /from 1 to 3 years/,
    ],
    [
        "prepaid unit week",
        good({}, {}, { chargeMode: "prepaid_by_duration", chargeUnit: "week", chargeDuration: 1 }),
        "instanceSpec.chargeSpec.chargeUnit",
        /"month", "year"/,
    ],
    [
        "unknown chargeSpec field",
        good({}, {}, { chargeMode: "postpaid_by_usage", autoRenew: true }),
        "instanceSpec.chargeSpec.autoRenew",
        /not a field of chargeSpec/,
    ],
    [
        "parameterGroup for SQL Server",
        good({ engine: "SQL Server" }, { parameterGroup: "pg-0001" }),
        "instanceSpec.parameterGroup",
        /applies only to MySQL/,
    ],
    [
        "instanceStorageType for Percona",
        good({ engine: "Percona" }, { instanceStorageType: "LOCAL_SSD" }),
        "instanceSpec.instanceStorageType",
        /applies only to MySQL/,
    ],
    [
        "storageEncrypted for MariaDB",
        good({ engine: "MariaDB" }, { storageEncrypted: false }),
        "instanceSpec.storageEncrypted",
        /applies only to MySQL/,
    ],
    [
        "instancePort for SQL Server",
        good({ engine: "SQL Server" }, { instancePort: 1433 }),
        "instanceSpec.instancePort",
        /MySQL, Percona, MariaDB/,
    ],
    [
        "instanceType for MySQL",
        good({}, { instanceType: "standalone" }),
        "instanceSpec.instanceType",
        /applies only to SQL Server/,
    ],
    [
        "instanceType not in the enumeration",
        good({ engine: "SQL Server" }, { instanceType: "single" }),
        "instanceSpec.instanceType",
        /"standalone", "cluster"/,
    ],
    ["instancePort out of range", good({}, { instancePort: 70000 }), "instanceSpec.instancePort", /from 1150 to 5999/],
    [
        "instancePort below the SDK's range",
        good({}, { instancePort: 1149 }),
        "instanceSpec.instancePort",
        /from 1150 to 5999/,
    ],
    [
        "storageEncrypted on local disks",
        good({}, { storageEncrypted: true }),
        "instanceSpec.storageEncrypted",
        /cloud-disk storage/,
    ],
    [
        "storageEncrypted not a boolean",
        good({}, { storageEncrypted: "yes" }),
        "instanceSpec.storageEncrypted",
        /true or false/,
    ],
    ["instanceName too short", good({}, { instanceName: "a" }), "instanceSpec.instanceName", /2 to 32/],
    [
        "instanceName with a space",
        good({}, { instanceName: "orders dr" }),
        "instanceSpec.instanceName",
        /letters, digits/,
    ],
    ["regionId malformed", good({ regionId: "north" }), "regionId", /region id/],
    ["timeouts.create not a duration", good({ timeouts: { create: "soon" } }), "timeouts.create", /duration/],
    ["adoptId malformed", good({ adoptId: "MySQL 1" }), "adoptId", /instance id/],
];

describe("jdcloud rds RestoredInstance check()", () => {
    it(`rejects ${BAD.length} bad inputs, each failure naming the property and what is allowed`, () => {
        assert.ok(BAD.length >= 25);
        for (const [what, inputs, property, reason] of BAD) {
            const { failures } = checkRdsRestore(inputs);
            const f = failures.find((x) => x.property === property);
            assert.ok(f, `${what}: expected a failure for ${property}, got ${JSON.stringify(failures)}`);
            assert.ok(f.reason.startsWith(`${property}: `), `${what}: the reason names the property`);
            assert.match(f.reason, reason, what);
        }
    });

    it("accepts a valid MySQL restore and normalises it (port as a string, default charge mode, derived name)", () => {
        const { inputs, failures } = checkRdsRestore(
            good(
                {},
                {
                    instancePort: 3307,
                    instanceStorageType: "EBS_SSD",
                    storageEncrypted: true,
                    parameterGroup: "pg-abc123",
                },
                {},
            ),
        );
        assert.deepEqual(failures, []);
        assert.equal(inputs.instanceSpec.instancePort, "3307");
        assert.deepEqual(inputs.instanceSpec.chargeSpec, { chargeMode: "postpaid_by_duration" });
        assert.equal(inputs.autoNamed, true);
        assert.match(inputs.instanceSpec.instanceName, /^prt-0123456789ab-[0-9a-f]{8}$/);
        assert.ok(inputs.instanceSpec.instanceName.length <= 32);
    });

    it("accepts the engine-specific fields where they apply, and prepaid with defaults", () => {
        assert.deepEqual(checkRdsRestore(good({ engine: "SQL Server" }, { instanceType: "standalone" })).failures, []);
        assert.deepEqual(checkRdsRestore(good({ engine: "Percona" }, { instancePort: "3310" })).failures, []);
        // The SDK's RestoredNewDBInstanceSpec: PostgreSQL takes instancePort (default 5432); SQL Server multi-replica.
        assert.deepEqual(checkRdsRestore(good({ engine: "PostgreSQL" }, { instancePort: "5432" })).failures, []);
        assert.deepEqual(
            checkRdsRestore(good({ engine: "SQL Server" }, { instanceType: "multi-replica" })).failures,
            [],
        );
        const p = checkRdsRestore(good({}, {}, { chargeMode: "prepaid_by_duration", chargeDuration: 9 }));
        assert.deepEqual(p.failures, []);
        assert.deepEqual(p.inputs.instanceSpec.chargeSpec, {
            chargeMode: "prepaid_by_duration",
            chargeUnit: "month",
            chargeDuration: 9,
        });
        assert.deepEqual(
            checkRdsRestore(good({}, {}, { chargeMode: "prepaid_by_duration", chargeUnit: "year", chargeDuration: 3 }))
                .failures,
            [],
        );
    });

    it("derives the name from the restore token and the restore inputs: stable, and different for another backup", () => {
        const a = checkRdsRestore(good()).inputs.instanceSpec.instanceName;
        assert.equal(checkRdsRestore(good()).inputs.instanceSpec.instanceName, a);
        assert.notEqual(checkRdsRestore(good({ backupId: "bk-0002-mysql" })).inputs.instanceSpec.instanceName, a);
        assert.notEqual(
            checkRdsRestore(good({ restoreToken: "prt-fedcba9876543210fedc" })).inputs.instanceSpec.instanceName,
            a,
        );
        const named = checkRdsRestore(good({}, { instanceName: "orders-dr" })).inputs;
        assert.equal(named.instanceSpec.instanceName, "orders-dr");
        assert.equal(named.autoNamed, false);
        const i = checkRdsRestore(good()).inputs;
        assert.equal(derivedName(TOKEN, intentDigest(i)), a);
    });

    it("a chosen name may not look like a derived one (another resource's proof of ownership); its own derived name checks again", () => {
        const other = checkRdsRestore(good({ restoreToken: "prt-fedcba9876543210fedc" })).inputs.instanceSpec
            .instanceName;
        const f = checkRdsRestore(good({}, { instanceName: other })).failures;
        assert.deepEqual(
            f.map((x) => x.property),
            ["instanceSpec.instanceName"],
        );
        assert.match(f[0].reason, /"prt-" are reserved for names derived from a restore token/);
        const once = checkRdsRestore(good()).inputs;
        const twice = checkRdsRestore(once as unknown as Record<string, unknown>);
        assert.deepEqual(twice.failures, []);
        assert.equal(twice.inputs.autoNamed, true);
        assert.equal(twice.inputs.instanceSpec.instanceName, once.instanceSpec.instanceName);
    });

    it("takes the region from config when regionId is not set, and fails naming regionId when there is none", () => {
        assert.equal(checkRdsRestore(good({ regionId: undefined }), "cn-east-2").inputs.regionId, "cn-east-2");
        const f = checkRdsRestore(good({ regionId: undefined })).failures;
        assert.ok(f.some((x) => x.property === "regionId" && /jdcloud:region/.test(x.reason)));
    });

    it("lets unknown values through during preview (the name is then unknown too)", () => {
        const { inputs, failures } = checkRdsRestore(good({ backupId: UNKNOWN }, { vpcId: UNKNOWN }));
        assert.deepEqual(failures, []);
        assert.equal(inputs.instanceSpec.instanceName, UNKNOWN);
    });

    it("diff: a new backupId replaces (create first, the name differs); a kept name deletes first; timeouts update in place", async () => {
        const p = new RdsRestoreProvider({ env: {} }, {});
        // As state from an earlier release holds them (only what diff reads).
        const olds = fromState<RdsRestoreOutputs>({
            ...checkRdsRestore(good()).inputs,
            instanceId: "mysql-1",
            instanceStatus: "RUNNING",
        });
        const same = await p.diff("mysql-1", olds, checkRdsRestore(good()).inputs);
        assert.equal(same.changes, false);
        const nb = await p.diff("mysql-1", olds, checkRdsRestore(good({ backupId: "bk-0002-mysql" })).inputs);
        assert.deepEqual(nb.replaces?.sort(), ["backupId", "instanceSpec"]);
        assert.equal(nb.deleteBeforeReplace, false);
        const namedOld = fromState<RdsRestoreOutputs>({
            ...checkRdsRestore(good({}, { instanceName: "orders-dr" })).inputs,
            instanceId: "mysql-1",
        });
        const namedNew = await p.diff(
            "mysql-1",
            namedOld,
            checkRdsRestore(good({ backupId: "bk-0002-mysql" }, { instanceName: "orders-dr" })).inputs,
        );
        assert.deepEqual(namedNew.replaces, ["backupId"]);
        assert.equal(namedNew.deleteBeforeReplace, true);
        const to = await p.diff("mysql-1", olds, checkRdsRestore(good({ timeouts: { create: "3h" } })).inputs);
        assert.equal(to.changes, true);
        assert.deepEqual(to.replaces, []);
        const adopt = await p.diff("mysql-1", olds, checkRdsRestore(good({ adoptId: "mysql-abcd1234" })).inputs);
        assert.equal(adopt.changes, false, "adoptId matters only at create");
    });
});
