import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EmulatorServer } from "../../emulator/core/server";
import { KOOPHONE_EMULATOR_CREDENTIALS as CRED, KooPhoneService } from "../../emulator/huaweicloud/koophone";
import { setProgressSink } from "../../provider/core/progress";
import { checkInstanceBackup } from "../../provider/huaweicloud/koophoneInputs";
import { KooPhoneProvider } from "../../provider/huaweicloud/koophoneProvider";
import { VirtualClock } from "../../harness/clock";

const TOKEN = "prt-00112233445566778899";
const USER = "1008600000104285462";

describe("huaweicloud koophone: triggers (emulator)", function () {
    this.timeout(30_000);
    let server: EmulatorServer;
    let stateDir: string;
    afterEach(async () => {
        setProgressSink(undefined);
        await server?.stop();
        if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
    });

    it("a triggers change is a delete-first replacement: the phones are brought back, then backed up anew", async () => {
        const clock = new VirtualClock();
        const service = new KooPhoneService({
            clock,
            timings: { backupMs: 60_000, restoreMs: 90_000, tokenTtlMs: 24 * 3_600_000 },
        });
        for (const id of ["ph0001", "ph0002"]) service.seed("instance", { id });
        server = new EmulatorServer(service);
        const url = await server.start();
        stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "h-select-koophone-"));
        const p = new KooPhoneProvider({
            clock,
            env: { PULUMI_RESTORE_STATE_DIR: stateDir },
            settleMs: 20_000,
            random: () => 0.5,
            schedule: { minIntervalMs: 5000, maxIntervalMs: 30_000, fraction: 0.1 },
        });
        const config: Record<string, string> = {
            "huaweicloud:endpoint": url,
            "huaweicloud:region": "cn-south-1",
            "huaweicloud:accessKey": CRED.accessKey,
            "huaweicloud:secretKey": CRED.secretKey,
        };
        await p.configure({ config: { get: (k: string) => config[k] } });
        setProgressSink(() => undefined);
        const checked = (triggers?: unknown) => {
            const r = checkInstanceBackup({
                restoreToken: TOKEN,
                instanceIds: ["ph0001", "ph0002"],
                userId: USER,
                ...(triggers === undefined ? {} : { triggers }),
            });
            return r;
        };
        const first = checked({ week: "2026-11-23" });
        assert.deepEqual(first.failures, []);
        const r = await p.create(first.inputs);
        assert.equal((await p.diff(r.id, r.outs, first.inputs)).changes, false);
        const next = checked({ week: "2026-11-30" }).inputs;
        const d = await p.diff(r.id, r.outs, next);
        assert.deepEqual(
            { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: d.deleteBeforeReplace },
            { changes: true, replaces: ["triggers"], deleteBeforeReplace: true },
        );
        // What the engine does for a delete-first replacement: delete the old, create the new.
        await p.delete(r.id, r.outs);
        assert.equal(service.phaseOf("ph0001"), "running");
        await p.create(next);
        assert.equal(server.count("BatchBackupInstances"), 2, "backed up twice: once per trigger value");
        assert.equal(service.phaseOf("ph0001"), "backedUp");
        assert.ok(checked({ week: { nested: true } }).failures.some((f) => f.property === "triggers.week"));
    });
});
