#!/usr/bin/env python3
"""policyprobe's ROBOT and Ticketbleed verdicts against testssl.sh's, on the running lab.

testssl.sh (`testssl --robot --ticketbleed`) and policyprobe look at the same hosts: the
stand-ins that add each bug (legacy-robot, legacy-ticketbleed: ci/lab/legacy_tls_responder.py
--emulate-bigip) and real servers (nginx, gnutls-serv). For ROBOT, testssl's VULNERABLE must
be policyprobe's tls.robot = true, and "not vulnerable" or "no RSA key transport" its false or
absent. For Ticketbleed, testssl's verdict on each host is held to what the lab built, and
policyprobe's tls.ticketbleed to both (VULNERABLE = true, "not vulnerable" = false; never
unknown). Exit 77 (skipped, said on stdout) without testssl.

usage: lab_robot_test.py POLICYPROBE LAB_DIR WORK_DIR
"""
import os
import re
import subprocess
import sys

import testssl_lab

# host -> (ROBOT oracle, Ticketbleed) as built
HOSTS = {"legacy-robot": (True, False), "legacy-ticketbleed": (False, True), "legacy": (False, False),
         "legacy-rc4": (False, False), "hardened": (False, False)}
pp, lab, work, inventory, targets = testssl_lab.setup(HOSTS, "the legacy responder was not started")


def port_of(name):
    return int(targets[name]["services"][0].split(":")[1])


def testssl(name):
    """(robot verdict, ticketbleed verdict) lines of testssl on one host."""
    cmd = ["testssl", "--warnings", "off", "--color", "0", "--robot", "--ticketbleed", f"127.0.0.1:{port_of(name)}"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL).stdout
    robot = re.search(r"^ ROBOT\s+(.*)$", out, re.M)
    tb = re.search(r"^ Ticketbleed \(CVE-2016-9244\), experiment\.\s+(.*)$", out, re.M)
    return (robot.group(1).strip() if robot else "", tb.group(1).strip() if tb else "")


# One host at a time: testssl's ROBOT check adapts its wait to the first answer, and on a loaded
# machine a slower later answer reads as "Timeout waiting for alert", a false "weakly vulnerable".
peer = {host: testssl(host) for host in HOSTS}

report = testssl_lab.scan(pp, lab, inventory, os.path.join(work, "robot.json"))
facts = {(f["target"], f["name"]): f for f in report["facts"] if f["kind"] == "endpoint"}

def shown(f):
    return "no fact" if f is None else (f"{f['state']} {f.get('value')}" if f["state"] == "known" else f["state"])


failures = []
for host, (robot_built, tb_built) in HOSTS.items():
    robot_peer, tb_peer = peer[host]
    f = facts.get((host, "tls.robot"))
    ours = f and f["state"] == "known" and f["value"] is True
    tb = facts.get((host, "tls.ticketbleed"))
    peer_vulnerable = robot_peer.startswith("VULNERABLE")
    peer_clean = robot_peer.startswith("not vulnerable") or "no RSA key transport" in robot_peer or \
        "does not support any cipher suites that use RSA key transport" in robot_peer
    line = (f"{host}: ROBOT testssl '{robot_peer}', policyprobe tls.robot {shown(f)}; "
            f"Ticketbleed testssl '{tb_peer}', policyprobe tls.ticketbleed {shown(tb)}")
    print(line)
    if not (peer_vulnerable or peer_clean):
        failures.append(f"{host}: testssl gave no ROBOT verdict ('{robot_peer}')")
    elif peer_vulnerable != bool(ours):
        failures.append(f"{host}: ROBOT disagrees: {line}")
    if peer_vulnerable != robot_built:
        failures.append(f"{host}: testssl's ROBOT verdict is not what the lab built ({robot_built})")
    if f is not None and f["state"] == "unknown":
        failures.append(f"{host}: tls.robot unknown: {f.get('reason')}")
    tb_peer_vulnerable = tb_peer.startswith("VULNERABLE")
    if not (tb_peer_vulnerable or tb_peer.startswith("not vulnerable")):
        failures.append(f"{host}: testssl gave no Ticketbleed verdict ('{tb_peer}')")
    elif tb_peer_vulnerable != tb_built:
        failures.append(f"{host}: testssl's Ticketbleed verdict '{tb_peer}' is not what the lab built ({tb_built})")
    if tb is None or tb["state"] != "known":
        failures.append(f"{host}: tls.ticketbleed {shown(tb)}: {tb.get('reason') if tb else 'not in the report'}")
    elif tb["value"] is not tb_built or tb["value"] is not tb_peer_vulnerable:
        failures.append(f"{host}: Ticketbleed disagrees: {line}")

for f in failures:
    print("FAIL:", f)
print(f"{len(HOSTS) - len({f.split(':')[0] for f in failures})} of {len(HOSTS)} hosts agree")
sys.exit(1 if failures else 0)
