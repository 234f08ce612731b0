#!/usr/bin/env python3
"""Our grade per cipher suite (the JSON report's tls_grades) against nmap's ssl-enum-ciphers on
the lab's implicit-TLS endpoints. For every (endpoint, version, suite) both list, the grades
agree, or differ in one of the ways reports/README.md ("TLS grades") documents:

  cbc-or-no-fs  ours B, nmap A: a CBC suite, or one without forward secrecy. nmap grades
                these A when the key exchange is strong; we keep A for AEAD with forward
                secrecy.
  key-size      nmap lower than ours, and nmap's key exchange for the suite is under 2048
                bits ("rsa 1024", "dh 1024"): nmap folds the server's key size into each
                suite's grade; ours reads the suite alone (the certificate and DH rules judge
                the key sizes).
  certificate   nmap lower than ours, and nmap caps that version's grades for the
                certificate ("Insecure certificate signature (SHA1), score capped at F"):
                the certificate rules judge the certificate; a suite's grade is the suite's.

Anything else fails. The lab must also exercise A, C and F agreements, so the comparison
cannot pass by having compared nothing. Skips (77) when nmap is not installed.

usage: tls_grades_nmap_test.py POLICYPROBE LAB_DIR WORK_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

pp, lab, work = sys.argv[1:4]
if not shutil.which("nmap"):
    print("SKIP: nmap not installed (apt-get install nmap)")
    sys.exit(77)
os.makedirs(work, exist_ok=True)
IMPLICIT = ("https://", "ldaps://", "imaps://", "pop3s://", "smtps://", "nntps://")
GRADES = "ABCDEF"

report_path = os.path.join(work, "scan.json")
p = subprocess.run([pp, "scan", "-i", os.path.join(lab, "inventory.toml"), "--ca-file", os.path.join(lab, "ca.pem"),
                    "-q", "--json", report_path], capture_output=True, text=True, timeout=900)
if p.returncode not in (0, 1, 3) or not os.path.exists(report_path):
    print(f"scan failed (exit {p.returncode}): {p.stderr[-2000:]}")
    sys.exit(1)
report = json.load(open(report_path, encoding="utf-8"))

# host:port -> {version -> {suite -> grade}} for the implicit-TLS endpoints.
ours = {}
for e in report.get("tls_grades", []):
    if e["subject"].startswith(IMPLICIT):
        ours[e["subject"].split("://", 1)[1]] = e["versions"]
if not ours:
    print("no implicit-TLS endpoint with TLS grades in the report")
    sys.exit(1)

# The lab's names do not resolve: nmap connects to the inventory's host, port by port.
hosts = {}
for t in report.get("subjects", []):
    if t.get("kind") == "endpoint" and t.get("host"):
        hosts[f'{t.get("sni") or t["host"]}:{t["port"]}'] = t["host"]
by_addr = {}
for hp in ours:
    by_addr.setdefault(hosts.get(hp, "127.0.0.1"), []).append(hp)


def nmap_grades(addr, hostports):
    """{host:port -> {version -> {suite -> (grade, kex_info)}}} from one nmap run per address."""
    ports = sorted({hp.rsplit(":", 1)[1] for hp in hostports}, key=int)
    out = subprocess.run(["nmap", "-Pn", "-n", "--script", "ssl-enum-ciphers", "-p", ",".join(ports), addr, "-oX", "-"],
                         capture_output=True, text=True, timeout=600).stdout
    found = {}
    for port in ET.fromstring(out).iter("port"):
        script = port.find("script[@id='ssl-enum-ciphers']")
        if script is None:
            continue
        versions = {}
        for vt in script.findall("table"):
            ciphers = vt.find("table[@key='ciphers']")
            if ciphers is None:
                continue
            suites = {}
            for c in ciphers.findall("table"):
                f = {e.get("key"): e.text for e in c.findall("elem")}
                # nmap names the TLS 1.3 suites TLS_AKE_WITH_*; IANA (and we) TLS_*.
                suites[f["name"].replace("TLS_AKE_WITH_", "TLS_")] = (f.get("strength"), f.get("kex_info") or "")
            warnings = vt.find("table[@key='warnings']")
            caps = [w.text or "" for w in warnings.findall("elem")] if warnings is not None else []
            versions[vt.get("key")] = (suites, [w for w in caps if "certificate" in w and "capped" in w])
        for hp in hostports:
            if hp.rsplit(":", 1)[1] == port.get("portid"):
                found[hp] = versions
    return found


def kex_bits(kex_info):
    """The key size in nmap's "rsa 1024" / "dh 2048"; None for a named curve."""
    parts = kex_info.split()
    return int(parts[-1]) if len(parts) == 2 and parts[-1].isdigit() else None


def classify(suite, mine, theirs, kex_info, cert_caps):
    if mine == theirs:
        return "agree"
    if mine not in GRADES or theirs not in GRADES:
        return None
    fs = suite.startswith(("TLS_ECDHE_", "TLS_DHE_"))
    if mine == "B" and theirs == "A" and ("_CBC_" in suite or not fs):
        return "cbc-or-no-fs"
    bits = kex_bits(kex_info)
    if GRADES.index(theirs) > GRADES.index(mine) and bits is not None and bits < 2048:
        return "key-size"
    if GRADES.index(theirs) > GRADES.index(mine) and cert_caps:
        return "certificate"
    return None


counts, failures, agree_grades = {}, [], set()
for addr, hps in by_addr.items():
    theirs_all = nmap_grades(addr, hps)
    for hp in hps:
        for version, (suites, cert_caps) in theirs_all.get(hp, {}).items():
            mine_suites = ours[hp].get(version, {})
            for suite, (theirs, kex_info) in suites.items():
                if suite not in mine_suites:
                    continue  # which suites each tool finds is the benchmark's concern, not this test's
                mine = mine_suites[suite]
                kind = classify(suite, mine, theirs, kex_info, cert_caps)
                if kind is None:
                    failures.append(f"{hp} {version} {suite}: ours {mine}, nmap {theirs} ({kex_info})")
                    continue
                counts[kind] = counts.get(kind, 0) + 1
                if kind == "agree":
                    agree_grades.add(mine)

print(f"compared {sum(counts.values()) + len(failures)} (endpoint, version, suite) grades on {len(ours)} endpoints: "
      + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) + f", unexplained {len(failures)}")
print("grades both tools gave: " + "".join(sorted(agree_grades)))
missing = set("ACF") - agree_grades
if missing:
    failures.append(f"the lab should exercise grades {''.join(sorted(missing))} in agreement with nmap; it did not")
for f in failures[:40]:
    print("  MISMATCH " + f)
sys.exit(1 if failures else 0)
