"""
The official Alibaba Cloud SDK for EMR Serverless StarRocks (alibabacloud_starrocks20221019) as an oracle.

Reads JSON on stdin, prints JSON on stdout. Nothing here is copied into the package: the SDK is asked, at run time.

{"mode": "spec", "actions": ["RestoreInstance", ...]}
    For each action, what the SDK's own client method sends: it is called with a request whose every field is set (a
    sample value of the field's annotated type), with `call_api` replaced by a recorder, so the SDK builds its
    params (action, version, method, pathname, style, body type) and its OpenApiRequest (query and body) itself.
    Also the request and response-body models as schemas: {wire name: type}, nested for models and lists.

{"mode": "samples", "actions": [...]}
    Each action's response body with every field set, as the SDK's to_map writes it (strings: the field's name).

{"mode": "check", "answers": [{"action": "DescribeInstances", "body": {...}}, ...]}
    Parses each `body` (an answer's JSON) into the SDK's response-body model with its own from_map, and reports every key
    the model does not know (at any depth), every value whose JSON type differs from the annotated type, and whether
    to_map() gives the same JSON back.
"""
import functools
import inspect
import json
import re
import sys
import typing

from alibabacloud_starrocks20221019 import models as M
from alibabacloud_starrocks20221019.client import Client
from darabonba.runtime import RuntimeOptions


def snake(action):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", action).lower()


def hints(cls):
    module = sys.modules[cls.__module__]
    return typing.get_type_hints(cls.__init__, globalns=vars(module))


def describe_type(t):
    """A JSON-ish description of an annotation: "str", "int", "bool", {"list": ...}, {"model": name, "fields": ...}."""
    origin = typing.get_origin(t)
    if origin in (list, typing.List):
        return {"list": describe_type(typing.get_args(t)[0])}
    if origin in (dict, typing.Dict):
        return "dict"
    if isinstance(t, type) and hasattr(t, "from_map") and t.__module__.startswith("alibabacloud_"):
        return {"model": t.__name__, "fields": schema(t)}
    if t is type(None):
        return "null"
    return getattr(t, "__name__", str(t))


def sample(t, depth=0, name="s"):
    """A value of type t; a string is the field's Python name, so a reader can tell which field it read."""
    origin = typing.get_origin(t)
    if origin in (list, typing.List):
        return [sample(typing.get_args(t)[0], depth + 1, name)]
    if t is str:
        return name
    if t is int:
        return 7
    if t is bool:
        return True
    if t is float:
        return 1.5
    if isinstance(t, type) and hasattr(t, "from_map"):
        return full(t, depth + 1, name != "s")
    return None


def full(cls, depth=0, named=False):
    """An instance of a model with every field set to a sample of its type (strings: "s", or the field's name)."""
    obj = cls()
    if depth > 6:
        return obj
    for name, t in hints(cls).items():
        if name == "return":
            continue
        setattr(obj, name, sample(t, depth, name) if named else sample(t, depth))
    return obj


@functools.lru_cache(maxsize=None)
def wire_names(cls):
    """Python attribute -> wire name, found by setting one field at a time and seeing which key to_map() adds."""
    empty = cls().to_map() or {}
    out = {}
    for name, t in hints(cls).items():
        if name == "return":
            continue
        obj = cls()
        setattr(obj, name, sample(t))
        m = obj.to_map() or {}
        changed = [k for k in m if k not in empty or m[k] != empty[k]]
        if len(changed) == 1:
            out[name] = changed[0]
    return out


def schema(cls):
    names = wire_names(cls)
    h = hints(cls)
    return {names[a]: describe_type(h[a]) for a in names}


def field_docs(cls, prefix="", out=None, depth=0):
    """The SDK's comment on each field, by wire path ("Data[].BackupType"): where the SDK keeps enums as prose."""
    out = {} if out is None else out
    if depth > 6:
        return out
    lines = inspect.getsource(cls.__init__).splitlines()
    names = wire_names(cls)
    h = hints(cls)
    for i, line in enumerate(lines):
        m = re.match(r"\s*self\.(\w+) = \1$", line)
        if not m or m.group(1) not in names:
            continue
        comment = []
        j = i - 1
        while j >= 0 and lines[j].strip().startswith("#"):
            comment.insert(0, lines[j].strip()[1:].strip())
            j -= 1
        attr = m.group(1)
        path = prefix + names[attr]
        out[path] = "\n".join(comment)
        t = h[attr]
        if typing.get_origin(t) in (list, typing.List):
            t, path = typing.get_args(t)[0], path + "[]"
        if isinstance(t, type) and hasattr(t, "from_map") and t.__module__.startswith("alibabacloud_"):
            field_docs(t, path + ".", out, depth + 1)
    return out


