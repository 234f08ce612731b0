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

Diagnostics load_waivers(const SourceFile& src, std::vector<Waiver>& out) {
  Diagnostics diags;
  config::Reporter rep{src.path, &diags};
  auto root = config::parse_toml(src.text, src.path, rep);
  if (!root) return diags;
  config::check_keys(*root, {"schema", "waiver"}, "a waivers file", rep);
  const toml::node* schema = root->get("schema");
  if (!schema)
    diags.push_back({src.path, 1, 1, "missing 'schema = 1' (the file format version)"});
  else if (!schema->is_integer() || schema->as_integer()->get() != 1)
    rep.at(*schema, "unsupported schema (this version of policyprobe reads schema = 1)");
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
    const toml::table& t = *n.as_table();
    const size_t before = diags.size();
    config::check_keys(t, {"rule", "subject", "justification", "expires"}, "waiver", rep);
    Waiver w;
    w.file = src.path;
    w.line = static_cast<int>(t.source().begin.line);
    w.column = static_cast<int>(t.source().begin.column);
    if (auto s = config::get_string(t, "rule", true, "waiver", rep)) {
      w.rule = *s;
      w.rule_line = static_cast<int>(t.get("rule")->source().begin.line);
      w.rule_column = static_cast<int>(t.get("rule")->source().begin.column);
    }
    if (auto s = config::get_string(t, "subject", true, "waiver", rep)) w.subject = *s;
    if (auto s = config::get_string(t, "justification", true, "waiver", rep)) {
      w.justification = *s;
      if (s->find_first_not_of(" \t\n") == std::string::npos)
        rep.at(*t.get("justification"), "'justification' must say why the risk is accepted");
    }
    const toml::node* e = t.get("expires");
    if (!e) {
      rep.at(t, "waiver is missing required key 'expires' (a TOML date such as 2025-06-30; a waiver never lasts forever)");
    } else if (!e->is_date()) {
      rep.at(*e, "'expires' must be a TOML date such as 2025-06-30 (unquoted), not " + config::type_name(*e));
    } else {
      auto d = e->as_date()->get();
      w.expires = {static_cast<int>(d.year), static_cast<int>(d.month), static_cast<int>(d.day)};
    }
    if (diags.size() == before) out.push_back(std::move(w));
  }
  return diags;
}

namespace {

std::string where(const Waiver& w) {
  return w.file + ":" + std::to_string(w.line) + ":" + std::to_string(w.column);
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
      out.push_back(where(w) + ": waiver for rule '" + w.rule + "' on '" + w.subject + "' expired on " +
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
      out.push_back(where(w) + ": waiver for rule '" + w.rule + "' on '" + w.subject +
                    "' matches nothing in this scan");
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
