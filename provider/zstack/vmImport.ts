/**
 * `pulumi import` of `zstack.VmFromBackup`: an existing VM recorded as adopted (as `adoptId` adopts it), with the inputs
 * its inventory reports. The VM inventory does not say which backup group the VM was created from; the import id may
 * add it, and it is then checked (it must exist and be complete) and recorded: `<vmUuid>[:<backupGroupUuid>]`.
 */
import { clean } from "../core/validate";
import { resolveBackup } from "./vmBackups";
import { VmFromBackupProvider } from "./vmProvider";
import type { Importer } from "../core/importer";
import { ImportIdError, parseImportId } from "../core/importId";
import { importedInputs } from "../core/importer";

const UUID = /^[0-9a-f]{32}$/;
/** VM states that mean gone (as the provider's refresh takes them). */
const GONE = new Set(["Destroyed", "Destroying", "Expunging"]);

/** Reads an existing VM (`<vmUuid>[:<backupGroupUuid>]`). */
export const importer: Importer = async (id, ctx) => {
    const parts = parseImportId(id, [
        { name: "vmUuid", pattern: UUID, format: "a VM uuid (32 lower-case hex characters)" },
        {
            name: "backupGroupUuid",
            pattern: UUID,
            format: "the uuid of the VM backup group it was created from (32 lower-case hex characters)",
            optional: true,
        },
    ]);
    const uuid = parts.vmUuid as string;
    const group = parts.backupGroupUuid;
    if (group === uuid) throw new ImportIdError("names the VM twice: the second part is the backup group's uuid");
    const p = new VmFromBackupProvider();
    await p.configure({ config: ctx.config });
    const client = p.client();
    const vm = await client.getVm(uuid);
    if (!vm || GONE.has(vm.state)) return undefined;
    if (group) {
        // The group must exist and be complete: recorded, it is what the next replacement restores.
        await resolveBackup(client, { backupGroupUuid: group, where: p.where(), now: Date.now() });
    }
    const nics = vm.vmNics ?? [];
    const l3 = [...new Set(nics.map((n) => n.l3NetworkUuid).filter((x): x is string => !!x))];
    const sized = !vm.instanceOfferingUuid && vm.cpuNum !== undefined && vm.memorySize !== undefined;
    const given = clean({
        adoptId: uuid,
        backupGroupUuid: group,
        name: vm.name ?? uuid,
        instanceOfferingUuid: vm.instanceOfferingUuid || undefined,
        cpuNum: sized ? vm.cpuNum : undefined,
        memorySize: sized ? vm.memorySize : undefined,
        l3NetworkUuids: l3.length > 0 ? l3 : undefined,
        defaultL3NetworkUuid:
            vm.defaultL3NetworkUuid && l3.includes(vm.defaultL3NetworkUuid) ? vm.defaultL3NetworkUuid : undefined,
        description: vm.description || undefined,
        // Where it is now: a VM that is not running was not created to run (CreateStopped).
        strategy: vm.state === "Stopped" ? "CreateStopped" : undefined,
    });
    const inputs = await importedInputs(p, "VM", uuid, given, ctx.restoreToken);
    // The provider's refresh of those inputs gives the outputs (addresses, volumes, where it runs).
    const read = await p.read(uuid, { ...inputs.checked, adopted: true, selectedBackupId: group });
    if (!read.id) return undefined;
    return { id: uuid, outs: read.props as Record<string, unknown>, inputs: inputs.given };
};
