#include "reports/console.h"

#include <optional>

#include <algorithm>

#include "reports/summary.h"
#include "reports/text.h"

namespace pp::reports {

namespace {
std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

std::string finding_line(const Result& r, bool evidence) {
  std::string sev = upper(to_string(r.severity));
  sev.resize(std::max<size_t>(sev.size(), 8), ' ');
  std::string line = "  " + sev + " " + terminal_safe(r.rule_id) + " " + terminal_safe(r.subject) + ": " +
                     terminal_safe(r.message);
  if (!r.baseline.empty()) line += "  [" + r.baseline + "]";
  line += "\n";
  if (evidence)
    for (const auto& e : r.evidence) line += "      | " + terminal_safe(e) + "\n";
  return line;
}
}  // namespace

std::string render_console(const ScanReport& input, bool evidence) {
  // No copy when the report is already in order (a scan's is): on a fleet the facts in it are
  // most of the memory, and only the results are read here.
  std::optional<ScanReport> holder;
  const ScanReport& report = sorted_view(input, holder);
  const Counts c = count(report.results);
  std::string out;
  out += "policyprobe " + terminal_safe(report.tool_version) + ": " + std::to_string(c.total) + " results on " +
         std::to_string(report.targets.size()) + (report.targets.size() == 1 ? " target" : " targets") + "\n";
  out += "  status:";
  for (Status s : kAllStatuses)
    if (s != Status::Blocked || c.of(s)) out += "  " + std::string(to_string(s)) + " " + std::to_string(c.of(s));
  out += "\n  failed by severity:";
  for (Severity s : kSeveritiesDesc) out += "  " + std::string(to_string(s)) + " " + std::to_string(c.failed(s));
  out += "\n";

  std::vector<const Result*> fails, errors;
  for (const auto& r : report.results) {
    if (r.status == Status::Fail) fails.push_back(&r);
    if (r.status == Status::Error) errors.push_back(&r);
  }
  // Most severe first; ties keep the report's stable order (target, subject, rule).
  auto by_severity = [](const Result* a, const Result* b) { return a->severity > b->severity; };
  std::stable_sort(fails.begin(), fails.end(), by_severity);
  std::stable_sort(errors.begin(), errors.end(), by_severity);
  if (!fails.empty()) {
    out += "\nFailed (" + std::to_string(fails.size()) + "):\n";
    for (const Result* r : fails) out += finding_line(*r, evidence);
  }
  if (!errors.empty()) {
    out += "\nCould not evaluate (" + std::to_string(errors.size()) + "):\n";
    for (const Result* r : errors) out += finding_line(*r, evidence);
  }
  if (fails.empty() && errors.empty()) out += "\nNo failed or undecided checks.\n";
  return out;
}

}  // namespace pp::reports
