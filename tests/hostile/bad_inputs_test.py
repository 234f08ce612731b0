#!/usr/bin/env python3
"""Bad rule, profile, waiver, inventory and nmap files: a positioned error, exit 2, and
nothing scanned, not even half-way.

Every case points the scan at a witness server that counts connections; a good inventory is
given with the broken rule/profile/waiver files, and the broken inventories name the witness
beside the broken entry, so a scanner that started on the good part would be caught.

Cases: every file of tests/rules/bad/ (as --rules DIR; the profile one with --profile) with
the positions its `# expect: L:C:` lines name, and tests/hostile/bad/* (inventories, waivers,
nmap XML) whose `expect: L` line gives the line the error must name.

usage: bad_inputs_test.py POLICYPROBE WORKDIR
"""
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hostile_servers  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("PP_SOURCE_DIR") or os.path.normpath(os.path.join(HERE, "..", ".."))
failures = []


def expectations(text):
    """[(line, column or None, words)] from `expect: L[:C][: words]` comments."""
    out = []
    for m in re.finditer(r"expect:\s*(\d+)(?::(\d+))?:?\s*([^\n>]*?)\s*(?:-->)?$", text, re.M):
        out.append((int(m.group(1)), int(m.group(2)) if m.group(2) else None, m.group(3).strip()))
    return out


def run_case(pp, label, args, bad_path, expects, witness):
    before = witness.connections
    proc = subprocess.run([pp, "scan", "--timeout", "2", *args], capture_output=True, text=True, timeout=120)
    out = proc.stdout + proc.stderr
    ok = True
    if proc.returncode != 2:
        failures.append(f"{label}: exit {proc.returncode}, wanted 2; output: {out[-300:]!r}")
        ok = False
    positions = re.findall(re.escape(bad_path) + r":(\d+):(\d+):", out)
    if not positions:
        failures.append(f"{label}: no '{bad_path}:line:column:' in the output: {out[-300:]!r}")
        ok = False
    for line, col, words in expects:
        hit = [p for p in positions if int(p[0]) == line and (col is None or int(p[1]) == col)]
        if not hit:
            failures.append(f"{label}: no error at line {line}" + (f" column {col}" if col else "")
                            + f" (got {positions[:5]}); output: {out[-300:]!r}")
            ok = False
        elif words and words.lower() not in out.lower():
            failures.append(f"{label}: the message does not say {words!r}: {out[-300:]!r}")
            ok = False
    if witness.connections != before:
        failures.append(f"{label}: {witness.connections - before} connections made although the input was bad")
        ok = False
    first = next((l for l in out.splitlines() if bad_path in l), out.strip().splitlines()[0] if out.strip() else "")
    print(f"{'ok  ' if ok else 'FAIL'} {label}: exit {proc.returncode}: {first[:150]}")


def max_rss_kib(cmd):
    """(exit code, peak resident KiB, stderr) of `cmd`, measured in a fresh child process so
    earlier runs do not count."""
    code = ("import resource, subprocess, sys\n"
            "p = subprocess.run(sys.argv[1:], capture_output=True, timeout=120)\n"
            "sys.stdout.write(f'{p.returncode} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}')\n"
            "sys.stderr.write(p.stderr.decode(errors='replace'))\n")
    proc = subprocess.run([sys.executable, "-c", code, *cmd], capture_output=True, text=True, timeout=180)
    rc, rss = proc.stdout.split()
    return int(rc), int(rss), proc.stderr


def main():
    pp, work = sys.argv[1], sys.argv[2]
    if os.path.isdir(work):
        shutil.rmtree(work)
    os.makedirs(work)
    witness = hostile_servers.Server("witness", "127.0.0.70", hostile_servers.h_witness)
    try:
        good_inv = os.path.join(work, "good.toml")
        with open(good_inv, "w") as f:
            f.write(f'schema = 1\n[[target]]\nname = "witness"\nhost = "{witness.ip}"\n'
                    f'services = ["http:{witness.port}"]\nvdirs = ["/owa"]\n')

        rules_bad = os.path.join(SRC, "tests", "rules", "bad")
        for name in sorted(os.listdir(rules_bad)):
            if not name.endswith(".toml"):
                continue
            d = os.path.join(work, "rules-" + name[:-5])
            os.makedirs(d)
            path = os.path.join(d, name)
            shutil.copy(os.path.join(rules_bad, name), path)
            text = open(path).read()
            args = ["-i", good_inv, "--rules", d]
            m = re.search(r'^\[profile\][^\[]*?^name\s*=\s*"([^"]+)"', text, re.M | re.S)
            if m:
                args += ["--profile", m.group(1)]
            run_case(pp, "rules/" + name, args, path, expectations(text), witness)

        bad = os.path.join(HERE, "bad")
        for name in sorted(os.listdir(bad)):
            text = open(os.path.join(bad, name)).read()
            text = text.replace("@WITNESS_HOST@", witness.ip).replace("@WITNESS_PORT@", str(witness.port))
            path = os.path.join(work, name)
            with open(path, "w") as f:
                f.write(text)
            if name.startswith("inventory_"):
                args = ["-i", path]
            elif name.startswith("waiver_"):
                args = ["-i", good_inv, "--waivers", path]
            elif name.startswith("nmap_"):
                args = ["--nmap-xml", path]
            else:
                continue
            run_case(pp, "hostile/bad/" + name, args, path, expectations(text), witness)

        # A missing file is an error without a position, still exit 2 and nothing scanned.
        before = witness.connections
        proc = subprocess.run([pp, "scan", "-i", good_inv, "--waivers", os.path.join(work, "no-such.toml")],
                              capture_output=True, text=True, timeout=60)
        if proc.returncode != 2 or witness.connections != before:
            failures.append(f"missing waiver file: exit {proc.returncode}, {witness.connections - before} connections")
        # A 50 MB report cut off at the end, as --baseline: refused by a syntax pass that builds
        # nothing, not after a document tree of ten times its size.
        big = os.path.join(work, "truncated-50MB.json")
        row = '{"rule_id": "TLS-001", "target": "t", "subject": "t:443", "status": "fail", "evidence": ["x"]},\n'
        with open(big, "w") as f:
            f.write('{"schema_version": 1, "results": [\n' + row * (50_000_000 // len(row)))
        before = witness.connections
        rc, rss_kib, err = max_rss_kib([pp, "scan", "-i", good_inv, "--baseline", big])
        if rc != 2 or "not valid JSON" not in err or witness.connections != before:
            failures.append(f"truncated 50 MB baseline: exit {rc}, {witness.connections - before} connections: {err[-300:]!r}")
        elif rss_kib > 250_000:
            failures.append(f"truncated 50 MB baseline: {rss_kib // 1024} MiB of memory to find the syntax error")
        else:
            print(f"ok   truncated 50 MB baseline: exit 2 with {rss_kib // 1024} MiB peak memory")
        os.remove(big)
    finally:
        witness.shutdown()
    if failures:
        print(f"{len(failures)} FAILURES:")
        for f in failures:
            print("  - " + f)
        return 1
    print("bad inputs: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
