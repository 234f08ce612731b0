#!/usr/bin/env bash
# Exchange virtual directory settings exported as JSON, judged through `scan --config
# exchange:FILE`: every exchange-config rule (and the iis-config rules the export feeds) passes
# on the hardened fixture and fails on the weakened one, with the file and line in the
# evidence; a malformed export is one positioned error; the kind is guessed when not given.
source "$(dirname "$0")/checks.sh" "$1" "$2" exchange-json

"$pp" scan --config "exchange:$fx/exchange2016/vdirs.json" --json "$tmp/good.json" >"$tmp/good.out" 2>&1
rc=$?
if [ "$rc" -eq 0 ]; then ok "hardened export passes the gate"; else bad "hardened export: exit $rc"; head -30 "$tmp/good.out"; fi

"$pp" scan --config "exchange:$fx/exchange2016-weak/owa.json" --config "exchange:$fx/exchange2016-weak/vdirs.json" \
  -v --json "$tmp/weak.json" >"$tmp/weak.out" 2>&1
rc=$?
if [ "$rc" -eq 1 ]; then ok "weakened export fails the gate"; else bad "weakened export: exit $rc, wanted 1"; head -30 "$tmp/weak.out"; fi

line=$(grep -n '"FormsAuthentication"' "$fx/exchange2016-weak/owa.json" | head -1 | cut -d: -f1)
python3 - "$tmp/good.json" "$tmp/weak.json" "$line" <<'PY' && ok "each rule passes on the hardened export and fails on the weakened one" || bad "rule outcomes"
import json, sys
good = json.load(open(sys.argv[1]))["results"]
weak = json.load(open(sys.argv[2]))["results"]
def outcomes(results, rule):
    return {r["subject"].rsplit(":", 1)[-1]: r["status"] for r in results if r["rule_id"] == rule}
problems = []
for rule in ["EXC-001", "EXC-002", "EXC-003", "EXC-004", "EXC-005", "IIS-001", "IIS-002"]:
    g, w = outcomes(good, rule), outcomes(weak, rule)
    if "pass" not in g.values() or set(g.values()) - {"pass", "skipped"}:
        problems.append("%s on the hardened export: %s" % (rule, g))
    if "fail" not in w.values():
        problems.append("%s on the weakened export: %s" % (rule, w))
want = {("EXC-001", "EX1/EWS"), ("EXC-001", "EX1/rpc"), ("EXC-001", "EX1/mapi"), ("EXC-002", "EX1/owa"),
        ("EXC-003", "EX1/rpc"), ("EXC-004", "EX1/owa"), ("EXC-005", "EX1/rpc"), ("IIS-001", "EX1/OAB"),
        ("IIS-001", "EX1/rpc"), ("IIS-002", "EX1/EWS"), ("IIS-002", "EX1/mapi"), ("IIS-002", "EX1/rpc")}
failed = {(r["rule_id"], r["subject"].rsplit(":", 1)[-1]) for r in weak if r["status"] == "fail"}
if want - failed:
    problems.append("not failed: %s" % sorted(want - failed))
forms = [r for r in weak if r["rule_id"] == "EXC-002" and r["status"] == "fail"]
if not forms or not any("exchange2016-weak/owa.json:%s" % sys.argv[3] in e for e in forms[0]["evidence"]):
    problems.append("EXC-002 evidence lacks owa.json:%s: %s" % (sys.argv[3], forms and forms[0]["evidence"]))
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
PY
grep -q "EXC-002" "$tmp/weak.out" && grep -q "owa.json:$line" "$tmp/weak.out" && ok "console names EXC-002 and owa.json:$line" \
  || { bad "console lacks EXC-002 at owa.json:$line"; grep -n "EXC-002" "$tmp/weak.out" | head -5; }

"$pp" scan --config "$fx/exchange2016/vdirs.json" --json "$tmp/guessed.json" >"$tmp/guessed.out" 2>&1
rc=$?
if [ "$rc" -eq 0 ] && grep -q '"EXC-003"' "$tmp/guessed.json"; then ok "the kind is guessed from the content"; else bad "guessed kind: exit $rc"; head -10 "$tmp/guessed.out"; fi

printf '[\n  {"Name": "owa (Default Web Site)",\n   "BasicAuthentication": tru}\n]\n' > "$tmp/broken.json"
"$pp" scan --config "exchange:$tmp/broken.json" >"$tmp/broken.out" 2>&1
rc=$?
if [ "$rc" -eq 3 ] && grep -q "broken.json:3:27: malformed JSON" "$tmp/broken.out"; then
  ok "malformed export: one positioned error, exit 3"
else
  bad "malformed export: exit $rc"; head -10 "$tmp/broken.out"
fi
printf '[{"Name": "Default Web Site", "Id": 1}]\n' > "$tmp/sites.json"
"$pp" scan --config "exchange:$tmp/sites.json" >"$tmp/sites.out" 2>&1
rc=$?
if [ "$rc" -eq 3 ] && grep -q "sites.json:1:1: no Exchange virtual directory in this file" "$tmp/sites.out"; then
  ok "an export without Exchange virtual directories: one clear error"
else
  bad "no vdirs: exit $rc"; head -10 "$tmp/sites.out"
fi

finish
