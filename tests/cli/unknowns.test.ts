import { strict as assert } from "assert";
import { RunningEmulator, startEmulator } from "../../emulator";
import { CliStack, FoundCli, cliOrSkip, describeResult } from "../../harness/pulumiCli";
import { CLI_PROJECT, SUBJECTS } from "./subjects";

/**
 * Values unknown at preview, through the real engine: the fields that validation rules depend on (StarRocks payType,
 * regionId, vSwitches[i] and vSwitches[i].zoneId; JD chargeSpec.chargeMode and azId; a ZStack vmNicParams element;
 * Tencent's instance and backup; the Tencent clone's source, zone, billing mode and a security group; KooPhone's phone list and user) come from resources created in the same update. The
 * preview must pass (a rule that depends on an unknown value waits for it) and the up must then restore with the
 * resolved values.
 */
const out = describeResult;

describe("Pulumi CLI and engine: inputs unknown at preview", function () {
    this.timeout(600_000);
    let cli: FoundCli;
    before(function () {
        cli = cliOrSkip(this);
    });

    for (const s of SUBJECTS) {
        it(`${s.type}: preview passes with the engine's unknowns, up restores with the resolved values`, async () => {
            const emu: RunningEmulator = await startEmulator({ only: [s.cloud], ...s.timings });
            const stack = new CliStack(cli.path, `unknowns-${s.subject}`, { cwd: CLI_PROJECT });
            try {
                const seeded = s.seed(emu);
                await stack.init({ ...emu.config, subject: s.subject, ...seeded.config, unknowns: "true" }, [
                    ...emu.secretConfigKeys,
                    ...seeded.secretKeys,
                ]);
                const pv = await stack.preview();
                assert.equal(pv.code, 0, out(pv));
                // The values come from resources this preview plans to create, so the engine sends its unknowns for them.
                assert.match(pv.stdout, /later-1/, `the preview plans the resources the values come from\n${out(pv)}`);
                assert.equal(emu[s.cloud].server.count(), 0, "preview called the cloud API");
                const up = await stack.up();
                assert.equal(up.code, 0, out(up));
                assert.equal(s.live(emu), s.perResource);
                const d = await stack.destroy();
                assert.equal(d.code, 0, out(d));
            } finally {
                await stack.remove();
                await emu.stop();
            }
        });
    }
});
