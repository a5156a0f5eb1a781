import { Corpus, CorpusBuilder, PROVIDER_TEXT, Props, TOKEN } from "./types";

/** A valid clone with almost every optional field set. */
export const CLONE_BASE: Props = {
    __provider: PROVIDER_TEXT,
    restoreToken: TOKEN,
    region: "ap-guangzhou",
    sourceInstanceId: "crs-5a4py64p",
    backupId: "678362566696298532848117",
    zoneId: 100003,
    billingMode: "postpaid",
    securityGroupIds: ["sg-5fgt7a1b"],
    vpcId: "vpc-mjwornzj",
    subnetId: "subnet-3lzrkspo",
    instanceName: "cache-dr",
    password: "Clone-Passw0rd",
    port: 6380,
    projectId: 0,
    templateId: "crs-cfg-7d2nbjmk",
    triggers: { rev: 1 },
    timeouts: { create: "60m" },
};

function build(): Corpus {
    const b = new CorpusBuilder(CLONE_BASE);
    b.idAttacks("sourceInstanceId", "crs-5a4py64p", "sourceInstanceId");
    b.remove("sourceInstanceId", "sourceInstanceId missing (required)")
        .set("sourceInstanceId", "crs-5A4PY64P", "sourceInstanceId upper case")
        .set("sourceInstanceId", "cmem-5a4py64p", "sourceInstanceId of another product");
    b.idAttacks("backupId", "678362566696298532848117", "backupId");
    b.remove("backupId", "backupId missing (required: or backupSelector)")
        .set("backupSelector", { maxAge: "a day" }, "backupSelector.maxAge in words", "backupSelector.maxAge")
        .with(
            { backupId: undefined, backupSelector: { instanceId: "crs-otherins" } },
            "backupSelector of another instance than the source",
            "backupSelector.instanceId",
        )
        .remove("zoneId", "zoneId missing (required)")
        .set("zoneId", "ap-guangzhou-3", "zoneId a zone name instead of its number")
        .set("zoneId", 0, "zoneId zero")
        .set("zoneId", 1.5, "zoneId not whole")
        .set("billingMode", "monthly", "billingMode unknown")
        .set("billingMode", 1, "billingMode the API's code instead of its name")
        .set("period", 3, "period with a postpaid clone")
        .with({ billingMode: "prepaid" }, "prepaid without period", "period")
        .with({ billingMode: "prepaid", period: 13 }, "prepaid with a period the API does not offer", "period")
        .remove("securityGroupIds", "securityGroupIds missing (required)")
        .set("securityGroupIds", [], "securityGroupIds empty")
        .set("securityGroupIds", "sg-5fgt7a1b", "securityGroupIds a string instead of a list")
        .set("securityGroupIds", ["sg-5fgt7a1b/../x"], "securityGroupIds path traversal", "securityGroupIds[0]")
        .set("vpcId", "vpc_mjwornzj", "vpcId malformed")
        .remove("subnetId", "vpcId without subnetId", "subnetId")
        .set("subnetId", "subnet-3lzrkspo?x=1", "subnetId with a URL metacharacter")
        .set("instanceName", "cache dr", "instanceName with a space")
        .set("instanceName", "n".repeat(60), "instanceName of 60 characters")
        .set("instanceName", "prt-0123456789ab-deadbeef", "instanceName posing as a derived name")
        .remove("password", "password missing (required unless noAuth)")
        .set("password", "short1A", "password under 8 characters")
        .set("password", "P".repeat(31), "password over 30 characters")
        .set("password", "/Clone-Passw0rd", "password starting with /")
        .set("password", "onlylowercase", "password of one kind of character")
        .set("password", "Clone Passw0rd", "password with a space")
        .set("password", "Clone-Pass\nw0rd", "password with a newline")
        .set("password", 12345678, "password a number")
        .set("noAuth", true, "noAuth with a password", "password")
        .set("noAuth", "yes", "noAuth not a boolean")
        .set("port", 80, "port below 1024")
        .set("port", 70000, "port above 65535")
        .set("projectId", -1, "projectId negative")
        .set("templateId", "template-1", "templateId malformed")
        .set("adoptId", "crs-bad", "adoptId malformed")
        .set("region", "ap_guangzhou", "region with an underscore")
        .set("region", "ap-guangzhou/../x", "region path traversal")
        .set("triggers", "rev-1", "triggers a string instead of a map")
        .set("triggers.rev", NaN, "triggers value NaN", "triggers.rev")
        .set("timeouts.create", "1 hour", "timeouts.create in words")
        .set("timeouts.remove", "1m", "timeouts with an unknown operation")
        .remove("restoreToken", "restoreToken missing (the resource class always sets it)")
        .set("InstanceId", "crs-5a4py64p", "a property with the vendor's capitalisation (InstanceId)")
        .set("securityGroupIdList", ["sg-5fgt7a1b"], "a misspelt property (securityGroupIdList)");
    return { name: "tencent-redis-clone", bases: [CLONE_BASE], entries: b.entries, secretProperties: ["password"] };
}

/** The Tencent Redis RestoredInstance (CloneInstances) corpus. */
export const cloneCorpus: Corpus = build();
