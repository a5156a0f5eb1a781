import { strict as assert } from "assert";
import * as fs from "fs";
import { CLOUD_SETTINGS, keyName } from "../../plugin/config";
import { RESOURCES, tokenOf } from "../../plugin/resources";
import { PackageSchema, SCHEMA_PATH, generateSchema, schemaJson } from "../../tools/schemagen";

/**
 * The plugin's schema (plugin/schema.json, what GetSchema answers and what YAML programs and SDKs are checked against)
 * cannot drift from the TypeScript sources: it is regenerated here and compared, and its resources are compared with
 * the lists the providers' checks use at run time.
 */
describe("provider plugin schema", function () {
    this.timeout(60_000);
    let schema: PackageSchema;
    before(() => {
        schema = generateSchema();
    });

    it("plugin/schema.json is exactly what the sources generate (run `npm run schema` after changing an Args interface)", () => {
        assert.equal(fs.readFileSync(SCHEMA_PATH, "utf8"), schemaJson());
    });

    for (const r of RESOURCES) {
        it(`${tokenOf(r)}: inputs are what check accepts, outputs include what the provider reports, secrets as the provider registers them`, () => {
            const res = schema.resources[tokenOf(r)];
            assert.ok(res, "missing from the schema");
            // restoreToken is set by the resource class (dynamic) or from the URN (plugin): never a user input.
            assert.deepEqual(
                Object.keys(res.inputProperties).sort(),
                r.inputKeys.filter((k) => k !== "restoreToken").sort(),
            );
            for (const k of [...r.outputKeys, "restoreToken"])
                assert.ok(res.properties[k], `output ${k} is not in the schema`);
            const secretIn = Object.keys(res.inputProperties)
                .filter((k) => res.inputProperties[k].secret)
                .sort();
            const secretOut = Object.keys(res.properties)
                .filter((k) => res.properties[k].secret)
                .sort();
            assert.deepEqual(secretIn, [...r.secretInputs].sort());
            assert.deepEqual(secretOut, [...r.secretInputs].sort());
            for (const [k, p] of Object.entries(res.inputProperties))
                assert.ok(p.description, `input ${k} has no description (TSDoc)`);
            for (const ref of JSON.stringify(res).match(/#\/types\/[^"]+/g) ?? []) {
                assert.ok(schema.types[ref.slice("#/types/".length)], `${ref} is referenced but not defined`);
            }
        });
    }

    it("configuration: one object per cloud with exactly the keys the providers read; secret keys marked secret", () => {
        assert.deepEqual(Object.keys(schema.config.variables).sort(), CLOUD_SETTINGS.map((c) => c.namespace).sort());
        assert.deepEqual(schema.provider.inputProperties, schema.config.variables);
        for (const c of CLOUD_SETTINGS) {
            const ref = schema.config.variables[c.namespace].$ref!.slice("#/types/".length);
            const t = schema.types[ref];
            const keys = Object.values(c.settings).flatMap((s) => s.config);
            assert.deepEqual(Object.keys(t.properties).sort(), keys.map(keyName).sort());
            const secret = Object.keys(t.properties)
                .filter((k) => t.properties[k].secret)
                .sort();
            assert.deepEqual(secret, c.secretKeys.map(keyName).sort());
        }
    });
});
