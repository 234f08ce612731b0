#include "core/controls.h"

#include <algorithm>

namespace pp {

const Control* Framework::find(std::string_view control_id) const {
  for (const auto& c : controls)
    if (c.id == control_id) return &c;
  return nullptr;
}

std::optional<ControlRef> parse_control_ref(std::string_view s) {
  const auto colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == s.size()) return std::nullopt;
  return ControlRef{std::string(s.substr(0, colon)), std::string(s.substr(colon + 1))};
}

const Framework* ControlMapping::find(std::string_view framework_id) const {
  for (const auto& f : frameworks)
    if (f.id == framework_id) return &f;
  return nullptr;
}

void merge_mappings(ControlMapping& into, const ControlMapping& from) {
  for (const auto& f : from.frameworks) {
    auto it = std::find_if(into.frameworks.begin(), into.frameworks.end(), [&](const Framework& g) { return g.id == f.id; });
    if (it == into.frameworks.end()) {
      into.frameworks.push_back(f);
      continue;
    }
    for (const auto& c : f.controls)
      if (!it->find(c.id)) it->controls.push_back(c);
  }
  for (const auto& [rule, controls] : from.rules) {
    auto& mine = into.rules[rule];
    for (const auto& c : controls)
      if (std::find(mine.begin(), mine.end(), c) == mine.end()) mine.push_back(c);
    std::sort(mine.begin(), mine.end());
  }
}

}  // namespace pp
