#!/usr/bin/env bash
# Exchange 2010 Client Access applicationHost.config as setup leaves it and as a current baseline
# hardens it: the rules that judge configured vdirs (iis-config, and the exchange-frontend and
# web-hardening rules whose facts the configuration fixes) fail the default layout on the vdirs
# named below, pass the hardened layout on the same vdirs, and the evidence names the line.
source "$(dirname "$0")/checks.sh" "$1" "$2" iis

default="$fx/exchange2010-cas/applicationHost.config"
hardened="$fx/exchange2010-cas-hardened/applicationHost.config"
# The line that decides extended protection on /EWS in the default layout.
line=$(grep -n -A12 'location path="Default Web Site/EWS"' "$default" | grep 'tokenChecking="None"' | head -1 | cut -d- -f1)
[ -n "$line" ] || bad "the default fixture has no tokenChecking=\"None\" under Default Web Site/EWS"

"$pp" scan --config "iis:$default" --json "$tmp/default.json" >"$tmp/default.out" 2>&1
rc=$?
if [ "$rc" -eq 1 ]; then ok "default 2010 layout fails the gate"; else bad "default 2010 layout: exit $rc, wanted 1"; head -20 "$tmp/default.out"; fi
"$pp" scan --config "iis:$hardened" --json "$tmp/hardened.json" >"$tmp/hardened.out" 2>&1
rc=$?
if [ "$rc" -eq 0 ]; then ok "hardened 2010 layout passes the gate"; else bad "hardened 2010 layout: exit $rc, wanted 0"; head -20 "$tmp/hardened.out"; fi

python3 - "$tmp/default.json" "$tmp/hardened.json" "$line" <<'PY'
import json, sys

# The rules whose facts an applicationHost.config fixes for a vdir (iis.*, and the http.* facts
# the config reader maps: Require SSL, Basic offered, redirect to HTTPS, HSTS).
JUDGED = ["IIS-001", "IIS-002", "EXF-002", "EXF-003", "WEB-004"]

# Read from the default fixture's XML:
#  - IIS-001: /OAB keeps sslFlags="None" (every other Exchange vdir has Ssl,Ssl128; /PowerShell,
#    on http for the Exchange Management Shell's Kerberos sessions, is not one IIS-001 selects).
#  - IIS-002: Windows authentication is on with tokenChecking="None" on /EWS, /Autodiscover, /rpc,
#    /OAB and /PowerShell; /owa, /ecp and ActiveSync have it off.
#  - EXF-003: on port 80, /OAB answers without Require SSL, and the legacy /Exchange, /Exchweb and
#    /Public redirect to the relative /owa (plain HTTP), not to https://.
#  - EXF-002: no vdir without Require SSL has Basic on, so it fails nowhere.
#  - WEB-004: no Strict-Transport-Security header anywhere: every vdir of the https site.
ALL_VDIRS = ["/", "/owa", "/ecp", "/Microsoft-Server-ActiveSync", "/EWS", "/Autodiscover", "/OAB",
             "/rpc", "/PowerShell", "/Exchange", "/Exchweb", "/Public"]
EXPECTED_DEFAULT = {("IIS-001", "/OAB")}
EXPECTED_DEFAULT |= {("IIS-002", v) for v in ["/EWS", "/Autodiscover", "/rpc", "/OAB", "/PowerShell"]}
EXPECTED_DEFAULT |= {("EXF-003", v) for v in ["/OAB", "/Exchange", "/Exchweb", "/Public"]}
EXPECTED_DEFAULT |= {("WEB-004", v) for v in ALL_VDIRS}
# The hardened layout leaves /PowerShell on http too (Require SSL there breaks the shell), and
# fails nothing.
EXPECTED_HARDENED = set()

def results(path):
    out = {}
    for r in json.load(open(path))["results"]:
        if r["rule_id"] not in JUDGED:
            continue
        site_path = r["subject"].rsplit("applicationHost.config:", 1)[1]
        vdir = "/" + site_path.split("/", 1)[1] if "/" in site_path else "/"
        out[(r["rule_id"], vdir)] = r
    return out

default, hardened = results(sys.argv[1]), results(sys.argv[2])
errors = []
def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        errors.append(what)

for name, got, want in [("default", default, EXPECTED_DEFAULT), ("hardened", hardened, EXPECTED_HARDENED)]:
    failing = {k for k, r in got.items() if r["status"] == "fail"}
    check(failing == want, "%s: the failing (rule, vdir) pairs are the expected ones%s" % (
        name, "" if failing == want else ": unexpected %s, missing %s" % (sorted(failing - want), sorted(want - failing))))
    odd = sorted(k for k, r in got.items() if r["status"] not in ("pass", "fail"))
    check(not odd, "%s: every judged rule gives pass or fail on its vdirs%s" % (name, "" if not odd else ": %s" % odd))
    check(set(v for (_, v) in got) == set(ALL_VDIRS), "%s: every vdir of the Default Web Site is a subject" % name)

fixed = sorted(EXPECTED_DEFAULT - EXPECTED_HARDENED)
not_fixed = [k for k in fixed if hardened.get(k, {}).get("status") != "pass"]
check(not not_fixed, "each default failure passes on the hardened vdir%s" % (
    "" if not not_fixed else ": %s" % not_fixed))
for rule in ["IIS-001", "IIS-002", "EXF-003", "WEB-004"]:
    flips = [v for (r, v) in fixed if r == rule and hardened.get((r, v), {}).get("status") == "pass"]
    check(bool(flips), "%s fails on the default and passes on the hardened layout on %s" % (rule, ", ".join(flips) or "no vdir"))
exf002 = [k for k in list(default) + list(hardened) if k[0] == "EXF-002"]
check(len(exf002) == 2 * len(ALL_VDIRS), "EXF-002 is judged on every vdir of both layouts")

ews = default.get(("IIS-002", "/EWS"))
want = "exchange2010-cas/applicationHost.config:%s:" % sys.argv[3]
check(ews is not None and any(want in e for e in ews["evidence"]),
      "IIS-002 on /EWS: the evidence names applicationHost.config:%s (tokenChecking=\"None\")%s" % (
          sys.argv[3], "" if ews is None else "" if any(want in e for e in ews["evidence"]) else ": %s" % ews["evidence"]))
sys.exit(1 if errors else 0)
PY
rc=$?
if [ "$rc" -eq 0 ]; then ok "JSON reports: verdicts and evidence as read from the XML"; else bad "JSON reports (see above)"; fi

finish
