#pragma once
// For tests of code that is handed the fact catalogue (the policy, the rule cases): the one
// the scanner assembles from the engine's family table.
#include "core/catalogue.h"

namespace pp::testing {

const FactCatalogue& catalogue();

}  // namespace pp::testing
