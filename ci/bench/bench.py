#!/usr/bin/env python3
"""policyprobe benchmark: the same lab, side by side with sslscan, nmap and
testssl.sh. A benchmark, not a test: it prints a table and writes bench.json; it fails only
when a tool could not run or its output could not be read, never on a timing.

Driven by ci/bench.sh; see ci/bench/README.md."""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab  # noqa: E402
import measure  # noqa: E402
import parsers as P  # noqa: E402

TOOLS = ["policyprobe", "sslscan", "nmap", "testssl"]
# policyprobe's raw probe tries every version from SSLv2 to TLS 1.3 (tls_probe.h).
VERSIONS_PROBED = 6
# Connections beyond the enumeration: server order, ALPN and groups ride on its connections;
# the client-initiated renegotiation check opens one more (probes/tls/README.md).
CHECK_CONNECTIONS = 1


class BenchError(Exception):
    pass


def tool_cmd(tool, pp, port, out, profile="intermediate"):
    target = f"127.0.0.1:{port}"
    if tool == "policyprobe":
        return [pp, "scan", f"https://{target}", "--profile", profile, "--json", out]
    if tool == "sslscan":
        return ["sslscan", "--no-colour", f"--xml={out}", target]
    if tool == "nmap":
        return ["nmap", "-Pn", "-n", "-p", str(port), "--script", "ssl-enum-ciphers,ssl-cert",
                "-oX", out, "127.0.0.1"]
    if tool == "testssl":
        # --nodns none: the lab has no DNS; lookups would only add timeouts to its time.
        return ["testssl", "-p", "-E", "-S", "--nodns", "none", "--warnings", "off",
                "--quiet", "--color", "0", "--jsonfile", out, target]
    raise ValueError(tool)


OUT_EXT = {"policyprobe": "json", "sslscan": "xml", "nmap": "xml", "testssl": "json"}
OK_RC = {"policyprobe": {0, 1}, "sslscan": {0}, "nmap": {0}, "testssl": None}


def parse_tool(tool, out, mapping):
    if tool == "policyprobe":
        by = P.policyprobe_json(out)
        eps = [v for k, v in by.items()]
        if len(eps) != 1:
            raise BenchError(f"policyprobe JSON {out}: expected 1 endpoint, got {len(eps)}")
        r = eps[0]
        if r["errors"]:
            raise BenchError(f"policyprobe could not observe: {r['errors']}")
        return r
    if tool == "sslscan":
        return P.sslscan_xml(out, mapping)
    if tool == "nmap":
        by = P.nmap_xml(out)
        if len(by) != 1:
            raise BenchError(f"nmap XML {out}: no ssl-enum-ciphers output")
        return next(iter(by.values()))
    return P.testssl_json(out, mapping)


def summarise(runs):
    walls = [r["wall_s"] for r in runs]
    conns = [r["connections"] for r in runs]
    rss = [r["rss_kb"] for r in runs if r["rss_kb"] is not None]
    cpu = [r["cpu_s"] for r in runs if r.get("cpu_s") is not None]
    return {
        "runs": len(runs),
        "wall_s_median": statistics.median(walls),
        "wall_s_min": min(walls), "wall_s_max": max(walls),
        "connections_median": statistics.median(conns),
        "connections_min": min(conns), "connections_max": max(conns),
        "peak_rss_kb": max(rss) if rss else None,
        "cpu_s_median": statistics.median(cpu) if cpu else None,
    }


