#pragma once
// Internal to policy/: helpers over toml++ shared by the pack, profile and waiver readers.
// Never include from a public header (toml++ is a PRIVATE dependency).
#include <toml++/toml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "core/diagnostic.h"
#include "policy/rule.h"

namespace pp::policy::detail {

/// Collects positioned diagnostics for one file.
struct Reporter {
  std::string file;
  Diagnostics* diags;
  void at(const toml::source_region& r, std::string msg) const {
    diags->push_back({file, static_cast<int>(r.begin.line), static_cast<int>(r.begin.column), std::move(msg)});
  }
  void at(const toml::node& n, std::string msg) const { at(n.source(), std::move(msg)); }
};

/// Parses TOML; on a syntax error reports it with its position and returns nullopt.
inline std::optional<toml::table> parse_toml(const std::string& text, const std::string& path, const Reporter& rep) {
  try {
    return toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    rep.at(e.source(), std::string(e.description()));
    return std::nullopt;
  }
}

/// Reports every key of `t` not in `allowed` ("unknown key 'titel' in rule; expected one of ...").
inline void check_keys(const toml::table& t, std::initializer_list<std::string_view> allowed, std::string_view where,
                       const Reporter& rep) {
  for (auto&& [k, v] : t) {
    bool ok = false;
    for (auto a : allowed) ok = ok || k.str() == a;
    if (ok) continue;
    std::string list;
    for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    rep.at(k.source(), "unknown key '" + std::string(k.str()) + "' in " + std::string(where) + " (expected one of: " + list + ")");
  }
}

inline std::string type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    default: return "nothing";
  }
}

/// A required or optional string member; reports a wrong type or a missing required key at the
/// table's position.
inline std::optional<std::string> get_string(const toml::table& t, std::string_view key, bool required,
                                             std::string_view where, const Reporter& rep) {
  const toml::node* n = t.get(key);
  if (!n) {
    if (required) rep.at(t, std::string(where) + " is missing required key '" + std::string(key) + "'");
    return std::nullopt;
  }
  if (!n->is_string()) {
    rep.at(*n, "'" + std::string(key) + "' must be a string, not " + type_name(*n));
    return std::nullopt;
  }
  return n->as_string()->get();
}

/// A list of strings, or (when `allow_single`) one string.
inline std::optional<StringList> get_string_list(const toml::node& n, std::string_view key, bool allow_single,
                                                 const Reporter& rep) {
  if (allow_single && n.is_string()) return StringList{n.as_string()->get()};
  if (!n.is_array()) {
    rep.at(n, "'" + std::string(key) + "' must be " + (allow_single ? "a string or " : "") + "a list of strings, not " +
                  type_name(n));
    return std::nullopt;
  }
  StringList out;
  bool ok = true;
  for (auto& e : *n.as_array()) {
    if (!e.is_string()) {
      rep.at(e, "'" + std::string(key) + "' entries must be strings, not " + type_name(e));
      ok = false;
      continue;
    }
    out.push_back(e.as_string()->get());
  }
  if (!ok) return std::nullopt;
  return out;
}

/// A TOML value as an operand: bool, integer, string, list of strings, list of integers.
/// An empty array reads as an empty list of strings (the loader adapts it for integer facts).
inline std::optional<Operand> to_operand(const toml::node& n, std::string& why) {
  if (n.is_boolean()) return Operand(n.as_boolean()->get());
  if (n.is_integer()) return Operand(n.as_integer()->get());
  if (n.is_string()) return Operand(n.as_string()->get());
  if (n.is_array()) {
    const auto& arr = *n.as_array();
    if (arr.empty()) return Operand(StringList{});
    if (arr.is_homogeneous(toml::node_type::string)) {
      StringList l;
      for (auto& e : arr) l.push_back(e.as_string()->get());
      return Operand(std::move(l));
    }
    if (arr.is_homogeneous(toml::node_type::integer)) {
      IntList l;
      for (auto& e : arr) l.push_back(e.as_integer()->get());
      return Operand(std::move(l));
    }
    why = "a list must hold only strings or only integers";
    return std::nullopt;
  }
  why = "a value must be a boolean, integer, string or list, not " + type_name(n);
  return std::nullopt;
}

}  // namespace pp::policy::detail
