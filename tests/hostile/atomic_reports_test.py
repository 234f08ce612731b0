#!/usr/bin/env python3
"""Reports are written atomically: a scan killed with SIGKILL leaves the previous reports.

1. A scan of a healthy server writes JSON, JUnit, HTML and SARIF.
2. A slow scan (a server that never answers, long --timeout) to the same paths is killed
   mid-way: every report must be byte-identical to step 1.
3. The window that matters is the write itself, so the quick scan is run again and again and
   killed at delays spread over its whole run time (some land while reports are written):
   each report must then be either the old one byte for byte or a complete new one, never
   half of one.
4. Temp files (`<path>.tmp.XXXXXX`): a kill between create and rename leaves one, which no
   writer can prevent, so a later complete scan writing the same report must sweep stale ones
   (older than ten minutes: a younger one may be a concurrent writer's); a planted hour-old
   temp file makes that check deterministic.

usage: atomic_reports_test.py POLICYPROBE WORKDIR
"""
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hostile_servers  # noqa: E402

KINDS = ("json", "junit", "html", "sarif")
TRIALS = 24
failures = []


def complete(kind, data):
    """True when `data` is a whole report of that kind."""
    try:
        if kind in ("json", "sarif"):
            json.loads(data.decode("utf-8"))
        elif kind == "junit":
            ET.fromstring(data)
        else:
            text = data.decode("utf-8").rstrip()
            return text.lower().startswith("<!doctype html") and text.endswith("</html>")
        return True
    except (ValueError, ET.ParseError):
        return False


def main():
    pp, work = sys.argv[1], sys.argv[2]
    if os.path.isdir(work):
        shutil.rmtree(work)
    lab = hostile_servers.start(os.path.join(work, "servers"), ["healthy_https", "tls_silent"])
    out = os.path.join(work, "out")
    os.makedirs(out)
    paths = {k: os.path.join(out, "report." + k) for k in KINDS}
    report_args = [a for k in KINDS for a in ("--" + k, paths[k])]
    quick_inv = lab.write_inventory(os.path.join(work, "quick.toml"), ["healthy_https"])
    slow_inv = lab.write_inventory(os.path.join(work, "slow.toml"), ["tls_silent"])
    base = [pp, "scan", "--ca-file", lab.ca_file, "-q"]
    try:
        t0 = time.monotonic()
        first = subprocess.run(base + ["-i", quick_inv, "--timeout", "2"] + report_args, capture_output=True)
        quick_time = time.monotonic() - t0
        if first.returncode not in (0, 1, 3):
            failures.append(f"first scan exited {first.returncode}: {first.stderr[-500:]!r}")
            return finish()
        good = {k: open(paths[k], "rb").read() for k in KINDS}
        for k in KINDS:
            if not complete(k, good[k]):
                failures.append(f"first {k} report is not complete")

        # 2. The slow scan, killed mid-way.
        p = subprocess.Popen(base + ["-i", slow_inv, "--timeout", "30"] + report_args,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(3)
        if p.poll() is not None:
            failures.append(f"slow scan ended early (exit {p.returncode}): the never-answering server was not slow")
        p.send_signal(signal.SIGKILL)
        p.wait()
        for k in KINDS:
            if open(paths[k], "rb").read() != good[k]:
                failures.append(f"{k}: changed by a scan killed mid-way")

        # 3. Kills spread over the quick scan's run time, including its write phase.
        replaced = {k: 0 for k in KINDS}
        for i in range(TRIALS):
            delay = quick_time * (0.5 + i) / TRIALS * 1.2
            p = subprocess.Popen(base + ["-i", quick_inv, "--timeout", "2"] + report_args,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            p.send_signal(signal.SIGKILL)
            p.wait()
            for k in KINDS:
                now = open(paths[k], "rb").read()
                if now == good[k]:
                    continue
                if complete(k, now):
                    good[k] = now  # a whole new report replaced the old one: fine
                    replaced[k] += 1
                else:
                    failures.append(f"trial {i} (kill after {delay:.2f} s): {k} is a partial report "
                                    f"({len(now)} bytes)")
        print(f"quick scan {quick_time:.2f} s; {TRIALS} kills; reports replaced by a complete new one: {replaced}")
        # 4. Temp files. A SIGKILL between mkstemp and rename cannot be prevented from leaving
        # one, so the writer must sweep stale ones. Whether a trial above hit that window is luck;
        # a planted stale temp file (as a killed scan an hour ago would leave) makes it certain.
        left_by_trials = sorted(os.path.basename(x) for x in glob.glob(os.path.join(out, "*.tmp.*")))
        stale = paths["json"] + ".tmp.Zq8xW1"
        with open(stale, "w") as f:
            f.write('{"half": ')
        old_time = time.time() - 3600
        os.utime(stale, (old_time, old_time))
        last = subprocess.run(base + ["-i", quick_inv, "--timeout", "2"] + report_args, capture_output=True)
        if last.returncode not in (0, 1, 3):
            failures.append(f"final scan exited {last.returncode}")
        # A fresh temp file may be another writer's, still busy, so the writer keeps those younger
        # than ten minutes; anything older must be gone.
        cutoff = time.time() - 600
        all_left = glob.glob(os.path.join(out, "*.tmp.*"))
        leftovers = sorted(os.path.basename(x) for x in all_left if os.path.getmtime(x) < cutoff)
        print(f"temp files left by the killed trials: {left_by_trials or 'none'}; stale after a clean scan: "
              f"{leftovers or 'none'} (fresh, kept: {len(all_left) - len(leftovers)})")
        if os.path.exists(stale) or leftovers:
            failures.append(f"{len(leftovers)} stale temp files still there after a complete scan wrote the "
                            f"same reports (killed scans leave them; the writer should sweep them): "
                            + ", ".join(leftovers[:6]))
    finally:
        lab.shutdown()
    return finish()


def finish():
    if failures:
        print(f"{len(failures)} FAILURES:")
        for f in failures:
            print("  - " + f)
        return 1
    print("atomic reports: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
