#!/usr/bin/env python3
"""The reports agree with the gate on the lab: for several --fail-on values, and with
--baseline/--fail-on-new, the JUnit failures plus errors equal the count the gate line states
and the exit code was decided on (and the gate computed here from the JSON report); the
Markdown summary states the same verdict and exit code; --junit-all-findings fails every fail
and error; the SARIF validates against the official SARIF 2.1.0 schema.

usage: lab_gate_test.py POLICYPROBE SOURCE_DIR LAB_DIR WORK_DIR
"""
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

pp, src, lab, work = sys.argv[1:5]
os.makedirs(work, exist_ok=True)
sys.path.insert(0, os.path.join(src, "tests", "reports"))
common = ["-i", os.path.join(lab, "inventory.toml"), "--ca-file", os.path.join(lab, "ca.pem"), "--timeout", "5", "-q"]
SEVERITIES = ["info", "low", "medium", "high", "critical"]
failures, passes = [], 0


def check(ok, what):
    global passes
    if ok:
        passes += 1
    else:
        failures.append(what)


def gate(report, fail_on, new_only=False):
    """README's gate, computed independently: (failing findings, undecided errors)."""
    findings = undecided = 0
    for r in report["results"]:
        if r["status"] == "error" and r["rule_id"] == "PROBE":
            undecided += 1
        elif r["status"] in ("fail", "error") and SEVERITIES.index(r["severity"]) >= SEVERITIES.index(fail_on) \
                and (not new_only or r.get("baseline") == "new"):
            findings += r["status"] == "fail"
            undecided += r["status"] == "error"
    return findings, undecided


def junit_failing(path):
    """failures + errors as the root attributes state them, and as the testcases show them."""
    root = ET.parse(path).getroot()
    stated = int(root.get("failures")) + int(root.get("errors"))
    shown = sum(1 for tc in root.iter("testcase") if tc.find("failure") is not None or tc.find("error") is not None)
    return stated, shown, sum(1 for _ in root.iter("testcase"))


def scan(name, extra):
    out = {k: os.path.join(work, f"{name}.{k}") for k in ("json", "xml", "md", "sarif")}
    p = subprocess.run([pp, "scan", *common, *extra, "--json", out["json"], "--junit", out["xml"],
                        "--markdown", out["md"], "--sarif", out["sarif"]], capture_output=True, text=True, timeout=900)
    m = re.search(r"gate: (\d+) findings? and (\d+) errors? at or above \w+.* -> exit (\d+)", p.stdout)
    if not m:
        failures.append(f"scan {name}: no gate line (exit {p.returncode}): {p.stdout[-500:]} {p.stderr[-500:]}")
        return None
    counted = int(m.group(1)) + int(m.group(2))
    check(int(m.group(3)) == p.returncode, f"scan {name}: gate line says exit {m.group(3)}, exited {p.returncode}")
    return p.returncode, counted, out, json.load(open(out["json"]))


def verdict_of(md_path):
    first = open(md_path, encoding="utf-8").readline()
    m = re.match(r"### policyprobe: gate (passed|failed|undecided), exit (\d)", first)
    return int(m.group(2)) if m else None


codes = set()
full = None
for sev in ("info", "low", "medium", "high", "critical"):
    got = scan(f"fail-on-{sev}", ["--fail-on", sev])
    if not got:
        continue
    code, counted, out, report = got
    full = full or report
    codes.add(code)
    f, u = gate(report, sev)
    check(counted == f + u, f"--fail-on {sev}: gate line counts {counted}, the JSON gives {f} + {u}")
    stated, shown, total = junit_failing(out["xml"])
    check(stated == shown == counted,
          f"--fail-on {sev}: JUnit failures+errors {stated} (testcases {shown}), the gate counted {counted}")
    check(total == len(report["results"]), f"--fail-on {sev}: {total} testcases for {len(report['results'])} results")
    check(verdict_of(out["md"]) == code, f"--fail-on {sev}: Markdown says exit {verdict_of(out['md'])}, the scan {code}")

# --junit-all-findings: every fail and error fails, whatever the gate says.
got = scan("all-findings", ["--fail-on", "critical", "--junit-all-findings"])
if got and full:
    stated, shown, _ = junit_failing(got[2]["xml"])
    everything = sum(1 for r in got[3]["results"] if r["status"] in ("fail", "error"))
    check(stated == shown == everything, f"--junit-all-findings: JUnit {stated}/{shown}, fail+error results {everything}")

# --baseline/--fail-on-new: a baseline without two failing rules makes their findings new.
if full:
    failing_rules = sorted({r["rule_id"] for r in full["results"] if r["status"] == "fail"})
    dropped = set(failing_rules[:2])
    base = dict(full)
    base["results"] = [r for r in full["results"] if r["rule_id"] not in dropped]
    base_path = os.path.join(work, "baseline.json")
    json.dump(base, open(base_path, "w"))
    for sev in ("info", "high"):
        got = scan(f"new-{sev}", ["--baseline", base_path, "--fail-on-new", "--fail-on", sev])
        if not got:
            continue
        code, counted, out, report = got
        f, u = gate(report, sev, new_only=True)
        new = [r for r in report["results"] if r.get("baseline") == "new"]
        check(new and {r["rule_id"] for r in new} <= dropped, f"--fail-on-new {sev}: new findings {len(new)} not from {dropped}")
        check(counted == f + u, f"--fail-on-new {sev}: gate line counts {counted}, the JSON gives {f} + {u}")
        stated, shown, _ = junit_failing(out["xml"])
        check(stated == shown == counted, f"--fail-on-new {sev}: JUnit failures+errors {stated}/{shown}, gate {counted}")
        md = open(out["md"], encoding="utf-8").read()
        check(verdict_of(out["md"]) == code and "#### New findings since the baseline:" in md,
              f"--fail-on-new {sev}: Markdown verdict {verdict_of(out['md'])} vs exit {code}")

check(len(codes) >= 1, "no scan ran")

# Every SARIF of the lab against the official schema.
try:
    import sarif_schema_test
    sarifs = sorted(os.path.join(work, f) for f in os.listdir(work) if f.endswith(".sarif"))
    problems = [p for s in sarifs for p in sarif_schema_test.problems(s)]
    check(sarifs and not problems, f"SARIF schema: {problems[:5]}")
except SystemExit:  # python3-jsonschema missing: reported, not failed
    print("python3-jsonschema is not installed: SARIF schema check skipped")

for f in failures:
    print("FAIL", f)
print(f"{passes} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
