#!/usr/bin/env bash
# SCHANNEL registry exports as targets: every schannel-config rule fails on the weak export
# and passes on the hardened one, the TLS protocol rule judges both like network endpoints,
# findings point at the export's line (console, JSON, SARIF), defaults need the Windows
# release, and a malformed export is one positioned error.
source "$(dirname "$0")/checks.sh" "$1" "$2" schannel

"$pp" scan --config "schannel@2016:$fx/weak.reg" -v --json "$tmp/weak.json" >"$tmp/weak.out" 2>&1
rc=$?
if [ "$rc" -eq 1 ]; then ok "weak export fails the gate"; else bad "weak export: exit $rc, wanted 1"; head -20 "$tmp/weak.out"; fi
"$pp" scan --config "schannel@2022:$fx/hardened.reg" --json "$tmp/hard.json" >"$tmp/hard.out" 2>&1
rc=$?
if [ "$rc" -eq 0 ]; then ok "hardened export passes the gate"; else bad "hardened export: exit $rc, wanted 0"; head -30 "$tmp/hard.out"; fi

python3 - "$tmp/weak.json" "$tmp/hard.json" <<'PY' && ok "each SCH rule and TLS-002 fail on weak.reg and pass on hardened.reg" || bad "SCH / TLS-002 statuses"
import json, sys
weak = json.load(open(sys.argv[1]))["results"]
hard = json.load(open(sys.argv[2]))["results"]
def status(results, rule):
    hits = [r for r in results if r["rule_id"] == rule and r["subject"].endswith(".reg:SCHANNEL")]
    assert len(hits) == 1, (rule, hits)
    return hits[0]["status"]
for rule in ["SCH-00%d" % i for i in range(1, 8)] + ["TLS-002"]:
    assert status(weak, rule) == "fail", (rule, status(weak, rule))
    assert status(hard, rule) == "pass", (rule, status(hard, rule))
# A rule on facts only a network scan observes is skipped on an export, never passed.
for results in (weak, hard):
    for r in results:
        if r["rule_id"] in ("TLS-008", "TLS-009", "CERT-001"):
            assert r["status"] in ("skipped",), r
tls = [r for r in weak if r["rule_id"] == "TLS-002"][0]
assert any("weak.reg:53:" in e for e in tls["evidence"]), tls["evidence"]
PY

grep -q "SCH-003" "$tmp/weak.out" && ok "console names SCH-003" || bad "console lacks SCH-003"
if grep -q "weak.reg:53:" "$tmp/weak.out"; then ok "console points at weak.reg:53 (TLS 1.0 Server Enabled)"; else bad "console lacks weak.reg:53"; fi

# SARIF: the RC4 finding points into the export at the line that leaves RC4 128/128 on.
rc4=$(python3 -c "
t=open('$fx/weak.reg','rb').read().decode('utf-16').splitlines()
i=[n for n,l in enumerate(t) if l.endswith('RC4 128/128]')][0]
print(i+2)")
(cd "$src" && "$pp" scan --config "schannel@2016:tests/fixtures/schannel/weak.reg" --sarif "$tmp/weak.sarif" -q >/dev/null 2>&1)
python3 - "$tmp/weak.sarif" "$rc4" <<'PY' && ok "SARIF: SCH-003 points at weak.reg:$rc4" || bad "SARIF location"
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
hits = [r for r in run["results"] if r["ruleId"] == "SCH-003"]
assert len(hits) == 1, hits
loc = hits[0]["locations"][0]["physicalLocation"]
assert loc["artifactLocation"]["uri"] == "tests/fixtures/schannel/weak.reg", loc
assert loc["region"]["startLine"] == int(sys.argv[2]), loc
PY

# No release named: facts that need a Windows default are unknown, and the message says why.
"$pp" scan --config "$fx/weak.reg" -v >"$tmp/unnamed.out" 2>&1
rc=$?
if [ "$rc" -ne 0 ] && grep -q "depends on the release" "$tmp/unnamed.out"; then
  ok "kind guessed; without a release, default-dependent facts are unknown and say to name it"
else
  bad "no release: exit $rc"; grep -n "TLS-002\|SCH-001" "$tmp/unnamed.out" | head -5
fi

# The inventory carries the release as windows = "...".
cat >"$tmp/inv.toml" <<TOML
schema = 1
[[config]]
name = "exch01-schannel"
path = "$fx/weak.reg"
windows = "2016"
TOML
"$pp" scan -i "$tmp/inv.toml" --json "$tmp/inv.json" >/dev/null 2>&1
python3 - "$tmp/inv.json" <<'PY' && ok "inventory [[config]] windows = \"2016\" judges like schannel@2016" || bad "inventory windows"
import json, sys
res = json.load(open(sys.argv[1]))["results"]
assert [r["status"] for r in res if r["rule_id"] == "TLS-002"] == ["fail"], res
PY
sed -i 's/windows = "2016"/windows = "2008"/' "$tmp/inv.toml"
"$pp" scan -i "$tmp/inv.toml" >"$tmp/badinv.out" 2>&1
rc=$?
if [ "$rc" -eq 2 ] && grep -q "inv.toml:5:[0-9]*: .*unknown Windows Server release '2008'" "$tmp/badinv.out"; then
  ok "an unknown release in the inventory is a positioned error"
else
  bad "unknown release: exit $rc"; head -5 "$tmp/badinv.out"
fi

printf 'Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.0\\Server]\r\n"Enabled"=dword:\r\n' \
  | iconv -f UTF-8 -t UTF-16LE >"$tmp/body" && { printf '\xff\xfe'; cat "$tmp/body"; } >"$tmp/broken.reg"
"$pp" scan --config "schannel@2019:$tmp/broken.reg" >"$tmp/broken.out" 2>&1
rc=$?
if [ "$rc" -eq 3 ] && grep -q "broken.reg:4:17: dword data needs 1 to 8 hex digits" "$tmp/broken.out"; then
  ok "malformed export: one positioned error, exit 3"
else
  bad "malformed export: exit $rc"; head -10 "$tmp/broken.out"
fi

finish
