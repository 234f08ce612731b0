#!/usr/bin/env python3
"""Scheduled-audit round trips on the lab: the union of N shards equals one full scan,
`merge` of the shards gives the same result set and, with --fail-on, the same exit code, an
incomplete shard set is refused without --allow-partial, and `diff` of a scan against itself
finds nothing new.

usage: shard_merge_test.py POLICYPROBE LAB_DIR WORK_DIR
"""
import json
import os
import subprocess
import sys

pp, lab, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
inv = os.path.join(lab, "inventory.toml")
common = ["-i", inv, "--ca-file", os.path.join(lab, "ca.pem"), "--profile", "intermediate", "--timeout", "5", "--quiet"]
failures, passes = [], 0


exit_codes = {}


def scan(extra, out):
    p = subprocess.run([pp, "scan", *common, *extra, "--json", out], capture_output=True, text=True, timeout=900)
    if p.returncode not in (0, 1, 3):
        failures.append(f"scan {extra} exited {p.returncode}: {p.stderr[-500:]}")
    exit_codes[out] = p.returncode
    return json.load(open(out))


SEVERITIES = ["info", "low", "medium", "high", "critical"]


def gate_exit(report, fail_on, new_only=False):
    """The exit code README's gate gives a report, computed here independently."""
    findings = undecided = 0
    for r in report["results"]:
        if r["status"] == "error" and r["rule_id"] == "PROBE":
            undecided += 1
        elif r["status"] in ("fail", "error") and SEVERITIES.index(r["severity"]) >= SEVERITIES.index(fail_on) \
                and (not new_only or r.get("baseline") == "new"):
            findings += r["status"] == "fail"
            undecided += r["status"] == "error"
    return 1 if findings else 3 if undecided else 0


def keyset(report):
    return {(r["target"], r["subject"], r["rule_id"], r["status"]) for r in report["results"]}


full = scan([], os.path.join(work, "full.json"))
n = 3
shards = [scan(["--shard", f"{k}/{n}"], os.path.join(work, f"shard{k}.json")) for k in range(1, n + 1)]
targets = [set(s["targets"]) for s in shards]
if set().union(*targets) != set(full["targets"]) or sum(len(t) for t in targets) != len(full["targets"]):
    failures.append(f"shards do not partition the targets: {targets} vs {full['targets']}")
else:
    passes += 1
union = set().union(*(keyset(s) for s in shards))
if union != keyset(full):
    diff = sorted(union ^ keyset(full))[:10]
    failures.append(f"union of shards != full scan; first differences: {diff}")
else:
    passes += 1

merged_path = os.path.join(work, "merged.json")
p = subprocess.run([pp, "merge", *[os.path.join(work, f"shard{k}.json") for k in range(1, n + 1)],
                    "--json", merged_path, "--html", os.path.join(work, "merged.html")], capture_output=True, text=True)
if p.returncode != 0:
    failures.append(f"merge exited {p.returncode}: {p.stderr}")
else:
    merged = json.load(open(merged_path))
    if keyset(merged) != keyset(full):
        failures.append("merged shards != full scan")
    else:
        passes += 1

# A merge gates like the single scan: the same exit code for every --fail-on.
shard_paths = [os.path.join(work, f"shard{k}.json") for k in range(1, n + 1)]
p = subprocess.run([pp, "merge", *shard_paths, "--fail-on", "high", "--json", os.path.join(work, "gated.json")],
                   capture_output=True, text=True)
if p.returncode != exit_codes[os.path.join(work, "full.json")]:
    failures.append(f"merge --fail-on high exited {p.returncode}, the full scan {exit_codes[os.path.join(work, 'full.json')]}")
else:
    passes += 1
for sev in SEVERITIES:
    p = subprocess.run([pp, "merge", *shard_paths, "--fail-on", sev, "--json", os.path.join(work, "gated.json")],
                       capture_output=True, text=True)
    if p.returncode != gate_exit(full, sev) or "gate:" not in p.stdout:
        failures.append(f"merge --fail-on {sev} exited {p.returncode}, the gate of the full scan gives {gate_exit(full, sev)}")
    else:
        passes += 1

# An incomplete shard set is refused unless --allow-partial, which records what is missing.
partial = os.path.join(work, "partial.json")
if os.path.exists(partial):
    os.remove(partial)  # left by an earlier run: the refusal must not write one
p = subprocess.run([pp, "merge", shard_paths[0], shard_paths[2], "--json", partial], capture_output=True, text=True)
if p.returncode != 2 or f"missing 2/{n}" not in p.stderr or os.path.exists(partial):
    failures.append(f"merge of shards 1 and 3 of {n}: exit {p.returncode}, {p.stderr.strip()!r} (wanted 2, 'missing 2/{n}')")
else:
    passes += 1
p = subprocess.run([pp, "merge", shard_paths[0], shard_paths[2], "--allow-partial", "--json", partial],
                   capture_output=True, text=True)
if p.returncode != 0 or json.load(open(partial))["metadata"].get("shards_missing") != f"2/{n}":
    failures.append(f"merge --allow-partial: exit {p.returncode}, {p.stderr.strip()!r}")
else:
    passes += 1

p = subprocess.run([pp, "diff", os.path.join(work, "full.json"), merged_path], capture_output=True, text=True)
if p.returncode != 0:
    failures.append(f"diff of equal result sets exited {p.returncode} (wanted 0: nothing new): {p.stdout[-800:]}")
else:
    passes += 1

# --baseline: against itself nothing is new, so --fail-on-new passes the gate (exit 0 or 3).
p = subprocess.run([pp, "scan", *common, "--baseline", os.path.join(work, "full.json"), "--fail-on-new",
                    "--fail-on", "info", "--json", os.path.join(work, "again.json")], capture_output=True, text=True,
                   timeout=900)
again = json.load(open(os.path.join(work, "again.json")))
new = [r for r in again["results"] if r.get("baseline") == "new"]
if p.returncode == 1 or new:
    failures.append(f"re-scan against its own baseline found new findings: {[(r['rule_id'], r['subject']) for r in new][:5]}")
else:
    passes += 1

for f in failures:
    print("FAIL", f)
print(f"{passes} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
