import { runEngine, printEngine, engineTargets } from "./engine-cli";
import { summaryTable } from "./support/table";
async function main() {
    const hosts = (process.env.HOSTS ?? "dynamic").split(",") as any;
    const r = await runEngine({
        packed: {
            root: "/tmp/benchdev",
            tgz: "",
            tgzBytes: 0,
            programDir: "/tmp/benchdev/program",
            packMs: 0,
            installMs: 0,
        },
        sizes: (process.env.SIZES ?? "10").split(",").map(Number),
        restoreMs: Number(process.env.RMS ?? 1000),
        hosts,
        defaultParallelSize: Number(process.env.DPS ?? 0),
        profile: process.env.PROF === "1",
    });
    console.log(printEngine(r));
    console.log(summaryTable(engineTargets(r)));
}
main().then(
    () => process.exit(0),
    (e) => {
        console.error(e);
        process.exit(1);
    },
);
