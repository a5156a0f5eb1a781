import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { resourceProvider } from "../../provider/core/resource";

const METHODS = ["configure", "check", "diff", "create", "read", "update", "delete"];

describe("core: the provider object handed to pulumi.dynamic.Resource", () => {
    it("installed in node_modules: the entry module's exports, which forward every method to the provider", async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the entry module (an `export =` module) as the SDK's serializer loads it
        const entry = require("../../provider/alicloud/starrocksEntry") as pulumi.dynamic.ResourceProvider;
        const p = resourceProvider(
            "/srv/app/node_modules/pulumi-restore/dist/provider/alicloud/starrocksProvider.js",
            () => entry,
        );
        assert.equal(p, entry, "the module's own exports object, so the serializer records a require of it");
        for (const m of METHODS) assert.equal(typeof (p as unknown as Record<string, unknown>)[m], "function", m);
        const r = await p.check!({}, { backupTaskId: "bad id!" });
        assert.ok(
            r.failures!.some((f) => f.property === "backupTaskId"),
            "check reaches the StarRocks provider",
        );
    });
    it("from a source checkout: a shim that loads the provider by path, serialized without our code or config", async () => {
        const file = require.resolve("../../provider/alicloud/starrocksProvider");
        const p = resourceProvider(file, () => assert.fail("the entry module is not used outside node_modules"));
        for (const m of METHODS) assert.equal(typeof (p as unknown as Record<string, unknown>)[m], "function", m);
        const sf = await pulumi.runtime.serializeFunction(() => p, { allowSecrets: false } as never);
        assert.ok(
            sf.text.includes(file.split("\\\\").join("/").replace(/\.ts$/, "")) || sf.text.includes(file),
            "the module path is in the text",
        );
        assert.ok(!/StarRocksClient|signAcs3|accessKey/.test(sf.text), "no provider code and no config in the text");
        assert.ok(sf.text.length < 2600, `the shim stays small (${sf.text.length} B)`);
    });
});
