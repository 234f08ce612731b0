"""The benchmark's own servers: a CA and leaf made with openssl, and nginx instances whose
config is written here. Self-contained on purpose (not ci/lab): the benchmark must measure the
same two endpoints and the same fleet on every machine, whatever the lab grows into.

Connections are counted by nginx's stub_status `accepts` counter on a separate status port:
every tool is counted the same way, by the server, whatever the tool says about itself."""

import os
import socket
import subprocess
import time
import urllib.request

MODERN = {
    "protocols": "TLSv1.2 TLSv1.3",
    "ciphers": "ECDHE+AESGCM:ECDHE+CHACHA20",
}
LEGACY = {
    "protocols": "TLSv1 TLSv1.1 TLSv1.2 TLSv1.3",
    "ciphers": "ALL:@SECLEVEL=0",
}


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, **kw)


def make_certs(d):
    """A private CA and one RSA-2048 leaf for every endpoint; nginx sends leaf + CA."""
    os.makedirs(d, exist_ok=True)
    ca_key, ca_crt = f"{d}/ca.key", f"{d}/ca.crt"
    key, csr, crt = f"{d}/leaf.key", f"{d}/leaf.csr", f"{d}/leaf.crt"
    run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
         "-subj", "/CN=policyprobe bench CA", "-keyout", ca_key, "-out", ca_crt,
         "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
    run(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=bench.test",
         "-keyout", key, "-out", csr])
    ext = f"{d}/leaf.ext"
    with open(ext, "w") as f:
        f.write("subjectAltName=DNS:bench.test,IP:127.0.0.1\n"
                "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"
                "extendedKeyUsage=serverAuth\n")
    run(["openssl", "x509", "-req", "-in", csr, "-CA", ca_crt, "-CAkey", ca_key,
         "-CAcreateserial", "-days", "30", "-extfile", ext, "-out", crt])
    with open(f"{d}/chain.pem", "w") as out:
        for p in (crt, ca_crt):
            with open(p) as f:
                out.write(f.read())
    # RFC 7919 ffdhe2048: instant (no prime search), and it turns on the DHE suites that a
    # legacy server of the Exchange era offers.
    run(["openssl", "genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", "group:ffdhe2048",
         "-out", f"{d}/dh.pem"])
    return {"chain": f"{d}/chain.pem", "key": key, "ca": ca_crt, "dh": f"{d}/dh.pem"}


def free_port_block(count, host="0.0.0.0", start=12000, end=32000, step=None):
    """First base port with `count` consecutive free ports on `host` (probed by bind, with
    SO_REUSEADDR as nginx listens). Below Linux's ephemeral range (32768-60999): after a fleet
    run tens of thousands of client ports sit in TIME_WAIT there."""
    step = step or max(count, 50)
    for base in range(start, end - count, step):
        ok = True
        socks = []
        try:
            for p in range(base, base + count):
                s = socket.socket()
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    s.bind((host, p))
                except OSError:
                    ok = False
                    break
                finally:
                    socks.append(s)
        finally:
            for s in socks:
                s.close()
        if ok and not (base <= 4433 < base + count):
            return base
    raise RuntimeError(f"no block of {count} free ports on {host}")


HTTP_COMMON = """
  access_log off;
  client_body_temp_path {d}/tmp/body; proxy_temp_path {d}/tmp/proxy;
  fastcgi_temp_path {d}/tmp/fastcgi; uwsgi_temp_path {d}/tmp/uwsgi; scgi_temp_path {d}/tmp/scgi;
  ssl_certificate {chain}; ssl_certificate_key {key}; ssl_dhparam {dh};
  ssl_session_cache off; ssl_session_tickets off;
  server {{ listen 127.0.0.1:{status}; location = /status {{ stub_status; }} }}
"""

SERVER_BODY = """
    ssl_protocols {protocols}; ssl_ciphers '{ciphers}'; ssl_prefer_server_ciphers on;
    location = / {{ return 200 "ok\\n"; }}
    location /owa {{ return 302 /owa/auth/logon.aspx; }}
    location = /owa/auth/logon.aspx {{ return 200 "logon\\n"; }}
"""


def _conf(d, certs, status, servers, nofile):
    head = (f"daemon off;\nmaster_process on;\nworker_processes 1;\n"
            f"worker_rlimit_nofile {nofile};\npid {d}/nginx.pid;\n"
            f"error_log {d}/error.log warn;\n"
            f"events {{ worker_connections {max(1024, nofile // 2)}; }}\n")
    http = HTTP_COMMON.format(d=d, chain=certs["chain"], key=certs["key"], dh=certs["dh"], status=status)
    return head + "http {" + http + "".join(servers) + "}\n"


class Nginx:
    """One nginx (master + 1 worker) in the foreground of a child process; stop() ends exactly
    that process. `accepts()` reads the stub_status counter (each read is itself one accept)."""

    def __init__(self, d, certs, status_port, servers, nofile=8192):
        self.d, self.status_port = d, status_port
        os.makedirs(f"{d}/tmp", exist_ok=True)
        self.conf = f"{d}/nginx.conf"
        with open(self.conf, "w") as f:
            f.write(_conf(d, certs, status_port, servers, nofile))
        self.proc = None

    def start(self, wait_ports=()):
        subprocess.run(["nginx", "-t", "-q", "-p", self.d, "-e", f"{self.d}/error.log",
                        "-c", self.conf], check=True)
        self.proc = subprocess.Popen(["nginx", "-p", self.d, "-e", f"{self.d}/error.log",
                                      "-c", self.conf],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        for host, port in [("127.0.0.1", self.status_port)] + list(wait_ports):
            while True:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"nginx exited; see {self.d}/error.log")
                try:
                    socket.create_connection((host, port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"nginx did not listen on {host}:{port}")
                    time.sleep(0.05)
        return self

    def accepts(self):
        url = f"http://127.0.0.1:{self.status_port}/status"
        with urllib.request.urlopen(url, timeout=5) as r:
            text = r.read().decode()
        # "Active connections: 1 \nserver accepts handled requests\n 7 7 7 \n..."
        return int(text.splitlines()[2].split()[0])

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM to the master: fast shutdown of its worker too
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


def single_servers(modern_port, legacy_port):
    out = []
    for port, prof in ((modern_port, MODERN), (legacy_port, LEGACY)):
        out.append(f"  server {{\n    listen 127.0.0.1:{port} ssl;\n"
                   + SERVER_BODY.format(**prof) + "  }\n")
    return out


def fleet_layout(n, hosts=50):
    """n endpoints over min(n, hosts) loopback addresses 127.0.0.2.., the same ports on each
    address, so one nmap command line covers exactly the fleet and the per-host limit sees
    many hosts, not one host hammered."""
    h = min(n, hosts)
    per = -(-n // h)
    eps = []
    for i in range(n):
        eps.append((f"127.0.0.{2 + i // per}", i % per))
    return eps, per


def fleet_servers(endpoints, base):
    listens = "".join(f"    listen {host}:{base + off} ssl;\n" for host, off in endpoints)
    return ["  server {\n" + listens + SERVER_BODY.format(**MODERN) + "  }\n"]
