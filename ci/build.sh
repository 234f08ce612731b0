#!/usr/bin/env bash
# Configures and builds one flavour: ci/build.sh [release|asan] -> build/<flavour>/scanner/cli/policyprobe
set -euo pipefail
cd "$(dirname "$0")/.."
flavour="${1:-release}"
case "$flavour" in
  release) args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
  asan) args=(-DCMAKE_BUILD_TYPE=Debug -DPOLICYPROBE_SANITIZE=ON) ;;
  *) echo "usage: ci/build.sh [release|asan]" >&2; exit 2 ;;
esac
cmake -S . -B "build/$flavour" "${args[@]}" >/dev/null
cmake --build "build/$flavour" -j"$(nproc)"
