import { strict as assert } from "assert";
import type * as ts from "typescript";
import { RESOURCES } from "../../plugin/resources";
import { DocTable, docTables, markers, pages, regenerate, tableText, tablesProgram } from "../../tools/propsdoc";

/**
 * The inputs tables of the reference docs (docs/<cloud>.md, docs/drills.md) are generated from the resources' tables
 * of properties: they cannot drift from what the Args, the checks and the schema are made of.
 */
describe("reference docs: inputs tables from the tables of properties", function () {
    this.timeout(120_000);
    // One compiler program for every test: building one takes seconds.
    let tables: DocTable[];
    let program: ts.Program;
    before(() => {
        tables = docTables();
        program = tablesProgram(tables);
    });

    it("every page's inputs tables are what the tables generate (run `npm run docs:props` after changing a table)", () => {
        for (const p of pages(tables, program)) assert.equal(p.current, p.generated, `${p.page} is stale`);
    });

    it("every resource with a table of properties has an inputs table in its cloud's page", () => {
        const names = tables.map((t) => t.name);
        for (const r of RESOURCES.filter((x) => x.props && x.type !== "RestoreDrill"))
            assert.ok(names.includes(`${r.module.replace(/\//g, ".")}.${r.type}`), `${r.module} ${r.type}`);
    });

    it("a stale table is rewritten, and a page without the markers is refused", () => {
        const t = tables[0];
        const { start, end } = markers(t.name);
        const stale = `intro\n${start}\n| old | table |\n${end}\nafter\n`;
        const fresh = regenerate(t.page, stale, tables, program);
        assert.notEqual(fresh, stale);
        assert.equal(fresh, `intro\n${start}\n${tableText(t, program)}\n${end}\nafter\n`);
        assert.throws(() => regenerate(t.page, "no markers here\n", tables, program), /no markers/);
    });

    it("rows say what the table says: secret, required, default, nested fields, and no internal property", () => {
        const sr = tables.find((t) => t.name === "alicloud.starrocks.RestoredInstance");
        assert.ok(sr);
        const text = tableText(sr, program);
        assert.match(
            text,
            /^\| `adminPassword` \| string \(8 to 32 characters\) \| {2}\| yes \| yes \| {2}\| Administrator/m,
        );
        // An enum lists its values; the pipe between them is escaped for the table.
        assert.match(text, /^\| `payType` \| `"postPaid"` \\\| `"prePaid"` \|.*\| `"postPaid"` \|/m);
        assert.match(text, /^\| `vSwitches\[\]\.zoneId` \| string \| yes \|/m);
        assert.match(text, /^\| `timeouts\.create` \|/m);
        assert.doesNotMatch(text, /restoreToken/);
    });
});
