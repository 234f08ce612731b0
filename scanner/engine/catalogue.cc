#include "engine/catalogue.h"

#include "engine/families.h"

namespace pp::engine {

const FactCatalogue& fact_catalogue() {
  static const FactCatalogue catalogue = [] {
    FactCatalogue c;
    for (const auto& family : family_table()) c.add(family.facts());
    return c;
  }();
  return catalogue;
}

}  // namespace pp::engine
