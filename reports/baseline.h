#pragma once
#include <string>
#include <vector>

#include "core/result.h"

/// Comparing scans: --baseline marking, `policyprobe diff`, `policyprobe merge`.
///
/// A finding is a result with status fail or error; it is keyed by rule id + subject id.
/// "Fixed" means the rule now passes on the subject: that pass result gets baseline = "fixed".
/// Nothing else is fixed:
///  - the rule was not evaluated on the subject at all in the current scan (target dropped,
///    rule removed, narrower scan): a copy of the old finding is appended with baseline =
///    "not evaluated" and status **skipped** — never pass, because nothing was observed — and
///    a message saying it is no longer reported;
///  - the subject could not be observed (its endpoint stopped answering): the result is
///    blocked, with baseline = "not evaluated".
/// A finding that is now skipped or waived keeps no baseline mark.
/// A rule judged per element of a list (`each`) reports each element on `<subject>#<element>`
/// and keeps a result on the subject itself. An element finding this scan no longer gives is
/// fixed when the rule was judged on that subject (it passes: the list is empty; or other
/// elements are reported): a pass result for it is appended with baseline = "fixed".
/// When the rule could not judge the subject, the element is "not evaluated" as above.
namespace pp::reports {

struct BaselineDiff {
  std::vector<Result> added;       ///< findings in current, not in old
  std::vector<Result> unchanged;   ///< findings in both (current's copy)
  std::vector<Result> fixed;       ///< old findings now passing (current's pass result)
  std::vector<Result> gone;        ///< old findings not evaluated in current (old's copy)
  std::vector<Result> suppressed;  ///< old findings now skipped or waived (current's copy)
};

BaselineDiff compare(const ScanReport& old_report, const ScanReport& current);

/// Sets Result::baseline on `current` (new / unchanged / fixed) and appends the gone ones,
/// as described above. Idempotent on an already-marked report.
void apply_baseline(const ScanReport& old_report, ScanReport& current);

/// Human summary for `policyprobe diff OLD NEW`: counts, then one line per change.
std::string diff_text(const ScanReport& old_report, const ScanReport& current);

/// Union of several reports (shards of one fleet run, or runs over time), de-duplicated:
/// one result per (target, subject, rule) and one fact set per (target, subject) — a later
/// report wins a conflict. Times span earliest start to latest finish; metadata values that
/// differ are joined with ", " in input order. Output is sorted (core::sort_report).
ScanReport merge(const std::vector<ScanReport>& reports);

}  // namespace pp::reports
