"""ZStack oracle: the API message catalog of zstack-mcp-server (zstack_mcp/data/api_docs.json) and the request shapes
its own client (zstack_mcp/zstack_client.py) builds.

stdin: {"apis": ["CreateVmFromVmBackup", ...]}
stdout: {"catalogFile": <path inside the package>, "clientFile": ..., "apis": {name: entry or null}, "login": {...}}
where entry = {apiName, callType, responseName, primitiveFields, parameters: [{name, type, required, enum}]}; `enum` is
the list the catalog gives in prose ("可选值: [a, b]"), or null when it gives none. "login" is the body the vendor's
client posts for LogInByAccount, captured from ZStackClient.login() over an in-memory httpx transport (nothing leaves
the process), with the password it was given, so the caller can check the encoding.
"""
import asyncio
import json
import os
import re
import sys

import httpx
import zstack_mcp
from zstack_mcp import zstack_client

PKG = os.path.dirname(zstack_mcp.__file__)
CATALOG = os.path.join(PKG, "data", "api_docs.json")
ENUM = re.compile(r"可选值:\s*\[([^\]]*)\]")


def entry(e):
    if e is None:
        return None
    params = []
    for p in e.get("parameters", []):
        m = ENUM.search(p.get("description") or "")
        params.append(
            {
                "name": p["name"],
                "type": p["type"],
                "required": bool(p.get("required")),
                "enum": [x.strip() for x in m.group(1).split(",")] if m else None,
            }
        )
    return {
        "apiName": e.get("apiName"),
        "callType": e.get("callType"),
        "responseName": e.get("responseName"),
        "path": e.get("path"),
        "primitiveFields": e.get("primitive_fields"),
        "parameters": params,
    }


async def captured_login(password):
    seen = {}

    def handler(request):
        seen["method"] = request.method
        seen["path"] = request.url.path
        seen["body"] = json.loads(request.content.decode("utf-8"))
        reply = {"org.zstack.header.identity.APILogInReply": {"success": True, "inventory": {"uuid": "0" * 32}}}
        return httpx.Response(200, json={"state": "Done", "result": json.dumps(reply)})

    client = zstack_client.ZStackClient(api_url="http://oracle.invalid:8080", account="admin", password=password)
    # The transport only: the client builds its request exactly as it would for a management node.
    client._http_client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    session = await client.login()
    await client.close()
    seen["sessionUuid"] = session.uuid
    return seen


def main():
    req = json.load(sys.stdin)
    with open(CATALOG, encoding="utf-8") as f:
        docs = json.load(f)
    out = {
        "catalogFile": os.path.relpath(CATALOG, os.path.dirname(PKG)),
        "clientFile": os.path.relpath(zstack_client.__file__, os.path.dirname(PKG)),
        "apis": {name: entry(docs.get(name)) for name in req.get("apis", [])},
    }
    if req.get("loginPassword") is not None:
        out["login"] = asyncio.run(captured_login(req["loginPassword"]))
    json.dump(out, sys.stdout)


main()
