#!/usr/bin/env bash
# The pull-request plan: runs `pulumi preview --diff` on a stack and writes it as plan.md (a comment body) and
# plan.txt (raw). Exits with the preview's exit code, so a bad input fails the check.
#
#   PULUMI_STACK=org/project/prod [PLAN_DIR=.] [POLICY_PACK=policy] [POLICY_CONFIG=policy-config.json] \
#       examples/ci/plan.sh [extra pulumi preview flags]
#
# With POLICY_PACK (a policy pack directory with its dependencies installed, e.g. pulumi-restore's policy/ after
# `npm ci --prefix policy`), the preview runs it (`--policy-pack`), with POLICY_CONFIG as its config
# (`--policy-pack-config`): a mandatory violation fails the check, and the plan shows every violation and advice.
#
# pulumi-restore's resources call no cloud API during preview, so this step needs the state backend and the stack's
# secrets passphrase (or Pulumi Cloud token), not cloud credentials.
#
# PULUMI_PARALLEL=1000 (unless set) as in apply.sh: the preview then checks resources as the update will run them, and
# the resource classes' warning about more restores than the engine runs at once only shows when it applies to the up.
set -euo pipefail
: "${PULUMI_STACK:?set PULUMI_STACK to the stack to preview}"
export PULUMI_PARALLEL="${PULUMI_PARALLEL:-1000}"
dir="${PLAN_DIR:-.}"
mkdir -p "$dir"
policy=()
if [ -n "${POLICY_PACK:-}" ]; then
    policy+=(--policy-pack "$POLICY_PACK")
    if [ -n "${POLICY_CONFIG:-}" ]; then policy+=(--policy-pack-config "$POLICY_CONFIG"); fi
fi
set +e
pulumi preview --stack "$PULUMI_STACK" --diff --non-interactive --color never "${policy[@]}" "$@" >"$dir/plan.txt" 2>&1
code=$?
set -e
{
    echo "### \`pulumi preview\` of stack \`$PULUMI_STACK\`"
    if [ "$code" -ne 0 ]; then echo "**The preview failed (exit code $code): see below.**"; fi
    echo
    echo '```diff'
    # Keep the comment under GitHub's size limit: the head of a very long plan is enough to review.
    head -c 60000 "$dir/plan.txt"
    echo '```'
} >"$dir/plan.md"
cat "$dir/plan.txt"
exit "$code"
