"""JD Cloud's official Python SDK (jdcloud_sdk) as the oracle of our RDS client and emulator.

Reads JSON on stdin, prints JSON on stdout. `{"mode": ...}`:
- "model": for each action we use, the SDK request class's path template, method and API version, its parameters
  (required ones from the Parameters constructor, optional ones from its setters, with their docstrings); and for
  each model we send or read, its fields (required when the constructor has no default) and their docstrings.
- "build": the exact URL and body the SDK's own parameter builders make for the given parameters (no network).
- "parse": what the SDK's JDCloudResponse reads from raw answer bodies (the envelope).
- "drive": the SDK's JDCloudClient against an endpoint (our emulator): create from backup, describe until RUNNING,
  list instances (filters, tag filters), list backups, delete, describe until gone. Every answer is loaded into the
  SDK's model classes, which refuse a field they do not know.
Only the transport is adapted (Config endpoint and scheme); the SDK signs as it always does.
"""
import importlib
import inspect
import json
import sys
import time

from jdcloud_sdk.core.config import Config
from jdcloud_sdk.core.const import SCHEME_HTTP
from jdcloud_sdk.core.credential import Credential
from jdcloud_sdk.core.jdcloudclient import JDCloudClient
from jdcloud_sdk.core.parameterbuilder import WithBodyBuilder, WithoutBodyBuilder
from jdcloud_sdk.services.charge.models.Charge import Charge
from jdcloud_sdk.services.charge.models.ChargeSpec import ChargeSpec
from jdcloud_sdk.services.common.models.Filter import Filter
from jdcloud_sdk.services.common.models.TagFilter import TagFilter
from jdcloud_sdk.services.rds.models.Backup import Backup
from jdcloud_sdk.services.rds.models.DBInstance import DBInstance
from jdcloud_sdk.services.rds.models.DBInstanceAttribute import DBInstanceAttribute
from jdcloud_sdk.services.rds.models.RestoredNewDBInstanceSpec import RestoredNewDBInstanceSpec
from jdcloud_sdk.services.rds.models.Tag import Tag

# The actions our client calls (provider/jdcloud/rdsClient.ts).
ACTIONS = [
    "CreateInstanceFromBackup",
    "DescribeInstanceAttributes",
    "DescribeInstances",
    "DescribeBackups",
    "DeleteInstance",
]
MODELS = {
    "jdcloud_sdk.services.rds.models.RestoredNewDBInstanceSpec": RestoredNewDBInstanceSpec,
    "jdcloud_sdk.services.charge.models.ChargeSpec": ChargeSpec,
    "jdcloud_sdk.services.charge.models.Charge": Charge,
    "jdcloud_sdk.services.rds.models.DBInstance": DBInstance,
    "jdcloud_sdk.services.rds.models.DBInstanceAttribute": DBInstanceAttribute,
    "jdcloud_sdk.services.rds.models.Backup": Backup,
    "jdcloud_sdk.services.rds.models.Tag": Tag,
    "jdcloud_sdk.services.common.models.Filter": Filter,
    "jdcloud_sdk.services.common.models.TagFilter": TagFilter,
}


def param_docs(doc):
    """`:param name: text` lines of a docstring, as {name: text} (continuation lines joined)."""
    out = {}
    current = None
    for line in (doc or "").splitlines():
        s = line.strip()
        if s.startswith(":param "):
            name, _, text = s[len(":param "):].partition(":")
            current = name.strip()
            out[current] = text.strip()
        elif current and s:
            out[current] += "\n" + s
    return out


def model_of(cls):
    sig = inspect.signature(cls.__init__)
    docs = param_docs(cls.__init__.__doc__)
    fields = {}
    for name, p in sig.parameters.items():
        if name == "self":
            continue
        fields[name] = {"required": p.default is inspect.Parameter.empty, "doc": docs.get(name, "")}
    return {"file": inspect.getsourcefile(cls), "fields": fields}


def action_of(name):
    mod = importlib.import_module("jdcloud_sdk.services.rds.apis.%sRequest" % name)
    req_cls = getattr(mod, "%sRequest" % name)
    par_cls = getattr(mod, "%sParameters" % name)
    # The path, method and version as the request class sets them.
    holder = req_cls.__new__(req_cls)
    req_cls.__init__(holder, None)
    sig = inspect.signature(par_cls.__init__)
    required = [n for n, p in sig.parameters.items() if n != "self" and p.kind == p.POSITIONAL_OR_KEYWORD]
    docs = param_docs(par_cls.__init__.__doc__)
    params = {n: {"required": True, "doc": docs.get(n, "")} for n in required}
    for attr, fn in inspect.getmembers(par_cls, inspect.isfunction):
        if attr.startswith("set") and len(attr) > 3:
            pname = attr[3].lower() + attr[4:]
            params.setdefault(pname, {"required": False, "doc": param_docs(fn.__doc__).get(pname, "")})
    return {
        "file": inspect.getsourcefile(req_cls),
        "url": holder.url,
        "method": holder.method,
        "version": holder.version,
        "params": params,
    }


def model_mode(_):
    return {
        "actions": {a: action_of(a) for a in ACTIONS},
        "models": {k: model_of(v) for k, v in MODELS.items()},
    }


def tags(items):
    return None if items is None else [Tag(**t) for t in items]


