#!/usr/bin/env python3
"""Every shipped configuration rule fails on one fixture and passes on another.

The configuration rules are read from the rule files, not listed here: every rule of the packs
iis-config, schannel-config, exchange-config and ipsec-config, and every rule of another pack that
reads a fact only a configuration file gives (the names in scanner/sources/*fact_list.inc: the
config side of a network rule). Each fixture under tests/fixtures/{iis,exchange-json,schannel,ipsec}
is scanned as a configuration target (`scan -i` with one [[config]] entry per file); a rule with
no pass or no fail on any of them fails this test, so a new config rule needs fixture coverage.
Rules only the network judged elsewhere but that a fixture judges (through the http.* facts the
IIS reader sets) are listed for information.

usage: config_rule_coverage_test.py POLICYPROBE SOURCE_DIR WORK_DIR
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib

pp, src, work = sys.argv[1:4]
CONFIG_PACKS = {"iis-config", "schannel-config", "exchange-config", "ipsec-config"}
FX = os.path.join(src, "tests", "fixtures")
# Each fixture file as a [[config]] entry: (path, extra keys). The SCHANNEL exports name the
# Windows release whose defaults fill what they leave unset; the IPsec exports the back ends.
PEERS = 'peers = ["10.0.1.10", "10.0.1.11"]'
WINDOWS = {"weak.reg": 'windows = "2016"', "hardened.reg": 'windows = "2022"'}


def config_facts():
    """Names of the facts only configuration files give."""
    names = set()
    for inc in glob.glob(os.path.join(src, "scanner", "sources", "*fact_list.inc")):
        names |= set(re.findall(r'^\{"([a-z0-9_.]+)"', open(inc).read(), re.M))
    return names


def rule_facts(node, out):
    """Every fact name an assertion tree reads."""
    if isinstance(node, dict):
        if "fact" in node:
            out.add(node["fact"])
        for v in node.values():
            rule_facts(v, out)
    elif isinstance(node, list):
        for v in node:
            rule_facts(v, out)
    return out


def config_rules(only_config):
    rules = {}
    for pack in sorted(glob.glob(os.path.join(src, "rules", "packs", "*.toml"))):
        doc = tomllib.load(open(pack, "rb"))
        for r in doc.get("rule", []):
            read = rule_facts([r.get(k, []) for k in ("all", "any", "none")], set())
            if doc["pack"]["id"] in CONFIG_PACKS or read & only_config:
                rules[r["id"]] = os.path.basename(pack)
    return rules


def fixtures():
    out = []
    for f in sorted(glob.glob(os.path.join(FX, "iis", "*", "applicationHost.config"))):
        out.append((f, 'kind = "iis"'))
    for f in sorted(glob.glob(os.path.join(FX, "exchange-json", "*", "*.json"))):
        out.append((f, 'kind = "exchange"'))
    for f in sorted(glob.glob(os.path.join(FX, "schannel", "*.reg"))):
        out.append((f, 'kind = "schannel"\n' + WINDOWS.get(os.path.basename(f), 'windows = "2019"')))
    for f in sorted(glob.glob(os.path.join(FX, "ipsec", "*.json"))):
        out.append((f, 'kind = "ipsec"\n' + PEERS))
    for f in sorted(glob.glob(os.path.join(FX, "ipsec", "*.txt"))):
        out.append((f, 'kind = "ipsec-netsh"\n' + PEERS))
    return out


shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
only_config = config_facts()
wanted = config_rules(only_config)
if len(only_config) < 20 or len(wanted) < 10:
    print(f"FAIL: read {len(only_config)} configuration facts and {len(wanted)} configuration rules: the reading is broken")
    sys.exit(1)

seen = {}  # rule id -> {status: [fixture, ...]}
for path, keys in fixtures():
    name = os.path.relpath(path, FX)
    inventory = os.path.join(work, "inventory.toml")
    with open(inventory, "w") as f:
        f.write(f'schema = 1\n\n[[config]]\nname = "fixture"\npath = "{path}"\n{keys}\n')
    report = os.path.join(work, "report.json")
    p = subprocess.run([pp, "scan", "-i", inventory, "--json", report, "--quiet"], capture_output=True, text=True, timeout=300)
    if p.returncode not in (0, 1, 3):  # 3: the gate counted an error result, still a report
        print(f"FAIL: scanning {name} exited {p.returncode}: {p.stderr[-800:]}")
        sys.exit(1)
    for r in json.load(open(report))["results"]:
        seen.setdefault(r["rule_id"], {}).setdefault(r["status"], set()).add(name)

failures = []
for rule, pack in sorted(wanted.items()):
    got = seen.get(rule, {})
    fails, passes = sorted(got.get("fail", [])), sorted(got.get("pass", []))
    if fails and passes:
        print(f"ok   {rule} ({pack}) fails on {fails[0]}, passes on {passes[0]}")
    else:
        failures.append(rule)
        print(f"FAIL {rule} ({pack}): fails on {fails or 'no fixture'}, passes on {passes or 'no fixture'}")
for rule in sorted(set(seen) - set(wanted)):
    judged = {s: sorted(v) for s, v in seen[rule].items() if s in ("pass", "fail")}
    if judged:
        print(f"info {rule} is judged on fixtures through facts a network scan also gives: "
              + ", ".join(f"{s} on {len(v)}" for s, v in sorted(judged.items())))
print(f"{len(wanted)} configuration rules, {len(failures)} without a failing and a passing fixture")
sys.exit(1 if failures else 0)
