#!/usr/bin/env bash
# Makes a PostgreSQL server available for tests/cli/team-backend.test.ts, which keeps Pulumi's state in PostgreSQL
# (the CLI's `postgres://` DIY backend) the way a team shares one backend between CI runners and laptops.
#
#   bash scripts/install-postgres.sh
#
# Reuses a server that is already installed (initdb and postgres in /usr/lib/postgresql/<version>/bin or on PATH);
# otherwise installs Debian's `postgresql` package (root, apt-get). It starts nothing: each test run starts a
# throwaway server of its own in a temporary directory (tests/support/postgres.ts) and removes it afterwards.
set -euo pipefail

found() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")"; do
        if [ -x "$d/initdb" ] && [ -x "$d/postgres" ] && [ -x "$d/pg_ctl" ]; then
            echo "$d"
            return 0
        fi
    done
    return 1
}

if dir=$(found); then
    echo "PostgreSQL is installed: $("$dir/postgres" --version) in $dir"
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "PostgreSQL is not installed, and this script installs it only as root with apt-get (Debian, Ubuntu)." >&2
    echo "Install a PostgreSQL server (initdb, pg_ctl, postgres) another way, or run this as root." >&2
    exit 1
fi
echo "Installing PostgreSQL from the distribution's packages (apt-get install postgresql)..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends postgresql
dir=$(found) || {
    echo "apt-get installed postgresql, but initdb, pg_ctl and postgres were not found" >&2
    exit 1
}
echo "PostgreSQL is installed: $("$dir/postgres" --version) in $dir"
