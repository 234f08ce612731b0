#!/usr/bin/env python3
"""Progress on a lab scan. With standard error on a terminal (a pseudo-terminal, 200 columns):
the redrawn line counts vdir requests, and through the HTTP phase (every endpoint job done) the
count and the percentage advance over many redraws instead of sitting still until the end;
totals never change, counts never go back, and what finished is named by its inventory target.
Without a terminal: one line per endpoint job and one for the vdir batch, as before vdir
requests were counted, and no redraw escapes.

usage: progress_test.py POLICYPROBE LAB_DIR
"""
import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios

pp, lab = sys.argv[1:3]
cmd = [pp, "scan", "-i", os.path.join(lab, "inventory.toml"), "--ca-file", os.path.join(lab, "ca.pem")]
failures = []

# On a terminal.
master, slave = pty.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=slave)
os.close(slave)
raw = b""
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:  # EIO once the scanner has exited and closed the terminal
        break
    if not chunk:
        break
    raw += chunk
p.wait()
os.close(master)
line_re = re.compile(r"\[[#.]+\]\s+(\d+)%  endpoints (\d+)/(\d+)  vdir requests (\d+)/(\d+)  \d\d:\d\d  \d+ findings?  (.*)")
frames = [m for m in (line_re.match(f) for f in raw.decode(errors="replace").split("\r\x1b[K")) if m]
print(f"terminal: {len(frames)} redraws")
if len(frames) < 10:
    failures.append(f"only {len(frames)} progress redraws on a terminal")
else:
    ep_total, req_total = {int(f.group(3)) for f in frames}, {int(f.group(5)) for f in frames}
    if len(ep_total) != 1 or len(req_total) != 1:
        failures.append(f"totals changed during the scan: endpoints {ep_total}, vdir requests {req_total}")
    last = (0, 0, 0)
    for f in frames:
        now = (int(f.group(1)), int(f.group(2)), int(f.group(4)))
        if any(n < l for n, l in zip(now, last)):
            failures.append(f"progress went back: {last} -> {now}")
        last = now
    http = [f for f in frames if f.group(2) == f.group(3) and int(f.group(4)) < int(f.group(5))]
    steps = sorted({int(f.group(4)) for f in http})
    pcts = sorted({int(f.group(1)) for f in http})
    print(f"HTTP phase: {len(http)} redraws, vdir requests through {steps[:3]}...{steps[-3:]}, "
          f"percent {pcts[:1]}..{pcts[-1:]}; total {req_total}")
    if len(steps) < 5 or len(pcts) < 3:
        failures.append(f"the bar sat still through the HTTP phase: request counts {steps}, percentages {pcts}")
    if frames[-1].group(4) != frames[-1].group(5):
        failures.append(f"the last redraw is not complete: {frames[-1].group(0)}")
    labels = {f.group(6) for f in frames}
    # Redraws are throttled, so which endpoints they show varies: some must name their target by
    # an inventory name that is not its host ("cert-dual https://dual.lab.test:N").
    named = [l for l in labels
             if (m := re.match(r"(\S+) https?://([^:/\s]+)", l)) and not m.group(2).startswith(m.group(1) + ".")]
    if not named:
        failures.append(f"no redraw names a target by its inventory name: {sorted(labels)[:5]}")

# Not on a terminal: one line per endpoint and one for the batch.
p = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
lines = [l for l in p.stderr.splitlines() if l.startswith("[")]
endpoint_lines = [l for l in lines if re.match(r"\[\d+/\d+\] ", l)]
batch_lines = [l for l in lines if re.match(r"\[\d+ vdir requests\] virtual directories done", l)]
print(f"log: {len(endpoint_lines)} endpoint lines, {len(batch_lines)} batch line(s), {len(lines)} progress lines")
if "\x1b" in p.stderr or "\r" in p.stderr:
    failures.append("terminal escapes in the log")
if not endpoint_lines or len(batch_lines) != 1 or len(lines) != len(endpoint_lines) + 1:
    failures.append(f"the log is not one line per endpoint plus one for the batch: {lines[:3]} ... {lines[-3:]}")
# Every endpoint has its line, so the target named apart from its host name is there by name.
if not any(re.match(r"\[\d+/\d+\] legacy https://legacy\.lab\.test:\d+ ", l) for l in endpoint_lines):
    failures.append(f"no log line names the target legacy by its inventory name: {endpoint_lines[:3]}")
m = re.match(r"\[\d+/(\d+)\]", endpoint_lines[-1]) if endpoint_lines else None
if m and int(m.group(1)) != len(endpoint_lines):
    failures.append(f"{len(endpoint_lines)} endpoint lines for {m.group(1)} endpoints")

for f in failures:
    print("FAIL " + f)
sys.exit(1 if failures else 0)
