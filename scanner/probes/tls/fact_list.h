#pragma once
#include <vector>

#include "core/catalogue.h"

namespace pp::tls {

/// The facts the TLS probe sets: the enumeration's (fact_list.inc), then every check's of
/// checks/table.cc in table order. The "tls" family's part of the fact catalogue.
const std::vector<FactSpec>& fact_list();

/// The enumeration's facts alone (what `observation_facts` and the probe set themselves).
const std::vector<FactSpec>& enumeration_fact_list();

}  // namespace pp::tls
