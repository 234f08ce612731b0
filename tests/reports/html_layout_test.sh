#!/bin/sh
# Layout, size and speed of the HTML report in headless Chromium (label "browser").
# Renders the fixture (hostile, long server strings) and a synthetic fleet of 1,000 endpoints,
# injects html_measure.js at the end of a copy of each, loads it at 1400x900 and at 390x844
# (a phone) and reads the measurements back from the live DOM (--dump-dom):
#  - nothing overflows its card, the page is no wider than the viewport, and at 1400 px no
#    table has to scroll (the certificate table's "Days left" included), in the default view
#    and with everything shown and every fold open;
#  - printing (beforeprint) opens the folds of every shown finding, and afterprint closes them;
#  - the fleet's time to load (navigation start to parsed, scripted and laid out) and time to
#    filter, printed; the only assertion on time is a generous sanity bound.
# Extra report files given after the two arguments are checked the same way (e.g. the lab's).
# PP_SIZES="1400,900" measures one size only; PP_KEEP=1 keeps the pages and DOM dumps.
# Skips (77) only when chromium is not installed.
# Usage: html_layout_test.sh RENDER_FIXTURE_BINARY TESTS_REPORTS_DIR [REPORT.html...]
set -eu
render=$1
here=$2
shift 2
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "SKIP: chromium not installed (apt-get install chromium)"; exit 77; }
py=/usr/bin/python3

out=$(mktemp -d)
profile=$(mktemp -d)
trap 'rm -rf "$profile"; [ -n "${PP_KEEP:-}" ] || rm -rf "$out"' EXIT; [ -z "${PP_KEEP:-}" ] || echo "keeping $out"
"$render" "$out"
"$render" --fleet 1000 "$out"

status=0
measure() {  # measure NAME REPORT.html WIDTH,HEIGHT
  name=$1 report=$2 size=$3
  page="$out/$name-measured.html"
  # The report's CSP allows inline scripts only: the measuring script goes in inline, last.
  $py - "$report" "$here/html_measure.js" "$page" <<'PYEOF'
import sys
html = open(sys.argv[1], encoding="utf-8").read()
js = open(sys.argv[2], encoding="utf-8").read()
i = html.rindex("</body>")
open(sys.argv[3], "w", encoding="utf-8").write(html[:i] + "<script>\n" + js + "</script>\n" + html[i:])
PYEOF
  # Headless Chromium will not make a window narrower than 500 px, so the report is measured in
  # an iframe of exactly WIDTH x HEIGHT CSS pixels (its layout viewport), inside a frame page
  # that copies the measurements out once the report has loaded.
  w=${size%,*} h=${size#*,}
  cat >"$out/$name-frame.html" <<FRAME
<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" src="$name-measured.html" style="width:${w}px;height:${h}px;border:0;display:block"></iframe>
<script>
document.getElementById('f').addEventListener('load', function () {
  var d = this.contentDocument, p = d && d.getElementById('pp-measure');
  var o = document.createElement('pre');
  o.id = 'pp-measure';
  o.textContent = p ? p.textContent : 'no measurements: the frame is unreadable or the report script failed';
  document.body.appendChild(o);
});
</script></body></html>
FRAME
  start=$(date +%s%N)
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --disable-dev-shm-usage --hide-scrollbars \
    --allow-file-access-from-files --user-data-dir="$profile" --window-size="$((w < 480 ? 500 : w + 20)),$((h + 20))" \
    --dump-dom "file://$out/$name-frame.html" >"$out/$name.dom" 2>"$out/chromium.log" \
    || { cat "$out/chromium.log"; status=1; return; }
  wall=$(( ($(date +%s%N) - start) / 1000000 ))
  $py - "$out/$name.dom" "$name" "$size" "$wall" "$(wc -c <"$report")" <<'PYEOF' || status=1
import html, json, re, sys
dom, name, size, wall, nbytes = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
m = re.findall(r'<pre id="pp-measure">(.*?)</pre>', open(dom, encoding="utf-8").read(), re.S)
if not m:
    print(f"{name} {size}: no measurements in the DOM: the report or the measuring script failed")
    sys.exit(1)
try:
    r = json.loads(html.unescape(m[-1]))
except ValueError:
    print(f"{name} {size}: {html.unescape(m[-1])[:300]}")
    sys.exit(1)
filters = ", ".join(f"{k} {v} ms" for k, v in r["filter_ms"].items())
print(f"{name} {size}: {nbytes / 1e6:.2f} MB; load {r['load_ms']} ms (chromium run {wall} ms); "
      f"filters: {filters}; shown by default {r['visible_default']}, all {r['visible_all']}; "
      f"print unfolds {r.get('print_unfolded')}; "
      f"{r['elements_checked']} elements checked, viewport {r['viewport']} px")
bad = r["problems"]
for p in bad[:25]:
    print("  OVERFLOW " + p)
if len(bad) > 25:
    print(f"  ... and {len(bad) - 25} more")
# A sanity bound, not a benchmark: a busy CI machine is slow, a broken page is far slower.
slow = r["load_ms"] > 60000 or any(v > 15000 for v in r["filter_ms"].values())
if slow:
    print("  TOO SLOW: over the sanity bound (60 s to load, 15 s per filter)")
sys.exit(1 if bad or slow else 0)
PYEOF
}

for size in ${PP_SIZES:-1400,900 390,844}; do
  measure fixture "$out/report.html" "$size"
  measure fleet "$out/fleet.html" "$size"
  n=0
  for extra in "$@"; do
    n=$((n + 1))
    measure "extra$n" "$extra" "$size"
  done
done
exit $status
