import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as path from "path";

/**
 * A dynamic-provider host orphaned by a killed Pulumi CLI must not spin: its stdout pipe is broken, and the host's
 * error handler logs each EPIPE to the equally broken stderr, forever (seen under the real engine). The child below
 * prints progress lines the way a provider does, under an uncaught-exception handler that logs and carries on like
 * the host's; once its reader goes away it must exit by itself.
 */
describe("progress lines: a broken stdout pipe ends the process", function () {
    this.timeout(30_000);

    it("exits within seconds once the engine (the reader of stdout) is gone", async () => {
        const progress = path.resolve(__dirname, "../../provider/core/progress.ts");
        const script = `
            process.on("uncaughtException", (e) => console.error(e));
            const { progress } = require(${JSON.stringify(progress)});
            setInterval(() => progress("RestoredInstance r1", "waiting"), 20);
        `;
        const child = spawn(
            process.execPath,
            ["-r", require.resolve("ts-node/register/transpile-only"), "-e", script],
            {
                stdio: ["ignore", "pipe", "pipe"],
            },
        );
        const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
        await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
        // The engine dies: both ends it was reading from close.
        child.stdout!.destroy();
        child.stderr!.destroy();
        const timer = new Promise<"still running">((resolve) => setTimeout(() => resolve("still running"), 10_000));
        const outcome = await Promise.race([exited, timer]);
        if (outcome === "still running") child.kill("SIGKILL");
        assert.equal(outcome, 0, "the process kept running after its stdout broke");
    });
});
