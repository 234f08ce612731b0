#!/usr/bin/env python3
"""A configuration scan and a network scan of the same server give the same verdicts.

For each IIS applicationHost.config fixture, `scan --config iis:FILE` judges the Default Web
Site's virtual directories from the file; then an nginx of this test's own (own prefix, plain
and TLS port, the lab's certificates and CA) answers as IIS answers with that configuration, and
`scan -i` judges the same vdirs from the wire. For every (rule, vdir) that both scans judge
(pass or fail), the verdicts must be equal. A rule only one side can judge is listed, not held.

The nginx behaviour is NOT derived from policyprobe's output: it is the table IIS_BEHAVIOUR
below, read by hand from each fixture's XML (see tests/fixtures/iis/README.md). Skips (77)
without nginx or the lab's files.

usage: config_network_test.py POLICYPROBE SOURCE_DIR LAB_DIR WORK_DIR
"""
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time

pp, src, lab, work = sys.argv[1:5]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
if not NGINX:
    print("SKIP: nginx is not installed")
    sys.exit(77)
certs = os.path.join(lab, "certs")
ca = os.path.join(lab, "ca.pem")
for path in (os.path.join(certs, "good.chain.pem"), os.path.join(certs, "leaf.key"), ca):
    if not os.path.exists(path):
        print(f"SKIP: the lab's {os.path.basename(path)} is missing (is the lab started?)")
        sys.exit(77)

SITE = "Default Web Site"
HSTS = "max-age=31536000; includeSubDomains"
REALM = "good.lab.test"  # IIS's Basic realm when none is configured: the host the client asked for
# IIS's 403.4 page (abridged): what a plain-HTTP request to a vdir with sslFlags="Ssl" gets.
BODY_403_4 = ("<html><head><title>403 - Forbidden: Access is denied.</title></head><body>"
              "<h1>HTTP Error 403.4 - Forbidden: SSL is required to view this resource.</h1>"
              "<p>The page you are trying to access is secured with Secure Sockets Layer (SSL).</p></body></html>")
BODY_ROOT = "<html><head><title>IIS Windows Server</title></head><body><p>IIS</p></body></html>"


def vdir(ssl_required, basic, windows=()):
    """What IIS does with one vdir: sslFlags contains Ssl; Basic enabled; Windows providers."""
    return {"ssl": ssl_required, "basic": basic, "windows": list(windows)}


ANONYMOUS = {"ssl": False, "basic": False, "windows": [], "anonymous": True}
WIN = ("Negotiate", "NTLM")  # <providers><clear/><add Negotiate/><add NTLM/> on those vdirs

# IIS's behaviour for the Default Web Site of each fixture, read from its XML by hand:
# - site level (<location path="Default Web Site">): the custom header Strict-Transport-Security
#   "max-age=31536000; includeSubDomains" on every answer, X-Powered-By removed;
# - "/" (the DefaultAppPool root): the server-wide defaults, sslFlags None and anonymous
#   authentication only, so a small page over both schemes;
# - /owa, /ecp, /Microsoft-Server-ActiveSync: sslFlags "Ssl,Ssl128", anonymous off, Basic on,
#   Windows off;
# - /EWS, /Autodiscover, /rpc: sslFlags "Ssl,Ssl128", anonymous off, Basic on, Windows on with
#   the providers Negotiate and NTLM;
# - exchange2016-owa-no-ssl: the same file with the /owa <access sslFlags="None" />.
# A vdir with Ssl in sslFlags answers plain HTTP with 403.4; without it, plain HTTP is served as
# TLS is. Basic or Windows enabled (anonymous off) answers 401 with its challenges.
HARDENED = {
    "/": ANONYMOUS,
    "/owa": vdir(True, True),
    "/ecp": vdir(True, True),
    "/EWS": vdir(True, True, WIN),
    "/Microsoft-Server-ActiveSync": vdir(True, True),
    "/Autodiscover": vdir(True, True, WIN),
    "/rpc": vdir(True, True, WIN),
}
IIS_BEHAVIOUR = {
    "exchange2016": {"hsts": HSTS, "vdirs": HARDENED},
    "exchange2016-owa-no-ssl": {"hsts": HSTS, "vdirs": {**HARDENED, "/owa": vdir(False, True)}},
}

VERDICTS = ("pass", "fail")


