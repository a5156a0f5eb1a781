import { Corpus, CorpusBuilder, PROVIDER_TEXT, Props, TOKEN } from "./types";

const SPEC = {
    instanceName: "orders-dr",
    instanceClass: "db.mysql.s1.micro",
    instanceStorageGB: 20,
    azId: ["cn-north-1a", "cn-north-1b"],
    vpcId: "vpc-1a2b3c4d5e",
    subnetId: "subnet-1a2b3c4d5e",
    parameterGroup: "pg-abc123",
    chargeSpec: { chargeMode: "postpaid_by_duration" },
    instanceStorageType: "EBS_SSD",
    instancePort: 3306,
    storageEncrypted: true,
};

/** A valid MySQL restore with every MySQL field set. */
export const RDS_BASE: Props = {
    __provider: PROVIDER_TEXT,
    restoreToken: TOKEN,
    regionId: "cn-north-1",
    backupId: "bk-orders-nightly",
    engine: "MySQL",
    instanceSpec: SPEC,
    timeouts: { create: "60m" },
};

/** A valid prepaid restore. */
export const RDS_PREPAID: Props = {
    ...RDS_BASE,
    instanceSpec: {
        ...SPEC,
        chargeSpec: { chargeMode: "prepaid_by_duration", chargeUnit: "month", chargeDuration: 3 },
    },
};

/** A valid SQL Server restore (no MySQL-only fields). */
export const RDS_SQLSERVER: Props = {
    ...RDS_BASE,
    engine: "SQL Server",
    instanceSpec: {
        instanceName: "orders-dr",
        instanceClass: "db.sql.s1.large",
        instanceStorageGB: 40,
        azId: ["cn-north-1a"],
        vpcId: "vpc-1a2b3c4d5e",
        subnetId: "subnet-1a2b3c4d5e",
        chargeSpec: { chargeMode: "postpaid_by_usage" },
        instanceType: "cluster",
    },
};

