import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { PLUGIN_PACKAGE_PATH } from "../support/pluginExample";

/**
 * The YAML, Python and Go examples work when copied out of the repository: no file reaches outside the example's
 * directory (a `../../plugin` once did), the plugin is found inside the npm package their package.json installs, and
 * each has a README that says what to install. tests/cli/plugin-*.test.ts run them from such a copy.
 */
const ROOT = path.resolve(__dirname, "..", "..");
const PLUGIN_EXAMPLES = ["yaml", "python", "go"];

/** The committed files of an example (what a run leaves there, git-ignored, is skipped). */
function files(dir: string): string[] {
    const skip = ["node_modules", "sdks", "venv", "__pycache__"];
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((e) => !skip.includes(e.name))
        .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe("examples/yaml, python and go: self-contained, each with a README", () => {
    for (const name of PLUGIN_EXAMPLES) {
        const dir = path.join(ROOT, "examples", name);

        it(`examples/${name}: no path outside the directory; the plugin from node_modules/pulumi-restore`, () => {
            for (const f of files(dir)) {
                const text = fs.readFileSync(f, "utf8");
                const rel = path.relative(ROOT, f);
                // `..` as a path segment (not in `...`), and absolute paths into a checkout.
                assert.doesNotMatch(text, /(^|[\s"'=:(])\.\.\//m, `${rel} names a path outside the example`);
                assert.doesNotMatch(text, /\/work\/|\/home\/|\/tmp\//, `${rel} names a path of one machine`);
            }
            const project = fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8");
            assert.match(
                project,
                new RegExp(`^packages:\\n(\\s+#.*\\n)*\\s+pulumi-restore: ${PLUGIN_PACKAGE_PATH}$`, "m"),
            );
            const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
            assert.ok(pkg.dependencies?.["pulumi-restore"], `examples/${name}/package.json installs pulumi-restore`);
            assert.equal(pkg.private, true);
        });

        it(`examples/${name}: README.md says what to install and how to run it against the emulator`, () => {
            const readme = fs.readFileSync(path.join(dir, "README.md"), "utf8");
            assert.match(readme, /What to install/);
            assert.match(readme, /npm install/);
            assert.match(readme, /Node\.js 20/);
            assert.match(readme, new RegExp(`pulumi-language-${name}`));
            if (name !== "yaml") assert.match(readme, /pulumi install/);
            assert.match(readme, /pulumi config set --path pulumi-restore:alicloud\.endpoint/);
            assert.match(readme, new RegExp(`examples/${name} \\(project `), "names the emulator's group for it");
        });
    }
});
