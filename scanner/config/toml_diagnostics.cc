#include "config/toml_diagnostics.h"

#include "core/text.h"

namespace pp::config {

void Reporter::at(const toml::source_region& r, std::string msg) const {
  diags->push_back({file, static_cast<int>(r.begin.line), static_cast<int>(r.begin.column), std::move(msg)});
}

void Reporter::at_start(std::string msg) const { diags->push_back({file, 1, 1, std::move(msg)}); }

std::optional<toml::table> parse_toml(const std::string& text, const std::string& path, const Reporter& rep) {
  try {
    return toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    rep.at(e.source(), std::string(e.description()));
    return std::nullopt;
  }
}

void check_keys(const toml::table& t, std::initializer_list<std::string_view> allowed, std::string_view where,
                const Reporter& rep) {
  for (auto&& [k, v] : t) {
    bool ok = false;
    for (auto a : allowed) ok = ok || k.str() == a;
    if (ok) continue;
    const std::string list = text::join(std::vector<std::string>(allowed.begin(), allowed.end()), ", ");
    rep.at(k.source(), "unknown key '" + std::string(k.str()) + "' in " + std::string(where) + " (expected one of: " + list + ")");
  }
}

std::string type_name(const toml::node& n) {
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

std::optional<std::string> string_value(const toml::node& n, std::string_view key, const Reporter& rep) {
  if (const auto* s = n.as_string()) return s->get();
  rep.at(n, "'" + std::string(key) + "' must be a string, not " + type_name(n));
  return std::nullopt;
}

std::optional<std::string> get_string(const toml::table& t, std::string_view key, bool required,
                                      std::string_view where, const Reporter& rep) {
  const toml::node* n = t.get(key);
  if (!n) {
    if (required) rep.at(t, std::string(where) + " is missing required key '" + std::string(key) + "'");
    return std::nullopt;
  }
  return string_value(*n, key, rep);
}

std::optional<std::vector<std::string>> get_string_list(const toml::node& n, std::string_view key, bool allow_single,
                                                        const Reporter& rep) {
  if (allow_single && n.is_string()) return std::vector<std::string>{n.as_string()->get()};
  if (!n.is_array()) {
    rep.at(n, "'" + std::string(key) + "' must be " + (allow_single ? "a string or " : "") + "a list of strings, not " +
                  type_name(n));
    return std::nullopt;
  }
  std::vector<std::string> out;
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

}  // namespace pp::config
