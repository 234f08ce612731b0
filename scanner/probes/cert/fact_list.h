#pragma once
#include <vector>

#include "core/catalogue.h"

namespace pp::cert {

/// The facts this probe sets (fact_list.inc): the "cert" family's part of the fact catalogue.
const std::vector<FactSpec>& fact_list();

}  // namespace pp::cert
