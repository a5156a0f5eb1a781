/**
 * Bad-input corpus: for every resource, at least 50 invalid inputs (each a valid base with one thing broken) are
 * rejected by check() with a failure that names the property and says what is allowed, and no request reaches the
 * emulator. check() runs through the real provider objects, configured for a running emulator; a sample of each corpus
 * also runs through the real dynamic-provider host with `preview`, to show the failure surfaces there.
 */
import { strict as assert } from "assert";
import type * as pulumi from "@pulumi/pulumi";
import { alicloud, huaweicloud, jdcloud, tencentcloud, zstack } from "../../index";
import { CloudName } from "../../emulator";
import { StarRocksProvider } from "../../provider/alicloud/starrocksProvider";
import { KooPhoneProvider } from "../../provider/huaweicloud/koophoneProvider";
import { RdsRestoreProvider } from "../../provider/jdcloud/rdsProvider";
import { RedisRestoreProvider } from "../../provider/tencentcloud/redisProvider";
import { CloneProvider } from "../../provider/tencentcloud/cloneProvider";
import { VmFromBackupProvider } from "../../provider/zstack/vmProvider";
import { CheckFailed, Engine } from "../../harness/engine";
import { EmulatedStack, emulatedStack } from "../support/stack";
import {
    BadInput,
    Corpus,
    cloneCorpus,
    Props,
    koophoneCorpus,
    rdsCorpus,
    redisCorpus,
    starrocksCorpus,
    zstackCorpus,
} from "./corpus";
import { perRestore } from "../support/clouds";

type Failure = { property: string; reason: string };
interface CheckingProvider {
    configure(req: { config: { get(key: string): unknown } }): Promise<void>;
    check(olds: object, news: object): Promise<{ inputs?: object; failures?: Failure[] }>;
}

/** One resource under test: its corpus, its provider, the cloud it talks to and how a program declares it. */
interface Subject {
    corpus: Corpus;
    cloud: CloudName;
    provider: () => CheckingProvider;
    declare: (name: string, args: Props) => pulumi.CustomResource;
}

/** One subject per restore resource of the registry (clouds.ts): a resource missing here fails to compile. */
const SUBJECTS: Subject[] = perRestore({
    "alicloud/starrocks:RestoredInstance": {
        corpus: starrocksCorpus,
        cloud: "alicloud",
        provider: () => new StarRocksProvider(),
        declare: (n, a) => new alicloud.starrocks.RestoredInstance(n, a as never),
    },
    "tencentcloud/redis:InstanceRestore": {
        corpus: redisCorpus,
        cloud: "tencentcloud",
        provider: () => new RedisRestoreProvider(),
        declare: (n, a) => new tencentcloud.redis.InstanceRestore(n, a as never),
    },
    "tencentcloud/redis:RestoredInstance": {
        corpus: cloneCorpus,
        cloud: "tencentcloud",
        provider: () => new CloneProvider(),
        declare: (n, a) => new tencentcloud.redis.RestoredInstance(n, a as never),
    },
    "zstack:VmFromBackup": {
        corpus: zstackCorpus,
        cloud: "zstack",
        provider: () => new VmFromBackupProvider(),
        declare: (n, a) => new zstack.VmFromBackup(n, a as never),
    },
    "jdcloud/rds:RestoredInstance": {
        corpus: rdsCorpus,
        cloud: "jdcloud",
        provider: () => new RdsRestoreProvider(),
        declare: (n, a) => new jdcloud.rds.RestoredInstance(n, a as never),
    },
    "huaweicloud/koophone:InstanceBackup": {
        corpus: koophoneCorpus,
        cloud: "huaweicloud",
        provider: () => new KooPhoneProvider(),
        declare: (n, a) => new huaweicloud.koophone.InstanceBackup(n, a as never),
    },
});

/** Words with which a reason says what is allowed ("must be one of ...", "required: ...", "use ..."). */
const SAYS_WHAT_IS_ALLOWED = /\b(must|required|one of|such as|use|only|reserved|did you mean|at most|at least)\b/i;
/** Entries per resource the corpus must hold at least. */
const MIN_ENTRIES = 50;
/** Entries per resource driven through the real host with preview. */
const PREVIEW_SAMPLE = 5;

