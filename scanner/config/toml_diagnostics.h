#pragma once
// Positioned diagnostics over toml++, shared by the inventory and the policy loaders. This
// header includes toml++: include it only from .cc files of a library that links pp_config
// PRIVATE, never from a public header.
#include <toml++/toml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"

namespace pp::config {

/// Collects "file:line:column" diagnostics for one TOML file.
struct Reporter {
  std::string file;
  Diagnostics* diags;

  void at(const toml::source_region& r, std::string msg) const;
  void at(const toml::node& n, std::string msg) const { at(n.source(), std::move(msg)); }
  /// For what has no node to point at (a key missing from the whole file): line 1, column 1.
  void at_start(std::string msg) const;
};

/// Parses TOML; on a syntax error reports it with its position and returns nullopt.
std::optional<toml::table> parse_toml(const std::string& text, const std::string& path, const Reporter& rep);

/// Reports every key of `t` not in `allowed`, at the key:
/// "unknown key 'titel' in rule (expected one of: id, title, ...)".
void check_keys(const toml::table& t, std::initializer_list<std::string_view> allowed, std::string_view where,
                const Reporter& rep);

/// "a string", "an integer", ... for "must be X, not Y" messages.
std::string type_name(const toml::node& n);

/// The string value of `n`; reports "'key' must be a string, not an integer" at `n` otherwise.
std::optional<std::string> string_value(const toml::node& n, std::string_view key, const Reporter& rep);

/// A required or optional string member; reports a wrong type at the value and a missing
/// required key at the table.
std::optional<std::string> get_string(const toml::table& t, std::string_view key, bool required,
                                      std::string_view where, const Reporter& rep);

/// A list of strings, or (when `allow_single`) one string. Reports the node when it is neither
/// and every entry that is not a string.
std::optional<std::vector<std::string>> get_string_list(const toml::node& n, std::string_view key, bool allow_single,
                                                        const Reporter& rep);

}  // namespace pp::config
