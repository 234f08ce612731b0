#include "support/catalogue.h"

#include "engine/catalogue.h"

namespace pp::testing {

const FactCatalogue& catalogue() { return engine::fact_catalogue(); }

}  // namespace pp::testing
