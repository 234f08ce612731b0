#!/usr/bin/env bash
# Configuration files as targets: the CI gate fails the one-line change that turns Require SSL
# off on /owa and points at its file and line, on the console and in the JSON report; a
# malformed file is one positioned error; the hardened fixture passes the gate.
source "$(dirname "$0")/checks.sh" "$1" "$2" iis
line=$(grep -n 'sslFlags="None"' "$fx/exchange2016-owa-no-ssl/applicationHost.config" | tail -1 | cut -d: -f1)
[ -n "$line" ] || bad "the variant fixture has no sslFlags=\"None\" line"

"$pp" scan --config "$fx/exchange2016/applicationHost.config" --json "$tmp/good.json" >"$tmp/good.out" 2>&1
rc=$?
if [ "$rc" -eq 0 ]; then ok "hardened fixture passes the gate"; else bad "hardened fixture: exit $rc"; head -20 "$tmp/good.out"; fi
grep -q '"IIS-001"' "$tmp/good.json" && ok "hardened fixture: IIS-001 judged" || bad "hardened fixture: IIS-001 not in the report"

"$pp" scan --config "$fx/exchange2016-owa-no-ssl/applicationHost.config" -v --json "$tmp/bad.json" >"$tmp/bad.out" 2>&1
rc=$?
if [ "$rc" -eq 1 ]; then ok "Require SSL off on /owa fails the gate"; else bad "variant: exit $rc, wanted 1"; head -20 "$tmp/bad.out"; fi
grep -q "IIS-001" "$tmp/bad.out" && ok "console names IIS-001" || bad "console lacks IIS-001"
grep -q "EXF-002" "$tmp/bad.out" && ok "the network rule EXF-002 judges the configured vdir" || bad "console lacks EXF-002"
if grep -q "exchange2016-owa-no-ssl/applicationHost.config:$line:" "$tmp/bad.out"; then
  ok "console points at applicationHost.config:$line"
else
  bad "console lacks applicationHost.config:$line"; grep -n "applicationHost" "$tmp/bad.out" | head -5
fi
python3 - "$tmp/bad.json" "$line" <<'PY' && ok "JSON report: the failing IIS-001 result's evidence names the line" || bad "JSON report lacks the line"
import json, sys
report = json.load(open(sys.argv[1]))
hits = [r for r in report["results"] if r["rule_id"] == "IIS-001" and r["status"] == "fail"]
assert len(hits) == 1, hits
assert hits[0]["subject"].endswith("applicationHost.config:Default Web Site/owa"), hits[0]["subject"]
assert any("applicationHost.config:%s:" % sys.argv[2] in e for e in hits[0]["evidence"]), hits[0]["evidence"]
PY

# SARIF: the result points into the file (relative path, the changed line), and validates.
(cd "$src" && "$pp" scan --config "tests/fixtures/iis/exchange2016-owa-no-ssl/applicationHost.config" --sarif "$tmp/bad.sarif" -q >/dev/null 2>&1)
python3 - "$tmp/bad.sarif" "$line" <<'PY' && ok "SARIF: IIS-001 points at the fixture's changed line" || bad "SARIF location"
import json, sys
doc = json.load(open(sys.argv[1]))
run = doc["runs"][0]
hits = [r for r in run["results"] if r["ruleId"] == "IIS-001"]
assert len(hits) == 1, hits
loc = hits[0]["locations"][0]["physicalLocation"]
assert loc["artifactLocation"]["uri"] == "tests/fixtures/iis/exchange2016-owa-no-ssl/applicationHost.config", loc
assert loc["artifactLocation"]["uriBaseId"] in run["originalUriBaseIds"], loc
assert loc["region"]["startLine"] == int(sys.argv[2]), loc
PY
rc=0; out=$(python3 "$src/tests/reports/sarif_schema_test.py" "$tmp/bad.sarif" 2>&1) || rc=$?
if [ "$rc" -eq 0 ]; then ok "SARIF of a configuration scan validates"; elif [ "$rc" -eq 77 ]; then echo "skip SARIF schema: $out"; else bad "SARIF schema: $out"; fi

printf '<configuration>\n  <system.webServer>\n    <access sslFlags="Ssl">\n</configuration>\n' > "$tmp/broken.config"
"$pp" scan --config "iis:$tmp/broken.config" >"$tmp/broken.out" 2>&1
rc=$?
if [ "$rc" -eq 3 ] && grep -q "broken.config:4:[0-9]*: malformed XML" "$tmp/broken.out"; then
  ok "malformed file: one positioned error, exit 3"
else
  bad "malformed file: exit $rc"; head -10 "$tmp/broken.out"
fi
"$pp" scan --config "iis-web:$fx/exchange2016/owa/web.config" >"$tmp/web.out" 2>&1
rc=$?
[ "$rc" -eq 0 ] && ok "a web.config alone, kind given" || { bad "web.config alone: exit $rc"; head -10 "$tmp/web.out"; }

finish
