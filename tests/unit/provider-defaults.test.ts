import { strict as assert } from "assert";
import { StarRocksProvider } from "../../provider/alicloud/starrocksProvider";
import { KooPhoneProvider } from "../../provider/huaweicloud/koophoneProvider";
import { RdsRestoreProvider } from "../../provider/jdcloud/rdsProvider";
import { RedisRestoreProvider } from "../../provider/tencentcloud/redisProvider";
import { VmFromBackupProvider } from "../../provider/zstack/vmProvider";
import { systemClock } from "../../provider/core/clock";
import { withDefaults } from "../../provider/core/resource";

describe("provider dependencies: an explicit undefined keeps the default", () => {
    it("withDefaults lays given values over defaults, skipping undefined", () => {
        assert.deepEqual(withDefaults({ a: 1, b: 2 }, { a: undefined, b: 3, c: 4 }), { a: 1, b: 3, c: 4 });
    });

    const providers: [string, (d: Record<string, undefined>) => unknown][] = [
        ["StarRocks", (d) => new StarRocksProvider(d)],
        ["KooPhone", (d) => new KooPhoneProvider(d)],
        ["JD RDS", (d) => new RdsRestoreProvider(d)],
        ["Tencent Redis", (d) => new RedisRestoreProvider(d)],
        ["ZStack", (d) => new VmFromBackupProvider(d)],
    ];
    for (const [name, make] of providers) {
        it(`${name}: { clock: undefined, env: undefined, settleMs: undefined } leaves the defaults in place`, () => {
            const deps = (
                make({ clock: undefined, env: undefined, settleMs: undefined }) as { deps: Record<string, unknown> }
            ).deps;
            assert.equal(deps.clock, systemClock);
            assert.equal(deps.env, process.env);
            assert.equal(typeof deps.settleMs, "number");
        });
    }
});
