import { strict as assert } from "assert";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { UsageError, parseEmulatorArgs } from "../../emulator/cli";
import { CLOUDS, CloudEntry } from "../../clouds";
import { exampleConfigs, seedExamples, startEmulator } from "../../emulator";
import { CLOUD_SETTINGS, pluginKey } from "../../plugin/config";
import { startEmulatorProcess } from "../support/emulatorProcess";

const ROOT = path.resolve(__dirname, "..", "..");
const TS_NODE = require.resolve("ts-node/dist/bin.js");
const BIN = [TS_NODE, "--transpile-only", "emulator/bin.ts"];
const bin = (...args: string[]) =>
    spawnSync(process.execPath, [...BIN, ...args], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });

/** The `name:` of an example's Pulumi.yaml. */
function projectName(dir: string): string {
    const m = /^name:\s*(\S+)\s*$/m.exec(fs.readFileSync(path.join(ROOT, dir, "Pulumi.yaml"), "utf8"));
    assert.ok(m, `${dir}/Pulumi.yaml has a name`);
    return m[1];
}

describe("npm run emulator: the command line", function () {
    this.timeout(60_000);

    it("parses ports and the restore time, in both `--flag value` and `--flag=value` forms", () => {
        assert.deepEqual(parseEmulatorArgs([]), { kind: "run", restoreSeconds: 5, ports: {} });
        const args = ["--restore-seconds", "0.5", "--port-zstack=8080", "--port-alicloud", "0"];
        assert.deepEqual(parseEmulatorArgs(args), {
            kind: "run",
            restoreSeconds: 0.5,
            ports: { zstack: 8080, alicloud: 0 },
        });
        assert.deepEqual(parseEmulatorArgs(["--port-zstack", "1", "-h"]), { kind: "help" });
    });

    it("argument mistakes name the flag and what is allowed (no NaN, no range error)", () => {
        const cases: [string[], RegExp][] = [
            [
                ["--port-alicloud", "notaport"],
                /^--port-alicloud must be a port number from 1 to 65535, or 0 for a free port \(got "notaport"\)$/,
            ],
            [["--port-jdcloud", "70000"], /^--port-jdcloud must be a port number/],
            [["--port-jdcloud", "-1"], /^--port-jdcloud needs a value|^--port-jdcloud must be a port number/],
            [["--port-alicloud"], /^--port-alicloud needs a value$/],
            [["--port-alicloud", "--restore-seconds", "3"], /^--port-alicloud needs a value$/],
            [["--port-aws", "80"], /^unknown option --port-aws: the clouds are alicloud, tencentcloud, /],
            [["--restore-seconds", "soon"], /^--restore-seconds must be a number of seconds >= 0/],
            [["--restore-seconds", "-2"], /^--restore-seconds (needs a value|must be a number)/],
            [["--restore-seconds="], /^--restore-seconds needs a value$/],
            [["--port-alicloud", "9", "--port-zstack", "9"], /^--port-zstack and --port-alicloud both ask for port 9:/],
            [["--verbose"], /^unknown option --verbose$/],
            [["start"], /^unknown argument start$/],
        ];
        for (const [args, re] of cases) {
            const named = (e: unknown) => e instanceof UsageError && re.test(e.message) && !/NaN/.test(e.message);
            assert.throws(() => parseEmulatorArgs(args), named, args.join(" "));
        }
    });

    it("--help prints the usage and exits without starting anything", () => {
        const r = bin("--help");
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stdout, /^Usage: pulumi-restore-emulator \[--restore-seconds N\] \[--port-<cloud> PORT/);
        assert.match(r.stdout, /--port-<cloud> PORT/);
        assert.match(r.stdout, /alicloud, tencentcloud, zstack, jdcloud, huaweicloud/);
        assert.doesNotMatch(r.stdout, /http:\/\/127\.0\.0\.1/, "no emulator was started");
    });

    it("a bad argument exits with status 2 and a message naming the flag", () => {
        const r = bin("--port-alicloud", "notaport");
        assert.equal(r.status, 2, r.stdout + r.stderr);
        assert.match(r.stderr, /--port-alicloud must be a port number from 1 to 65535.*"notaport"/);
        assert.match(r.stderr, /--help/);
        assert.doesNotMatch(r.stderr, /NaN|RangeError|at .*\.ts:\d+/);
        assert.equal(r.stdout, "");
    });

    it("a port in use ends with the flag that asked for it, not a raw EADDRINUSE", async () => {
        const taken = net.createServer();
        await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
        const port = (taken.address() as net.AddressInfo).port;
        try {
            const r = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
                const child = spawn(process.execPath, [...BIN, "--port-jdcloud", String(port)], { cwd: ROOT });
                let stderr = "";
                child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
                child.on("close", (status: number | null) => resolve({ status, stderr }));
            });
            assert.equal(r.status, 2, r.stderr);
            assert.match(r.stderr, new RegExp(`--port-jdcloud ${port}: that port is in use`));
        } finally {
            taken.close();
        }
    });
});