def bench_single(args, work, certs, mapping, log):
    base = lab.free_port_block(3, start=args.port_lo, end=args.port_hi)
    status, ports = base, {"modern": base + 1, "legacy": base + 2}
    d = os.path.join(work, "single")
    ng = lab.Nginx(d, certs, status, lab.single_servers(ports["modern"], ports["legacy"]))
    ng.start([("127.0.0.1", p) for p in ports.values()])
    results = {}
    try:
        for ep, port in ports.items():
            results[ep] = {"port": port, "tools": {}}
            for tool in args.tools:
                n = args.testssl_runs if tool == "testssl" else args.runs
                runs, parsed = [], None
                for i in range(n):
                    label = f"{ep}-{tool}-{i}"
                    out = os.path.join(d, f"{label}.{OUT_EXT[tool]}")
                    if os.path.exists(out):
                        os.unlink(out)
                    log(f"  {ep:6} {tool:11} run {i + 1}/{n} ...")
                    r = measure.run_measured(tool_cmd(tool, args.policyprobe, port, out,
                                                      args.single_profile),
                                             d, label, nginx=ng)
                    ok = OK_RC[tool]
                    if (ok is not None and r["rc"] not in ok) or not os.path.exists(out):
                        raise BenchError(f"{tool} on {ep} failed (exit {r['rc']}); "
                                         f"see {r['log']}")
                    res = parse_tool(tool, out, mapping)
                    if parsed is not None and (res["protocols"] != parsed["protocols"]
                                               or res["suites"] != parsed["suites"]):
                        log(f"    note: {tool} found something else on run {i + 1}")
                    parsed = res
                    runs.append(r)
                    log(f"    {r['wall_s']:.2f} s, {r['connections']} connections, "
                        f"{(r['rss_kb'] or 0) / 1024:.1f} MB")
                s = summarise(runs)
                s["profile"] = args.single_profile if tool == "policyprobe" else None
                s["protocols"] = sorted(parsed["protocols"])
                s["pairs"] = P.pairs(parsed)
                s["suites"] = {k: sorted(v) for k, v in parsed["suites"].items()}
                if tool == "policyprobe":
                    s["self_reported_connections"] = parsed.get("connections")
                results[ep]["tools"][tool] = s
                results[ep].setdefault("_parsed", {})[tool] = parsed
            ours = results[ep]["_parsed"]["policyprobe"]
            for tool, parsed in results[ep].pop("_parsed").items():
                delta = P.diff(ours, parsed)
                results[ep]["tools"][tool]["same_findings"] = delta == ""
                results[ep]["tools"][tool]["difference"] = delta
    finally:
        ng.stop()
    return results


def write_inventory(path, endpoints, base, profile):
    with open(path, "w") as f:
        f.write("# generated by ci/bench/bench.py\nschema = 1\n\n[defaults]\n"
                f'profiles = ["{profile}"]\n\n')
        for i, (host, off) in enumerate(endpoints):
            f.write(f'[[target]]\nname = "ep{i:04d}"\nhost = "{host}"\n'
                    f'services = ["https:{base + off}"]\nvdirs = ["/", "/owa"]\n\n')


def fleet_summary(runs):
    """Medians with their spread over repeated fleet runs of one tool."""
    def med(key):
        vals = [r[key] for r in runs if r.get(key) is not None]
        return (statistics.median(vals), min(vals), max(vals)) if vals else (None, None, None)
    out = dict(runs[-1])  # the last run's details (logs, samples, error sample)
    out["runs"] = len(runs)
    for key in ("wall_s", "endpoints_per_s", "rss_kb", "cpu_s", "connections",
                "endpoints_complete"):
        m, lo, hi = med(key)
        out[key], out[key + "_min"], out[key + "_max"] = m, lo, hi
    if any("max_conns_per_host" in r for r in runs):  # sampled for policyprobe only
        out["max_conns_per_host"] = max(r.get("max_conns_per_host") or 0 for r in runs)
        out["max_conns_total"] = max(r.get("max_conns_total") or 0 for r in runs)
        out["per_host_samples"] = min(r.get("per_host_samples") or 0 for r in runs)
    return out


