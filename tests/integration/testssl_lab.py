"""What the lab tests that hold policyprobe to testssl.sh share: the arguments, the skips (exit
77, said on stdout) when testssl or a needed lab host is missing, and one scan of the lab."""
import json
import os
import shutil
import subprocess
import sys
import tomllib


def setup(hosts, missing_why):
    """(policyprobe, lab dir, work dir, inventory path, targets by name) from argv; skips
    without testssl or when the lab lacks one of `hosts` (`missing_why` says what was not started)."""
    pp, lab, work = sys.argv[1:4]
    if shutil.which("testssl") is None:
        print("SKIP: testssl (Debian package testssl.sh) is not installed")
        sys.exit(77)
    os.makedirs(work, exist_ok=True)
    inventory = os.path.join(lab, "inventory.toml")
    targets = {t["name"]: t for t in tomllib.load(open(inventory, "rb"))["target"]}
    missing = [h for h in hosts if h not in targets]
    if missing:
        print(f"SKIP: the lab has no {', '.join(missing)} ({missing_why})")
        sys.exit(77)
    return pp, lab, work, inventory, targets


def scan(pp, lab, inventory, report):
    """policyprobe's JSON report of the whole lab, written to `report`."""
    run = subprocess.run([pp, "scan", "-i", inventory, "--timeout", "5", "--json", report, "-q",
                          "--ca-file", os.path.join(lab, "ca.pem")], capture_output=True, text=True, timeout=1200)
    if run.returncode not in (0, 1, 3):
        print(run.stdout[-2000:], run.stderr[-2000:])
        sys.exit(f"scan exited {run.returncode}")
    return json.load(open(report))
