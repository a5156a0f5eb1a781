/**
 * Values unknown at preview. The engine sends check() its unknown sentinel (a string, see UNKNOWN in
 * provider/core/validate.ts) for a whole property, a list item or a nested field. Table-driven, for every resource:
 *
 * 1. every input field of every valid base of the bad-input corpus, in turn unknown (top level, each list item, each
 *    nested field; fields no base sets are added unknown), with each sentinel the engine has: check passes;
 * 2. every corpus entry (a valid base with one field P broken) with another field Q unknown: check still fails naming
 *    P, unless P's rule depends on Q (listed below, with the reason): a rule waits only for the values it needs.
 */
import { strict as assert } from "assert";
import { StarRocksProvider } from "../../provider/alicloud/starrocksProvider";
import { INPUT_KEYS as SR_KEYS } from "../../provider/alicloud/starrocksInputs";
import { KooPhoneProvider } from "../../provider/huaweicloud/koophoneProvider";
import { INPUT_KEYS as KP_KEYS } from "../../provider/huaweicloud/koophoneInputs";
import { RdsRestoreProvider } from "../../provider/jdcloud/rdsProvider";
import { INPUT_KEYS as RDS_KEYS } from "../../provider/jdcloud/rdsInputs";
import { RedisRestoreProvider } from "../../provider/tencentcloud/redisProvider";
import { INPUT_KEYS as TC_KEYS } from "../../provider/tencentcloud/redisInputs";
import { CloneProvider } from "../../provider/tencentcloud/cloneProvider";
import { INPUT_KEYS as CLONE_KEYS } from "../../provider/tencentcloud/cloneInputs";
import { VmFromBackupProvider } from "../../provider/zstack/vmProvider";
import { INPUT_KEYS as ZS_KEYS } from "../../provider/zstack/vmInputs";
import { UNKNOWN, UNKNOWN_SENTINELS } from "../../provider/core/validate";
import {
    Corpus,
    Props,
    cloneCorpus,
    koophoneCorpus,
    rdsCorpus,
    redisCorpus,
    starrocksCorpus,
    zstackCorpus,
} from "../reliability/corpus";

type Failure = { property: string; reason: string };
interface Subject {
    corpus: Corpus;
    keys: readonly string[];
    check(news: Props): Promise<Failure[]>;
    /**
     * For a broken property (a path prefix), the fields whose unknown value may hide its failure, because its rule
     * reads them: e.g. StarRocks `duration` is bounded by `pricingCycle` (12 months or 5 years).
     */
    dependsOn: [RegExp, RegExp, string][];
}

const failuresOf = (r: { failures?: Failure[] }) => r.failures ?? [];

const SUBJECTS: Subject[] = [
    {
        corpus: starrocksCorpus,
        keys: SR_KEYS,
        check: async (n) => failuresOf(await new StarRocksProvider({ env: {} }).check({}, n)),
        dependsOn: [
            [/^(pricingCycle|duration|autoRenew)$/, /^payType$/, "allowed, required or forbidden by payType"],
            [/^duration$/, /^pricingCycle$/, "at most 12 months or 5 years"],
            [/^vSwitches/, /^(regionId|vpcId)$/, "zones must be in the region; VSwitches need a VPC"],
            [/^vpcId$/, /^vSwitches/, "a VPC needs VSwitches"],
            [/^vSwitches/, /^vSwitches/, "no duplicates: an unknown item may be the duplicate"],
        ],
    },
    {
        corpus: redisCorpus,
        keys: TC_KEYS,
        check: async (n) => failuresOf(await new RedisRestoreProvider({ env: {} }).check({}, n)),
        dependsOn: [],
    },
    {
        corpus: cloneCorpus,
        keys: CLONE_KEYS,
        check: async (n) => failuresOf(await new CloneProvider({ env: {} }).check({}, n)),
        dependsOn: [
            [/^period$/, /^billingMode$/, "required or forbidden by billingMode"],
            [/^password$/, /^(noAuth|adoptId)$/, "required unless noAuth (or adoptId), forbidden with noAuth"],
            [/^(vpcId|subnetId)$/, /^(vpcId|subnetId)$/, "set together"],
            [/^backupSelector/, /^sourceInstanceId$/, "the selector's instance must be the source"],
            [
                /^(backupId|backupSelector)/,
                /^(backupId|backupSelector|adoptId)/,
                "one of the two (neither with adoptId)",
            ],
            [
                /^instanceName$/,
                /^(region|sourceInstanceId|backupId|backupSelector|triggers|zoneId|billingMode|period|securityGroupIds|vpcId|subnetId|noAuth|port|projectId|templateId)/,
                'a "prt-" name is allowed only as the derived one, which these inputs decide (the intent)',
            ],
        ],
    },
    {
        corpus: zstackCorpus,
        keys: ZS_KEYS,
        check: async (n) => failuresOf(await new VmFromBackupProvider({ env: {} }).check({}, n)),
        dependsOn: [
            [/^defaultL3NetworkUuid$/, /^l3NetworkUuids/, "must be one of l3NetworkUuids"],
            [/^l3NetworkUuids/, /^l3NetworkUuids/, "no duplicates: an unknown item may be the duplicate"],
            [
                /^(tagUuids|userTags|systemTags|vmNicParams)/,
                /^(tagUuids|userTags|systemTags|vmNicParams)/,
                "no duplicates / limits",
            ],
            [
                /^(instanceOfferingUuid|cpuNum|memorySize)$/,
                /^(instanceOfferingUuid|cpuNum|memorySize)$/,
                "an offering, or both CPUs and memory",
            ],
        ],
    },
    {
        corpus: rdsCorpus,
        keys: RDS_KEYS,
        check: async (n) => failuresOf(await new RdsRestoreProvider({ env: {} }).check({}, n)),
        dependsOn: [
            [
                /^instanceSpec\.chargeSpec\.(chargeUnit|chargeDuration)$/,
                /^instanceSpec\.chargeSpec(\.chargeMode)?$|^instanceSpec$/,
                "allowed by chargeMode",
            ],
            [
                /^instanceSpec\.chargeSpec\.chargeDuration$/,
                /^instanceSpec\.chargeSpec\.chargeUnit$/,
                "at most 9 months or 3 years",
            ],
            [/^instanceSpec\.azId/, /^regionId$/, "zones must be in the region"],
            [
                /^instanceSpec\.(parameterGroup|instanceStorageType|storageEncrypted|instancePort|instanceType)$/,
                /^engine$/,
                "engine-specific fields",
            ],
            [/^instanceSpec\.storageEncrypted$/, /^instanceSpec\.instanceStorageType$/, "encryption needs cloud disks"],
            [/^instanceSpec\.azId/, /^instanceSpec\.azId/, "the item count: an unknown list may be empty"],
        ],
    },
    {
        corpus: koophoneCorpus,
        keys: KP_KEYS,
        check: async (n) => failuresOf(await new KooPhoneProvider({ env: {} }).check({}, n)),
        dependsOn: [
            [/^userId$/, /^restoreOnDelete$/, "required while restoreOnDelete is true"],
            [/^instanceIds/, /^instanceIds/, "no duplicates: an unknown item may be the duplicate"],
        ],
    },
];

