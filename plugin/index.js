// Starts the provider plugin (plugin/main.ts). Plain JavaScript, so that it loads the same way in both layouts:
// - installed from npm: the compiled plugin in dist/plugin (this directory holds only this file, PulumiPlugin.yaml and
//   schema.json);
// - a source checkout (plugin/main.ts is here): the TypeScript sources, compiled as they load, without type checking.
//   @pulumi/pulumi's run-plugin registers ts-node *with* type checking before loading this file, and ts-node chains
//   its hooks (a second registration would still pass every file through the first). So `.ts` files get a loader of
//   their own here: compile only, then run, through no other hook.
"use strict";
const fs = require("fs");
const path = require("path");

const source = path.join(__dirname, "main.ts");
if (fs.existsSync(source)) {
    const ts = require("ts-node").create({ transpileOnly: true, project: path.join(__dirname, "..", "tsconfig.json") });
    require.extensions[".ts"] = (module, filename) => {
        module._compile(ts.compile(fs.readFileSync(filename, "utf8"), filename), filename);
    };
    require(source);
} else {
    require(path.join(__dirname, "..", "dist", "plugin", "main.js"));
}
