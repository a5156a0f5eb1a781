# Progress for long silent steps (sourced by scripts/install-pulumi-cli.sh; tests/unit/install-progress.test.ts).
#
# run_with_progress LABEL NOUN LOG CMD [ARGS...]
#   Runs CMD with its output (stdout and stderr) in LOG and, while it runs, prints a line every
#   $PULUMI_CLI_PROGRESS_SECONDS seconds (default 30):
#     [pulumi-cli] compiling pulumi: 2m30s elapsed, 612 packages compiled so far (last: github.com/pulumi/...)
#   where the count is LOG's lines (e.g. `go build -v` writes one package per line) and NOUN names them. Returns
#   CMD's exit status; LOG is left for the caller to show on failure.
run_with_progress() {
    local label="$1" noun="$2" log="$3"
    shift 3
    local every="${PULUMI_CLI_PROGRESS_SECONDS:-30}"
    local start now elapsed next pid lines last
    start=$(date +%s)
    next=$((start + every))
    "$@" >"$log" 2>&1 &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        sleep 1
        now=$(date +%s)
        if [ "$now" -ge "$next" ] && kill -0 "$pid" 2>/dev/null; then
            next=$((now + every))
            elapsed=$((now - start))
            lines=$(wc -l <"$log" | tr -d ' ')
            last=$(tail -n 1 "$log" | cut -c1-100)
            if [ "$lines" -eq 0 ]; then
                # go build -v lists only what it compiles: with a warm build cache it is linking.
                echo "[pulumi-cli] $label: $((elapsed / 60))m$(printf '%02d' $((elapsed % 60)))s elapsed, no $noun yet"
            else
                echo "[pulumi-cli] $label: $((elapsed / 60))m$(printf '%02d' $((elapsed % 60)))s elapsed, $lines $noun so far (last: $last)"
            fi
        fi
    done
    wait "$pid"
}
