#include "sources/ipsec_netsh.h"

#include <algorithm>
#include <set>
#include <utility>

#include "core/text.h"
#include "sources/json_reader.h"

namespace pp::sources {

namespace {

constexpr std::string_view kNoRules = "No rules match the specified criteria.";
constexpr const char* kCollect =
    "expected the output of netsh advfirewall consec show rule name=all (see the README's IPsec section)";

/// The text as UTF-8: UTF-16 with its byte order mark converted, a UTF-8 byte order mark dropped.
std::string decoded(std::string_view raw) {
  std::string s = to_utf8(raw);
  if (s.compare(0, 3, "\xEF\xBB\xBF") == 0) s.erase(0, 3);
  return s;
}

size_t first_non_space(std::string_view s, size_t from = 0) {
  while (from < s.size() && (s[from] == ' ' || s[from] == '\t')) ++from;
  return from;
}

bool dashes(std::string_view s) { return !s.empty() && s.find_first_not_of('-') == std::string_view::npos; }

std::vector<std::string> split_list(std::string_view v) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= v.size()) {
    const size_t comma = std::min(v.find(',', start), v.size());
    const std::string_view item = text::trim_blanks(v.substr(start, comma - start));
    if (!item.empty()) out.emplace_back(item);
    start = comma + 1;
  }
  return out;
}

/// Action -> InboundSecurity, OutboundSecurity; false for an action netsh does not print.
bool security_of(std::string_view action, std::string& in, std::string& out) {
  static const std::pair<const char*, std::pair<const char*, const char*>> kActions[] = {
      {"RequireInRequireOut", {"Require", "Require"}}, {"RequestInRequestOut", {"Request", "Request"}},
      {"RequireInRequestOut", {"Require", "Request"}}, {"RequestInRequireOut", {"Request", "Require"}},
      {"RequireInClearOut", {"Require", "None"}},       {"NoAuthentication", {"None", "None"}},
  };
  for (const auto& [name, sec] : kActions)
    if (text::iequals(action, name)) {
      in = sec.first;
      out = sec.second;
      return true;
    }
  return false;
}

/// The JSON export's name for a netsh field, "" where the field keeps its own name.
std::string property_name(std::string_view key) {
  static const std::pair<const char*, const char*> kNames[] = {
      {"Endpoint1", "LocalAddress"}, {"Endpoint2", "RemoteAddress"}, {"Port1", "LocalPort"},
      {"Port2", "RemotePort"},       {"LocalPort", "LocalPort"},     {"RemotePort", "RemotePort"},
  };
  for (const auto& [field, name] : kNames)
    if (text::iequals(key, field)) return name;
  return {};
}

class Parser {
 public:
  explicit Parser(const std::string& file) : file_(file) {}

  /// One line (1-based `number`, without its end); false on a malformed one (`error()`).
  bool line(std::string_view raw, int number) {
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    const std::string_view t = text::trim_blanks(raw);
    if (t.empty() || t == "Ok.") return close();
    if (t == kNoRules) {
      no_rules_ = true;
      return true;
    }
    const int column = static_cast<int>(first_non_space(raw)) + 1;
    if (dashes(t)) {
      if (open_ && fields_.empty()) return true;
      return fail(number, column, "a dashed line that does not follow a 'Rule Name:' line");
    }
    const size_t colon = raw.find(':');
    if (colon == std::string_view::npos)
      return fail(number, column, "expected 'Field: value' inside a rule, or 'Rule Name:' to start one: " + std::string(kCollect));
    const std::string key(text::trim_blanks(raw.substr(0, colon)));
    const size_t at = first_non_space(raw, colon + 1);
    const std::string_view value = text::trim_blanks(raw.substr(std::min(at, raw.size())));
    const int value_column = static_cast<int>(at) + 1;
    if (text::iequals(key, "Rule Name")) return start(value, number, column, value_column);
    if (!open_) return fail(number, column, "the field '" + key + "' comes before any 'Rule Name:' line: " + std::string(kCollect));
    if (!fields_.insert(text::to_lower(key)).second) return fail(number, column, "the field '" + key + "' is repeated in rule '" + rule_.name + "'");
    return field(key, value, {file_, number, value_column});
  }

