import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";

// A dynamic resource's state names a module: installed from node_modules, `__provider` is a `require` of the entry
// module (`pulumi-restore/dist/provider/<cloud>/<x>Entry`); from a source checkout, a shim holding the path of the
// provider module (`provider/<cloud>/<x>Provider` or `<x>Drill`). Stacks written by any release keep naming them, so
// every path below must load for as long as such state can exist. This list is history, not a registry: it only
// grows. A path that moves leaves a one-line re-export behind.

const ROOT = path.resolve(__dirname, "../..");

/** Entry modules named by state written from an installed package (the same paths under dist/). */
const ENTRY_MODULES = [
    "provider/alicloud/starrocksEntry",
    "provider/alicloud/starrocksDrillEntry",
    "provider/tencentcloud/redisEntry",
    "provider/tencentcloud/cloneEntry",
    "provider/tencentcloud/cloneDrillEntry",
    "provider/zstack/vmEntry",
    "provider/zstack/vmDrillEntry",
    "provider/jdcloud/rdsEntry",
    "provider/jdcloud/rdsDrillEntry",
    "provider/huaweicloud/koophoneEntry",
];

/** Provider modules named by the shim that state written from a source checkout holds. */
const PROVIDER_MODULES = [
    "provider/alicloud/starrocksProvider",
    "provider/alicloud/starrocksDrill",
    "provider/tencentcloud/redisProvider",
    "provider/tencentcloud/cloneProvider",
    "provider/tencentcloud/cloneDrill",
    "provider/zstack/vmProvider",
    "provider/zstack/vmDrill",
    "provider/jdcloud/rdsProvider",
    "provider/jdcloud/rdsDrill",
    "provider/huaweicloud/koophoneProvider",
];

const METHODS = ["configure", "check", "diff", "create", "read", "update", "delete"];

function methodsOf(o: unknown): string[] {
    const r = o as Record<string, unknown>;
    return METHODS.filter((m) => typeof r?.[m] !== "function");
}

describe("state: every module path that a stack's state names still loads", () => {
    for (const m of ENTRY_MODULES) {
        it(`entry module ${m}: the provider methods, forwarding to a provider that loads`, async () => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- each module by the path state names, as the host loads it
            const entry = require(path.join(ROOT, m));
            assert.deepEqual(methodsOf(entry), [], `${m} lacks methods`);
            // check loads the provider module behind the entry (an empty input fails check; it does not throw).
            const r = (await entry.check({}, {})) as { failures?: unknown[] };
            assert.ok(Array.isArray(r.failures) && r.failures.length > 0, `${m}: check of empty inputs fails`);
        });
    }
    for (const m of PROVIDER_MODULES) {
        it(`provider module ${m}: exports \`provider\` with the methods`, () => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- each module by the path state names, as the host loads it
            const mod = require(path.join(ROOT, m)) as { provider?: unknown };
            assert.deepEqual(methodsOf(mod.provider), [], `${m}.provider lacks methods`);
        });
    }
    it("the build ships each of them under dist/ (tsconfig.build.json compiles provider/ in place)", () => {
        const build = JSON.parse(fs.readFileSync(path.join(ROOT, "tsconfig.build.json"), "utf8")) as {
            include: string[];
        };
        assert.ok(build.include.includes("provider"), "provider/ is compiled");
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { files: string[] };
        assert.ok(pkg.files.includes("dist/provider/**"), "dist/provider is shipped");
    });
});
