#include "policy/frameworks.h"

#include <algorithm>
#include <set>

#include "core/text.h"

namespace pp::policy {

namespace {

const Framework* find_framework(const std::vector<Framework>& known, const std::string& id) {
  for (const auto& f : known)
    if (f.id == id) return &f;
  return nullptr;
}

std::string known_ids(const std::vector<Framework>& known) {
  std::vector<std::string> ids;
  for (const auto& f : known) ids.push_back(f.id);
  return ids.empty() ? "none" : text::join(ids, ", ");
}

std::string control_ids(const Framework& f) {
  std::vector<std::string> ids;
  for (const auto& c : f.controls) ids.push_back(c.id);
  return ids.empty() ? "none yet" : text::join(ids, ", ");
}

bool names_one_of(const Rule& r, const std::set<std::string>& frameworks) {
  return std::any_of(r.controls.begin(), r.controls.end(),
                     [&](const ControlCite& c) { return frameworks.count(c.framework) > 0; });
}

}  // namespace

Diagnostics check_rule_controls(const std::vector<Framework>& known, const std::vector<Pack>& packs) {
  Diagnostics d;
  for (const auto& p : packs) {
    for (const auto& r : p.rules) {
      std::set<std::string> seen;
      for (const auto& c : r.controls) {
        const Framework* f = find_framework(known, c.framework);
        if (!f)
          d.push_back({r.file, c.line, c.column,
                       "rule '" + r.id + "': unknown framework '" + c.framework + "' (known: " + known_ids(known) + ")"});
        else if (!f->find(c.control))
          d.push_back({r.file, c.line, c.column,
                       "rule '" + r.id + "': framework '" + f->id + "' has no control '" + c.control +
                           "' (its controls: " + control_ids(*f) + ")"});
        else if (!seen.insert(c.text()).second)
          d.push_back({r.file, c.line, c.column, "rule '" + r.id + "' names control '" + c.text() + "' twice"});
      }
    }
  }
  return d;
}

void add_frameworks(std::vector<Framework>& into, std::vector<Framework> from) {
  for (auto& f : from) {
    auto it = std::find_if(into.begin(), into.end(), [&](const Framework& g) { return g.id == f.id; });
    if (it == into.end()) {
      into.push_back(std::move(f));
      continue;
    }
    if (it->title.empty()) it->title = f.title;
    for (auto& c : f.controls)
      if (!it->find(c.id)) it->controls.push_back(std::move(c));
  }
}

Diagnostics keep_rules_of_frameworks(const std::vector<Framework>& known, const std::vector<std::string>& names,
                                     std::vector<Rule>& rules) {
  Diagnostics d;
  if (names.empty()) return d;
  for (const auto& n : names)
    if (!find_framework(known, n))
      d.push_back({"--framework", 0, 0, "unknown framework '" + n + "' (known: " + known_ids(known) + ")"});
  if (!d.empty()) return d;
  const std::set<std::string> wanted(names.begin(), names.end());
  std::erase_if(rules, [&](const Rule& r) { return !names_one_of(r, wanted); });
  return d;
}

ControlMapping control_mapping(const std::vector<Framework>& known, const std::vector<std::string>& names,
                               const std::vector<Rule>& rules) {
  ControlMapping m;
  for (const auto& f : known)
    if (names.empty() || std::find(names.begin(), names.end(), f.id) != names.end()) m.frameworks.push_back(f);
  for (const auto& r : rules) {
    std::vector<std::string> cited;
    for (const auto& c : r.controls)
      if (const Framework* f = m.find(c.framework); f && f->find(c.control)) cited.push_back(c.text());
    if (cited.empty()) continue;
    std::sort(cited.begin(), cited.end());
    cited.erase(std::unique(cited.begin(), cited.end()), cited.end());
    m.rules[r.id] = std::move(cited);
  }
  return m;
}

}  // namespace pp::policy
