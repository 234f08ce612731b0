#pragma once
#include "core/catalogue.h"

namespace pp::engine {

/// The fact catalogue: every family's facts (`Family::facts`, each probe folder's own list) in
/// the order of the family table; for the TLS family, the enumeration's facts and then every
/// check's. What the policy lints and evaluates against and `policyprobe facts` prints.
const FactCatalogue& fact_catalogue();

}  // namespace pp::engine
