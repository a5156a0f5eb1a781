#!/usr/bin/env bash
# Builds the Pulumi CLI from Go modules into .pulumi-cli/bin (git-ignored), for the tests, the demo and you.
#
#   npm run pulumi:install            (or: bash scripts/install-pulumi-cli.sh)
#   PULUMI_CLI_DIR=/somewhere bash scripts/install-pulumi-cli.sh
#
# What it puts in .pulumi-cli/bin:
#   pulumi                          the Pulumi CLI and engine, module github.com/pulumi/pulumi/pkg/v3, package cmd/pulumi,
#                                   at the pinned version below
#   pulumi-language-nodejs          a Node.js language host written in this repository (tools/langhost), built
#                                   against github.com/pulumi/pulumi/sdk/v3 at the same version: Pulumi's own language
#                                   host module is not served by the Go module proxy our machines reach
#   pulumi-language-python          the same binary (it picks its language from its name): a Python language host
#   pulumi-language-go              and a Go language host, also written here (tools/langhost); Pulumi's are not served
#                                   either. Both also generate SDKs from a schema (`pulumi package gen-sdk`).
#   pulumi-resource-pulumi-nodejs   the launcher of the dynamic-provider host of @pulumi/pulumi (written here; Pulumi's
#                                   release archive ships an equivalent script)
#   (no pulumi-analyzer-policy: the engine runs a Node.js policy pack, `pulumi preview --policy-pack policy`, through
#   the language host's RunPlugin, which pulumi-language-nodejs answers with `node @pulumi/pulumi/cmd/run-policy-pack`;
#   it looks for a pulumi-analyzer-policy-<runtime> launcher only where no language host of that runtime exists)
#   pulumi-language-yaml            Pulumi's YAML language host, module github.com/pulumi/pulumi-yaml, package
#                                   cmd/pulumi-language-yaml, at the pinned version below, for the provider plugin's
#                                   YAML examples and tests (skipped with a warning when it cannot be built)
#   env.sh                          offline settings to source: no update check, no plugin downloads
# and in .pulumi-cli/python a virtualenv with Pulumi's Python SDK (the `pulumi` package, pinned below, installed with
# pip), used by the Python example's test; skipped with a warning when python3 or pip cannot provide it.
#
# A first build is long (10-20 minutes on 2 cores): every PULUMI_CLI_PROGRESS_SECONDS (default 30) it prints what it is
# doing, the time elapsed and how many packages are compiled (scripts/lib/progress.sh); each step's output is in a log.
#
# Needs Go 1.26 or later and Node.js. A build is reused when the stamp (Pulumi version, and a hash of this script and of
# tools/langhost) matches; Go's module and build caches make a rebuild after a change fast.
set -euo pipefail

PULUMI_VERSION="3.274.1"
# The YAML language host. v1.25.0 is the newest version the Go module proxy serves here (it also serves v1.11.1). It
# is built against the Pulumi SDK version its own go.mod names (v3.206.0): built against v3.274.1 it does not compile
# (plugin.NewContextWithRoot and schema.NewPluginLoader changed). A language host talks to the engine over gRPC only,
# so its own SDK version need not match the CLI's.
PULUMI_YAML_VERSION="1.25.0"
# Pulumi's Python SDK: 3.272.0 is the newest release the Python package index serves here (3.274.x is not published
# there). The SDK talks to the engine over gRPC only, so a slightly older SDK works with the v3.274.1 engine.
PULUMI_PYTHON_SDK_VERSION="3.272.0"

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="${PULUMI_CLI_DIR:-$ROOT/.pulumi-cli}"
BIN="$DEST/bin"
START=$(date +%s)

say() { echo "[pulumi-cli] $*"; }
# shellcheck source=lib/progress.sh
. "$ROOT/scripts/lib/progress.sh"

if ! command -v go >/dev/null 2>&1; then
    say "Go is not on PATH: it is needed to build the Pulumi CLI (Go 1.26 or later). Alternatively put a pulumi" >&2
    say "binary of your own on PATH; the tests and the demo use it." >&2
    exit 1
fi

