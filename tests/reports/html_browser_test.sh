#!/bin/sh
# The HTML report in headless Chromium (label "browser"): renders the fixture report fresh, then
#  1. loads it with #status=fail and checks in the live DOM (--dump-dom) that the filter ran:
#     data-visible equals the number of failures and only failure articles are shown;
#  2. checks that the server's "<script>" strings stayed text (exactly our 2 script elements);
#  3. loads #view=rule&severity=critical&target=legacy-owa and checks the rule view, the
#     severity and target filters (certificate rows too);
#     and in the page as served (what a browser without JavaScript shows), that every finding
#     and both views are there and visible;
#  4. takes a screenshot (1280x2000) into $PP_BINARY_DIR (or the temp dir) for a person to look at.
# Skips (77) only when chromium is not installed.
# Usage: html_browser_test.sh RENDER_FIXTURE_BINARY TESTS_REPORTS_DIR
set -eu
render=$1
here=$2
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "SKIP: chromium not installed (apt-get install chromium)"; exit 77; }
py=/usr/bin/python3

out=$(mktemp -d)
profile=$(mktemp -d)
trap 'rm -rf "$out" "$profile"' EXIT
"$render" "$out"

run() {  # run URL EXTRA-ARGS...: headless Chromium with no network side traffic, bounded in time
  url=$1
  shift
  timeout 60 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --disable-dev-shm-usage \
    --user-data-dir="$profile" "$@" "$url" 2>"$out/chromium.log"
}

run "file://$out/report.html#status=fail" --dump-dom >"$out/fail.dom" || { cat "$out/chromium.log"; exit 1; }
run "file://$out/report.html#view=rule&severity=critical&target=legacy-owa" --dump-dom >"$out/rule.dom" \
  || { cat "$out/chromium.log"; exit 1; }

$py - "$out/report.json" "$out/fail.dom" "$out/rule.dom" "$out/report.html" <<'PYEOF'
import json, sys
from html.parser import HTMLParser

report = json.load(open(sys.argv[1], encoding="utf-8"))
results = report["results"]

class Dom(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts = 0
        self.articles = []   # (status, severity, hidden)
        self.rules = []      # (rule, hidden)
        self.attrs = {}      # id -> attrs
        self.certs = []      # (target, hidden)
        self.text = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "article" and "data-i" in a:
            self.articles.append((a.get("data-status"), a.get("data-severity"), "hidden" in a))
        if tag == "tr" and "rule-row" in (a.get("class") or ""):
            self.rules.append((a.get("data-rule"), "hidden" in a))
        if tag == "tr" and "cert" in (a.get("class") or "").split():
            self.certs.append((a.get("data-target"), "hidden" in a))
        if "id" in a:
            self.attrs[a["id"]] = a
    def handle_data(self, data):
        self.text.append(data)

def parse(path):
    d = Dom()
    d.feed(open(path, encoding="utf-8").read())
    return d

problems = []
fail = parse(sys.argv[2])
n_fail = sum(1 for r in results if r["status"] == "fail")
visible = [a for a in fail.articles if not a[2]]
if len(fail.articles) != len(results):
    problems.append(f"{len(fail.articles)} articles for {len(results)} results")
if fail.attrs.get("visible-count", {}).get("data-visible") != str(n_fail):
    problems.append(f"data-visible={fail.attrs.get('visible-count')} expected {n_fail}: the filter script did not run")
if len(visible) != n_fail or any(s != "fail" for s, _, _ in visible):
    problems.append(f"visible articles {visible} are not exactly the {n_fail} failures")
if "hidden" in fail.attrs.get("controls", {"hidden": ""}):
    problems.append("filter controls still hidden: the script did not run")
if fail.scripts != 2:
    problems.append(f"{fail.scripts} <script> elements: server text was injected as markup")
if "<script>alert(1)</script>" not in "".join(fail.text):
    problems.append("the server's <script> string is not shown as text")
if "hidden" not in fail.attrs.get("view-rule", {}):
    problems.append("rule view visible in host view")

rule = parse(sys.argv[3])
crit = [r for r in results if r["severity"] == "critical" and r["target"] == "legacy-owa"]
crit_rules = sorted({r["rule_id"] for r in crit})
shown = sorted(r for r, hidden in rule.rules if not hidden)
if shown != crit_rules:
    problems.append(f"rule view shows {shown}, expected {crit_rules}")
if "hidden" in rule.attrs.get("view-rule", {"hidden": ""}) or "hidden" not in rule.attrs.get("view-host", {}):
    problems.append("#view=rule did not switch to the rule view")
if rule.attrs.get("visible-count", {}).get("data-visible") != str(len(crit)):
    problems.append("severity + target filter count wrong")
if rule.certs != [("legacy-owa", False), ("mail-fe", True)]:
    problems.append(f"certificate rows not filtered by target: {rule.certs}")

# JavaScript off is the page as served (headless Chromium ignores --blink-settings=scriptEnabled):
# every finding is there and visible; the filter controls stay hidden.
nojs = parse(sys.argv[4])
if len(nojs.articles) != len(results) or any(hidden for _, _, hidden in nojs.articles):
    problems.append("without JavaScript not every finding is shown")
if "hidden" not in nojs.attrs.get("controls", {}):
    problems.append("without JavaScript the (useless) filter controls are shown")
if "hidden" in nojs.attrs.get("view-rule", {}) or "hidden" in nojs.attrs.get("certificates", {}):
    problems.append("without JavaScript the rule view or certificates are hidden")

if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"browser: {n_fail} failures visible of {len(results)}; 2 script elements; rule view shows {shown}")
PYEOF

shotdir=${PP_BINARY_DIR:-$out}
run "file://$out/report.html" --screenshot="$shotdir/pp_reports_html.png" --window-size=1280,2000 --hide-scrollbars \
  || { cat "$out/chromium.log"; exit 1; }
[ -s "$shotdir/pp_reports_html.png" ] || { echo "no screenshot produced"; exit 1; }
head -c 8 "$shotdir/pp_reports_html.png" | od -An -tx1 | grep -q "89 50 4e 47" || { echo "screenshot is not a PNG"; exit 1; }
echo "screenshot: $shotdir/pp_reports_html.png"
