import { Corpus, CorpusBuilder, PROVIDER_TEXT, Props, TOKEN } from "./types";

const USER = "1008600000104285462";

/** A valid backup of two phones, restored to the user on destroy. */
export const KOOPHONE_BASE: Props = {
    __provider: PROVIDER_TEXT,
    restoreToken: TOKEN,
    instanceIds: ["iRJEVP9", "iRJEVQ1"],
    userId: USER,
    restoreOnDelete: true,
    timeouts: { create: "30m", update: "30m", delete: "30m" },
};

/** A valid backup that leaves the phones parked on destroy (no user needed). */
export const KOOPHONE_PARKED: Props = {
    __provider: PROVIDER_TEXT,
    restoreToken: TOKEN,
    instanceIds: ["iRJEVP9"],
    restoreOnDelete: false,
};

function build(): Corpus {
    const b = new CorpusBuilder(KOOPHONE_BASE);
    b.idAttacks("instanceIds[0]", "iRJEVP9", "instanceIds item");
    b.set("instanceIds[0]", "..", "instanceIds item '..' (path traversal)")
        .set("instanceIds[0]", ".", "instanceIds item '.'")
        .set("instanceIds[0]", ".hidden", "instanceIds item starting with a dot")
        .set("instanceIds[0]", "-rf", "instanceIds item starting with a dash (option injection)")
        .set("instanceIds[0]", "i".repeat(33), "instanceIds item of 33 characters (vendor limit 32)")
        .set("instanceIds[0]", "", "instanceIds item empty")
        .set("instanceIds[0]", null, "instanceIds item null")
        .set("instanceIds", ["iRJEVP9", "iRJEVP9"], "instanceIds with a duplicate", "instanceIds[1]")
        .remove("instanceIds", "instanceIds missing (required)")
        .set("instanceIds", [], "instanceIds empty")
        .set("instanceIds", "iRJEVP9", "instanceIds a string instead of a list")
        .set("instanceIds", { 0: "iRJEVP9" }, "instanceIds an object instead of a list")
        .set(
            "instanceIds",
            Array.from({ length: 1001 }, (_, i) => `ph${i}`),
            "instanceIds with 1001 phones (sane bound 1000)",
        );
    b.idAttacks("userId", USER, "userId");
    b.set("userId", "..", "userId '..' (path traversal)")
        .set("userId", "u".repeat(33), "userId of 33 characters (vendor limit 32)")
        .remove("userId", "userId missing while restoreOnDelete is true")
        .set("restoreOnDelete", "no", "restoreOnDelete not a boolean")
        .set("restoreOnDelete", 0, "restoreOnDelete a number")
        .remove("restoreToken", "restoreToken missing (the resource class always sets it)")
        .set("restoreToken", "prt-0123456789abcdef012", "restoreToken one digit short")
        .set("timeouts.create", "30", "timeouts.create without a unit")
        .set("timeouts.create", "99999d", "timeouts.create beyond a week")
        .set("timeouts.delete", "500ms", "timeouts.delete under a second")
        .set("timeouts.delete", "1 day", "timeouts.delete in words")
        .set("timeouts.backup", "5m", "timeouts with an unknown operation")
        .set("timeouts", ["30m"], "timeouts a list")
        .set("instanceIDs", ["iRJEVP9"], "a misspelt property (instanceIDs)")
        .set("projectId", "0123456789abcdef", "an unknown property");
    const p = new CorpusBuilder(KOOPHONE_PARKED);
    p.set("userId", "user/../../x", "parked: userId path traversal").set(
        "instanceIds[1]",
        "iRJ EVQ1",
        "parked: instanceIds item with a space",
    );
    return {
        name: "huawei-koophone",
        bases: [KOOPHONE_BASE, KOOPHONE_PARKED],
        entries: [...b.entries, ...p.entries],
        secretProperties: [],
    };
}

/** The Huawei Cloud KooPhone InstanceBackup corpus. */
export const koophoneCorpus: Corpus = build();
