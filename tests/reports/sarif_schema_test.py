#!/usr/bin/env python3
"""Validates SARIF files against the official SARIF 2.1.0 JSON schema, and checks what GitHub
code scanning adds: every artifact location is a relative URI against a declared uriBaseId,
never an absolute URI (network subjects are no files of the checkout).

sarif-schema-2.1.0.json beside this file is the OASIS schema (SARIF 2.1.0 errata 01, its "id"
names the published copy), vendored unchanged so the check runs without network.

usage: sarif_schema_test.py FILE.sarif...
       sarif_schema_test.py --render-fixture RENDER_FIXTURE_BINARY WORK_DIR
Exit 77 (skipped) when python3-jsonschema is not installed.
"""
import json
import os
import subprocess
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed (ci/setup.sh installs it): skipped")
    sys.exit(77)

SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sarif-schema-2.1.0.json")


def problems(path):
    """Every schema violation and code-scanning location problem in one SARIF file."""
    with open(SCHEMA, encoding="utf-8") as fh:
        schema = json.load(fh)
    with open(path, encoding="utf-8") as fh:
        doc = json.load(fh)
    validator = jsonschema.Draft4Validator(schema)
    found = [f"{path}: {'/'.join(str(p) for p in e.absolute_path)}: {e.message[:300]}"
             for e in validator.iter_errors(doc)]
    for run in doc.get("runs", []):
        bases = run.get("originalUriBaseIds", {})
        for i, res in enumerate(run.get("results", [])):
            for loc in res.get("locations", []):
                art = loc.get("physicalLocation", {}).get("artifactLocation")
                if art is None:
                    found.append(f"{path}: result {i}: no physicalLocation.artifactLocation (code scanning needs one)")
                    continue
                uri = art.get("uri", "")
                scheme = uri.split("/", 1)[0]
                if not uri or ":" in scheme:
                    found.append(f"{path}: result {i}: artifact uri {uri!r} is not a relative reference")
                if art.get("uriBaseId") not in bases:
                    found.append(f"{path}: result {i}: uriBaseId {art.get('uriBaseId')!r} not in originalUriBaseIds")
                if not loc.get("logicalLocations"):
                    found.append(f"{path}: result {i}: no logicalLocations")
    return found


def main(argv):
    files = argv
    if argv and argv[0] == "--render-fixture":
        binary, work = argv[1], argv[2]
        os.makedirs(work, exist_ok=True)
        subprocess.run([binary, work], check=True)
        files = [os.path.join(work, "report.sarif")]
    if not files:
        print(__doc__)
        return 2
    found = [p for f in files for p in problems(f)]
    for p in found:
        print("FAIL", p)
    print(f"{len(files)} SARIF file(s), {len(found)} problem(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