  /// Ends the text; false when the last rule is malformed or there is no rule at all.
  bool end() {
    if (!close()) return false;
    if (rules_.empty() && !no_rules_)
      return fail(1, 1, "no connection security rule in this file (no 'Rule Name:' line): " + std::string(kCollect));
    return true;
  }

  const std::string& error() const { return error_; }
  std::vector<IpsecRule>& rules() { return rules_; }

 private:
  bool fail(int line, int column, const std::string& why) {
    error_ = file_ + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + why;
    return false;
  }

  bool start(std::string_view name, int number, int column, int value_column) {
    if (!close()) return false;
    if (name.empty()) return fail(number, value_column, "a 'Rule Name:' line without a name");
    rule_ = IpsecRule{};
    rule_.name = std::string(name);
    rule_.at = {file_, number, column};
    IpsecProperty p{"DisplayName", IpsecProperty::Shape::Scalar, rule_.name, {}, {file_, number, value_column}, {}};
    p.said = "Rule Name=" + rule_.name;
    rule_.properties.push_back(std::move(p));
    fields_.clear();
    open_ = true;
    return true;
  }

  bool close() {
    if (!open_) return true;
    open_ = false;
    if (!rule_.find("InboundSecurity"))
      return fail(rule_.at.line, rule_.at.column, "rule '" + rule_.name + "' has no Action line, so what it requires cannot be told");
    rules_.push_back(std::move(rule_));
    return true;
  }

  bool field(const std::string& key, std::string_view value, const Position& at) {
    IpsecProperty p;
    p.at = at;
    p.said = key + "=" + std::string(value);
    p.shape = IpsecProperty::Shape::Scalar;
    p.value = std::string(value);
    if (text::iequals(key, "Action")) {
      std::string in, out;
      if (!security_of(value, in, out))
        return fail(at.line, at.column, "unknown Action '" + std::string(value) + "' (expected RequireInRequireOut, RequestInRequestOut, " +
                                            "RequireInRequestOut, RequireInClearOut or NoAuthentication)");
      IpsecProperty inbound = p;
      inbound.name = "InboundSecurity";
      inbound.value = in;
      p.name = "OutboundSecurity";
      p.value = out;
      rule_.properties.push_back(std::move(inbound));
      rule_.properties.push_back(std::move(p));
      return true;
    }
    if (text::iequals(key, "Enabled")) {
      if (!text::iequals(value, "Yes") && !text::iequals(value, "No"))
        return fail(at.line, at.column, "Enabled is '" + std::string(value) + "' (expected Yes or No)");
      p.value = text::iequals(value, "Yes") ? "True" : "False";
    }
    p.name = property_name(key);
    if (p.name.empty()) {
      p.name = key;
    } else {
      p.shape = IpsecProperty::Shape::List;
      p.list = split_list(value);
      p.value.clear();
    }
    rule_.properties.push_back(std::move(p));
    return true;
  }

  const std::string& file_;
  std::vector<IpsecRule> rules_;
  IpsecRule rule_;
  std::set<std::string> fields_;
  bool open_ = false;
  bool no_rules_ = false;
  std::string error_;
};

}  // namespace

std::string read_ipsec_netsh(std::string_view text, const std::string& file, std::vector<IpsecRule>& out) {
  const std::string s = decoded(text);
  Parser parser(file);
  int number = 0;
  size_t start = 0;
  while (start <= s.size()) {
    const size_t nl = std::min(s.find('\n', start), s.size());
    if (!parser.line(std::string_view(s).substr(start, nl - start), ++number)) return parser.error();
    start = nl + 1;
  }
  if (!parser.end()) return parser.error();
  for (auto& r : parser.rules()) out.push_back(std::move(r));
  return {};
}

bool looks_like_ipsec_netsh(std::string_view text) {
  const std::string head = decoded(text.substr(0, 64 * 1024));
  const size_t b = head.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return false;
  const std::string_view first = std::string_view(head).substr(b);
  return first.rfind("Rule Name:", 0) == 0 || first.rfind(kNoRules, 0) == 0;
}

}  // namespace pp::sources
