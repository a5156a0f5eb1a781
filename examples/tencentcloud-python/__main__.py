"""A Tencent Cloud Redis instance (Tencent's own Pulumi package) with a copy restored from its backup and a monthly
restore drill (pulumi-restore), in Python.

- The source instance comes from `tencentcloud-iac-pulumi` (PyPI; module `tencentcloud_iac_pulumi`), Tencent's own
  Pulumi package: `@pulumi/tencentcloud` is not published, and no other Python package declares Tencent resources.
- `RestoredInstance` clones one of its backups into a NEW instance (CloneInstances): the source is never touched.
  (`InstanceRestore` would overwrite the source in place: use it to roll an instance back, not to get a copy.)
- `RestoreDrill` rehearses the same clone every month into a scratch instance, checks it and releases it.

The restore classes come from the SDK generated from pulumi-restore's plugin schema (package pulumi_pulumi_restore,
see Pulumi.yaml). Config: `sourceVpcId`, `sourceSubnetId`, `securityGroupId`, secrets `redisPassword` and
`copyPassword`; `tencentcloud:region` (default ap-guangzhou), credentials as `tencentcloud:secretId` / `secretKey`.
"""
import pulumi
import pulumi_pulumi_restore as restore
import tencentcloud_iac_pulumi as tencentcloud

cfg = pulumi.Config()
vpc_id = cfg.get("sourceVpcId") or "vpc-mjwornzj"
subnet_id = cfg.get("sourceSubnetId") or "subnet-3lzrkspo"
security_group = cfg.get("securityGroupId") or "sg-5fgt7a1b"
zone_name = cfg.get("zone") or "ap-guangzhou-3"
zone_id = cfg.get_int("zoneId") or 100003

# The live cache, managed with Tencent's own provider.
source = tencentcloud.redis.Instance(
    "cache",
    availability_zone=zone_name,
    type_id=15,  # Redis 6.2, standard architecture
    mem_size=1024,
    charge_type="POSTPAID",
    vpc_id=vpc_id,
    subnet_id=subnet_id,
    security_groups=[security_group],
    password=cfg.require_secret("redisPassword"),
    name="cache",
)

# A copy of its latest backup next to it (for an investigation or a migration): a new instance, the source untouched.
copy = restore.tencentcloud.redis.RestoredInstance(
    "cache-copy",
    source_instance_id=source.id,
    backup_selector={"max_age": "24h"},
    zone_id=zone_id,
    security_group_ids=[security_group],
    vpc_id=vpc_id,
    subnet_id=subnet_id,
    password=cfg.require_secret("copyPassword"),
    triggers={"week": cfg.get("week") or "2026-48"},
)
pulumi.export("copyInstanceId", copy.instance_id)
pulumi.export("copyAddress", copy.address)

# The monthly drill: clone, check (running, TCP, the verify command), release, report.
drill = restore.tencentcloud.redis.RestoreDrill(
    "cache-monthly-drill",
    source_instance_id=source.id,
    backup_selector={"max_age": "26h"},
    zone_id=zone_id,
    security_group_ids=[security_group],
    vpc_id=vpc_id,
    subnet_id=subnet_id,
    password=cfg.require_secret("copyPassword"),
    triggers={"month": cfg.get("month") or "2026-12"},
    verify={"command": 'redis-cli -h "$DRILL_ADDRESS" -p "$DRILL_PORT" -a "$DRILL_PASSWORD" ping'},
)
pulumi.export("drillPassed", drill.passed)
