#include "policy/framework_file.h"

#include <set>

namespace pp::policy::detail {

using config::check_keys;
using config::get_string;
using config::Reporter;

namespace {

void parse_controls(const toml::node& n, Framework& f, const Reporter& rep) {
  if (!n.is_array_of_tables()) {
    rep.at(n, "'control' must be an array of tables ([[framework.control]])");
    return;
  }
  std::set<std::string> seen;
  for (auto& item : *n.as_array()) {
    const toml::table& t = *item.as_table();
    check_keys(t, {"id", "title"}, "[[framework.control]]", rep);
    auto id = get_string(t, "id", true, "[[framework.control]]", rep);
    auto title = get_string(t, "title", true, "[[framework.control]]", rep);
    if (!id) continue;
    if (id->empty() || id->find_first_of(" \t") != std::string::npos) {
      rep.at(*t.get("id"), "a control id is non-empty without spaces");
      continue;
    }
    if (!seen.insert(*id).second) {
      rep.at(*t.get("id"), "control '" + *id + "' is already defined in framework '" + f.id + "'");
      continue;
    }
    f.controls.push_back({*id, title.value_or("")});
  }
}

}  // namespace

void parse_frameworks(const toml::table& root, std::vector<Framework>& out, const Reporter& rep) {
  check_keys(root, {"schema", "framework"}, "a frameworks file", rep);
  const toml::node* list = root.get("framework");
  if (!list->is_array_of_tables()) {
    rep.at(*list, "'framework' must be an array of tables ([[framework]])");
    return;
  }
  for (auto& item : *list->as_array()) {
    const toml::table& t = *item.as_table();
    check_keys(t, {"id", "title", "description", "control"}, "[[framework]]", rep);
    Framework f;
    auto id = get_string(t, "id", true, "[[framework]]", rep);
    if (auto title = get_string(t, "title", true, "[[framework]]", rep)) f.title = *title;
    get_string(t, "description", false, "[[framework]]", rep);
    if (!id) continue;
    if (id->empty() || id->find_first_of(" \t:") != std::string::npos) {
      rep.at(*t.get("id"), "a framework id is non-empty without spaces or ':'");
      continue;
    }
    f.id = *id;
    if (auto* c = t.get("control")) parse_controls(*c, f, rep);
    out.push_back(std::move(f));
  }
}

}  // namespace pp::policy::detail
