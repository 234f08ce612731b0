#!/usr/bin/env python3
"""Renders the README's Performance table from a bench.json (so the numbers in the README are
the ones a run wrote, never copied by hand): readme_section.py out/bench/bench.json"""

import json
import sys


def main(path):
    d = json.load(open(path))
    prof = d.get("profiles", {"single": "intermediate", "fleet": "default"})
    L = [f"Run: {d['started']} ({d['mode']}, {d['duration_s'] / 60:.0f} min), "
         f"{d['machine']['cpus']} CPUs shared (load average at end "
         f"{d['machine']['loadavg_at_end'][0]:.1f}). Wall time: our monotonic clock around a "
         f"blocking wait; single endpoints: median of {d['runs']['default']} runs (testssl: "
         f"{d['runs']['testssl']}); fleets: median of {d['runs'].get('fleet', 1)} runs per "
         f"tool, interleaved, with min-max. Connections: nginx stub_status accepts before/after "
         f"each run. Peak RSS and CPU: GNU time -v. policyprobe's profile: `{prof['single']}` "
         f"on the single endpoints, `{prof['fleet']}` on the fleets.", ""]
    for ep, r in d["single"].items():
        L.append(f"**{ep} endpoint**\n")
        L.append("| tool | profile | wall s (median) | TCP connections | peak RSS MB | CPU s | "
                 "protocol/suite pairs | same findings as policyprobe |")
        L.append("|---|---|---:|---:|---:|---:|---:|---|")
        for t in d["tools"]:
            s = r["tools"].get(t)
            if not s:
                continue
            L.append(f"| {t} | {s.get('profile') or '-'} | {s['wall_s_median']:.3f} | {s['connections_median']:g} | "
                     f"{(s['peak_rss_kb'] or 0) / 1024:.1f} | {s['cpu_s_median'] or 0:.2f} | "
                     f"{s['pairs']} | {'yes' if s['same_findings'] else 'no: ' + s['difference']} |")
        L.append("")
    if d["fleet"]:
        L.append("**fleet** (one nginx, one certificate, endpoints over 50 loopback hosts; "
                 f"policyprobe: profile `{prof['fleet']}`, TLS + certificate + HTTP vdirs `/` "
                 "and `/owa`; nmap: `ssl-enum-ciphers`)\n")
        L.append("| endpoints | tool | runs | wall s median (min-max) | endpoints/s | "
                 "peak RSS MB | CPU s | TCP connections per endpoint | complete | "
                 "max sockets to one host (limit) |")
        L.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---|")
        for f in d["fleet"]:
            for t, r in f["tools"].items():
                lim = (f"{r.get('max_conns_per_host')} ({f['per_host']})"
                       if t == "policyprobe" else "-")
                spread = (f" ({r['wall_s_min']:.1f}-{r['wall_s_max']:.1f})"
                          if "wall_s_min" in r else "")
                L.append(f"| {f['endpoints']} | {t} | {r.get('runs', 1)} | "
                         f"{r['wall_s']:.1f}{spread} | "
                         f"{r['endpoints_per_s']:.1f} | {(r['rss_kb'] or 0) / 1024:.1f} | "
                         f"{r.get('cpu_s') or 0:.1f} | "
                         f"{r['connections'] / f['endpoints']:.1f} | "
                         f"{r['endpoints_complete']:g}/{f['endpoints']} | {lim} |")
        L.append("")
    L.append("**targets** (ratios from the same run)\n")
    for k, v in d["targets"].items():
        L.append(f"- {'met' if v['met'] else '**missed**'} — `{k}`: {v['text']}")
    print("\n".join(L))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "out/bench/bench.json")
