# The entry with which pulumi-restore's Python language host (tools/langhost, built as pulumi-language-python) runs
# a Pulumi Python program. Written for pulumi-restore against the public runtime API of the `pulumi` package:
# pulumi.runtime.Settings / configure (engine and monitor addresses, project, stack, organization, dry run,
# parallelism), pulumi.runtime.set_all_config (the stack's config and which keys are secret) and
# pulumi.runtime.run_in_stack (the root stack resource around the program).
#
#   python -c <this file> --monitor ADDR [--engine ADDR] --project P --stack S [--organization O]
#          [--root-directory D] [--parallel N] [--dry-run] PROGRAM [ARGS...]
#
# PROGRAM is a directory holding __main__.py, or a .py file. The config comes in PULUMI_CONFIG (a JSON object of
# "namespace:key" to string) and PULUMI_CONFIG_SECRET_KEYS (a JSON list of keys).
#
# Exit codes: 0 done; 32 the error was already reported to the engine (the host then tells the engine to stop without
# printing more); 1 anything else (with the traceback on stderr).
import argparse
import asyncio
import json
import os
import runpy
import sys
import traceback

USER_ACTIONABLE_EXIT = 32


def parse_args(argv):
    p = argparse.ArgumentParser(prog="pulumi-restore-python-run")
    p.add_argument("--monitor", required=True)
    p.add_argument("--engine", default="")
    p.add_argument("--project", required=True)
    p.add_argument("--stack", required=True)
    p.add_argument("--organization", default="")
    p.add_argument("--root-directory", default="")
    p.add_argument("--parallel", type=int, default=0)
    p.add_argument("--dry-run", action="store_true")
    p.add_argument("program")
    p.add_argument("args", nargs=argparse.REMAINDER)
    return p.parse_args(argv)


def main(argv):
    a = parse_args(argv)
    try:
        import pulumi
        import pulumi.runtime
    except ImportError as e:
        sys.stderr.write(
            "The Pulumi Python SDK (the `pulumi` package) is not installed for %s: %s\n"
            "Run `pulumi install` (it makes the project's virtualenv from requirements.txt).\n" % (sys.executable, e)
        )
        return 1

    program = os.path.abspath(a.program)
    main_file = os.path.join(program, "__main__.py") if os.path.isdir(program) else program
    if not os.path.isfile(main_file):
        sys.stderr.write(
            "The program's entry %s does not exist (a directory with __main__.py, or a .py file)\n" % main_file
        )
        return 1
    program_dir = os.path.dirname(main_file)

    settings = pulumi.runtime.Settings(
        project=a.project,
        stack=a.stack,
        monitor=a.monitor,
        engine=a.engine or None,
        parallel=a.parallel if a.parallel > 0 else None,
        dry_run=a.dry_run,
        organization=a.organization or None,
        root_directory=a.root_directory or program_dir,
    )
    pulumi.runtime.configure(settings)
    config = json.loads(os.environ.get("PULUMI_CONFIG") or "{}")
    secret_keys = json.loads(os.environ.get("PULUMI_CONFIG_SECRET_KEYS") or "[]")
    pulumi.runtime.set_all_config(config, secret_keys)

    # The program imports its own modules as `python __main__.py` would let it.
    sys.path.insert(0, program_dir)
    sys.argv = [main_file] + list(a.args)

    def program_body():
        runpy.run_path(main_file, run_name="__main__")

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(pulumi.runtime.run_in_stack(program_body))
        return 0
    except Exception as e:  # noqa: BLE001 - every failure of the program is reported, then the run stops
        from pulumi.errors import RunError

        message = str(e) if isinstance(e, RunError) else "".join(traceback.format_exception(e))
        try:
            pulumi.log.error("Program failed: " + message)
            return USER_ACTIONABLE_EXIT
        except Exception:  # noqa: BLE001 - the engine is gone: stderr is what is left
            sys.stderr.write(message + "\n")
            return 1
    finally:
        loop.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
