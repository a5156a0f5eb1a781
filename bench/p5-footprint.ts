/**
 * P5 footprint. What installing this package brings into a program (dependency count, bytes on disk), against the
 * official SDK packages a user would otherwise combine to script the same restores, all installed in the same
 * run into fresh directories. Where a cloud's own SDK package cannot be installed from the registry, the nearest
 * installable package is measured instead and the output says so.
 */
import { readFileSync } from "fs";
import { CLOUD_NAMES, CloudName } from "../clouds";
import * as path from "path";
import { Footprint, footprint, installInto } from "./support/npm";
import { Packed } from "./support/packed";
import { fmtBytes, fmtMs, table } from "./support/table";

/** One cloud's SDK: the package a user would pick, then the nearest installable one. */
interface SdkChoice {
    cloud: string;
    wanted: string;
    fallback?: string;
    why?: string;
}

/** The SDK of each cloud of the registry (clouds.ts); a cloud missing here fails to compile. */
const SDK_OF: Record<CloudName, SdkChoice> = {
    alicloud: {
        cloud: "Alibaba StarRocks",
        wanted: "@alicloud/starrocks20221019",
        fallback: "@alicloud/openapi-client",
        why: "the generic ACS3 client the StarRocks SDK is generated on",
    },
    tencentcloud: {
        cloud: "Tencent Redis",
        wanted: "tencentcloud-sdk-nodejs-redis",
        fallback: "tencentcloud-sdk-nodejs",
        why: "the all-products SDK, which contains Redis",
    },
    huaweicloud: {
        cloud: "Huawei KooPhone",
        wanted: "@huaweicloud/huaweicloud-sdk-koophone",
        fallback: "@huaweicloud/huaweicloud-sdk-core",
        why: "the SDK core (signing, IAM) that service packages build on",
    },
    jdcloud: { cloud: "JD Cloud RDS", wanted: "jdcloud-sdk-js" },
    zstack: { cloud: "ZStack", wanted: "zstack-sdk" },
};

/** Every cloud's SDK, in registry order. */
export const SDKS: SdkChoice[] = CLOUD_NAMES.map((c) => SDK_OF[c]);

export interface P5Row {
    what: string;
    /** The package measured, or undefined when nothing could be installed. */
    installed?: string;
    note?: string;
    /** Packages in node_modules besides the measured package itself. */
    dependencies?: number;
    directDependencies?: number;
    bytes?: number;
    installMs?: number;
}

export interface P5Result {
    ours: P5Row;
    /** What the package adds to a program that already has @pulumi/pulumi (every Pulumi program does). */
    oursBeyondPulumi: { packages: number; names: string[]; bytes: number; pulumiVersion: string };
    sdks: P5Row[];
    combined?: P5Row;
    notInstallable: string[];
}

function rootName(spec: string): string {
    return spec.startsWith("@") ? spec.split("@").slice(0, 2).join("@") : spec.split("@")[0];
}

function measureDir(dir: string, self: string): { fp: Footprint; deps: number; direct: number } {
    const fp = footprint(dir);
    const own = fp.packages.filter((p) => rootName(p) === self);
    let direct = 0;
    try {
        const manifest = JSON.parse(readFileSync(path.join(dir, "node_modules", self, "package.json"), "utf8")) as {
            dependencies?: Record<string, string>;
        };
        direct = Object.keys(manifest.dependencies ?? {}).length;
    } catch {
        /* not installed */
    }
    return { fp, deps: fp.packages.length - own.length, direct };
}

function tryInstall(dir: string, spec: string): Promise<{ ok: boolean; ms: number; error?: string }> {
    return tryInstallAll(dir, [spec]);
}

async function tryInstallAll(dir: string, specs: string[]): Promise<{ ok: boolean; ms: number; error?: string }> {
    const t0 = Date.now();
    try {
        await installInto(dir, specs);
        return { ok: true, ms: Date.now() - t0 };
    } catch (e) {
        return { ok: false, ms: Date.now() - t0, error: e instanceof Error ? e.message : String(e) };
    }
}