def free_ports(n):
    """n distinct free ports (all bound at once, so the system cannot hand out one twice)."""
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def location_block(path, behaviour, plain, hsts):
    """One nginx location answering as IIS does for `path` over plain HTTP or TLS."""
    # IIS matches paths case-insensitively; the root is an exact match so it does not swallow
    # the other vdirs.
    head = "location = / {" if path == "/" else f"location ~* ^{path}(/|$) {{"
    lines = [head, "  default_type text/html;"]
    # IIS custom headers go on every answer of the site, errors included, over both schemes
    # (over plain HTTP a browser ignores Strict-Transport-Security; policyprobe reads it only
    # from https answers).
    if hsts:
        lines.append(f'  add_header Strict-Transport-Security "{hsts}" always;')
    if plain and behaviour["ssl"]:
        lines.append(f"  return 403 '{BODY_403_4}';")
    elif behaviour.get("anonymous"):
        lines.append(f"  return 200 '{BODY_ROOT}';")
    else:
        for provider in behaviour["windows"]:
            lines.append(f'  add_header WWW-Authenticate "{provider}" always;')
        if behaviour["basic"]:
            lines.append(f"  add_header WWW-Authenticate 'Basic realm=\"{REALM}\"' always;")
        lines.append("  return 401 '<html><body><h1>401 - Unauthorized: Access is denied due to invalid credentials.</h1></body></html>';")
    lines.append("}")
    return "\n    ".join(lines)


