#!/usr/bin/env bash
# Windows IPsec connection security rules exported as JSON, judged through `scan --config
# ipsec:FILE` and through an inventory [[config]] naming the back-end peers: IPS-001 passes on the
# protected fixture and fails on the weak one, with the file and line in the evidence; without
# peers it is an error, never a pass; a malformed export is one positioned error; the kind is
# guessed when not given. The same for a rule narrowed to some ports, and for the text of netsh
# advfirewall consec.
source "$(dirname "$0")/checks.sh" "$1" "$2" ipsec

cat >"$tmp/inventory.toml" <<TOML
schema = 1

[[config]]
name = "fe-protected"
kind = "ipsec"
path = "$fx/protected.json"
peers = ["10.0.1.10", "10.0.1.11"]

[[config]]
name = "fe-weak"
path = "$fx/weak.json"
peers = ["10.0.1.10", "10.0.1.11"]
TOML

"$pp" scan -i "$tmp/inventory.toml" -v --json "$tmp/all.json" >"$tmp/all.out" 2>&1
rc=$?
if [ "$rc" -eq 1 ]; then ok "the weak export fails the gate"; else bad "inventory scan: exit $rc, wanted 1"; head -30 "$tmp/all.out"; fi

line=$(grep -n '"InboundSecurity"' "$fx/weak.json" | head -1 | cut -d: -f1)
python3 - "$tmp/all.json" "$line" <<'PY' && ok "IPS-001 passes on the protected export and fails on the weak one, naming weak.json:$line" || bad "rule outcomes"
import json, sys
results = json.load(open(sys.argv[1]))["results"]
ips = {r["target"]: r for r in results if r["rule_id"] == "IPS-001"}
problems = []
if ips.get("fe-protected", {}).get("status") != "pass":
    problems.append("protected: %s" % ips.get("fe-protected"))
weak = ips.get("fe-weak", {})
if weak.get("status") != "fail":
    problems.append("weak: %s" % weak)
elif not any("weak.json:%s" % sys.argv[2] in e for e in weak.get("evidence", [])):
    problems.append("IPS-001 evidence lacks weak.json:%s: %s" % (sys.argv[2], weak.get("evidence")))
# IPS-002 (transport mode) judges the rule that protects the peers: transport mode on the
# protected export; on the weak one no rule requires IPsec, so there is no mode to judge.
mode = {r["target"]: r["status"] for r in results if r["rule_id"] == "IPS-002"}
if mode != {"fe-protected": "pass", "fe-weak": "skipped"}:
    problems.append("IPS-002: %s" % mode)
for r in results:
    if r["subject"].endswith(":IPSEC") and not r["rule_id"].startswith("IPS-") and r["status"] not in ("skipped",):
        problems.append("%s on %s: %s" % (r["rule_id"], r["subject"], r["status"]))
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
PY
grep -q "IPS-001" "$tmp/all.out" && grep -q "weak.json:$line" "$tmp/all.out" && ok "console names IPS-001 and weak.json:$line" \
  || { bad "console lacks IPS-001 at weak.json:$line"; grep -n "IPS-001" "$tmp/all.out" | head -5; }

"$pp" scan --config "ipsec:$fx/protected.json" --json "$tmp/nopeers.json" >"$tmp/nopeers.out" 2>&1
rc=$?
if [ "$rc" -ne 0 ] && python3 -c '
import json, sys
r = [x for x in json.load(open(sys.argv[1]))["results"] if x["rule_id"] == "IPS-001"]
sys.exit(0 if r and r[0]["status"] == "error" and "peers" in json.dumps(r[0]) else 1)' "$tmp/nopeers.json"; then
  ok "--config ipsec:FILE without peers: IPS-001 is an error saying to name them"
else
  bad "no peers: exit $rc"; head -10 "$tmp/nopeers.out"
fi

"$pp" scan --config "$fx/weak.json" --json "$tmp/guessed.json" >"$tmp/guessed.out" 2>&1
rc=$?
if grep -q '"IPS-001"' "$tmp/guessed.json" 2>/dev/null && ! grep -q "cannot tell what kind" "$tmp/guessed.out"; then
  ok "the kind is guessed from the content"
else
  bad "guessed kind: exit $rc"; head -10 "$tmp/guessed.out"
fi

printf '[\n  {"DisplayName": "fe-be",\n   "InboundSecurity": Require}\n]\n' > "$tmp/broken.json"
"$pp" scan --config "ipsec:$tmp/broken.json" >"$tmp/broken.out" 2>&1
rc=$?
if [ "$rc" -eq 3 ] && grep -q "broken.json:3:23: malformed JSON" "$tmp/broken.out"; then
  ok "malformed export: one positioned error, exit 3"
else
  bad "malformed export: exit $rc"; head -10 "$tmp/broken.out"
fi
printf '[{"Name": "Default Web Site", "Id": 1}]\n' > "$tmp/other.json"
"$pp" scan --config "ipsec:$tmp/other.json" >"$tmp/other.out" 2>&1
rc=$?
if [ "$rc" -eq 3 ] && grep -q "other.json:1:1: no IPsec rule in this file" "$tmp/other.out"; then
  ok "an export without IPsec rules: one clear error"
else
  bad "no rules: exit $rc"; head -10 "$tmp/other.out"
fi

# A rule narrowed to some protocols and ports does not protect the hop; netsh's text of the
# protected export's rules gives the protected export's verdicts, its kind guessed.
cat >"$tmp/more.toml" <<TOML
schema = 1

[[config]]
name = "fe-partial"
path = "$fx/partial.json"
peers = ["10.0.1.10", "10.0.1.11"]

[[config]]
name = "fe-netsh"
path = "$fx/protected-netsh.txt"
peers = ["10.0.1.10", "10.0.1.11"]
TOML
"$pp" scan -i "$tmp/more.toml" --json "$tmp/more.json" >"$tmp/more.out" 2>&1
pline=$(grep -n '"Protocol"' "$fx/partial.json" | head -1 | cut -d: -f1)
python3 - "$tmp/more.json" "$pline" <<'PY' && ok "IPS-001 fails the export narrowed to TCP ports (partial.json:$pline) and passes netsh's text" || bad "partial / netsh outcomes"
import json, sys
results = json.load(open(sys.argv[1]))["results"]
got = {(r["target"], r["rule_id"]): r for r in results if r["rule_id"].startswith("IPS-")}
problems = []
partial = got.get(("fe-partial", "IPS-001"), {})
if partial.get("status") != "fail" or not any("partial.json:%s" % sys.argv[2] in e for e in partial.get("evidence", [])):
    problems.append("partial: %s" % partial)
for rule in ("IPS-001", "IPS-002"):
    if got.get(("fe-netsh", rule), {}).get("status") != "pass":
        problems.append("netsh %s: %s" % (rule, got.get(("fe-netsh", rule))))
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
PY

printf 'Rule Name: fe-be\n---\nEnabled: Yes\nAction RequireInRequireOut\n' > "$tmp/broken.txt"
"$pp" scan --config "ipsec-netsh:$tmp/broken.txt" >"$tmp/broken-netsh.out" 2>&1
rc=$?
if [ "$rc" -eq 3 ] && grep -q "broken.txt:4:1: expected 'Field: value'" "$tmp/broken-netsh.out"; then
  ok "malformed netsh block: one positioned error, exit 3"
else
  bad "malformed netsh block: exit $rc"; head -10 "$tmp/broken-netsh.out"
fi

finish
