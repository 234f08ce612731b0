#!/usr/bin/env python3
"""SIGINT and SIGTERM stop the scanner cleanly: exit 130 / 143, a message on stderr, no
`<report>.tmp.XXXXXX` file left and the previous reports intact.

1. A scan of a server that never answers, interrupted mid-scan by each signal.
2. The report write: `merge` of a large report into four formats spends its time writing, so
   signals sent at delays spread over its run time land in the write; whatever the moment,
   no temp file may remain and each report is the old one or a complete new one.
3. A scan started as a background job of a non-interactive shell (`bash -c '... & wait'`),
   which starts it with SIGINT ignored: SIGINT must still stop it.

usage: interrupt_test.py POLICYPROBE WORKDIR
"""
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hostile_servers  # noqa: E402
from atomic_reports_test import complete  # noqa: E402

KINDS = ("json", "junit", "html", "sarif")
TRIALS = 10
failures = []
CODE = {signal.SIGINT: 130, signal.SIGTERM: 143}


def wait_for_handlers(p, deadline=10.0):
    """Waits until process `p` catches SIGINT and SIGTERM (its SigCgt in /proc): a signal that
    arrives while the binary is still being loaded, before main() installs its handlers, would
    test the loader under load, not the scanner."""
    want = (1 << (signal.SIGINT - 1)) | (1 << (signal.SIGTERM - 1))
    end = time.monotonic() + deadline
    while time.monotonic() < end and p.poll() is None:
        try:
            with open(f"/proc/{p.pid}/status") as f:
                for line in f:
                    if line.startswith("SigCgt:") and int(line.split()[1], 16) & want == want:
                        return
        except OSError:
            return
        time.sleep(0.002)


def temp_files(d):
    return sorted(os.path.basename(p) for p in glob.glob(os.path.join(d, "*.tmp.*")))


def check_stopped(label, proc, sig, err, out_dir):
    if proc.returncode != CODE[sig]:
        failures.append(f"{label}: exit {proc.returncode}, wanted {CODE[sig]}; stderr {err[-300:]!r}")
    elif "interrupted (SIGINT)" not in err and "terminated (SIGTERM)" not in err:
        failures.append(f"{label}: stderr does not say the scan was interrupted: {err[-300:]!r}")
    left = temp_files(out_dir)
    if left:
        failures.append(f"{label}: temp files left: {left}")


def big_report(small_path, path, copies):
    """A valid report with `copies` times the results of a small one (distinct subjects)."""
    rep = json.load(open(small_path))
    results = []
    for i in range(copies):
        for r in rep["results"]:
            r = dict(r)
            r["subject"] = f'{r["subject"]}/copy{i}'
            results.append(r)
    rep["results"] = results
    with open(path, "w") as f:
        json.dump(rep, f)


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
        first = subprocess.run(base + ["-i", quick_inv, "--timeout", "2"] + report_args, capture_output=True)
        if first.returncode not in (0, 1, 3):
            failures.append(f"first scan exited {first.returncode}: {first.stderr[-500:]!r}")
            return finish()
        good = {k: open(paths[k], "rb").read() for k in KINDS}

        # 1. Mid-scan, each signal.
        for sig in (signal.SIGINT, signal.SIGTERM):
            p = subprocess.Popen(base + ["-i", slow_inv, "--timeout", "30"] + report_args,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            time.sleep(2)
            p.send_signal(sig)
            try:
                _, err = p.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                _, err = p.communicate()
                failures.append(f"mid-scan {sig.name}: still running 20 s later")
            check_stopped(f"mid-scan {sig.name}", p, sig, err, out)
            for k in KINDS:
                if open(paths[k], "rb").read() != good[k]:
                    failures.append(f"mid-scan {sig.name}: {k} report changed")
        print(f"mid-scan interrupts: {'ok' if not failures else 'FAILED'}")

        # 2. During the report write.
        big = os.path.join(work, "big.json")
        big_report(paths["json"], big, 400)
        merge = [pp, "merge", big] + report_args
        t0 = time.monotonic()
        done = subprocess.run(merge, capture_output=True)
        write_time = time.monotonic() - t0
        if done.returncode != 0:
            failures.append(f"merge of the big report exited {done.returncode}: {done.stderr[-300:]!r}")
            return finish()
        good = {k: open(paths[k], "rb").read() for k in KINDS}
        interrupted = 0
        for i in range(TRIALS * 2):
            sig = (signal.SIGINT, signal.SIGTERM)[i % 2]
            delay = write_time * (0.5 + i // 2) / TRIALS
            p = subprocess.Popen(merge, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            wait_for_handlers(p)
            time.sleep(delay)
            p.send_signal(sig)
            _, err = p.communicate(timeout=120)
            label = f"write trial {i} ({sig.name} after {delay:.2f} s of {write_time:.2f} s)"
            if p.returncode == 0:
                if temp_files(out):
                    failures.append(f"{label}: finished, yet temp files left: {temp_files(out)}")
            else:
                interrupted += 1
                check_stopped(label, p, sig, err, out)
            for k in KINDS:
                now = open(paths[k], "rb").read()
                if now != good[k] and not complete(k, now):
                    failures.append(f"{label}: {k} is a partial report ({len(now)} bytes)")
        print(f"report write {write_time:.2f} s; {interrupted} of {TRIALS * 2} runs interrupted; "
              f"temp files left: {temp_files(out) or 'none'}")
        if interrupted < TRIALS:
            failures.append(f"only {interrupted} runs were interrupted: the write was too quick to test")

        # 3. A background job of a non-interactive shell inherits SIGINT ignored.
        script = " ".join(f"'{a}'" for a in base + ["-i", slow_inv, "--timeout", "30"] + report_args)
        sh = subprocess.Popen(["bash", "-c", f"{script} 2>{os.path.join(work, 'bg.err')} & echo $!; wait $!"],
                              stdout=subprocess.PIPE, text=True)
        pid = int(sh.stdout.readline())
        time.sleep(2)
        os.kill(pid, signal.SIGINT)
        try:
            sh.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(pid, signal.SIGKILL)
            sh.wait()
            failures.append("background job: SIGINT did not stop it (inherited SIG_IGN kept)")
        else:
            err = open(os.path.join(work, "bg.err")).read()
            # `wait $!` makes the shell's exit code the job's.
            check_stopped("background job SIGINT", sh, signal.SIGINT, err, out)
    finally:
        lab.shutdown()
    return finish()


def finish():
    if failures:
        print(f"{len(failures)} FAILURES:")
        for f in failures:
            print("  - " + f)
        return 1
    print("interrupts: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
