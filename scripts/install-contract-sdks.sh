#!/usr/bin/env bash
# Installs the vendors' official Python SDKs that tests/contracts uses as oracles (test-only: the package never
# imports them) into .contract-sdks/venv (git-ignored), from tests/contracts/oracles/requirements.txt.
#
#   bash scripts/install-contract-sdks.sh       (npm run contracts:install)
#
# Reused when the requirements file has not changed since the last install. Needs python3 with venv and pip.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/.contract-sdks"
REQ="$ROOT/tests/contracts/oracles/requirements.txt"
say() { echo "[contract-sdks] $*"; }
if ! command -v python3 >/dev/null 2>&1; then
    say "python3 is not on PATH: the vendor-contract tests need it (with venv and pip)." >&2
    exit 1
fi
want="$(sha256sum "$REQ" | cut -d' ' -f1) $(python3 --version 2>&1)"
if [ -x "$DEST/venv/bin/python" ] && [ "$(cat "$DEST/stamp" 2>/dev/null)" = "$want" ]; then
    say "up to date in $DEST/venv"
    exit 0
fi
mkdir -p "$DEST"
rm -rf "$DEST/venv"
say "creating $DEST/venv and installing $(grep -cv '^#' "$REQ") SDKs (pip; its output: $DEST/pip.log)"
python3 -m venv "$DEST/venv" >"$DEST/pip.log" 2>&1
if ! "$DEST/venv/bin/python" -m pip install --disable-pip-version-check -q -r "$REQ" >>"$DEST/pip.log" 2>&1; then
    tail -n 20 "$DEST/pip.log" >&2
    say "pip failed (above: the end of $DEST/pip.log)" >&2
    exit 1
fi
echo "$want" >"$DEST/stamp"
say "done"
