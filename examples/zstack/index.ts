/**
 * ZStack Cloud: a VM created from a VM backup group, e.g. a disaster-recovery rehearsal of a web server.
 *
 *   pulumi config set zstack:host 10.0.0.5            # the management node (zstack:port defaults to 8080, http)
 *   pulumi config set zstack:accountName admin
 *   pulumi config set --secret zstack:accountPassword ...
 *   pulumi config set backupGroupUuid <32-hex uuid of the VM backup group>
 *   pulumi config set instanceOfferingUuid <32-hex uuid>
 *   pulumi config set l3NetworkUuid <32-hex uuid>
 *   pulumi up
 */
import * as pulumi from "@pulumi/pulumi";
import { zstack } from "pulumi-restore";

const { VmFromBackup } = zstack;

export = async () => {
    const cfg = new pulumi.Config();
    const l3 = cfg.require("l3NetworkUuid");
    const vm = new VmFromBackup("web-dr", {
        backupGroupUuid: cfg.require("backupGroupUuid"),
        name: cfg.get("vmName") ?? "web-dr",
        instanceOfferingUuid: cfg.require("instanceOfferingUuid"),
        l3NetworkUuids: [l3],
        defaultL3NetworkUuid: l3,
        strategy: "InstantStart",
        description: "restored from the nightly backup for a DR rehearsal",
        userTags: ["dr-rehearsal"],
        expungeOnDelete: true,
        timeouts: { create: "45m" },
    });
    return {
        uuid: vm.uuid,
        state: vm.state,
        ips: vm.ips,
        hostUuid: vm.hostUuid,
    };
};
