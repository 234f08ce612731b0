#!/usr/bin/env python3
"""`history` over a series of real scans: three runs of one nginx endpoint (from the lab's
certificates and CA), nothing changed between the first two, then its certificate swapped and
a cipher suite enabled (config rewritten, nginx reloaded). `history` must name exactly those
two changes on the third run and none on the second, in its console text, JSON and HTML.

The endpoint is an nginx of this test's own (own port, own prefix), so reloading it cannot
disturb the lab's servers that other tests scan at the same time. Skips (77) without nginx.

usage: lab_history_test.py POLICYPROBE LAB_DIR WORK_DIR
"""
import hashlib
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time

pp, lab, work = sys.argv[1:4]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
if not NGINX:
    print("SKIP: nginx is not installed")
    sys.exit(77)
certs = os.path.join(lab, "certs")
for name in ("good.chain.pem", "wildcard.chain.pem", "leaf.key"):
    if not os.path.exists(os.path.join(certs, name)):
        print(f"SKIP: the lab's {name} is missing (is the lab started?)")
        sys.exit(77)

shutil.rmtree(work, ignore_errors=True)
prefix = os.path.join(work, "nginx")
reports = os.path.join(work, "reports")
for d in (os.path.join(prefix, "temp"), reports):
    os.makedirs(d)
conf = os.path.join(prefix, "nginx.conf")
ADDED_SUITE = "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"  # OpenSSL's ECDHE-RSA-AES128-SHA

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]


def write_conf(cert, ciphers):
    user = "user root;" if os.getuid() == 0 else ""
    temp = os.path.join(prefix, "temp")
    with open(conf, "w") as f:
        f.write(f"""{user}
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {temp}/body; proxy_temp_path {temp}/proxy; fastcgi_temp_path {temp}/fastcgi;
  uwsgi_temp_path {temp}/uwsgi; scgi_temp_path {temp}/scgi;
  ssl_session_cache off;
  server {{
    listen 127.0.0.1:{port} ssl; server_name good.lab.test;
    ssl_certificate {certs}/{cert}; ssl_certificate_key {certs}/leaf.key;
    ssl_protocols TLSv1.2 TLSv1.3; ssl_ciphers {ciphers};
    location /owa {{ return 200 "owa\\n"; }}
    location / {{ return 404; }}
  }}
}}
""")


def nginx(*args):
    return subprocess.run([NGINX, "-p", prefix, "-c", conf, "-e", os.path.join(prefix, "error.log"), *args],
                          capture_output=True, text=True, timeout=30)


def served_fingerprint():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        with ctx.wrap_socket(raw, server_hostname="good.lab.test") as t:
            return hashlib.sha256(t.getpeercert(binary_form=True)).hexdigest()


def wait_for(fingerprint_differs_from=None):
    """Until the endpoint answers (and, after a reload, serves another certificate)."""
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            fp = served_fingerprint()
            if fp != fingerprint_differs_from:
                return fp
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("FAIL: the test's nginx did not come up (or did not reload) within 20 s")


def workers():
    """The nginx master's children (its workers), from /proc; empty where /proc cannot say."""
    try:
        with open(os.path.join(prefix, "nginx.pid")) as f:
            master = f.read().strip()
        with open(f"/proc/{master}/task/{master}/children") as f:
            return {int(pid) for pid in f.read().split()}
    except (OSError, ValueError):
        return set()


def wait_gone(pids):
    """Until the workers of the old configuration have exited: until then they still accept
    connections, so a scan right after the reload can meet the old suites and certificate."""
    deadline = time.time() + 20
    while time.time() < deadline:
        if not any(os.path.exists(f"/proc/{pid}") for pid in pids):
            return
        time.sleep(0.1)
    raise SystemExit(f"FAIL: the old nginx workers {sorted(pids)} did not exit within 20 s")


inventory = os.path.join(work, "inventory.toml")
with open(inventory, "w") as f:
    f.write(f"""schema = 1
[[target]]
name = "history-web"
host = "127.0.0.1"
sni = "good.lab.test"
services = ["https:{port}"]
vdirs = ["/owa"]
expected_names = ["good.lab.test"]
""")


def scan(n):
    out = os.path.join(reports, f"run{n}.json")
    p = subprocess.run([pp, "scan", "-i", inventory, "--ca-file", os.path.join(lab, "ca.pem"), "--timeout", "5",
                        "--quiet", "--json", out], capture_output=True, text=True, timeout=600)
    if p.returncode not in (0, 1):
        raise SystemExit(f"FAIL: scan {n} exited {p.returncode}: {p.stderr[-800:]}")
    time.sleep(1.1)  # the next run's scan time (seconds) is later
    return out


failures, passes = [], 0


def check(ok, what):
    global passes
    if ok:
        passes += 1
        print("ok  ", what)
    else:
        failures.append(what)
        print("FAIL", what)


write_conf("good.chain.pem", "ECDHE+AESGCM")
r = nginx()
if r.returncode != 0:
    raise SystemExit(f"FAIL: nginx did not start: {r.stderr}")
