"""Restores a StarRocks backup into a new instance, through the pulumi-restore provider plugin.

`pulumi destroy` releases the restored instance; the backup is never touched. The resource class comes from the SDK
generated from the plugin's schema (package pulumi_pulumi_restore, see Pulumi.yaml for how to generate it).
"""
import pulumi
import pulumi_pulumi_restore as restore

cfg = pulumi.Config()

restored = restore.alicloud.starrocks.RestoredInstance(
    "analytics-dr",
    backup_task_id=cfg.get("backupTaskId") or "bk-quickstart01",
    instance_name="analytics-dr",
    admin_password=cfg.get_secret("adminPassword"),
    tags={"team": "data-platform", "purpose": "dr-rehearsal"},
    # Honoured by the plugin: the engine passes them to the provider, which stops waiting when they run out.
    opts=pulumi.ResourceOptions(custom_timeouts=pulumi.CustomTimeouts(create="2h", delete="1h")),
)

pulumi.export("instanceId", restored.instance_id)
pulumi.export("status", restored.status)
pulumi.export("restoreToken", restored.restore_token)
