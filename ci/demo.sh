#!/usr/bin/env bash
# The main job: set up, build, start the lab, scan it, write every report under out/.
set -euo pipefail
cd "$(dirname "$0")/.."
ci/setup.sh
ci/build.sh release
mkdir -p out
export POLICYPROBE_LAB_DIR="${POLICYPROBE_LAB_DIR:-/tmp/policyprobe-demo-lab}"
trap 'ci/lab/stop >/dev/null 2>&1 || true' EXIT
inventory="$(ci/lab/start | tail -n 1)"
set +e
build/release/policyprobe scan -i "$inventory" --ca-file "$POLICYPROBE_LAB_DIR/ca.pem" \
  --junit out/policyprobe.junit.xml --html out/policyprobe.html \
  --json out/policyprobe.json --sarif out/policyprobe.sarif
gate=$?
set -e
echo
echo "Reports (the gate exited $gate: 0 clean, 1 findings at or above --fail-on, 2 usage, 3 incomplete):"
for f in out/policyprobe.html out/policyprobe.junit.xml out/policyprobe.json out/policyprobe.sarif; do
  echo "  $(pwd)/$f"
done
