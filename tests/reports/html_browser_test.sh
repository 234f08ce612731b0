#!/bin/sh
# The HTML report in headless Chromium (label "browser"): renders the fixture report fresh, then
#  1. loads it with #status=fail and checks in the live DOM (--dump-dom) that the filter ran:
#     data-visible equals the number of failures and only failure articles are shown;
#  2. checks that the server's "<script>" strings stayed text (exactly our 2 script elements);
#  3. loads #status=all&severity=critical&target=legacy-owa (severity and target filters,
#     certificate rows too), the default view (fail + error only, waivers hidden) and
#     #status=pass (passes listed from the embedded data, as text);
#     and in the page as served (what a browser without JavaScript shows), that every failure,
#     error and waiver is there and visible, and no pass is rendered as a card;
#  4. takes a screenshot (1280x2000) into $PP_BINARY_DIR (or the temp dir) for a person to look at.
# Layout, size and speed are html_layout_test.sh's.
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
run "file://$out/report.html#status=all&severity=critical&target=legacy-owa" --dump-dom >"$out/crit.dom" \
  || { cat "$out/chromium.log"; exit 1; }
run "file://$out/report.html" --dump-dom >"$out/default.dom" || { cat "$out/chromium.log"; exit 1; }
run "file://$out/report.html#status=pass" --dump-dom >"$out/pass.dom" || { cat "$out/chromium.log"; exit 1; }

$py - "$out/report.json" "$out/fail.dom" "$out/crit.dom" "$out/default.dom" "$out/pass.dom" "$out/report.html" <<'PYEOF'
import json, sys
from html.parser import HTMLParser

report = json.load(open(sys.argv[1], encoding="utf-8"))
results = report["results"]
RENDERED = ("fail", "error", "waived")

class Dom(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts = 0
        self.articles = []   # (status, hidden)
        self.groups = []     # (rule, hidden)
        self.attrs = {}      # id -> attrs
        self.certs = []      # (target, hidden)
        self.others = []     # class of each listed pass / skip / blocked item
        self.in_others = False
        self.text = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag == "script":
            self.scripts += 1
        if tag == "article" and "data-i" in a:
            self.articles.append((a.get("data-status"), "hidden" in a))
        if tag == "section" and "rule" in cls:
            self.groups.append((a.get("data-rule"), "hidden" in a))
        if tag == "tr" and "cert" in cls:
            self.certs.append((a.get("data-target"), "hidden" in a))
        if tag == "ul" and a.get("id") == "others-list":
            self.in_others = True
        if tag == "li" and self.in_others:
            self.others.append(a.get("class"))
        if tag == "script" and self.in_others:
            self.scripts += 100  # markup inside the list: the script inserted HTML
        if "id" in a:
            self.attrs[a["id"]] = a
    def handle_endtag(self, tag):
        if tag == "ul":
            self.in_others = False
    def handle_data(self, data):
        self.text.append(data)

def parse(path):
    d = Dom()
    d.feed(open(path, encoding="utf-8").read())
    return d

def visible_count(d):
    return d.attrs.get("visible-count", {}).get("data-visible")

problems = []
n_rendered = sum(1 for r in results if r["status"] in RENDERED)
fail = parse(sys.argv[2])
n_fail = sum(1 for r in results if r["status"] == "fail")
visible = [a for a in fail.articles if not a[1]]
if len(fail.articles) != n_rendered:
    problems.append(f"{len(fail.articles)} articles for {n_rendered} failures, errors and waivers")
if visible_count(fail) != str(n_fail):
    problems.append(f"data-visible={visible_count(fail)} expected {n_fail}: the filter script did not run")
if len(visible) != n_fail or any(s != "fail" for s, _ in visible):
    problems.append(f"visible articles {visible} are not exactly the {n_fail} failures")
if "hidden" in fail.attrs.get("controls", {"hidden": ""}):
    problems.append("filter controls still hidden: the script did not run")
if fail.scripts != 2:
    problems.append(f"{fail.scripts} <script> elements: server text was injected as markup")
if "<script>alert(1)</script>" not in "".join(fail.text):
    problems.append("the server's <script> string is not shown as text")
if "hidden" not in fail.attrs.get("others", {}):
    problems.append("#status=fail shows the list of passes")

crit = parse(sys.argv[3])
want = [r for r in results if r["severity"] == "critical" and r["target"] == "legacy-owa"]
want_rules = sorted({r["rule_id"] for r in want if r["status"] in RENDERED})
shown = sorted(r for r, hidden in crit.groups if not hidden)
if shown != want_rules:
    problems.append(f"rule groups shown {shown}, expected {want_rules}")
if visible_count(crit) != str(len(want)):
    problems.append(f"severity + target filter count {visible_count(crit)}, expected {len(want)}")
if crit.certs != [("legacy-owa", False), ("mail-fe", True)]:
    problems.append(f"certificate rows not filtered by target: {crit.certs}")

default = parse(sys.argv[4])
findings = [r for r in results if r["status"] in ("fail", "error")]
if visible_count(default) != str(len(findings)):
    problems.append(f"default view shows {visible_count(default)}, expected the {len(findings)} failures and errors")
if any(not hidden for s, hidden in default.articles if s == "waived"):
    problems.append("default view shows waived results")

passes = parse(sys.argv[5])
n_pass = sum(1 for r in results if r["status"] == "pass")
if passes.others != ["status-pass"] * n_pass or "hidden" in passes.attrs.get("others", {}):
    problems.append(f"#status=pass lists {passes.others}, expected {n_pass} passes")
if passes.scripts != 2:
    problems.append("the list of passes contains markup from the data")

# JavaScript off is the page as served (headless Chromium ignores --blink-settings=scriptEnabled):
# every failure, error and waiver is there and visible; the filter controls stay hidden.
nojs = parse(sys.argv[6])
if len(nojs.articles) != n_rendered or any(hidden for _, hidden in nojs.articles):
    problems.append("without JavaScript not every failure, error and waiver is shown")
if "hidden" not in nojs.attrs.get("controls", {}):
    problems.append("without JavaScript the (useless) filter controls are shown")
if any(k in nojs.attrs and "hidden" in nojs.attrs[k] for k in ("rules", "targets", "certificates")):
    problems.append("without JavaScript the rule, target or certificate tables are hidden")

if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"browser: {n_fail} failures visible of {len(results)}; 2 script elements; critical on legacy-owa: {shown}; "
      f"{n_pass} passes listed on demand")
PYEOF

shotdir=${PP_BINARY_DIR:-$out}
run "file://$out/report.html" --screenshot="$shotdir/pp_reports_html.png" --window-size=1280,2000 --hide-scrollbars \
  || { cat "$out/chromium.log"; exit 1; }
[ -s "$shotdir/pp_reports_html.png" ] || { echo "no screenshot produced"; exit 1; }
head -c 8 "$shotdir/pp_reports_html.png" | od -An -tx1 | grep -q "89 50 4e 47" || { echo "screenshot is not a PNG"; exit 1; }
echo "screenshot: $shotdir/pp_reports_html.png"