describe("npm run emulator: the config it prints for each example", function () {
    this.timeout(60_000);

    it("prints a group per runnable example, named by directory and project, with every key it needs", async () => {
        const emu = await startEmulatorProcess(process.execPath, [...BIN, "--restore-seconds", "1"], { cwd: ROOT });
        try {
            const groups = new Map(emu.examples.map((g) => [g.example, g]));
            const runnable = CLOUDS.flatMap((c: CloudEntry) => c.examples.map((e) => e.dir)).sort();
            assert.deepEqual([...groups.keys()].sort(), runnable);
            // Every example is the registry's (clouds.ts), but those that need a real cloud's own provider.
            const needRealCloud = ["examples/alicloud-starrocks-vpc", "examples/tencentcloud-python"];
            const all = fs
                .readdirSync(path.join(ROOT, "examples"))
                .filter((d) => fs.existsSync(path.join(ROOT, "examples", d, "Pulumi.yaml")))
                .map((d) => `examples/${d}`);
            assert.deepEqual(
                all.filter((d) => !runnable.includes(d) && !needRealCloud.includes(d)),
                [],
            );
            for (const g of emu.examples) {
                assert.equal(g.project, projectName(g.example), `${g.example}: the project named is its Pulumi.yaml's`);
            }

            const tc = groups.get("examples/tencentcloud-redis")!;
            const password = "tencentcloud-redis-restore:redisPassword emulator-redis-password";
            assert.ok(tc.lines.includes(`pulumi config set --secret ${password}`), tc.lines.join("\n"));
            assert.ok(tc.lines.includes(`pulumi config set tencentcloud:endpoint ${emu.urls.tencentcloud}`));
            const zs = groups.get("examples/zstack")!;
            for (const k of ["backupGroupUuid", "instanceOfferingUuid", "l3NetworkUuid"]) {
                const line = new RegExp(`^pulumi config set zstack-vm-restore:${k} [0-9a-f]{32}$`);
                assert.ok(
                    zs.lines.some((l) => line.test(l)),
                    `${k}:\n${zs.lines.join("\n")}`,
                );
            }
            // The YAML, Python and Go examples run through the provider plugin, which reads only its own package's
            // config: the cloud's keys in the plugin's form (`--path pulumi-restore:alicloud.<key>`), each a key the
            // plugin reads (plugin/config.ts), and the program's admin password as a secret of its project.
            // (The quickstart's lines, `pulumi config set [--secret] alicloud:<key> <value>`, are the reference.)
            const dynamic = groups.get("examples/quickstart")!.lines.filter((l) => / alicloud:/.test(l));
            assert.ok(dynamic.length >= 4, dynamic.join("\n"));
            const alicloud = CLOUD_SETTINGS.find((c) => c.namespace === "alicloud")!;
            const readByPlugin = Object.values(alicloud.settings).flatMap((st) => st.config);
            for (const dir of ["examples/yaml", "examples/python", "examples/go"]) {
                const g = groups.get(dir)!;
                assert.ok(g, `no group for ${dir}`);
                for (const d of dynamic) {
                    const [, secret, key, value] = /^pulumi config set (--secret )?(alicloud:\S+) (\S+)$/.exec(d)!;
                    const want = `pulumi config set ${secret ?? ""}--path ${pluginKey(key)} ${value}`;
                    assert.ok(g.lines.includes(want), `${dir}: no "${want}" in\n${g.lines.join("\n")}`);
                    assert.ok(readByPlugin.includes(key), `the plugin reads no ${pluginKey(key)}`);
                }
                assert.ok(g.lines.includes(`pulumi config set --secret ${g.project}:adminPassword Adm1n-Pa55word`));
                for (const l of g.lines) assert.doesNotMatch(l, / alicloud:/, `${dir}: a dynamic-resource key: ${l}`);
            }
            // The Node.js examples keep the dynamic resources' keys.
            assert.ok(!groups.get("examples/quickstart")!.lines.some((l) => l.includes("--path")));

            // Each group holds its own cloud's settings only, and every secret is set with --secret.
            for (const g of emu.examples) {
                const namespaces = g.lines.map((l) => /(\S+):\S+ \S+$/.exec(l)![1]);
                const own = [g.project, "koophone", "rds"];
                const clouds = new Set(namespaces.filter((ns) => !own.includes(ns)));
                assert.equal(clouds.size, 1, `${g.example}: ${[...clouds].join(", ")}`);
                for (const l of g.lines) if (/(secretKey|Password|password) /.test(l)) assert.match(l, /--secret/, l);
            }
        } finally {
            await emu.stop();
        }
    });

    it("every key a program reads with require() is among its example's keys (exampleConfigs)", async () => {
        const emu = await startEmulator({ ports: {} });
        try {
            const configs = exampleConfigs(emu, seedExamples(emu));
            for (const c of configs) {
                if (c.plugin) {
                    // YAML's required config (no default) and the Python and Go programs' secret: adminPassword.
                    assert.ok(c.secretKeys.includes(`${c.project}:adminPassword`), `${c.example}: adminPassword`);
                    continue;
                }
                const source = fs.readFileSync(path.join(ROOT, c.example, "index.ts"), "utf8");
                const requireCall = /\.require(?:Secret|Number|Boolean|Object)?(?:<[^>]*>)?\("([^"]+)"\)/g;
                const required = [...source.matchAll(requireCall)].map((m) => m[1]);
                for (const k of required) assert.ok(`${c.project}:${k}` in c.config, `${c.example} requires ${k}`);
                const secrets = [...source.matchAll(/\.(?:get|require)Secret\("([^"]+)"\)/g)].map((m) => m[1]);
                for (const k of secrets.map((s) => `${c.project}:${s}`)) {
                    if (k in c.config) assert.ok(c.secretKeys.includes(k), `${k} is secret`);
                }
            }
        } finally {
            await emu.stop();
        }
    });
});
