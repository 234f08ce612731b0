#include "core/result.h"

#include <algorithm>
#include <tuple>

namespace pp {

std::string_view to_string(Status s) {
  switch (s) {
    case Status::Pass: return "pass";
    case Status::Fail: return "fail";
    case Status::Error: return "error";
    case Status::Skipped: return "skipped";
    case Status::Waived: return "waived";
    case Status::Blocked: return "blocked";
  }
  return "?";
}

const RuleText& Result::text() const {
  static const RuleText kNone;
  return rule ? *rule : kNone;
}

const std::string& Result::remediation() const {
  static const std::string kNothing;
  return status == Status::Fail || status == Status::Waived ? text().remediation : kNothing;
}

RuleText& Result::own_text() {
  auto copy = std::make_shared<RuleText>(text());
  RuleText& mine = *copy;
  rule = std::move(copy);
  return mine;
}

namespace {

bool result_less(const Result& a, const Result& b) {
  return std::tie(a.target, a.subject, a.rule_id) < std::tie(b.target, b.subject, b.rule_id);
}

bool facts_less(const SubjectFacts& a, const SubjectFacts& b) {
  return std::make_tuple(a.subject.target, a.subject.id(), a.subject.kind) <
         std::make_tuple(b.subject.target, b.subject.id(), b.subject.kind);
}

}  // namespace

void sort_report(ScanReport& report) {
  std::sort(report.results.begin(), report.results.end(), result_less);
  std::sort(report.facts.begin(), report.facts.end(), facts_less);
  std::sort(report.targets.begin(), report.targets.end());
}

bool report_is_sorted(const ScanReport& report) {
  return std::is_sorted(report.results.begin(), report.results.end(), result_less) &&
         std::is_sorted(report.facts.begin(), report.facts.end(), facts_less) &&
         std::is_sorted(report.targets.begin(), report.targets.end());
}

const ScanReport& sorted_view(const ScanReport& report, std::optional<ScanReport>& holder) {
  if (report_is_sorted(report)) return report;
  holder = report;
  sort_report(*holder);
  return *holder;
}

}  // namespace pp
