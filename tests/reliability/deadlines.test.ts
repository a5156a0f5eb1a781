import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { setProgressSink } from "../../provider/core/progress";
import { QuiescentClock } from "./faultDriver";
import { SUBJECTS, transport } from "./subjects";

/**
 * Deadlines the user set hold (issue: trust, round two): a throttled answer whose `Retry-After` asks for longer than
 * the operation has left must not be obeyed past `timeouts.create` / `timeouts.delete`. For every resource and each of
 * its API calls' throttling answers, asking for 45 s under a 10 s limit: the operation ends before its deadline, and
 * its error says that the server asked for longer than the limit allows.
 */
const LIMIT = "10s";
const LIMIT_MS = 10_000;
const ASKED_MS = 45_000;

describe("deadlines: a server's Retry-After never carries an operation past timeouts.<op>", function () {
    this.timeout(120_000);
    let prevSink: ReturnType<typeof setProgressSink>;
    before(() => {
        prevSink = setProgressSink(() => undefined);
    });
    after(() => setProgressSink(prevSink));

    for (const s of SUBJECTS) {
        for (const op of ["create", "delete"] as const) {
            if (s.silent?.[op]) continue;
            it(`${s.resource}: ${op} under timeouts.${op} = ${LIMIT}, every call throttled with Retry-After 45 s`, async () => {
                const dir = fs.mkdtempSync(path.join(os.tmpdir(), "deadline-"));
                const clock = new QuiescentClock();
                const w = await s.start(clock, transport(10_000), { PULUMI_RESTORE_STATE_DIR: dir });
                try {
                    let props: Record<string, unknown> = { ...s.v1, timeouts: { [op]: LIMIT } };
                    let id = "";
                    if (op === "delete") {
                        const created = await w.provider.create({ ...s.v1 });
                        id = created.id;
                        props = { ...(created.outs as Record<string, unknown>), timeouts: { [op]: LIMIT } };
                    }
                    w.server.inject({ kind: "throttle", times: 1000, retryAfterMs: ASKED_MS });
                    const t0 = clock.now();
                    const run = op === "create" ? w.provider.create(props) : w.provider.delete(id, props);
                    await assert.rejects(run, (e: Error) => {
                        assert.match(e.message, /asked to wait 45s/, e.message);
                        assert.match(e.message, new RegExp(`timeouts\\.${op} is 10s`), e.message);
                        return true;
                    });
                    const took = clock.now() - t0;
                    assert.ok(took <= LIMIT_MS, `${op} ended ${took} ms after it began, past the ${LIMIT_MS} ms limit`);
                    assert.ok(
                        w.server.log.some((l) => l.fault === "throttle"),
                        "the throttling answer reached it",
                    );
                } finally {
                    await w.server.stop();
                    fs.rmSync(dir, { recursive: true, force: true });
                }
            });
        }
    }
});
