#!/usr/bin/env python3
"""The vulnerability verdicts derived from what a server accepts, against testssl.sh's.

POODLE, SWEET32, BEAST, LUCKY13, FREAK, Logjam and DROWN cost policyprobe no connection of
their own: rules TLS-017..TLS-023 judge the protocols and suites the enumeration found. testssl
(`-p -O -W -A -L -F -J -D`, JSON output) runs its own checks on the same lab hosts: the real
servers (nginx with a hardened and a legacy configuration, gnutls-serv with RC4 and 3DES) and
the scripted responders that stand in for what no Debian server still serves (SSLv3 with
EXPORT suites, SSLv2). testssl's severity decides its verdict: OK is not vulnerable, LOW and
above is vulnerable (LUCKY13's "potentially vulnerable" and SWEET32's "uses 64 bit block
ciphers" are LOW); INFO or WARN (an experimental check giving up) is listed and not counted. The
rule must have been judged (pass, fail or skipped) and fail exactly where testssl says
vulnerable, with one deliberate difference of scope: testssl counts SSLv2's EXPORT and 64-bit
ciphers under FREAK and SWEET32, while TLS-018 and TLS-021 judge SSL 3.0 to TLS 1.2 (FREAK is
the RSA_EXPORT downgrade of that handshake) and SSLv2 is judged by DROWN (TLS-023) and TLS-001;
on an SSLv2-only host those two pairs must instead show TLS-023 failing. Exit 77 (skipped, said
on stdout) without testssl.

usage: lab_derived_testssl_test.py POLICYPROBE LAB_DIR WORK_DIR
"""
import json
import os
import subprocess
import sys

import testssl_lab

HOSTS = ["hardened", "legacy", "legacy-rc4", "legacy-ssl", "legacy-ssl2"]
pp, lab, work, inventory, targets = testssl_lab.setup(
    HOSTS, "the legacy responder or gnutls-serv was not started")
# testssl's finding id -> the rule that judges the same weakness
CHECKS = {"POODLE_SSL": "TLS-017", "SWEET32": "TLS-018", "BEAST": "TLS-019", "LUCKY13": "TLS-020",
          "FREAK": "TLS-021", "LOGJAM": "TLS-022", "DROWN": "TLS-023"}


PROTOCOLS = ["SSLv2", "SSLv3", "TLS1", "TLS1_1", "TLS1_2", "TLS1_3"]  # testssl -p's ids


def port_of(name):
    return int(next(s for s in targets[name]["services"] if s.startswith("https:")).split(":")[1])


def testssl(name):
    """(severity, finding text) per check id on one host."""
    out = os.path.join(work, f"testssl-{name}.json")
    if os.path.exists(out):
        os.remove(out)
    cmd = ["testssl", "--warnings", "off", "--color", "0", "--jsonfile", out, "-p", "-O", "-W", "-A", "-L", "-F",
           "-J", "-D", f"127.0.0.1:{port_of(name)}"]
    subprocess.run(cmd, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    found = {}
    for entry in json.load(open(out)) if os.path.exists(out) else []:
        if entry.get("id") in CHECKS or entry.get("id") in PROTOCOLS:
            found[entry["id"]] = (entry.get("severity", ""), entry.get("finding", ""))
    return found


# One host at a time: testssl's timing-based answers read a loaded machine as a verdict.
peer = {host: testssl(host) for host in HOSTS}

verdicts = {}
for r in testssl_lab.scan(pp, lab, inventory, os.path.join(work, "derived.json"))["results"]:
    if r["rule_id"] in CHECKS.values() and r["subject"].startswith("https://") and r["target"] in HOSTS:
        verdicts[(r["target"], r["rule_id"])] = r

SSLV2_SCOPE = {"FREAK", "SWEET32"}  # judged by TLS-023 on an SSLv2-only host (see above)
VULNERABLE = {"LOW", "MEDIUM", "HIGH", "CRITICAL"}


def sslv2_only(host):
    """testssl -p found SSLv2 offered ("vulnerable with N ciphers") and every later version not."""
    offered = {p for p in PROTOCOLS if p in peer[host] and not peer[host][p][1].startswith("not offered")}
    return offered == {"SSLv2"}


failures, compared, undecided, scoped = [], 0, [], 0
for host in HOSTS:
    for check, rule in CHECKS.items():
        severity, finding = peer[host].get(check, (None, None))
        r = verdicts.get((host, rule))
        ours = r["status"] if r else "no result"
        line = f"{host} {check}: testssl {severity} '{finding}', policyprobe {rule} {ours}"
        print(line)
        if r is None or ours not in ("pass", "fail", "skipped"):
            failures.append(f"{line} ({r['message'] if r else 'not in the report'})")
            continue
        if severity is None:
            failures.append(f"{host}: testssl reported no {check} finding")
            continue
        if severity == "OK":
            peer_vulnerable = False
        elif severity in VULNERABLE:
            peer_vulnerable = True
        else:
            undecided.append(line)
            continue
        if peer_vulnerable and ours != "fail" and check in SSLV2_SCOPE and sslv2_only(host):
            drown = verdicts.get((host, "TLS-023"))
            if drown and drown["status"] == "fail":
                scoped += 1
                print(f"  scope: SSLv2's ciphers, judged by TLS-023 (fail) on {host}")
                continue
        compared += 1
        if peer_vulnerable != (ours == "fail"):
            failures.append(f"disagree: {line}")

for u in undecided:
    print("not compared (testssl undecided):", u)
for f in failures:
    print("FAIL:", f)
print(f"{compared} (host, check) pairs compared, {scoped} judged under DROWN instead, {len(failures)} failures, "
      f"{len(undecided)} undecided by testssl")
if compared < len(HOSTS) * len(CHECKS) // 2:
    print("FAIL: fewer than half of the pairs could be compared")
    sys.exit(1)
sys.exit(1 if failures else 0)
