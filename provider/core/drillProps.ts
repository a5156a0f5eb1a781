import { propTable } from "./props";

/** The fields of a drill's `verify`. */
export const VERIFY_FIELDS = propTable({
    /**
     * Shell command line, run by the runner's shell (`sh -c` on POSIX). It receives `DRILL_INSTANCE_ID`,
     * `DRILL_ADDRESS`, `DRILL_PORT`, `DRILL_PASSWORD` and `DRILL_BACKUP_ID` in its environment, never in its arguments.
     * Exit code 0 passes. The tail of its output (4 KB) is kept in the report with secrets redacted.
     */
    command: {
        type: { kind: "string", minLength: 1, maxLength: 8192, format: "a shell command line" },
        required: true,
    },
    /** Time limit, e.g. "5m" (default "10m"); the command and its process group are killed when it runs out. */
    timeout: { type: { kind: "string", format: 'a duration such as "5m" or "90s"' }, defaultText: '"10m"' },
    /** Working directory (default: the program's directory). */
    workDir: { type: { kind: "string", minLength: 1, maxLength: 4096 }, defaultText: "the program's directory" },
});

/**
 * The inputs every `RestoreDrill` takes besides the restore arguments of its cloud (which its restore resource's table
 * and checker describe). A drill's diff runs it again on any change, so none of these is marked `replaces`.
 */
export const DRILL_PROPS = propTable({
    /** Optional user check (see VerifyArgs). */
    verify: {
        type: {
            kind: "object",
            name: "Verify",
            doc: "The optional user check of a drill, run on the runner once the scratch instance is usable.",
            fields: VERIFY_FIELDS,
            format: "{ command, timeout?, workDir? }",
            unknownField: "is not a verify field; use command, timeout, workDir",
        },
    },
    /**
     * Any change runs the drill again, e.g. `{ month: "2026-12" }` for a monthly drill. Values are strings, numbers or
     * booleans.
     */
    triggers: { type: { kind: "triggers" } },
    /**
     * true (default): a failed drill (restore, wait or check) fails `pulumi up`, with the report in the error.
     * false: the report is recorded (`passed: false`) and the up succeeds. A scratch instance that cannot be deleted
     * always fails the up.
     */
    failOnCheckFailure: { type: { kind: "boolean" }, default: true },
    /** Port for the TCP check, where the API reports an address but no port (or to check another port). */
    tcpPort: { type: { kind: "integer", min: 1, max: 65535 } },
});
