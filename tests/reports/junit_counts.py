"""Reads the JUnit report with junitparser (as CI plugins do) and checks every count, suite and
case against the JSON report of the same scan, computed independently here."""
import collections
import json
import sys

import junitparser
from junitparser import Error, Failure, JUnitXml, Skipped

xml_path, json_path = sys.argv[1], sys.argv[2]
report = json.load(open(json_path, encoding="utf-8"))
results = report["results"]
assert results, "the fixture has results"

xml = JUnitXml.fromfile(xml_path)
suites = list(xml)
expected_targets = sorted({r["target"] for r in results} | set(report["targets"]))
assert [s.name for s in suites] == expected_targets, ([s.name for s in suites], expected_targets)

problems = []
total = collections.Counter()
for suite in suites:
    mine = [r for r in results if r["target"] == suite.name]
    want = collections.Counter(r["status"] for r in mine)
    cases = list(suite)
    got = collections.Counter()
    for case in cases:
        kinds = {type(x) for x in case.result}
        got["fail" if Failure in kinds else "error" if Error in kinds else "skipped" if Skipped in kinds else "pass"] += 1
        if Failure in kinds:
            f = [x for x in case.result if isinstance(x, Failure)][0]
            if f.type not in ("info", "low", "medium", "high", "critical"):
                problems.append(f"{case.name}: failure type {f.type!r} is not a severity")
            if not f.message:
                problems.append(f"{case.name}: failure without message")
    want_skipped = want["skipped"] + want["waived"] + want.get("blocked", 0)
    checks = {
        "tests": (suite.tests, len(mine), len(cases)),
        "failures": (suite.failures, want["fail"], got["fail"]),
        "errors": (suite.errors, want["error"], got["error"]),
        "skipped": (suite.skipped, want_skipped, got["skipped"]),
    }
    for name, (attr, expect, counted) in checks.items():
        if not (attr == expect == counted):
            problems.append(f"suite {suite.name}: {name} attribute={attr} json={expect} cases={counted}")
    total.update(want)
    for r in mine:
        name = f'{r["rule_id"]} {r["title"]} [{r["subject"]}]'
        if not any(c.name == name and c.classname == r["pack"] for c in cases):
            problems.append(f"no testcase {name!r} with classname {r['pack']!r}")

xml.update_statistics()  # what junitparser computes from the cases
if xml.tests != len(results) or xml.failures != total["fail"] or xml.errors != total["error"]:
    problems.append(f"totals: tests={xml.tests} failures={xml.failures} errors={xml.errors} vs {dict(total)}")
raw = JUnitXml.fromfile(xml_path)
if (raw.tests, raw.failures, raw.errors) != (xml.tests, xml.failures, xml.errors):
    problems.append(f"<testsuites> totals differ from the cases: {raw.tests}/{raw.failures}/{raw.errors}")

if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"junitparser {junitparser.version}: {len(suites)} suites, {len(results)} cases, counts match")
