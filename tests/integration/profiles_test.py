#!/usr/bin/env python3
"""Same server, same verdict: the lab scanned once per shipped profile. For every
(rule, subject) that two profiles both evaluate with the same parameters, the status must be
identical. A rule that a profile overrides with other parameters (rules/profiles/*.toml,
[profile.overrides] with params) is compared only between profiles that leave it alike.
Also: the lab's errors are a handful of distinct causes, each a PROBE error in words.

usage: profiles_test.py POLICYPROBE SOURCE_DIR LAB_DIR WORK_DIR
"""
import itertools
import json
import os
import subprocess
import sys
import tomllib

pp, src, lab, work = sys.argv[1:5]
os.makedirs(work, exist_ok=True)
inv = os.path.join(lab, "inventory.toml")
failures, passes = [], 0

profiles = {}
pdir = os.path.join(src, "rules", "profiles")
for name in sorted(os.listdir(pdir)):
    if name.endswith(".toml"):
        with open(os.path.join(pdir, name), "rb") as f:
            p = tomllib.load(f)["profile"]
        # Parameters each profile sets per rule: the rule's effective parameters differ from the
        # pack's only there.
        profiles[p["name"]] = {rid: json.dumps(o.get("params", {}), sort_keys=True)
                               for rid, o in p.get("overrides", {}).items()}
if len(profiles) < 2:
    print(f"SKIP: fewer than two profiles in {pdir}")
    sys.exit(77)

statuses = {}
for name in profiles:
    out = os.path.join(work, f"{name}.json")
    p = subprocess.run([pp, "scan", "-i", inv, "--ca-file", os.path.join(lab, "ca.pem"), "--profile", name,
                        "--quiet", "--json", out], capture_output=True, text=True, timeout=900)
    if p.returncode not in (0, 1, 3):
        failures.append(f"--profile {name} exited {p.returncode}: {p.stderr[-500:]}")
        continue
    report = json.load(open(out))
    statuses[name] = {(r["rule_id"], r["subject"]): r for r in report["results"]}
    errors = [r for r in report["results"] if r["status"] == "error"]
    causes = {(r["subject"], r["message"]) for r in errors}
    # Each remaining error is one cause; the lab has a couple of endpoints no TLS 1.0+ client
    # can talk to (SSLv3 / SSLv2 only), nothing else should be undecidable.
    if len(causes) > 4:
        failures.append(f"--profile {name}: {len(causes)} distinct errors, expected a handful: "
                        + "; ".join(sorted(f"{s}: {m[:80]}" for s, m in causes)[:8]))
    else:
        passes += 1
    for r in errors:
        if "error:0A" in r["message"] or r["message"].startswith("cannot judge"):
            failures.append(f"--profile {name}: error not in words: {r['rule_id']} {r['subject']}: {r['message'][:120]}")
            break
    for r in report["results"]:
        if r["status"] in ("error", "blocked", "skipped") and r.get("remediation"):
            failures.append(f"--profile {name}: remediation on a {r['status']} result: {r['rule_id']} {r['subject']}")
            break

compared = 0
for a, b in itertools.combinations(statuses, 2):
    for key in statuses[a].keys() & statuses[b].keys():
        rule = key[0]
        if profiles[a].get(rule, "{}") != profiles[b].get(rule, "{}"):
            continue  # other parameters: other verdicts are allowed
        sa, sb = statuses[a][key]["status"], statuses[b][key]["status"]
        compared += 1
        if sa != sb:
            failures.append(f"{key[0]} {key[1]}: {sa} under {a}, {sb} under {b}")
if compared == 0:
    failures.append("no (rule, subject) was evaluated by two profiles: nothing was compared")
else:
    passes += 1

for f in failures[:40]:
    print("FAIL", f)
print(f"{passes} passed, {len(failures)} failed ({compared} shared results compared across {len(statuses)} profiles)")
sys.exit(1 if failures else 0)
