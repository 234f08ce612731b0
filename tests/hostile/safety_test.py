#!/usr/bin/env python3
"""The scanner's own safety, proven from the servers' side.

An nginx (plain and TLS) is started with an access log that records, per request, when it
ended and how long it took, the connection serial, the Host, the request line and any
Authorization / Cookie header. It challenges for Basic auth on /EWS and redirects /owa to
another host (a second nginx server block with its own log). Responses are slowed with
limit_rate so that requests overlap if the scanner lets them. A
sampler reads the kernel's table of established connections on the server side, so it sees
every connection the scanner opens to the host (HTTP and the raw TLS probes alike).

The scan runs with --per-host 2. Checks:
- no request carried Authorization, Proxy-Authorization or a Cookie;
- the other host's log is empty (the off-host redirect was recorded, not followed);
- at most 2 connections were established at once, and at most 2 requests were in
  progress at once by the nginx log ($msec - $request_time .. $msec);
- the scan did observe the host (there were requests), so the above is not vacuous.

usage: safety_test.py POLICYPROBE WORKDIR
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hostile_servers  # noqa: E402

PER_HOST = 2
NGINX_IP, OTHER_IP = "127.0.0.61", "127.0.0.62"
failures = []


def free_port(ip):
    s = socket.socket()
    s.bind((ip, 0))
    p = s.getsockname()[1]
    s.close()
    return p


class TcpSampler:
    """Counts, every ~2 ms, the ESTABLISHED TCP sockets whose local end is (ip, port in
    ports), from /proc/net/tcp: the kernel's own view of the server side, so a connection
    counts from the moment the handshake completes (even before nginx accepts it) until the
    client's FIN (the socket then leaves ESTABLISHED). A user-space proxy was tried first and
    gave false peaks from its own accept and close latencies under load."""

    def __init__(self, ip, ports):
        a, b, c, d = (int(x) for x in ip.split("."))
        self.ip_hex = f"{d:02X}{c:02X}{b:02X}{a:02X}"
        self.ports = {f"{p:04X}" for p in ports}
        self.max_open = 0
        self.samples = 0
        self.peak_at = None
        self.peak_set = []
        self.seen = set()
        self.prev = set()
        self.stop = threading.Event()
        self.t0 = time.monotonic()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop.is_set():
            # Distinct (local port, remote) pairs: /proc/net/tcp is read in pages while the
            # kernel changes it, so one socket can appear twice in a single read.
            now = set()
            with open("/proc/net/tcp") as f:
                next(f)
                for line in f:
                    parts = line.split()
                    local, remote, state = parts[1], parts[2], parts[3]
                    lip, lport = local.split(":")
                    if state == "01" and lip == self.ip_hex and lport in self.ports:
                        now.add((lport, remote))
                        self.seen.add((lport, remote))
            # A connection counts towards the peak when two consecutive samples (2 ms apart)
            # both show it established: one read of the table can list a socket that is
            # closing and, pages later, the one that replaces it, which were never open
            # together; a real excess lasts far longer than 2 ms (responses are rate-limited).
            steady = now & self.prev
            self.prev = now
            n = len(steady)
            self.samples += 1
            if n > self.max_open:
                self.max_open, self.peak_at = n, time.monotonic() - self.t0
                self.peak_set = sorted(steady)
            time.sleep(0.002)

    def shutdown(self):
        self.stop.set()
        self.thread.join(5)


NGINX_CONF = """
worker_processes 1;
daemon off;
pid {w}/nginx.pid;
error_log {w}/error.log warn;
events {{ worker_connections 512; }}
http {{
  client_body_temp_path {w}/tmp/body;
  proxy_temp_path {w}/tmp/proxy;
  fastcgi_temp_path {w}/tmp/fastcgi;
  uwsgi_temp_path {w}/tmp/uwsgi;
  scgi_temp_path {w}/tmp/scgi;
  default_type text/html;
  log_format safety escape=json '{{"msec":$msec,"rt":$request_time,"conn":$connection,'
      '"host":"$host","req":"$request","status":$status,"auth":"$http_authorization",'
      '"proxy_auth":"$http_proxy_authorization","cookie":"$http_cookie","addr":"$server_addr:$server_port"}}';
  server {{
    listen {ip}:{http};
    listen {ip}:{https} ssl;
    ssl_certificate {cert};
    ssl_certificate_key {key};
    access_log {w}/target.log safety;
    root {w}/www;
    limit_rate 2k;
    error_page 404 /slow404.html;
    location = /slow404.html {{ internal; }}
    location /owa {{ return 302 http://{other}:{other_port}/owa/; }}
    location /EWS {{
      add_header WWW-Authenticate 'Basic realm="EWS"' always;
      return 401;
    }}
  }}
  server {{
    listen {other}:{other_port};
    access_log {w}/other.log safety;
    location / {{ return 200 "the other host\\n"; }}
  }}
}}
"""


def overlap_max(intervals):
    """The largest number of [start, end) intervals that hold at one instant."""
    events = sorted([(s, 1) for s, e in intervals] + [(e, -1) for s, e in intervals], key=lambda x: (x[0], x[1]))
    cur = best = 0
    for _, d in events:
        cur += d
        best = max(best, cur)
    return best


def main():
    pp, work = sys.argv[1], sys.argv[2]
    if os.path.isdir(work):
        shutil.rmtree(work)
    os.makedirs(os.path.join(work, "www"))
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        os.makedirs(os.path.join(work, "tmp", sub))
    with open(os.path.join(work, "www", "slow404.html"), "w") as f:
        f.write("<html><body>" + "not here. " * 400 + "</body></html>\n")  # ~4 KB at 2 KB/s: each answer takes a while
    certs = os.path.join(work, "certs")
    os.makedirs(certs)
    cert, key = hostile_servers.ca_signed(certs, "nginx", "safety.hostile.test", f"IP:{NGINX_IP},DNS:safety.hostile.test")
    ca = hostile_servers.test_ca(certs)[0]
    ports = {"http": free_port(NGINX_IP), "https": free_port(NGINX_IP), "other_port": free_port(OTHER_IP)}
    conf = os.path.join(work, "nginx.conf")
    with open(conf, "w") as f:
        f.write(NGINX_CONF.format(w=work, ip=NGINX_IP, other=OTHER_IP, cert=cert, key=key, **ports))
    nginx = subprocess.Popen(["nginx", "-c", conf, "-p", work], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = None
    try:
        for _ in range(50):
            try:
                socket.create_connection((NGINX_IP, ports["http"]), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            failures.append("nginx did not start: " + open(os.path.join(work, "error.log")).read()[-500:])
            return finish()
        # Connections that the readiness probe made are not the scanner's: start counting now.
        time.sleep(0.2)
        open(os.path.join(work, "target.log"), "w").close()
        p_http, p_https = ports["http"], ports["https"]
        sampler = TcpSampler(NGINX_IP, [p_http, p_https])
        inv = os.path.join(work, "inventory.toml")
        with open(inv, "w") as f:
            f.write(f'schema = 1\n\n[[target]]\nname = "safety"\nhost = "{NGINX_IP}"\n'
                    f'services = ["http:{p_http}", "https:{p_https}"]\n')
        report = os.path.join(work, "report.json")
        t0 = time.monotonic()
        proc = subprocess.run([pp, "scan", "-i", inv, "--per-host", str(PER_HOST), "--concurrency", "32",
                               "--timeout", "5", "--ca-file", ca, "--json", report, "-q"],
                              capture_output=True, text=True, timeout=900)
        wall = time.monotonic() - t0
        print(proc.stdout[-1500:])
        print(proc.stderr[-1500:], file=sys.stderr)
        if proc.returncode not in (0, 1, 3):
            failures.append(f"scan exited {proc.returncode}")
        time.sleep(0.5)
        lines = [json.loads(l) for l in open(os.path.join(work, "target.log")) if l.strip()]
        other = [l for l in open(os.path.join(work, "other.log")) if l.strip()] if os.path.exists(
            os.path.join(work, "other.log")) else []
        sampler.shutdown()
        print(f"scan {wall:.1f} s: {len(lines)} requests, {len(sampler.seen)} connections seen, "
              f"max {sampler.max_open} established at once ({sampler.samples} samples; peak at +{sampler.peak_at or 0:.2f} s)")
        if len(lines) < 10:
            failures.append(f"only {len(lines)} requests reached nginx: the scan did not exercise the host")
        for l in lines:
            if l["auth"] or l["proxy_auth"] or l["cookie"]:
                failures.append(f"credentials sent: {l['req']} auth={l['auth']!r} cookie={l['cookie']!r}")
        if not any(l["req"].split(" ")[1].startswith("/owa") for l in lines if " " in l["req"]):
            failures.append("the scan never requested /owa, so the off-host redirect was not exercised")
        if other:
            failures.append(f"{len(other)} requests reached the other host: {other[:2]}")
        # Whole milliseconds (nginx's resolution): msec - rt in floating point can put the start
        # of a keep-alive connection's next request a hair before the end of its previous one.
        req_conc = overlap_max([(round(l["msec"] * 1000) - round(l["rt"] * 1000), round(l["msec"] * 1000))
                                for l in lines])
        print(f"max requests in progress at once (nginx log): {req_conc}")
        if req_conc > PER_HOST:
            failures.append(f"nginx log shows {req_conc} requests in progress at once (> --per-host {PER_HOST})")
        if sampler.max_open > PER_HOST:
            failures.append(f"{sampler.max_open} connections open at once to one host (> --per-host {PER_HOST}): "
                            f"{sampler.peak_set}")
        # Connections the scan opened: those the sampler caught, or nginx's connection serials
        # (short TLS probe connections can open and close between two samples).
        opened = max(len(sampler.seen), len({l["conn"] for l in lines}))
        if opened < 5:
            failures.append(f"only {opened} connections seen: the per-host limit was not exercised")
    finally:
        if sampler:
            sampler.shutdown()
        nginx.terminate()
        try:
            nginx.wait(10)
        except subprocess.TimeoutExpired:
            nginx.kill()
    return finish()


def finish():
    if failures:
        print(f"{len(failures)} FAILURES:")
        for f in failures:
            print("  - " + f)
        return 1
    print("safety: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
