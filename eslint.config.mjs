// The linter of this repository (`npm run lint`, part of `npm test`): ESLint's and typescript-eslint's recommended
// rules, without type information (a type-aware run costs minutes on 2 cores and `tsc --noEmit` already runs in
// `npm test`). Every `eslint-disable` comment must name a rule that fires on its line and say why after ` -- `;
// a comment that no longer silences anything is an error.
import { defineConfig } from "eslint/config";
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** `// eslint-disable-next-line some-rule -- why`: a disable comment without its reason is refused. */
const local = {
    rules: {
        "disable-needs-reason": {
            meta: { type: "suggestion", schema: [], docs: { description: "eslint-disable comments say why" } },
            create(context) {
                return {
                    Program() {
                        for (const c of context.sourceCode.getAllComments()) {
                            const text = c.value.trim();
                            if (!/^eslint-disable\b/.test(text)) continue;
                            if (!/\s--\s+\S/.test(text))
                                context.report({
                                    loc: c.loc,
                                    message: "say why after ` -- ` (e.g. `-- the host requires this module lazily`)",
                                });
                        }
                    },
                };
            },
        },
    },
};

/** Node.js's globals, for the few JavaScript files (TypeScript files leave undefined names to the compiler). */
const nodeGlobals = Object.fromEntries(
    ["require", "module", "exports", "process", "console", "__dirname", "__filename", "Buffer"].map((n) => [
        n,
        "readonly",
    ]),
);

export default defineConfig(
    {
        ignores: [
            "dist/",
            "**/node_modules/",
            ".pulumi-cli/",
            ".contract-sdks/",
            // SDKs the Pulumi CLI generates for the examples in other languages.
            "examples/*/sdks/",
        ],
    },
    {
        linterOptions: { reportUnusedDisableDirectives: "error" },
    },
    js.configs.recommended,
    tseslint.configs.recommended,
    {
        plugins: { local },
        rules: {
            "local/disable-needs-reason": "error",
            // Unused names: a leading underscore marks a parameter or binding kept on purpose (a method's signature,
            // a destructured field left out of a copy).
            "@typescript-eslint/no-unused-vars": [
                "error",
                {
                    argsIgnorePattern: "^_",
                    varsIgnorePattern: "^_",
                    caughtErrorsIgnorePattern: "^_",
                    destructuredArrayIgnorePattern: "^_",
                    ignoreRestSiblings: true,
                },
            ],
        },
    },
    {
        files: ["**/*.js", "**/*.mjs"],
        languageOptions: { globals: nodeGlobals, sourceType: "commonjs" },
        // CommonJS: require is how these files load modules.
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
    {
        files: ["**/*.mjs"],
        languageOptions: { sourceType: "module" },
    },
);
