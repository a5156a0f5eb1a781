"""
Drives the KooPhone emulator with Huawei Cloud's official Python SDK core (huaweicloudsdkcore), the way a generated
service client would: ClientBuilder -> Client.do_http_request, BasicCredentials (AK/SK, optional project id and
security token), the SDK's own header choices (User-Agent, Content-Type, X-Project-Id, X-Security-Token) and its own
SDK-HMAC-SHA256 signer. Only the transport is adapted: the endpoint is the emulator's http://127.0.0.1:port.

There is no KooPhone SDK module, so the calls (method, path, query, header and body parameters) and the response
models come from the test, which takes them from the vendor's API reference (field names and types only). The models
are built here the way generated ones are shaped (openapi_types / attribute_map, the top level an SdkResponse), and
the SDK's own deserializer fills them; errors go through the SDK's exception handler into its SdkError model.

stdin: {"endpoint", "ak", "sk", "project_id"?, "security_token"?, "calls": [{"method", "path", "query"?: [[k, v]],
        "headers"?: {}, "body"?: {}, "response": spec}]}, spec: "str" | "int" | {field: spec} | [spec]
stdout: {"results": [{"ok": true, "status", "body": the model as a dict, "type_mismatches": [path, ...]}
         | {"ok": false, "status", "error_code", "error_msg", "request_id", "kind"}]}
"type_mismatches" lists the fields whose JSON value is not of the documented type (the SDK would coerce them).
"""
import json
import sys

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.client import Client, ClientBuilder
from huaweicloudsdkcore.exceptions import exceptions
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkcore.sdk_response import SdkResponse


_counter = [0]
_PY = {"str": str, "int": int}


def model_type(spec, top=False):
    """The SDK type name for a spec; registers model classes in this module (the client's model_package)."""
    if isinstance(spec, str):
        return spec
    if isinstance(spec, list):
        return "list[%s]" % model_type(spec[0])
    _counter[0] += 1
    name = "Model%d" % _counter[0]
    types = {k: model_type(v) for k, v in spec.items()}

    def __init__(self, **kwargs):
        if top:
            SdkResponse.__init__(self)
        for k in types:
            setattr(self, k, kwargs.get(k))

    cls = type(name, (SdkResponse,) if top else (object,), {
        "openapi_types": types,
        "attribute_map": {k: k for k in types},
        "__init__": __init__,
    })
    setattr(sys.modules[__name__], name, cls)
    return name


def to_plain(v):
    if isinstance(v, list):
        return [to_plain(x) for x in v]
    if hasattr(v, "openapi_types"):
        return {k: to_plain(getattr(v, k)) for k in v.openapi_types if getattr(v, k) is not None}
    return v


def mismatches(raw, spec, path="$"):
    out = []
    if raw is None:
        return out
    if isinstance(spec, str):
        t = _PY[spec]
        if not isinstance(raw, t) or (t is int and isinstance(raw, bool)):
            out.append("%s: %s is not %s" % (path, json.dumps(raw), spec))
    elif isinstance(spec, list):
        if not isinstance(raw, list):
            out.append("%s: not a list" % path)
        else:
            for i, x in enumerate(raw):
                out += mismatches(x, spec[0], "%s[%d]" % (path, i))
    elif not isinstance(raw, dict):
        out.append("%s: not an object" % path)
    else:
        for k, v in spec.items():
            out += mismatches(raw.get(k), v, "%s.%s" % (path, k))
    return out


def main():
    req = json.load(sys.stdin)
    cred = BasicCredentials(req["ak"], req["sk"], req.get("project_id"))
    if req.get("security_token"):
        cred = cred.with_security_token(req["security_token"])
    config = HttpConfig.get_default_config()
    config.ignore_ssl_verification = True
    config.retry_times = 0
    client = (
        ClientBuilder(Client)
        .with_http_config(config)
        .with_credentials(cred)
        .with_endpoint(req["endpoint"])
        .build()
    )
    # A generated client sets model_package to its models module; here the models are built in this one.
    client.model_package = sys.modules[__name__]
    results = []
    for call in req["calls"]:
        try:
            resp = client.do_http_request(
                method=call["method"],
                resource_path=call["path"],
                path_params={},
                query_params=[tuple(q) for q in call.get("query", [])],
                header_params=dict(call.get("headers", {})),
                body=call.get("body"),
                post_params={},
                cname=None,
                response_type=model_type(call["response"], top=True),
                response_headers=[],
                collection_formats={},
                request_type=None,
            )
            raw = json.loads(resp.raw_content.decode("utf-8"))
            results.append({
                "ok": True,
                "status": resp.status_code,
                "body": to_plain(resp),
                "type_mismatches": mismatches(raw, call["response"]),
            })
        except exceptions.ServiceResponseException as e:
            results.append(
                {
                    "ok": False,
                    "kind": type(e).__name__,
                    "status": e.status_code,
                    "error_code": e.error_code,
                    "error_msg": e.error_msg,
                    "request_id": e.request_id,
                }
            )
    print(json.dumps({"results": results}, default=str))


if __name__ == "__main__":
    main()
