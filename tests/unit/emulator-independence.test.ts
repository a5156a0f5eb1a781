import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";

// The emulator stands in for the clouds: it must be able to disagree with the client. If it imported the client's
// signers (or anything else under provider/), a bug shared by both could never show. This scans the sources.

const ROOT = path.resolve(__dirname, "../..");

/** Every module specifier a source names: import/export ... from, import(), require(), import x = require(). */
export function moduleSpecifiers(source: string): string[] {
    const out: string[] = [];
    const patterns = [
        /\b(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?["']([^"']+)["']/g,
        /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
        /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
    ];
    for (const re of patterns) for (const m of source.matchAll(re)) out.push(m[1]);
    return out;
}

/** The specifiers of `file` that lead into provider/ (or to the package root, which re-exports it). */
export function providerImports(file: string, source: string): string[] {
    return moduleSpecifiers(source).filter((spec) => {
        if (!spec.startsWith(".")) return /(^|\/)provider(\/|$)/.test(spec);
        const target = path.resolve(path.dirname(file), spec);
        const rel = path.relative(ROOT, target).split(path.sep).join("/");
        return rel === "provider" || rel.startsWith("provider/") || rel === "index" || rel === "" || rel === "index.ts";
    });
}

function sources(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) return sources(p);
        return /\.(ts|js|mjs|cjs)$/.test(e.name) ? [p] : [];
    });
}

describe("emulator/ imports nothing from provider/", () => {
    it("the scanner finds every form of import that leads into provider/ (and only those)", () => {
        const file = path.join(ROOT, "emulator/alicloud/x.ts");
        const src = [
            'import { a } from "../../provider/alicloud/signer";',
            "import type { B } from '../../provider/core/clock';",
            'export * from "../../provider/core/http";',
            'const c = require("../../provider/zstack/signer");',
            'const d = await import("../../provider/jdcloud/signer");',
            'import * as e from "../..";',
            'import f = require("../../provider");',
            'import { ok } from "../core/wire";',
            'import { createHash } from "crypto";',
        ].join("\n");
        assert.deepEqual(providerImports(file, src).sort(), [
            "../..",
            "../../provider",
            "../../provider/alicloud/signer",
            "../../provider/core/clock",
            "../../provider/core/http",
            "../../provider/jdcloud/signer",
            "../../provider/zstack/signer",
        ]);
    });

    it("no source file under emulator/ imports from provider/", () => {
        const files = sources(path.join(ROOT, "emulator"));
        assert.ok(files.length >= 15, `expected the emulator's sources, found ${files.length}`);
        const offenders = files.flatMap((f) =>
            providerImports(f, fs.readFileSync(f, "utf8")).map((s) => `${path.relative(ROOT, f)}: ${s}`),
        );
        assert.deepEqual(offenders, []);
    });
});
