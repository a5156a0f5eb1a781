import { Corpus, CorpusBuilder, PROVIDER_TEXT, Props, TOKEN } from "./types";

/** A valid pay-as-you-go restore with every optional field set. */
export const STARROCKS_BASE: Props = {
    __provider: PROVIDER_TEXT,
    restoreToken: TOKEN,
    backupTaskId: "bk-adskj23hd9s",
    instanceName: "analytics-dr",
    adminPassword: "Adm1n-Passw0rd!",
    payType: "postPaid",
    regionId: "cn-hangzhou",
    vpcId: "vpc-bp1fll2mci6d7pw8m",
    vSwitches: [{ zoneId: "cn-hangzhou-i", vswId: "vsw-bp19mlh98tm9teyyd" }],
    resourceGroupId: "rg-aekzllkih7jqxxx",
    tags: { team: "data" },
    timeouts: { create: "90m", delete: "30m" },
};

/** A valid subscription restore. */
export const STARROCKS_PREPAID: Props = {
    ...STARROCKS_BASE,
    payType: "prePaid",
    pricingCycle: "Month",
    duration: 3,
    autoRenew: true,
};

function build(): Corpus {
    const b = new CorpusBuilder(STARROCKS_BASE);
    b.idAttacks("backupTaskId", "bk-adskj23hd9s", "backupTaskId");
    b.remove("backupTaskId", "backupTaskId missing (required)")
        .set("backupTaskId", "", "backupTaskId empty (required)")
        .set("backupTaskId", null, "backupTaskId null (required)")
        .set("backupTaskId", "bk", "backupTaskId too short (2 characters)")
        .remove("restoreToken", "restoreToken missing (the resource class always sets it)")
        .set("restoreToken", "prt-../../x", "restoreToken malformed")
        .set("instanceName", "n".repeat(65), "instanceName oversized (65 characters)")
        .set("instanceName", "analytics\u0007dr", "instanceName with a control character (BEL)")
        .set("instanceName", "analytics-dr\r\nX-Injected: 1", "instanceName with CR/LF (header/log injection)")
        .set("instanceName", "analytics\u202edr", "instanceName with a right-to-left override (unicode)")
        .set("instanceName", "analytics\u0085dr", "instanceName with a C1 control character (unicode NEL)")
        .set("instanceName", "analytics\ud800dr", "instanceName with a lone surrogate (malformed unicode)")
        .set("instanceName", 42, "instanceName a number")
        .set("adminPassword", "Sh0rt!", "adminPassword too short (6 characters)")
        .set("adminPassword", `L0ng-${"p".repeat(30)}`, "adminPassword oversized (35 characters)")
        .set("adminPassword", "Has spaces 123", "adminPassword with a space")
        .set("adminPassword", "Pässwörd-1234", "adminPassword with non-ASCII (unicode)")
        .set("adminPassword", 12345678, "adminPassword a number")
        .set("payType", "PostPaid", "payType with the wrong case (bad enum)")
        .set("payType", "monthly", "payType not a pay type (bad enum)")
        .set("payType", 1, "payType a number")
        .set("pricingCycle", "Month", "pricingCycle in postPaid mode (prePaid only)")
        .set("duration", 12, "duration in postPaid mode (prePaid only)")
        .set("autoRenew", true, "autoRenew in postPaid mode (prePaid only)")
        .set("regionId", "cn_hangzhou", "regionId with an underscore")
        .set("regionId", "CN-HANGZHOU", "regionId upper case")
        .set("regionId", "../cn-hangzhou", "regionId path traversal")
        .set("regionId", `cn-${"a".repeat(40)}`, "regionId oversized")
        .set("vpcId", "vpc_bp1fll2mci6d7pw8m", "vpcId malformed")
        .set("vpcId", "vsw-bp19mlh98tm9teyyd", "vpcId is a VSwitch id")
        .set("vpcId", "vpc-bp1fll2mci6d7pw8m/../../x", "vpcId path traversal")
        .remove("vSwitches", "vpcId set without vSwitches", "vSwitches")
        .remove("vpcId", "vSwitches set without vpcId", "vpcId")
        .set("vSwitches", [], "vSwitches an empty list")
        .set(
            "vSwitches",
            Array.from({ length: 11 }, (_, i) => ({
                zoneId: "cn-hangzhou-i",
                vswId: `vsw-bp19mlh98tm9te${String(i).padStart(3, "0")}`,
            })),
            "vSwitches more than 10",
        )
        .set(
            "vSwitches",
            { zoneId: "cn-hangzhou-i", vswId: "vsw-bp19mlh98tm9teyyd" },
            "vSwitches an object instead of a list",
        )
        .set("vSwitches[0]", "vsw-bp19mlh98tm9teyyd", "vSwitches item a string instead of { zoneId, vswId }")
        .set("vSwitches[0].vswId", "vsw-bp19?x=1", "vSwitches[0].vswId with a URL metacharacter")
        .set("vSwitches[0].zoneId", "cn-beijing-a", "vSwitches[0].zoneId in another region")
        .set("vSwitches[0].vswID", "vsw-bp19mlh98tm9teyyd", "vSwitches[0] with a misspelt field")
        .set("resourceGroupId", "rg-aek/../x", "resourceGroupId path traversal")
        .set("resourceGroupId", "group-1", "resourceGroupId malformed")
        .set("tags", Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, "v"])), "tags more than 19")
        .set("tags", ["team=data"], "tags a list instead of a map")
        .set(
            "tags.pulumi-restore-token",
            "prt-x",
            "tags with the reserved restore-token key",
            "tags.pulumi-restore-token",
        )
        .set("tags.aliyun:owner", "me", "tags key starting with aliyun", "tags.aliyun:owner")
        .set("tags.cost", 12, "tags value a number", "tags.cost")
        .set("tags.cost", "v".repeat(129), "tags value oversized (129 characters)", "tags.cost")
        .set("timeouts.create", "forever", "timeouts.create not a duration")
        .set("timeouts.create", "99999d", "timeouts.create beyond a week")
        .set("timeouts.delete", "500ms", "timeouts.delete under a second")
        .set("timeouts.create", 90, "timeouts.create a number without unit")
        .set("timeouts.create", "-5m", "timeouts.create negative")
        .set("timeouts.create", "0s", "timeouts.create zero")
        .set("timeouts.destroy", "30m", "timeouts with an unknown operation")
        .set("timeouts", "90m", "timeouts a string instead of an object")
        .set("adoptId", "i-123456", "adoptId malformed")
        .set("adoptId", "c-b25e21e2/../../x", "adoptId path traversal")
        .set("backupTaskID", "bk-adskj23hd9s", "a misspelt property (backupTaskID)")
        .set("restoreFrom", "bk-adskj23hd9s", "an unknown property");
    // Issue 13: the same VSwitch twice reached the API.
    b.set(
        "vSwitches",
        [
            { zoneId: "cn-hangzhou-i", vswId: "vsw-bp19mlh98tm9teyyd" },
            { zoneId: "cn-hangzhou-i", vswId: "vsw-bp19mlh98tm9teyyd" },
        ],
        "vSwitches with the same VSwitch twice",
        "vSwitches[1].vswId",
    ).set(
        "vSwitches",
        [
            { zoneId: "cn-hangzhou-i", vswId: "vsw-bp19mlh98tm9teyyd" },
            { zoneId: "cn-hangzhou-j", vswId: "vsw-bp19mlh98tm9teyyd" },
        ],
        "vSwitches with one VSwitch id in two zones",
        "vSwitches[1].vswId",
    );
    const p = new CorpusBuilder(STARROCKS_PREPAID);
    p.remove("pricingCycle", "prePaid without pricingCycle")
        .set("pricingCycle", "Week", "prePaid pricingCycle not Month or Year (bad enum)")
        .remove("duration", "prePaid without duration")
        .set("duration", 0, "prePaid duration 0 months (out of range)")
        .set("duration", 13, "prePaid duration 13 months (out of range)")
        .set("duration", -1, "prePaid duration negative")
        .set("duration", 1.5, "prePaid duration not whole")
        .set("duration", "three", "prePaid duration not a number")
        .set("duration", 1e21, "prePaid duration huge")
        .with({ pricingCycle: "Year", duration: 6 }, "prePaid duration 6 years (out of range)", "duration")
        .set("autoRenew", "yes", "prePaid autoRenew not a boolean");
    return {
        name: "starrocks",
        bases: [STARROCKS_BASE, STARROCKS_PREPAID],
        entries: [...b.entries, ...p.entries],
        secretProperties: ["adminPassword"],
    };
}

/** The StarRocks RestoredInstance corpus. */
export const starrocksCorpus: Corpus = build();