def spec(action):
    method = getattr(Client, snake(action) + "_with_options")
    request_cls = getattr(M, action + "Request")
    body_cls = getattr(M, action + "ResponseBody")
    client = Client.__new__(Client)  # no Config: nothing is sent, call_api is replaced below
    seen = {}

    def record(params, req, runtime):
        seen["params"] = params
        seen["req"] = req
        return {"body": {}, "headers": {}, "statusCode": 200}

    client.call_api = record
    method(client, full(request_cls), {}, RuntimeOptions())
    p, r = seen["params"], seen["req"]
    return {
        "action": p.action,
        "version": p.version,
        "method": p.method,
        "pathname": p.pathname,
        "style": p.style,
        "reqBodyType": p.req_body_type,
        "bodyType": p.body_type,
        # What the SDK's own method put where, with every request field set (values: the samples, encoded as it
        # encodes them: a JSON string for a shrunk list, a number kept a number until the transport).
        "query": r.query or {},
        "body": r.body if r.body is not None else None,
        "requestModel": schema(request_cls),
        "responseModel": schema(body_cls),
        "requestDocs": field_docs(request_cls),
        "responseDocs": field_docs(body_cls),
        "modelFile": inspect.getsourcefile(body_cls).split("site-packages/")[-1],
        "requestFile": inspect.getsourcefile(request_cls).split("site-packages/")[-1],
        "clientFile": inspect.getsourcefile(Client).split("site-packages/")[-1],
    }


JSON_TYPES = {"str": (str,), "int": (int,), "bool": (bool,), "float": (int, float)}


def check_value(path, value, t, problems):
    if value is None:
        return
    origin = typing.get_origin(t)
    if origin in (list, typing.List):
        if not isinstance(value, list):
            problems.append(f"{path}: a list in the model, got {type(value).__name__}")
            return
        for i, v in enumerate(value):
            check_value(f"{path}[{i}]", v, typing.get_args(t)[0], problems)
        return
    if isinstance(t, type) and hasattr(t, "from_map") and t.__module__.startswith("alibabacloud_"):
        if not isinstance(value, dict):
            problems.append(f"{path}: an object ({t.__name__}) in the model, got {type(value).__name__}")
            return
        check_object(path, value, t, problems)
        return
    name = getattr(t, "__name__", str(t))
    allowed = JSON_TYPES.get(name)
    if allowed is None:
        return
    if name == "int" and isinstance(value, bool):
        problems.append(f"{path}: int in the model, got bool")
    elif name != "bool" and isinstance(value, bool) and bool not in allowed:
        problems.append(f"{path}: {name} in the model, got bool")
    elif not isinstance(value, allowed):
        problems.append(f"{path}: {name} in the model, got {type(value).__name__} {json.dumps(value)[:60]}")


def check_object(path, obj, cls, problems):
    names = wire_names(cls)
    by_wire = {w: a for a, w in names.items()}
    h = hints(cls)
    for k, v in obj.items():
        if k not in by_wire:
            problems.append(f"{path}.{k}: not in the model {cls.__name__} (it knows {sorted(by_wire)})")
            continue
        check_value(f"{path}.{k}", v, h[by_wire[k]], problems)


def check(action, body):
    cls = getattr(M, action + "ResponseBody")
    problems = []
    check_object(action, body, cls, problems)
    parsed = cls().from_map(body)
    return {"problems": problems, "parsed": parsed.to_map()}


def main():
    req = json.load(sys.stdin)
    if req["mode"] == "spec":
        out = {a: spec(a) for a in req["actions"]}
    elif req["mode"] == "samples":
        out = {a: full(getattr(M, a + "ResponseBody"), named=True).to_map() for a in req["actions"]}
    elif req["mode"] == "check":
        out = [check(a["action"], a["body"]) for a in req["answers"]]
    else:
        raise SystemExit(f"unknown mode {req['mode']}")
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
