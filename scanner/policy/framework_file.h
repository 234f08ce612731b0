#pragma once
// Internal to policy/: reading `[[framework]]` tables. Includes toml++ through toml_util.h, so
// include it only from .cc files.
#include <vector>

#include "core/controls.h"
#include "policy/toml_util.h"

namespace pp::policy::detail {

/// A frameworks file: `schema = 1` then
///   [[framework]]  id = "pci-dss-4.0"  title = "PCI DSS v4.0"
///   [[framework.control]]  id = "4.2.1"  title = "..."
/// Unknown keys, missing ids or titles and a control id given twice in one framework are
/// reported at their place.
void parse_frameworks(const toml::table& root, std::vector<Framework>& out, const config::Reporter& rep);

}  // namespace pp::policy::detail
