import { strict as assert } from "assert";
import { progress, resourceLabel, setProgressSink } from "../../provider/core/progress";
import { diffProps, NAME_KEY, ProviderBase, WireProps } from "../../provider/core/resource";
import { PartialStateError } from "../../provider/core/errors";

/** A provider that records what its own code saw, and labels its progress lines the way the real ones do. */
class Recorder extends ProviderBase<WireProps, WireProps> {
    protected readonly configKeys: string[] = [];
    protected readonly secretConfigKeys: string[] = [];
    protected readonly secretInputs: readonly string[] = [];
    seen: Record<string, unknown>[] = [];
    labels: string[] = [];

    async check(_olds: Record<string, unknown>, news: Record<string, unknown>) {
        this.seen.push(news);
        return { inputs: { backupId: news.backupId } };
    }
    async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
        this.seen.push(olds, news);
        return diffProps(olds, news, { replace: ["backupId"], update: [] });
    }
    async create(inputs: Record<string, unknown>): Promise<{ id: string; outs: Record<string, unknown> }> {
        this.seen.push(inputs);
        const label = resourceLabel(`RestoredInstance ${inputs.backupId}`);
        this.labels.push(label);
        if (inputs.backupId === "bk-partial") throw new PartialStateError("i-1", { instanceId: "i-1" }, ["late"]);
        // Work that reports later, from outside this call (as a shared poller would): the label was taken above.
        await new Promise<void>((r) =>
            setTimeout(() => {
                progress(label, "running");
                r();
            }, 5),
        );
        return { id: "i-1", outs: { ...inputs, instanceId: "i-1" } };
    }
    async read(id: string, props: Record<string, unknown>): Promise<{ id: string; props: Record<string, unknown> }> {
        this.seen.push(props);
        return { id, props: { ...props } };
    }
    async update(_id: string, _olds: Record<string, unknown>, news: Record<string, unknown>) {
        return { outs: { ...news } };
    }
    async delete(_id: string, props: Record<string, unknown>) {
        this.seen.push(props);
        this.labels.push(resourceLabel(`RestoredInstance ${props.instanceId}`));
    }
}

describe("progress lines name the Pulumi resource", () => {
    let lines: string[] = [];
    let prev: ReturnType<typeof setProgressSink>;
    beforeEach(() => {
        lines = [];
        prev = setProgressSink((l) => lines.push(l));
    });
    afterEach(() => setProgressSink(prev));

    it("the provider's code never sees the name; what it returns carries it; the label is the type and the name", async () => {
        const p = new Recorder();
        const checked = await p.check({}, { backupId: "bk-1", [NAME_KEY]: "staging-db" });
        assert.deepEqual(checked.inputs, { backupId: "bk-1", [NAME_KEY]: "staging-db" });
        const created = await p.create(checked.inputs as Record<string, unknown>);
        assert.equal(created.outs[NAME_KEY], "staging-db");
        assert.ok(
            p.seen.every((s) => !(NAME_KEY in s)),
            "no call of the provider's own code saw the name",
        );
        assert.deepEqual(p.labels, ['RestoredInstance "staging-db"']);
        assert.deepEqual(lines, ['[pulumi-restore] RestoredInstance "staging-db": running']);
        const read = await p.read("i-1", created.outs);
        assert.equal(read.props[NAME_KEY], "staging-db");
        await p.delete("i-1", created.outs);
        assert.equal(p.labels[1], 'RestoredInstance "staging-db"');
    });

    it("a rename (with an alias) is no change; without a name the label stays the cloud's", async () => {
        const p = new Recorder();
        const d = await p.diff("i-1", { backupId: "bk-1", [NAME_KEY]: "old" }, { backupId: "bk-1", [NAME_KEY]: "new" });
        assert.equal(d.changes, false);
        await p.create({ backupId: "bk-2" });
        assert.deepEqual(p.labels, ["RestoredInstance bk-2"]);
    });

    it("partial state keeps the name, so the next delete still names the resource", async () => {
        const p = new Recorder();
        await assert.rejects(p.create({ backupId: "bk-partial", [NAME_KEY]: "staging-db" }), (e: PartialStateError) => {
            assert.equal(e.properties[NAME_KEY], "staging-db");
            return true;
        });
    });

    it("concurrent calls keep their own names", async () => {
        const p = new Recorder();
        // Names long enough not to collide with a secret another test file registered for redaction in this process.
        const names = ["orders-alpha-db", "orders-beta-db", "orders-gamma-db"];
        await Promise.all(names.map((n) => p.create({ backupId: `bk-${n}`, [NAME_KEY]: n })));
        assert.deepEqual(
            [...lines].sort(),
            names.map((n) => `[pulumi-restore] RestoredInstance "${n}": running`),
        );
    });
});
