#!/usr/bin/env bash
# The main job: set up, build, start the lab, scan it, write every report under out/.
# Exits 0 when the scan ran and every report was written (findings are the lab's point: the
# gate's own exit code is printed, not passed on); non-zero when the scan could not run.
set -euo pipefail
cd "$(dirname "$0")/.."
ci/setup.sh
ci/build.sh release
pp=build/release/scanner/cli/policyprobe
mkdir -p out
export POLICYPROBE_LAB_DIR="${POLICYPROBE_LAB_DIR:-/tmp/policyprobe-demo-lab}"
trap 'ci/lab/stop >/dev/null 2>&1 || true' EXIT
inventory="$(ci/lab/start | tail -n 1)"
reports=(out/policyprobe.html out/policyprobe.junit.xml out/policyprobe.json out/policyprobe.sarif)
rm -f "${reports[@]}"
set +e
"$pp" scan -i "$inventory" --ca-file "$POLICYPROBE_LAB_DIR/ca.pem" \
  --junit out/policyprobe.junit.xml --html out/policyprobe.html \
  --json out/policyprobe.json --sarif out/policyprobe.sarif
gate=$?
set -e
echo
if [ "$gate" -ne 0 ] && [ "$gate" -ne 1 ] && [ "$gate" -ne 3 ]; then
  echo "ci/demo.sh: the scan failed (exit $gate)" >&2
  exit 1
fi
echo "Reports (the gate exited $gate: 0 clean, 1 findings at or above --fail-on, 2 usage, 3 incomplete):"
for f in "${reports[@]}"; do
  if [ ! -s "$f" ]; then
    echo "ci/demo.sh: $f was not written" >&2
    exit 1
  fi
  echo "  $(pwd)/$f"
done