stamp() {
    {
        echo "pulumi v$PULUMI_VERSION"
        echo "pulumi-yaml v$PULUMI_YAML_VERSION"
        echo "pulumi python sdk $PULUMI_PYTHON_SDK_VERSION"
        go version
        sha256sum "$ROOT/scripts/install-pulumi-cli.sh"
        find "$ROOT/tools/langhost" -type f \( -name '*.go' -o -name '*.py' -o -name 'go.mod' -o -name 'go.sum' \) -print0 |
            sort -z | xargs -0 sha256sum | sed "s#$ROOT/##"
    } | sha256sum | cut -d' ' -f1
}
WANT="$(stamp)"

# The Python SDK's virtualenv (not part of the stamp's reuse check when python3 is absent: then it is never built).
PYENV="$DEST/python"
python_sdk() {
    if [ -x "$PYENV/bin/python" ] &&
        [ "$("$PYENV/bin/python" -c 'import importlib.metadata as m; print(m.version("pulumi"))' 2>/dev/null)" = \
            "$PULUMI_PYTHON_SDK_VERSION" ]; then
        return 0
    fi
    if ! command -v python3 >/dev/null 2>&1; then
        say "WARNING: no python3 on PATH: Pulumi's Python SDK is not installed; Python programs cannot run." >&2
        return 0
    fi
    say "installing Pulumi's Python SDK $PULUMI_PYTHON_SDK_VERSION into $PYENV (pip; its output: $DEST/pip.log)"
    rm -rf "$PYENV"
    if python3 -m venv "$PYENV" >"$DEST/pip.log" 2>&1 &&
        "$PYENV/bin/python" -m pip install --disable-pip-version-check -q \
            "pulumi==$PULUMI_PYTHON_SDK_VERSION" >>"$DEST/pip.log" 2>&1; then
        return 0
    fi
    tail -n 20 "$DEST/pip.log" >&2
    rm -rf "$PYENV"
    say "WARNING: Pulumi's Python SDK could not be installed (above: the end of $DEST/pip.log)." >&2
}

# The launchers are scripts, not builds: written on every run (a reused build gets them too, and changing them needs no
# rebuild).
write_launchers() {
    mkdir -p "$BIN"
    cat >"$BIN/pulumi-resource-pulumi-nodejs" <<'LAUNCHER'
#!/bin/sh
# Starts the dynamic-provider host of the @pulumi/pulumi package that the program uses (resolved from the working
# directory the engine gives the plugin, as Node resolves it). Written for pulumi-restore's CLI build.
script=$(node -e "try { console.log(require.resolve('@pulumi/pulumi/cmd/dynamic-provider')) } catch (e) { process.exit(1) }")
if [ -z "$script" ]; then
    echo "pulumi-resource-pulumi-nodejs: @pulumi/pulumi is not installed where the program is ($(pwd)): run npm install" >&2
    exit 1
fi
exec node "$script" "$@"
LAUNCHER
    chmod +x "$BIN/pulumi-resource-pulumi-nodejs"
}

if [ -x "$BIN/pulumi" ] && [ -x "$BIN/pulumi-language-nodejs" ] && [ -x "$BIN/pulumi-language-python" ] &&
    [ -x "$BIN/pulumi-language-go" ] && [ -f "$DEST/stamp" ] &&
    [ "$(cat "$DEST/stamp")" = "$WANT" ] &&
    [ "$("$BIN/pulumi" version 2>/dev/null)" = "v$PULUMI_VERSION" ]; then
    say "Pulumi CLI v$PULUMI_VERSION already built in $BIN (reused)."
    mkdir -p "$DEST"
    write_launchers
    python_sdk
    exit 0
fi

say "Building the Pulumi CLI v$PULUMI_VERSION from Go modules into $BIN."
say "A first build downloads the modules and compiles about 1,500 packages: allow 10-20 minutes on 2 cores;"
say "with Go's module and build caches kept, a rebuild takes well under a minute."
mkdir -p "$BIN" "$DEST/build"
# The Python SDK's pip install (about 25 s) runs while Go compiles; waited for before the stamp is written.
python_sdk &
PYTHON_SDK_PID=$!

# A throwaway module that requires pkg/v3 and sdk/v3 at one version: `go install pkg/v3/cmd/pulumi@version` refuses
# pkg/v3 because its go.mod has replace directives; replace directives of a dependency are ignored here.
BUILD="$DEST/build"
if [ ! -f "$BUILD/go.mod" ] || ! grep -q "pkg/v3 v$PULUMI_VERSION\$" "$BUILD/go.mod"; then
    rm -f "$BUILD/go.mod" "$BUILD/go.sum"
    (cd "$BUILD" && go mod init pulumi-restore.local/pulumi-cli-build >/dev/null 2>&1)
