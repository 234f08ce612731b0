#!/usr/bin/env python3
"""NTLM disclosure on the lab, and the lab expectations of optional rules.

--part nmap: policyprobe's ntlm.* facts of a vdir (read over TLS where offered there) against
  nmap's http-ntlm-info over TLS and over plain HTTP, which decodes the same
  CHALLENGE on its own. On legacy (ci/lab/legacy_iis.py answers the NTLM negotiate with a type 2
  built per MS-NLMP, over plain HTTP and through the nginx TLS proxy) every name and the
  version must be equal; on hardened (nginx: NTLM offered, the negotiate answered with the bare
  challenge again) nmap finds nothing and policyprobe reports no internal names. The same with
  smtp-ntlm-info, imap-ntlm-info and pop3-ntlm-info on mail-ntlm (ci/lab/mail_standin.py --mode
  smtp-ntlm / imap-ntlm / pop3-ntlm) and the mail.ntlm.* facts of each endpoint. Skips (exit 77,
  saying so) when nmap or one of its *-ntlm-info scripts is missing.
--part profiles: every tests/rules/lab_expect.toml entry that names a `profile` (a rule the
  default profile leaves out) holds in a lab scan with that profile.

usage: ntlm_lab_test.py --part nmap|profiles POLICYPROBE SOURCE_DIR LAB_DIR WORK_DIR
"""
import argparse
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET

# nmap's element key -> policyprobe's fact.
NMAP_KEYS = {
    "Target_Name": "ntlm.target_name",
    "NetBIOS_Domain_Name": "ntlm.netbios_domain",
    "NetBIOS_Computer_Name": "ntlm.netbios_computer",
    "DNS_Domain_Name": "ntlm.dns_domain",
    "DNS_Computer_Name": "ntlm.dns_computer",
    "DNS_Tree_Name": "ntlm.dns_tree",
    "Product_Version": "ntlm.os_version",
}
# (target, service): mail endpoints compared with nmap's smtp-ntlm-info.
MAIL_CHECKS = [("mail-ntlm", "smtp"), ("mail-ntlm", "imap"), ("mail-ntlm", "pop3")]
# (target, vdir, scheme): where nmap and policyprobe are compared.
CHECKS = [("legacy", "/EWS/Exchange.asmx", "https"), ("legacy", "/EWS/Exchange.asmx", "http"),
          ("legacy", "/oab", "http"), ("hardened", "/EWS/Exchange.asmx", "https")]


def scan(pp, lab, work, profile, name):
    out = os.path.join(work, name + ".json")
    cmd = [pp, "scan", "-i", os.path.join(lab, "inventory.toml"), "--profile", profile, "--timeout", "5",
           "--json", out, "-q", "--ca-file", os.path.join(lab, "ca.pem")]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    if proc.returncode not in (0, 1, 3):
        sys.exit(f"FAIL: {' '.join(cmd)} exited {proc.returncode}: {proc.stderr[-2000:]}")
    return json.load(open(out))