def write_conf(prefix, table, tls_port, plain_port):
    user = "user root;" if os.getuid() == 0 else ""
    temp = os.path.join(prefix, "temp")
    blocks = {}
    for plain in (False, True):
        blocks[plain] = "\n    ".join(location_block(p, b, plain, table["hsts"]) for p, b in table["vdirs"].items())
    conf = os.path.join(prefix, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""{user}
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
http {{
  access_log {prefix}/access.log;
  server_tokens off;
  client_body_temp_path {temp}/body; proxy_temp_path {temp}/proxy; fastcgi_temp_path {temp}/fastcgi;
  uwsgi_temp_path {temp}/uwsgi; scgi_temp_path {temp}/scgi;
  server {{
    listen 127.0.0.1:{tls_port} ssl; server_name good.lab.test;
    ssl_certificate {certs}/good.chain.pem; ssl_certificate_key {certs}/leaf.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    {blocks[False]}
    location / {{ return 404; }}
  }}
  server {{
    listen 127.0.0.1:{plain_port}; server_name good.lab.test;
    {blocks[True]}
    location / {{ return 404; }}
  }}
}}
""")
    return conf


def nginx(prefix, conf, *args):
    return subprocess.run([NGINX, "-p", prefix, "-c", conf, "-e", os.path.join(prefix, "error.log"), *args],
                          capture_output=True, text=True, timeout=30)


def wait_up(tls_port, plain_port):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", tls_port), timeout=5) as raw:
                with ctx.wrap_socket(raw, server_hostname="good.lab.test"):
                    pass
            with socket.create_connection(("127.0.0.1", plain_port), timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("FAIL: the test's nginx did not come up within 20 s")


def run_scan(args, what):
    p = subprocess.run([pp, "scan", *args, "--quiet"], capture_output=True, text=True, timeout=900)
    if p.returncode not in (0, 1):
        raise SystemExit(f"FAIL: the {what} scan exited {p.returncode}: {p.stderr[-1500:]}")


def vdir_paths(report, keep):
    """{subject id: vdir path} of the report's vdir subjects that keep(subject) accepts."""
    return {s["id"]: s["path"] for s in json.load(open(report))["subjects"] if s.get("kind") == "vdir" and keep(s)}


def verdicts(report, paths):
    """{(rule_id, vdir path): status} of the results on the subjects in `paths`."""
    return {(r["rule_id"], paths[r["subject"]]): r["status"]
            for r in json.load(open(report))["results"] if r["subject"] in paths}


def known_facts(report, paths):
    """{vdir path: {fact name: value}} of the known facts on the subjects in `paths`."""
    out = {}
    for f in json.load(open(report))["facts"]:
        if f["subject"] in paths and f["state"] == "known":
            out.setdefault(paths[f["subject"]], {})[f["name"]] = f["value"]
    return out


shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
failures, comparisons, statuses = [], 0, set()
compared_rules = set()
owa_no_ssl_fails = {}


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


for fixture, table in IIS_BEHAVIOUR.items():
    print(f"== {fixture}")
    fdir = os.path.join(work, fixture)
    prefix = os.path.join(fdir, "nginx")
    os.makedirs(os.path.join(prefix, "temp"))
    config = os.path.join(src, "tests", "fixtures", "iis", fixture, "applicationHost.config")
    paths = list(table["vdirs"])

    # 1. The configuration scan.
    cfg_json = os.path.join(fdir, "cfg.json")
    run_scan(["--config", f"iis:{config}", "--json", cfg_json], "configuration")
    cfg_paths = vdir_paths(cfg_json, lambda s: s.get("host") == SITE and s.get("path") in paths)
    cfg = verdicts(cfg_json, cfg_paths)
    cfg_facts = known_facts(cfg_json, cfg_paths)

    # The table against what the configuration scan read from the same XML: the facts a file
    # fixes must agree with the behaviour written above (a disagreement is a wrong table or a
    # wrong reading of the file, either of which makes the comparison below meaningless).
    for p, b in table["vdirs"].items():
        facts = cfg_facts.get(p, {})
        # No vdir of these files has an httpRedirect; the HSTS value's max-age is 31536000.
        expect = {"http.plain.ssl_required": b["ssl"], "http.tls.basic_offered": b["basic"],
                  "http.plain.basic_offered": b["basic"] and not b["ssl"], "http.plain.redirects_to_https": False,
                  "http.tls.hsts": bool(table["hsts"]), "http.tls.hsts_max_age": 31536000}
        for name, want in expect.items():
            got = facts.get(name)
            check(got == want, f"table vs configuration fact {p} {name}: table {want}, file {got}")

    # 2. The simulated IIS.
    tls_port, plain_port = free_ports(2)
    conf = write_conf(prefix, table, tls_port, plain_port)
    r = nginx(prefix, conf)
    if r.returncode != 0:
        raise SystemExit(f"FAIL: nginx did not start: {r.stderr}")
    try:
        wait_up(tls_port, plain_port)
        # 3. The network scan of the same vdirs.
        inventory = os.path.join(fdir, "inventory.toml")
        with open(inventory, "w") as f:
            f.write(f"""schema = 1
[[target]]
name = "iis-{fixture}"
host = "127.0.0.1"
sni = "good.lab.test"
services = ["https:{tls_port}", "http:{plain_port}"]
vdirs = {json.dumps(paths)}
expected_names = ["good.lab.test"]
""")
        net_json = os.path.join(fdir, "net.json")
        run_scan(["-i", inventory, "--ca-file", ca, "--timeout", "5", "--json", net_json], "network")
    finally:
        nginx(prefix, conf, "-s", "stop")

    net_paths = vdir_paths(net_json, lambda s: s.get("path") in paths)
    net = verdicts(net_json, net_paths)
    check(any(k[1] == "/owa" for k in cfg), f"{fixture}: the configuration scan has /owa results")
    check(any(k[1] == "/owa" for k in net), f"{fixture}: the network scan has /owa results")

    # 4. Compare.
    for key in sorted(set(cfg) | set(net), key=lambda k: (k[1], k[0])):
        rule, p = key
        c, n = cfg.get(key, "none"), net.get(key, "none")
        if c in VERDICTS and n in VERDICTS:
            comparisons += 1
            statuses.add(c)
            compared_rules.add(rule)
            check(c == n, f"{fixture} {p} {rule}: config {c}, network {n}")
            if fixture == "exchange2016-owa-no-ssl" and p == "/owa" and c == n == "fail":
                owa_no_ssl_fails[rule] = True
        elif c in VERDICTS or n in VERDICTS:
            print(f"info {fixture} {p} {rule}: config {c}, network {n} (judged by one side only)")

print("== summary")
check(comparisons >= 10, f"{comparisons} (rule, vdir) verdicts compared (at least 10)")
check({"pass", "fail"} <= statuses, f"the compared verdicts include a pass and a fail: {sorted(statuses)}")
# The network rules given a config side judge both scans here and must agree: request filtering
# refuses TRACE and TRACK where nginx answers them 405, no directory browsing and no listing, no
# versioned custom banner and no versioned Server header, ActiveSync with Basic only.
config_sides = {"WEB-001", "WEB-003", "WEB-005", "EXF-005"}
check(config_sides <= compared_rules, f"the config sides are compared: missing {sorted(config_sides - compared_rules)}")
check(bool({"EXF-002", "EXF-003"} & set(owa_no_ssl_fails)),
      f"exchange2016-owa-no-ssl /owa fails in both scans: {sorted(owa_no_ssl_fails)}")
print(f"{comparisons} comparisons, {len(failures)} failed")
sys.exit(1 if failures else 0)
