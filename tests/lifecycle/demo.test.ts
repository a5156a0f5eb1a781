import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as path from "path";

describe("npm run demo (through the harness, as on a machine without the Pulumi CLI)", function () {
    this.timeout(120_000);
    it("says how it runs in its first line, shows progress and outputs, and cleans up", () => {
        const root = path.resolve(__dirname, "..", "..");
        const r = spawnSync(
            process.execPath,
            [require.resolve("ts-node/dist/bin.js"), "--transpile-only", "scripts/demo.ts", "--harness"],
            { cwd: root, encoding: "utf8" },
        );
        assert.equal(r.status, 0, r.stdout + r.stderr);
        const lines = r.stdout.split("\n");
        assert.match(lines[0], /lifecycle harness .*not the Pulumi engine/);
        assert.ok(
            lines.some((l) => /waiting for instance c-[0-9a-f]+ to be running/.test(l)),
            "progress lines",
        );
        assert.ok(
            lines.some((l) => /status: "running"/.test(l)),
            "the outputs",
        );
        assert.ok(
            lines.some((l) => /Emulator after destroy: 0 instance\(s\) left/.test(l)),
            "cleans up",
        );
        assert.ok(!r.stdout.includes("emulator-secret-key"), "the secret key is not printed");
    });
});
