#!/bin/sh
# One night of the audit (run by policyprobe-audit.service, in its working directory):
# scan the fleet, keep this run's reports under runs/, mark what is new since the previous run
# and write what changed, then point latest.json at this run. Works from the first night (no
# previous run: no baseline, no diff) and never points latest.json at a report that was not
# written. Exit: the scan's code (0 clean, 1 findings, 3 incomplete), 2 on bad input.
#
# Environment (the unit sets them; defaults shown):
#   POLICYPROBE=policyprobe                    the binary
#   AUDIT_INVENTORY=/etc/policyprobe/fleet.toml
#   AUDIT_WAIVERS=/etc/policyprobe/waivers.toml   used when it exists
#   AUDIT_SCAN_ARGS=                           more scan options, e.g. "--fail-on medium"
set -u
pp=${POLICYPROBE:-policyprobe}
inventory=${AUDIT_INVENTORY:-/etc/policyprobe/fleet.toml}
waivers=${AUDIT_WAIVERS:-/etc/policyprobe/waivers.toml}

mkdir -p runs || exit 2
# One name per run, also when run twice a day (a manual start after the timer's).
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
[ -e "runs/$stamp.json" ] && stamp="$stamp-$$"

set -- -i "$inventory" --quiet --json "runs/$stamp.json" --html "runs/$stamp.html" \
  --junit "runs/$stamp.xml" --markdown "runs/$stamp.md"
[ -f "$waivers" ] && set -- "$@" --waivers "$waivers"
# The previous run, when there is one whose report exists: findings are then marked new.
previous=
[ -f latest.json ] && previous=$(readlink -f latest.json)
[ -n "$previous" ] && set -- "$@" --baseline "$previous"
# shellcheck disable=SC2086  # AUDIT_SCAN_ARGS is a list of options
"$pp" scan "$@" ${AUDIT_SCAN_ARGS:-}
rc=$?

# Exit 2 or an interruption writes no report: keep the previous one as latest.
if [ ! -f "runs/$stamp.json" ]; then
  echo "policyprobe-audit: scan exited $rc without a report; latest.json unchanged" >&2
  exit "$rc"
fi
if [ -n "$previous" ]; then
  "$pp" diff "$previous" "runs/$stamp.json" > "runs/$stamp.diff.txt"
  [ $? -le 1 ] || echo "policyprobe-audit: diff against $previous failed" >&2
fi
# Replace the link atomically: a reader never sees it missing or half-made.
ln -sfn "runs/$stamp.json" latest.json.tmp && mv -Tf latest.json.tmp latest.json
exit "$rc"
