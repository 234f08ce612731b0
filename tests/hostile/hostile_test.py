#!/usr/bin/env python3
"""One scan of every hostile server (tests/hostile/hostile_servers.py) plus healthy ones.

Holds the scan to its bounds: it finishes within a wall-time bound; its peak memory stays
bounded; each hostile target gets error results with a reason a person can read (or the
correct fact); the healthy targets get exactly the results a scan of them alone gets; the
JUnit, JSON, SARIF and HTML reports are well-formed and every hostile string in them is
escaped; no server received credentials and the off-host redirect target was never contacted.

usage: hostile_test.py POLICYPROBE WORKDIR [CASE...]
"""
import base64
import json
import os
import re
import resource
import shutil
import struct
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hostile_servers  # noqa: E402

TIMEOUT = 2            # --timeout: seconds per network wait
TARPIT_TIMEOUT = 1     # --timeout for the tarpit scan: its default budget is 12 x 1 s, at least 10 s
TARPIT_MARGIN = 8      # seconds beyond the budget for start-up, the reports and the last waits
WALL_LIMIT = 90        # seconds for the whole hostile scan (30 targets, 2 s waits; ~35 s seen)
RSS_LIMIT_MB = 100     # peak RSS of the scanner (~35 MB seen; the floods send 10 MB lines and 1 GiB bodies)
READABLE = re.compile(r"[A-Za-z]{4,}")

failures = []
CA_FILE = []  # the hostile lab's test CA, trusted by every scan (healthy chains are complete)


def without_ntlm_negotiate(data):
    """The bytes with every `Authorization: NTLM <token>` line removed whose token is an NTLM
    NEGOTIATE (type 1) naming no domain and no workstation: the one Authorization the scanner
    sends, to a 401 that offers NTLM. Any other Authorization stays, and fails the check."""
    out = []
    for line in data.split(b"\n"):
        if line.lower().startswith(b"authorization: ntlm "):
            token = line.strip()[len(b"authorization: ntlm "):]
            try:
                raw = base64.b64decode(token, validate=True)
            except ValueError:
                raw = b""
            if (len(raw) >= 32 and raw[:8] == b"NTLMSSP\0" and struct.unpack("<I", raw[8:12])[0] == 1
                    and struct.unpack("<H", raw[16:18])[0] == 0 and struct.unpack("<H", raw[24:26])[0] == 0):
                continue
        out.append(line)
    return b"\n".join(out)


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def asan_build(pp):
    """ASan's shadow memory and quarantine multiply RSS; the bound is for the real binary, so an
    instrumented one (ci/test.sh runs every test in build/asan too) gets a looser one."""
    with open(pp, "rb") as f:
        data = f.read()
    # gcc links the runtime dynamically (libasan.so): only the instrumentation's symbols are in
    # the binary; clang may link it statically (then its name is there too).
    return b"__asan_init" in data or b"AddressSanitizer" in data


def asan_rss_limit(limit_mb):
    """The bound for an instrumented binary: shadow memory and redzones multiply what the real
    binary holds, and the quarantine keeps up to quarantine_size_mb of freed blocks (256 MB
    unless ASAN_OPTIONS says otherwise) however little is live. A buffered 1 GiB body or a
    10 MB line per connection still exceeds it."""
    quarantine = 256
    m = re.search(r"quarantine_size_mb=(\d+)", os.environ.get("ASAN_OPTIONS", ""))
    if m:
        quarantine = int(m.group(1))
    return limit_mb * 4 + quarantine


