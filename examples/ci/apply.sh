#!/usr/bin/env bash
# The main-branch apply: `pulumi up` of a stack, non-interactive. Restores wait until the service is usable, so give
# the job a time-out longer than the longest `timeouts.create` of the stack.
#
#   PULUMI_STACK=org/project/prod examples/ci/apply.sh [extra pulumi up flags]
set -euo pipefail
: "${PULUMI_STACK:?set PULUMI_STACK to the stack to update}"
exec pulumi up --stack "$PULUMI_STACK" --yes --skip-preview --non-interactive --color never "$@"