def fleet_run_policyprobe(args, n, d, inv, ng, label):
    out = os.path.join(d, f"{label}.json")
    cmd = [args.policyprobe, "scan", "--inventory", inv, "--concurrency",
           str(args.concurrency), "--per-host", str(args.per_host), "--json", out]
    r = measure.run_measured(cmd, d, label, nginx=ng, sample_per_host=True)
    if r["rc"] not in (0, 1) or not os.path.exists(out):
        raise BenchError(f"policyprobe fleet {n} failed (exit {r['rc']}); see {r['log']}")
    by = P.policyprobe_json(out)
    r["endpoints_complete"] = sum(1 for v in by.values()
                                  if not v["errors"] and v["protocols"] == {"TLSv1.2", "TLSv1.3"}
                                  and P.pairs(v) == 6)
    r["endpoints_per_s"] = n / r["wall_s"]
    r["errors_sample"] = [e for v in by.values() for e in v["errors"]][:5]
    with open(out) as f:
        doc = json.load(f)
    vdir_facts = [x for x in doc.get("facts", []) if str(x.get("name", "")).startswith("http.")]
    r["http_facts"] = len(vdir_facts)
    r["http_facts_known"] = sum(1 for x in vdir_facts
                                if str(x.get("state", "")).lower() == "known")
    os.unlink(out)  # a 3,000-endpoint report per run adds up
    return r


def fleet_run_nmap(n, d, base, per, hosts, endpoints, ng, label):
    out = os.path.join(d, f"{label}.xml")
    cmd = ["nmap", "-Pn", "-n", "-p", f"{base}-{base + per - 1}", "--script",
           "ssl-enum-ciphers", "-oX", out, f"127.0.0.2-{1 + len(hosts)}"]
    r = measure.run_measured(cmd, d, label, nginx=ng)
    if r["rc"] != 0 or not os.path.exists(out):
        raise BenchError(f"nmap fleet {n} failed (exit {r['rc']}); see {r['log']}")
    by = P.nmap_xml(out)
    want = {(h, base + o) for h, o in endpoints}
    r["endpoints_complete"] = sum(1 for k, v in by.items() if k in want and P.pairs(v) == 6)
    r["endpoints_per_s"] = n / r["wall_s"]
    os.unlink(out)
    return r


def bench_fleet(args, n, work, certs, log):
    """`args.fleet_runs` runs of each tool on one fleet, interleaved (policyprobe, nmap, nmap,
    policyprobe, ...) so a drift of the machine falls on both; medians with min-max."""
    endpoints, per = lab.fleet_layout(n, args.fleet_hosts)
    hosts = sorted({h for h, _ in endpoints}, key=lambda h: int(h.rsplit(".", 1)[1]))
    base = lab.free_port_block(per + 1, start=args.port_lo, end=args.port_hi)
    status = base + per
    d = os.path.join(work, f"fleet{n}")
    ng = lab.Nginx(d, certs, status, lab.fleet_servers(endpoints, base),
                   nofile=max(8192, 4 * n + 1024))
    ng.start([(endpoints[0][0], base + endpoints[0][1]),
              (endpoints[-1][0], base + endpoints[-1][1])])
    inv = os.path.join(d, "inventory.toml")
    write_inventory(inv, endpoints, base, args.fleet_profile)
    res = {"endpoints": n, "hosts": len(hosts), "ports_per_host": per,
           "concurrency": args.concurrency, "per_host": args.per_host,
           "profile": args.fleet_profile, "runs": args.fleet_runs, "tools": {}}
    runs = {"policyprobe": [], "nmap": []}
    tools = ["policyprobe"] + (["nmap"] if args.fleet_nmap else [])
    try:
        for i in range(args.fleet_runs):
            order = tools if i % 2 == 0 else list(reversed(tools))
            for tool in order:
                label = f"{tool}-{i}"
                log(f"  fleet {n:5} {tool:11} run {i + 1}/{args.fleet_runs} ...")
                if tool == "policyprobe":
                    r = fleet_run_policyprobe(args, n, d, inv, ng, label)
                else:
                    r = fleet_run_nmap(n, d, base, per, hosts, endpoints, ng, label)
                runs[tool].append(r)
                log(f"    {r['wall_s']:.2f} s, {r['endpoints_per_s']:.1f} endpoints/s, "
                    f"{(r['rss_kb'] or 0) / 1024:.1f} MB, {r['connections']} connections, "
                    f"complete {r['endpoints_complete']}/{n}"
                    + (f", max {r.get('max_conns_per_host')} per host"
                       if tool == "policyprobe" else ""))
        for tool in tools:
            res["tools"][tool] = fleet_summary(runs[tool])
    finally:
        ng.stop()
    return res


