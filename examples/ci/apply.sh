#!/usr/bin/env bash
# The main-branch apply: `pulumi up` of a stack, non-interactive. Restores wait until the service is usable, so give
# the job a time-out longer than the longest `timeouts.create` of the stack.
#
#   PULUMI_STACK=org/project/prod examples/ci/apply.sh [extra pulumi up flags]
#
# The engine runs at most PULUMI_PARALLEL resource operations at once (default: 4 x the runner's CPUs, 8 on a 2-core
# runner) and each restore holds one place for its whole wait, so a stack of more restores than that would start them
# in batches (measured in bench/summary.md, table "Parallelism"; docs/guides/ci.md). pulumi-restore keeps its API calls
# under each cloud's rate limit itself, so let the engine start them all: PULUMI_PARALLEL=1000 unless you set it.
set -euo pipefail
: "${PULUMI_STACK:?set PULUMI_STACK to the stack to update}"
export PULUMI_PARALLEL="${PULUMI_PARALLEL:-1000}"
exec pulumi up --stack "$PULUMI_STACK" --yes --skip-preview --non-interactive --color never "$@"
