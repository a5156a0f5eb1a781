/**
 * A misspelt config key of a cloud this package reads (`jdcloud:acessKey`) fails the preview, naming the key, the one
 * it resembles and the keys allowed, through the real dynamic-provider host (the plugin does the same for its own
 * namespace). Keys of the same namespace that are far from ours (other providers' settings) are left alone.
 */
import { strict as assert } from "assert";
import { jdcloud } from "../../index";
import { misspeltConfigKeys } from "../../provider/core/config";
import { EmulatedStack, emulatedStack } from "../support/stack";

const declare = () =>
    new jdcloud.rds.RestoredInstance("typo", {
        backupId: "bk-typo-0001",
        engine: "MySQL",
        instanceSpec: {
            instanceClass: "db.mysql.s1.micro",
            instanceStorageGB: 20,
            azId: ["cn-north-1a"],
            vpcId: "vpc-typo0001",
            subnetId: "subnet-typo0001",
            chargeSpec: { chargeMode: "postpaid_by_duration" },
        },
    });

describe("lifecycle: misspelt config keys fail the preview (dynamic-provider host)", function () {
    this.timeout(120_000);
    let stack: EmulatedStack;
    before(async () => {
        stack = await emulatedStack();
    });
    after(async () => stack?.close());

    it("jdcloud:acessKey fails at preview with the key it resembles and the allowed keys; nothing is sent", async () => {
        const eng = stack.engine({ "jdcloud:acessKey": "AKTYPO0001" });
        const r = await eng.preview(declare);
        const text = r.errors.map((e) => e.message).join("\n");
        assert.match(text, /jdcloud:acessKey \(did you mean jdcloud:accessKey\?\) is not a setting of this package/);
        assert.match(text, /allowed: .*jdcloud:secretKey/);
        assert.equal(stack.emu.jdcloud.server.count(), 0);
    });

    it("a key of the namespace far from every key we read (another provider's setting) changes nothing", async () => {
        const eng = stack.engine({ "jdcloud:someOtherProviderSetting": "x" });
        const r = await eng.preview(declare);
        assert.deepEqual(
            r.errors.map((e) => e.message),
            [],
        );
    });

    it("the detector itself: case-insensitive near misses of our keys, in our namespaces only", () => {
        const keys = ["alicloud:accessKey", "alicloud:region"];
        const source = (raw: Record<string, string>) => ({ get: (k: string) => raw[k], rawConfig: raw });
        assert.deepEqual(misspeltConfigKeys(source({ "alicloud:regoin": "x", "alicloud:Region": "y" }), keys), [
            "alicloud:regoin (did you mean alicloud:region?)",
            "alicloud:Region (did you mean alicloud:region?)",
        ]);
        assert.deepEqual(
            misspeltConfigKeys(
                source({ "alicloud:skipRegionValidation": "x", "alicloud:endpoints": "[]", "jd:regoin": "x" }),
                keys,
            ),
            [],
        );
        assert.deepEqual(misspeltConfigKeys({ get: () => undefined }, keys), []);
    });
});
