#pragma once
#include <compare>
#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "core/result.h"
#include "policy/rule.h"
#include "policy/source.h"

namespace pp::policy {

/// A calendar date (waiver expiry, "today"); no time zone games: the CLI passes today in UTC.
struct Date {
  int year = 0;
  int month = 0;
  int day = 0;
  auto operator<=>(const Date&) const = default;
  std::string str() const;  ///< YYYY-MM-DD
};
Date today_utc();

/// An accepted risk: results of `rule` (id or glob) on subjects matching `subject` (a glob on
/// Subject::id() or on the target name) are Waived until `expires` (inclusive).
struct Waiver {
  std::string rule;
  std::string subject;
  std::string justification;
  Date expires;
  std::string file;
  int line = 0;
  int column = 0;
  int rule_line = 0;  ///< where its `rule` key is, for "no such rule" errors
  int rule_column = 0;
};

/// Reads a waivers file (`schema = 1`, `[[waiver]]` rule, subject, justification, expires).
/// Every problem is a positioned diagnostic; only complete waivers are returned.
Diagnostics load_waivers(const SourceFile& src, std::vector<Waiver>& out);

/// Waivers whose `rule` (id or glob) matches no known rule: a typo there would waive nothing
/// without a word. One error each, positioned on the `rule` key.
Diagnostics check_waiver_rules(const std::vector<Waiver>& waivers, const std::vector<const Rule*>& known);

/// Expired waivers as positioned errors, for `rules lint --waivers`.
Diagnostics check_waiver_expiry(const std::vector<Waiver>& waivers, const Date& today);

/// One line per expired waiver ("FILE:LINE:COLUMN: waiver for rule 'R' on 'S' expired on
/// DATE ..."): a scan prints them even with --quiet and puts them in the reports.
std::vector<std::string> expired_waiver_warnings(const std::vector<Waiver>& waivers, const Date& today);

/// One line per waiver that matches no result of this scan (its rule and subject together
/// match nothing): a stale or mistyped subject. Pure, so a scan calls it on its results.
std::vector<std::string> unused_waiver_warnings(const std::vector<Waiver>& waivers, const std::vector<Result>& results);

/// The waiver for (rule, subject id, target): the first unexpired match, else the first
/// expired match (so the report can say loudly that it expired), else nullptr.
const Waiver* find_waiver(const std::vector<Waiver>& waivers, const std::string& rule_id, const std::string& subject_id,
                          const std::string& target, const Date& today);

}  // namespace pp::policy
