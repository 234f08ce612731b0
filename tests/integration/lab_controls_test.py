#!/usr/bin/env python3
"""A lab scan grouped by framework: controls that pass, fail and are not evidenced.

Scans four lab hosts (hardened, tls-stapled, legacy, cert-expired) with
`--framework nist-sp-800-52r2 --controls` and holds the control verdicts to what those hosts
are built to show:
- 3.7 (compression) passes: no host compresses;
- 3.1 (protocol versions) fails, naming TLS-001/TLS-002 on legacy and no other host;
- 3.2 (keys and certificates) fails with CERT-002 on cert-expired;
- 3.5 (client authentication) is not evidenced: no shipped rule covers it;
- only rules that evidence the framework ran, the JSON carries the mapping, the console prints
  the control summary, and the HTML report has its controls view.

usage: lab_controls_test.py POLICYPROBE LAB_DIR WORK_DIR
"""
import json
import os
import subprocess
import sys

pp, lab, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
KEEP = {"hardened", "tls-stapled", "legacy", "cert-expired"}

# The lab inventory, cut down to KEEP: blocks start at [[target]] lines.
text = open(os.path.join(lab, "inventory.toml")).read()
head, *blocks = text.split("[[target]]\n")
kept = [b for b in blocks if any(f'name = "{n}"\n' in b.split("\n", 1)[0] + "\n" for n in KEEP)]
inventory = os.path.join(work, "inventory.toml")
with open(inventory, "w") as f:
    f.write(head + "".join("[[target]]\n" + b for b in kept))

out_json, out_html = os.path.join(work, "controls.json"), os.path.join(work, "controls.html")
cmd = [pp, "scan", "-i", inventory, "--ca-file", os.path.join(lab, "ca.pem"), "--timeout", "5",
       "--framework", "nist-sp-800-52r2", "--controls", "--json", out_json, "--html", out_html]
proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
print(proc.stdout[-6000:])
print(proc.stderr[-2000:], file=sys.stderr)
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


check(len(kept) == len(KEEP), f"inventory cut to {len(kept)} targets, wanted {len(KEEP)}")
check(proc.returncode == 1, f"scan exited {proc.returncode}, wanted 1 (findings)")
report = json.load(open(out_json))
check(report["schema_version"] == 2, f"schema_version {report['schema_version']}")
controls = report.get("controls", {})
frameworks = controls.get("frameworks", [])
check([f["id"] for f in frameworks] == ["nist-sp-800-52r2"], f"frameworks {[f['id'] for f in frameworks]}")
verdicts = {c["id"]: c for f in frameworks for c in f["controls"]}

# Only rules that evidence the framework were selected, and each is in the mapping.
mapping = controls.get("rules", {})
rules_run = {r["rule_id"] for r in report["results"] if r["rule_id"] != "PROBE"}
check(rules_run and rules_run <= set(mapping), f"rules outside the mapping ran: {sorted(rules_run - set(mapping))}")
check(all(any(c.startswith("nist-sp-800-52r2:") for c in cs) for cs in mapping.values()), "mapping names other frameworks")


def status(cid):
    return verdicts.get(cid, {}).get("status")


check(status("3.7") == "pass", f"3.7 is {status('3.7')}, wanted pass")
check(verdicts.get("3.7", {}).get("passed", 0) >= 4, "3.7 passed on fewer than 4 endpoints")
check(status("3.1") == "fail", f"3.1 is {status('3.1')}, wanted fail")
failing_31 = verdicts.get("3.1", {}).get("failing", [])
check(failing_31 and all("legacy.lab.test" in f["subject"] for f in failing_31),
      f"3.1 failing subjects: {[f['subject'] for f in failing_31]}")
check({f["rule"] for f in failing_31} >= {"TLS-002"}, f"3.1 failing rules: {sorted({f['rule'] for f in failing_31})}")
check(status("3.2") == "fail", f"3.2 is {status('3.2')}, wanted fail")
check(any(f["rule"] == "CERT-002" and "expired" in f["subject"] for f in verdicts.get("3.2", {}).get("failing", [])),
      "3.2 does not name CERT-002 on the expired certificate")
check(status("3.5") == "not evidenced", f"3.5 is {status('3.5')}, wanted not evidenced")
check(verdicts.get("3.5", {}).get("rules") == [], "3.5 names rules")
summary = frameworks[0]["summary"] if frameworks else {}
check(summary.get("pass", 0) >= 1 and summary.get("fail", 0) >= 1 and summary.get("not evidenced", 0) >= 1,
      f"summary {summary}")

# The console's control summary and the HTML controls view.
check("Controls of nist-sp-800-52r2" in proc.stdout, "no control summary on the console")
check("  PASS          3.7 " in proc.stdout, "console lacks the passing 3.7 line")
check("  FAIL          3.1 " in proc.stdout, "console lacks the failing 3.1 line")
check("  NOT EVIDENCED 3.5 " in proc.stdout, "console lacks the not-evidenced 3.5 line")
html = open(out_html).read()
check('id="by-control"' in html and 'data-framework="nist-sp-800-52r2"' in html, "HTML has no controls view")

# `rules list --framework` lists the same rules a --framework scan selects (and their controls).
listed = subprocess.run([pp, "rules", "list", "--framework", "nist-sp-800-52r2"], capture_output=True, text=True)
listed_ids = {line.split()[0] for line in listed.stdout.splitlines() if line[:1].isalpha() and " rules" not in line}
check(listed.returncode == 0 and rules_run <= listed_ids, f"rules list --framework: {sorted(listed_ids)}")
check("evidences nist-sp-800-52r2:3.1" in listed.stdout, "rules list --framework does not show the controls")

print(f"controls: {summary}; rules run {len(rules_run)}")
if failures:
    print("FAILED:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("ok")