export async function runP5(packed: Packed): Promise<P5Result> {
    const ours = measureDir(packed.programDir, "pulumi-restore");
    const pulumiVersion = (
        JSON.parse(
            readFileSync(path.join(packed.programDir, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8"),
        ) as { version: string }
    ).version;
    const dir = (n: string) => path.join(packed.root, "p5", n.replace(/[@/]/g, "_"));

    // Everything at once: the installs are network- and disk-bound, and all of them belong to the same run.
    const pulumiOnly = tryInstall(dir("pulumi-only"), `@pulumi/pulumi@${pulumiVersion}`);
    const attempts = await Promise.all(
        SDKS.map(async (s) => {
            const first = await tryInstall(dir(s.wanted), s.wanted);
            if (first.ok || !s.fallback)
                return {
                    s,
                    spec: first.ok ? s.wanted : undefined,
                    res: first,
                    wantedError: first.ok ? undefined : first.error,
                };
            const second = await tryInstall(dir(s.fallback), s.fallback);
            return { s, spec: second.ok ? s.fallback : undefined, res: second, wantedError: first.error };
        }),
    );
    const base = await pulumiOnly;
    if (!base.ok) throw new Error(`P5: could not install @pulumi/pulumi@${pulumiVersion}: ${base.error}`);
    const basePkgs = new Set(footprint(dir("pulumi-only")).packages);
    const baseBytes = footprint(dir("pulumi-only")).bytes;
    // Dependencies a Pulumi program does not already have (the package itself not counted; its files are in the bytes).
    const added = ours.fp.packages.filter((p) => !basePkgs.has(p) && rootName(p) !== "pulumi-restore");

    const notInstallable: string[] = [];
    const sdks: P5Row[] = attempts.map(({ s, spec, res, wantedError }) => {
        if (wantedError)
            notInstallable.push(
                `${s.wanted} (${s.cloud}): ${wantedError.replace(/^npm install failed: /, "").slice(0, 120)}`,
            );
        if (!spec)
            return { what: s.cloud, note: `nothing installable (${s.wanted}${s.fallback ? `, ${s.fallback}` : ""})` };
        const m = measureDir(dir(spec), spec);
        return {
            what: s.cloud,
            installed: spec,
            note: spec === s.wanted ? "official package" : `stand-in: ${s.why}`,
            dependencies: m.deps,
            directDependencies: m.direct,
            bytes: m.fp.bytes,
            installMs: res.ms,
        };
    });
    const specs = sdks.filter((r) => r.installed).map((r) => r.installed as string);
    let combined: P5Row | undefined;
    if (specs.length > 0) {
        const t0 = Date.now();
        const r = await tryInstallAll(dir("combined"), specs);
        if (!r.ok) notInstallable.push(`the combined install (${specs.join(" ")}): ${String(r.error).slice(0, 120)}`);
        else {
            const fp = footprint(dir("combined"));
            combined = {
                what: "all SDKs above, one program",
                installed: specs.join(" + "),
                dependencies: fp.packages.length - specs.length,
                bytes: fp.bytes,
                installMs: Date.now() - t0,
            };
        }
    }
    return {
        ours: {
            what: "pulumi-restore (packed)",
            installed: "pulumi-restore",
            dependencies: ours.deps,
            directDependencies: ours.direct,
            bytes: ours.fp.bytes,
            installMs: packed.installMs,
            note: "whole tree, @pulumi/pulumi included",
        },
        oursBeyondPulumi: {
            packages: added.length,
            names: added.sort(),
            bytes: ours.fp.bytes - baseBytes,
            pulumiVersion,
        },
        sdks,
        combined,
        notInstallable,
    };
}

export function printP5(r: P5Result): string {
    const row = (x: P5Row): (string | number)[] => [
        x.what,
        x.installed ?? "-",
        x.directDependencies ?? "-",
        x.dependencies ?? "-",
        x.bytes === undefined ? "-" : fmtBytes(x.bytes),
        x.installMs === undefined ? "-" : fmtMs(x.installMs),
        x.note ?? "",
    ];
    const rows = [
        row(r.ours),
        [
            `  beyond @pulumi/pulumi ${r.oursBeyondPulumi.pulumiVersion}`,
            "",
            "",
            r.oursBeyondPulumi.packages,
            fmtBytes(Math.max(0, r.oursBeyondPulumi.bytes)),
            "",
            "what it adds to a Pulumi program (size includes its own files)",
        ],
        ...r.sdks.map(row),
    ];
    if (r.combined) rows.push(row(r.combined));
    const t = table(
        ["what", "package", "direct deps", "deps installed (transitive)", "installed size", "install time", "note"],
        rows,
    );
    const missing = r.notInstallable.length
        ? `\nnot installable from the registry: ${r.notInstallable.map((s) => s.split(":")[0]).join(", ")}`
        : "";
    return `P5 footprint: fresh installs in the same run (npm --prefer-offline --ignore-scripts)\n${t}${missing}`;
}
