#!/usr/bin/env bash
# Benchmark: policyprobe side by side with sslscan, nmap and testssl.sh on the same
# self-started nginx endpoints (modern, legacy) and an nginx fleet of 100, 1,000 and 3,000 TLS
# endpoints (each size run 3 times, interleaved with nmap). Prints a table and writes
# out/bench/bench.json. A benchmark, not a test: it exits
# non-zero only when a tool could not run or its output could not be read.
#
#   ci/bench.sh                 full run (~30-40 min: testssl is slow; three runs of each fleet size)
#   ci/bench.sh --smoke         a few endpoints, one run per tool, no testssl (< 2 min)
#   ci/bench.sh --runs 3 --fleet 100     any option of ci/bench/bench.py (see --help)
#
# The policyprobe binary: $POLICYPROBE, else --policyprobe PATH, else build/release's, else
# build-bench's.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

pp="${POLICYPROBE:-}"
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --policyprobe) pp="$2"; shift 2 ;;
    --policyprobe=*) pp="${1#*=}"; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
if [ -z "$pp" ]; then
  for c in "$root/build/release/scanner/cli/policyprobe" "$root/build-bench/scanner/cli/policyprobe"; do
    if [ -x "$c" ]; then pp="$c"; break; fi
  done
fi
if [ -z "$pp" ] || [ ! -x "$pp" ]; then
  echo "bench: no policyprobe binary (set POLICYPROBE or --policyprobe, or run ci/build.sh release)" >&2
  exit 2
fi

out="$root/out/bench"
for a in "${args[@]+"${args[@]}"}"; do
  if [ "$a" = "--smoke" ]; then out="$root/out/bench-smoke"; fi
done
exec python3 "$root/ci/bench/bench.py" --policyprobe "$pp" --out "${BENCH_OUT:-$out}" "${args[@]+"${args[@]}"}"