try:
    first_fp = wait_for()
    scan(1)
    scan(2)
    write_conf("wildcard.chain.pem", "ECDHE+AESGCM:ECDHE-RSA-AES128-SHA")
    old_workers = workers()
    r = nginx("-s", "reload")
    check(r.returncode == 0, f"nginx reloaded with the other certificate and suite ({r.stderr.strip()})")
    second_fp = wait_for(fingerprint_differs_from=first_fp)
    if old_workers:
        wait_gone(old_workers)
        print(f"the {len(old_workers)} worker(s) of the old configuration have exited")
    else:  # no /proc children list: nginx's old workers close their listeners within moments
        time.sleep(2)
    scan(3)
finally:
    nginx("-s", "stop")

endpoint = f"https://good.lab.test:{port}"
history_json = os.path.join(work, "history.json")
history_html = os.path.join(work, "history.html")
p = subprocess.run([pp, "history", reports, "--json", history_json, "--html", history_html],
                   capture_output=True, text=True, timeout=120)
print(p.stdout)
check(p.returncode in (0, 1), f"history exits 0 or 1 (got {p.returncode}: {p.stderr.strip()})")
h = json.load(open(history_json))
runs = h["runs"]
check([os.path.basename(r["source"]) for r in runs] == ["run1.json", "run2.json", "run3.json"],
      "three runs, in scan-time order")
check(runs[1]["changes"] == [], f"nothing changed between runs 1 and 2: {runs[1]['changes']}")
got = sorted((c["change"], c["subject"]) for c in runs[2]["changes"])
want = sorted([("certificate replaced", endpoint + "#cert"), ("suite added", endpoint)])
check(got == want, f"run 3 names exactly the swapped certificate and the added suite: {got}")
for c in runs[2]["changes"]:
    if c["change"] == "suite added":
        check(c["detail"] == ADDED_SUITE, f"the added suite is {ADDED_SUITE}: {c['detail']}")
    if c["change"] == "certificate replaced":
        check(first_fp[:16] in c["detail"] and second_fp[:16] in c["detail"],
              f"the certificate change names both fingerprints: {c['detail']}")
check(runs[1]["new"] == [] and runs[1]["fixed"] == [], "no finding changed between runs 1 and 2")
check(f"~ suite added: {endpoint} {ADDED_SUITE}" in p.stdout, "the console names the added suite")
check(f"~ certificate replaced: {endpoint}#cert" in p.stdout, "the console names the replaced certificate")
page = open(history_html, encoding="utf-8").read()
check("<svg" in page and "<polyline" in page and "<script" not in page,
      "the HTML page draws its trend chart as inline SVG, without a script")

# Accountable waivers on the same endpoint: the third run's new certificate finding waived by a
# schema 2 waiver shows its owner and ticket in every report; `waivers list --report` finds the
# waiver in use and the other one matching nothing.
waivers = os.path.join(work, "waivers.toml")
with open(waivers, "w") as f:
    f.write("""schema = 2
[[waiver]]
rule = "CERT-005"
subject = "history-web"
justification = "the wildcard certificate is being replaced"
owner = "pki team lead"
ticket = "CHG-4711"
granted = 2026-01-05
expires = 2099-12-31

[[waiver]]
rule = "TLS-001"
subject = "no-such-target"
justification = "kept for a host not in this scan"
owner = "ops"
ticket = "CHG-1"
granted = 2026-01-05
expires = 2099-12-31
""")
nginx_up = nginx()
if nginx_up.returncode == 0:
    try:
        wait_for()
        out = {ext: os.path.join(work, f"waived.{ext}") for ext in ("json", "html", "xml", "sarif")}
        p = subprocess.run([pp, "scan", "-i", inventory, "--ca-file", os.path.join(lab, "ca.pem"), "--timeout", "5",
                            "--quiet", "--waivers", waivers, "--json", out["json"], "--html", out["html"],
                            "--junit", out["xml"], "--sarif", out["sarif"]], capture_output=True, text=True, timeout=600)
    finally:
        nginx("-s", "stop")
    waived = [r for r in json.load(open(out["json"]))["results"] if r["status"] == "waived"]
    check(len(waived) == 1 and waived[0]["rule_id"] == "CERT-005", f"one waived result, CERT-005: {[r['rule_id'] for r in waived]}")
    for ext, path in out.items():
        text = open(path, encoding="utf-8").read()
        check("pki team lead" in text and "CHG-4711" in text, f"the {ext} report names the waiver's owner and ticket")
    listed = {w["rule"]: w for w in json.load(open(out["json"])).get("waivers", [])}
    check(listed.get("CERT-005", {}).get("owner") == "pki team lead" and listed["CERT-005"]["ticket"] == "CHG-4711"
          and listed["CERT-005"]["state"] == "active" and listed.get("TLS-001", {}).get("state") == "matching nothing",
          f"the JSON report's waivers list each with owner, ticket and state: {sorted(listed)}")
    p = subprocess.run([pp, "waivers", "list", "--waivers", waivers, "--report", out["json"]],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 0 and "active: CERT-005" in p.stdout and "active, matching nothing: TLS-001" in p.stdout,
          f"waivers list against the report: one in use, one matching nothing ({p.stdout!r})")
else:
    check(False, f"nginx restarted for the waiver scan ({nginx_up.stderr.strip()})")

print(f"{passes} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
