import { strict as assert } from "assert";
import { ArgsOf, checkProps, inputKeys, propTable, replaceKeys, secretKeys } from "../../provider/core/props";
import { Checker, UNKNOWN } from "../../provider/core/validate";
import { RESTORED_INSTANCE_PROPS } from "../../provider/alicloud/starrocksProps";
import { SECRET_INPUTS as SR_SECRETS, REPLACE_KEYS as SR_REPLACE } from "../../provider/alicloud/starrocksInputs";

/** A small table with one property of each kind the generic check drives. */
const ITEM = propTable({
    /** An id. */
    id: { type: { kind: "string", pattern: /^x-\d+$/, format: 'an id such as "x-1"' }, required: true },
});
const TABLE = propTable({
    /** A name. */
    name: { type: { kind: "string", minLength: 2, maxLength: 4 }, required: true, replaces: true },
    /** A secret. */
    pass: { type: { kind: "string", minLength: 8, format: "8 characters or more" }, secret: true },
    /** A mode. */
    mode: { type: { kind: "enum", values: ["a", "b"] }, default: "a" },
    /** A count. */
    count: { type: { kind: "integer", min: 1, max: 5, unit: "things" } },
    /** A flag. */
    flag: { type: { kind: "boolean" }, default: true },
    /** Items. */
    items: {
        type: {
            kind: "list",
            items: {
                kind: "object",
                name: "Item",
                doc: "An item.",
                fields: ITEM,
                unknownField: "is not an item field",
            },
            maxItems: 2,
        },
        replaces: true,
    },
    /** Labels. */
    labels: { type: { kind: "map", values: { kind: "string", maxLength: 3 } } },
    /** Set by the class. */
    token: { type: { kind: "string" }, internal: true },
});

/** Two properties, for the handler test. */
const SMALL = propTable({
    /** A name. */
    name: { type: { kind: "string" }, required: true },
    /** A count. */
    count: { type: { kind: "integer", min: 1, max: 5 } },
});

function check(inputs: Record<string, unknown>) {
    const c = new Checker(inputs);
    const values = checkProps(c, TABLE);
    return { values, failures: c.failures.map((f) => f.reason) };
}

describe("tables of properties (provider/core/props.ts)", () => {
    it("valid inputs come back normalised, defaults filled in", () => {
        const r = check({ name: "abc", items: [{ id: "x-1" }], labels: { k: "v" }, count: "3" });
        assert.deepEqual(r.failures, []);
        assert.equal(r.values.mode, "a");
        assert.equal(r.values.flag, true);
        assert.equal(r.values.count, 3);
        assert.deepEqual(r.values.items, [{ id: "x-1" }]);
        assert.deepEqual(r.values.labels, { k: "v" });
    });

    it("each rule fails with the Checker's own message, naming the property", () => {
        const r = check({
            name: "a",
            pass: "short-secret-value-no".slice(0, 5),
            mode: "c",
            count: 9,
            flag: "true",
            items: [{ id: "y" }, "x-2", { id: "x-3", other: 1 }],
            labels: { k: "long" },
        });
        assert.deepEqual(r.failures, [
            "name: must be at least 2 characters long, got 1",
            "pass: must be 8 characters or more (the value is not shown because it is secret)",
            'mode: must be one of "a", "b", got "c"',
            "count: must be from 1 to 5 things, got 9",
            'flag: must be a boolean, true or false, got "true" (a string; write true without quotes)',
            "items: must have at most 2 item(s), got 3",
            "labels.k: must be at most 3 characters long, got 4",
        ]);
        const items = check({ name: "ab", items: [{ id: "y" }, "x-2"] });
        assert.deepEqual(items.failures, [
            'items[0].id: must be an id such as "x-1", got "y"',
            "items[1]: must be an object { id }",
        ]);
        const field = check({ name: "ab", items: [{ id: "x-3", other: 1 }] });
        assert.deepEqual(field.failures, ["items[0].other: is not an item field"]);
        assert.deepEqual(check({}).failures, ["name: required"]);
    });

    it("unknown values (preview) pass through unchecked", () => {
        const r = check({ name: UNKNOWN, count: UNKNOWN, items: [UNKNOWN] });
        assert.deepEqual(r.failures, []);
        assert.equal(r.values.name, UNKNOWN);
        assert.deepEqual(r.values.items, [UNKNOWN]);
    });

    it("a handler replaces the table's check of its property and sees the values checked before it", () => {
        const c = new Checker({ name: "abc", count: 4 });
        const seen: unknown[] = [];
        const v = checkProps<typeof SMALL>(c, SMALL, {
            count: ({ name }) => {
                seen.push(name);
                return 42;
            },
        });
        assert.deepEqual(seen, ["abc"]);
        assert.equal(v.count, 42);
    });

    it("secret, replacing and input keys come from the table; the Args leave internal properties out", () => {
        assert.deepEqual(secretKeys(TABLE), ["pass"]);
        assert.deepEqual(replaceKeys(TABLE), ["name", "items"]);
        assert.deepEqual(inputKeys(TABLE), ["name", "pass", "mode", "count", "flag", "items", "labels", "token"]);
        // Compile-time: `name` is required, `token` is not an argument, an enum is its literals.
        const args: ArgsOf<typeof TABLE> = { name: "ab", mode: "b", items: [{ id: "x-1" }] };
        // @ts-expect-error token is set by the class, not an argument
        const bad: ArgsOf<typeof TABLE> = { name: "ab", token: "t" };
        // @ts-expect-error an enum accepts only its values
        const badMode: ArgsOf<typeof TABLE> = { name: "ab", mode: "c" };
        assert.ok(args && bad && badMode);
        assert.deepEqual(SR_SECRETS, secretKeys(RESTORED_INSTANCE_PROPS));
        assert.deepEqual(SR_SECRETS, ["adminPassword"]);
        assert.ok(SR_REPLACE.includes("adminPassword") && !SR_REPLACE.includes("timeouts"));
    });
});