def sdk_parameters(action, p):
    """The SDK's own Parameters object for an action, built from plain JSON (unknown names raise TypeError)."""
    mod = importlib.import_module("jdcloud_sdk.services.rds.apis.%sRequest" % action)
    par_cls = getattr(mod, "%sParameters" % action)
    if action == "CreateInstanceFromBackup":
        spec = dict(p["instanceSpec"])
        spec["chargeSpec"] = ChargeSpec(**spec["chargeSpec"])
        if "tagSpec" in spec:
            spec["tagSpec"] = tags(spec["tagSpec"])
        return par_cls(p["regionId"], p["backupId"], p["engine"], RestoredNewDBInstanceSpec(**spec))
    if action == "DescribeInstances":
        o = par_cls(p["regionId"])
        if "pageNumber" in p:
            o.setPageNumber(p["pageNumber"])
        if "pageSize" in p:
            o.setPageSize(p["pageSize"])
        if "filters" in p:
            o.setFilters([Filter(**f) for f in p["filters"]])
        if "tagFilters" in p:
            o.setTagFilters([TagFilter(**f) for f in p["tagFilters"]])
        return o
    if action == "DescribeBackups":
        return par_cls(p["regionId"], p["instanceId"], p["pageNumber"], p["pageSize"])
    return par_cls(p["regionId"], p["instanceId"])


def request_of(action, params):
    mod = importlib.import_module("jdcloud_sdk.services.rds.apis.%sRequest" % action)
    return getattr(mod, "%sRequest" % action)(sdk_parameters(action, params))


def build_mode(inp):
    out = []
    for call in inp["calls"]:
        req = request_of(call["action"], call["params"])
        builder = WithBodyBuilder() if req.method in ("POST", "PUT", "PATCH") else WithoutBodyBuilder()
        out.append({
            "method": req.method,
            "url": builder.build_url(req, "https", inp.get("endpoint", "rds.example.invalid")),
            "body": builder.build_body(req),
        })
    return out


class Quiet(object):
    """The SDK's default logger prints URLs and headers; the oracle's stdout is JSON only."""

    def log(self, level, msg):
        pass


def load(cls, d, nested=None):
    """An SDK model from an answer's dict: a field the model does not know raises TypeError."""
    d = dict(d)
    for k, sub in (nested or {}).items():
        if d.get(k) is not None:
            d[k] = [sub(**x) for x in d[k]] if isinstance(d[k], list) else sub(**d[k])
    return cls(**d)


def drive_mode(inp):
    client = JDCloudClient(Credential(inp["accessKey"], inp["secretKey"]), Config(inp["endpoint"], SCHEME_HTTP, 10),
                           "rds", "1.6.354", Quiet())
    region = inp["regionId"]
    log = []

    def send(action, params):
        resp = client.send(request_of(action, params))
        err = None if resp.error is None else {"status": resp.error.status, "code": resp.error.code,
                                               "message": resp.error.message}
        log.append({"action": action, "requestId": resp.request_id, "error": err})
        if err is not None:
            raise RuntimeError("%s answered %s" % (action, json.dumps(err)))
        return resp.result

    created = send("CreateInstanceFromBackup", {"regionId": region, **inp["create"]})
    instance_id = created["instanceId"]
    statuses = []
    attrs = None
    deadline = time.time() + 30
    while time.time() < deadline:
        r = send("DescribeInstanceAttributes", {"regionId": region, "instanceId": instance_id})
        attrs = load(DBInstanceAttribute, r["dbInstanceAttributes"], {"charge": Charge, "tags": Tag})
        statuses.append(attrs.instanceStatus)
        if attrs.instanceStatus == "RUNNING":
            break
        time.sleep(0.1)
    lists = []
    for q in inp.get("lists", []):
        listed = send("DescribeInstances", dict({"regionId": region, "pageNumber": 1, "pageSize": 100}, **q))
        instances = [load(DBInstance, x, {"charge": Charge, "tags": Tag}) for x in listed["dbInstances"]]
        lists.append({"totalCount": listed["totalCount"],
                      "instances": [{"instanceId": i.instanceId, "instanceName": i.instanceName,
                                     "instanceStatus": i.instanceStatus,
                                     "tags": [t.__dict__ for t in (i.tags or [])]} for i in instances]})
    backups = send("DescribeBackups", {"regionId": region, "instanceId": inp["sourceInstanceId"], "pageNumber": 1,
                                       "pageSize": 100})
    backup_models = [load(Backup, b) for b in backups["backup"]]
    send("DeleteInstance", {"regionId": region, "instanceId": instance_id})
    gone = None
    deadline = time.time() + 30
    while time.time() < deadline:
        resp = client.send(request_of("DescribeInstanceAttributes", {"regionId": region, "instanceId": instance_id}))
        if resp.error is not None:
            gone = {"status": resp.error.status, "code": resp.error.code}
            break
        time.sleep(0.1)
    return {
        "created": created,
        "statuses": statuses,
        "attributes": dict(attrs.__dict__, charge=attrs.charge.__dict__ if attrs.charge else None,
                           tags=[t.__dict__ for t in (attrs.tags or [])]) if attrs else None,
        "lists": lists,
        "backups": [b.__dict__ for b in backup_models],
        "backupsTotal": backups["totalCount"],
        "gone": gone,
        "log": log,
    }


def parse_mode(inp):
    """What the SDK's JDCloudResponse makes of raw answer bodies: request id, error (status, code, message), result."""
    from jdcloud_sdk.core.jdcloudresponse import JDCloudResponse
    out = []
    for body in inp["bodies"]:
        r = JDCloudResponse()
        r.fill_value(body)
        out.append({
            "requestId": r.request_id,
            "error": None if r.error is None else {"status": r.error.status, "code": r.error.code,
                                                   "message": r.error.message},
            "result": r.result,
        })
    return out


def main():
    inp = json.load(sys.stdin)
    mode = inp.get("mode")
    fn = {"model": model_mode, "build": build_mode, "drive": drive_mode, "parse": parse_mode}[mode]
    json.dump(fn(inp), sys.stdout)


if __name__ == "__main__":
    main()