fi
(
    cd "$BUILD"
    say "resolving github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION (go get; its output: $BUILD/go-get.log)"
    if ! run_with_progress "resolving and downloading modules" "lines of go get output" "$BUILD/go-get.log" \
        go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$PULUMI_VERSION" \
        "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION"; then
        tail -n 30 "$BUILD/go-get.log" >&2
        say "go get failed (above: the end of $BUILD/go-get.log)" >&2
        exit 1
    fi
    say "compiling pulumi (go build -v; the packages it compiles: $BUILD/go-build.log)"
    if ! run_with_progress "compiling pulumi" "packages compiled" "$BUILD/go-build.log" \
        go build -v -trimpath \
        -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
        -o "$BIN/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi; then
        tail -n 30 "$BUILD/go-build.log" >&2
        say "go build failed (above: the end of $BUILD/go-build.log)" >&2
        exit 1
    fi
)
mv -f "$BIN/pulumi.tmp" "$BIN/pulumi"

say "compiling pulumi-language-nodejs (tools/langhost)"
(
    cd "$ROOT/tools/langhost"
    go build -trimpath -ldflags "-s -w -X main.version=$PULUMI_VERSION" -o "$BIN/pulumi-language-nodejs.tmp" .
)
mv -f "$BIN/pulumi-language-nodejs.tmp" "$BIN/pulumi-language-nodejs"
# One binary, three names: the engine starts pulumi-language-<runtime> and the host picks its language from its name.
for lang in python go; do
    cp -f "$BIN/pulumi-language-nodejs" "$BIN/pulumi-language-$lang.tmp"
    mv -f "$BIN/pulumi-language-$lang.tmp" "$BIN/pulumi-language-$lang"
done

# The YAML language host, in a throwaway module of its own: requiring only pulumi-yaml lets Go pick the SDK version that
# pulumi-yaml was released with. Optional: without it, only the YAML examples and their tests cannot run.
say "compiling pulumi-language-yaml v$PULUMI_YAML_VERSION (github.com/pulumi/pulumi-yaml)"
YAML_BUILD="$DEST/build-yaml"
mkdir -p "$YAML_BUILD"
if [ ! -f "$YAML_BUILD/go.mod" ] || ! grep -q "github.com/pulumi/pulumi-yaml v$PULUMI_YAML_VERSION" "$YAML_BUILD/go.mod"; then
    rm -f "$YAML_BUILD/go.mod" "$YAML_BUILD/go.sum"
    (cd "$YAML_BUILD" && go mod init pulumi-restore.local/pulumi-yaml-build >/dev/null 2>&1)
fi
if (
    cd "$YAML_BUILD"
    run_with_progress "compiling pulumi-language-yaml" "lines of go output" "$YAML_BUILD/build.log" sh -c \
        "go get github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v$PULUMI_YAML_VERSION &&
        go build -v -trimpath -ldflags '-s -w' -o '$BIN/pulumi-language-yaml.tmp' \
            github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml" ||
        {
            tail -n 30 "$YAML_BUILD/build.log" >&2
            false
        }
); then
    mv -f "$BIN/pulumi-language-yaml.tmp" "$BIN/pulumi-language-yaml"
else
    rm -f "$BIN/pulumi-language-yaml.tmp" "$BIN/pulumi-language-yaml"
    say "WARNING: pulumi-language-yaml v$PULUMI_YAML_VERSION could not be built (output above); YAML programs cannot run." >&2
fi

write_launchers

cat >"$DEST/env.sh" <<ENV
# Source this file to use the CLI built by scripts/install-pulumi-cli.sh, offline:
#   . $DEST/env.sh
export PATH="$BIN:\$PATH"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
ENV

GOT="$("$BIN/pulumi" version)"
if [ "$GOT" != "v$PULUMI_VERSION" ]; then
    say "built pulumi reports $GOT, expected v$PULUMI_VERSION" >&2
    exit 1
fi
wait "$PYTHON_SDK_PID" || true
echo "$WANT" >"$DEST/stamp"
say "Built pulumi $GOT in $(($(date +%s) - START)) s: $BIN"
say "Use it: . $DEST/env.sh   (the tests and npm run demo find it there on their own)"
