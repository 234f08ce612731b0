#!/usr/bin/env python3
"""The systemd example works from its first night: the script its unit runs is run twice
against the lab in an empty working directory. The first run has no previous report (no
baseline, no diff) and points latest.json at the report it wrote; the second marks findings
against the first, writes the diff, and moves latest.json; a run that writes no report (a bad
inventory) leaves latest.json where it was.

usage: systemd_audit_test.py POLICYPROBE SOURCE_DIR LAB_DIR WORK_DIR
"""
import configparser
import json
import os
import shutil
import subprocess
import sys

pp, src, lab, work = (os.path.abspath(a) for a in sys.argv[1:5])
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
failures, passes = [], 0


def check(ok, what):
    global passes
    if ok:
        passes += 1
    else:
        failures.append(what)


# The script is the one the unit starts.
unit_dir = os.path.join(src, "ci", "examples", "systemd")
unit = configparser.ConfigParser(strict=False, interpolation=None)
unit.optionxform = str
unit.read(os.path.join(unit_dir, "policyprobe-audit.service"))
exec_start = unit["Service"]["ExecStart"].split()[0]
script = os.path.join(unit_dir, os.path.basename(exec_start))
check(os.access(script, os.X_OK), f"the unit's ExecStart {exec_start} is not an executable file beside the unit")
check(unit["Service"].get("WorkingDirectory") == "/var/lib/policyprobe" and unit["Service"].get("StateDirectory") == "policyprobe",
      "the unit's working directory is not its StateDirectory (created for the service user)")
check("1" in unit["Service"].get("SuccessExitStatus", "").split(), "exit 1 (findings) must not fail the unit")

env = dict(os.environ, POLICYPROBE=pp, AUDIT_INVENTORY=os.path.join(lab, "inventory.toml"),
           AUDIT_WAIVERS=os.path.join(work, "no-waivers.toml"),
           AUDIT_SCAN_ARGS=f"--ca-file {os.path.join(lab, 'ca.pem')} --timeout 5 --profile intermediate")


def run(extra_env=None):
    p = subprocess.run(["sh", script], cwd=work, env=dict(env, **(extra_env or {})), capture_output=True, text=True,
                       timeout=900)
    return p


def latest():
    link = os.path.join(work, "latest.json")
    return os.readlink(link) if os.path.islink(link) else None


def runs(ext):
    d = os.path.join(work, "runs")
    return sorted(f for f in os.listdir(d) if f.endswith(ext)) if os.path.isdir(d) else []


# Night 1: nothing before it.
p = run()
check(p.returncode in (0, 1, 3), f"first run exited {p.returncode}: {p.stderr[-800:]}")
first = runs(".json")
check(len(first) == 1 and latest() == f"runs/{first[0]}" if first else False,
      f"first run: reports {first}, latest.json -> {latest()}")
check(not runs(".diff.txt"), "first run wrote a diff without a previous run")
check(len(runs(".md")) == 1 and len(runs(".html")) == 1 and len(runs(".xml")) == 1, "first run: markdown/html/junit missing")
if first:
    r1 = json.load(open(os.path.join(work, "runs", first[0])))
    check(not any(r.get("baseline") for r in r1["results"]), "first run has baseline marks without a baseline")

# Night 2: against night 1.
p = run()
check(p.returncode in (0, 1, 3), f"second run exited {p.returncode}: {p.stderr[-800:]}")
second = runs(".json")
check(len(second) == 2, f"second run: reports {second}")
if len(second) == 2:
    newest = [f for f in second if f not in first][0]
    check(latest() == f"runs/{newest}", f"latest.json -> {latest()}, wanted runs/{newest}")
    diffs = runs(".diff.txt")
    check(len(diffs) == 1 and "new findings: 0" in open(os.path.join(work, "runs", diffs[0])).read(),
          f"second run: diff files {diffs}, wanted one saying no new findings")
    r2 = json.load(open(os.path.join(work, "runs", newest)))
    marks = {r.get("baseline") for r in r2["results"] if r["status"] in ("fail", "error")}
    check("unchanged" in marks and "new" not in marks, f"second run's findings against the first: {marks}")

# A run that cannot scan writes no report and keeps latest.json.
before = latest()
p = run({"AUDIT_INVENTORY": os.path.join(work, "missing.toml")})
check(p.returncode == 2 and latest() == before and os.path.exists(os.path.join(work, "latest.json")),
      f"failed run: exit {p.returncode}, latest.json -> {latest()} (was {before})")

for f in failures:
    print("FAIL", f)
print(f"{passes} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
