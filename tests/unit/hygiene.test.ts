import { strict as assert } from "assert";
import { hygieneFailures, withHygiene } from "../../provider/core/hygiene";
import { UNKNOWN } from "../../provider/core/validate";

describe("input hygiene (provider/core/hygiene.ts)", () => {
    it("names each reserved key, control character and oversized value by its path, never showing the value", () => {
        const inputs = JSON.parse(
            JSON.stringify({
                tags: { team: "data" },
                list: [{ a: "x\u0000y" }],
                secret: `S3cret-${"z".repeat(9000)}`,
                __provider: "p".repeat(20_000),
            }).replace('"tags":{', '"tags":{"__proto__":{"polluted":true},'),
        );
        const f = hygieneFailures(inputs);
        assert.deepEqual(
            f.map((x) => x.property),
            ["tags.__proto__", "list[0].a", "secret"],
        );
        assert.ok(!JSON.stringify(f).includes("S3cret"), "no value is shown");
        assert.match(f[1].reason, /U\+0000 at position 1/);
    });

    it("an object whose prototype was set by a decoder (`o.__proto__ = v`) counts as a reserved key", () => {
        const decoded = { timeouts: Object.create({ create: "1s" }) as object };
        assert.deepEqual(
            hygieneFailures(decoded).map((x) => x.property),
            ["timeouts.__proto__"],
        );
        assert.deepEqual(hygieneFailures({ m: Object.create(null) as object }), []);
    });

    it("passes clean inputs, unknowns, tabs and line breaks (multi-line commands)", () => {
        assert.deepEqual(
            hygieneFailures({ a: UNKNOWN, verify: { command: "set -e\n\techo ok\r\n" }, n: [1, true] }),
            [],
        );
    });

    it("a property hygiene refused is not reported again by the resource's own check", () => {
        const h = [{ property: "tags", reason: "tags: must have at most 1000 keys, got 2000" }];
        const own = [
            { property: "tags.k1", reason: "tags.k1: must be short" },
            { property: "tagsExtra", reason: "tagsExtra: other" },
        ];
        assert.deepEqual(
            withHygiene(h, own).map((x) => x.property),
            ["tags", "tagsExtra"],
        );
    });
});
