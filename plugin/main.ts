/**
 * The provider plugin's program: `run-plugin` of @pulumi/pulumi starts it (through the Node.js language host's
 * RunPlugin, because ./PulumiPlugin.yaml names the nodejs runtime) with the engine's address as its argument.
 */
import * as fs from "fs";
import * as path from "path";
import { RestorePlugin } from "./adapter";
import { serve } from "./serve";

/** The package's version (the plugin's version), from its package.json. */
function packageVersion(): string {
    for (const dir of [path.join(__dirname, ".."), path.join(__dirname, "..", "..")]) {
        const f = path.join(dir, "package.json");
        if (!fs.existsSync(f)) continue;
        const pj = JSON.parse(fs.readFileSync(f, "utf8")) as { name?: string; version?: string };
        if (pj.name === "pulumi-restore" && pj.version) return pj.version;
    }
    throw new Error("pulumi-restore plugin: cannot find the package's package.json to read its version");
}

/** The schema shipped next to PulumiPlugin.yaml (plugin/schema.json), read when the engine asks for it. */
function schemaText(): string {
    for (const f of [path.join(__dirname, "schema.json"), path.join(__dirname, "..", "..", "plugin", "schema.json")]) {
        if (fs.existsSync(f)) return fs.readFileSync(f, "utf8");
    }
    throw new Error("pulumi-restore plugin: plugin/schema.json is missing");
}

serve(new RestorePlugin({ version: packageVersion(), schema: schemaText }), process.argv.slice(2)).catch((e: Error) => {
    console.error(`pulumi-restore plugin: ${e.message}`);
    process.exit(1);
});
