#include <nlohmann/json.hpp>

#include "core/text.h"
#include "reports/history.h"
#include "reports/summary.h"

/// history's console text and JSON document (history.h); the HTML page is history_html.cc.
namespace pp::reports {

namespace {

using Json = nlohmann::ordered_json;

std::string t(std::string_view s) { return text::terminal_safe(s); }

std::string counts_line(const HistoryRun& run) {
  std::string out = "  failures:";
  for (Severity s : kSeveritiesDesc)
    out += " " + std::string(to_string(s)) + " " + std::to_string(run.failed_by_severity[static_cast<size_t>(s)]);
  return out + "; findings (fail or error) " + std::to_string(run.findings) + "\n";
}

void finding_lines(std::string& out, const char* label, const std::vector<HistoryFinding>& list) {
  for (const auto& f : list) {
    std::string sev = text::to_upper(to_string(f.severity));
    sev.resize(8, ' ');
    out += std::string("  ") + label + sev + " " + t(f.rule_id) + " on " + t(f.subject) + " (" +
           std::string(to_string(f.status)) + ") " + t(f.title) + "\n";
  }
}

Json findings_json(const std::vector<HistoryFinding>& list) {
  Json out = Json::array();
  for (const auto& f : list)
    out.push_back({{"rule_id", f.rule_id},
                   {"title", f.title},
                   {"severity", to_string(f.severity)},
                   {"target", f.target},
                   {"subject", f.subject},
                   {"status", to_string(f.status)}});
  return out;
}

}  // namespace

std::string history_text(const History& h) {
  std::string out = "history: " + std::to_string(h.runs.size()) + (h.runs.size() == 1 ? " run" : " runs");
  if (!h.runs.empty()) out += ", " + t(h.runs.front().started_at) + " to " + t(h.runs.back().started_at);
  out += "\n";
  for (size_t i = 0; i < h.runs.size(); ++i) {
    const HistoryRun& run = h.runs[i];
    out += "\nrun " + std::to_string(i + 1) + "  " + t(run.started_at) + "  " + t(run.source) + "\n";
    out += counts_line(run);
    if (i == 0) {
      out += "  first run of the series: nothing to compare\n";
      continue;
    }
    out += "  new " + std::to_string(run.added.size()) + ", fixed " + std::to_string(run.fixed.size()) +
           ", regressed " + std::to_string(run.regressed.size()) + ", back " + std::to_string(run.returned.size()) +
           ", unchanged " + std::to_string(run.unchanged) +
           "; observed changes " + std::to_string(run.changes.size()) + "\n";
    finding_lines(out, "+ new       ", run.added);
    finding_lines(out, "! regressed ", run.regressed);
    finding_lines(out, "= back      ", run.returned);
    finding_lines(out, "- fixed     ", run.fixed);
    for (const auto& c : run.changes)
      out += "  ~ " + c.change + ": " + t(c.subject) + (c.detail.empty() ? "" : " " + t(c.detail)) + "\n";
  }
  return out;
}

std::string history_json(const History& h) {
  Json j;
  j["history_schema_version"] = 1;
  j["tool"] = {{"name", "policyprobe"}};
  Json runs = Json::array();
  for (const auto& run : h.runs) {
    Json r;
    r["source"] = run.source;
    r["started_at"] = run.started_at;
    for (Severity s : kSeveritiesDesc)
      r["failed_by_severity"][std::string(to_string(s))] = run.failed_by_severity[static_cast<size_t>(s)];
    r["findings"] = run.findings;
    r["new"] = findings_json(run.added);
    r["fixed"] = findings_json(run.fixed);
    r["regressed"] = findings_json(run.regressed);
    r["back"] = findings_json(run.returned);
    r["unchanged"] = run.unchanged;
    r["changes"] = Json::array();
    for (const auto& c : run.changes)
      r["changes"].push_back({{"target", c.target}, {"subject", c.subject}, {"change", c.change}, {"detail", c.detail}});
    runs.push_back(std::move(r));
  }
  j["runs"] = std::move(runs);
  // replace: invalid UTF-8 bytes become U+FFFD instead of throwing, as in the scan report.
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace pp::reports
