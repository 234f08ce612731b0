#include "core/catalogue.h"

#include <set>

namespace pp {

const FactSpec* FactCatalogue::find(std::string_view name) const {
  for (const auto& f : specs_)
    if (f.name == name) return &f;
  return nullptr;
}

std::vector<std::string_view> FactCatalogue::duplicates() const {
  std::set<std::string_view> seen;
  std::vector<std::string_view> out;
  for (const auto& f : specs_)
    if (!seen.insert(f.name).second) out.push_back(f.name);
  return out;
}

}  // namespace pp
