#!/usr/bin/env bash
# The tests on a loaded machine: CPU hogs (busy Node loops) run alongside mocha, so that whatever depends on timing
# (a child's exit reported late, a poll that fires late, a port taken while another process starts) fails here rather
# than on a busy CI runner. Bounded in time; the hogs are stopped at the end, whatever happens.
#
#   npm run test:stress                                   the default suite (`npm test` without typecheck and format)
#   npm run test:stress -- tests/lifecycle/x.test.ts      only those files
#   STRESS_HOGS=4 STRESS_TIMEOUT=900 npm run test:stress  hogs (default: 2 per core) and the limit in seconds (1800)
#
# Exits with mocha's exit code, or 124 when the limit was reached.
set -euo pipefail
cd "$(dirname "$0")/.."
cores=$(nproc 2>/dev/null || echo 2)
hogs="${STRESS_HOGS:-$((cores * 2))}"
limit="${STRESS_TIMEOUT:-1800}"

pids=()
stop_hogs() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait "${pids[@]}" 2>/dev/null || true
}
trap stop_hogs EXIT
trap 'exit 130' INT TERM
# Each hog is itself bounded by the limit, so none outlives this script even if it is killed without a trap.
for _ in $(seq "$hogs"); do
    timeout "$((limit + 60))" node -e 'for (;;) {}' &
    pids+=("$!")
done
echo "test:stress: ${hogs} CPU hogs on ${cores} cores, limit ${limit} s: mocha $*"
start=$SECONDS
set +e
timeout --kill-after=30 "$limit" npx mocha "$@"
code=$?
set -e
echo "test:stress: mocha exited with ${code} after $((SECONDS - start)) s (load: $(cut -d' ' -f1-3 /proc/loadavg))"
exit "$code"
