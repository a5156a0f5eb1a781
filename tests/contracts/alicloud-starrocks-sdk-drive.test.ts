/**
 * The vendor's official client (alibabacloud_starrocks20221019, Python) against our StarRocks emulator, in process: it
 * restores a backup, polls the status until running, finds the instance by its tag, lists the source's backups and
 * releases the instance, the way a real user of the SDK would. Only the transport is adapted (endpoint and http);
 * the SDK signs with ACS3 as it always does. Every answer must parse into the SDK's models with nothing left over.
 */
import { strict as assert } from "assert";
import { StarRocksService } from "../../emulator/alicloud/starrocks";
import { EmulatorServer } from "../../emulator/core/server";
import { VirtualClock } from "../../harness/clock";
import { pythonOracle, runOracle } from "../support/pythonOracle";

const AK = "sdk-drive-ak";
const SK = "sdk-drive-secret-0001";
const SOURCE = "c-sdkdrivesource01";

interface StepResult {
    call: string;
    ok: boolean;
    statusCode?: number;
    body?: { Data?: unknown; Success?: boolean; Total?: number };
    problems?: string[];
    error?: string;
    code?: string;
    message?: string;
}

interface Instance {
    InstanceId: string;
    InstanceStatus: string;
    Tags?: { Key?: string; Value?: string }[];
}

describe("alicloud starrocks: the official SDK's client drives the emulator", function () {
    this.timeout(120_000);
    let clock: VirtualClock;
    let svc: StarRocksService;
    let server: EmulatorServer;
    let endpoint: string;

    before(async function () {
        pythonOracle(this);
        // The SDK dates its requests by the real clock: the emulator's starts there, within the 15 minutes allowed.
        clock = new VirtualClock(Date.now());
        svc = new StarRocksService({
            clock,
            credentials: { [AK]: SK },
            timings: { restoreMs: 60_000, releaseMs: 10_000 },
        });
        server = new EmulatorServer(svc);
        endpoint = new URL(await server.start()).host;
        svc.seed("backup", { BackupTaskId: "bk-sdkdrive01", InstanceId: SOURCE, BackupType: "1" });
        svc.seed("backup", { BackupTaskId: "bk-sdkdrive02", InstanceId: SOURCE, ageMs: 600_000 });
    });
    after(async () => {
        await server?.stop();
    });

    const drive = (steps: { call: string; request?: Record<string, unknown> }[]) =>
        runOracle<StepResult[]>("alicloud_starrocks_drive.py", {
            endpoint,
            accessKeyId: AK,
            accessKeySecret: SK,
            steps,
        });

    /** Each step answered 200, Success true, and parsed with no key or type the SDK's model does not have. */
    function parsedCleanly(results: StepResult[]): void {
        for (const r of results) {
            assert.ok(r.ok, `${r.call}: the SDK raised ${r.error} ${r.code}: ${r.message}`);
            assert.equal(r.statusCode, 200, r.call);
            assert.equal(r.body?.Success, true, r.call);
            assert.deepEqual(r.problems, [], `${r.call}: the answer does not fit the SDK's model`);
        }
    }

    it("restore, poll restarting → running, find by tag, list backups, release, poll until gone", async () => {
        const tag = { key: "pulumi-restore-token", value: "prt-sdk.000000000001" };
        const [restored, restarting, byTag, backups] = await drive([
            {
                call: "RestoreInstance",
                request: {
                    BackupTaskId: "bk-sdkdrive01",
                    RegionId: "cn-hangzhou",
                    InstanceName: "sdk-dr",
                    AdminPassword: "Sdk-Adm1n-Pass!",
                    PayType: "postPaid",
                    VpcId: "vpc-sdk01",
                    VSwitches: [{ VswId: "vsw-sdk01", ZoneId: "cn-hangzhou-i" }],
                    Tags: [tag],
                },
            },
            { call: "DescribeInstances", request: { RegionId: "cn-hangzhou", PageNumber: 1, PageSize: 10 } },
            // The SDK's DescribeInstancesRequestTag is Key/Value, shrunk to a JSON string in the query.
            {
                call: "DescribeInstances",
                request: { RegionId: "cn-hangzhou", Tag: [{ Key: tag.key, Value: tag.value }] },
            },
            {
                call: "DescribeBackups",
                request: { InstanceId: SOURCE, RegionId: "cn-hangzhou", PageNumber: 1, PageSize: 50 },
            },
        ]);
        parsedCleanly([restored, restarting, byTag, backups]);
        const id = (restored.body!.Data as { InstanceId: string; OrderId: number }).InstanceId;
        assert.match(id, /^c-[0-9a-f]{16}$/);
        assert.equal(typeof (restored.body!.Data as { OrderId: number }).OrderId, "number");
        const listed = restarting.body!.Data as Instance[];
        assert.equal(listed.find((i) => i.InstanceId === id)?.InstanceStatus, "restarting");
        assert.equal(restarting.body!.Total, 1);
        const found = byTag.body!.Data as Instance[];
        assert.deepEqual(
            found.map((i) => i.InstanceId),
            [id],
            "found by its tag",
        );
        assert.deepEqual(found[0].Tags, [{ Key: tag.key, Value: tag.value }], "answered as Key/Value");
        const list = backups.body!.Data as { BackupTaskId: string; BackupType: string; BackupStartTime: number }[];
        assert.deepEqual(
            list.map((b) => b.BackupTaskId),
            ["bk-sdkdrive02", "bk-sdkdrive01"],
        );
        assert.deepEqual(
            list.map((b) => b.BackupType),
            ["0", "1"],
        );
        assert.ok(Number.isInteger(list[0].BackupStartTime) && list[0].BackupStartTime > 1e12, "ms since the epoch");

        clock.advance(60_000);
        const [running, released, deleting] = await drive([
            { call: "DescribeInstances", request: { InstanceId: id, RegionId: "cn-hangzhou" } },
            { call: "ReleaseInstance", request: { InstanceId: id } },
            { call: "DescribeInstances", request: { InstanceId: id } },
        ]);
        parsedCleanly([running, released, deleting]);
        assert.equal((running.body!.Data as Instance[])[0].InstanceStatus, "running");
        assert.equal(released.body!.Data, true);
        assert.equal((deleting.body!.Data as Instance[])[0].InstanceStatus, "deleting");

        clock.advance(10_000);
        const [gone] = await drive([{ call: "DescribeInstances", request: { InstanceId: id } }]);
        parsedCleanly([gone]);
        assert.deepEqual(gone.body!.Data, []);
        assert.equal(server.count("RestoreInstance"), 1);
    });

    it("an error answer reaches the SDK as its ClientException with the HTTP status (no crash in its parser)", async () => {
        const [r] = await drive([{ call: "ReleaseInstance", request: { InstanceId: "c-doesnotexist0001" } }]);
        assert.equal(r.ok, false);
        assert.equal(r.error, "ClientException");
        assert.equal(r.statusCode, 400);
    });
});
