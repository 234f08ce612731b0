#pragma once
#include <compare>
#include <optional>
#include <string>
#include <string_view>
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

/// Parses "YYYY-MM-DD" (a calendar date that exists); nullopt otherwise.
std::optional<Date> parse_date(std::string_view text);
/// Whole days from `from` to `to` (negative when `to` is earlier).
int days_between(const Date& from, const Date& to);

/// The waivers file formats read: 1 (rule, subject, justification, expires) and 2, which adds
/// the accountable fields `owner`, `ticket` and `granted` and requires them.
inline constexpr int kWaiverSchema = 2;

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
  std::string owner;   ///< who approved it (schema 2; may be empty in schema 1)
  std::string ticket;  ///< the ticket or change reference (schema 2; may be empty in schema 1)
  Date granted;        ///< when it was granted (schema 2; year 0 when not given)
};

/// Reads a waivers file (`schema = 2`: `[[waiver]]` rule, subject, justification, owner,
/// ticket, granted, expires; `schema = 1` without the accountable fields). Every problem is a
/// positioned diagnostic; only complete waivers are returned. A schema 1 file still loads, and
/// one line naming the file is added to `warnings` (when given) saying the owner and ticket
/// are missing.
Diagnostics load_waivers(const SourceFile& src, std::vector<Waiver>& out, std::vector<std::string>* warnings = nullptr);

/// "owner O, ticket T, granted D, expires E": the accountable part of a waiver as reports show
/// it; the fields a schema 1 waiver lacks are left out.
std::string waiver_accountability(const Waiver& w);

/// Where a waiver stands on `today` for `waivers list`.
enum class WaiverState { Active, Expiring, Expired, Unused };
std::string_view to_string(WaiverState s);
/// Expired when past `expires`; Expiring when it expires within `within_days` days (inclusive);
/// else Active. Unused is decided by the caller against a report (unused_waivers).
WaiverState waiver_state(const Waiver& w, const Date& today, int within_days);
/// For each waiver, whether it matches no result of `results` (same test as the warnings).
std::vector<bool> unused_waivers(const std::vector<Waiver>& waivers, const std::vector<Result>& results);

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