/** A copy of `base` with the value at `path` (`a.b[0].c`) set; keeps NaN and Infinity (a JSON copy would not). */
function withValue(base: Props, path: string, value: unknown): Props {
    const copy = structuredClone(base);
    const parts = path.split(/\.|\[|\]/).filter(Boolean);
    let cur = copy as Record<string, unknown>;
    parts.slice(0, -1).forEach((p) => (cur = cur[p] as Record<string, unknown>));
    cur[parts[parts.length - 1]] = value;
    return copy;
}

/** Every path of a value: each property, each list item, each nested field (`a`, `a[0]`, `a[0].b`, `o.k`). */
function paths(v: unknown, prefix = ""): string[] {
    const out: string[] = [];
    if (Array.isArray(v)) {
        v.forEach((x, i) => {
            const p = `${prefix}[${i}]`;
            out.push(p, ...paths(x, p));
        });
    } else if (v && typeof v === "object") {
        for (const [k, x] of Object.entries(v)) {
            if (prefix === "" && (k === "__provider" || k === "restoreToken")) continue; // set by the resource class
            const p = prefix ? `${prefix}.${k}` : k;
            out.push(p, ...paths(x, p));
        }
    }
    return out;
}

/** Whether one path is the other or contains it (`a` and `a[0].b`). */
function overlaps(a: string, b: string): boolean {
    const within = (x: string, y: string) => x === y || y.startsWith(`${x}.`) || y.startsWith(`${x}[`);
    return within(a, b) || within(b, a);
}

describe("unknown values at preview: check waits only where a rule needs the value (every field of every resource)", () => {
    for (const s of SUBJECTS) {
        describe(s.corpus.name, () => {
            it("passes with each input field unknown in turn, top level and nested, with every sentinel of the engine", async () => {
                const problems: string[] = [];
                const absent = s.keys.filter((k) => k !== "restoreToken" && !s.corpus.bases.some((b) => k in b));
                let cases = 0;
                for (const [bi, base] of s.corpus.bases.entries()) {
                    const targets = [...paths(base), ...(bi === 0 ? absent : [])];
                    for (const p of targets) {
                        for (const sentinel of UNKNOWN_SENTINELS) {
                            cases++;
                            const f = await s.check(withValue(base, p, sentinel));
                            if (f.length > 0)
                                problems.push(
                                    `base ${bi}, ${p} unknown${sentinel === UNKNOWN ? "" : ` (${sentinel.slice(0, 8)})`}: ${f
                                        .map((x) => x.reason)
                                        .join("; ")
                                        .slice(0, 200)}`,
                                );
                        }
                    }
                }
                assert.ok(cases >= 7 * s.keys.length - 7, `${cases} cases: every field is covered`);
                assert.deepEqual(problems, []);
            });

            it("still rejects each broken field when another field, one its rule does not read, is unknown", async () => {
                const problems: string[] = [];
                for (const e of s.corpus.entries) {
                    for (const q of paths(e.inputs)) {
                        if (overlaps(q, e.property)) continue;
                        if (s.dependsOn.some(([p, d]) => p.test(e.property) && d.test(q))) continue;
                        const f = await s.check(withValue(e.inputs, q, UNKNOWN));
                        if (!f.some((x) => x.property === e.property))
                            problems.push(`${e.description}, with ${q} unknown: no failure names ${e.property}`);
                    }
                }
                assert.deepEqual(problems.slice(0, 20), [], `${problems.length} cases`);
            });
        });
    }
});
