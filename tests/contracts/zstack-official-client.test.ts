/**
 * Vendor contract, ZStack Cloud: ZStack's own client (zstack-mcp-server's zstack_mcp/zstack_client.py, ZStackClient)
 * drives our emulator, started in-process, over plain HTTP: login, backup listing (QueryVolumeBackup), create from a
 * backup group and its job, query, destroy, expunge, session renewal and logout. Only its address and poll interval are
 * set (tests/contracts/oracles/zstack_drive.py); it builds, sends and parses every message itself, so an answer in a
 * shape it cannot read fails here.
 *
 * That client speaks ZStack's RPC endpoint (`POST /zstack/api/`, results at `/zstack/api/result/{uuid}`), not the REST
 * paths our client uses: the emulator serves both over the same state (emulator/zstack/rpc.ts).
 */
import { strict as assert } from "assert";
import { randomBytes } from "crypto";
import { EmulatorServer } from "../../emulator/core/server";
import { DEFAULT_SOURCE_VM, ZStackService } from "../../emulator/zstack/zstack";
import { pythonOracle, runOracle } from "../support/pythonOracle";

interface Step {
    api: string;
    ok: boolean;
    result?: Record<string, unknown>;
    error?: string;
    code?: string | null;
}

const PASSWORD = "vendor-client-password";
/** The user tag the vendor's client puts on the VM it creates (as pulumi-restore puts its mark). */
const USER_TAG = "pulumi-restore-token::prt-0123456789abcdef0123";

describe("zstack contract: ZStack's own client drives the emulator", function () {
    this.timeout(120_000);
    let svc: ZStackService;
    let server: EmulatorServer;
    let steps: Step[];
    let resourceUuid: string;
    let demo: { backupGroupUuid: string; instanceOfferingUuid: string; l3NetworkUuid: string };

    before(async function () {
        pythonOracle(this);
        svc = new ZStackService({
            accounts: { admin: PASSWORD },
            timings: { createMs: 150, startMs: 50, destroyMs: 100, expungeMs: 100 },
        });
        server = new EmulatorServer(svc);
        const url = await server.start();
        demo = svc.seed("demo", {}) as typeof demo;
        resourceUuid = randomBytes(16).toString("hex");
        const out = await runOracle<{ steps: Step[] }>("zstack_drive.py", {
            apiUrl: url,
            account: "admin",
            password: PASSWORD,
            groupUuid: demo.backupGroupUuid,
            sourceVmUuid: DEFAULT_SOURCE_VM,
            instanceOfferingUuid: demo.instanceOfferingUuid,
            l3NetworkUuid: demo.l3NetworkUuid,
            resourceUuid,
            userTag: USER_TAG,
        });
        steps = out.steps;
    });

    after(async () => {
        await server?.stop();
    });

    const step = (api: string, nth = 0): Step => {
        const s = steps.filter((x) => x.api === api)[nth];
        assert.ok(s, `no ${api} step (${steps.map((x) => x.api).join(", ")})`);
        assert.ok(s.ok, `${api}: ${s.error} (${s.code})`);
        return s;
    };

    it("logs in with its own request (SHA-512 password) and reads the session inventory", () => {
        const s = step("LogInByAccount").result!;
        assert.match(String(s.uuid), /^[0-9a-f]{32}$/);
        assert.match(String(s.accountUuid), /^[0-9a-f]{32}$/);
        // The emulator issued it (it has been logged out since, by the last step).
        assert.equal(svc.logins, 1);
    });

    it("lists the source VM's volume backups, each with groupUuid, status and the total", () => {
        const r = step("QueryVolumeBackup").result!;
        const list = r.inventories as Record<string, unknown>[];
        assert.ok(list.length >= 1);
        for (const b of list) {
            assert.equal(b.groupUuid, demo.backupGroupUuid);
            assert.equal(b.vmInstanceUuid, DEFAULT_SOURCE_VM);
            assert.equal(b.status, "Ready");
        }
        assert.equal(r.total, list.length);
    });

    it("creates a VM from the backup group with its chosen resourceUuid, following the job to its event", () => {
        const inv = step("CreateVmFromVmBackup").result!.inventory as Record<string, unknown>;
        assert.equal(inv.uuid, resourceUuid);
        assert.equal(inv.name, "vendor-client-vm");
        assert.equal(svc.createdVms, 1);
        assert.deepEqual(svc.restoredFrom, [demo.backupGroupUuid]);
    });

    it("creates it with a user tag, and finds it by that tag (`__userTag__`) and not by another", () => {
        const byTag = step("QueryVmInstanceByUserTag").result!.inventories as Record<string, unknown>[];
        assert.deepEqual(
            byTag.map((v) => v.uuid),
            [resourceUuid],
        );
        assert.deepEqual(step("QueryVmInstanceByOtherUserTag").result!.inventories, []);
    });

    it("queries the VM, destroys it (Permissive), expunges it, and then finds nothing", () => {
        const found = step("QueryVmInstance", 0).result!.inventories as Record<string, unknown>[];
        assert.equal(found.length, 1);
        assert.equal(found[0].uuid, resourceUuid);
        step("DestroyVmInstance");
        step("ExpungeVmInstance");
        assert.deepEqual(step("QueryVmInstance", 1).result!.inventories, []);
        assert.equal(svc.allVms().length, 0);
    });

    it("renews the session through its job (RenewSession is asynchronous) and logs out", () => {
        const r = step("RenewSession").result!;
        assert.ok((r.inventory as Record<string, unknown>).expiredDate);
        step("LogOut");
        assert.equal(svc.sessions.size, 0);
    });
});
