#!/usr/bin/env bash
# Runs clang-tidy (the repository's .clang-tidy) on every source of ours in the release
# build's compile_commands.json, two at a time; exits 1 on any finding.
#   ci/tidy.sh            all sources (builds build/release first if it is not there)
#   ci/tidy.sh FILE...    only these
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
db=build/release/compile_commands.json
[ -f "$db" ] || ci/build.sh release >/dev/null || exit 1
command -v clang-tidy >/dev/null || { echo "ci/tidy.sh: clang-tidy not installed (ci/setup.sh)" >&2; exit 1; }

# Not checked: generated files are not ours to style.
SKIP='^(build)'
# Bug-prone checks only (see .clang-tidy): tests.
RELAXED='_test\.cc$|^tests/'

if [ $# -gt 0 ]; then
  files=("$@")
else
  mapfile -t files < <(python3 -c 'import json,sys; [print(e["file"]) for e in json.load(open(sys.argv[1]))]' "$db" \
    | sed "s|^$root/||" | grep -Ev "$SKIP" | sort -u)
fi
strict=() relaxed=()
for f in "${files[@]}"; do
  if grep -Eq "$RELAXED" <<<"$f"; then relaxed+=("$f"); else strict+=("$f"); fi
done

log=$(mktemp)
trap 'rm -f "$log"' EXIT
start=$(date +%s)
run() {  # run EXTRA_ARGS... -- FILES...
  local extra=()
  while [ "$1" != "--" ]; do extra+=("$1"); shift; done
  shift
  [ $# -eq 0 ] && return 0
  # The build's flags are GCC's; clang (inside clang-tidy) ignores the GCC-only warning options.
  printf '%s\n' "$@" | xargs -P2 -n1 clang-tidy --quiet -p build/release --extra-arg=-Wno-unknown-warning-option \
    "${extra[@]}" >>"$log" 2>&1
}
run -- "${strict[@]}"
status=$?
run "--checks=-readability-function-size,-readability-function-cognitive-complexity" -- "${relaxed[@]}" || status=1
took=$(( $(date +%s) - start ))
findings=$(grep -cE '^[^ ]+:[0-9]+:[0-9]+: (warning|error): ' "$log")
if [ "$status" -ne 0 ] || [ "$findings" -ne 0 ]; then
  grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error): |^Error while processing|^error: ' "$log" | sed "s|$root/||" | sort -u
  echo "ci/tidy.sh: $findings finding(s) in ${#files[@]} files (${took} s)"
  exit 1
fi
echo "ci/tidy.sh: clean, ${#files[@]} files (${#relaxed[@]} with bug-prone checks only), ${took} s"
