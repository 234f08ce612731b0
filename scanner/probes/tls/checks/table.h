#pragma once
#include <vector>

#include "probes/tls/checks/check.h"

namespace pp::tls::checks {

/// Every check, in the order the probe runs them after the enumeration. One explicit list
/// (checks/table.cc); adding a check is its file plus one row there.
const std::vector<Check>& check_table();

}  // namespace pp::tls::checks
