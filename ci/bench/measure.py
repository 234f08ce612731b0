"""Runs one command the same way for every tool: wall time by our own monotonic clock around a
blocking wait (no polling grid), peak RSS and CPU from GNU time (-v), TCP connections from the
server's accept counter (read before and after; each read is one accept of its own,
subtracted)."""

import os
import re
import subprocess
import threading
import time

GNU_TIME = "/usr/bin/time"


def _parse_time_v(path):
    out = {"rss_kb": None, "user_s": None, "sys_s": None}
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        return out
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if m:
        out["rss_kb"] = int(m.group(1))
    m = re.search(r"User time \(seconds\): ([\d.]+)", text)
    if m:
        out["user_s"] = float(m.group(1))
    m = re.search(r"System time \(seconds\): ([\d.]+)", text)
    if m:
        out["sys_s"] = float(m.group(1))
    return out


class PerHostSampler(threading.Thread):
    """Samples `ss -tanp` every `interval` s and keeps, per server address, the most TCP
    sockets the process `pid` held at once towards it. This is what shows the per-host limit
    held during a fleet run: the scanner's own sockets, counted from the kernel's table."""

    def __init__(self, pid, interval=0.05):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.max_per_host = {}
        self.max_total = 0
        self.samples = 0
        self.timeouts = 0
        self._halt = threading.Event()

    def run(self):
        tag = f"pid={self.pid},"
        while not self._halt.is_set():
            try:
                # Only sockets a process can hold: TIME-WAIT ones (tens of thousands after a
                # fleet run) are filtered in the kernel, so one sample stays fast.
                text = subprocess.run(["ss", "-Htnp", "state", "established", "state",
                                       "syn-sent", "state", "close-wait"],
                                      capture_output=True, text=True, timeout=5).stdout
            except subprocess.TimeoutExpired:
                self.timeouts += 1
                continue
            except OSError:
                break
            now = {}
            total = 0
            for line in text.splitlines():
                if tag not in line:
                    continue
                cols = line.split()
                # The State column comes and goes with the filter: the peer is the last
                # address column, the one before the process column.
                addrs = [c for c in cols if not c.startswith("users:")]
                if len(addrs) < 4:
                    continue
                peer = addrs[-1].rsplit(":", 1)[0]
                now[peer] = now.get(peer, 0) + 1
                total += 1
            for h, c in now.items():
                if c > self.max_per_host.get(h, 0):
                    self.max_per_host[h] = c
            self.max_total = max(self.max_total, total)
            self.samples += 1
            self._halt.wait(self.interval)

    def stop(self):
        self._halt.set()
        self.join(timeout=10)


def run_measured(cmd, workdir, label, nginx=None, sample_per_host=False, timeout=3600):
    """Run `cmd` once under GNU time; return a dict of measurements (and the exit code)."""
    tfile = os.path.join(workdir, f"{label}.time")
    log = os.path.join(workdir, f"{label}.log")
    before = nginx.accepts() if nginx else None
    t0 = time.monotonic()
    with open(log, "wb") as lf:
        proc = subprocess.Popen([GNU_TIME, "-v", "-o", tfile] + cmd, stdout=lf,
                                stderr=subprocess.STDOUT)
        sampler = None
        if sample_per_host:
            # The child of GNU time is the tool; find it once it has forked.
            tool_pid = None
            for _ in range(200):
                try:
                    kids = open(f"/proc/{proc.pid}/task/{proc.pid}/children").read().split()
                except OSError:
                    kids = []
                if kids:
                    tool_pid = int(kids[0])
                    break
                time.sleep(0.005)
            if tool_pid:
                sampler = PerHostSampler(tool_pid)
                sampler.start()
        # A blocking wait: Popen.wait(timeout=...) polls with growing sleeps (up to 50 ms),
        # which snaps every wall time to that grid. The timeout is a timer that kills.
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        try:
            rc = proc.wait()
        finally:
            killer.cancel()
        # The clock stops at the exit, before the sampler's own shutdown.
        wall = time.monotonic() - t0
        if sampler:
            sampler.stop()
    after = nginx.accepts() if nginx else None
    res = {"wall_s": wall, "rc": rc, "log": log}
    res.update(_parse_time_v(tfile))
    if res["user_s"] is not None:
        res["cpu_s"] = res["user_s"] + res["sys_s"]
    if nginx:
        res["connections"] = after - before - 1
    if sampler:
        res["max_conns_per_host"] = max(sampler.max_per_host.values(), default=0)
        res["max_conns_total"] = sampler.max_total
        res["per_host_samples"] = sampler.samples
    return res
