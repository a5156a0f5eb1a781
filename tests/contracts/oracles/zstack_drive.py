"""ZStack's own client (zstack_mcp/zstack_client.py, ZStackClient) driving an emulator over plain HTTP.

stdin: {"apiUrl": "http://127.0.0.1:port", "account", "password", "groupUuid", "sourceVmUuid", "instanceOfferingUuid",
        "l3NetworkUuid", "resourceUuid", "userTag"}
stdout: {"steps": [{"api", "ok", "result" | "error", "code"}]}

Only the transport settings are adapted (api_url, the poll interval); the client builds, sends and parses every
message itself. Each step runs even when an earlier one failed, so one run shows every refusal.
"""
import asyncio
import json
import sys

from zstack_mcp.zstack_client import ZStackApiError, ZStackClient


async def main():
    a = json.load(sys.stdin)
    ZStackClient.JOB_POLL_INTERVAL = 0.05
    c = ZStackClient(api_url=a["apiUrl"], account=a["account"], password=a["password"])
    steps = []

    async def step(api, full, params, is_async=False, label=None):
        name = label or api
        try:
            r = await c.execute(api, full, params, is_async)
            steps.append({"api": name, "ok": True, "result": r})
            return r
        except ZStackApiError as e:
            steps.append({"api": name, "ok": False, "error": str(e), "code": e.code})
        except Exception as e:  # noqa: BLE001 - a parse failure inside the client is what the test looks for
            steps.append({"api": name, "ok": False, "error": f"{type(e).__name__}: {e}", "code": None})
        return None

    try:
        s = await c.login()
        steps.append({"api": "LogInByAccount", "ok": True, "result": {"uuid": s.uuid, "accountUuid": s.account_uuid,
                                                                      "userUuid": s.user_uuid, "expiredDate": s.expire_date}})
    except Exception as e:  # noqa: BLE001
        steps.append({"api": "LogInByAccount", "ok": False, "error": f"{type(e).__name__}: {e}", "code": getattr(e, "code", None)})
        json.dump({"steps": steps}, sys.stdout)
        return

    await step("QueryVolumeBackup", "org.zstack.header.storage.volume.backup.APIQueryVolumeBackupMsg",
               {"conditions": [{"name": "vmInstanceUuid", "op": "=", "value": a["sourceVmUuid"]}],
                "limit": 100, "start": 0, "replyWithCount": True})
    await step("CreateVmFromVmBackup", "org.zstack.header.storage.volume.backup.APICreateVmFromVmBackupMsg",
               {"name": "vendor-client-vm", "groupUuid": a["groupUuid"],
                "instanceOfferingUuid": a["instanceOfferingUuid"], "l3NetworkUuids": [a["l3NetworkUuid"]],
                "defaultL3NetworkUuid": a["l3NetworkUuid"], "strategy": "InstantStart", "type": "UserVm",
                "resourceUuid": a["resourceUuid"], "userTags": [a["userTag"]]}, True)
    await step("QueryVmInstance", "org.zstack.header.vm.APIQueryVmInstanceMsg",
               {"conditions": [{"name": "uuid", "op": "=", "value": a["resourceUuid"]}]})
    # User tags are queryable on every inventory as `__userTag__` (the catalog's primitive fields).
    await step("QueryVmInstance", "org.zstack.header.vm.APIQueryVmInstanceMsg",
               {"conditions": [{"name": "__userTag__", "op": "=", "value": a["userTag"]}]}, label="QueryVmInstanceByUserTag")
    await step("QueryVmInstance", "org.zstack.header.vm.APIQueryVmInstanceMsg",
               {"conditions": [{"name": "__userTag__", "op": "=", "value": a["userTag"] + "-other"}]},
               label="QueryVmInstanceByOtherUserTag")
    await step("DestroyVmInstance", "org.zstack.header.vm.APIDestroyVmInstanceMsg",
               {"uuid": a["resourceUuid"], "deleteMode": "Permissive"}, True)
    await step("ExpungeVmInstance", "org.zstack.header.vm.APIExpungeVmInstanceMsg", {"uuid": a["resourceUuid"]}, True)
    await step("QueryVmInstance", "org.zstack.header.vm.APIQueryVmInstanceMsg",
               {"conditions": [{"name": "uuid", "op": "in", "value": a["resourceUuid"]}]})
    await step("RenewSession", "org.zstack.header.identity.APIRenewSessionMsg", {"sessionUuid": s.uuid}, True)
    await step("LogOut", "org.zstack.header.identity.APILogOutMsg", {"sessionUuid": s.uuid})
    await c.close()
    json.dump({"steps": steps}, sys.stdout)


asyncio.run(main())