def verdict(ok, text):
    return {"met": bool(ok), "text": text}


def targets(single, fleet):
    """The performance targets, each met or missed with by how much (ratios from this run)."""
    out = {}
    for ep, r in single.items():
        t = r["tools"]
        if "policyprobe" not in t:
            continue
        pp = t["policyprobe"]
        budget = pp["pairs"] + VERSIONS_PROBED + 3 + CHECK_CONNECTIONS
        c = pp["connections_median"]
        out[f"{ep}.connections_budget"] = verdict(
            c <= budget, f"{c:g} connections vs budget {budget} (suites {pp['pairs']} + "
            f"{VERSIONS_PROBED} versions + 3 + {CHECK_CONNECTIONS} for the checks): "
            f"{c / budget:.2f}x")
        if "nmap" in t:
            n = t["nmap"]
            out[f"{ep}.connections_vs_nmap"] = verdict(
                c <= n["connections_median"] / 2,
                f"{c:g} vs nmap {n['connections_median']:g}: "
                f"{c / n['connections_median']:.2f}x (target <= 0.5x)")
            out[f"{ep}.wall_vs_nmap"] = verdict(
                pp["wall_s_median"] <= n["wall_s_median"] / 2,
                f"{pp['wall_s_median']:.3f} s vs nmap {n['wall_s_median']:.3f} s: "
                f"{pp['wall_s_median'] / n['wall_s_median']:.2f}x (target <= 0.5x)")
        if "testssl" in t:
            ts = t["testssl"]
            out[f"{ep}.wall_vs_testssl"] = verdict(
                pp["wall_s_median"] <= ts["wall_s_median"] / 100,
                f"{pp['wall_s_median']:.3f} s vs testssl {ts['wall_s_median']:.1f} s: "
                f"1/{ts['wall_s_median'] / pp['wall_s_median']:.0f} (target <= 1/100)")
        same = all(v.get("same_findings") for v in t.values())
        out[f"{ep}.same_findings"] = verdict(
            same, "all tools agree" if same else
            "; ".join(f"{k}: {v['difference']}" for k, v in t.items() if v["difference"]))
    if fleet:
        big = max(fleet, key=lambda f: f["endpoints"])
        pp = big["tools"]["policyprobe"]
        n = big["endpoints"]
        if "nmap" in big["tools"]:
            nm = big["tools"]["nmap"]
            ratio = pp["endpoints_per_s"] / nm["endpoints_per_s"]
            out[f"fleet{n}.eps_vs_nmap"] = verdict(
                ratio >= 3, f"{pp['endpoints_per_s']:.1f} vs nmap {nm['endpoints_per_s']:.1f} "
                f"endpoints/s: {ratio:.2f}x (target >= 3x)")
        if pp["rss_kb_max"] is not None:
            mb = pp["rss_kb_max"] / 1024
            out[f"fleet{n}.peak_rss"] = verdict(
                mb < 100 or n < 1000, f"{mb:.1f} MB (largest of {pp['runs']} runs) at {n} "
                f"endpoints (target < 100 MB at 1000)")
        # Too few samples of the scanner's sockets is "could not observe", never a pass.
        enough = pp.get("per_host_samples", 0) >= 10 and pp.get("max_conns_total", 0) > 0
        out[f"fleet{n}.per_host_limit"] = verdict(
            enough and pp.get("max_conns_per_host", 0) <= big["per_host"],
            f"at most {pp.get('max_conns_per_host')} sockets to one host seen "
            f"({pp.get('per_host_samples')} samples), limit {big['per_host']}")
        if len(fleet) >= 2:
            small = min(fleet, key=lambda f: f["endpoints"])
            sp, m = small["tools"]["policyprobe"], n / small["endpoints"]
            tr = pp["wall_s"] / sp["wall_s"]
            mr = pp["rss_kb"] / sp["rss_kb"]
            out["fleet.time_linear"] = verdict(
                tr <= 1.3 * m, f"time x{tr:.1f} for endpoints x{m:g} "
                f"(per endpoint {sp['wall_s'] / small['endpoints'] * 1000:.1f} -> "
                f"{pp['wall_s'] / n * 1000:.1f} ms)")
            out["fleet.memory_sublinear"] = verdict(
                mr < m, f"peak RSS x{mr:.2f} for endpoints x{m:g}")
        if len(fleet) >= 3:
            # Memory per added endpoint: the last step of the curve costs less per endpoint
            # than the step before it (the curve flattens).
            f = sorted(fleet, key=lambda x: x["endpoints"])[-3:]
            kb = [x["tools"]["policyprobe"]["rss_kb"] for x in f]
            ns = [x["endpoints"] for x in f]
            step1 = (kb[1] - kb[0]) / (ns[1] - ns[0])
            step2 = (kb[2] - kb[1]) / (ns[2] - ns[1])
            out["fleet.memory_per_endpoint_falling"] = verdict(
                step2 < step1, f"{step1:.1f} KB per endpoint from {ns[0]} to {ns[1]}, "
                f"{step2:.1f} KB from {ns[1]} to {ns[2]}")
    return out


