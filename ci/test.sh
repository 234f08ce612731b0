#!/usr/bin/env bash
# Runs every test: setup, the normal and the sanitizer (ASan + UBSan) build, clang-tidy on the
# sources (ci/tidy.sh), ctest on both builds (unit, rule-case, golden-report and lab integration
# tests), and each fuzz target briefly. Exits non-zero on any failure; ctest's own summary is
# the last thing printed.
set -uo pipefail
cd "$(dirname "$0")/.."
ci/setup.sh || exit 1
ci/build.sh release || exit 1
ci/build.sh asan || exit 1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
echo "== clang-tidy: size, complexity and bug-prone checks (.clang-tidy)"
ci/tidy.sh || status=1
echo "== fuzz: each libFuzzer target briefly (ASan + UBSan), seeds from tests/fuzz/corpus"
ci/fuzz.sh --brief || status=1
echo "== ctest: release build"
(cd build/release && ctest --output-on-failure --timeout 900) || status=1
echo "== ctest: ASan + UBSan build"
(cd build/asan && ctest --output-on-failure --timeout 1800) || status=1
exit $status
