#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

/// Results grouped by the controls their rules evidence (ScanReport::controls). A control
/// passes when every result of every rule that evidences it passed (a waived failure counts as
/// accepted, and is counted); fails when one failed, naming those rules and subjects; is
/// undecided when none failed but one could not be judged (error or blocked: never a pass); and
/// is not evidenced when no rule of the scan evidences it or none of those rules had a subject
/// it applied to (every result skipped, or no result at all).
namespace pp::reports {

enum class ControlStatus { Pass, Fail, Undecided, NotEvidenced };
std::string_view to_string(ControlStatus s);
inline constexpr ControlStatus kControlStatuses[] = {ControlStatus::Pass, ControlStatus::Fail, ControlStatus::Undecided,
                                                     ControlStatus::NotEvidenced};

/// A result that keeps a control from passing.
struct ControlFinding {
  std::string rule_id;
  std::string subject;
  Status status = Status::Fail;
};

struct ControlVerdict {
  std::string id;
  std::string title;
  ControlStatus status = ControlStatus::NotEvidenced;
  std::vector<std::string> rules;         ///< the scan's rules that evidence it, sorted
  size_t passed = 0;                      ///< results that passed or were waived
  size_t waived = 0;                      ///< of those, waived
  std::vector<ControlFinding> failing;    ///< fail results, in the report's order
  std::vector<ControlFinding> undecided;  ///< error and blocked results
};

struct FrameworkVerdicts {
  std::string id;
  std::string title;
  std::vector<ControlVerdict> controls;  ///< in the framework's order
  size_t count(ControlStatus s) const;
};

/// One entry per framework of the report's mapping; empty when the report has none.
std::vector<FrameworkVerdicts> judge_controls(const ScanReport& report);

}  // namespace pp::reports

namespace pp::reports {

/// The HTML report's controls view: one card, per framework a table of its controls with
/// their verdict, the rules that evidence each and what failed (controls_html.cc). Empty when
/// there is nothing to group by.
std::string render_controls_html(const std::vector<FrameworkVerdicts>& frameworks);

}  // namespace pp::reports