def table(doc):
    L = []
    tools = doc["tools"]
    for ep, r in doc["single"].items():
        L.append(f"\n{ep} endpoint (127.0.0.1:{r['port']})")
        L.append(f"  {'tool':12}{'profile':>13}{'runs':>5}{'wall median s':>15}{'min-max':>15}"
                 f"{'conns':>7}{'peak RSS MB':>13}{'CPU s':>8}{'pairs':>7}  same as ours")
        for t in tools:
            if t not in r["tools"]:
                continue
            s = r["tools"][t]
            L.append(f"  {t:12}{s.get('profile') or '-':>13}{s['runs']:>5}"
                     f"{s['wall_s_median']:>15.3f}"
                     f"{s['wall_s_min']:>7.2f}-{s['wall_s_max']:<7.2f}"
                     f"{s['connections_median']:>7g}{(s['peak_rss_kb'] or 0) / 1024:>13.1f}"
                     f"{s['cpu_s_median'] or 0:>8.2f}{s['pairs']:>7}  "
                     f"{'yes' if s['same_findings'] else 'NO: ' + s['difference']}")
    if doc["fleet"]:
        L.append("\nfleet (one nginx, same certificate, endpoints over loopback hosts; "
                 "policyprobe also probes vdirs / and /owa on each; medians of the runs, "
                 "interleaved with nmap's)")
        L.append(f"  {'endpoints':>9} {'tool':12}{'profile':>9}{'runs':>5}{'wall s':>8}"
                 f"{'min-max':>13}{'endp/s':>8}{'peak RSS MB':>13}{'CPU s':>7}{'conns':>8}"
                 f"{'conns/host':>11}{'complete':>9}{'max/host':>9}")
        for f in doc["fleet"]:
            for t, r in f["tools"].items():
                prof = f["profile"] if t == "policyprobe" else "-"
                L.append(f"  {f['endpoints']:>9} {t:12}{prof:>9}{r['runs']:>5}"
                         f"{r['wall_s']:>8.2f}{r['wall_s_min']:>6.2f}-{r['wall_s_max']:<6.2f}"
                         f"{r['endpoints_per_s']:>8.1f}{(r['rss_kb'] or 0) / 1024:>13.1f}"
                         f"{r.get('cpu_s') or 0:>7.1f}{r['connections']:>8g}"
                         f"{r['connections'] / f['endpoints']:>11.1f}"
                         f"{r['endpoints_complete']:>9g}"
                         f"{str(r.get('max_conns_per_host', '-')):>9}")
    L.append("\ntargets")
    for k, v in doc["targets"].items():
        L.append(f"  {'met   ' if v['met'] else 'MISSED'} {k}: {v['text']}")
    return "\n".join(L)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--policyprobe", required=True)
    ap.add_argument("--out", required=True, help="directory for bench.json and logs")
    ap.add_argument("--smoke", action="store_true",
                    help="a few endpoints, one run each, no testssl: checks the script works")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--testssl-runs", type=int, default=1)
    ap.add_argument("--fleet", default="100,1000,3000",
                    help="fleet sizes, comma-separated ('' none)")
    ap.add_argument("--fleet-runs", type=int, default=3,
                    help="runs of each tool per fleet size, interleaved")
    ap.add_argument("--single-profile", default="intermediate",
                    help="policyprobe's profile on the single endpoints (the fleet's is "
                         "--fleet-profile)")
    ap.add_argument("--ports", default="12000-32000",
                    help="range the lab's listening ports are taken from (LO-HI)")
    ap.add_argument("--fleet-hosts", type=int, default=50)
    ap.add_argument("--fleet-profile", default="default")
    ap.add_argument("--no-fleet-nmap", dest="fleet_nmap", action="store_false")
    ap.add_argument("--concurrency", type=int, default=64)
    ap.add_argument("--per-host", type=int, default=4)
    ap.add_argument("--tools", default=",".join(TOOLS))
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    args = ap.parse_args()
    args.tools = [t for t in args.tools.split(",") if t]
    try:
        args.port_lo, args.port_hi = (int(x) for x in args.ports.split("-", 1))
    except ValueError:
        raise SystemExit(f"bench: --ports wants LO-HI, got {args.ports!r}")
    if args.smoke:
        args.runs = 1
        args.fleet_runs = 1
        args.tools = [t for t in args.tools if t != "testssl"]
        if args.fleet == "100,1000,3000":
            args.fleet = "20"
    if "policyprobe" not in args.tools:
        args.tools.insert(0, "policyprobe")
    sizes = [int(x) for x in args.fleet.split(",") if x]

    for t in args.tools:
        exe = args.policyprobe if t == "policyprobe" else t
        if not shutil.which(exe) and not os.access(exe, os.X_OK):
            raise SystemExit(f"bench: {exe} not found")
    for exe in ("nginx", "openssl", "ss", measure.GNU_TIME):
        if not shutil.which(exe):
            raise SystemExit(f"bench: {exe} not found (ci/setup.sh installs it)")

    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="pp-bench-", dir=args.out)
    t_start = time.monotonic()

    def log(msg):
        print(msg, flush=True)

    try:
        log(f"bench: work dir {work}")
        certs = lab.make_certs(os.path.join(work, "certs"))
        mapping = P.load_mapping()
        log("single endpoint: modern and legacy")
        single = bench_single(args, work, certs, mapping, log)
        fleet = []
        for n in sizes:
            fleet.append(bench_fleet(args, n, work, certs, log))
    except (BenchError, RuntimeError, subprocess.CalledProcessError) as e:
        print(f"bench: FAILED: {e}", file=sys.stderr)
        print(f"bench: logs kept in {work}", file=sys.stderr)
        return 1

    def versions():
        v = {}
        for cmd, key in ((["sslscan", "--version"], "sslscan"), (["nmap", "--version"], "nmap"),
                         (["nginx", "-v"], "nginx"), (["openssl", "version"], "openssl")):
            try:
                p = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
                v[key] = (p.stdout + p.stderr).strip().splitlines()[0:2]
            except (OSError, subprocess.TimeoutExpired):
                v[key] = None
        return v

    doc = {
        "schema_version": 2,
        "mode": "smoke" if args.smoke else "full",
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "duration_s": time.monotonic() - t_start,
        "machine": {"cpus": os.cpu_count(), "kernel": platform.release(),
                    "loadavg_at_end": os.getloadavg()},
        "versions": versions(),
        "connections_counted_by": "nginx stub_status 'accepts' before/after each run, "
                                  "minus the status read itself",
        "tools": args.tools,
        "runs": {"default": args.runs, "testssl": args.testssl_runs,
                 "fleet": args.fleet_runs},
        "profiles": {"single": args.single_profile, "fleet": args.fleet_profile},
        "single": single,
        "fleet": fleet,
    }
    doc["targets"] = targets(single, fleet)
    path = os.path.join(args.out, "bench.json")
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(doc, f, indent=2, sort_keys=False)
    os.replace(tmp, path)
    log(table(doc))
    log(f"\nbench: {path} ({doc['duration_s']:.0f} s)")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
