import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SECRET_MARGIN_BYTES, VERIFY_TAIL_BYTES, redactedTail, runVerify } from "../../provider/core/drillVerify";
import { leadingSecretPiece, redact, registerSecret } from "../../provider/core/redact";

const ROOT = path.resolve(__dirname, "..", "..");
const PASSWORD = "Dr1ll-Verify-Pass!word";

/** Every piece of the password at least 4 characters long that ends it: what a cut inside it would leave. */
function tailsOf(secret: string): string[] {
    const out: string[] = [];
    for (let i = 1; i <= secret.length - 4; i++) out.push(secret.slice(i));
    return out;
}

describe("drill verify output: secrets whole or not at all", () => {
    before(() => registerSecret(PASSWORD));

    it("whatever byte the kept window or the tail's cut falls on inside a password, no piece of it is kept", () => {
        for (let i = 1; i < PASSWORD.length; i++) {
            // The window read from the command starts `i` characters into the password.
            const window = Buffer.from(`${PASSWORD.slice(i)}${"x".repeat(VERIFY_TAIL_BYTES)}`);
            // The whole password inside the window, where the tail's cut falls `i` characters into it.
            const output = `${"f".repeat(SECRET_MARGIN_BYTES)}${PASSWORD}${"x".repeat(VERIFY_TAIL_BYTES - (PASSWORD.length - i))}`;
            for (const [kept, cut] of [
                [window, true],
                [Buffer.from(output), true],
            ] as const) {
                const tail = redactedTail(kept, cut, redact, (t) => leadingSecretPiece(t));
                for (const piece of tailsOf(PASSWORD))
                    assert.ok(!tail.includes(piece), `cut ${i}: the tail keeps "${piece}" of the password`);
                assert.ok(Buffer.byteLength(tail) <= VERIFY_TAIL_BYTES);
                assert.ok(tail.endsWith("xxxx"), "the output after the password is kept");
            }
        }
    });

    it("a password printed across the tail's cut by a real command is not in the report", async () => {
        // The password, then exactly VERIFY_TAIL_BYTES - 5 bytes: a tail cut first would keep its last 5 characters.
        const r = await runVerify({
            command: `printf '%s' "$DRILL_PASSWORD"; head -c ${VERIFY_TAIL_BYTES - 5} /dev/zero | tr '\\0' y`,
            limitMs: 20_000,
            env: { PATH: process.env.PATH, DRILL_PASSWORD: PASSWORD },
            redact,
            leadingPiece: (t) => leadingSecretPiece(t),
        });
        assert.equal(r.ok, true, JSON.stringify(r.error ?? r.exitCode));
        assert.ok(r.tail.endsWith("yyyy"));
        for (const piece of tailsOf(PASSWORD)) assert.ok(!r.tail.includes(piece), `the report keeps "${piece}"`);
    });

    it("the verify command dies with the provider host (killed with SIGKILL): nothing keeps the password", async function () {
        if (process.platform === "win32") this.skip();
        this.timeout(60_000);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-host-"));
        const pidFile = path.join(dir, "pid");
        // A host process that runs a long verify command which records its own pid, then waits.
        const program = [
            `const { runVerify } = require(${JSON.stringify(path.join(ROOT, "provider/core/drillVerify"))});`,
            `runVerify({ command: 'echo $$ > ${pidFile}; exec sleep 60', limitMs: 60000,`,
            `  env: { PATH: process.env.PATH, DRILL_PASSWORD: ${JSON.stringify(PASSWORD)} }, redact: (t) => t, leadingPiece: () => 0 });`,
        ].join("\n");
        const host = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", program], {
            cwd: ROOT,
            stdio: "ignore",
        });
        try {
            const deadline = Date.now() + 30_000;
            while (!(fs.existsSync(pidFile) && fs.readFileSync(pidFile, "utf8").trim()) && Date.now() < deadline)
                await new Promise((r) => setTimeout(r, 100));
            const pid = Number(fs.readFileSync(pidFile, "utf8").trim());
            assert.ok(pid > 0, "the verify command started");
            assert.equal(alive(pid), true);
            host.kill("SIGKILL");
            const until = Date.now() + 5_000;
            while (alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
            assert.equal(alive(pid), false, "the verify command outlived its host");
        } finally {
            host.kill("SIGKILL");
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
    } catch {
        return false;
    }
    // A zombie (exited, not yet reaped) holds no memory or environment: it counts as gone.
    try {
        return !/^\S+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
    } catch {
        return false;
    }
}