def run_scan(pp, inventory, out, extra=(), timeout=TIMEOUT):
    extra = list(extra) + (["--ca-file", CA_FILE[0]] if CA_FILE else [])
    os.makedirs(out, exist_ok=True)
    paths = {k: os.path.join(out, "report." + k) for k in ("json", "junit", "html", "sarif")}
    cmd = [pp, "scan", "-i", inventory, "--timeout", str(timeout), "--json", paths["json"], "--junit",
           paths["junit"], "--html", paths["html"], "--sarif", paths["sarif"], *extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.monotonic()
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=WALL_LIMIT * 3)
    except subprocess.TimeoutExpired:
        failures.append(f"scan still running after {WALL_LIMIT * 3} s: killed")
        return None, None, paths, WALL_LIMIT * 3, 0
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest of any waited-for child so far (KiB on Linux);
    # the openssl runs before it are tiny, so a rise is the scanner's own peak.
    rss_mb = max(after, before) / 1024.0
    return proc, json_or_none(paths["json"]), paths, wall, rss_mb


def json_or_none(path):
    try:
        with open(path, "rb") as f:
            raw = f.read()
        raw.decode("utf-8")  # strict: a report must be valid UTF-8 whatever the server sent
        return json.loads(raw)
    except (OSError, ValueError) as e:
        failures.append(f"{path}: not valid UTF-8 JSON: {e}")
        return None


def readable(msg):
    """A reason a person can read: words, printable ASCII/UTF-8, no control bytes, not huge."""
    if not msg or len(msg) > 2000:
        return False
    # A server's oversized answer must be named as such, not blamed on this machine.
    if "out of memory" in msg.lower():
        return False
    if any(ord(ch) < 0x20 and ch not in "\t" for ch in msg):
        return False
    return READABLE.search(msg) is not None


def by_target(report):
    res, facts = {}, {}
    for r in report.get("results", []):
        res.setdefault(r["target"], []).append(r)
    for f in report.get("facts", []):
        facts.setdefault(f.get("target") or f["subject"].split(":")[0], []).append(f)
    return res, facts


def fact_value(report, target, name):
    for f in report.get("facts", []):
        if f["name"] == name and (f.get("target") == target):
            return f
    return None


