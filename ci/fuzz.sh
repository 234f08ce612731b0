#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan, build-fuzz/) and runs each in turn.
#   ci/fuzz.sh                 each target 10 minutes (the scheduled / pre-release run)
#   ci/fuzz.sh --brief         each target ~5 s: seeds replayed, then a short mutation run (ci/test.sh)
#   ci/fuzz.sh --minutes N     each target N minutes;   --seconds N  likewise in seconds
#   ci/fuzz.sh ... NAME...     only these targets (server_hello, mail_dialogue, ...)
# Seeds come from tests/fuzz/corpus/<name> (read-only); new inputs go to build-fuzz/corpus/<name>.
# A crash, leak, UB report, timeout or OOM is a finding: its reproducer is written to
# build-fuzz/findings/<name>/ and the script exits 1 after running every target.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=600
names=()
while [ $# -gt 0 ]; do
  case "$1" in
    --brief) seconds=5 ;;
    --minutes) seconds=$(( $2 * 60 )); shift ;;
    --seconds) seconds=$2; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    -*) echo "ci/fuzz.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    *) names+=("$1") ;;
  esac
  shift
done
all=(server_hello name_match www_authenticate ntlm_challenge mail_dialogue ldap_ber rule_file inventory nmap_xml json_report iis_config schannel_reg exchange_json ipsec_json ipsec_netsh)
[ ${#names[@]} -eq 0 ] && names=("${all[@]}")

build=${PP_FUZZ_BUILD:-$root/build-fuzz}
san="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
if [ ! -f "$build/CMakeCache.txt" ]; then
  mkdir -p "$build/logs"
  CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DPOLICYPROBE_FUZZ=ON -DPOLICYPROBE_TESTS=OFF \
    "-DCMAKE_CXX_FLAGS=$san" "-DCMAKE_C_FLAGS=$san" >"$build/logs/configure.log" 2>&1 \
    || { cat "$build/logs/configure.log"; echo "ci/fuzz.sh: configure failed" >&2; exit 1; }
fi
# Built one at a time so that one target that does not build (a library mid-edit) does not
# stop the others from running; a build failure still fails the script.
status=0
built=()
mkdir -p "$build/logs"
for n in "${names[@]}"; do
  if nice -n 10 cmake --build "$build" --target "fuzz_$n" -j2 >"$build/logs/build-$n.log" 2>&1; then
    built+=("$n")
  else
    grep -m10 'error' "$build/logs/build-$n.log"
    echo "fuzz_$n: BUILD FAILED (log $build/logs/build-$n.log)"
    status=1
  fi
done

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for n in "${built[@]}"; do
  seeds=$root/tests/fuzz/corpus/$n
  work=$build/corpus/$n
  findings=$build/findings/$n
  log=$build/logs/$n.log
  mkdir -p "$work" "$findings" "$(dirname "$log")"
  start=$(date +%s)
  # -timeout: one input taking over 10 s is a hang; -rss_limit_mb: memory must stay bounded.
  nice -n 10 "$build/tests/fuzz/fuzz_$n" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 \
    -print_final_stats=1 -artifact_prefix="$findings/" "$work" "$seeds" >"$log" 2>&1
  rc=$?
  took=$(( $(date +%s) - start ))
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  if [ $rc -eq 0 ]; then
    echo "fuzz_$n: clean, ${took} s, ${execs:-?} runs"
  else
    echo "fuzz_$n: FINDING (exit $rc) after ${took} s; reproducer in $findings/, log $log"
    grep -m1 -A25 'ERROR:\|runtime error\|SUMMARY' "$log" | head -40
    status=1
  fi
done
exit $status
