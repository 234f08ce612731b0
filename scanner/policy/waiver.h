#pragma once
#include <compare>
#include <string>
#include <vector>

#include "core/diagnostic.h"
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
};

/// Reads a waivers file (`schema = 1`, `[[waiver]]` rule, subject, justification, expires).
/// Every problem is a positioned diagnostic; only complete waivers are returned.
Diagnostics load_waivers(const SourceFile& src, std::vector<Waiver>& out);

/// The waiver for (rule, subject id, target): the first unexpired match, else the first
/// expired match (so the report can say loudly that it expired), else nullptr.
const Waiver* find_waiver(const std::vector<Waiver>& waivers, const std::string& rule_id, const std::string& subject_id,
                          const std::string& target, const Date& today);

}  // namespace pp::policy