/** The value an entry broke, read back from its inputs (to show that a secret's failure does not echo it). */
function valueAt(inputs: Props, path: string): unknown {
    let cur: unknown = inputs;
    for (const p of path.split(/\.|\[|\]/).filter(Boolean)) {
        if (cur === null || typeof cur !== "object") return undefined;
        cur = (cur as Record<string, unknown>)[p];
    }
    return cur;
}

/** Why a check result does not reject `entry` as required, or undefined when it does. */
function problemWith(entry: BadInput, failures: Failure[] | undefined, secretProperties: string[]): string | undefined {
    const all = failures ?? [];
    const hit = all.find((f) => f.property === entry.property);
    if (!hit) return `no failure names "${entry.property}" (failures: ${JSON.stringify(all).slice(0, 300)})`;
    if (typeof hit.reason !== "string" || hit.reason.trim() === "") return "the failure has an empty reason";
    if (!hit.reason.includes(entry.property))
        return `the reason does not name the property: ${hit.reason.slice(0, 200)}`;
    const said = hit.reason.slice(hit.reason.indexOf(entry.property) + entry.property.length);
    if (said.replace(/^[:\s]+/, "").length < 10 || !SAYS_WHAT_IS_ALLOWED.test(said))
        return `the reason does not say what is allowed: ${hit.reason.slice(0, 200)}`;
    if (secretProperties.includes(entry.property.split(/[.[]/)[0])) {
        const v = valueAt(entry.inputs, entry.property);
        if (typeof v === "string" && v.length >= 4 && all.some((f) => f.reason.includes(v)))
            return "a failure shows the secret value";
    }
    return undefined;
}

/** `count` entries spread over the corpus that a program can declare as they are (the class sets restoreToken). */
function previewSample(c: Corpus, count: number): BadInput[] {
    const declarable = c.entries.filter(
        (e) =>
            e.property !== "restoreToken" &&
            !/surrogate/.test(e.description) &&
            !JSON.stringify(e.inputs).includes("null") &&
            // Oversized values are covered by the direct checks; keep the host's messages readable.
            JSON.stringify(e.inputs).length < 2000,
    );
    return Array.from({ length: count }, (_, i) => declarable[Math.floor((i * declarable.length) / count)]);
}

/** The inputs a program passes: what the resource class does not set itself. */
function programArgs(inputs: Props): Props {
    const { __provider: _p, restoreToken: _t, ...args } = inputs;
    return args;
}

describe("reliability: bad-input corpus (check rejects with the property named; nothing reaches the emulator)", function () {
    this.timeout(120_000);
    let stack: EmulatedStack;
    let eng: Engine;
    const counts = new Map<string, { rejected: number; total: number }>();
    const requests = () => stack.emu.servers.reduce((n, s) => n + s.count(), 0);

    before(async () => {
        stack = await emulatedStack();
        eng = stack.engine();
    });

    after(async () => {
        const line = SUBJECTS.map((s) => {
            const c = counts.get(s.corpus.name);
            return `${s.corpus.name} ${c ? `${c.rejected}/${c.total}` : "not run"} rejected`;
        }).join(", ");
        console.log(`      bad-input corpus: ${line}`);
        await stack?.close();
    });

    it("the problem finder itself fails entries that are accepted, unnamed, or explained without what is allowed", () => {
        const e: BadInput = {
            description: "self-check",
            inputs: { adminPassword: "Secret-Value-1" },
            property: "adminPassword",
        };
        assert.match(problemWith(e, [], [])!, /no failure names/);
        assert.match(problemWith(e, [{ property: "other", reason: "other: must be x" }], [])!, /no failure names/);
        assert.match(problemWith(e, [{ property: "adminPassword", reason: "" }], [])!, /empty reason/);
        assert.match(
            problemWith(e, [{ property: "adminPassword", reason: "adminPassword: bad" }], [])!,
            /does not say what is allowed/,
        );
        assert.match(
            problemWith(
                e,
                [{ property: "adminPassword", reason: "adminPassword: must not be Secret-Value-1" }],
                ["adminPassword"],
            )!,
            /shows the secret/,
        );
        assert.equal(
            problemWith(
                e,
                [{ property: "adminPassword", reason: "adminPassword: must be 8 to 32 characters" }],
                ["adminPassword"],
            ),
            undefined,
        );
    });

    for (const s of SUBJECTS) {
        describe(`${s.corpus.name}`, () => {
            it(`holds at least ${MIN_ENTRIES} entries, each a valid base with one thing broken`, async () => {
                assert.ok(s.corpus.entries.length >= MIN_ENTRIES, `${s.corpus.entries.length} entries`);
                const p = s.provider();
                await p.configure({ config: { get: (k: string) => stack.emu.config[k] } });
                for (const base of s.corpus.bases) {
                    const r = await p.check({}, base);
                    assert.deepEqual(r.failures ?? [], [], "a base of the corpus must be valid");
                }
                const bases = new Set(s.corpus.bases.map((b) => JSON.stringify(b)));
                for (const e of s.corpus.entries)
                    assert.ok(!bases.has(JSON.stringify(e.inputs)), `${e.description}: nothing was broken`);
                const descriptions = new Set(s.corpus.entries.map((e) => e.description));
                assert.equal(descriptions.size, s.corpus.entries.length, "every entry is described differently");
            });

            it("rejects every entry at check (new resource and update), naming the property and what is allowed, with no request", async () => {
                const p = s.provider();
                await p.configure({ config: { get: (k: string) => stack.emu.config[k] } });
                const problems: string[] = [];
                let rejected = 0;
                for (const e of s.corpus.entries) {
                    const asNew = problemWith(e, (await p.check({}, e.inputs)).failures, s.corpus.secretProperties);
                    const asUpdate = problemWith(
                        e,
                        (await p.check(s.corpus.bases[0], e.inputs)).failures,
                        s.corpus.secretProperties,
                    );
                    const why = asNew ?? asUpdate;
                    if (why) problems.push(`${e.description} [${e.property}]: ${why}`);
                    else rejected++;
                }
                counts.set(s.corpus.name, { rejected, total: s.corpus.entries.length });
                assert.equal(requests(), 0, "check made a request to the emulator");
                assert.deepEqual(
                    problems,
                    [],
                    `${problems.length} of ${s.corpus.entries.length} entries were not rejected as required`,
                );
            });

            it(`a sample of ${PREVIEW_SAMPLE} fails at preview through the real dynamic-provider host, naming the property`, async () => {
                const sample = previewSample(s.corpus, PREVIEW_SAMPLE);
                assert.equal(new Set(sample).size, PREVIEW_SAMPLE);
                for (const [i, e] of sample.entries()) {
                    const name = `bad-${s.corpus.name}-${i}`;
                    const r = await eng.preview(() => {
                        s.declare(name, programArgs(e.inputs));
                    });
                    const failed = r.errors.find((x): x is CheckFailed => x instanceof CheckFailed);
                    assert.ok(
                        failed,
                        `${e.description}: preview did not fail at check (errors: ${r.errors.map((x) => x.message).join("; ")})`,
                    );
                    assert.ok(failed.urn.endsWith(`::${name}`), failed.urn);
                    const why = problemWith(e, failed.failures, s.corpus.secretProperties);
                    assert.equal(why, undefined, `${e.description}: ${why}`);
                    assert.ok(failed.message.includes(e.property), "the preview message names the property");
                    assert.ok(
                        !r.steps.some((st) => st.urn.endsWith(`::${name}`) && st.op !== "same"),
                        "no step is planned for a resource that failed check",
                    );
                    assert.equal(eng.state.size, 0, "preview records nothing");
                }
                assert.ok(eng.host && eng.host.alive, "the previews ran through the dynamic-provider host");
                assert.equal(stack.emu[s.cloud].server.count(), 0, `preview made a request to the ${s.cloud} emulator`);
                assert.equal(requests(), 0);
            });
        });
    }
});
