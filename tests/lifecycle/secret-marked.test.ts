/**
 * A value the program marked secret is never shown, whichever input holds it (issue: trust, round two, item 2). The
 * dynamic-provider host gets every value in plain text and cannot tell which were secret: the resource class passes
 * the names of the inputs the program marked (never their values), and the provider registers those values for
 * redaction. Through the real host, with preview: check failures that would quote the value do not.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { jdcloud, zstack } from "../../index";
import { CheckFailed, Engine } from "../../harness/engine";
import { EmulatedStack, emulatedStack } from "../support/stack";

describe("lifecycle: inputs the program marked secret stay out of messages (dynamic-provider host)", function () {
    this.timeout(120_000);
    let stack: EmulatedStack;
    let eng: Engine;
    before(async () => {
        stack = await emulatedStack();
        eng = stack.engine();
    });
    after(async () => stack?.close());

    // Values that pass the shared hygiene pass (which never quotes) but fail a property's own rule, which quotes
    // what it got: a bidirectional override is not a control character.
    const cases: { what: string; value: string; declare: (v: pulumi.Output<string>) => void }[] = [
        {
            what: "a JD Cloud instance name inside instanceSpec (not a secret input) marked secret, and malformed",
            value: "marked\u202esecret-rds-9137",
            declare: (v) =>
                new jdcloud.rds.RestoredInstance("marked-jd", {
                    backupId: "bk-marked-0001",
                    engine: "MySQL",
                    regionId: "cn-north-1",
                    instanceSpec: {
                        instanceName: v,
                        instanceClass: "db.mysql.s1.micro",
                        instanceStorageGB: 20,
                        azId: ["cn-north-1a"],
                        vpcId: "vpc-marked0001",
                        subnetId: "subnet-marked0001",
                        chargeSpec: { chargeMode: "postpaid_by_duration" },
                    },
                } as never),
        },
        {
            what: "a ZStack VM name marked secret, and malformed",
            value: "marked\u202esecret-vm-4471",
            declare: (v) =>
                new zstack.VmFromBackup("marked-zs", {
                    backupGroupUuid: "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
                    name: v,
                    instanceOfferingUuid: "1b2c3d4e5f60718293a4b5c6d7e8f90a",
                    l3NetworkUuids: ["2c3d4e5f60718293a4b5c6d7e8f90a1b"],
                } as never),
        },
    ];
    for (const c of cases) {
        it(`${c.what}: the check failure names the property, never the value`, async () => {
            const r = await eng.preview(() => c.declare(pulumi.secret(c.value)));
            const failed = r.errors.find((x): x is CheckFailed => x instanceof CheckFailed);
            assert.ok(failed, `preview did not fail at check: ${r.errors.map((x) => x.message).join("; ")}`);
            const text = `${failed.message}\n${JSON.stringify(failed.failures)}`;
            assert.ok(!text.includes(c.value), `the value is shown: ${text.slice(0, 500)}`);
            // The parts around the override character, as a message might quote them, are not shown either.
            for (const part of c.value.split("\u202e"))
                if (part.length >= 8) assert.ok(!text.includes(part), text.slice(0, 500));
        });
    }
});
