#!/usr/bin/env python3
"""Heartbleed and CCS injection: policyprobe and nmap's own scripts agree on the lab.

The lab's unpatched-OpenSSL stand-ins (vuln-heartbleed, vuln-ccs: ci/lab/legacy_tls_responder.py
--emulate) and every real TLS server of the lab (nginx, gnutls-serv, dovecot, postfix, slapd, on
their implicit-TLS ports) are scanned by policyprobe and by nmap's ssl-heartbleed and
ssl-ccs-injection. Each verdict must match the lab's ground truth (a stand-in vulnerable to its
one bug, everything else not), nmap's wherever nmap reaches one, and policyprobe's always; the
connections each check cost are read from tls.connections.by_step (one each).

Skips (exit 77, saying so) when nmap is not installed.

usage: tls_vulns_nmap_test.py POLICYPROBE LAB_DIR WORK_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET

SCRIPTS = {"ssl-heartbleed": "tls.heartbleed", "ssl-ccs-injection": "tls.ccs_injection"}
STEPS = {"tls.heartbleed": "heartbleed", "tls.ccs_injection": "ccs_injection"}
# target -> which bug it has; every other listed target has neither.
VULNERABLE = {"vuln-heartbleed": {"tls.heartbleed"}, "vuln-ccs": {"tls.ccs_injection"}}
TARGETS = ["vuln-heartbleed", "vuln-ccs", "hardened", "legacy", "legacy-rc4", "mail-good-imap", "mail-good-smtp", "ldap"]
TLS_SCHEMES = {"https", "imaps", "pop3s", "smtps", "ldaps"}


def toml_value(v):
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(x)}" for k, x in v.items()) + " }"
    return json.dumps(v)


def trimmed_inventory(lab, path):
    """The lab's inventory cut to TARGETS and their implicit-TLS services."""
    inv = tomllib.load(open(os.path.join(lab, "inventory.toml"), "rb"))
    out = ["schema = 1"]
    found = []
    for t in inv.get("target", []):
        if t["name"] not in TARGETS:
            continue
        services = [s for s in t["services"] if s.split(":")[0] in TLS_SCHEMES]
        if not services:
            continue
        found.append(t["name"])
        out.append("[[target]]")
        for key in ("name", "host", "sni", "expected_names", "tags"):
            if key in t:
                out.append(f"{key} = {toml_value(t[key])}")
        out.append(f"services = {toml_value(services)}")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    return found


def nmap_verdicts(host, port):
    """{script: "VULNERABLE" | "NOT VULNERABLE" | None (no verdict)}, and nmap's words."""
    # '+' runs the scripts whatever nmap guesses the port to be (a lab port number may be
    # registered to another service); vulns.showall prints NOT VULNERABLE too.
    cmd = ["nmap", "-Pn", "-n", "-p", str(port), "--script", ",".join("+" + s for s in SCRIPTS),
           "--script-args", "vulns.showall", "-oX", "-", host]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    verdicts, words = {s: None for s in SCRIPTS}, {}
    root = ET.fromstring(proc.stdout)
    for script in root.iter("script"):
        sid = script.get("id")
        if sid not in SCRIPTS:
            continue
        words[sid] = " ".join((script.get("output") or "").split())[:160]
        for elem in script.iter("elem"):
            if elem.get("key") == "state":
                verdicts[sid] = elem.text
    return verdicts, words


def main():
    pp, lab, work = sys.argv[1:4]
    if shutil.which("nmap") is None:
        print("SKIP: nmap is not installed (ci/setup.sh installs it); no oracle to compare with")
        return 77
    os.makedirs(work, exist_ok=True)
    inventory = os.path.join(work, "tls-vulns.toml")
    found = trimmed_inventory(lab, inventory)
    failures, agreed, no_verdict = [], 0, []
    missing = [t for t in TARGETS if t not in found]
    if missing:
        failures.append(f"lab inventory lacks targets {missing}")
    out = os.path.join(work, "tls-vulns.json")
    proc = subprocess.run([pp, "scan", "-i", inventory, "--timeout", "5", "--json", out, "-q",
                           "--ca-file", os.path.join(lab, "ca.pem")], capture_output=True, text=True, timeout=600)
    if proc.returncode not in (0, 1, 3):
        print(proc.stderr[-2000:], file=sys.stderr)
        print(f"FAIL scan exited {proc.returncode}")
        return 1
    report = json.load(open(out))
    facts = {(f["subject"], f["name"]): f for f in report["facts"]}
    endpoints = [s for s in report["subjects"] if s["kind"] == "endpoint" and s["scheme"] in TLS_SCHEMES]

    for s in endpoints:
        verdicts, words = nmap_verdicts(s["host"], s["port"])
        steps = (facts.get((s["id"], "tls.connections.by_step")) or {}).get("value") or []
        for script, fact_name in SCRIPTS.items():
            label = f"{s['target']} {s['id']} {fact_name}"
            truth = fact_name in VULNERABLE.get(s["target"], set())
            f = facts.get((s["id"], fact_name))
            ours = f["value"] if f and f["state"] == "known" else None
            theirs = None if verdicts[script] is None else verdicts[script] == "VULNERABLE"
            print(f"{label}: policyprobe {ours} | nmap {verdicts[script] or 'no verdict: ' + words.get(script, 'no output')}"
                  f" | truth {truth}")
            if ours is None:
                failures.append(f"{label}: policyprobe did not observe it: {f and (f['state'], f.get('reason'))}")
            elif ours != truth:
                failures.append(f"{label}: policyprobe says {ours}, the lab is built to be {truth}: {f.get('evidence')}")
            if theirs is None:
                no_verdict.append(label)
                if s["target"] in VULNERABLE:
                    failures.append(f"{label}: nmap reached no verdict on a stand-in ({words.get(script)})")
            elif theirs != truth:
                failures.append(f"{label}: nmap says {verdicts[script]}, the lab is built to be {truth}")
            elif ours == theirs:
                agreed += 1
            want_step = f"{STEPS[fact_name]} 1"
            if want_step not in steps:
                failures.append(f"{label}: tls.connections.by_step {steps} lacks {want_step!r}")
    if no_verdict:
        print(f"nmap reached no verdict on {len(no_verdict)} (compared with the lab's truth only): {no_verdict}")
    if agreed < 2 * 5:
        failures.append(f"only {agreed} verdicts compared with nmap")
    for f in failures:
        print("FAIL", f)
    print(f"{agreed} verdicts agree with nmap on {len(endpoints)} endpoints, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
