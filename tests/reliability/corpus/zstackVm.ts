import { Corpus, CorpusBuilder, PROVIDER_TEXT, Props, TOKEN } from "./types";

const GROUP = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const OFFERING = "1b2c3d4e5f60718293a4b5c6d7e8f90a";
const L3 = "2c3d4e5f60718293a4b5c6d7e8f90a1b";
const MIB = 1024 * 1024;

/** A valid restore with an instance offering and most optional fields set. */
export const ZSTACK_BASE: Props = {
    __provider: PROVIDER_TEXT,
    restoreToken: TOKEN,
    backupGroupUuid: GROUP,
    name: "web-dr",
    instanceOfferingUuid: OFFERING,
    l3NetworkUuids: [L3],
    defaultL3NetworkUuid: L3,
    zoneUuid: "3d4e5f60718293a4b5c6d7e8f90a1b2c",
    clusterUuid: "4e5f60718293a4b5c6d7e8f90a1b2c3d",
    hostUuid: "5f60718293a4b5c6d7e8f90a1b2c3d4e",
    description: "restored web server",
    strategy: "InstantStart",
    type: "UserVm",
    systemTags: ["cdroms::Empty::None::None"],
    userTags: ["env::dr"],
    expungeOnDelete: true,
    timeouts: { create: "30m" },
};

/** A valid restore that gives CPUs and memory instead of an instance offering. */
export const ZSTACK_CUSTOM: Props = {
    ...ZSTACK_BASE,
    instanceOfferingUuid: undefined,
    cpuNum: 2,
    memorySize: 4096 * MIB,
};
delete ZSTACK_CUSTOM.instanceOfferingUuid;

/** A valid restore setting the remaining optional fields: NICs, tags, storage choices. */
export const ZSTACK_FULL: Props = {
    ...ZSTACK_BASE,
    backupStorageUuid: "6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3",
    primaryStorageUuidForRootVolume: "7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4",
    primaryStorageUuidForDataVolume: "8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5",
    rootVolumeSystemTags: ["volumeProvisioningStrategy::ThinProvisioning"],
    dataVolumeSystemTags: ["volumeProvisioningStrategy::ThickProvisioning"],
    vmNicParams: [
        { l3NetworkUuid: L3, ip: "10.0.0.5" },
        { l3NetworkUuid: "9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6", ip: "10.0.1.5" },
    ],
    tagUuids: ["0e1f2a3b4c5d6e7f8091a2b3c4d5e6f7", "1f2a3b4c5d6e7f8091a2b3c4d5e6f708"],
};

