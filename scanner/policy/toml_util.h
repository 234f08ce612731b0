#pragma once
// Internal to policy/: TOML values as rule operands. Positioned diagnostics (Reporter,
// check_keys, typed getters) are config/toml_diagnostics.h's, shared with the inventory.
// Never include from a public header (toml++ is a PRIVATE dependency).
#include <toml++/toml.h>

#include <optional>
#include <string>

#include "config/toml_diagnostics.h"
#include "policy/rule.h"

namespace pp::policy::detail {

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
  why = "a value must be a boolean, integer, string or list, not " + config::type_name(n);
  return std::nullopt;
}

}  // namespace pp::policy::detail