function build(): Corpus {
    const b = new CorpusBuilder(RDS_BASE);
    const s = (p: string) => `instanceSpec.${p}`;
    b.idAttacks("backupId", "bk-orders-nightly", "backupId");
    b.remove("backupId", "backupId missing (required)")
        .set("backupId", "", "backupId empty (required)")
        .set("backupId", "ab", "backupId too short")
        .set("restoreToken", "", "restoreToken empty")
        .set("regionId", "cn-north", "regionId without its number")
        .set("regionId", "CN-NORTH-1", "regionId upper case")
        .set("regionId", "cn-north-1/../x", "regionId path traversal")
        .set("regionId", "cn-north-1?x=1", "regionId with a URL metacharacter")
        .set("regionId", `cn-north-${"1".repeat(10_000)}`, "regionId oversized")
        .set("regionId", 1, "regionId a number")
        .set("engine", "mysql", "engine lower case (bad enum)")
        .set("engine", "Oracle", "engine not offered (bad enum)")
        .set("engine", "SQLServer", "engine without its space (bad enum)")
        .remove("engine", "engine missing (required)")
        .set("engine", 5, "engine a number")
        .remove("instanceSpec", "instanceSpec missing (required)")
        .set("instanceSpec", "db.mysql.s1.micro", "instanceSpec a string")
        .set("instanceSpec", [SPEC], "instanceSpec a list")
        .set(s("instanceName"), "1orders", "instanceName starting with a digit")
        .set(s("instanceName"), "o", "instanceName too short")
        .set(s("instanceName"), "o".repeat(33), "instanceName oversized (33 characters)")
        .set(s("instanceName"), "orders dr", "instanceName with a space")
        .set(s("instanceName"), "orders/../x", "instanceName path traversal")
        .set(s("instanceName"), "orders?x=1&y", "instanceName with URL metacharacters")
        .set(s("instanceName"), "订单\u202e", "instanceName with a right-to-left override (unicode)")
        .set(s("instanceName"), 7, "instanceName a number")
        .remove(s("instanceClass"), "instanceClass missing (required)")
        .set(s("instanceClass"), "db mysql", "instanceClass with a space")
        .set(s("instanceClass"), "../x", "instanceClass path traversal")
        .set(s("instanceStorageGB"), 0, "instanceStorageGB 0 (out of range)")
        .set(s("instanceStorageGB"), -20, "instanceStorageGB negative")
        .set(s("instanceStorageGB"), 20.5, "instanceStorageGB not whole")
        .set(s("instanceStorageGB"), "20GB", "instanceStorageGB with a unit")
        .remove(s("instanceStorageGB"), "instanceStorageGB missing (required)")
        .set(s("azId"), [], "azId empty")
        .set(s("azId"), ["cn-north-1a", "cn-north-1b", "cn-north-1c"], "azId more than 2")
        .set(s("azId"), "cn-north-1a", "azId a string instead of a list")
        .set(s("azId"), ["cn-east-2a"], "azId zone in another region", s("azId[0]"))
        .set(s("azId[0]"), "cn-north-1", "azId item a region, not a zone")
        .set(s("azId[0]"), `cn-north-1${"1".repeat(10_000)}a`, "azId item oversized")
        .set(s("vpcId"), "vpc_1a2b3c4d5e", "vpcId malformed")
        .set(s("vpcId"), "subnet-1a2b3c4d5e", "vpcId is a subnet id")
        .remove(s("vpcId"), "vpcId missing (required)")
        .set(s("subnetId"), "subnet-../x", "subnetId path traversal")
        .remove(s("subnetId"), "subnetId missing (required)")
        .set(s("instanceType"), "cluster", "instanceType on MySQL (SQL Server only)")
        .set(s("instancePort"), 0, "instancePort 0 (out of range)")
        .set(s("instancePort"), 65536, "instancePort 65536 (out of range)")
        .set(s("instancePort"), "33o6", "instancePort not a number")
        .set(s("storageEncrypted"), "yes", "storageEncrypted not a boolean")
        .set(s("instanceStorageType"), "LOCAL_SSD", "storageEncrypted with local storage", s("storageEncrypted"))
        .set(s("instanceStorageType"), "EBS SSD", "instanceStorageType with a space")
        .set(s("instanceStorageType"), "../", "instanceStorageType path traversal")
        .set(s("parameterGroup"), "pg/../x", "parameterGroup path traversal")
        .remove(s("chargeSpec"), "chargeSpec missing (required)")
        .set(s("chargeSpec.chargeMode"), "prepaid", "chargeMode not a billing mode (bad enum)")
        .set(s("chargeSpec.chargeDuration"), 3, "chargeDuration with a postpaid chargeMode (prepaid only)")
        .set(s("chargeSpec.chargeUnit"), "month", "chargeUnit with a postpaid chargeMode (prepaid only)")
        .set(s("chargeSpec.chargePeriod"), 3, "chargeSpec with an unknown field")
        .set(s("instanceClas"), "db.mysql.s1.micro", "instanceSpec with a misspelt field")
        .set("timeouts.create", "soon", "timeouts.create not a duration")
        .set("timeouts.create", "99999d", "timeouts.create beyond a week")
        .set("timeouts.delete", "500ms", "timeouts.delete under a second")
        .set("adoptId", "MYSQL-K2X7AB9Q0W", "adoptId upper case")
        .set("adoptId", "mysql-k2x7/../x", "adoptId path traversal")
        .set("backupID", "bk-orders-nightly", "a misspelt property (backupID)");
    // Issue 13: sent and created.
    b.set(s("instanceStorageGB"), 1e300, "instanceStorageGB 1e300")
        .set(s("instanceStorageGB"), 2 ** 60, "instanceStorageGB 2^60")
        .set(s("instanceStorageGB"), 65_537, "instanceStorageGB above 64 TiB (sane bound)");
    const p = new CorpusBuilder(RDS_PREPAID);
    const c = (f: string) => `instanceSpec.chargeSpec.${f}`;
    p.set(c("chargeDuration"), 10, "prepaid 10 months (out of range)")
        .set(c("chargeDuration"), 0, "prepaid 0 months (out of range)")
        .set(c("chargeDuration"), 1.5, "prepaid duration not whole")
        .remove(c("chargeDuration"), "prepaid without chargeDuration")
        .set(c("chargeUnit"), "week", "prepaid chargeUnit not month or year (bad enum)")
        .with(
            { [c("chargeUnit")]: "year", [c("chargeDuration")]: 4 },
            "prepaid 4 years (out of range)",
            c("chargeDuration"),
        );
    const q = new CorpusBuilder(RDS_SQLSERVER);
    q.set(s("parameterGroup"), "pg-abc123", "parameterGroup on SQL Server (MySQL only)")
        .set(s("instancePort"), 1433, "instancePort on SQL Server (MySQL, Percona, MariaDB only)")
        .set(s("storageEncrypted"), false, "storageEncrypted on SQL Server (MySQL only)")
        .set(s("instanceStorageType"), "EBS_SSD", "instanceStorageType on SQL Server (MySQL only)")
        .set(s("instanceType"), "ha", "instanceType not standalone or cluster (bad enum)");
    return {
        name: "jdcloud-rds",
        bases: [RDS_BASE, RDS_PREPAID, RDS_SQLSERVER],
        entries: [...b.entries, ...p.entries, ...q.entries],
        secretProperties: [],
    };
}

/** The JD Cloud RDS RestoredInstance corpus. */
export const rdsCorpus: Corpus = build();
