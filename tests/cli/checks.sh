# Sourced by the configuration CLI tests: `source checks.sh POLICYPROBE SOURCE_DIR FIXTURE_DIR`
# sets pp, src, fx (under tests/fixtures) and a temporary directory tmp removed on exit;
# ok/bad count the checks and `finish` prints the tally and fails when any check failed.
set -u
pp="$(realpath "$1")"
src="$(realpath "$2")"
fx="$src/tests/fixtures/$3"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fails=0
passes=0
ok() { echo "ok   $1"; passes=$((passes + 1)); }
bad() { echo "FAIL $1"; fails=$((fails + 1)); }
finish() {
  echo "$passes passed, $fails failed"
  [ "$fails" -eq 0 ]
}