def nmap_script(port, script, args=(), tls=False):
    """{nmap key: value} that an *-ntlm-info script decoded (empty: no NTLM challenge)."""
    cmd = ["nmap", "-Pn", "-n", "-p", str(port), "--script", "+" + script, "-oX", "-", "127.0.0.1"]
    if args:
        cmd[-3:-3] = ["--script-args", ",".join(args)]
    if tls:  # nmap's http library speaks TLS only to a port its version scan found to be SSL
        cmd[1:1] = ["-sV", "--version-light"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    root = ET.fromstring(proc.stdout)
    for s in root.iter("script"):
        if s.get("id") == script:
            return {e.get("key"): e.text for e in s.iter("elem")}
    return {}


def compare(label, mine, prefix, theirs, failures):
    """Every field nmap printed against policyprobe's fact; returns how many were compared."""
    if not mine[prefix + "offered"].get("value"):
        failures.append(f"{label}: policyprobe says NTLM is not offered: {mine[prefix + 'offered']}")
    for key, fact in NMAP_KEYS.items():
        got = mine[prefix + fact[len("ntlm."):]]
        value = got.get("value") if got["state"] == "known" else None
        if value != theirs.get(key):
            failures.append(f"{label}: {prefix}{fact[5:]} = {value!r} ({got['state']}: {got.get('reason', '')}), "
                            f"nmap {key} = {theirs.get(key)!r}")
    names = mine[prefix + "internal_names"]
    want = sorted({v for k, v in theirs.items() if k != "Product_Version"}, key=str.lower)
    got_names = sorted(names.get("value") or [], key=str.lower)
    if names["state"] != "known" or [n.lower() for n in got_names] != [n.lower() for n in want]:
        failures.append(f"{label}: {prefix}internal_names {names}, nmap's names {want}")
    print(f"{label}: nmap {len(theirs)} fields, policyprobe names {got_names}")
    return len(NMAP_KEYS)


def part_nmap(pp, src, lab, work):
    if not shutil.which("nmap") or not any(
            all(os.path.exists(os.path.join(d, p + "-ntlm-info.nse")) for p in ("http", "smtp", "imap", "pop3"))
            for d in ("/usr/share/nmap/scripts", "/usr/local/share/nmap/scripts")):
        print("SKIP: nmap with its http-, smtp-, imap- and pop3-ntlm-info scripts is not installed")
        return 77
    inv = tomllib.load(open(os.path.join(lab, "inventory.toml"), "rb"))
    ports = {t["name"]: dict(s.split(":") for s in t["services"]) for t in inv["target"]}
    report = scan(pp, lab, work, "default", "ntlm-default")
    facts = {}
    for f in report["facts"]:
        if f["name"].startswith("ntlm."):
            facts.setdefault((f["target"], f["subject"].split("/", 1)[1]), {})[f["name"]] = f
    failures, compared = [], 0
    for target, vdir, scheme in CHECKS:
        mine = facts.get((target, vdir.lstrip("/")))
        label = f"{target} {scheme} {vdir}"
        if not mine:
            failures.append(f"{label}: policyprobe has no ntlm.* facts")
            continue
        theirs = nmap_script(ports[target][scheme], "http-ntlm-info", [f"http-ntlm-info.root={vdir}"],
                             scheme == "https")
        compared += compare(label, mine, "ntlm.", theirs, failures)
    for target, service in MAIL_CHECKS:
        mine = {f["name"]: f for f in report["facts"] if f["target"] == target and f["name"].startswith("mail.ntlm.")
                and f["subject"].startswith(service + "://")}
        label = f"{target} {service}"
        if not mine:
            failures.append(f"{label}: policyprobe has no mail.ntlm.* facts")
            continue
        theirs = nmap_script(ports[target][service], service + "-ntlm-info")
        compared += compare(label, mine, "mail.ntlm.", theirs, failures)
    for f in failures:
        print("FAIL:", f)
    print(f"{compared} fields compared with nmap's http-, smtp-, imap- and pop3-ntlm-info, {len(failures)} failures")
    return 1 if failures else 0


def part_profiles(pp, src, lab, work):
    expect = tomllib.load(open(os.path.join(src, "tests", "rules", "lab_expect.toml"), "rb"))["expect"]
    by_profile = {}
    for e in expect:
        if e.get("profile"):
            by_profile.setdefault(e["profile"], []).append(e)
    failures, passes = [], 0
    for profile, entries in sorted(by_profile.items()):
        results = scan(pp, lab, work, profile, "profile-" + profile)["results"]
        for e in entries:
            label = f"{e['rule']} ({profile}) on {e['target']} {e['subject']}"
            matched = [r for r in results if r["rule_id"] == e["rule"] and r["target"] == e["target"]
                       and fnmatch.fnmatchcase(r["subject"], e["subject"])]
            wrong = [r for r in matched if r["status"] != e["status"]]
            if not matched:
                failures.append(f"{label}: no result (wanted {e['status']})")
            elif wrong:
                failures.append(f"{label}: {wrong[0]['status']} on {wrong[0]['subject']}, wanted {e['status']}")
            else:
                passes += 1
    for f in failures:
        print("FAIL:", f)
    print(f"{passes} profile expectations held, {len(failures)} failed")
    return 1 if failures or not passes else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--part", choices=["nmap", "profiles"], required=True)
    ap.add_argument("pp")
    ap.add_argument("src")
    ap.add_argument("lab")
    ap.add_argument("work")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    run = part_nmap if a.part == "nmap" else part_profiles
    return run(a.pp, a.src, a.lab, a.work)


if __name__ == "__main__":
    sys.exit(main())
