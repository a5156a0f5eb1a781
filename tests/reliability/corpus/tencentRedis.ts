import { Corpus, CorpusBuilder, PROVIDER_TEXT, Props, TOKEN } from "./types";

/** A valid restore with every optional field set. */
export const REDIS_BASE: Props = {
    __provider: PROVIDER_TEXT,
    restoreToken: TOKEN,
    instanceId: "crs-5a4py64p",
    backupId: "678362566696298532848117",
    password: "Redis-pa55word",
    region: "ap-guangzhou",
    triggers: { rev: 1 },
    timeouts: { create: "30m" },
};

function build(): Corpus {
    const b = new CorpusBuilder(REDIS_BASE);
    b.idAttacks("instanceId", "crs-5a4py64p", "instanceId");
    b.remove("instanceId", "instanceId missing (required)")
        .set("instanceId", "", "instanceId empty (required)")
        .set("instanceId", "crs-5A4PY64P", "instanceId upper case")
        .set("instanceId", "crs-5a4py64", "instanceId too short")
        .set("instanceId", "crs-5a4py64p1", "instanceId too long")
        .set("instanceId", "cmem-5a4py64p", "instanceId of another product");
    b.idAttacks("backupId", "678362566696298532848117", "backupId");
    b.remove("backupId", "backupId missing (required)")
        .set("backupId", null, "backupId null (required)")
        .set("backupId", "-leading-dash", "backupId starting with a dash")
        .set("backupId", "1.2", "backupId with a dot")
        .remove("restoreToken", "restoreToken missing (the resource class always sets it)")
        .set("restoreToken", "PRT-0123456789ABCDEF0123", "restoreToken malformed")
        .set("password", "pa55\u0000word", "password with a NUL")
        .set("password", "pa55word\nAUTH x", "password with a newline (command injection)")
        .set("password", "p".repeat(257), "password oversized (257 characters)")
        .set("password", 12345678, "password a number")
        .set("password", "pa55\u0085word", "password with a C1 control character (unicode NEL)")
        .set(
            "password",
            "pa55\ud83dword",
            "password with a lone surrogate (UTF-8 cannot carry it: another password would be sent)",
        )
        .set("region", "ap_guangzhou", "region with an underscore")
        .set("region", "AP-GUANGZHOU", "region upper case")
        .set("region", "ap-guangzhou/../x", "region path traversal")
        .set("region", "ap-guangzhou?x=1", "region with a URL metacharacter")
        .set("region", `ap-${"a".repeat(10_000)}`, "region oversized")
        .set("region", 44, "region a number")
        .set("triggers", ["rev-1"], "triggers a list instead of a map")
        .set("triggers", "rev-1", "triggers a string instead of a map")
        .set("triggers.rev", { nested: true }, "triggers value an object", "triggers.rev")
        // Issue 13: NaN and Infinity both travel as null (a change between them would be missed); huge numbers lose digits.
        .set("triggers.rev", NaN, "triggers value NaN", "triggers.rev")
        .set("triggers.rev", Infinity, "triggers value Infinity", "triggers.rev")
        .set("triggers.rev", -Infinity, "triggers value -Infinity", "triggers.rev")
        .set("triggers.rev", 2 ** 60, "triggers value 2^60 (beyond exact numbers)", "triggers.rev")
        .set("triggers.rev", 1e300, "triggers value 1e300", "triggers.rev")
        .set("triggers.rev", "r".repeat(4097), "triggers value of 4097 characters", "triggers.rev")
        .set(
            "triggers",
            Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`t${i}`, i])),
            "triggers with 65 entries",
        )
        .set("timeouts.create", "1 hour", "timeouts.create in words")
        .set("timeouts.create", "99999d", "timeouts.create beyond a week")
        .set("timeouts.delete", "500ms", "timeouts.delete under a second")
        .set("timeouts.update", 5, "timeouts.update a number without unit")
        .set("timeouts.remove", "1m", "timeouts with an unknown operation")
        .set("backupID", "678362566696298532848117", "a misspelt property (backupID)")
        .set("InstanceId", "crs-5a4py64p", "a property with the vendor's capitalisation (InstanceId)")
        .set("targetInstance", "crs-5a4py64p", "an unknown property");
    return { name: "tencent-redis", bases: [REDIS_BASE], entries: b.entries, secretProperties: ["password"] };
}

/** The Tencent Redis InstanceRestore corpus. */
export const redisCorpus: Corpus = build();