def check_reports(paths, markers_expected):
    # JUnit: schema-free well-formedness with xmllint, and parsable by Python's XML parser.
    x = subprocess.run(["xmllint", "--noout", paths["junit"]], capture_output=True, text=True)
    check(x.returncode == 0, f"JUnit not well-formed: {x.stderr[:500]}")
    try:
        ET.parse(paths["junit"])
    except ET.ParseError as e:
        failures.append(f"JUnit does not parse: {e}")
    for kind in ("json", "sarif"):
        data = open(paths[kind], "rb").read()
        check(not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", data), f"{kind}: raw control bytes in the report")
        try:
            json.loads(data.decode("utf-8"))
        except ValueError as e:
            failures.append(f"{kind}: not valid UTF-8 JSON: {e}")
    html = open(paths["html"], "rb").read()
    try:
        html.decode("utf-8")
    except UnicodeDecodeError as e:
        failures.append(f"HTML not valid UTF-8: {e}")
    check(not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", html), "HTML: raw control bytes")
    for raw in (b'<script>alert("pp")', b"<script>alert(&quot;pp", b"<img src=x", b"onerror=alert(1)>"):
        check(raw not in html, f"HTML carries a server's markup unescaped: {raw!r}")
    junit = open(paths["junit"], "rb").read()
    check(b"<script>alert" not in junit and b"<img src=x" not in junit, "JUnit carries raw markup")
    if markers_expected:
        # The hostile strings must reach the reports (escaped), or the test above proves nothing.
        check(b"&lt;script&gt;alert(" in html, "HTML: the hostile certificate/header text never appears (escaped)")
        check(b"&lt;script&gt;alert(" in junit or b"&lt;img src=x" in junit,
              "JUnit: the hostile text never appears (escaped)")
    return html


def main():
    pp, work = sys.argv[1], sys.argv[2]
    only = sys.argv[3:] or None
    if os.path.isdir(work):
        shutil.rmtree(work)
    separate = {c[0] for c in hostile_servers.SEPARATE_CASES}
    main_only = [n for n in only if n not in separate] if only else None
    if only and not main_only:  # only cases scanned on their own were named
        check_tarpit(pp, work)
        return report_and_exit()
    lab = hostile_servers.start(os.path.join(work, "servers"), main_only)
    CA_FILE.append(lab.ca_file)
    try:
        proc, report, paths, wall, rss_mb = run_scan(pp, lab.inventory, os.path.join(work, "all"))
        if proc is None:
            return report_and_exit()
        sys.stdout.write(proc.stdout.decode("utf-8", "replace")[-3000:])
        sys.stderr.write(proc.stderr.decode("utf-8", "replace")[-3000:])
        print(f"hostile scan: exit {proc.returncode}, {wall:.1f} s, peak RSS {rss_mb:.0f} MB")
        check(proc.returncode in (0, 1, 3), f"scan exited {proc.returncode}")
        wall_limit = WALL_LIMIT * (2 if asan_build(pp) else 1)
        check(wall <= wall_limit, f"scan took {wall:.0f} s (> {wall_limit} s)")
        rss_limit = asan_rss_limit(RSS_LIMIT_MB) if asan_build(pp) else RSS_LIMIT_MB
        check(rss_mb <= rss_limit, f"peak RSS {rss_mb:.0f} MB (> {rss_limit} MB)")
        check(not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", proc.stdout + proc.stderr),
              "console output carries raw control bytes from a server")
        if report is None:
            return report_and_exit()
        results, _ = by_target(report)
        healthy = [n for n, e in lab.expect.items() if e == "healthy"]

        for name, expect in lab.expect.items():
            rs = results.get(name, [])
            if not check(rs, f"{name}: no results at all"):
                continue
            errors = [r for r in rs if r["status"] == "error"]
            bad = [r.get("message", "") for r in errors if not readable(r.get("message", ""))]
            check(not bad, f"{name}: {len(bad)} error results with an unreadable or misleading reason, "
                  f"e.g. {bad[0][:200]!r}" if bad else "")
            statuses = sorted({r["status"] for r in rs})
            if expect == "error":
                check(errors, f"{name}: no error result (statuses {statuses})")
                judged = [r for r in rs if r["status"] in ("pass", "fail")]
                check(not judged, f"{name}: nothing could be observed, yet {len(judged)} results judged, e.g. "
                      f"{judged[0]['rule_id'] if judged else ''} {judged[0]['status'] if judged else ''}"
                      f" {judged[0].get('message', '')[:150] if judged else ''}")
            elif expect == "some-error":
                check(errors, f"{name}: no error result (statuses {statuses})")
            elif expect.startswith("fact:"):
                fname, want = expect[5:].split("=")
                f = fact_value(report, name, fname)
                if check(f is not None, f"{name}: no fact {fname}"):
                    check(f.get("state") == "known" and str(f.get("value")).lower() == want,
                          f"{name}: {fname} is {f.get('state')} {f.get('value')!r}, wanted {want} ({f.get('reason')})")
            elif expect == "healthy":
                check(not errors, f"{name}: healthy target has error results: "
                      + "; ".join(f"{r['rule_id']}: {r['message'][:120]}" for r in errors[:3]))
            print(f"  {name}: {len(rs)} results, {len(errors)} errors"
                  + (f" e.g. {errors[0]['message'][:110]!r}" if errors else f" {statuses}"))

        # Redirects: the loop is cut and recorded; the off-host hop is recorded, not followed.
        for name, words in (("http_redirect_loop", "not followed"), ("http_redirect_offhost", "other host")):
            if name in lab.expect:
                f = fact_value(report, name, "http.plain.redirect_chain")
                check(f is not None and f.get("state") == "known" and words in json.dumps(f.get("value")),
                      f"{name}: http.plain.redirect_chain does not record the cut ({words!r}): {f}")

        # Reasons say what happened: the whole wait, never the remainder a last read was given;
        # what came instead of a ServerHello, counted.
        def tls_reasons(name):
            return [f.get("reason") or "" for f in report.get("facts", [])
                    if f.get("target") == name and f["name"].startswith("tls.") and f.get("state") == "unknown"]
        if "tls_silent" in lab.expect:
            rs = tls_reasons("tls_silent")
            check(any(f"no answer within {TIMEOUT} s of the ClientHello" in r for r in rs),
                  f"tls_silent: no reason names the {TIMEOUT} s wait: {rs[:2]}")
            check(not any(re.search(r"within \d+ ms", r) for r in rs),
                  f"tls_silent: a reason names a wait in ms (the remainder of a read?): {rs[:2]}")
        if "tls_hello_request_flood" in lab.expect:
            rs = tls_reasons("tls_hello_request_flood")
            want = "the server sent 10000 HelloRequest messages (90000 bytes) and no ServerHello"
            check(any(want in r for r in rs), f"tls_hello_request_flood: no reason says {want!r}: {rs[:2]}")
            check(not any("truncated" in r for r in rs), f"tls_hello_request_flood: 'truncated' in a reason: {rs[:2]}")

        # The same healthy targets scanned alone must give the same statuses: no interference.
        if healthy:
            inv = lab.write_inventory(os.path.join(work, "healthy.toml"), healthy)
            p2, alone, _, _, _ = run_scan(pp, inv, os.path.join(work, "alone"))
            if alone is not None:
                a, _ = by_target(alone)
                for name in healthy:
                    mixed = sorted((r["rule_id"], r["subject"], r["status"]) for r in results.get(name, []))
                    solo = sorted((r["rule_id"], r["subject"], r["status"]) for r in a.get(name, []))
                    diff = sorted(set(mixed) ^ set(solo))
                    check(not diff, f"{name}: results differ when scanned beside the hostile servers: {diff[:5]}")

        check_reports(paths, "tls_hostile_names" in lab.expect)

        # Safety, from the servers' side: no credentials, no off-host request.
        for name, srv in lab.servers.items():
            got = without_ntlm_negotiate(srv.all_received()).lower()
            check(b"authorization:" not in got and b"proxy-authorization:" not in got,
                  f"{name}: the scanner sent an Authorization header (other than the NTLM NEGOTIATE)")
            check(b"auth plain" not in got and b"auth login" not in got and b"\r\nuser " not in got
                  and b" login " not in got, f"{name}: the scanner tried to log in")
        check(lab.witness.connections == 0,
              f"the off-host redirect target was contacted {lab.witness.connections} times")
    finally:
        lab.shutdown()
    if only is None or "tls_tarpit" in only:
        check_tarpit(pp, work)
    return report_and_exit()


def check_tarpit(pp, work):
    """A ServerHello for every suite offered, then silence: without a bound every connection
    costs a full wait and one endpoint holds the scan for minutes. The endpoint budget ends it."""
    lab = hostile_servers.start(os.path.join(work, "tarpit-servers"), ["tls_tarpit"])
    try:
        budget = max(10, 12 * TARPIT_TIMEOUT)
        proc, report, _, wall, _ = run_scan(pp, lab.inventory, os.path.join(work, "tarpit"), timeout=TARPIT_TIMEOUT)
        if proc is None:
            return
        srv = lab.servers["tls_tarpit"]
        print(f"tarpit scan: exit {proc.returncode}, {wall:.1f} s (budget {budget} s), "
              f"{srv.connections} connections seen by the server")
        check(wall <= budget + TARPIT_MARGIN, f"tarpit: scan took {wall:.1f} s (> budget {budget} s + {TARPIT_MARGIN} s)")
        check(proc.returncode == 3, f"tarpit: scan exited {proc.returncode}, wanted 3 (could not complete)")
        if report is not None:
            text = json.dumps(report)
            check("endpoint budget spent" in text, "tarpit: the report never says 'endpoint budget spent'")
    finally:
        lab.shutdown()


def report_and_exit():
    if failures:
        print(f"\n{len(failures)} FAILURES:")
        for f in failures:
            print("  - " + f)
        return 1
    print("all hostile checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
