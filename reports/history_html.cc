#include <algorithm>
#include <cstdio>

#include "core/text.h"
#include "reports/history.h"
#include "reports/summary.h"

/// history's HTML page (history.h): a trend chart drawn as inline SVG, then each run.
namespace pp::reports {

namespace {

std::string h(std::string_view s) { return text::html_escape(s); }
std::string n(size_t v) { return std::to_string(v); }

/// Severity colours, as the scan report's badges.
const char* colour(Severity s) {
  switch (s) {
    case Severity::Critical: return "#7b1fa2";
    case Severity::High: return "#c62828";
    case Severity::Medium: return "#ef6c00";
    case Severity::Low: return "#f9a825";
    case Severity::Info: return "#607d8b";
  }
  return "#000";
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

/// Geometry of the chart: runs along x, failures up y from 0 to the largest count.
struct Plot {
  static constexpr double kWidth = 640, kHeight = 240, kLeft = 48, kRight = 16, kTop = 16, kBottom = 40;
  size_t runs = 0;
  size_t top = 1;
  double x(size_t i) const {
    const double span = kWidth - kLeft - kRight;
    return runs <= 1 ? kLeft + span / 2 : kLeft + span * static_cast<double>(i) / static_cast<double>(runs - 1);
  }
  double y(size_t v) const {
    return kTop + (kHeight - kTop - kBottom) * (1.0 - static_cast<double>(v) / static_cast<double>(top));
  }
};

std::string axes(const Plot& p, const History& hist) {
  std::string o = "<line x1=\"" + num(Plot::kLeft) + "\" y1=\"" + num(p.y(0)) + "\" x2=\"" +
                  num(Plot::kWidth - Plot::kRight) + "\" y2=\"" + num(p.y(0)) + "\" stroke=\"#999\"/>";
  o += "<line x1=\"" + num(Plot::kLeft) + "\" y1=\"" + num(Plot::kTop) + "\" x2=\"" + num(Plot::kLeft) + "\" y2=\"" +
       num(p.y(0)) + "\" stroke=\"#999\"/>";
  o += "<text x=\"" + num(Plot::kLeft - 6) + "\" y=\"" + num(p.y(p.top) + 4) + "\" text-anchor=\"end\">" + n(p.top) +
       "</text>";
  o += "<text x=\"" + num(Plot::kLeft - 6) + "\" y=\"" + num(p.y(0) + 4) + "\" text-anchor=\"end\">0</text>";
  for (size_t i = 0; i < hist.runs.size(); ++i)
    o += "<text x=\"" + num(p.x(i)) + "\" y=\"" + num(p.y(0) + 16) + "\" text-anchor=\"middle\"><title>" +
         h(hist.runs[i].started_at) + "</title>" + n(i + 1) + "</text>";
  o += "<text x=\"" + num(Plot::kWidth / 2) + "\" y=\"" + num(Plot::kHeight - 4) +
       "\" text-anchor=\"middle\">run</text>";
  return o;
}

std::string series(const Plot& p, const History& hist, Severity s) {
  const size_t idx = static_cast<size_t>(s);
  std::string points, dots;
  for (size_t i = 0; i < hist.runs.size(); ++i) {
    const size_t v = hist.runs[i].failed_by_severity[idx];
    points += (points.empty() ? "" : " ") + num(p.x(i)) + "," + num(p.y(v));
    dots += "<circle cx=\"" + num(p.x(i)) + "\" cy=\"" + num(p.y(v)) + "\" r=\"3\" fill=\"" + colour(s) +
            "\"><title>run " + n(i + 1) + " (" + h(hist.runs[i].started_at) + "): " + n(v) + " " +
            std::string(to_string(s)) + "</title></circle>";
  }
  return "<polyline class=\"sev-" + std::string(to_string(s)) + "\" fill=\"none\" stroke=\"" + colour(s) +
         "\" stroke-width=\"2\" points=\"" + points + "\"/>" + dots;
}

std::string chart(const History& hist) {
  Plot p;
  p.runs = hist.runs.size();
  for (const auto& run : hist.runs)
    for (size_t v : run.failed_by_severity) p.top = std::max(p.top, v);
  std::string o = "<svg class=\"trend\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(Plot::kWidth) +
                  "\" height=\"" + num(Plot::kHeight) + "\" viewBox=\"0 0 " + num(Plot::kWidth) + " " +
                  num(Plot::kHeight) + "\" role=\"img\" aria-label=\"failures per severity per run\">";
  o += axes(p, hist);
  for (Severity s : kSeveritiesDesc) o += series(p, hist, s);
  o += "</svg><p class=\"legend\">";
  for (Severity s : kSeveritiesDesc)
    o += "<span style=\"color:" + std::string(colour(s)) + "\">&#9632; " + std::string(to_string(s)) + "</span> ";
  return o + "</p>";
}

std::string findings(const char* label, const std::vector<HistoryFinding>& list) {
  if (list.empty()) return {};
  std::string o = "<h4>" + std::string(label) + " (" + n(list.size()) + ")</h4><ul>";
  for (const auto& f : list)
    o += "<li><span class=\"sev sev-" + std::string(to_string(f.severity)) + "\">" + std::string(to_string(f.severity)) +
         "</span> <b>" + h(f.rule_id) + "</b> on <code>" + h(f.subject) + "</code> (" +
         std::string(to_string(f.status)) + ") " + h(f.title) + "</li>";
  return o + "</ul>";
}

std::string run_section(const History& hist, size_t i) {
  const HistoryRun& run = hist.runs[i];
  std::string o = "<section><h3>Run " + n(i + 1) + ": " + h(run.started_at) + " <small>" + h(run.source) +
                  "</small></h3><p>Findings (fail or error): " + n(run.findings) + ".";
  if (i == 0) return o + " The first run of the series: nothing to compare.</p></section>";
  o += " New " + n(run.added.size()) + ", fixed " + n(run.fixed.size()) + ", regressed " + n(run.regressed.size()) + ", back " + n(run.returned.size()) +
       ", unchanged " + n(run.unchanged) + "; observed changes " + n(run.changes.size()) + ".</p>";
  o += findings("New", run.added) + findings("Regressed", run.regressed) +
       findings("Back (failing when last judged; the run before could not judge it)", run.returned) +
       findings("Fixed", run.fixed);
  if (!run.changes.empty()) {
    o += "<h4>Observed changes</h4><table><tr><th>change</th><th>subject</th><th>detail</th></tr>";
    for (const auto& c : run.changes)
      o += "<tr><td>" + h(c.change) + "</td><td><code>" + h(c.subject) + "</code></td><td>" + h(c.detail) + "</td></tr>";
    o += "</table>";
  }
  return o + "</section>";
}

std::string counts_table(const History& hist) {
  std::string o = "<table><tr><th>run</th><th>scan time</th>";
  for (Severity s : kSeveritiesDesc) o += "<th>" + std::string(to_string(s)) + "</th>";
  o += "<th>new</th><th>fixed</th><th>regressed</th><th>changes</th></tr>";
  for (size_t i = 0; i < hist.runs.size(); ++i) {
    const HistoryRun& run = hist.runs[i];
    o += "<tr><td>" + n(i + 1) + "</td><td>" + h(run.started_at) + "</td>";
    for (Severity s : kSeveritiesDesc) o += "<td>" + n(run.failed_by_severity[static_cast<size_t>(s)]) + "</td>";
    o += "<td>" + n(run.added.size()) + "</td><td>" + n(run.fixed.size()) + "</td><td>" + n(run.regressed.size()) +
         "</td><td>" + n(run.changes.size()) + "</td></tr>";
  }
  return o + "</table>";
}

constexpr const char* kStyle =
    "body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:.5em 0}"
    "td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}code{font-size:13px}"
    ".sev{font-weight:bold}.sev-critical{color:#7b1fa2}.sev-high{color:#c62828}.sev-medium{color:#ef6c00}"
    ".sev-low{color:#b28704}.sev-info{color:#607d8b}svg text{font-size:11px;fill:#444}section{margin-top:1.5em}";

}  // namespace

std::string history_html(const History& hist) {
  std::string o =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
      "<title>policyprobe history</title><style>";
  o += kStyle;
  o += "</style></head><body><h1>policyprobe history</h1><p>" + n(hist.runs.size()) + " runs";
  if (!hist.runs.empty()) o += ", " + h(hist.runs.front().started_at) + " to " + h(hist.runs.back().started_at);
  o += ".</p><h2>Failures per severity</h2>" + chart(hist) + counts_table(hist) + "<h2>Runs</h2>";
  for (size_t i = 0; i < hist.runs.size(); ++i) o += run_section(hist, i);
  return o + "</body></html>\n";
}

}  // namespace pp::reports
