#include "probes/tls/checks/table.h"

namespace pp::tls::checks {

// Each check's row is defined in its own file, checks/<name>.cc.
Check renegotiation_check();
Check heartbleed_check();
Check ccs_injection_check();

const std::vector<Check>& check_table() {
  static const std::vector<Check> table = {
      renegotiation_check(),
      heartbleed_check(),
      ccs_injection_check(),
  };
  return table;
}

}  // namespace pp::tls::checks
