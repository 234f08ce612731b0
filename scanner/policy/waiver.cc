#include "policy/waiver.h"

#include <cstdio>
#include <ctime>

#include "policy/glob.h"
#include "policy/toml_util.h"

namespace pp::policy {

std::string Date::str() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

Date today_utc() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

std::optional<Date> parse_date(std::string_view text) {
  int y = 0, m = 0, d = 0;
  char tail = 0;
  const std::string copy(text);
  if (text.size() != 10 || std::sscanf(copy.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) return std::nullopt;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) return std::nullopt;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m == 2 && d == 29 && !leap) return std::nullopt;
  return Date{y, m, d};
}

namespace {

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
long days_from_civil(const Date& date) {
  const long y = date.year - (date.month <= 2 ? 1 : 0);
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long mp = (date.month + 9) % 12;
  const long doy = (153 * mp + 2) / 5 + date.day - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::optional<Date> read_date(const toml::table& t, std::string_view key, bool required, const config::Reporter& rep,
                              const char* why) {
  const toml::node* e = t.get(key);
  if (!e) {
    if (required)
      rep.at(t, "waiver is missing required key '" + std::string(key) + "' (a TOML date such as 2025-06-30" + why + ")");
    return std::nullopt;
  }
  if (!e->is_date()) {
    rep.at(*e, "'" + std::string(key) + "' must be a TOML date such as 2025-06-30 (unquoted), not " +
                   config::type_name(*e));
    return std::nullopt;
  }
  auto d = e->as_date()->get();
  return Date{static_cast<int>(d.year), static_cast<int>(d.month), static_cast<int>(d.day)};
}

/// A required (schema 2) or optional (schema 1) text field that must say something.
void read_text(const toml::table& t, std::string_view key, bool required, const char* meaning, const config::Reporter& rep,
               std::string& out) {
  auto s = config::get_string(t, key, required, "waiver", rep);
  if (!s) return;
  out = *s;
  if (s->find_first_not_of(" \t\n") == std::string::npos)
    rep.at(*t.get(key), "'" + std::string(key) + "' must " + meaning);
}

/// The file's `schema`, 0 when missing or unsupported (already reported).
int read_schema(const toml::table& root, const SourceFile& src, Diagnostics& diags, const config::Reporter& rep) {
  const toml::node* schema = root.get("schema");
  if (!schema) {
    diags.push_back({src.path, 1, 1, "missing 'schema = 2' (the file format version)"});
    return 0;
  }
  if (schema->is_integer()) {
    const int64_t v = schema->as_integer()->get();
    if (v == 1 || v == kWaiverSchema) return static_cast<int>(v);
  }
  rep.at(*schema, "unsupported schema (this version of policyprobe reads schema = 1 and schema = 2)");
  return 0;
}

/// One [[waiver]] table; `accountable` (schema 2) requires owner, ticket and granted.
void read_waiver(const toml::table& t, const SourceFile& src, bool accountable, const config::Reporter& rep, Waiver& w) {
  config::check_keys(t, {"rule", "subject", "justification", "owner", "ticket", "granted", "expires"}, "waiver", rep);
  w.file = src.path;
  w.line = static_cast<int>(t.source().begin.line);
  w.column = static_cast<int>(t.source().begin.column);
  if (auto s = config::get_string(t, "rule", true, "waiver", rep)) {
    w.rule = *s;
    w.rule_line = static_cast<int>(t.get("rule")->source().begin.line);
    w.rule_column = static_cast<int>(t.get("rule")->source().begin.column);
  }
  if (auto s = config::get_string(t, "subject", true, "waiver", rep)) w.subject = *s;
  read_text(t, "justification", true, "say why the risk is accepted", rep, w.justification);
  read_text(t, "owner", accountable, "name who approved the waiver", rep, w.owner);
  read_text(t, "ticket", accountable, "name the ticket or change that records it", rep, w.ticket);
  if (auto d = read_date(t, "granted", accountable, rep, ", the day it was approved")) w.granted = *d;
  if (auto d = read_date(t, "expires", true, rep, "; a waiver never lasts forever")) w.expires = *d;
  if (w.granted.year != 0 && w.expires.year != 0 && w.expires < w.granted)
    rep.at(*t.get("expires"), "'expires' (" + w.expires.str() + ") is before 'granted' (" + w.granted.str() + ")");
}

}  // namespace

int days_between(const Date& from, const Date& to) {
  return static_cast<int>(days_from_civil(to) - days_from_civil(from));
}

Diagnostics load_waivers(const SourceFile& src, std::vector<Waiver>& out, std::vector<std::string>* warnings) {
  Diagnostics diags;
  config::Reporter rep{src.path, &diags};
  auto root = config::parse_toml(src.text, src.path, rep);
  if (!root) return diags;
  config::check_keys(*root, {"schema", "waiver"}, "a waivers file", rep);
  const int schema = read_schema(*root, src, diags, rep);
  if (schema == 1 && warnings)
    warnings->push_back(src.path + ": waivers file schema 1 records no owner or ticket; it is still read, but "
                        "schema = 2 (owner, ticket, granted and expires on every waiver) is the current format");
  const toml::node* list = root->get("waiver");
  if (!list) return diags;
  if (!list->is_array()) {
    rep.at(*list, "'waiver' must be an array of tables ([[waiver]])");
    return diags;
  }
  for (auto& n : *list->as_array()) {
    if (!n.is_table()) {
      rep.at(n, "each [[waiver]] must be a table");
      continue;
    }
    const size_t before = diags.size();
    Waiver w;
    read_waiver(*n.as_table(), src, schema != 1, rep, w);
    if (diags.size() == before) out.push_back(std::move(w));
  }
  return diags;
}

std::string waiver_accountability(const Waiver& w) {
  std::string out;
  auto add = [&](const std::string& label, const std::string& value) {
    if (value.empty()) return;
    out += (out.empty() ? "" : ", ") + label + " " + value;
  };
  add("owner", w.owner);
  add("ticket", w.ticket);
  add("granted", w.granted.year ? w.granted.str() : "");
  add("expires", w.expires.str());
  return out;
}

std::string_view to_string(WaiverState s) {
  switch (s) {
    case WaiverState::Active: return "active";
    case WaiverState::Expiring: return "expiring";
    case WaiverState::Expired: return "expired";
    case WaiverState::Unused: return "matching nothing";
  }
  return "?";
}

WaiverState waiver_state(const Waiver& w, const Date& today, int within_days) {
  if (w.expires < today) return WaiverState::Expired;
  if (within_days >= 0 && days_between(today, w.expires) <= within_days) return WaiverState::Expiring;
  return WaiverState::Active;
}

namespace {

std::string where(const Waiver& w) {
  return w.file + ":" + std::to_string(w.line) + ":" + std::to_string(w.column);
}

/// " (owner O, ticket T)" so a warning names whom to ask; "" for a schema 1 waiver.
std::string who(const Waiver& w) {
  std::string out;
  if (!w.owner.empty()) out += "owner " + w.owner;
  if (!w.ticket.empty()) out += (out.empty() ? "" : ", ") + std::string("ticket ") + w.ticket;
  return out.empty() ? out : " (" + out + ")";
}

bool matches(const Waiver& w, const std::string& rule_id, const std::string& subject_id, const std::string& target) {
  return glob_match(w.rule, rule_id, true) &&
         (glob_match(w.subject, subject_id, true) || glob_match(w.subject, target, true));
}

}  // namespace

Diagnostics check_waiver_rules(const std::vector<Waiver>& waivers, const std::vector<const Rule*>& known) {
  Diagnostics out;
  for (const auto& w : waivers) {
    bool found = false;
    for (const Rule* r : known) found = found || glob_match(w.rule, r->id, true);
    if (!found)
      out.push_back({w.file, w.rule_line ? w.rule_line : w.line, w.rule_line ? w.rule_column : w.column,
                     "waiver names rule '" + w.rule + "', which matches no known rule (see 'policyprobe rules list')"});
  }
  return out;
}

Diagnostics check_waiver_expiry(const std::vector<Waiver>& waivers, const Date& today) {
  Diagnostics out;
  for (const auto& w : waivers)
    if (w.expires < today)
      out.push_back({w.file, w.line, w.column,
                     "waiver for rule '" + w.rule + "' on '" + w.subject + "' expired on " + w.expires.str() +
                         ": renew it with a new date and justification, or remove it"});
  return out;
}

std::vector<std::string> expired_waiver_warnings(const std::vector<Waiver>& waivers, const Date& today) {
  std::vector<std::string> out;
  for (const auto& w : waivers)
    if (w.expires < today)
      out.push_back(where(w) + ": waiver for rule '" + w.rule + "' on '" + w.subject + "'" + who(w) + " expired on " +
                    w.expires.str() + ": its findings count again");
  return out;
}

std::vector<std::string> unused_waiver_warnings(const std::vector<Waiver>& waivers, const std::vector<Result>& results) {
  std::vector<std::string> out;
  for (const auto& w : waivers) {
    bool used = false;
    for (const auto& r : results) {
      if (matches(w, r.rule_id, r.subject, r.target)) {
        used = true;
        break;
      }
    }
    if (!used)
      out.push_back(where(w) + ": waiver for rule '" + w.rule + "' on '" + w.subject + "'" + who(w) +
                    " matches nothing in this scan");
  }
  return out;
}

std::vector<bool> unused_waivers(const std::vector<Waiver>& waivers, const std::vector<Result>& results) {
  std::vector<bool> out;
  out.reserve(waivers.size());
  for (const auto& w : waivers) {
    bool used = false;
    for (const auto& r : results) used = used || matches(w, r.rule_id, r.subject, r.target);
    out.push_back(!used);
  }
  return out;
}

const Waiver* find_waiver(const std::vector<Waiver>& waivers, const std::string& rule_id, const std::string& subject_id,
                          const std::string& target, const Date& today) {
  const Waiver* expired = nullptr;
  for (const auto& w : waivers) {
    if (!matches(w, rule_id, subject_id, target)) continue;
    if (today <= w.expires) return &w;
    if (!expired) expired = &w;
  }
  return expired;
}

}  // namespace pp::policy
