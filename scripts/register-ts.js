/**
 * Preload (`NODE_OPTIONS="--require <this file>"`) that lets Node load this checkout's TypeScript sources: registers
 * ts-node (transpile-only) in every Node process the Pulumi engine starts (the program, the dynamic-provider host),
 * except a policy pack's (`@pulumi/pulumi/cmd/run-policy-pack`): that one registers ts-node itself (type-checking
 * the pack), and a second registration would compile the pack's files twice (the type-checking pass then sees
 * JavaScript and fails on `exports` and `require`).
 */
if (!process.argv.slice(1, 2).some((a) => /[\\/]run-policy-pack([\\/]|$)/.test(a))) {
    require("ts-node/register/transpile-only");
}
