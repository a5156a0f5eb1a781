"""
The official Alibaba Cloud client for EMR Serverless StarRocks (alibabacloud_starrocks20221019.client.Client) driving
our emulator: only the transport is adapted (endpoint 127.0.0.1:<port>, protocol http); the SDK signs as it always does.

Input (JSON on stdin):
  {"endpoint": "127.0.0.1:1234", "accessKeyId": ..., "accessKeySecret": ..., "steps": [
      {"call": "RestoreInstance", "request": {...the request model's wire names...}},
      {"call": "DescribeInstances", "request": {...}}, ...]}
Each step's request is built with the SDK's own request model (from_map of the wire names), sent with the SDK's
method, and its answer parsed by the SDK into its response model. The raw answer body is kept too (observed on its way
back from call_api, not changed) and checked against the response model: keys the model does not know, JSON types.

Output: [{"call", "ok", "statusCode", "body" (the SDK's parsed model, to_map), "problems", "error"}...]
"""
import json
import re
import sys

from alibabacloud_starrocks20221019 import models as M
from alibabacloud_starrocks20221019.client import Client
from alibabacloud_tea_openapi.utils_models import Config
from darabonba.runtime import RuntimeOptions

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from alicloud_starrocks_model import check_object  # noqa: E402


def snake(action):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", action).lower()


def main():
    req = json.load(sys.stdin)
    client = Client(
        Config(
            access_key_id=req["accessKeyId"],
            access_key_secret=req["accessKeySecret"],
            endpoint=req["endpoint"],
            protocol="http",
            region_id=req.get("regionId", "cn-hangzhou"),
        )
    )
    raw = {}
    original = client.call_api

    def observe(params, request, runtime):
        res = original(params, request, runtime)
        raw["body"] = res.get("body")
        return res

    client.call_api = observe
    out = []
    for step in req["steps"]:
        action = step["call"]
        raw.clear()
        model = getattr(M, action + "Request")().from_map(step.get("request", {}))
        runtime = RuntimeOptions(autoretry=False)
        try:
            resp = getattr(client, snake(action) + "_with_options")(model, {}, runtime)
            problems = []
            check_object(action, raw.get("body") or {}, getattr(M, action + "ResponseBody"), problems)
            out.append(
                {
                    "call": action,
                    "ok": True,
                    "statusCode": resp.status_code,
                    "body": resp.body.to_map(),
                    "problems": problems,
                }
            )
        except Exception as e:  # the SDK's own exception for an error answer
            out.append(
                {
                    "call": action,
                    "ok": False,
                    "error": type(e).__name__,
                    "code": getattr(e, "code", None),
                    "statusCode": getattr(e, "status_code", None),
                    "message": str(getattr(e, "message", e))[:500],
                }
            )
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
