"""Runs __main__.py under Pulumi's mocks and prints what it registered, as JSON (one object per resource).

No engine, no provider plugin: tencentcloud-iac-pulumi's plugin cannot be downloaded here. Usage:
    python mocks_test.py            (from this directory, with pulumi, tencentcloud-iac-pulumi and the generated
                                     pulumi_pulumi_restore importable)
"""
import json
import os
import runpy
import sys

import pulumi

registered = []


class Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args: pulumi.runtime.MockResourceArgs):
        registered.append({"type": args.typ, "name": args.name, "inputs": args.inputs})
        outs = dict(args.inputs)
        if args.typ.startswith("pulumi-restore:"):
            outs.update({"instanceId": "crs-mockcopy", "address": "10.0.0.12", "passed": True})
        return [f"{args.name}-id", outs]

    def call(self, args: pulumi.runtime.MockCallArgs):
        return {}


pulumi.runtime.set_mocks(Mocks(), project="tencentcloud-python", stack="test", preview=False)
CONFIG = {
    "tencentcloud-python:redisPassword": "Source-Passw0rd",
    "tencentcloud-python:copyPassword": "Copy-Passw0rd",
}
pulumi.runtime.set_all_config(CONFIG, list(CONFIG))
program = runpy.run_path(os.path.join(os.path.dirname(os.path.abspath(__file__)), "__main__.py"))


@pulumi.runtime.test
def registrations():
    return pulumi.Output.all(program["copy"].instance_id, program["drill"].passed).apply(lambda _: None)


registrations()
json.dump(registered, sys.stdout, default=str)
