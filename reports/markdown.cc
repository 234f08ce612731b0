#include "reports/markdown.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "core/text.h"
#include "reports/controls.h"
#include "reports/summary.h"

namespace pp::reports {

std::string markdown_escape(std::string_view s, size_t max_chars) {
  const std::string line = text::terminal_safe(s);  // valid UTF-8, one line, no controls
  std::string out;
  size_t chars = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(line[i]);
    if ((c & 0xC0) != 0x80 && ++chars > max_chars) {
      out += "…";
      break;
    }
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      // '(' ')' '!' need no escape once '[' ']' have one; '$' starts math on GitHub.
      case '\\': case '`': case '|': case '*': case '_': case '[': case ']': case '#': case '~': case '@': case '$':
        out += '\\';
        out += static_cast<char>(c);
        break;
      default: out += static_cast<char>(c);
    }
  }
  return out;
}

namespace {

constexpr size_t kMaxNew = 20;
constexpr size_t kMaxRules = 10;
constexpr size_t kMaxProbe = 20;

std::string plural(size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string gate_flags(const std::optional<Gate>& gate) {
  if (!gate) return "no gate given: every fail and error counts";
  return "`--fail-on " + std::string(to_string(gate->fail_on)) + "`" + (gate->new_only ? " `--fail-on-new`" : "");
}

std::string verdict_word(int code) {
  switch (code) {
    case 0: return "passed";
    case 1: return "failed";
    default: return "undecided";
  }
}

struct RuleRow {
  const Result* first = nullptr;
  size_t subjects = 0;
  size_t gated = 0;
};

}  // namespace

namespace {

std::string verdict_block(const ScanReport& report, const WriteOptions& options, const GateVerdict& verdict) {
  const int code = verdict.exit_code();
  std::string md = "### policyprobe: gate " + verdict_word(code) + ", exit " + std::to_string(code) + "\n\n";
  md += "Gate " + gate_flags(options.gate) + ": " + plural(verdict.findings, "failing finding", "failing findings") +
        " and " + plural(verdict.undecided, "error", "errors") + " counted";
  if (code == 3) md += " (the scan could not complete, so the gate is undecided)";
  md += ". " + plural(report.targets.size(), "target", "targets");
  if (!report.profiles.empty()) {
    md += ", profile";
    for (size_t i = 0; i < report.profiles.size(); ++i) md += (i ? ", " : " ") + markdown_escape(report.profiles[i]);
  }
  if (!report.finished_at.empty()) md += ", finished " + markdown_escape(report.finished_at);
  return md + ".\n\n";
}

std::string counts_block(const Counts& c) {
  std::string md = "| fail | error | blocked | waived | skipped | pass | total |\n|---:|---:|---:|---:|---:|---:|---:|\n";
  for (Status s : {Status::Fail, Status::Error, Status::Blocked, Status::Waived, Status::Skipped, Status::Pass})
    md += "| " + std::to_string(c.of(s)) + " ";
  md += "| " + std::to_string(c.total) + " |\n\n";
  if (!c.of(Status::Fail)) return md;
  md += "Failing by severity:";
  bool first = true;
  for (Severity s : kSeveritiesDesc)
    if (c.failed(s)) {
      md += std::string(first ? " " : ", ") + std::string(to_string(s)) + " " + std::to_string(c.failed(s));
      first = false;
    }
  return md + ".\n\n";
}

/// New findings: only with a baseline.
std::string new_findings_block(const ScanReport& report) {
  std::vector<const Result*> fresh;
  bool has_baseline = false;
  for (const auto& r : report.results) {
    if (!r.baseline.empty()) has_baseline = true;
    if (r.baseline == "new" && is_finding(r)) fresh.push_back(&r);
  }
  if (!has_baseline) return {};
  std::stable_sort(fresh.begin(), fresh.end(), [](const Result* a, const Result* b) { return a->severity > b->severity; });
  std::string md = "#### New findings since the baseline: " + std::to_string(fresh.size()) + "\n\n";
  if (fresh.empty()) return md;
  md += "| severity | status | rule | subject | message |\n|---|---|---|---|---|\n";
  for (size_t i = 0; i < fresh.size() && i < kMaxNew; ++i) {
    const Result& r = *fresh[i];
    md += "| " + std::string(to_string(r.severity)) + " | " + std::string(to_string(r.status)) + " | " +
          markdown_escape(r.rule_id) + " | " + markdown_escape(r.subject) + " | " + markdown_escape(r.message, 160) +
          " |\n";
  }
  if (fresh.size() > kMaxNew) md += "\nand " + std::to_string(fresh.size() - kMaxNew) + " more.\n";
  return md + "\n";
}

/// Failing rules: the ones the gate counts first, then most severe, then most subjects.
std::string rules_block(const ScanReport& report, const Gate& gate) {
  std::map<std::string, RuleRow> by_rule;
  for (const auto& r : report.results) {
    if (r.status != Status::Fail) continue;
    RuleRow& row = by_rule[r.rule_id];
    if (!row.first) row.first = &r;
    ++row.subjects;
    if (gate_count(r, gate) == GateCount::Finding) ++row.gated;
  }
  std::vector<const RuleRow*> rows;
  for (const auto& [id, row] : by_rule) rows.push_back(&row);
  std::stable_sort(rows.begin(), rows.end(), [](const RuleRow* a, const RuleRow* b) {
    if ((a->gated > 0) != (b->gated > 0)) return a->gated > 0;
    if (a->first->severity != b->first->severity) return a->first->severity > b->first->severity;
    return a->subjects > b->subjects;
  });
  if (rows.empty()) return {};
  std::string md =
      "#### Top failing rules\n\n| severity | rule | title | subjects failing | counted by the gate |\n|---|---|---|---:|---:|\n";
  for (size_t i = 0; i < rows.size() && i < kMaxRules; ++i) {
    const RuleRow& row = *rows[i];
    md += "| " + std::string(to_string(row.first->severity)) + " | " + markdown_escape(row.first->rule_id) + " | " +
          markdown_escape(row.first->title(), 120) + " | " + std::to_string(row.subjects) + " | " +
          std::to_string(row.gated) + " |\n";
  }
  if (rows.size() > kMaxRules) md += "\nand " + plural(rows.size() - kMaxRules, "more rule", "more rules") + ".\n";
  return md + "\n";
}

std::string probe_block(const ScanReport& report) {
  std::vector<const Result*> probe;
  for (const auto& r : report.results)
    if (r.status == Status::Error && r.rule_id == kProbeErrorRule) probe.push_back(&r);
  if (probe.empty()) return {};
  std::string md = "#### Could not observe: " + plural(probe.size(), "PROBE error", "PROBE errors") +
                   " (exit 3 whatever `--fail-on` says)\n\n| target | subject | why |\n|---|---|---|\n";
  for (size_t i = 0; i < probe.size() && i < kMaxProbe; ++i)
    md += "| " + markdown_escape(probe[i]->target) + " | " + markdown_escape(probe[i]->subject) + " | " +
          markdown_escape(probe[i]->message, 240) + " |\n";
  if (probe.size() > kMaxProbe) md += "\nand " + std::to_string(probe.size() - kMaxProbe) + " more.\n";
  return md + "\n";
}

}  // namespace

/// Controls per framework: one table row each with its counts and the controls that fail.
std::string controls_block(const ScanReport& report) {
  const auto frameworks = judge_controls(report);
  if (frameworks.empty()) return {};
  std::string md = "| framework | pass | fail | undecided | not evidenced | failing controls |\n|---|---:|---:|---:|---:|---|\n";
  for (const auto& fv : frameworks) {
    std::vector<std::string> failing;
    for (const auto& v : fv.controls)
      if (v.status == ControlStatus::Fail) failing.push_back(markdown_escape(v.id, 40));
    md += "| " + markdown_escape(fv.id, 60);
    for (ControlStatus st : kControlStatuses) md += " | " + std::to_string(fv.count(st));
    md += " | " + text::join(failing, ", ") + " |\n";
  }
  return md + "\n";
}

std::string render_markdown(const ScanReport& input, const WriteOptions& options) {
  std::optional<ScanReport> holder;
  const ScanReport& report = sorted_view(input, holder);
  const Gate gate = options.gate.value_or(Gate{Severity::Info, false});
  const GateVerdict verdict = evaluate_gate(report.results, gate);
  std::string md = verdict_block(report, options, verdict);
  md += counts_block(count(report.results));
  md += new_findings_block(report);
  md += rules_block(report, gate);
  md += probe_block(report);
  md += controls_block(report);
  if (!report.warnings.empty())
    md += plural(report.warnings.size(), "warning", "warnings") + " about the inputs: see the JSON report.\n";
  return md;
}

}  // namespace pp::reports