function build(): Corpus {
    const b = new CorpusBuilder(ZSTACK_BASE);
    b.idAttacks("backupGroupUuid", GROUP, "backupGroupUuid");
    b.remove("backupGroupUuid", "backupGroupUuid missing (required)")
        .set("backupGroupUuid", "", "backupGroupUuid empty (required)")
        .set("backupGroupUuid", GROUP.toUpperCase(), "backupGroupUuid upper-case hex")
        .set("backupGroupUuid", GROUP.slice(1), "backupGroupUuid 31 characters")
        .set("backupGroupUuid", "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9", "backupGroupUuid in dashed form")
        .set("backupGroupUuid", "g".repeat(32), "backupGroupUuid not hex")
        .set("restoreToken", 7, "restoreToken a number")
        .remove("name", "name missing (required)")
        .set("name", "", "name empty (required)")
        .set("name", "n".repeat(256), "name oversized (256 characters)")
        .set("name", "web\ndr", "name with a newline")
        .set("name", "web\u202edr", "name with a right-to-left override (unicode)")
        .set("name", "web\u0085dr", "name with a C1 control character (unicode NEL)")
        .set("name", "web\ud800dr", "name with a lone surrogate (malformed unicode)")
        .set("name", ["web-dr"], "name a list")
        .set("description", "d".repeat(2049), "description oversized (2049 characters)")
        .set("description", 5, "description a number")
        .set("instanceOfferingUuid", `${OFFERING}/../..`, "instanceOfferingUuid path traversal")
        .set("l3NetworkUuids[0]", `${L3}?q=1`, "l3NetworkUuids item with a URL metacharacter")
        .set("l3NetworkUuids[0]", 1, "l3NetworkUuids item a number")
        .set("l3NetworkUuids", L3, "l3NetworkUuids a string instead of a list")
        .set("l3NetworkUuids", [L3, L3], "l3NetworkUuids with a duplicate", "l3NetworkUuids[1]")
        .set(
            "l3NetworkUuids",
            Array.from({ length: 65 }, (_, i) => i.toString(16).padStart(32, "0")),
            "l3NetworkUuids more than 64",
        )
        .set(
            "defaultL3NetworkUuid",
            "6f60718293a4b5c6d7e8f90a1b2c3d4e",
            "defaultL3NetworkUuid not one of l3NetworkUuids",
        )
        .set("zoneUuid", "ZONE-1", "zoneUuid malformed")
        .set("clusterUuid", 12, "clusterUuid a number")
        .set("hostUuid", "h".repeat(10_000), "hostUuid oversized")
        .set("primaryStorageUuidForRootVolume", "../ps", "primaryStorageUuidForRootVolume path traversal")
        .set("tagUuids[0]", "tag-1", "tagUuids item malformed")
        .set("adoptId", `${GROUP}#x`, "adoptId with a URL metacharacter")
        .set("strategy", "Instant", "strategy not a strategy (bad enum)")
        .set("strategy", "instantstart", "strategy lower case (bad enum)")
        .set("strategy", 1, "strategy a number")
        .set("type", "VirtualRouter", "type not a VM type (bad enum)")
        .set("type", "uservm", "type lower case (bad enum)")
        .set("cpuNum", 0, "cpuNum 0 (out of range)")
        .set("cpuNum", 1025, "cpuNum 1025 (out of range)")
        .set("cpuNum", 1.5, "cpuNum not whole")
        .set("cpuNum", "two", "cpuNum not a number")
        .set("memorySize", 1024, "memorySize 1 KiB (below 16 MiB)")
        .set("memorySize", 4096 * MIB + 1, "memorySize not a whole number of MiB")
        .set("memorySize", "4G", "memorySize with a unit suffix")
        .set("memorySize", -MIB, "memorySize negative")
        .remove(
            "instanceOfferingUuid",
            "neither instanceOfferingUuid nor cpuNum and memorySize",
            "instanceOfferingUuid",
        )
        .set("systemTags", [`resourceUuid::${GROUP}`], "systemTags setting resourceUuid (reserved)", "systemTags[0]")
        .set("systemTags[0]", "cdroms::Empty\n::None", "systemTags item with a newline")
        .set(
            "systemTags",
            Array.from({ length: 101 }, (_, i) => `t${i}::v`),
            "systemTags more than 100",
        )
        .set("userTags[0]", 3, "userTags item a number")
        .set(
            "rootVolumeSystemTags",
            ["r".repeat(2049)],
            "rootVolumeSystemTags item oversized",
            "rootVolumeSystemTags[0]",
        )
        .set("vmNicParams", "not json", "vmNicParams not JSON")
        .set("vmNicParams", '{"l3NetworkUuid":"x"}', "vmNicParams a JSON object instead of a list")
        .set(
            "vmNicParams",
            [{ l3NetworkUuid: "../../x" }],
            "vmNicParams item with a traversal uuid",
            "vmNicParams[0].l3NetworkUuid",
        )
        .set("expungeOnDelete", "yes", "expungeOnDelete not a boolean")
        .set("timeouts.create", "2 hours", "timeouts.create in words")
        .set("timeouts.create", "99999d", "timeouts.create beyond a week")
        .set("timeouts.delete", "500ms", "timeouts.delete under a second")
        .set("timeouts.expunge", "5m", "timeouts with an unknown operation")
        .set("backupGroupUUID", GROUP, "a misspelt property (backupGroupUUID)")
        .set("imageUuid", GROUP, "an unknown property");
    // Issue 13: offline gaps that reached the cloud.
    const T1 = "0e1f2a3b4c5d6e7f8091a2b3c4d5e6f7";
    b.set("description", "restored\u0007server", "description with a control character (BEL)")
        .set("description", "restored\u202eserver", "description with a right-to-left override (bidi)")
        .set("description", "restored\u2066server", "description with a left-to-right isolate (bidi)")
        .set("description", "restored\r\nserver", "description with CR/LF")
        .set("memorySize", 1e300, "memorySize 1e300")
        .set("memorySize", 2 ** 60, "memorySize 2^60 (beyond 16 TiB)")
        .set("memorySize", 32 * 1024 * 1024 * MIB, "memorySize 32 TiB (beyond 16 TiB)")
        .set(
            "vmNicParams",
            JSON.stringify([{ l3NetworkUuid: L3, ip: "10.0.0.5", note: "x".repeat(1 << 20) }]),
            "vmNicParams JSON text of 1 MB",
        )
        .set(
            "vmNicParams",
            [{ l3NetworkUuid: L3, ip: "10.0.0.5", note: "x".repeat(1 << 20) }],
            "vmNicParams list holding 1 MB",
            "vmNicParams[0].note",
        )
        .set(
            "vmNicParams",
            Array.from({ length: 65 }, () => ({ l3NetworkUuid: L3 })),
            "vmNicParams with 65 NICs",
        )
        .set(
            "vmNicParams",
            [{ l3NetworkUuid: L3, ip: "../../etc/passwd" }],
            "vmNicParams ip a path traversal",
            "vmNicParams[0].ip",
        )
        .set(
            "vmNicParams",
            [{ l3NetworkUuid: L3, ip: "10.0.0.256" }],
            "vmNicParams ip not an address",
            "vmNicParams[0].ip",
        )
        .set(
            "vmNicParams",
            [{ l3NetworkUuid: L3, mac: "fa:16:3e:00:00" }],
            "vmNicParams mac malformed",
            "vmNicParams[0].mac",
        )
        .set(
            "vmNicParams",
            [{ l3NetworkUuid: L3, gateway: "gw" }],
            "vmNicParams gateway not an address",
            "vmNicParams[0].gateway",
        )
        .set(
            "vmNicParams",
            [{ l3NetworkUuid: L3, "ip/../x": "10.0.0.5" }],
            "vmNicParams parameter name not an identifier",
            "vmNicParams[0]",
        )
        .set(
            "vmNicParams",
            [{ l3NetworkUuid: L3, extra: { nested: true } }],
            "vmNicParams parameter value an object",
            "vmNicParams[0].extra",
        )
        .set(
            "vmNicParams",
            [
                { l3NetworkUuid: L3, ip: "10.0.0.5" },
                { l3NetworkUuid: L3, ip: "10.0.0.5" },
            ],
            "vmNicParams the same NIC twice",
            "vmNicParams[1]",
        )
        .set("vmNicParams", [], "vmNicParams empty list")
        .set("vmNicParams", "[]", "vmNicParams empty JSON list")
        .set("tagUuids", [T1, T1], "tagUuids with a duplicate", "tagUuids[1]")
        .set("userTags", ["env::dr", "env::dr"], "userTags with a duplicate", "userTags[1]")
        .set(
            "systemTags",
            [`ResourceUuid::${GROUP}`],
            "systemTags setting resourceUuid in another case (reserved)",
            "systemTags[0]",
        )
        .set(
            "systemTags",
            [` resourceUuid::${GROUP}`],
            "systemTags setting resourceUuid after a space (reserved)",
            "systemTags[0]",
        )
        .set(
            "rootVolumeSystemTags",
            [`resourceUuid::${GROUP}`],
            "rootVolumeSystemTags setting resourceUuid (reserved)",
            "rootVolumeSystemTags[0]",
        )
        .set("systemTags", ["cdroms::Empty::None::None "], "systemTags item ending with a space", "systemTags[0]");
    const c = new CorpusBuilder(ZSTACK_CUSTOM);
    c.remove("memorySize", "cpuNum without memorySize and no instanceOfferingUuid", "instanceOfferingUuid").remove(
        "cpuNum",
        "memorySize without cpuNum and no instanceOfferingUuid",
        "instanceOfferingUuid",
    );
    return {
        name: "zstack",
        bases: [ZSTACK_BASE, ZSTACK_CUSTOM, ZSTACK_FULL],
        entries: [...b.entries, ...c.entries],
        secretProperties: [],
    };
}

/** The ZStack VmFromBackup corpus. */
export const zstackCorpus: Corpus = build();
