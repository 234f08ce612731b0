#!/bin/sh
# Consumer checks for the JUnit report: the fixture rendered fresh, then
#  1. xmllint --schema tests/reports/junit.xsd (our format, modelled on Jenkins' junit-10.xsd);
#  2. python3-junitparser reads it and finds the counts the JSON report says it should.
# Usage: junit_consumers_test.sh RENDER_FIXTURE_BINARY TESTS_REPORTS_DIR
set -eu
render=$1
here=$2
command -v xmllint >/dev/null || { echo "SKIP: xmllint missing (apt-get install libxml2-utils)"; exit 77; }
py=/usr/bin/python3  # Debian's python, where python3-junitparser lives (not a pyenv/venv one)
$py -c 'import junitparser' 2>/dev/null || { echo "SKIP: python3-junitparser missing"; exit 77; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$render" "$out"

xmllint --noout --schema "$here/junit.xsd" "$out/report.xml"
# Also an empty scan must validate: render_fixture has no flag for that, so validate a
# document with zero suites the same way the writer shapes it.
printf '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="policyprobe" tests="0" failures="0" errors="0" time="0" />\n' > "$out/empty.xml"
xmllint --noout --schema "$here/junit.xsd" "$out/empty.xml"

$py "$here/junit_counts.py" "$out/report.xml" "$out/report.json"
echo "junit consumers: OK"
