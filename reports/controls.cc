#include "reports/controls.h"

#include <algorithm>
#include <map>

namespace pp::reports {

std::string_view to_string(ControlStatus s) {
  switch (s) {
    case ControlStatus::Pass: return "pass";
    case ControlStatus::Fail: return "fail";
    case ControlStatus::Undecided: return "undecided";
    case ControlStatus::NotEvidenced: return "not evidenced";
  }
  return "?";
}

size_t FrameworkVerdicts::count(ControlStatus s) const {
  return static_cast<size_t>(
      std::count_if(controls.begin(), controls.end(), [s](const ControlVerdict& v) { return v.status == s; }));
}

namespace {

using ResultsByRule = std::map<std::string, std::vector<const Result*>>;

/// Adds one result to the verdict's tallies.
void tally(const Result& r, ControlVerdict& v) {
  switch (r.status) {
    case Status::Pass: ++v.passed; break;
    case Status::Waived:
      ++v.passed;
      ++v.waived;
      break;
    case Status::Fail: v.failing.push_back({r.rule_id, r.subject, r.status}); break;
    case Status::Error:
    case Status::Blocked: v.undecided.push_back({r.rule_id, r.subject, r.status}); break;
    case Status::Skipped: break;
  }
}

ControlStatus decide(const ControlVerdict& v) {
  if (!v.failing.empty()) return ControlStatus::Fail;
  if (!v.undecided.empty()) return ControlStatus::Undecided;
  if (v.passed > 0) return ControlStatus::Pass;
  return ControlStatus::NotEvidenced;
}

ControlVerdict judge_one(const Control& c, std::vector<std::string> rules, const ResultsByRule& results) {
  ControlVerdict v;
  v.id = c.id;
  v.title = c.title;
  std::sort(rules.begin(), rules.end());
  v.rules = std::move(rules);
  for (const auto& rule : v.rules)
    if (auto it = results.find(rule); it != results.end())
      for (const Result* r : it->second) tally(*r, v);
  v.status = decide(v);
  return v;
}

}  // namespace

std::vector<FrameworkVerdicts> judge_controls(const ScanReport& report) {
  std::vector<FrameworkVerdicts> out;
  const ControlMapping& m = report.controls;
  if (m.empty()) return out;
  std::map<std::string, std::vector<std::string>> rules_of;  ///< "framework:control" -> rule ids
  for (const auto& [rule, controls] : m.rules)
    for (const auto& c : controls) rules_of[c].push_back(rule);
  ResultsByRule results;
  for (const auto& r : report.results)
    if (m.rules.count(r.rule_id)) results[r.rule_id].push_back(&r);
  for (const auto& f : m.frameworks) {
    FrameworkVerdicts fv{f.id, f.title, {}};
    for (const auto& c : f.controls) {
      auto it = rules_of.find(f.id + ":" + c.id);
      fv.controls.push_back(judge_one(c, it == rules_of.end() ? std::vector<std::string>{} : it->second, results));
    }
    out.push_back(std::move(fv));
  }
  return out;
}

}  // namespace pp::reports
